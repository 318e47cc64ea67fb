// FileSystem::write_file for the disk and for memory: one small file
// replaced atomically (written beside it, flushed, renamed over it).
#include <fcntl.h>
#include <sys/stat.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "compiler/io/filesystem.h"

namespace claw::io {
namespace {

std::string failure(const std::string& path, const char* what, int err) {
  return fmt::format("cannot write `{}`: {} ({})", path, what, std::strerror(err));
}

/// Writes all of `text` to `fd`, retrying short writes and interruptions.
bool write_all(int fd, std::string_view text) {
  while (!text.empty()) {
    ssize_t n = ::write(fd, text.data(), text.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    text.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

}  // namespace

// rename(2) within one folder replaces the target atomically (POSIX); the
// data is flushed before it so a crash leaves the old file or the new one.
std::expected<void, std::string> DiskFileSystem::write_file(const std::string& path, std::string_view text) const {
  const std::string temp = fmt::format("{}.tmp.{}", path, ::getpid());
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return std::unexpected(failure(path, "cannot create a file beside it", errno));
  // A file replaced keeps its permissions (as `gofmt -w` keeps them).
  if (struct stat st {}; ::stat(path.c_str(), &st) == 0) (void)::fchmod(fd, st.st_mode & 07777);
  const bool written = write_all(fd, text) && ::fsync(fd) == 0;
  const int err = errno;
  ::close(fd);
  if (!written) {
    ::unlink(temp.c_str());
    return std::unexpected(failure(path, "writing failed", err));
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    const int rename_err = errno;
    ::unlink(temp.c_str());
    return std::unexpected(failure(path, "cannot replace it", rename_err));
  }
  if (int dir = ::open(parent_dir(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
  return {};
}

std::expected<void, std::string> MemoryFileSystem::write_file(const std::string& path, std::string_view text) const {
  files_[normalize_path(path)] = std::string(text);
  return {};
}

}  // namespace claw::io
