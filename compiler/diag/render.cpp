#include "compiler/diag/render.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "compiler/diag/display.h"

namespace claw::diag {
namespace {

std::string location(const source::SourceManager& sm, source::Span span) {
  if (!span.valid()) return "claw";
  const auto& f = sm.file(span.file);
  auto lc = f.line_col(span.begin);
  return fmt::format("{}:{}:{}", escape_text(f.path()), lc.line, lc.column);
}

// Display width of a byte range of one line: tabs count as one column, like
// the column numbers, and code points count once.
size_t width(std::string_view s) {
  size_t w = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++w;
  return w;
}

// Replaces control characters so a binary line cannot garble the terminal.
std::string printable(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (unsigned char c : s) out.push_back((c < 0x20 && c != '\t') || c == 0x7f ? '?' : static_cast<char>(c));
  return out;
}

// The most bytes of a source line an excerpt shows.
constexpr size_t kMaxLine = 300;

void snippet(std::string& out, const source::SourceManager& sm, source::Span span, std::string_view label) {
  if (!span.valid()) return;
  const auto& f = sm.file(span.file);
  auto start = f.line_col(span.begin);
  auto line = f.line_text(start.line);
  auto line_begin = static_cast<uint32_t>(line.data() - f.text().data());
  uint32_t col_bytes = span.begin - line_begin;
  uint32_t end = std::min<uint32_t>(span.end, line_begin + static_cast<uint32_t>(line.size()));
  size_t under = end > span.begin ? width(line.substr(col_bytes, end - span.begin)) : 1;
  // Pad to the span's column with spaces, keeping tabs so the caret lines up.
  std::string pad;
  for (unsigned char c : line.substr(0, col_bytes)) {
    if ((c & 0xC0) == 0x80) continue;
    pad.push_back(c == '\t' ? '\t' : ' ');
  }
  auto gutter = fmt::format("{}", start.line);
  std::string blank(gutter.size(), ' ');
  std::string text = printable(line);
  if (text.size() > kMaxLine) {
    text = text.substr(0, kMaxLine) + " ...";
    // The underline stops where the shown line does.
    under = std::min(under, pad.size() < kMaxLine ? kMaxLine - pad.size() : size_t{1});
  }
  out += fmt::format(" {} | {}\n", gutter, text);
  out += fmt::format(" {} | {}^{}", blank, pad, std::string(under > 0 ? under - 1 : 0, '~'));
  if (!label.empty()) out += fmt::format(" {}", label);
  out += '\n';
}

}  // namespace

std::string render_text(const source::SourceManager& sm, const Diagnostic& d, TextStyle style) {
  std::string out;
  auto sev = severity_name(d.severity);
  std::string sev_text(sev);
  if (style.color) {
    const char* c = d.severity == Severity::Error ? "\x1b[1;31m" : d.severity == Severity::Warning ? "\x1b[1;35m" : "\x1b[1;36m";
    sev_text = fmt::format("{}{}\x1b[0m", c, sev);
  }
  // Every text below may quote the user's: shown shortened and escaped.
  out += fmt::format("{}: {}: {} [{}]\n", location(sm, d.span), sev_text, display_text(d.message), kind_code(d.kind));
  snippet(out, sm, d.span, "");
  for (const auto& n : d.notes) {
    if (n.span.valid()) {
      out += fmt::format("{}: note: {}\n", location(sm, n.span), display_text(n.message));
      snippet(out, sm, n.span, "");
    } else {
      out += fmt::format("  = note: {}\n", display_text(n.message));
    }
  }
  for (const auto& h : d.hints) out += fmt::format("  = hint: {}\n", display_text(h));
  if (d.fix) out += fmt::format("  = fix: replace with `{}`\n", display_text(d.fix->replacement));
  return out;
}

std::string render_json(const source::SourceManager& sm, const std::vector<Diagnostic>& diags) {
  auto where = [&](source::Span s, nlohmann::json& j) {
    if (!s.valid()) {
      j["file"] = nullptr;
      return;
    }
    const auto& f = sm.file(s.file);
    auto b = f.line_col(s.begin);
    auto e = f.line_col(s.end);
    j["file"] = f.path();
    j["line"] = b.line;
    j["column"] = b.column;
    j["end_line"] = e.line;
    j["end_column"] = e.column;
  };
  nlohmann::json arr = nlohmann::json::array();
  for (const auto& d : diags) {
    nlohmann::json j;
    j["severity"] = severity_name(d.severity);
    j["code"] = kind_code(d.kind);
    // JSON escapes control characters itself; long texts are shortened as in text.
    j["message"] = shorten_text(d.message);
    where(d.span, j);
    nlohmann::json hints = nlohmann::json::array();
    for (const auto& h : d.hints) hints.push_back(shorten_text(h));
    j["hints"] = std::move(hints);
    nlohmann::json notes = nlohmann::json::array();
    for (const auto& n : d.notes) {
      nlohmann::json jn;
      jn["message"] = shorten_text(n.message);
      where(n.span, jn);
      notes.push_back(std::move(jn));
    }
    j["notes"] = std::move(notes);
    if (d.fix) {
      nlohmann::json jf;
      where(d.fix->span, jf);
      jf["replacement"] = shorten_text(d.fix->replacement);
      j["fix"] = std::move(jf);
    }
    arr.push_back(std::move(j));
  }
  return arr.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::string summary_line(const std::vector<Diagnostic>& diags) {
  size_t errors = 0, warnings = 0;
  for (const auto& d : diags) {
    if (d.severity == Severity::Error) ++errors;
    if (d.severity == Severity::Warning) ++warnings;
  }
  if (errors == 0 && warnings == 0) return {};
  std::string out;
  if (errors) out += fmt::format("{} error{}", errors, errors == 1 ? "" : "s");
  if (warnings) out += fmt::format("{}{} warning{}", errors ? ", " : "", warnings, warnings == 1 ? "" : "s");
  return out;
}

}  // namespace claw::diag
