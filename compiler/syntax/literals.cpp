#include "compiler/syntax/literals.h"

#include <fmt/format.h>

#include <cctype>
#include <algorithm>
#include <charconv>
#include <cmath>

namespace claw::syntax::detail {

DeclKind decl_kind_of(Tok keyword) {
  switch (keyword) {
    case Tok::Cluster: return DeclKind::Cluster;
    case Tok::Machine: return DeclKind::Machine;
    case Tok::Role: return DeclKind::Role;
    case Tok::Service: return DeclKind::Service;
    case Tok::Job: return DeclKind::Job;
    case Tok::Cron: return DeclKind::Cron;
    case Tok::Daemon: return DeclKind::Daemon;
    case Tok::Chart: return DeclKind::Chart;
    case Tok::Resource: return DeclKind::Resource;
    default: return DeclKind::Secret;
  }
}

std::optional<double> Literals::parse_number(std::string_view digits, bool& integral, Span where) {
  std::string clean;
  for (char c : digits)
    if (c != '_') clean.push_back(c);
  integral = clean.find('.') == std::string::npos;
  double v = 0;
  auto r = std::from_chars(clean.data(), clean.data() + clean.size(), v);
  if (r.ec != std::errc() || !std::isfinite(v)) {
    sink_.report(diag::Kind::NumberTooLarge, where, fmt::format("number `{}` is too large", digits));
    return std::nullopt;
  }
  return v;
}

Expr* Literals::int_expr(Span s, std::string_view text) {
  int64_t v = 0;
  std::errc ec;
  if (text.find('_') == std::string_view::npos) {
    ec = std::from_chars(text.data(), text.data() + text.size(), v).ec;
  } else {
    std::string clean;
    for (char c : text)
      if (c != '_') clean.push_back(c);
    ec = std::from_chars(clean.data(), clean.data() + clean.size(), v).ec;
  }
  if (ec != std::errc()) {
    sink_.report(diag::Kind::NumberTooLarge, s, fmt::format("number `{}` does not fit in 64 bits", text))
        .hint("the largest integer is 9223372036854775807");
    return out_.make<ErrorExpr>(s);
  }
  return out_.make<IntExpr>(s, v);
}

Expr* Literals::float_expr(Span s, std::string_view text) {
  bool integral = false;
  auto v = parse_number(text, integral, s);
  return v ? static_cast<Expr*>(out_.make<FloatExpr>(s, *v)) : out_.make<ErrorExpr>(s);
}

Expr* Literals::quantity_expr(Span s, std::string_view all) {
  size_t i = 0;
  while (i < all.size() && (std::isdigit(static_cast<unsigned char>(all[i])) || all[i] == '_' || all[i] == '.')) ++i;
  bool integral = true;
  auto n = parse_number(all.substr(0, i), integral, s);
  if (!n) return out_.make<ErrorExpr>(s);
  Span us{id_, s.begin + static_cast<uint32_t>(i), s.end};
  return out_.make<QuantityExpr>(s, *n, integral, std::string(all.substr(i)), us);
}

namespace {

/// What of a `"""` string's body is text: from `begin` (past a line break
/// right after the opening quotes) to `end` (before the closing line's
/// indentation), with `indent` taken off the start of every line.
struct TripleLayout {
  size_t begin = 0;
  size_t end = 0;
  std::string_view indent;
};

TripleLayout triple_layout(std::string_view body) {
  TripleLayout l{0, body.size(), {}};
  if (body.starts_with("\r\n")) l.begin = 2;
  else if (body.starts_with("\n")) l.begin = 1;
  // The closing quotes on a line of their own: that line's blanks are the
  // indentation every line gives up.
  const size_t nl = body.rfind('\n');
  if (nl == std::string_view::npos || nl + 1 < l.begin) return l;
  std::string_view last = body.substr(nl + 1);
  if (last.find_first_not_of(" \t") != std::string_view::npos) return l;
  l.indent = last;
  l.end = nl + 1;
  return l;
}

/// Past as much of `indent` as the line starting at `i` begins with.
size_t skip_indent(std::string_view body, size_t i, std::string_view indent) {
  for (size_t k = 0; k < indent.size() && i < body.size() && body[i] == indent[k]; ++k) ++i;
  return i;
}

}  // namespace

StringExpr* Literals::string_expr(Span s, std::string_view raw) {
  auto* e = out_.make<StringExpr>(s);
  if (raw.size() < 2) return e;  // a token conjured by error recovery
  bool triple = raw.size() >= 6 && raw.substr(0, 3) == "\"\"\"";
  size_t q = triple ? 3 : 1;
  std::string_view body = raw.substr(q, raw.size() - 2 * q);
  uint32_t base = s.begin + static_cast<uint32_t>(q);
  // Most strings have no escape and no `${`: their text is their body.
  if (!triple && std::none_of(body.begin(), body.end(), [](char c) { return c == '$' || c == '\\'; })) {
    e->parts.push_back(StringPart{std::string(body), nullptr});
    return e;
  }
  const TripleLayout layout = triple ? triple_layout(body) : TripleLayout{0, body.size(), {}};
  std::string cur;
  for (size_t i = layout.begin; i < layout.end; ++i) {
    char c = body[i];
    if (triple && (i == layout.begin || body[i - 1] == '\n')) {
      i = skip_indent(body, i, layout.indent);
      if (i >= layout.end) break;
      c = body[i];
    }
    if (c == '\\' && !triple) {
      if (i + 1 >= body.size()) break;
      char n = body[++i];
      switch (n) {
        case 'n': cur += '\n'; break;
        case 't': cur += '\t'; break;
        case 'r': cur += '\r'; break;
        case '"': cur += '"'; break;
        case '\\': cur += '\\'; break;
        case '$': cur += '$'; break;
        default:
          sink_.report(diag::Kind::BadEscape, Span{id_, base + static_cast<uint32_t>(i - 1), base + static_cast<uint32_t>(i + 1)},
                       fmt::format("unknown escape `\\{}`", n))
              .hint("the escapes are \\n, \\t, \\r, \\\", \\\\ and \\$");
          cur += n;
      }
      continue;
    }
    // A `"""` string has no escapes: `$${` is its literal `${` (as in
    // Terraform's heredocs), for the shell scripts such strings hold.
    if (triple && c == '$' && i + 2 < layout.end && body[i + 1] == '$' && body[i + 2] == '{') {
      cur += "${";
      i += 2;
      continue;
    }
    if (c == '$' && i + 1 < body.size() && body[i + 1] == '{') {
      size_t close = body.find('}', i + 2);
      Span at{id_, base + static_cast<uint32_t>(i), base + static_cast<uint32_t>(close == std::string_view::npos ? body.size() : close + 1)};
      if (close == std::string_view::npos) {
        sink_.report(diag::Kind::BadInterpolation, at, "`${` is not closed with `}`")
            .hint(triple ? "write `$${` for a literal `${` in a `\"\"\"` string" : "write `\\${` for a literal `${`");
        break;
      }
      Expr* inner = interpolation(body.substr(i + 2, close - i - 2), base + static_cast<uint32_t>(i + 2), at);
      if (!cur.empty()) e->parts.push_back(StringPart{std::move(cur), nullptr});
      cur.clear();
      e->parts.push_back(StringPart{"", inner});
      i = close;
      continue;
    }
    cur += c;
  }
  if (!cur.empty() || e->parts.empty()) e->parts.push_back(StringPart{std::move(cur), nullptr});
  return e;
}

// ${name} or ${name.field.field}: a reference path.
Expr* Literals::interpolation(std::string_view inner, uint32_t offset, Span whole) {
  size_t b = 0, e = inner.size();
  while (b < e && inner[b] == ' ') ++b;
  while (e > b && inner[e - 1] == ' ') --e;
  Expr* result = nullptr;
  size_t i = b;
  while (i <= e) {
    size_t j = i;
    while (j < e && inner[j] != '.') ++j;
    std::string_view part = inner.substr(i, j - i);
    bool ok = !part.empty() && (std::isalpha(static_cast<unsigned char>(part[0])) || part[0] == '_');
    for (char c : part) ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-');
    if (!ok) {
      sink_.report(diag::Kind::BadInterpolation, whole, fmt::format("`${{{}}}` is not a name or a path of names", inner))
          .hint("interpolation takes a name such as `${domain}` or `${redis.port}`");
      return out_.make<ErrorExpr>(whole);
    }
    Name n{std::string(part), Span{id_, offset + static_cast<uint32_t>(i), offset + static_cast<uint32_t>(j)}, false};
    if (!result) result = out_.make<RefExpr>(std::move(n));
    else result = out_.make<FieldExpr>(Span{id_, result->span.begin, n.span.end}, result, std::move(n));
    if (j >= e) break;
    i = j + 1;
  }
  return result ? result : out_.make<ErrorExpr>(whole);
}

Name Literals::key_name(Span s, std::string_view text) {
  auto* e = string_expr(s, text);
  std::string t;
  for (auto& p : e->parts) t += p.text;
  if (!e->literal()) sink_.report(diag::Kind::BadInterpolation, e->span, "a key cannot contain `${...}`");
  return Name{std::move(t), e->span, true};
}

Name Literals::label_name(Span s, std::string_view text, StringExpr*& as_expr) {
  as_expr = string_expr(s, text);
  std::string t;
  for (auto& p : as_expr->parts) t += p.text;
  return Name{std::move(t), as_expr->span, true};
}

}  // namespace claw::syntax::detail
