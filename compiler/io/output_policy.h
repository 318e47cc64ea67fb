// When `claw build` may replace its output folder: the one place that
// decides, from facts each filesystem gathers about the folder.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace claw::io {

/// An input of the build (a file of the program, or a folder it was asked
/// to build): its name as given and its real path (symbolic links and `..`
/// resolved, as the filesystem at hand sees them).
struct TreeInput {
  std::string name;
  std::string real;
};

/// What is at the folder an output tree is to replace.
struct TreeTarget {
  enum class Kind { Missing, Folder, Other } kind = Kind::Missing;
  std::string real;                 // the folder's real path
  bool marked = false;              // it holds the mark file
  std::optional<std::vector<std::string>> listed;  // the mark's list, when the mark reads as one
  std::vector<std::string> files;   // every entry below it that is not a folder, relative, sorted
  std::vector<std::string> folders; // every folder below it, relative
  std::vector<TreeInput> inputs;    // the build's inputs
};

/// Why the folder named `dir` may not be replaced by an output tree, with
/// a hint, or nothing when it may: it is missing, or a folder that holds no
/// input and nothing but what its mark lists (an empty one holds nothing).
std::optional<std::string> why_not_replace(const std::string& dir, const TreeTarget& target);

/// Whether the real path `path` is `folder` or lies below it.
bool within(const std::string& path, const std::string& folder);

}  // namespace claw::io
