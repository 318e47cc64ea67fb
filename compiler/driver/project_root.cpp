#include "compiler/driver/project_root.h"

#include <algorithm>

namespace claw::driver {
namespace {

std::vector<std::string> parts_of(const std::string& path) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string::npos) slash = path.size();
    std::string part = path.substr(start, slash - start);
    if (!part.empty() && part != ".") out.push_back(std::move(part));
    start = slash + 1;
  }
  return out;
}

}  // namespace

std::string project_root(const io::FileSystem& fs, const std::vector<std::string>& paths) {
  if (paths.empty()) return ".";
  std::vector<std::string> folders;
  for (const auto& p : paths) {
    std::string n = io::normalize_path(p);
    folders.push_back(fs.is_directory(n) ? n : io::parent_dir(n));
  }
  const bool absolute = folders.front().starts_with('/');
  // Absolute and relative paths mixed have no common folder in words: the first's.
  if (std::any_of(folders.begin(), folders.end(), [&](const std::string& f) { return f.starts_with('/') != absolute; }))
    return folders.front();
  std::vector<std::string> common = parts_of(folders.front());
  for (size_t i = 1; i < folders.size(); ++i) {
    auto parts = parts_of(folders[i]);
    size_t n = 0;
    while (n < common.size() && n < parts.size() && common[n] == parts[n]) ++n;
    common.resize(n);
  }
  std::string out = absolute ? "/" : "";
  for (const auto& part : common) out += (out.empty() || out == "/" ? "" : "/") + part;
  return out.empty() ? "." : out;
}

}  // namespace claw::driver
