// LSP positions (a zero-based line and a character offset counted in the
// negotiated encoding's code units) and byte offsets into UTF-8 text.
// https://microsoft.github.io/language-server-protocol/specifications/lsp/3.17/specification/#textDocuments
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace claw::lsp {

/// How a position's `character` counts: UTF-16 code units (the protocol's
/// default) or bytes of UTF-8 (when the client offers `utf-8`).
enum class Encoding : uint8_t { Utf16, Utf8 };

struct Position {
  uint32_t line = 0;
  uint32_t character = 0;
  friend bool operator==(Position, Position) = default;
};

/// The line starts of one text, for converting positions both ways. Lines
/// end at `\n`, `\r\n` or `\r`, as the specification says.
class LineMap {
 public:
  explicit LineMap(std::string_view text);
  /// The byte offset of `p`; a character past the line's end is the end of
  /// the line, a line past the last is the end of the text, and a
  /// character inside a UTF-16 surrogate pair is the character's start.
  uint32_t offset(Position p, Encoding enc) const;
  /// The position of byte `offset` (clamped to the text).
  Position position(uint32_t offset, Encoding enc) const;

 private:
  /// The byte offset where line `line`'s content ends (before its terminator).
  uint32_t line_end(uint32_t line) const;
  std::string_view text_;
  std::vector<uint32_t> starts_;
};

}  // namespace claw::lsp
