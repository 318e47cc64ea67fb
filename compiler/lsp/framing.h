// The LSP base protocol's framing: a header part (`Content-Length: N`, an
// optional `Content-Type`, each line ended by CRLF), an empty line, then N
// bytes of JSON. https://microsoft.github.io/language-server-protocol/specifications/lsp/3.17/specification/#baseProtocol
#pragma once

#include <cstddef>
#include <expected>
#include <string>
#include <string_view>

#include "compiler/lsp/stream.h"

namespace claw::lsp {

/// Why no message was read: the input ended, or a frame was malformed (its
/// bytes are consumed, so that the next frame can be read).
struct FrameError {
  bool end = false;     // the input ended (no error to answer)
  std::string message;  // a malformed frame: what was wrong with it
};

/// The largest message body accepted (a whole 10,000-service file fits).
inline constexpr size_t kMaxBody = size_t{256} << 20;

/// Reads framed messages from a stream, buffering what it read ahead.
class FrameReader {
 public:
  explicit FrameReader(ByteStream& in) : in_(in) {}
  /// The next message's body, or why there is none.
  std::expected<std::string, FrameError> next();
  /// Whether more input is waiting: read ahead, or in the stream.
  bool ready();

 private:
  /// Reads more bytes into the buffer; false at the end of input.
  bool fill();
  ByteStream& in_;
  std::string buf_;
  size_t pos_ = 0;
};

/// `body` with its header: what is written for one message.
std::string frame(std::string_view body);

}  // namespace claw::lsp
