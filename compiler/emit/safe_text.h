// Text claw copies from a program (names, values, file paths) into places
// where a line break or a control character would change what the output
// means: YAML and shell comments, and YAML double-quoted scalars. The one
// place that decides which characters are unsafe and how they are escaped.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace claw::emit {

/// One character of UTF-8 text: its code point, or -1 for a byte that does
/// not start a valid (shortest-form, non-surrogate) sequence; and its length
/// in bytes (1 for an invalid byte).
struct Utf8Char {
  int32_t cp;
  size_t len;
};

/// The character of `s` that starts at byte `i` (i < s.size()).
Utf8Char utf8_at(std::string_view s, size_t i);

/// Whether code point `cp` must never stand unescaped in a comment or a
/// YAML scalar: C0 controls (tab, line feed and carriage return included),
/// DEL, C1 controls (U+0085 among them), the line and paragraph separators
/// U+2028 and U+2029, the byte order mark U+FEFF, the non-characters U+FFFE
/// and U+FFFF, and invalid UTF-8 (-1).
bool unsafe_char(int32_t cp);

/// Appends the visible escape of code point `cp` (not -1): `\n`, `\r`, `\t`,
/// `\xHH` below U+0080, `\uHHHH` above; the forms of YAML double-quoted
/// scalars, so that the same escape reads the same in both.
void append_escape(std::string& out, int32_t cp);

/// `text` with every unsafe character (unsafe_char) escaped visibly and
/// each backslash doubled, so the result is one line that can be read back
/// unambiguously; an invalid byte shows as `\xHH`. Text with nothing to
/// escape comes back unchanged.
std::string comment_safe(std::string_view text);

/// Appends comment_safe(text) to `out`, without a string of its own.
void append_comment_safe(std::string& out, std::string_view text);

/// Appends `# <comment_safe(text)>` and a line break (`#` alone for empty
/// text): a comment line of YAML or of a shell script that stays one line.
void append_comment(std::string& out, std::string_view text);

}  // namespace claw::emit
