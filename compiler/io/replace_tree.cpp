#include "compiler/io/replace_tree.h"

#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "compiler/io/interrupt.h"
#include "compiler/io/output_mark.h"
#include "compiler/io/output_policy.h"
#include "compiler/io/parallel.h"
#include "compiler/io/real_path.h"
#include "compiler/io/staging.h"

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
  // O_NONBLOCK: a pipe at the path must not stall the build.
  Fd fd(::openat(dir, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK));
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

/// Reads a small regular file `name` in the folder `dir` (no link
/// followed), or nothing.
std::optional<std::string> read_at(int dir, const char* name) {
  constexpr size_t kMax = size_t{1} << 28;  // a mark of millions of paths
  Fd fd(::openat(dir, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK));
  struct stat st {};
  if (!fd || ::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode) || static_cast<size_t>(st.st_size) > kMax)
    return std::nullopt;
  std::string text(static_cast<size_t>(st.st_size), '\0');
  size_t got = 0;
  while (got < text.size()) {
    ssize_t n = ::read(fd.get(), text.data() + got, text.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<size_t>(n);
  }
  text.resize(got);
  return text;
}

/// Lists every entry below the folder `dir` into `t`: folders into
/// `t.folders`, anything else into `t.files`, by path from the tree's root
/// (`prefix`). Returns 0, or the errno of a folder it could not read, whose
/// path is then `failed`.
int scan_tree(int dir, const std::string& prefix, TreeTarget& t, std::string& failed) {
  Fd own = open_folder(dir, ".");
  DIR* d = own ? ::fdopendir(own.get()) : nullptr;
  if (!d) {
    failed = prefix;
    return errno;
  }
  (void)own.release();  // the DIR owns it now
  int err = 0;
  while (dirent* e = ::readdir(d)) {
    if (std::strcmp(e->d_name, ".") == 0 || std::strcmp(e->d_name, "..") == 0) continue;
    const std::string rel = prefix + e->d_name;
    unsigned char type = e->d_type;
    if (type == DT_UNKNOWN) {
      struct stat st {};
      type = ::fstatat(::dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode) ? DT_DIR : DT_REG;
    }
    if (type != DT_DIR) {
      t.files.push_back(rel);
      continue;
    }
    t.folders.push_back(rel);
    Fd sub = open_folder(::dirfd(d), e->d_name, O_NOFOLLOW);
    if (!sub) {
      failed = rel;
      err = errno;
    } else {
      err = scan_tree(sub.get(), rel + "/", t, failed);
    }
    if (err) break;
  }
  ::closedir(d);
  return err;
}

/// The inputs' real paths: where each lies (its folder's real path and its
/// name) and, for a link, where it leads. A folder's real path is looked up
/// once, however many inputs it holds.
std::vector<TreeInput> resolve_inputs(const std::vector<std::string>& inputs) {
  std::vector<TreeInput> out;
  std::unordered_map<std::string, std::string> folders;
  for (const auto& in : inputs) {
    const fs::path path(in);
    const std::string name = path.filename().string();
    std::string folder = path.parent_path().string();
    auto [it, added] = folders.try_emplace(folder);
    if (added) {
      auto real = real_path(folder.empty() ? "." : folder);
      if (real) it->second = *real;
    }
    if (!it->second.empty()) {
      out.push_back({in, name.empty() || name == "." || name == ".." ? normalize_path(it->second + "/" + name)
                                                                     : (it->second == "/" ? "" : it->second) + "/" + name});
    }
    struct stat st {};
    if (::lstat(in.c_str(), &st) == 0 && S_ISLNK(st.st_mode))
      if (auto real = real_path(in)) out.push_back({in, *real});
  }
  return out;
}

class DiskTreeWriter final : public TreeWriter, public Abandonable {
 public:
  DiskTreeWriter(const std::string& dir, const std::vector<std::string>& inputs) : name_(dir) {
    files_.reserve(1024);
    register_abandonable(this);
    if (auto why = open_target(inputs)) fail(std::move(*why));
  }
  DiskTreeWriter(const DiskTreeWriter&) = delete;
  DiskTreeWriter& operator=(const DiskTreeWriter&) = delete;

  ~DiskTreeWriter() override {
    unregister_abandonable(this);
    folders_.clear();  // descriptors into the staging folder, closed before it goes
    staging_root_.close();
    if (staged_) {
      std::error_code ec;
      fs::remove_all(staging_, ec);
    }
  }

  void abandon() override {
    // A commit in progress is let finish (the folder is then whole); one
    // stuck past this long leaves its staging folder to the next build.
    std::unique_lock lock(mu_, std::chrono::seconds(2));
    if (!lock.owns_lock()) return;
    if (!failed_.exchange(true)) error_ = "the build was interrupted";
    // Descriptors stay open for the threads still writing: files cannot be
    // made in a folder that is gone, so none comes back.
    for (int i = 0; i < 10 && staged_; ++i) {
      std::error_code ec;
      fs::remove_all(staging_, ec);
      staged_ = fs::exists(fs::symlink_status(staging_, ec));
    }
  }

  void put(std::string_view rel, std::string_view text) override {
    if (failed_.load(std::memory_order_relaxed)) return;
    if (!sound_path(rel)) return fail(fmt::format("cannot write `{}`: not a relative path", shown(rel)));
    if (rel == kMark) return fail(fmt::format("cannot write `{}`: claw build keeps that name for its mark", shown(rel)));
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
    int err = 0;
    {
      std::lock_guard lock(mu_);
      files_[path] = false;
      err = made(folder, *f);
      if (!err) into = f->kept ? f->staged.get() : staging_root_.get();
    }
    if (!err && !write_file(into, f->kept ? name : path.c_str(), text)) err = errno;
    if (err) return fail(fmt::format("cannot write `{}`: {}", shown(rel), reason(err)));
  }

  std::expected<Committed, std::string> commit() override {
    std::lock_guard lock(mu_);
    if (failed_) return std::unexpected(error_);
    size_t unchanged = 0;
    std::vector<std::string> paths;
    paths.reserve(files_.size());
    std::set<std::string_view> all_folders;  // every folder below the root, ancestors included
    for (const auto& [rel, same] : files_) {
      unchanged += same;
      paths.push_back(rel);
      size_t slash = rel.rfind('/');
      if (slash == std::string::npos) continue;
      std::string_view folder = std::string_view(rel).substr(0, slash);
      for (size_t at = 0;; at = folder.find('/', at) + 1) {
        size_t end = folder.find('/', at);
        all_folders.insert(folder.substr(0, end));
        if (end == std::string_view::npos) break;
      }
    }
    const std::string mark = format_mark(std::move(paths));
    const size_t written = files_.size() + 1;  // and the mark
    // Nothing to do when the tree is already exactly what would be written.
    if (unchanged == files_.size() && old_root_ && same_file(old_root_.get(), kMark, mark) &&
        exactly(all_folders.size()))
      return Committed{written, true};
    if (auto linked = link_unchanged(); !linked) return std::unexpected(linked.error());
    if (!write_file(staging_root_.get(), kMark, mark))
      return std::unexpected(fmt::format("cannot write `{}`: {}", shown(kMark), reason(errno)));
    folders_.clear();
    staging_root_.close();
    std::error_code ec;
    const bool had = fs::exists(fs::symlink_status(target_, ec));
    if (had) {
      fs::rename(target_, old_, ec);
      if (ec) return std::unexpected(fmt::format("cannot replace `{}`: {}", name_, reason(ec.value())));
    }
    fs::rename(staging_, target_, ec);
    if (ec) {
      std::string why = reason(ec.value());
      if (had) fs::rename(old_, target_, ec);  // put the old tree back
      return std::unexpected(fmt::format("cannot replace `{}`: {}", name_, why));
    }
    staged_ = false;
    old_root_.close();
    if (had) fs::remove_all(old_, ec);
    return Committed{written, false};
  }

 private:
  /// Resolves the folder, locks its parent, sweeps dead builds' staging
  /// folders and checks the policy; why the folder cannot be written, or
  /// nothing.
  std::optional<std::string> open_target(const std::vector<std::string>& inputs) {
    auto real = real_path(name_);
    if (!real) return fmt::format("cannot write the output folder `{}`: {}", name_, reason(real.error()));
    target_ = *real;
    if (target_ == "/")
      return fmt::format("cannot use `{}` as the output folder: it is the root folder; name a folder with `-o`", name_);
    struct stat st {};
    if (::lstat(target_.c_str(), &st) == 0 && S_ISLNK(st.st_mode)) {
      std::error_code ec;
      return fmt::format(
          "cannot write the output folder `{}`: it is a symbolic link that leads nowhere (to `{}`); make the folder it "
          "names, or name another",
          name_, fs::read_symlink(target_, ec).string());
    }
    parent_ = target_.parent_path();
    const std::string stem = target_.filename().string();
    staging_ = parent_ / staging_name(stem, ::getpid());
    old_ = parent_ / old_tree_name(stem, ::getpid());
    // A missing parent holds nothing to refuse: it is made, to be locked.
    std::error_code ec;
    if (!fs::is_directory(parent_, ec)) {
      fs::create_directories(parent_, ec);
      if (ec) return fmt::format("cannot write the output folder `{}`: {}", name_, reason(ec.value()));
    }
    parent_fd_ = open_folder(AT_FDCWD, parent_.c_str());
    if (!parent_fd_) return fmt::format("cannot write the output folder `{}`: {}", name_, reason(errno));
    while (::flock(parent_fd_.get(), LOCK_EX) != 0)
      if (errno != EINTR) return fmt::format("cannot lock the output folder `{}`: {}", name_, reason(errno));
    sweep_stale(parent_.string(), stem);
    TreeTarget t;
    t.real = target_.string();
    t.inputs = resolve_inputs(inputs);
    if (::lstat(target_.c_str(), &st) != 0) {
      if (errno != ENOENT) return fmt::format("cannot look at the output folder `{}`: {}", name_, reason(errno));
    } else if (!S_ISDIR(st.st_mode)) {
      t.kind = TreeTarget::Kind::Other;
    } else {
      t.kind = TreeTarget::Kind::Folder;
      old_root_ = open_folder(AT_FDCWD, target_.c_str(), O_NOFOLLOW);
      std::string failed;
      int err = old_root_ ? scan_tree(old_root_.get(), "", t, failed) : errno;
      if (err) return fmt::format("cannot read `{}`: {}", shown(failed), reason(err));
      std::sort(t.files.begin(), t.files.end());
      std::sort(t.folders.begin(), t.folders.end());
      if (std::binary_search(t.files.begin(), t.files.end(), std::string(kMark))) {
        t.marked = true;
        if (auto text = read_at(old_root_.get(), kMark)) t.listed = parse_mark(*text);
      }
    }
    return why_not_replace(name_, t);
  }

  /// A path in the tree as the user named the folder.
  std::string shown(std::string_view rel) const {
    return rel.empty() ? name_ : name_ == "." ? std::string(rel) : (fs::path(name_) / rel).string();
  }

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
  /// before the first file goes into it; 0, or the errno of the failure.
  /// Called with `mu_` held.
  int made(std::string_view folder, Folder& f) {
    if (failed_) return EINTR;  // abandoned, or failed: nothing more is made
    if (f.made) return 0;
    if (!staged_)
      if (int err = make_staging()) return err;
    if (!folder.empty()) {
      std::error_code ec;
      fs::create_directories(staging_ / folder, ec);
      if (ec) return ec.value();
    }
    if (f.kept) {
      f.staged = open_folder(staging_root_.get(), folder.empty() ? "." : std::string(folder).c_str());
      if (!f.staged) return errno;
    }
    f.made = true;
    return 0;
  }

  /// Makes the staging folder, with a mark in it from the start so that a
  /// later build can tell it for claw's if this one dies; 0 or an errno.
  int make_staging() {
    std::error_code ec;
    fs::remove_all(staging_, ec);  // left by an earlier run of this pid that was killed
    int err = 0;
    if (!fs::create_directory(staging_, ec)) {
      err = ec ? ec.value() : EEXIST;
    } else {
      staged_ = true;
      staging_root_ = open_folder(AT_FDCWD, staging_.c_str(), O_NOFOLLOW);
      if (!staging_root_ || !write_file(staging_root_.get(), kMark, format_mark({}))) err = errno;
    }
    // The reason, said of the folder the user named (the first one kept).
    if (err && !failed_.exchange(true))
      error_ = fmt::format("cannot write the output folder `{}`: {} (the new tree is written beside it, in `{}`)", name_,
                           reason(err), parent_.string());
    return err;
  }

  /// Whether the real folder (not a link to one) at the target holds
  /// exactly the files put and `folders` folders, given that every file
  /// put is there byte for byte.
  bool exactly(size_t folders) const {
    Fd root = open_folder(AT_FDCWD, target_.c_str(), O_NOFOLLOW);
    size_t files = 0, found = 0;
    return root && count_tree(root.get(), files, found) && files == files_.size() + 1 && found == folders;
  }

  /// Stages the files the old tree holds unchanged as links to them (on
  /// every core for large trees), and makes the staging folder even when
  /// the tree is empty. Called with `mu_` held.
  std::expected<void, std::string> link_unchanged() {
    if (!staged_)
      if (make_staging() != 0) return std::unexpected(error_);
    std::vector<const std::string*> links;
    for (const auto& [rel, same] : files_) {
      if (!same) continue;
      size_t slash = rel.rfind('/');
      std::string_view folder = slash == std::string::npos ? std::string_view() : std::string_view(rel).substr(0, slash);
      if (int err = made(folder, folders_.find(std::string(folder))->second))
        return std::unexpected(fmt::format("cannot write `{}`: {}", shown(rel), reason(err)));
      links.push_back(&rel);
    }
    std::atomic<size_t> failed{links.size()};
    std::atomic<int> link_errno{0};
    parallel_ranges(links.size(), 256, [&](size_t begin, size_t end) {
      for (size_t i = begin; i < end; ++i) {
        if (::linkat(old_root_.get(), links[i]->c_str(), staging_root_.get(), links[i]->c_str(), 0) == 0) continue;
        size_t none = links.size();
        if (failed.compare_exchange_strong(none, i)) link_errno.store(errno);
      }
    });
    if (size_t f = failed.load(); f != links.size())
      return std::unexpected(fmt::format("cannot write `{}`: {}", shown(*links[f]), reason(link_errno.load())));
    return {};
  }

  std::string name_;                                   // the folder as the user named it
  fs::path target_, parent_, staging_, old_;           // target_: its real path
  Fd parent_fd_;                                       // holds the lock
  Fd old_root_, staging_root_;
  std::timed_mutex mu_;
  std::atomic<bool> failed_{false};
  std::string error_;
  bool staged_ = false;                                // the staging folder exists
  std::unordered_map<std::string, bool> files_;        // every path put → whether the old tree holds it unchanged
  std::unordered_map<std::string, Folder> folders_;    // by path relative to the tree's root
};

}  // namespace

std::unique_ptr<TreeWriter> disk_tree_writer(const std::string& dir, const std::vector<std::string>& inputs) {
  return std::make_unique<DiskTreeWriter>(dir, inputs);
}

}  // namespace claw::io
