// The filesystem seam: the real disk, or an in-memory tree for tests.
#pragma once

#include <expected>
#include <map>
#include <string>
#include <vector>

namespace claw::io {

class FileSystem {
 public:
  virtual ~FileSystem() = default;
  /// The bytes of a file, or a reason it cannot be read.
  virtual std::expected<std::string, std::string> read(const std::string& path) const = 0;
  virtual bool is_directory(const std::string& path) const = 0;
  virtual bool exists(const std::string& path) const = 0;
  /// Every `*.claw` file under `dir`, recursively, sorted.
  virtual std::vector<std::string> claw_files(const std::string& dir) const = 0;

  /// Writes a whole output tree at `dir` atomically: the files (relative
  /// paths → contents) are written beside it first, then swapped in, so on
  /// any failure `dir` is left as it was. Returns a reason on failure.
  virtual std::expected<void, std::string> replace_tree(const std::string& dir,
                                                        const std::map<std::string, std::string>& files) const = 0;
};

/// The real filesystem.
class DiskFileSystem final : public FileSystem {
 public:
  std::expected<std::string, std::string> read(const std::string& path) const override;
  bool is_directory(const std::string& path) const override;
  bool exists(const std::string& path) const override;
  std::vector<std::string> claw_files(const std::string& dir) const override;
  std::expected<void, std::string> replace_tree(const std::string& dir,
                                                const std::map<std::string, std::string>& files) const override;
};

/// Files held in memory, keyed by path with `/` separators.
class MemoryFileSystem final : public FileSystem {
 public:
  void add(std::string path, std::string text) { files_[std::move(path)] = std::move(text); }
  std::expected<std::string, std::string> read(const std::string& path) const override;
  bool is_directory(const std::string& path) const override;
  bool exists(const std::string& path) const override;
  std::vector<std::string> claw_files(const std::string& dir) const override;
  std::expected<void, std::string> replace_tree(const std::string& dir,
                                                const std::map<std::string, std::string>& files) const override;
  /// Every file held, by path: for tests that read back a whole output tree.
  const std::map<std::string, std::string>& all() const { return files_; }

 private:
  // Output trees are the result of a const operation on a seam; mutable so a
  // test can read back what a command wrote.
  mutable std::map<std::string, std::string> files_;
};

/// `a/b/../c` → `a/c`; keeps a leading `/` and leading `..`.
std::string normalize_path(const std::string& path);
/// The directory part of a path ("." when there is none).
std::string parent_dir(const std::string& path);
/// Joins a base directory and a relative path (an absolute path wins).
std::string join_path(const std::string& base, const std::string& rel);

}  // namespace claw::io
