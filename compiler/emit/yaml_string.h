// Writing a string into YAML so that every reader (Helm's YAML 1.1 as well
// as YAML 1.2) reads back the same string. Shared by the YAML emitters.
#pragma once

#include <array>
#include <string>
#include <string_view>

namespace claw::emit {

/// Whether `s` is written plain with no further checks, as most strings a
/// build writes (names, images, keys) are: a letter, then printable ASCII
/// without spaces, not ending in `:`, and not one of the words YAML 1.1 or
/// 1.2 reads as a bool or null. constexpr, so that literal keys are checked
/// when claw is compiled (yaml_writer.h).
constexpr bool obviously_plain(std::string_view s) {
  if (s.empty() || s.back() == ':') return false;
  if (char lower = static_cast<char>(s.front() | 0x20); lower < 'a' || lower > 'z') return false;
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c >= 0x7f) return false;
  }
  if (s.size() > 5) return true;
  // The bool and null words that start with a letter, in any letter case.
  constexpr std::array<std::string_view, 9> words = {"true", "false", "yes", "no", "on", "off", "y", "n", "null"};
  for (std::string_view w : words) {
    if (w.size() != s.size()) continue;
    bool same = true;
    for (size_t i = 0; i < s.size(); ++i) same = same && static_cast<char>(s[i] | 0x20) == w[i];
    if (same) return false;
  }
  return true;
}

/// Appends `s` as a YAML scalar: plain when that is unambiguous,
/// double-quoted when a reader could take it for a bool, number or null or
/// it has characters a plain scalar cannot hold, and as a literal block
/// (`|`, its lines at `indent + 2` spaces) when it spans lines and a block
/// keeps it exactly (never for a map key: `block = false`).
void append_yaml_string(std::string& out, std::string_view s, int indent, bool block = true);

}  // namespace claw::emit
