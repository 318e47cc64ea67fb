#include "compiler/format/layout.h"

#include <algorithm>
#include <optional>

#include "compiler/syntax/token.h"

namespace claw::format {
namespace {

using syntax::Tok;

/// A token other than whitespace, with how many line breaks preceded it.
struct Tk {
  Tok kind;
  std::string_view text;
  uint32_t begin;
  int newlines;
};

bool is_comment(Tok k) { return k == Tok::LineComment || k == Tok::BlockComment; }
bool is_opener(Tok k) { return k == Tok::LBrace || k == Tok::LBrack || k == Tok::LParen; }
bool is_closer(Tok k) { return k == Tok::RBrace || k == Tok::RBrack || k == Tok::RParen; }
bool is_separator(Tok k) { return k == Tok::Comma || k == Tok::Semi; }

/// A token the grammar's `ident` rule accepts: a name or a keyword.
bool is_name(Tok k) {
  return k == Tok::Ident || k == Tok::X || (static_cast<uint16_t>(k) >= static_cast<uint16_t>(Tok::Import) &&
                                            static_cast<uint16_t>(k) <= static_cast<uint16_t>(Tok::Resource));
}

/// A token that can end an operand, so that `-` after it is binary and `[`
/// after it indexes.
bool ends_operand(Tok k) {
  switch (k) {
    case Tok::Int: case Tok::Float: case Tok::Quantity: case Tok::String:
    case Tok::True: case Tok::False: case Tok::Null:
    case Tok::RParen: case Tok::RBrack: case Tok::RBrace: return true;
    default: return is_name(k);
  }
}

std::vector<Tk> visible_tokens(std::string_view text) {
  std::vector<Tk> out;
  int newlines = 0;
  for (const syntax::Token& t : syntax::lex(text, true)) {
    if (t.kind == Tok::Eof) break;
    std::string_view s = text.substr(t.begin, t.end - t.begin);
    if (t.kind == Tok::Ws) {
      newlines += static_cast<int>(std::count(s.begin(), s.end(), '\n'));
      continue;
    }
    out.push_back(Tk{t.kind, s, t.begin, newlines});
    newlines = 0;
  }
  return out;
}

/// One output line: its indentation, its code, and a trailing `//` comment
/// kept apart so that runs of them can be aligned.
struct Line {
  int indent = 0;
  std::string code;
  std::string comment;
  bool alignable = true;  // no token of the line spans lines
  bool blank = false;
};

size_t code_points(std::string_view s) {
  return static_cast<size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

/// The tokens and what the layout derives from them before writing.
class Layout {
 public:
  Layout(std::string_view text, const Anchors& anchors) : tk_(visible_tokens(text)) {
    const size_t n = tk_.size();
    match_.assign(n, SIZE_MAX);
    multi_.assign(n, false);
    start_.assign(n, false);
    map_.assign(n, false);
    type_head_.assign(n, false);
    const auto& starts = anchors.member_starts;
    const auto& maps = anchors.map_types;
    std::vector<size_t> stack;
    Tok item = Tok::Eof;  // the keyword of the top-level item the token is in
    for (size_t i = 0; i < n; ++i) {
      const Tok k = tk_[i].kind;
      start_[i] = !is_comment(k) && std::binary_search(starts.begin(), starts.end(), tk_[i].begin);
      map_[i] = k == Tok::LBrace && std::binary_search(maps.begin(), maps.end(), tk_[i].begin);
      if (start_[i] && stack.empty()) item = k;
      type_head_[i] = k == Tok::Colon && stack.empty() && item == Tok::Type;
      if (is_opener(tk_[i].kind)) stack.push_back(i);
      if (is_closer(tk_[i].kind) && !stack.empty()) {
        size_t o = stack.back();
        stack.pop_back();
        match_[o] = i;
        match_[i] = o;
        map_[i] = map_[o];
        for (size_t j = o + 1; j <= i && !multi_[o]; ++j) multi_[o] = tk_[j].newlines > 0;
      }
    }
  }

  std::string run() {
    if (tk_.empty()) return "";
    decide_breaks();
    write_lines();
    align_comments();
    std::string out;
    for (const Line& l : lines_) {
      if (!l.blank) {
        out.append(static_cast<size_t>(l.indent * kIndentWidth), ' ');
        out += l.code;
        if (!l.comment.empty()) out += l.comment;
      }
      out += '\n';
    }
    return out;
  }

 private:
  std::vector<Tk> tk_;
  std::vector<size_t> match_;  // the other bracket of a pair
  std::vector<bool> multi_;    // an opener whose pair has a line break inside
  std::vector<bool> start_;    // where an item, member, field or enum value begins
  std::vector<bool> map_;      // a brace of a map type
  std::vector<bool> type_head_;  // the `:` before a type's parent
  std::vector<int> breaks_;    // before each token: 0 same line, 1 new line, 2 after a blank line
  std::vector<Line> lines_;

  /// A `{` that opens a block (or an enum's or a type's body) written on
  /// several lines.
  bool multi_brace(size_t i) const { return tk_[i].kind == Tok::LBrace && !map_[i] && multi_[i]; }

  std::optional<size_t> prev_code(size_t i) const {
    while (i-- > 0)
      if (!is_comment(tk_[i].kind)) return i;
    return std::nullopt;
  }

  std::optional<size_t> next_code(size_t i) const {
    for (; i < tk_.size(); ++i)
      if (!is_comment(tk_[i].kind)) return i;
    return std::nullopt;
  }

  bool unary_minus(size_t i) const {
    if (tk_[i].kind != Tok::Minus) return false;
    auto p = prev_code(i);
    return !p || !ends_operand(tk_[*p].kind);
  }

  /// The line breaks before token i (i > 0), given what encloses it.
  int break_before(size_t i, const std::vector<size_t>& open) const {
    const Tk& t = tk_[i];
    const Tk& p = tk_[i - 1];
    int b = std::min(t.newlines, 2);
    if (p.kind == Tok::LineComment) b = std::max(b, 1);
    // A block opens on the line of what it belongs to.
    if (t.kind == Tok::LBrace && b > 0 && !is_comment(p.kind) && !is_opener(p.kind) && !is_separator(p.kind)) b = 0;
    // No blank line just inside brackets; a block written on several lines
    // has its braces alone at the ends (a `//` comment may follow `{`).
    if (is_closer(t.kind)) b = (t.kind == Tok::RBrace && multi_brace(match_[i])) ? 1 : std::min(b, 1);
    if (is_opener(p.kind)) {
      if (multi_brace(i - 1)) b = (t.kind == Tok::LineComment && t.newlines == 0) ? 0 : 1;
      else b = std::min(b, 1);
    }
    if (is_closer(t.kind) && match_[i] == i - 1) b = 0;  // `{}`, `[]`, `()`
    // In a block written on several lines and at the top level, a member
    // starts its own line unless `;` or `,` joins it to the one before (or
    // a `/* */` comment leading its line comes first).
    const bool own_lines = open.empty() || multi_brace(open.back());
    const auto before = prev_code(i);
    const bool joined = before && is_separator(tk_[*before].kind);
    const bool after_leading_comment = p.kind == Tok::BlockComment && (i == 1 || breaks_[i - 1] > 0);
    if (start_[i] && own_lines && !joined && !(b == 0 && after_leading_comment)) b = std::max(b, 1);
    return b;
  }

  void decide_breaks() {
    breaks_.assign(tk_.size(), 0);
    std::vector<size_t> open;
    for (size_t i = 0; i < tk_.size(); ++i) {
      if (i > 0) breaks_[i] = break_before(i, open);
      if (is_opener(tk_[i].kind) && match_[i] != SIZE_MAX) open.push_back(i);
      if (is_closer(tk_[i].kind) && !open.empty()) open.pop_back();
    }
  }

  /// The indentation of a line that begins with token i.
  int indent_of(size_t i, const std::vector<size_t>& open, const std::vector<size_t>& line_of) const {
    if (is_closer(tk_[i].kind)) {
      // `})`: the outermost bracket the leading closers end decides.
      size_t j = i;
      while (j + 1 < tk_.size() && is_closer(tk_[j + 1].kind) && breaks_[j + 1] == 0) ++j;
      if (match_[j] != SIZE_MAX) return lines_[line_of[match_[j]]].indent;
    }
    const int base = open.empty() ? 0 : lines_[line_of[open.back()]].indent + 1;
    // A line that continues an expression from the line above is indented
    // once more (as gofmt does).
    auto p = prev_code(i);
    auto c = next_code(i);
    if (!p || !c || is_opener(tk_[*p].kind) || is_separator(tk_[*p].kind)) return base;
    if (start_[*c] || is_closer(tk_[*c].kind)) return base;
    return base + 1;
  }

  /// The space written between tokens i - 1 and i on one line.
  std::string_view space_before(size_t i) const {
    const Tok p = tk_[i - 1].kind;
    const Tok k = tk_[i].kind;
    if (is_comment(p) || is_comment(k)) return " ";
    // `type service : workload`, as the stdlib writes a parent.
    if (type_head_[i]) return " ";
    switch (k) {
      case Tok::Comma: case Tok::Semi: case Tok::RParen: case Tok::RBrack:
      case Tok::Question: case Tok::Colon: case Tok::Dot: case Tok::Range: return "";
      case Tok::RBrace: return match_[i] == i - 1 || map_[i] ? "" : " ";
      default: break;
    }
    if (p == Tok::LParen || p == Tok::LBrack || p == Tok::Dot || p == Tok::Range) return "";
    if (p == Tok::LBrace && map_[i - 1]) return "";
    if (unary_minus(i - 1)) return "";
    if (k == Tok::LParen) return is_name(p) ? "" : " ";
    if (k == Tok::LBrack) return ends_operand(p) ? "" : " ";
    return " ";
  }

  void write_lines() {
    std::vector<size_t> open;
    std::vector<size_t> line_of(tk_.size(), 0);
    for (size_t i = 0; i < tk_.size(); ++i) {
      if (i == 0 || breaks_[i] > 0) {
        if (breaks_[i] == 2) {
          Line blank;
          blank.blank = true;
          lines_.push_back(std::move(blank));
        }
        Line l;
        l.indent = indent_of(i, open, line_of);
        lines_.push_back(std::move(l));
      } else {
        Line& l = lines_.back();
        (l.comment.empty() ? l.code : l.comment) += space_before(i);
      }
      Line& l = lines_.back();
      const Tk& t = tk_[i];
      if (t.kind == Tok::LineComment && !l.code.empty()) {
        // Kept apart for alignment; the space before it is set there.
        if (l.code.back() == ' ') l.code.pop_back();
        l.comment = trim_comment(t.text);
      } else {
        l.code += is_comment(t.kind) ? trim_comment(t.text) : std::string(t.text);
      }
      if (t.text.find('\n') != std::string_view::npos) l.alignable = false;
      line_of[i] = lines_.size() - 1;
      if (is_opener(t.kind) && match_[i] != SIZE_MAX) open.push_back(i);
      if (is_closer(t.kind) && !open.empty()) open.pop_back();
    }
  }

  /// Trailing `//` comments of consecutive lines at one indentation start
  /// in one column, one space past the longest code. As gofmt aligns them
  /// through text/tabwriter, where "a column block is a run of consecutive
  /// cells in adjacent lines" (https://pkg.go.dev/text/tabwriter): a line
  /// without such a comment ends the run.
  void align_comments() {
    auto in_run = [&](const Line& l) { return !l.blank && !l.comment.empty() && l.alignable; };
    for (size_t i = 0; i < lines_.size();) {
      if (!in_run(lines_[i])) {
        if (!lines_[i].comment.empty()) lines_[i].comment = " " + lines_[i].comment;
        ++i;
        continue;
      }
      size_t j = i;
      size_t width = 0;
      while (j < lines_.size() && in_run(lines_[j]) && lines_[j].indent == lines_[i].indent)
        width = std::max(width, code_points(lines_[j++].code));
      for (size_t k = i; k < j; ++k)
        lines_[k].comment = std::string(width + 1 - code_points(lines_[k].code), ' ') + lines_[k].comment;
      i = j;
    }
  }
};

}  // namespace

std::string trim_comment(std::string_view comment) {
  std::string out;
  size_t pos = 0;
  while (pos <= comment.size()) {
    size_t eol = comment.find('\n', pos);
    std::string_view line = comment.substr(pos, eol == std::string_view::npos ? std::string_view::npos : eol - pos);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r')) line.remove_suffix(1);
    out += line;
    if (eol == std::string_view::npos) break;
    out += '\n';
    pos = eol + 1;
  }
  return out;
}

std::string layout(std::string_view text, const Anchors& anchors) { return Layout(text, anchors).run(); }

}  // namespace claw::format
