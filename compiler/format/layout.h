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

namespace claw::format {

/// Spaces per level of indentation.
inline constexpr int kIndentWidth = 2;

/// The text of a file that lexes into `text`'s tokens, laid out
/// canonically. `starts` are the sorted byte offsets at which a top-level
/// item, a block member, a type field or an enum value begins (member_starts).
/// `text` must parse without errors.
std::string layout(std::string_view text, const std::vector<uint32_t>& starts);

/// A comment's text as the layout writes it: trailing blanks removed from
/// each of its lines.
std::string trim_comment(std::string_view comment);

}  // namespace claw::format
