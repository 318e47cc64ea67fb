// Where the emitters hand the files they produce, one at a time, so that a
// large output tree is never held in memory whole.
#pragma once

#include <functional>
#include <string_view>

namespace claw::emit {

/// Takes a file of the output tree: its path relative to the output folder
/// and its bytes, which it must copy or write before returning. Called from
/// several threads at once, never for one path from two threads at once; a
/// path given again replaces it.
using FileSink = std::function<void(std::string_view path, std::string_view text)>;

}  // namespace claw::emit
