// User text shown in a diagnostic: a string literal, a name, a path. It may
// hold anything a file can, so before it reaches a terminal or a log it is
// made safe to print (no control sequence, no line break that forges a
// diagnostic line) and short enough to read.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace claw::diag {

/// The most bytes of one text a diagnostic shows; a longer one keeps its
/// beginning and end around an ellipsis that says how much was left out.
inline constexpr size_t kMaxShownText = 480;

/// `text` with every control character, line or paragraph separator, bidi
/// control, zero-width character and invalid UTF-8 byte written as an escape
/// (`\n`, `\t`, `\x1b`, `\u{2028}`); printable text, non-ASCII included, as is.
std::string escape_text(std::string_view text);

/// `text` cut to at most about `max` bytes, at character boundaries: its
/// head and tail around `…(N bytes left out)…`; as is when it fits.
std::string shorten_text(std::string_view text, size_t max = kMaxShownText);

/// What a diagnostic shows of `text`: shortened, then escaped.
std::string display_text(std::string_view text);

}  // namespace claw::diag
