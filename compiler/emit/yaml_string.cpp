#include "compiler/emit/yaml_string.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>

namespace claw::emit {
namespace {

/// Whether `s` is `lower_word` in any letter case (ASCII).
bool iequals(std::string_view s, std::string_view lower_word) {
  if (s.size() != lower_word.size()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i] >= 'A' && s[i] <= 'Z' ? static_cast<char>(s[i] + ('a' - 'A')) : s[i];
    if (c != lower_word[i]) return false;
  }
  return true;
}

/// Whether a plain scalar `s` could be read as something other than a string
/// by a YAML 1.1 or 1.2 reader (Helm's is YAML 1.1: `yes`, `on` are bools).
bool looks_like_other_type(std::string_view s) {
  if (s.empty()) return true;
  static constexpr std::array<std::string_view, 14> words = {
      "true", "false", "yes", "no", "on", "off", "y", "n", "null", "~", ".inf", ".nan", "-.inf", "+.inf"};
  // Every word starts with one of these, in either case.
  static constexpr std::string_view starts = "tfyno~.-+";
  if (s.size() <= 5 && starts.find(static_cast<char>(s[0] >= 'A' && s[0] <= 'Z' ? s[0] + ('a' - 'A') : s[0])) != std::string_view::npos &&
      std::any_of(words.begin(), words.end(), [&](std::string_view w) { return iequals(s, w); }))
    return true;
  // Numbers, octal and hex, dates and times (sexagesimal in 1.1): anything
  // that starts like a number is quoted, which is harmless for real strings.
  unsigned char c0 = static_cast<unsigned char>(s[0]);
  if (std::isdigit(c0)) return true;
  if ((c0 == '+' || c0 == '-' || c0 == '.') && s.size() > 1) {
    unsigned char c1 = static_cast<unsigned char>(s[1]);
    if (std::isdigit(c1) || c1 == '.') return true;
  }
  return false;
}

/// U+0085, U+2028 and U+2029 are line breaks to a YAML 1.1 reader, and
/// U+FEFF a byte order mark: none may stand unescaped.
bool yaml_special_unicode(std::string_view s, size_t i) {
  auto b = [&](size_t k) { return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0; };
  if (b(0) == 0xC2 && b(1) == 0x85) return true;
  if (b(0) == 0xE2 && b(1) == 0x80 && (b(2) == 0xA8 || b(2) == 0xA9)) return true;
  return b(0) == 0xEF && b(1) == 0xBB && b(2) == 0xBF;
}

bool has_unprintable(std::string_view s, bool allow_newline) {
  for (size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c == '\n' && allow_newline) continue;
    if (c < 0x20 || c == 0x7f || yaml_special_unicode(s, i)) return true;
  }
  return false;
}

/// Whether `s` reads back as itself when written plain in block context.
bool plain_safe(std::string_view s) {
  if (looks_like_other_type(s) || has_unprintable(s, false)) return false;
  char c0 = s.front();
  static constexpr std::string_view indicators = ",[]{}#&*!|>'\"%@`";
  if (indicators.find(c0) != std::string_view::npos || c0 == ' ') return false;
  // `-`, `?` and `:` start a plain scalar only when a non-space follows.
  if ((c0 == '-' || c0 == '?' || c0 == ':') && (s.size() == 1 || s[1] == ' ')) return false;
  if (s.back() == ' ' || s.back() == ':') return false;
  return s.find(": ") == std::string_view::npos && s.find(" #") == std::string_view::npos;
}

/// A multi-line string a literal block keeps exactly: one final newline, no
/// leading blank or space, printable text only.
bool literal_safe(std::string_view s) {
  if (s.size() < 2 || s.back() != '\n' || s[s.size() - 2] == '\n') return false;
  if (s.front() == ' ' || s.front() == '\n' || s.front() == '\t') return false;
  for (size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f || yaml_special_unicode(s, i)) return false;
  }
  return true;
}

void append_double_quoted(std::string& out, std::string_view s) {
  out += '"';
  // Runs of printable ASCII and ordinary UTF-8 are copied whole.
  size_t run = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if ((c >= 0x20 && c < 0x7f && c != '"' && c != '\\') || (c >= 0x80 && !yaml_special_unicode(s, i))) continue;
    out.append(s, run, i - run);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      case 0xC2: out += "\\u0085", i += 1; break;
      case 0xEF: out += "\\uFEFF", i += 2; break;
      case 0xE2: out += static_cast<unsigned char>(s[i + 2]) == 0xA8 ? "\\u2028" : "\\u2029", i += 2; break;
      default: out += fmt::format("\\x{:02X}", c);
    }
    run = i + 1;
  }
  out.append(s, run, s.size() - run);
  out += '"';
}

}  // namespace

void append_yaml_string(std::string& out, std::string_view s, int indent, bool block) {
  if (obviously_plain(s)) {
    out += s;
  } else if (block && s.find('\n') != std::string_view::npos && literal_safe(s)) {
    // `|` keeps the one final newline (clip); each line at indent + 2.
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
