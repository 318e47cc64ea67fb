#include "compiler/io/replace_tree.h"

#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <memory>
#include <mutex>
#include <set>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "compiler/io/parallel.h"

namespace claw::io {
namespace {

namespace fs = std::filesystem;

/// An open file descriptor, closed when it goes out of scope.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
  Fd& operator=(Fd&& o) noexcept {
    if (this != &o) {
      close();
      fd_ = std::exchange(o.fd_, -1);
    }
    return *this;
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { close(); }

  int get() const { return fd_; }
  explicit operator bool() const { return fd_ >= 0; }
  /// Closes it now; false when closing reports an error (a write that failed late).
  bool close() { return fd_ < 0 || ::close(std::exchange(fd_, -1)) == 0; }
  /// Gives up ownership.
  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_ = -1;
};

Fd open_folder(int at, const char* path, int flags = 0) {
  return Fd(::openat(at, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC | flags));
}

/// Whether `name` in the folder `dir` is a regular file holding exactly
/// `text`.
bool same_file(int dir, const char* name, std::string_view text) {
  Fd fd(::openat(dir, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
  struct stat st {};
  if (!fd || ::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode) || static_cast<size_t>(st.st_size) != text.size())
    return false;
  char buf[16384];
  size_t got = 0;
  while (got < text.size()) {
    ssize_t n = ::read(fd.get(), buf, std::min(sizeof buf, text.size() - got));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0 || std::memcmp(buf, text.data() + got, static_cast<size_t>(n)) != 0) return false;
    got += static_cast<size_t>(n);
  }
  return true;
}

/// Writes `text` to a new file `name` in the folder `dir`; false on any failure.
bool write_file(int dir, const char* name, std::string_view text) {
  Fd fd(::openat(dir, name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (!fd) return false;
  const char* p = text.data();
  size_t left = text.size();
  while (left > 0) {
    ssize_t n = ::write(fd.get(), p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    p += n;
    left -= static_cast<size_t>(n);
  }
  return fd.close();
}

/// Counts the regular files and folders below the folder `dir`; false when
/// it holds anything else (a symbolic link, a socket) or cannot be read.
bool count_tree(int dir, size_t& files, size_t& folders) {
  Fd own = open_folder(dir, ".");
  DIR* d = own ? ::fdopendir(own.get()) : nullptr;
  if (!d) return false;
  (void)own.release();  // the DIR owns it now
  bool ok = true;
  while (dirent* e = ::readdir(d)) {
    if (std::strcmp(e->d_name, ".") == 0 || std::strcmp(e->d_name, "..") == 0) continue;
    unsigned char type = e->d_type;
    if (type == DT_UNKNOWN) {
      struct stat st {};
      if (::fstatat(::dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) type = DT_UNKNOWN;
      else type = S_ISREG(st.st_mode) ? DT_REG : S_ISDIR(st.st_mode) ? DT_DIR : DT_UNKNOWN;
    }
    if (type == DT_REG) {
      ++files;
    } else if (type == DT_DIR) {
      ++folders;
      Fd sub = open_folder(::dirfd(d), e->d_name, O_NOFOLLOW);
      ok = sub && count_tree(sub.get(), files, folders);
    } else {
      ok = false;
    }
    if (!ok) break;
  }
  ::closedir(d);
  return ok;
}

/// Whether `rel` is a path the writer may create: relative, with no empty,
/// `.` or `..` component.
bool sound_path(std::string_view rel) {
  if (rel.empty() || rel.front() == '/') return false;
  for (size_t at = 0;;) {
    size_t end = rel.find('/', at);
    std::string_view part = rel.substr(at, end == std::string_view::npos ? std::string_view::npos : end - at);
    if (part.empty() || part == "." || part == "..") return false;
    if (end == std::string_view::npos) return true;
    at = end + 1;
  }
}

class DiskTreeWriter final : public TreeWriter {
 public:
  explicit DiskTreeWriter(const std::string& dir) : target_(dir) {
    parent_ = target_.parent_path().empty() ? fs::path(".") : target_.parent_path();
    std::string stem = target_.filename().string();
    staging_ = parent_ / ("." + stem + ".claw-new-" + std::to_string(::getpid()));
    old_ = parent_ / ("." + stem + ".claw-old-" + std::to_string(::getpid()));
    // Read through a link: the old tree's files are only compared and linked.
    old_root_ = open_folder(AT_FDCWD, target_.c_str());
    files_.reserve(1024);
    std::error_code ec;
    TreeTarget t;
    t.exists = fs::exists(fs::symlink_status(target_, ec));
    t.is_directory = t.exists && fs::is_directory(target_, ec);
    if (t.is_directory) {
      t.empty = fs::is_empty(target_, ec) && !ec;
      t.marked = fs::exists(target_ / kMark, ec) || fs::exists(target_ / kEarlierMark, ec);
    }
    if (auto why = why_not_replace(dir, t)) fail(std::move(*why));
  }
  DiskTreeWriter(const DiskTreeWriter&) = delete;
  DiskTreeWriter& operator=(const DiskTreeWriter&) = delete;

  ~DiskTreeWriter() override {
    folders_.clear();  // descriptors into the staging folder, closed before it goes
    staging_root_.close();
    if (staged_) {
      std::error_code ec;
      fs::remove_all(staging_, ec);
    }
  }

  void put(std::string_view rel, std::string_view text) override {
    if (failed_.load(std::memory_order_relaxed)) return;
    if (!sound_path(rel)) return fail(fmt::format("cannot write `{}`: not a relative path", (target_ / rel).string()));
    const size_t slash = rel.rfind('/');
    const std::string_view folder = slash == std::string_view::npos ? std::string_view() : rel.substr(0, slash);
    const std::string path(rel);
    // Within a folder whose descriptors are kept, a file is named by its
    // last component; otherwise by its whole path from the tree's root.
    const char* name = path.c_str() + (slash == std::string_view::npos ? 0 : slash + 1);
    int old = -1;
    bool again = false;
    Folder* f = nullptr;
    {
      std::lock_guard lock(mu_);
      again = !files_.try_emplace(path, false).second;
      f = &folder_of(folder);
      old = f->kept ? f->old.get() : old_root_.get();
    }
    const char* old_name = f->kept ? name : path.c_str();
    // A file put again may have been noted as unchanged: it is written in any case.
    if (!again && old >= 0 && same_file(old, old_name, text)) {
      std::lock_guard lock(mu_);
      files_[path] = true;
      return;
    }
    int into = -1;
    {
      std::lock_guard lock(mu_);
      files_[path] = false;
      if (made(folder, *f)) into = f->kept ? f->staged.get() : staging_root_.get();
    }
    if (into < 0 || !write_file(into, f->kept ? name : path.c_str(), text))
      return fail(fmt::format("cannot write `{}`: {}", (target_ / rel).string(), std::strerror(errno)));
  }

  std::expected<size_t, std::string> commit() override {
    put(kMark, kMarkText);
    std::lock_guard lock(mu_);
    if (failed_) return std::unexpected(error_);
    size_t unchanged = 0;
    std::set<std::string_view> all_folders;  // every folder below the root, ancestors included
    for (const auto& [rel, same] : files_) {
      unchanged += same;
      size_t slash = rel.rfind('/');
      if (slash == std::string::npos) continue;
      std::string_view folder = std::string_view(rel).substr(0, slash);
      for (size_t at = 0;; at = folder.find('/', at) + 1) {
        size_t end = folder.find('/', at);
        all_folders.insert(folder.substr(0, end));
        if (end == std::string_view::npos) break;
      }
    }
    // Nothing to do when the tree is already exactly what would be written.
    if (unchanged == files_.size() && old_root_ && exactly(all_folders.size())) return files_.size();
    if (auto linked = link_unchanged(); !linked) return std::unexpected(linked.error());
    folders_.clear();
    staging_root_.close();
    std::error_code ec;
    const bool had = fs::exists(fs::symlink_status(target_, ec));
    if (had) {
      fs::rename(target_, old_, ec);
      if (ec) return std::unexpected(fmt::format("cannot replace `{}`: {}", target_.string(), ec.message()));
    }
    fs::rename(staging_, target_, ec);
    if (ec) {
      std::string why = ec.message();
      if (had) fs::rename(old_, target_, ec);  // put the old tree back
      return std::unexpected(fmt::format("cannot replace `{}`: {}", target_.string(), why));
    }
    staged_ = false;
    old_root_.close();
    if (had) fs::remove_all(old_, ec);
    return files_.size();
  }

 private:
  /// The descriptors of the first folders put into are kept open (a tree
  /// has few folders and many files); past this many, files are named by
  /// their paths from the roots instead, so a tree of thousands of folders
  /// never runs out of descriptors.
  static constexpr size_t kKeptFolders = 64;

  /// A folder of the tree: whether it was made in the staging folder, and
  /// when its descriptors are kept, its descriptor in the old tree (-1 when
  /// it has none) and in the staging folder (once made).
  struct Folder {
    bool kept = false;
    bool made = false;
    Fd old;
    Fd staged;
  };

  void fail(std::string why) {
    std::lock_guard lock(mu_);
    if (!failed_.exchange(true)) error_ = std::move(why);
  }

  /// The folder `folder` of the tree ("" is its root). Called with `mu_` held.
  Folder& folder_of(std::string_view folder) {
    auto [it, added] = folders_.try_emplace(std::string(folder));
    if (added && folders_.size() <= kKeptFolders) {
      it->second.kept = true;
      if (old_root_) it->second.old = open_folder(old_root_.get(), folder.empty() ? "." : it->first.c_str());
    }
    return it->second;
  }

  /// Makes `folder` in the staging folder, and the staging folder itself
  /// before the first file goes into it; false when that fails. Called
  /// with `mu_` held.
  bool made(std::string_view folder, Folder& f) {
    if (f.made) return true;
    if (!staged_ && !make_staging()) return false;
    if (!folder.empty()) {
      std::error_code ec;
      fs::create_directories(staging_ / folder, ec);
      if (ec) return false;
    }
    if (f.kept) {
      f.staged = open_folder(staging_root_.get(), folder.empty() ? "." : std::string(folder).c_str());
      if (!f.staged) return false;
    }
    f.made = true;
    return true;
  }

  bool make_staging() {
    std::error_code ec;
    fs::create_directories(parent_, ec);
    if (ec) return false;
    fs::remove_all(staging_, ec);  // left by an earlier run that was killed
    if (!fs::create_directory(staging_, ec)) return false;
    staged_ = true;
    staging_root_ = open_folder(AT_FDCWD, staging_.c_str(), O_NOFOLLOW);
    return bool(staging_root_);
  }

  /// Whether the real folder (not a link to one) at the target holds
  /// exactly the files put and `folders` folders, given that every file
  /// put is there byte for byte.
  bool exactly(size_t folders) const {
    Fd root = open_folder(AT_FDCWD, target_.c_str(), O_NOFOLLOW);
    size_t files = 0, found = 0;
    return root && count_tree(root.get(), files, found) && files == files_.size() && found == folders;
  }

  /// Stages the files the old tree holds unchanged as links to them (on
  /// every core for large trees), and makes the staging folder even when
  /// the tree is empty. Called with `mu_` held.
  std::expected<void, std::string> link_unchanged() {
    if (!staged_ && !make_staging())
      return std::unexpected(fmt::format("cannot write `{}`: {}", target_.string(), std::strerror(errno)));
    std::vector<const std::string*> links;
    for (const auto& [rel, same] : files_) {
      if (!same) continue;
      size_t slash = rel.rfind('/');
      std::string_view folder = slash == std::string::npos ? std::string_view() : std::string_view(rel).substr(0, slash);
      if (!made(folder, folders_.find(std::string(folder))->second))
        return std::unexpected(fmt::format("cannot write `{}`", (target_ / rel).string()));
      links.push_back(&rel);
    }
    std::atomic<size_t> failed{links.size()};
    parallel_ranges(links.size(), 256, [&](size_t begin, size_t end) {
      for (size_t i = begin; i < end; ++i) {
        if (::linkat(old_root_.get(), links[i]->c_str(), staging_root_.get(), links[i]->c_str(), 0) == 0) continue;
        size_t none = links.size();
        failed.compare_exchange_strong(none, i);
      }
    });
    if (size_t f = failed.load(); f != links.size())
      return std::unexpected(fmt::format("cannot write `{}`", (target_ / *links[f]).string()));
    return {};
  }

  fs::path target_, parent_, staging_, old_;
  Fd old_root_, staging_root_;
  std::mutex mu_;
  std::atomic<bool> failed_{false};
  std::string error_;
  bool staged_ = false;                                // the staging folder exists
  std::unordered_map<std::string, bool> files_;        // every path put → whether the old tree holds it unchanged
  std::unordered_map<std::string, Folder> folders_;    // by path relative to the tree's root
};

}  // namespace

std::unique_ptr<TreeWriter> disk_tree_writer(const std::string& dir) { return std::make_unique<DiskTreeWriter>(dir); }

}  // namespace claw::io
