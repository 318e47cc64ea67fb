#include "compiler/emit/yaml_string.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>

namespace claw::emit {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

/// Whether a plain scalar `s` could be read as something other than a string
/// by a YAML 1.1 or 1.2 reader (Helm's is YAML 1.1: `yes`, `on` are bools).
bool looks_like_other_type(std::string_view s) {
  if (s.empty()) return true;
  static constexpr std::array<std::string_view, 14> words = {
      "true", "false", "yes", "no", "on", "off", "y", "n", "null", "~", ".inf", ".nan", "-.inf", "+.inf"};
  std::string l = lower(s);
  if (std::find(words.begin(), words.end(), l) != words.end()) return true;
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

/// A multi-line string a literal block keeps exactly: one final newline, no
/// leading blank or space, printable text only.
bool literal_safe(std::string_view s) {
  if (s.size() < 2 || s.back() != '\n' || s[s.size() - 2] == '\n') return false;
  if (s.front() == ' ' || s.front() == '\n' || s.front() == '\t') return false;
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f) return false;
  }
  return true;
}

}  // namespace

void write_yaml_string(YAML::Emitter& out, const std::string& s) {
  if (s.find('\n') != std::string::npos) {
    if (literal_safe(s)) out << YAML::Literal << s;
    else out << YAML::DoubleQuoted << s;
  } else if (looks_like_other_type(s)) {
    out << YAML::DoubleQuoted << s;
  } else {
    out << s;
  }
}

}  // namespace claw::emit
