#include "compiler/io/filesystem.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <mutex>
#include <system_error>
#include <vector>

#include "compiler/io/output_policy.h"
#include "compiler/io/parallel.h"
#include "compiler/io/replace_tree.h"

namespace claw::io {

namespace fs = std::filesystem;

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

std::expected<void, std::string> FileSystem::replace_tree(const std::string& dir,
                                                         const std::map<std::string, std::string>& files,
                                                         const std::vector<std::string>& inputs) const {
  std::unique_ptr<TreeWriter> tree = write_tree(dir, inputs);
  std::vector<const std::pair<const std::string, std::string>*> all;
  all.reserve(files.size());
  for (const auto& file : files) all.push_back(&file);
  parallel_ranges(all.size(), 256, [&](size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) tree->put(all[i]->first, all[i]->second);
  });
  auto done = tree->commit();
  if (!done) return std::unexpected(done.error());
  return {};
}

std::unique_ptr<TreeWriter> DiskFileSystem::write_tree(const std::string& dir, const std::vector<std::string>& inputs) const {
  return disk_tree_writer(dir, inputs);
}

namespace {

/// Collects the files, then swaps them in for everything under the folder,
/// by the same policy as the disk (paths are their own real paths here).
class MemoryTreeWriter final : public TreeWriter {
 public:
  MemoryTreeWriter(std::map<std::string, std::string>& files, std::string dir, std::vector<std::string> inputs)
      : files_(files), dir_(std::move(dir)), inputs_(std::move(inputs)) {}
  void put(std::string_view rel, std::string_view text) override {
    std::lock_guard lock(mu_);
    tree_.insert_or_assign(std::string(rel), std::string(text));
  }
  std::expected<Committed, std::string> commit() override {
    std::lock_guard lock(mu_);
    if (tree_.count(kMark)) return std::unexpected(fmt::format("cannot write `{}`: claw build keeps that name for its mark", kMark));
    const std::string path = normalize_path(dir_);
    const std::string prefix = path == "." ? "" : path + "/";
    TreeTarget target;
    target.real = path;
    for (const auto& in : inputs_) target.inputs.push_back({in, normalize_path(in)});
    // The tree's files: those under its folder (for `.`, every relative path).
    auto in_tree = [&](const std::string& p) { return p.starts_with(prefix) && (!prefix.empty() || !p.starts_with("/")); };
    for (const auto& [p, _] : files_)
      if (in_tree(p)) target.files.push_back(p.substr(prefix.size()));
    const bool folder = path == "." || !target.files.empty();
    target.kind = folder ? TreeTarget::Kind::Folder : files_.count(path) ? TreeTarget::Kind::Other : TreeTarget::Kind::Missing;
    if (auto mark = files_.find(prefix + kMark); mark != files_.end()) {
      target.marked = true;
      target.listed = parse_mark(mark->second);
    }
    if (auto why = why_not_replace(dir_, target)) return std::unexpected(*why);
    std::vector<std::string> paths;
    for (const auto& [rel, _] : tree_) paths.push_back(rel);
    tree_[kMark] = format_mark(std::move(paths));
    bool unchanged = target.files.size() == tree_.size();
    for (auto& [rel, text] : tree_) {
      if (!unchanged) break;
      auto old = files_.find(prefix + rel);
      unchanged = old != files_.end() && old->second == text;
    }
    for (auto it = files_.begin(); it != files_.end();) it = in_tree(it->first) ? files_.erase(it) : std::next(it);
    for (auto& [rel, text] : tree_) files_[prefix + rel] = std::move(text);
    const size_t n = tree_.size();
    tree_.clear();
    return Committed{n, unchanged};
  }

 private:
  std::map<std::string, std::string>& files_;
  std::string dir_;
  std::vector<std::string> inputs_;
  std::mutex mu_;
  std::map<std::string, std::string> tree_;
};

}  // namespace

std::unique_ptr<TreeWriter> MemoryFileSystem::write_tree(const std::string& dir, const std::vector<std::string>& inputs) const {
  return std::make_unique<MemoryTreeWriter>(files_, dir, inputs);
}

std::expected<std::string, ReadError> MemoryFileSystem::read_file(const std::string& path, size_t max_bytes) const {
  auto it = files_.find(normalize_path(path));
  if (it == files_.end()) {
    if (is_directory(path)) return std::unexpected(ReadError{ReadError::Kind::NotRegular, "it is a folder, not a file"});
    return std::unexpected(ReadError{ReadError::Kind::Failed, "No such file or directory"});
  }
  if (it->second.size() > max_bytes)
    return std::unexpected(ReadError{ReadError::Kind::TooLarge, "it is larger than the cap", it->second.size()});
  return it->second;
}

bool MemoryFileSystem::is_directory(const std::string& path) const {
  std::string p = normalize_path(path);
  std::string prefix = p == "." ? "" : p + "/";
  // The files under it, if any, sort right from the prefix on: one lookup,
  // not a scan, as a program of many imports asks this once per import.
  auto it = files_.lower_bound(prefix);
  return it != files_.end() && it->first.starts_with(prefix);
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
