// Whether claw's output to a stream is coloured: one rule for the
// diagnostics and the plan.
#pragma once

#include <optional>
#include <string_view>

namespace claw::io {

/// Colour only on a terminal, never when NO_COLOR is set to a non-empty
/// value (no-color.org: "when present and not an empty string"), and not
/// when TERM is unset or `dumb` (as GNU ls --color=auto and git do).
inline bool color_wanted(bool terminal, std::optional<std::string_view> no_color, std::optional<std::string_view> term) {
  if (!terminal) return false;
  if (no_color && !no_color->empty()) return false;
  return term && !term->empty() && *term != "dumb";
}

}  // namespace claw::io
