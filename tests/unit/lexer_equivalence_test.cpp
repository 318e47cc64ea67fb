// Holds the hand-written lexer (syntax::lex) to the grammar's definition: the
// ANTLR-generated lexer (syntax::lex_with_antlr) must produce exactly the same
// token stream, hidden tokens included: kind, byte range, line and column.
//
// Inputs: every .claw file of the repository (examples/, infra/, stdlib/ and
// the .claw sections of the golden tests), thousands of seeded random token
// soups built from fragments that sit on the longest-match boundaries of the
// lexer rules, and programs from tests/bench/gen_program.py when it exists.
#include <doctest/doctest.h>

#include <algorithm>
#include <iterator>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/syntax/parse.h"
#include "compiler/syntax/token.h"
#include "tests/unit/claw_inputs.h"

namespace {

using namespace claw::testing;
using claw::syntax::Tok;
using claw::syntax::Token;

std::string show(const Token& t, std::string_view text) {
  std::string s = "kind " + std::to_string(static_cast<int>(t.kind)) + " [" + std::to_string(t.begin) + "," +
                  std::to_string(t.end) + ") " + std::to_string(t.line) + ":" + std::to_string(t.column);
  if (t.end <= text.size() && t.begin <= t.end) s += " `" + excerpt(text.substr(t.begin, t.end - t.begin), 0) + "`";
  return s;
}

struct Outcome {
  bool same = true;
  size_t tokens = 0;
  std::string why;
};

Outcome compare(std::string_view text) {
  Outcome o;
  auto mine = claw::syntax::lex(text);
  auto ref = claw::syntax::lex_with_antlr(text);
  o.tokens = ref.size();
  size_t n = std::min(mine.size(), ref.size());
  for (size_t i = 0; i < n; ++i) {
    const Token& a = mine[i];
    const Token& b = ref[i];
    if (a.kind != b.kind || a.begin != b.begin || a.end != b.end || a.line != b.line || a.column != b.column) {
      o.same = false;
      o.why = "token " + std::to_string(i) + ": hand-written " + show(a, text) + ", ANTLR " + show(b, text) +
              "\n  near: " + excerpt(text, std::min(a.begin, b.begin));
      return o;
    }
  }
  if (mine.size() != ref.size()) {
    o.same = false;
    o.why = "hand-written lexer gave " + std::to_string(mine.size()) + " tokens, ANTLR " + std::to_string(ref.size());
  }
  return o;
}

// CLAW_LEXEQ_STATS=1 prints how much each case compared (silent otherwise).
void stats(const char* what, size_t inputs, size_t tokens) {
  if (const char* v = std::getenv("CLAW_LEXEQ_STATS"); v && *v == '1')
    std::fprintf(stderr, "lexer equivalence: %s: %zu inputs, %zu tokens\n", what, inputs, tokens);
}

// Fragments on the boundaries of the lexer rules. Soups are made by joining
// random fragments with or without separators, so fragments also combine
// into new boundary cases (`1` + `.` + `.5`, `a-` + `-b`, `"` + `""`...).
constexpr std::string_view kFragments[] = {
    // keywords and names
    "import", "let", "type", "enum", "template", "cluster", "machine", "role", "service", "job", "cron", "daemon",
    "chart", "secret", "resource", "resources", "true", "false", "null", "x", "xy", "X", "x-", "machine-1", "machine-", "a-b-", "a--b", "-a",
    "_", "__x", "_1", "k3s-mode", "a", "Z9", "templates", "true_",
    // numbers
    "0", "1", "42", "1_000", "1_", "1__0", "_0", "1.5", "1.", ".5", "1..2", "1...2", "1.5GiB", "24GiB", "500m", "1e10",
    "1.5.5", "2x", "1_0.2_5ms", "9999999999999999999999", "0.0", "1.e", "3Gi-",
    // punctuation
    "{", "}", "[", "]", "(", ")", "=", ":", ";", ",", "..", ".", "?", "+", "-", "*", "/", "...",
    // strings
    "\"\"", "\"a\"", "\"\\\"\"", "\"\\\"", "\"\\", "\"", "\"\"\"", "\"\"\"x\"\"\"", "\"\"\"x\"\"\"\"",
    "\"\"\"\"\"\"", "\"a\\\nb\"", "\"${a.b}\"", "\"\\$\"", "\"é ✓ 日本 \xF0\x9F\x98\x80\"", "\"\\é\"", "\"abc",
    "\"\"\"multi\nline\"\"\"", "\"\\\\\"",
    // comments
    "//", "//x", "//x\r\n", "/*", "*/", "/* * / */", "/**/", "/***/", "/*/", "/* a\n b */", "///*",
    // whitespace
    " ", "\t", "\n", "\r\n", "\r",
    // error characters
    "\\", "@", "#", "'", "é", "\xF0\x9F\x98\x80", "\xEF\xBB\xBF", "\f", "$", "\x01", std::string_view("\0", 1),
};

constexpr std::string_view kBom = "\xEF\xBB\xBF";

std::string soup(std::mt19937& rng) {
  std::uniform_int_distribution<size_t> count(1, 40);
  std::uniform_int_distribution<size_t> pick(0, std::size(kFragments) - 1);
  std::uniform_int_distribution<int> sep(0, 5);
  std::string s;
  size_t n = count(rng);
  for (size_t i = 0; i < n; ++i) {
    s += kFragments[pick(rng)];
    switch (sep(rng)) {
      case 0: s += ' '; break;
      case 1: s += '\n'; break;
      default: break;  // glued: the interesting case
    }
  }
  // A byte order mark at the very start is a case of its own (below).
  if (s.starts_with(kBom)) s.insert(s.begin(), ' ');
  return s;
}

}  // namespace

TEST_SUITE("lexer equivalence") {

TEST_CASE("the hand-written lexer matches ANTLR on every .claw file of the repository") {
  std::vector<Input> sources = repository_sources();

  size_t tokens = 0;
  for (const auto& in : sources) {
    if (!valid_utf8(in.text)) continue;  // rejected before lexing; ANTLR cannot decode it
    auto o = compare(in.text);
    tokens += o.tokens;
    CHECK_MESSAGE(o.same, in.name, ": ", o.why);
  }
  CHECK(tokens > sources.size());
  stats("repository files", sources.size(), tokens);
}

TEST_CASE("the hand-written lexer matches ANTLR on boundary fragments alone and in pairs") {
  size_t inputs = 0, tokens = 0;
  for (auto a : kFragments) {
    if (a.starts_with(kBom)) continue;  // a case of its own (below)
    auto o = compare(a);
    CHECK_MESSAGE(o.same, "input `", excerpt(a, 0), "`: ", o.why);
    for (auto b : kFragments) {
      std::string ab = std::string(a) + std::string(b);
      auto p = compare(ab);
      CHECK_MESSAGE(p.same, "input `", excerpt(ab, 0), "`: ", p.why);
      tokens += p.tokens;
      ++inputs;
    }
  }
  stats("fragment pairs", inputs, tokens);
}

TEST_CASE("the hand-written lexer matches ANTLR on seeded random token soups") {
  std::mt19937 rng(20240611);
  size_t tokens = 0, failures = 0;
  for (int i = 0; i < 4000; ++i) {
    std::string s = soup(rng);
    auto o = compare(s);
    tokens += o.tokens;
    if (!o.same && ++failures <= 5) CHECK_MESSAGE(o.same, "soup #", i, " `", excerpt(s, 0), "`: ", o.why);
  }
  CHECK(failures == 0);
  CHECK(tokens > 4000);
  stats("random soups", 4000, tokens);
}

TEST_CASE("the hand-written lexer matches ANTLR on a file that starts with a byte order mark") {
  // ANTLR's input stream drops a leading UTF-8 BOM, so its tokens start after
  // it: the hand-written lexer must skip it too. A BOM anywhere else is an
  // ERROR_CHAR for both.
  for (std::string_view text : {"\xEF\xBB\xBF", "\xEF\xBB\xBFlet a = 1\n", "\xEF\xBB\xBF // c\nx",
                                "\xEF\xBB\xBF\xEF\xBB\xBF", "\xEF\xBB\xBF\xEF\xBB\xBF)"}) {
    auto o = compare(text);
    CHECK_MESSAGE(o.same, "input `", excerpt(text, 0), "`: ", o.why);
  }
  CHECK(compare("a \xEF\xBB\xBF b").same);
}

TEST_CASE("the hand-written lexer matches ANTLR on generated programs") {
  // Skipped when tests/bench/gen_program.py is absent.
  auto programs = generated_programs("claw-lexeq");
  size_t tokens = 0;
  for (const auto& in : programs) {
    auto o = compare(in.text);
    tokens += o.tokens;
    CHECK_MESSAGE(o.same, in.name, ": ", o.why);
  }
  stats("generated program files", programs.size(), tokens);
}

}  // TEST_SUITE
