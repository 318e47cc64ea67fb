#include "compiler/io/output_policy.h"

#include <fmt/format.h>

#include <set>
#include <string_view>

#include "compiler/io/output_mark.h"

namespace claw::io {

bool within(const std::string& path, const std::string& folder) {
  if (folder == "." || folder == "/") return folder == "/" ? path.starts_with("/") : !path.starts_with("/");
  return path == folder || (path.starts_with(folder) && path[folder.size()] == '/');
}

namespace {

std::string shown(const std::string& dir, const std::string& rel) { return dir == "." ? rel : dir + "/" + rel; }

/// The first entry below the folder its mark does not account for: a file
/// it does not list, or a folder that holds none of the files it lists.
std::optional<std::string> first_unlisted(const TreeTarget& t) {
  const std::vector<std::string>& listed = *t.listed;
  std::set<std::string_view> files(listed.begin(), listed.end());
  files.insert(kMarkName);
  std::set<std::string_view> folders;
  for (std::string_view p : listed)
    for (size_t slash = p.find('/'); slash != std::string_view::npos; slash = p.find('/', slash + 1))
      folders.insert(p.substr(0, slash));
  for (const auto& f : t.files)
    if (!files.count(f)) return f;
  for (const auto& f : t.folders)
    if (!folders.count(f)) return f;
  return std::nullopt;
}

}  // namespace

std::optional<std::string> why_not_replace(const std::string& dir, const TreeTarget& t) {
  for (const auto& in : t.inputs)
    if (within(in.real, t.real))
      return fmt::format(
          "cannot replace `{}`: it holds `{}`, an input of this build; build into a folder outside the program, such as "
          "`out` beside it",
          dir, in.name);
  if (t.kind == TreeTarget::Kind::Missing) return std::nullopt;
  if (t.kind == TreeTarget::Kind::Other)
    return fmt::format("cannot replace `{}`: it is not a folder; claw build writes its output as a folder and leaves a "
                       "file alone: name a new folder with `-o`",
                       dir);
  if (t.files.empty() && t.folders.empty()) return std::nullopt;
  if (!t.marked)
    return fmt::format(
        "cannot replace `{}`: it holds files claw build did not write (it has no `{}`), such as `{}`; claw build "
        "replaces its output folder as a whole, so it leaves this one alone: build into a new or empty folder",
        dir, kMarkName, shown(dir, t.files.empty() ? t.folders.front() : t.files.front()));
  if (!t.listed)
    return fmt::format("cannot replace `{}`: its `{}` is not one this claw build wrote; remove the folder yourself if it "
                       "holds nothing of yours, or build into a new folder",
                       dir, kMarkName);
  if (auto extra = first_unlisted(t))
    return fmt::format(
        "cannot replace `{}`: it holds `{}`, which claw build did not write; move it out of the folder, or build into a "
        "new folder",
        dir, shown(dir, *extra));
  return std::nullopt;
}

}  // namespace claw::io
