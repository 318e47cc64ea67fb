// FdStream: read(2) and write(2), retried on EINTR and short writes.
#include <poll.h>
#include <unistd.h>

#include <cerrno>

#include "compiler/lsp/stream.h"

namespace claw::lsp {

size_t FdStream::read(char* buf, size_t n) {
  for (;;) {
    ssize_t got = ::read(in_, buf, n);
    if (got >= 0) return static_cast<size_t>(got);
    if (errno != EINTR) return 0;
  }
}

bool FdStream::write(std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t put = ::write(out_, bytes.data(), bytes.size());
    if (put < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    bytes.remove_prefix(static_cast<size_t>(put));
  }
  return true;
}

bool FdStream::pending() {
  pollfd p{in_, POLLIN, 0};
  return ::poll(&p, 1, 0) > 0;
}

}  // namespace claw::lsp
