#include "compiler/io/filesystem.h"
#include "compiler/io/parallel.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <set>
#include <system_error>
#include <vector>

#include <fmt/format.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace claw::io {

namespace fs = std::filesystem;

std::expected<std::string, std::string> DiskFileSystem::read(const std::string& path) const {
  std::error_code ec;
  if (fs::is_directory(path, ec)) return std::unexpected("it is a directory");
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::unexpected(std::error_code(errno, std::generic_category()).message());
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return std::unexpected("read error");
  return ss.str();
}

bool DiskFileSystem::is_directory(const std::string& path) const {
  std::error_code ec;
  return fs::is_directory(path, ec);
}

bool DiskFileSystem::exists(const std::string& path) const {
  std::error_code ec;
  return fs::exists(path, ec);
}

std::vector<std::string> DiskFileSystem::claw_files(const std::string& dir) const {
  std::vector<std::string> out;
  std::error_code ec;
  auto it = fs::recursive_directory_iterator(dir, fs::directory_options::skip_permission_denied, ec);
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    // Hidden folders (.git, editor state) are not part of a program.
    auto name = it->path().filename().string();
    if (!name.empty() && name[0] == '.' && it->is_directory(ec)) {
      it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file(ec) && it->path().extension() == ".claw") out.push_back(normalize_path(it->path().string()));
  }
  std::sort(out.begin(), out.end());
  return out;
}

namespace {

/// Writes `text` to a new file at `path`; false on any failure.
bool write_file(const std::string& path, const std::string& text) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return false;
  const char* p = text.data();
  size_t left = text.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ::close(fd);
      return false;
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  return ::close(fd) == 0;
}

/// Whether `path` is a regular file holding exactly `text`.
bool same_file(const std::string& path, const std::string& text) {
  int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return false;
  struct stat st {};
  bool same = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && static_cast<size_t>(st.st_size) == text.size();
  std::string buf(same ? text.size() : 0, '\0');
  size_t got = 0;
  while (same && got < buf.size()) {
    ssize_t n = ::read(fd, buf.data() + got, buf.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) same = false;
    else got += static_cast<size_t>(n);
  }
  ::close(fd);
  return same && buf == text;
}

}  // namespace

std::expected<void, std::string> DiskFileSystem::replace_tree(const std::string& dir,
                                                             const std::map<std::string, std::string>& files) const {
  std::error_code ec;
  fs::path target(dir);
  fs::path parent = target.parent_path().empty() ? fs::path(".") : target.parent_path();
  fs::create_directories(parent, ec);
  if (ec) return std::unexpected(fmt::format("cannot create `{}`: {}", parent.string(), ec.message()));
  // Stage beside the target (same filesystem, so the renames are atomic).
  std::string stem = target.filename().string();
  fs::path staging = parent / ("." + stem + ".claw-new-" + std::to_string(::getpid()));
  fs::path old = parent / ("." + stem + ".claw-old-" + std::to_string(::getpid()));
  fs::remove_all(staging, ec);
  // Each folder once, then the files, on every core for large trees (file
  // creation is most of the cost); the first failure wins.
  std::set<fs::path> dirs{staging};
  for (const auto& [rel, text] : files) dirs.insert((staging / rel).parent_path());
  for (const auto& d : dirs) {
    fs::create_directories(d, ec);
    if (ec) {
      fs::remove_all(staging, ec);
      return std::unexpected(fmt::format("cannot create `{}`: {}", d.string(), ec.message()));
    }
  }
  std::vector<const std::pair<const std::string, std::string>*> entries;
  entries.reserve(files.size());
  for (const auto& e : files) entries.push_back(&e);
  // A file the previous tree already holds, byte for byte, is linked into
  // the new one instead of written: rebuilds then create (and delete) only
  // what changed, which is most of the cost on a real disk.
  bool had_tree = fs::is_directory(target, ec);
  std::atomic<size_t> failed{entries.size()};
  auto write_range = [&](size_t begin, size_t end) {
    for (size_t i = begin; i < end && failed.load(std::memory_order_relaxed) == entries.size(); ++i) {
      std::string staged = (staging / entries[i]->first).string();
      if (had_tree) {
        std::string previous = (target / entries[i]->first).string();
        if (same_file(previous, entries[i]->second) && ::link(previous.c_str(), staged.c_str()) == 0) continue;
      }
      if (!write_file(staged, entries[i]->second)) {
        size_t none = entries.size();
        failed.compare_exchange_strong(none, i);
      }
    }
  };
  parallel_ranges(entries.size(), 256, write_range);
  if (size_t f = failed.load(); f != entries.size()) {
    fs::remove_all(staging, ec);
    return std::unexpected(fmt::format("cannot write `{}`", (target / entries[f]->first).string()));
  }
  bool had = fs::exists(target, ec);
  if (had) {
    fs::rename(target, old, ec);
    if (ec) {
      fs::remove_all(staging, ec);
      return std::unexpected(fmt::format("cannot replace `{}`: {}", dir, ec.message()));
    }
  }
  fs::rename(staging, target, ec);
  if (ec) {
    std::string why = ec.message();
    if (had) fs::rename(old, target, ec);  // put the old tree back
    fs::remove_all(staging, ec);
    return std::unexpected(fmt::format("cannot replace `{}`: {}", dir, why));
  }
  if (had) fs::remove_all(old, ec);
  return {};
}

std::expected<void, std::string> MemoryFileSystem::replace_tree(const std::string& dir,
                                                               const std::map<std::string, std::string>& files) const {
  std::string prefix = normalize_path(dir) + "/";
  for (auto it = files_.begin(); it != files_.end();) it = it->first.starts_with(prefix) ? files_.erase(it) : std::next(it);
  for (const auto& [rel, text] : files) files_[prefix + rel] = text;
  return {};
}

std::expected<std::string, std::string> MemoryFileSystem::read(const std::string& path) const {
  auto it = files_.find(normalize_path(path));
  if (it == files_.end()) return std::unexpected("No such file or directory");
  return it->second;
}

bool MemoryFileSystem::is_directory(const std::string& path) const {
  std::string p = normalize_path(path);
  std::string prefix = p == "." ? "" : p + "/";
  for (const auto& [k, _] : files_)
    if (k.starts_with(prefix) && k != p) return true;
  return false;
}

bool MemoryFileSystem::exists(const std::string& path) const {
  return files_.count(normalize_path(path)) || is_directory(path);
}

std::vector<std::string> MemoryFileSystem::claw_files(const std::string& dir) const {
  std::string p = normalize_path(dir);
  std::string prefix = p == "." ? "" : p + "/";
  std::vector<std::string> out;
  for (const auto& [k, _] : files_)
    if (k.starts_with(prefix) && k.ends_with(".claw")) out.push_back(k);
  return out;
}

std::string normalize_path(const std::string& path) {
  bool absolute = !path.empty() && path[0] == '/';
  std::vector<std::string> parts;
  std::string cur;
  auto flush = [&]() {
    if (cur.empty() || cur == ".") {
    } else if (cur == ".." && !parts.empty() && parts.back() != "..") {
      parts.pop_back();
    } else if (!(cur == ".." && absolute)) {
      parts.push_back(cur);
    }
    cur.clear();
  };
  for (char c : path) {
    if (c == '/') flush();
    else cur.push_back(c);
  }
  flush();
  std::string out = absolute ? "/" : "";
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? "/" : "") + parts[i];
  return out.empty() ? "." : out;
}

std::string parent_dir(const std::string& path) {
  auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

std::string join_path(const std::string& base, const std::string& rel) {
  if (!rel.empty() && rel[0] == '/') return normalize_path(rel);
  return normalize_path(base + "/" + rel);
}

}  // namespace claw::io
