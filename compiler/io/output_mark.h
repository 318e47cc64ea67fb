// The mark `claw build` leaves in every output tree it writes: the one
// reader and writer of its format.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace claw::io {

/// The mark's file name, at the root of an output tree.
inline constexpr const char* kMarkName = ".claw-build";

/// The mark's text for a tree of the files `paths` (relative, `/`
/// separators; the mark itself need not be among them): a versioned header
/// line, a comment, then the paths sorted, one a line, with `\`, line
/// breaks and other control bytes written as escapes.
std::string format_mark(std::vector<std::string> paths);

/// The paths a mark lists, or nothing when `text` is not a mark of this
/// version (a malformed one, an unknown version, another file).
std::optional<std::vector<std::string>> parse_mark(std::string_view text);

}  // namespace claw::io
