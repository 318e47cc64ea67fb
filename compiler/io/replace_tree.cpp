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
#include <set>
#include <string_view>
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

/// One thread's descriptor of the folder under `root` its current file is
/// in, reopened only when the folder changes: a thread's files are a run of
/// sorted paths, so mostly of one folder, and a tree of many folders never
/// holds many descriptors open.
class FolderAt {
 public:
  FolderAt(const fs::path& root, const std::vector<std::string>& folders) : root_(root), folders_(folders) {}
  /// The descriptor of folder `f`, or -1 when it cannot be opened.
  int get(size_t f) {
    if (f != current_) {
      fd_ = open_folder(AT_FDCWD, (root_ / folders_[f]).c_str());
      current_ = f;
    }
    return fd_.get();
  }

 private:
  const fs::path& root_;
  const std::vector<std::string>& folders_;
  size_t current_ = SIZE_MAX;
  Fd fd_;
};

/// The new tree's files, grouped by folder, so that each file costs one
/// system call on its folder's descriptor instead of a walk of its path.
struct Plan {
  struct File {
    const std::string* rel;   // the path relative to the tree's root
    const std::string* text;
    const char* name;         // the last component of *rel
    size_t folder;            // into `folders`
  };
  std::vector<std::string> folders;  // the folders that hold files, relative ("" is the root)
  std::vector<File> files;
  size_t all_folders = 0;            // every folder below the root, ancestors included
};

Plan plan(const std::map<std::string, std::string>& files) {
  Plan p;
  p.files.reserve(files.size());
  std::map<std::string_view, size_t> index;
  std::set<std::string_view> all;
  std::string_view last;
  size_t last_index = 0;
  for (const auto& [rel, text] : files) {
    size_t slash = rel.rfind('/');
    std::string_view folder = slash == std::string::npos ? std::string_view() : std::string_view(rel).substr(0, slash);
    // Paths are sorted, so a folder's files mostly come together.
    if (p.files.empty() || folder != last) {
      auto [it, added] = index.emplace(folder, p.folders.size());
      if (added) {
        p.folders.emplace_back(folder);
        for (size_t at = 0; !folder.empty(); at = folder.find('/', at) + 1) {
          size_t end = folder.find('/', at);
          all.insert(folder.substr(0, end));
          if (end == std::string_view::npos) break;
        }
      }
      last = folder;
      last_index = it->second;
    }
    p.files.push_back({&rel, &text, rel.c_str() + (slash == std::string::npos ? 0 : slash + 1), last_index});
  }
  p.all_folders = all.size();
  return p;
}

/// Whether `name` in the folder `dir` is a regular file holding exactly
/// `text`. `buf` is scratch space, reused from file to file.
bool same_file(int dir, const char* name, const std::string& text, std::vector<char>& buf) {
  Fd fd(::openat(dir, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
  struct stat st {};
  if (!fd || ::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode) || static_cast<size_t>(st.st_size) != text.size())
    return false;
  size_t got = 0;
  while (got < text.size()) {
    ssize_t n = ::read(fd.get(), buf.data(), std::min(buf.size(), text.size() - got));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0 || std::memcmp(buf.data(), text.data() + got, static_cast<size_t>(n)) != 0) return false;
    got += static_cast<size_t>(n);
  }
  return true;
}

/// Writes `text` to a new file `name` in the folder `dir`; false on any failure.
bool write_file(int dir, const char* name, const std::string& text) {
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

/// Whether the real folder (not a link to one) at `target` holds exactly
/// the planned files and folders, given that every planned file is there
/// byte for byte.
bool exactly(const std::string& target, const Plan& plan) {
  Fd root = open_folder(AT_FDCWD, target.c_str(), O_NOFOLLOW);
  size_t files = 0, folders = 0;
  return root && count_tree(root.get(), files, folders) && files == plan.files.size() && folders == plan.all_folders;
}

/// Which planned files `target` already holds byte for byte (none when it
/// is not a folder), on every core for large trees: reading is most of
/// the cost of a build whose output did not change.
std::vector<char> held(const fs::path& target, const Plan& p) {
  std::vector<char> same(p.files.size(), 0);
  std::error_code ec;
  if (!fs::is_directory(target, ec)) return same;
  parallel_ranges(p.files.size(), 256, [&](size_t begin, size_t end) {
    std::vector<char> buf(size_t{64} << 10);
    FolderAt previous(target, p.folders);
    for (size_t i = begin; i < end; ++i) {
      int folder = previous.get(p.files[i].folder);
      same[i] = folder >= 0 && same_file(folder, p.files[i].name, *p.files[i].text, buf);
    }
  });
  return same;
}

/// Writes the planned tree at `staging`: each folder once, then the files,
/// on every core for large trees (file creation is most of the cost); the
/// first failure wins. A file `target` already holds (`same`) is linked
/// from it instead of written: rebuilds then create (and delete) only what
/// changed, which is most of the cost on a real disk.
std::expected<void, std::string> stage(const fs::path& staging, const fs::path& target, const Plan& p,
                                       const std::vector<char>& same) {
  std::error_code ec;
  for (size_t f = 0; f <= p.folders.size(); ++f) {
    fs::path folder = f == p.folders.size() ? staging : staging / p.folders[f];
    fs::create_directories(folder, ec);
    if (ec) return std::unexpected(fmt::format("cannot create `{}`: {}", folder.string(), ec.message()));
  }
  std::atomic<size_t> failed{p.files.size()};
  parallel_ranges(p.files.size(), 256, [&](size_t begin, size_t end) {
    FolderAt previous(target, p.folders), staged(staging, p.folders);
    for (size_t i = begin; i < end && failed.load(std::memory_order_relaxed) == p.files.size(); ++i) {
      const Plan::File& file = p.files[i];
      int into = staged.get(file.folder);
      if (same[i] && ::linkat(previous.get(file.folder), file.name, into, file.name, 0) == 0) continue;
      if (into < 0 || !write_file(into, file.name, *file.text)) {
        size_t none = p.files.size();
        failed.compare_exchange_strong(none, i);
      }
    }
  });
  if (size_t f = failed.load(); f != p.files.size())
    return std::unexpected(fmt::format("cannot write `{}`", (target / *p.files[f].rel).string()));
  return {};
}

}  // namespace

std::expected<void, std::string> replace_tree_on_disk(const std::string& dir, const std::map<std::string, std::string>& files) {
  std::error_code ec;
  fs::path target(dir);
  fs::path parent = target.parent_path().empty() ? fs::path(".") : target.parent_path();
  fs::create_directories(parent, ec);
  if (ec) return std::unexpected(fmt::format("cannot create `{}`: {}", parent.string(), ec.message()));
  const Plan p = plan(files);
  const std::vector<char> same = held(target, p);
  // Nothing to do when the tree is already exactly what would be written.
  if (std::all_of(same.begin(), same.end(), [](char s) { return s != 0; }) && exactly(target.string(), p)) return {};

  // Stage beside the target (same filesystem, so the renames are atomic).
  std::string stem = target.filename().string();
  fs::path staging = parent / ("." + stem + ".claw-new-" + std::to_string(::getpid()));
  fs::path old = parent / ("." + stem + ".claw-old-" + std::to_string(::getpid()));
  fs::remove_all(staging, ec);
  if (auto staged = stage(staging, target, p, same); !staged) {
    fs::remove_all(staging, ec);
    return staged;
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

}  // namespace claw::io
