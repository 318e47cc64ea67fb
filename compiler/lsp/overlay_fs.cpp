// OverlayFileSystem: open documents first, the disk below.
#include "compiler/lsp/overlay_fs.h"

#include <algorithm>

namespace claw::lsp {

bool OverlayFileSystem::is_directory(const std::string& path) const {
  if (base_.is_directory(path)) return true;
  // A folder holding only documents not yet saved is a folder all the same.
  std::string prefix = io::normalize_path(path);
  if (!prefix.ends_with('/')) prefix += '/';
  for (const auto& [doc, _] : docs_.all())
    if (doc.starts_with(prefix)) return true;
  return false;
}

bool OverlayFileSystem::exists(const std::string& path) const {
  return docs_.find(io::normalize_path(path)) != nullptr || base_.exists(path);
}

std::vector<std::string> OverlayFileSystem::claw_files(const std::string& dir) const {
  std::vector<std::string> files = base_.is_directory(dir) ? base_.claw_files(dir) : std::vector<std::string>{};
  std::string prefix = io::normalize_path(dir);
  if (!prefix.ends_with('/')) prefix += '/';
  for (const auto& [path, doc] : docs_.all()) {
    if (!path.starts_with(prefix) || !path.ends_with(".claw")) continue;
    if (std::ranges::find(files, path) == files.end()) files.push_back(path);
  }
  std::ranges::sort(files);
  return files;
}

std::unique_ptr<io::TreeWriter> OverlayFileSystem::write_tree(const std::string& dir,
                                                              const std::vector<std::string>& inputs) const {
  return base_.write_tree(dir, inputs);
}

std::expected<void, std::string> OverlayFileSystem::write_file(const std::string& path, std::string_view text) const {
  return base_.write_file(path, text);
}

std::expected<std::string, io::ReadError> OverlayFileSystem::read_file(const std::string& path, size_t max_bytes) const {
  if (const Document* doc = docs_.find(io::normalize_path(path))) {
    if (doc->text.size() > max_bytes) return std::unexpected(io::ReadError{io::ReadError::Kind::TooLarge, "it is too large", doc->text.size()});
    return doc->text;
  }
  return base_.read(path, max_bytes);
}

}  // namespace claw::lsp
