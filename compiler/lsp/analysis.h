// One check of the workspace as the server sees it, and the conversions
// between its spans and the protocol's locations.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "compiler/driver/compile.h"
#include "compiler/lsp/documents.h"
#include "compiler/lsp/position.h"

namespace claw::lsp {

/// A checked workspace: the compilation (with sema's index) and where each
/// of its files is on disk.
class Analysis {
 public:
  Analysis(driver::Compiled compiled, const std::string& stdlib_dir, Encoding enc);

  const driver::Compiled& compiled() const { return compiled_; }
  /// The compilation, for the next analysis to take over (analyze).
  driver::Compiled& compiled() { return compiled_; }
  const sema::Index& index() const { return compiled_.checked->index; }
  const source::SourceManager& sources() const { return compiled_.project->sources; }
  /// The file loaded from absolute `path`, if any.
  std::optional<source::FileId> file(const std::string& path) const;
  /// The absolute path of a file (a stdlib file's where the stdlib is).
  const std::string& path(source::FileId file) const { return paths_[file.value]; }
  /// The byte offset of a protocol position in a file.
  uint32_t offset(source::FileId file, Position p) const;
  /// A span as an LSP Range in the negotiated encoding.
  nlohmann::json range(source::Span span) const;
  /// A span as an LSP Location (uri and range).
  nlohmann::json location(source::Span span) const;
  Encoding encoding() const { return enc_; }

 private:
  const LineMap& lines(source::FileId file) const;
  driver::Compiled compiled_;
  Encoding enc_;
  std::vector<std::string> paths_;
  std::map<std::string, source::FileId> by_path_;
  mutable std::vector<std::unique_ptr<LineMap>> lines_;
};

/// Checks the workspace: every `*.claw` file under `roots` and every open
/// document (open documents override the disk), with sema's index; files
/// unchanged since the last check are not parsed again (`cache`), and what
/// an edit cannot change is taken over from `previous` (the last analysis,
/// with the same cache; consumed).
std::unique_ptr<Analysis> analyze(const io::FileSystem& disk, const Documents& docs, const std::vector<std::string>& roots,
                                  const driver::Environment& env, Encoding enc, project::ParseCache& cache,
                                  Analysis* previous = nullptr);

}  // namespace claw::lsp
