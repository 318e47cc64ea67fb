// The filesystem the server checks through: the open documents' text over
// the disk's, so that unsaved edits are what is checked.
#pragma once

#include <map>
#include <string>

#include "compiler/io/filesystem.h"
#include "compiler/lsp/documents.h"

namespace claw::lsp {

/// Reads an open document's text from `docs`, anything else from `base`;
/// lists open `*.claw` documents with the files on disk; writes to `base`.
class OverlayFileSystem final : public io::FileSystem {
 public:
  OverlayFileSystem(const io::FileSystem& base, const Documents& docs) : base_(base), docs_(docs) {}
  bool is_directory(const std::string& path) const override;
  bool exists(const std::string& path) const override;
  std::vector<std::string> claw_files(const std::string& dir) const override;
  std::unique_ptr<io::TreeWriter> write_tree(const std::string& dir, const std::vector<std::string>& inputs = {}) const override;
  std::expected<void, std::string> write_file(const std::string& path, std::string_view text) const override;

 protected:
  std::expected<std::string, io::ReadError> read_file(const std::string& path, size_t max_bytes) const override;

 private:
  const io::FileSystem& base_;
  const Documents& docs_;
};

}  // namespace claw::lsp
