// claw_dump_tokens FILE: prints the tokens claw's own lexer makes of FILE,
// one a line as `KIND BEGIN END ROLE`: KIND the token type (numbered as the
// lexer rules of grammar/Claw.g4), BEGIN and END byte offsets, ROLE `kw`
// where the parser took a keyword token as a keyword (the start of a
// top-level item, a template's declaration kind) and `-` elsewhere.
// For the test that holds the TextMate grammar to the lexer
// (editors/vscode/tests/examples.test.js).
#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "compiler/syntax/parse.h"
#include "compiler/syntax/token.h"

namespace {

/// Byte offsets where the parser read a keyword token as a keyword.
std::set<uint32_t> keyword_offsets(const claw::syntax::File& file) {
  using namespace claw::syntax;
  std::set<uint32_t> at;
  for (const Item* item : file.items) {
    at.insert(item->span.begin);
    if (item->kind == ItemKind::Template) at.insert(static_cast<const TemplateItem*>(item)->kind_span.begin);
    if (item->kind == ItemKind::Decl) at.insert(static_cast<const DeclItem*>(item)->kind_span.begin);
  }
  return at;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: claw_dump_tokens FILE.claw\n");
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "claw_dump_tokens: cannot read %s\n", argv[1]);
    return 1;
  }
  std::stringstream buf;
  buf << in.rdbuf();
  claw::source::SourceFile source(argv[1], buf.str());
  auto parsed = claw::syntax::parse_file(source, claw::source::FileId{0});
  const auto keywords = keyword_offsets(*parsed.file);
  for (const auto& t : claw::syntax::lex(source.text(), false)) {
    if (t.kind == claw::syntax::Tok::Eof) break;
    const bool kw = t.kind <= claw::syntax::Tok::X && keywords.contains(t.begin);
    std::printf("%u %u %u %s\n", static_cast<unsigned>(t.kind), t.begin, t.end, kw ? "kw" : "-");
  }
  return 0;
}
