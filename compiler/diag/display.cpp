#include "compiler/diag/display.h"

#include <fmt/format.h>

#include <cstdint>

namespace claw::diag {
namespace {

// The length of the valid UTF-8 sequence at `at` and its code point, or 0
// when the bytes there are not one (overlong, surrogate, truncated, > U+10FFFF).
size_t decode(std::string_view s, size_t at, uint32_t& cp) {
  auto b = static_cast<unsigned char>(s[at]);
  size_t n = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 0;
  if (n == 0 || at + n > s.size()) return 0;
  cp = n == 1 ? b : n == 2 ? b & 0x1F : n == 3 ? b & 0x0F : b & 0x07;
  for (size_t k = 1; k < n; ++k) {
    auto c = static_cast<unsigned char>(s[at + k]);
    if ((c & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (c & 0x3F);
  }
  bool overlong = (n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000);
  if (overlong || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

// Code points a terminal does not show as themselves: C0 and C1 controls,
// DEL, zero-width characters and marks, line and paragraph separators, bidi
// embeddings, overrides and isolates, and the byte-order mark.
bool hidden(uint32_t cp) {
  return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202E) ||
         (cp >= 0x2060 && cp <= 0x2069) || cp == 0xFEFF;
}

// The start of the character holding byte `at` (at most 3 bytes back).
size_t char_start(std::string_view s, size_t at) {
  for (size_t k = 0; k < 3 && at > 0 && (static_cast<unsigned char>(s[at]) & 0xC0) == 0x80; ++k) --at;
  return at;
}

}  // namespace

std::string escape_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    uint32_t cp = 0;
    size_t n = decode(text, i, cp);
    if (n == 0) {
      out += fmt::format("\\x{:02x}", static_cast<unsigned char>(text[i]));
      ++i;
      continue;
    }
    if (!hidden(cp)) out.append(text.substr(i, n));
    else if (cp == '\n') out += "\\n";
    else if (cp == '\r') out += "\\r";
    else if (cp == '\t') out += "\\t";
    else if (cp < 0x80) out += fmt::format("\\x{:02x}", cp);
    else out += fmt::format("\\u{{{:04x}}}", cp);
    i += n;
  }
  return out;
}

std::string shorten_text(std::string_view text, size_t max) {
  if (text.size() <= max) return std::string(text);
  size_t head = char_start(text, max * 2 / 3);
  size_t tail = char_start(text, text.size() - max / 3);
  return fmt::format("{}…({} bytes left out)…{}", text.substr(0, head), tail - head, text.substr(tail));
}

std::string display_text(std::string_view text) { return escape_text(shorten_text(text)); }

}  // namespace claw::diag
