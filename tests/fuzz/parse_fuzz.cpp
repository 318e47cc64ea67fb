// libFuzzer target for the syntax phase: every input is handed to
// claw::syntax::parse_file as one file, which runs input validation (size,
// NUL bytes, UTF-8), the hand-written lexer, the nesting check, the SLL parse
// and, for inputs that do not parse, the item-wise LL parse with error
// recovery and the tree builder with string and number decoding. The
// sanitizers turn any memory error, undefined behaviour, escaped exception or
// unbounded recursion on the way into a crash. Inputs that are valid UTF-8
// are also lexed by the ANTLR-generated lexer, which the hand-written lexer
// must match token for token.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "compiler/source/source.h"
#include "compiler/syntax/parse.h"
#include "compiler/syntax/token.h"

namespace {

bool valid_utf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    uint32_t cp = n == 1 ? c : c & (0x7F >> n);
    for (size_t k = 1; k < n; ++k) {
      auto d = static_cast<unsigned char>(s[i + k]);
      if ((d & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (d & 0x3F);
    }
    bool overlong = (n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000);
    if (overlong || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += n;
  }
  return true;
}

// The hand-written lexer must agree with the grammar's lexer. A leading byte
// order mark is left out: ANTLR's input stream drops it (a known difference).
void check_lexers_agree(std::string_view text) {
  if (!valid_utf8(text) || text.starts_with("\xEF\xBB\xBF")) return;
  auto mine = claw::syntax::lex(text);
  auto ref = claw::syntax::lex_with_antlr(text);
  bool same = mine.size() == ref.size();
  for (size_t i = 0; same && i < mine.size(); ++i) {
    const auto& a = mine[i];
    const auto& b = ref[i];
    same = a.kind == b.kind && a.begin == b.begin && a.end == b.end && a.line == b.line && a.column == b.column;
    if (!same)
      std::fprintf(stderr, "lexer mismatch at token %zu: hand-written kind %d [%u,%u) %u:%u, ANTLR kind %d [%u,%u) %u:%u\n",
                   i, static_cast<int>(a.kind), a.begin, a.end, a.line, a.column, static_cast<int>(b.kind), b.begin,
                   b.end, b.line, b.column);
  }
  if (!same) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  check_lexers_agree(text);
  claw::source::SourceManager sources;
  auto id = sources.add("fuzz.claw", std::move(text));
  auto result = claw::syntax::parse_file(sources.file(id), id);
  if (!result.file) std::abort();
  return 0;
}
