// DiskFileSystem::read_file: reading a source file from disk, refusing
// anything that is not a regular file and anything over the size cap, so
// that no path a program names (an import of a FIFO, of a symlink to
// /dev/zero, of a huge sparse file) can block claw or fill its memory.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <system_error>

#include "compiler/io/filesystem.h"

namespace claw::io {
namespace {

/// Closes a descriptor when it goes out of scope.
class Descriptor {
 public:
  explicit Descriptor(int fd) : fd_(fd) {}
  ~Descriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

ReadError failed(int error) { return ReadError{ReadError::Kind::Failed, std::error_code(error, std::generic_category()).message()}; }

/// What a file of `mode` is, said as the reason it is not read.
ReadError not_regular(mode_t mode) {
  const char* what = S_ISDIR(mode)    ? "it is a folder, not a file"
                     : S_ISFIFO(mode) ? "it is a named pipe (FIFO), not a regular file"
                     : S_ISCHR(mode) || S_ISBLK(mode) ? "it is a device, not a regular file"
                     : S_ISSOCK(mode) ? "it is a socket, not a regular file"
                                      : "it is not a regular file";
  return ReadError{ReadError::Kind::NotRegular, what};
}

ReadError too_large(uint64_t size) { return ReadError{ReadError::Kind::TooLarge, "it is larger than the cap", size}; }

}  // namespace

std::expected<std::string, ReadError> DiskFileSystem::read_file(const std::string& path, size_t max_bytes) const {
  // O_NONBLOCK: opening a FIFO waits for a writer otherwise. What is opened
  // is then checked through the descriptor itself, so nothing can be
  // swapped in between the check and the read.
  Descriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
  if (fd.get() < 0) return std::unexpected(failed(errno));
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return std::unexpected(failed(errno));
  if (!S_ISREG(st.st_mode)) return std::unexpected(not_regular(st.st_mode));
  const auto size = static_cast<uint64_t>(st.st_size);
  if (size > max_bytes) return std::unexpected(too_large(size));
  // Read to the end, which may not be where the size said (the file can
  // change while it is read), but never more than one byte past the cap.
  const size_t limit = max_bytes == kAnySize ? max_bytes : max_bytes + 1;
  std::string text(static_cast<size_t>(size), '\0');
  size_t got = 0;
  char more[4096];
  for (;;) {
    const bool sized = got < text.size();
    const size_t room = sized ? text.size() - got : std::min(sizeof more, limit - got);
    if (room == 0) break;
    ssize_t n = ::read(fd.get(), sized ? text.data() + got : more, room);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return std::unexpected(failed(errno));
    if (n == 0) break;
    if (!sized) text.append(more, static_cast<size_t>(n));
    got += static_cast<size_t>(n);
  }
  if (got > max_bytes) return std::unexpected(too_large(got));
  text.resize(got);
  return text;
}

}  // namespace claw::io
