#include "runtime/sim/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

namespace claw::sim {
namespace {

[[noreturn]] void fail(const std::string& what, const std::filesystem::path& file, int err) {
  throw std::runtime_error("cannot " + what + " " + file.string() + ": " + std::strerror(err));
}

// Writes all of `content` to `fd`, retrying short writes and EINTR.
bool write_all(int fd, std::string_view content) {
  while (!content.empty()) {
    ssize_t n = ::write(fd, content.data(), content.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    content.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

// Makes the rename itself durable (POSIX: a directory's entries reach the
// disk when the directory is fsync'ed); failure here is not reported, the
// file's data already is on disk.
void sync_directory(const std::filesystem::path& dir) {
  int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

void write_file_atomic(const std::filesystem::path& file, std::string_view content, unsigned mode,
                       Durability durability) {
  bool synced = durability == Durability::synced;
  std::filesystem::path tmp = file;
  tmp += ".tmp." + std::to_string(::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) fail("create", tmp, errno);
  // open() applies the umask; the mode asked for is the mode wanted.
  bool ok = ::fchmod(fd, mode) == 0 && write_all(fd, content) && (!synced || ::fsync(fd) == 0);
  int err = errno;
  if (::close(fd) != 0 && ok) {
    ok = false;
    err = errno;
  }
  if (ok && ::rename(tmp.c_str(), file.c_str()) != 0) {
    ok = false;
    err = errno;
  }
  if (!ok) {
    ::unlink(tmp.c_str());
    fail("write", file, err);
  }
  if (synced) sync_directory(file.parent_path());
}

}  // namespace claw::sim
