// The documents the client has open: their text as the editor holds it,
// which overrides what the disk holds, and their versions.
#pragma once

#include <cstdint>
#include <expected>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "compiler/lsp/position.h"

namespace claw::lsp {

struct Document {
  std::string text;
  int64_t version = 0;
};

/// Open documents by absolute path.
class Documents {
 public:
  /// Opens (or reopens) the document at `path` with its text.
  void open(const std::string& path, std::string text, int64_t version);
  /// Applies `didChange`'s contentChanges in order: a change with a `range`
  /// replaces that range (positions in `enc`), one without replaces the whole
  /// text. An error names what was wrong; the document is then unchanged.
  std::expected<void, std::string> change(const std::string& path, const nlohmann::json& changes, int64_t version,
                                          Encoding enc);
  void close(const std::string& path);
  const Document* find(const std::string& path) const;
  /// Every open document's text by path: the overlay over the disk.
  const std::map<std::string, Document>& all() const { return docs_; }

 private:
  std::map<std::string, Document> docs_;
};

}  // namespace claw::lsp
