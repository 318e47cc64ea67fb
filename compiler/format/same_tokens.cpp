#include "compiler/format/same_tokens.h"

#include <vector>

#include "compiler/format/layout.h"
#include "compiler/syntax/token.h"

namespace claw::format {
namespace {

struct Seen {
  syntax::Tok kind;
  std::string text;
  uint32_t begin;
};

std::vector<Seen> visible(std::string_view text) {
  std::vector<Seen> out;
  for (const syntax::Token& t : syntax::lex(text, false)) {
    std::string_view s = text.substr(t.begin, t.end - t.begin);
    const bool comment = t.kind == syntax::Tok::LineComment || t.kind == syntax::Tok::BlockComment;
    out.push_back(Seen{t.kind, comment ? trim_comment(s) : std::string(s), t.begin});
  }
  return out;
}

}  // namespace

std::optional<uint32_t> first_token_difference(std::string_view before, std::string_view after) {
  const std::vector<Seen> a = visible(before);
  const std::vector<Seen> b = visible(after);
  for (size_t i = 0; i < a.size(); ++i)
    if (i >= b.size() || a[i].kind != b[i].kind || a[i].text != b[i].text) return a[i].begin;
  if (b.size() > a.size()) return static_cast<uint32_t>(before.size());
  return std::nullopt;
}

}  // namespace claw::format
