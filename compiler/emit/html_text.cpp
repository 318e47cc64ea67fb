#include "compiler/emit/html_text.h"

#include <algorithm>

#include "compiler/emit/safe_text.h"

namespace claw::emit {

namespace {

/// Whether `c` stands for itself in HTML text and attributes and in
/// comment_safe's output: printable ASCII but the five and the backslash.
bool plain(char c) {
  return c >= 0x20 && c < 0x7f && c != '&' && c != '<' && c != '>' && c != '"' && c != '\'' && c != '\\';
}

}  // namespace

void append_html(std::string& out, std::string_view text) {
  // Names are mostly plain: those go through whole, without a copy.
  if (std::all_of(text.begin(), text.end(), plain)) {
    out += text;
    return;
  }
  // The five characters OWASP's Cross Site Scripting Prevention Cheat Sheet
  // ("Output Encoding for HTML Contexts" and "... for HTML Attribute
  // Contexts") encodes: with them escaped, text can open no tag, end no
  // quoted attribute and start no character reference of its own. The
  // forms are those of the HTML Living Standard's named references, and
  // &#39; for the apostrophe (&apos; is not an HTML 4 entity).
  for (char c : comment_safe(text)) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
}

std::string html_text(std::string_view text) {
  std::string out;
  append_html(out, text);
  return out;
}

}  // namespace claw::emit
