// Text claw copies from a program (names, labels, taints) into an HTML
// page: the one place that decides how such text is made inert there.
#pragma once

#include <string>
#include <string_view>

namespace claw::emit {

/// Appends `text` so that it reads as the same characters and nothing
/// else, in element content and in a double- or single-quoted attribute
/// value alike: `&`, `<`, `>`, `"` and `'` become character references,
/// and control characters and invalid UTF-8 their visible escapes (as
/// comment_safe writes them).
void append_html(std::string& out, std::string_view text);

/// append_html's text as a string of its own.
std::string html_text(std::string_view text);

}  // namespace claw::emit
