#include "compiler/emit/safe_text.h"

#include <fmt/format.h>

namespace claw::emit {

Utf8Char utf8_at(std::string_view s, size_t i) {
  auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return {c, 1};
  size_t n = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
  if (n == 0 || i + n > s.size()) return {-1, 1};
  int32_t cp = c & (0x7F >> n);
  for (size_t k = 1; k < n; ++k) {
    auto d = static_cast<unsigned char>(s[i + k]);
    if ((d & 0xC0) != 0x80) return {-1, 1};
    cp = (cp << 6) | (d & 0x3F);
  }
  bool overlong = (n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000);
  if (overlong || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return {-1, 1};
  return {cp, n};
}

bool unsafe_char(int32_t cp) {
  return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029 || cp == 0xFEFF || cp == 0xFFFE ||
         cp == 0xFFFF;
}

void append_escape(std::string& out, int32_t cp) {
  switch (cp) {
    case '\n': out += "\\n"; return;
    case '\r': out += "\\r"; return;
    case '\t': out += "\\t"; return;
    default: break;
  }
  // Below U+0080 `\xHH`; above, `\uHHHH`, so that `\x80`..`\xFF` in a
  // comment can only be an invalid byte.
  if (cp < 0x80) fmt::format_to(std::back_inserter(out), "\\x{:02X}", cp);
  else fmt::format_to(std::back_inserter(out), "\\u{:04X}", cp);
}

namespace {

// Whether byte `c` may stand for itself at once: printable ASCII other than
// the backslash (every other byte goes through utf8_at).
bool plain_byte(unsigned char c) { return c >= 0x20 && c < 0x7F && c != '\\'; }

}  // namespace

void append_comment_safe(std::string& out, std::string_view text) {
  // Most text (file paths, names) is plain ASCII: copied in runs.
  for (size_t i = 0; i < text.size();) {
    size_t run = i;
    while (run < text.size() && plain_byte(static_cast<unsigned char>(text[run]))) ++run;
    out.append(text, i, run - i);
    if (run == text.size()) return;
    i = run;
    Utf8Char ch = utf8_at(text, i);
    if (ch.cp == '\\') out += "\\\\";
    else if (ch.cp < 0) fmt::format_to(std::back_inserter(out), "\\x{:02X}", static_cast<unsigned char>(text[i]));
    else if (unsafe_char(ch.cp)) append_escape(out, ch.cp);
    else out.append(text, i, ch.len);
    i += ch.len;
  }
}

std::string comment_safe(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  append_comment_safe(out, text);
  return out;
}

void append_comment(std::string& out, std::string_view text) {
  out += text.empty() ? "#" : "# ";
  append_comment_safe(out, text);
  out += '\n';
}

}  // namespace claw::emit
