// Source files, byte spans and line/column lookup: the coordinates every
// diagnostic and every emitted object's provenance is expressed in.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace claw::source {

/// Index of a file in a SourceManager; stable for the manager's lifetime.
struct FileId {
  uint32_t value = UINT32_MAX;
  bool valid() const { return value != UINT32_MAX; }
  friend bool operator==(FileId, FileId) = default;
};

/// A half-open byte range [begin, end) in one file.
struct Span {
  FileId file;
  uint32_t begin = 0;
  uint32_t end = 0;
  bool valid() const { return file.valid(); }
  friend bool operator==(const Span&, const Span&) = default;
};

/// Joins two spans of the same file into the smallest span covering both.
Span join(Span a, Span b);

/// A 1-based line and a 1-based column counted in Unicode code points.
struct LineCol {
  uint32_t line = 1;
  uint32_t column = 1;
};

/// One loaded file: its display path and its bytes, which outlive every
/// token, tree node and value that views into them.
class SourceFile {
 public:
  SourceFile(std::string path, std::string text);

  const std::string& path() const { return path_; }
  std::string_view text() const { return text_; }
  /// Line and column of a byte offset (clamped to the file).
  LineCol line_col(uint32_t offset) const;
  /// The 1-based line of a byte offset (clamped to the file), without the
  /// column's count of code points.
  uint32_t line_of(uint32_t offset) const;
  /// The text of a 1-based line, without its line terminator.
  std::string_view line_text(uint32_t line) const;
  uint32_t line_count() const { return static_cast<uint32_t>(line_starts_.size()); }

 private:
  std::string path_;
  std::string text_;
  std::vector<uint32_t> line_starts_;
  friend class SourceManager;
};

/// Owns every file of one compilation; files are never removed. A file may
/// be shared with another manager (a later compilation of the same files,
/// see project::ParseCache), which keeps its id there too.
class SourceManager {
 public:
  FileId add(std::string path, std::string text);
  /// Adds a file without text at `id`, a slot no file holds yet (the slots
  /// below it that no file holds stay empty files), so that a file keeps its
  /// id from one compilation to the next.
  void add_at(FileId id, std::string path);
  /// Gives a file added without text its text, before anything reads the
  /// file; safe from several threads at once for different files.
  void fill(FileId id, std::string text);
  /// Gives a file added without text the text and path of `shared` (another
  /// compilation's), whose text the trees made from it view; safe from
  /// several threads at once for different files.
  void share(FileId id, std::shared_ptr<const SourceFile> shared);
  /// The file at `id`, to share with a later compilation.
  std::shared_ptr<const SourceFile> shared(FileId id) const { return files_[id.value]; }
  const SourceFile& file(FileId id) const { return *files_[id.value]; }
  size_t size() const { return files_.size(); }
  std::string_view text(Span span) const;

 private:
  std::vector<std::shared_ptr<const SourceFile>> files_;
};

}  // namespace claw::source
