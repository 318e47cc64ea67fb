#include "compiler/emit/yaml_string.h"

#include <algorithm>
#include <array>

#include "compiler/emit/safe_text.h"

namespace claw::emit {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + ('a' - 'A')) : c; }

/// Whether `s` is `lower_word` in any letter case (ASCII).
bool iequals(std::string_view s, std::string_view lower_word) {
  if (s.size() != lower_word.size()) return false;
  for (size_t i = 0; i < s.size(); ++i)
    if (lower(s[i]) != lower_word[i]) return false;
  return true;
}

/// Whether a plain scalar `s` could be read as something other than the
/// same string by a YAML 1.1 reader (PyYAML, Helm's go-yaml v2) or a YAML
/// 1.2 core-schema one (js-yaml, go-yaml v3). Deliberately wider than any
/// one resolver: quoting a string that needed none costs two characters.
bool looks_like_other_type(std::string_view s) {
  if (s.empty()) return true;  // null
  // Bools (1.1: y/n/yes/no/on/off, 1.2: true/false) and null, in any case
  // (some readers are case-blind), and the special floats.
  static constexpr std::array<std::string_view, 15> words = {"true", "false", "yes",  "no",   "on",
                                                             "off",  "y",     "n",    "null", "~",
                                                             ".inf", ".nan",  "-.inf", "+.inf", "<<"};
  if (s.size() <= 5 && std::any_of(words.begin(), words.end(), [&](std::string_view w) { return iequals(s, w); }))
    return true;
  // Numbers in every base and form (0x1F, 0o17, 0b1, 017, 1_000, 1e3, 1:20
  // sexagesimal), timestamps (2001-12-14): all start with a digit, or a
  // sign or dot then a digit, dot or underscore (`._` is a float to PyYAML).
  const char c0 = s[0];
  if (is_digit(c0)) return true;
  if ((c0 == '+' || c0 == '-' || c0 == '.') && s.size() > 1 && (is_digit(s[1]) || s[1] == '.' || s[1] == '_'))
    return true;
  // `=` is YAML 1.1's value tag and `<<` the merge key; `~` is null. Any
  // string that starts with one of them is quoted.
  return c0 == '=' || c0 == '<' || c0 == '~';
}

/// Whether `s` holds a character that cannot stand in a plain scalar or a
/// literal block: any unsafe_char (line breaks and tabs when `allow_breaks`
/// is false) and any invalid UTF-8.
bool has_unsafe(std::string_view s, bool allow_breaks) {
  for (size_t i = 0; i < s.size();) {
    Utf8Char ch = utf8_at(s, i);
    if (unsafe_char(ch.cp) && !(allow_breaks && (ch.cp == '\n' || ch.cp == '\t'))) return true;
    i += ch.len;
  }
  return false;
}

/// Whether `s` reads back as itself when written plain in block context,
/// as a value, a sequence item or a map key.
bool plain_safe(std::string_view s) {
  if (looks_like_other_type(s) || has_unsafe(s, false)) return false;
  const char c0 = s.front();
  static constexpr std::string_view indicators = ",[]{}#&*!|>'\"%@`";
  if (indicators.find(c0) != std::string_view::npos || c0 == ' ') return false;
  // `-`, `?` and `:` start a plain scalar only when a non-space follows.
  if ((c0 == '-' || c0 == '?' || c0 == ':') && (s.size() == 1 || s[1] == ' ')) return false;
  // `---` and `...` at the start of a line end or start a document.
  if (s.starts_with("---") || s.starts_with("...")) return false;
  if (s.back() == ' ' || s.back() == ':') return false;
  return s.find(": ") == std::string_view::npos && s.find(" #") == std::string_view::npos;
}

/// A multi-line string a literal block keeps exactly: one final newline, no
/// leading blank or space, no carriage return or other unsafe character.
bool literal_safe(std::string_view s) {
  if (s.size() < 2 || s.back() != '\n' || s[s.size() - 2] == '\n') return false;
  if (s.front() == ' ' || s.front() == '\n' || s.front() == '\t') return false;
  return !has_unsafe(s, true);
}

void append_double_quoted(std::string& out, std::string_view s) {
  out += '"';
  // Runs of safe text are copied whole.
  size_t run = 0;
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
      ++i;
      continue;
    }
    Utf8Char ch = utf8_at(s, i);
    if (ch.cp >= 0x80 && !unsafe_char(ch.cp)) {
      i += ch.len;
      continue;
    }
    out.append(s, run, i - run);
    if (ch.cp == '"') out += "\\\"";
    else if (ch.cp == '\\') out += "\\\\";
    // YAML text is Unicode: a byte that is not UTF-8 has no spelling, and
    // shows as the replacement character.
    else if (ch.cp < 0) out += "\\uFFFD";
    else append_escape(out, ch.cp);
    i += ch.len;
    run = i;
  }
  out.append(s, run, s.size() - run);
  out += '"';
}

}  // namespace

void append_yaml_string(std::string& out, std::string_view s, int indent, bool block) {
  if (obviously_plain(s)) {
    out += s;
  } else if (block && indent >= 0 && s.find('\n') != std::string_view::npos && literal_safe(s)) {
    // `|` keeps the one final newline (clip); each line at indent + 2 (a
    // root string, indent -2, is never a block: its lines would stand at
    // column 0, where `---` starts a document).
    out += '|';
    size_t at = 0;
    while (at < s.size()) {
      size_t end = s.find('\n', at);
      out += '\n';
      if (end > at) out.append(static_cast<size_t>(indent + 2), ' ').append(s.substr(at, end - at));
      at = end + 1;
    }
  } else if (plain_safe(s)) {
    out += s;
  } else {
    append_double_quoted(out, s);
  }
}

}  // namespace claw::emit
