// The filesystem seam: the real disk, or an in-memory tree for tests.
#pragma once

#include <cstddef>
#include <cstdint>
#include <expected>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/io/output_mark.h"

namespace claw::io {

/// An output tree being written, file by file as its files are produced,
/// so that none of them needs to be held in memory until the end. Nothing
/// at the tree's folder changes before `commit`; a writer dropped without
/// committing leaves it as it was.
///
/// A writer replaces only what it may (see why_not_replace): no folder
/// yet, an empty folder, or one holding nothing but what an earlier build
/// wrote, as its mark (`kMark`, which every tree committed holds) lists,
/// and none of the build's inputs. Anything else makes `commit` fail, and
/// is left alone.
/// What a committed output tree is: how many files it holds (the mark
/// included), and whether the folder already held exactly those, so that
/// nothing was written.
struct Committed {
  size_t files = 0;
  bool unchanged = false;
};

class TreeWriter {
 public:
  /// The file that marks a folder as an output tree.
  static constexpr const char* kMark = kMarkName;

  virtual ~TreeWriter() = default;
  /// Adds the file `rel` (a relative path with `/` separators) holding
  /// `text`. Safe to call from several threads at once for different
  /// paths; putting a path again replaces it. A failure is kept for
  /// `commit` to report, and later puts are then skipped.
  virtual void put(std::string_view rel, std::string_view text) = 0;
  /// Makes the folder hold exactly the files put and the mark, at once;
  /// returns how many files that is and whether they were all there
  /// already, or why it could not (the folder is then left as it was).
  virtual std::expected<Committed, std::string> commit() = 0;
};

/// Why a file was not read.
struct ReadError {
  enum class Kind : uint8_t {
    Failed,      // it could not be opened or read (missing, no permission, ...)
    NotRegular,  // a folder, a FIFO, a device or a socket: nothing claw reads
    TooLarge,    // over the cap the reader was given
  };
  Kind kind = Kind::Failed;
  std::string message;  // for a person: "it is a named pipe (FIFO), not a regular file"
  uint64_t size = 0;    // TooLarge: how large it is (or, if it grew while read, at least)
};

class FileSystem {
 public:
  /// No cap on the size of a file read.
  static constexpr size_t kAnySize = static_cast<size_t>(-1);

  virtual ~FileSystem() = default;
  /// The bytes of the regular file at `path` (a symlink to one is
  /// followed), or why not: anything else (a FIFO, a device, a folder) is
  /// refused without waiting on it or reading it, and a file of more than
  /// `max_bytes` bytes is refused before it, or the bytes past the cap, are
  /// read into memory.
  std::expected<std::string, ReadError> read(const std::string& path, size_t max_bytes = kAnySize) const {
    return read_file(path, max_bytes);
  }
  virtual bool is_directory(const std::string& path) const = 0;
  virtual bool exists(const std::string& path) const = 0;
  /// Every `*.claw` file under `dir`, recursively, sorted.
  virtual std::vector<std::string> claw_files(const std::string& dir) const = 0;

  /// A writer of a whole output tree at `dir`, replaced atomically: on
  /// any failure `dir` is left as it was. `inputs` are the paths of the
  /// build's inputs (its files and the folders it was given), none of which
  /// the tree may replace.
  virtual std::unique_ptr<TreeWriter> write_tree(const std::string& dir,
                                                 const std::vector<std::string>& inputs = {}) const = 0;

  /// Makes the file at `path` hold exactly `text`, atomically: a reader
  /// sees the old bytes or the new ones, never a mix, and on failure the
  /// file is left as it was. Returns why not, naming the path.
  virtual std::expected<void, std::string> write_file(const std::string& path, std::string_view text) const = 0;

  /// Makes `dir` hold exactly `files` (relative paths → contents), at once:
  /// `write_tree`, every file put (on every core for large trees), commit.
  std::expected<void, std::string> replace_tree(const std::string& dir, const std::map<std::string, std::string>& files,
                                                const std::vector<std::string>& inputs = {}) const;

 protected:
  /// `read`'s work, with the same contract.
  virtual std::expected<std::string, ReadError> read_file(const std::string& path, size_t max_bytes) const = 0;
};

/// The real filesystem.
class DiskFileSystem final : public FileSystem {
 public:
  bool is_directory(const std::string& path) const override;
  bool exists(const std::string& path) const override;
  std::vector<std::string> claw_files(const std::string& dir) const override;
  std::unique_ptr<TreeWriter> write_tree(const std::string& dir, const std::vector<std::string>& inputs = {}) const override;
  std::expected<void, std::string> write_file(const std::string& path, std::string_view text) const override;

 protected:
  std::expected<std::string, ReadError> read_file(const std::string& path, size_t max_bytes) const override;
};

/// Files held in memory, keyed by path with `/` separators.
class MemoryFileSystem final : public FileSystem {
 public:
  void add(std::string path, std::string text) { files_[std::move(path)] = std::move(text); }
  void remove(const std::string& path) { files_.erase(path); }
  bool is_directory(const std::string& path) const override;
  bool exists(const std::string& path) const override;
  std::vector<std::string> claw_files(const std::string& dir) const override;
  std::unique_ptr<TreeWriter> write_tree(const std::string& dir, const std::vector<std::string>& inputs = {}) const override;
  std::expected<void, std::string> write_file(const std::string& path, std::string_view text) const override;
  /// Every file held, by path: for tests that read back a whole output tree.
  const std::map<std::string, std::string>& all() const { return files_; }

 protected:
  std::expected<std::string, ReadError> read_file(const std::string& path, size_t max_bytes) const override;

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
