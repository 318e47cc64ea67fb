// The formatter's promise, checked on every file it formats: the output
// holds exactly the input's tokens and comments, in order.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace claw::format {

/// The byte offset in `before` of the first token (or comment) that `after`
/// does not reproduce, ignoring whitespace and blanks at the ends of comment
/// lines; nothing when the two hold the same tokens.
std::optional<uint32_t> first_token_difference(std::string_view before, std::string_view after);

}  // namespace claw::format
