// The canonical layout of a token stream (grammar/README.md, "Formatting"):
// where lines break, how deep each line is indented and which tokens are
// separated by a space. Works on the tokens alone, guided by where the
// parse says members begin; every token and comment is written back in its
// order, only the whitespace between them changes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/format/anchors.h"

namespace claw::format {

/// Spaces per level of indentation.
inline constexpr int kIndentWidth = 2;

/// The text of a file that lexes into `text`'s tokens, laid out
/// canonically; `anchors` are those of `text`'s parse, which must have no
/// errors.
std::string layout(std::string_view text, const Anchors& anchors);

/// A comment's text as the layout writes it: trailing blanks removed from
/// each of its lines.
std::string trim_comment(std::string_view comment);

}  // namespace claw::format
