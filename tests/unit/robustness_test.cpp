// parse_file on hostile input: empty, binary, invalid UTF-8, huge, deeply
// nested, unterminated and random files. Each must come back (no crash, no
// hang, no unbounded recursion) with a tree and, where one applies, the
// diagnostic of the right kind.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <exception>
#include <random>
#include <string>
#include <string_view>

#include "compiler/diag/diagnostic.h"
#include "compiler/source/source.h"
#include "compiler/syntax/parse.h"

namespace {

using claw::diag::Kind;
using claw::syntax::ParseLimits;
using claw::syntax::ParseResult;

struct Parsed {
  ParseResult result;
  double seconds = 0;
  size_t size = 0;

  bool has(Kind k) const {
    return std::any_of(result.diags.all().begin(), result.diags.all().end(),
                       [k](const auto& d) { return d.kind == k; });
  }
  size_t count(Kind k) const {
    return static_cast<size_t>(std::count_if(result.diags.all().begin(), result.diags.all().end(),
                                             [k](const auto& d) { return d.kind == k; }));
  }
  std::string codes() const {
    std::string s;
    for (const auto& d : result.diags.all()) {
      if (!s.empty()) s += ", ";
      s += std::string(claw::diag::kind_code(d.kind));
      if (s.size() > 300) return s + "...";
    }
    return s.empty() ? "(none)" : s;
  }
};

// Parses `text` as one file of a fresh SourceManager and checks what holds
// for every input: a tree comes back and every diagnostic points into the file.
Parsed parse(std::string text, const ParseLimits& limits = {}) {
  claw::source::SourceManager sm;
  auto id = sm.add("input.claw", std::move(text));
  const auto& file = sm.file(id);
  Parsed p;
  p.size = file.text().size();
  auto t0 = std::chrono::steady_clock::now();
  try {
    p.result = claw::syntax::parse_file(file, id, limits);
  } catch (const std::exception& e) {
    // An exception escaping the compiler ends the program: a crash.
    FAIL_CHECK("parse_file threw: ", std::string(e.what()));
    return p;
  }
  p.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  REQUIRE(p.result.file != nullptr);
  for (const auto& d : p.result.diags.all()) {
    if (!d.span.valid()) continue;
    CHECK(d.span.file == id);
    CHECK(d.span.begin <= d.span.end);
    CHECK(d.span.end <= p.size);
  }
  return p;
}

std::string repeat(std::string_view s, size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (size_t i = 0; i < n; ++i) out += s;
  return out;
}

// Generous: only a hang or a quadratic blow-up should trip it, even under
// the sanitizers on a slow machine.
constexpr double kSeconds = 60;

}  // namespace

TEST_SUITE("robustness") {

TEST_CASE("an empty file is a warning, not an error") {
  auto p = parse("");
  CHECK_MESSAGE(p.has(Kind::FileEmpty), p.codes());
  CHECK(!p.result.diags.has_errors());
}

TEST_CASE("whitespace and comments only") {
  for (std::string text : {" ", "\n\n\n", " \t\r\n  \r\n", "// nothing here\n", "/* nothing */\n// at all"}) {
    auto p = parse(text);
    CHECK_MESSAGE(p.has(Kind::FileEmpty), p.codes());
    CHECK(!p.result.diags.has_errors());
  }
}

TEST_CASE("a file with a NUL byte is binary") {
  std::string text = "let a = 1\n";
  text += '\0';
  text += "let b = 2\n";
  auto p = parse(text);
  REQUIRE_MESSAGE(p.has(Kind::FileBinary), p.codes());
  CHECK(p.result.file->has_syntax_errors);
  CHECK(p.result.diags.all().front().span.begin == 10);
  // An ELF-like header.
  auto q = parse(std::string("\x7F" "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0", 16));
  CHECK_MESSAGE(q.has(Kind::FileBinary), q.codes());
}

TEST_CASE("invalid UTF-8 is reported at its first bad byte") {
  const std::pair<std::string, uint32_t> cases[] = {
      {"let a = \"caf\xE9\"\n", 12},           // Latin-1 é
      {"\xFF\xFE" "l", 0},                      // a UTF-16 byte order mark
      {"let a = \"\xC0\xAF\"", 9},             // overlong '/'
      {"let a = \"\xED\xA0\x80\"", 9},         // UTF-16 surrogate
      {"let a = \"\xF4\x90\x80\x80\"", 9},     // beyond U+10FFFF
      {"let a = \"\xE2\x82", 9},               // truncated at the end of the file
      {"let a = \x80", 8},                     // lone continuation byte
      {"// \xC3\x28 in a comment\n", 3},       // bad continuation
  };
  for (const auto& [text, at] : cases) {
    CAPTURE(at);
    auto p = parse(text);
    REQUIRE_MESSAGE((p.has(Kind::FileNotUtf8) || p.has(Kind::FileBinary)), p.codes());
    CHECK(p.result.file->has_syntax_errors);
    if (p.has(Kind::FileNotUtf8)) CHECK(p.result.diags.all().front().span.begin == at);
  }
  auto p = parse(std::string("let a = \"\xC0\xAF\""));
  CHECK_MESSAGE(p.has(Kind::FileNotUtf8), p.codes());
}

TEST_CASE("valid non-ASCII text parses") {
  auto p = parse("let greeting = \"grüße, 日本, \xF0\x9F\x9A\x80\" // ✓\n");
  CHECK_MESSAGE(!p.result.diags.has_errors(), p.codes());
}

TEST_CASE("a 10 MB file of valid content is refused as too large, and parses when allowed") {
  std::string text;
  text.reserve(10u << 20);
  for (size_t i = 0; text.size() < (10u << 20); ++i)
    text += "let value_" + std::to_string(i) + " = [1, 2.5, 24GiB, \"s\"] // c\n";
  auto p = parse(text);
  CHECK_MESSAGE(p.has(Kind::FileTooLarge), p.codes());
  CHECK(p.result.diags.all().size() == 1);
  CHECK(p.seconds < 1);

  ParseLimits big;
  big.max_file_bytes = 16u << 20;
  auto q = parse(std::move(text), big);
  CHECK_MESSAGE(!q.result.diags.has_errors(), q.codes());
  CHECK(q.seconds < kSeconds);
}

TEST_CASE("a 10 MB file of garbage is refused as too large") {
  std::mt19937 rng(7);
  std::string text(10u << 20, '\0');
  for (auto& c : text) c = static_cast<char>(rng() & 0xFF);
  auto p = parse(text);
  CHECK_MESSAGE(p.has(Kind::FileTooLarge), p.codes());
  CHECK(p.seconds < 1);

  // With the size limit lifted, the bytes are found to be binary.
  ParseLimits big;
  big.max_file_bytes = 16u << 20;
  auto q = parse(std::move(text), big);
  CHECK_MESSAGE((q.has(Kind::FileBinary) || q.has(Kind::FileNotUtf8)), q.codes());
}

TEST_CASE("a large file of printable garbage comes back in bounded time") {
  // Every byte an error of some kind: lexical errors, then recovery in the
  // item-wise parser. Must neither hang nor blow up quadratically.
  std::mt19937 rng(11);
  const std::string_view alphabet = "{}[]()=:;,.?+-*/\"@#'\\ \n\tax1_";
  std::string text(1u << 20, ' ');
  for (auto& c : text) c = alphabet[rng() % alphabet.size()];
  auto p = parse(text);
  CHECK(p.result.diags.has_errors());
  CHECK(p.seconds < kSeconds);
}

TEST_CASE("10,000 levels of nesting are refused, not recursed into") {
  const std::pair<std::string_view, std::string_view> brackets[] = {{"[", "]"}, {"{", "}"}, {"(", ")"}};
  for (auto [open, close] : brackets) {
    CAPTURE(std::string(open));
    // Unclosed.
    auto p = parse("let a = " + repeat(open, 10000));
    CHECK_MESSAGE(p.has(Kind::NestingTooDeep), p.codes());
    CHECK(p.count(Kind::NestingTooDeep) == 1);
    // Balanced.
    auto q = parse("let a = " + repeat(open, 10000) + "1" + repeat(close, 10000));
    CHECK_MESSAGE(q.has(Kind::NestingTooDeep), q.codes());
    // As members of blocks.
    auto r = parse("machine m " + repeat("{ a ", 10000) + repeat("}", 10000));
    CHECK_MESSAGE(r.has(Kind::NestingTooDeep), r.codes());
    CHECK(p.seconds + q.seconds + r.seconds < kSeconds);
  }
  // In a type.
  auto t = parse("let a: " + repeat("[", 10000) + "int" + repeat("]", 10000) + " = 1");
  CHECK_MESSAGE(t.has(Kind::NestingTooDeep), t.codes());
  // Mixed brackets.
  auto m = parse("let a = " + repeat("[{(", 4000));
  CHECK_MESSAGE(m.has(Kind::NestingTooDeep), m.codes());
}

TEST_CASE("10,000 unary minuses are refused") {
  auto p = parse("let a = " + repeat("-", 10000) + "1");
  CHECK_MESSAGE(p.has(Kind::NestingTooDeep), p.codes());
  // Whitespace and comments between them do not reset the count.
  auto q = parse("let a = " + repeat("- /**/\n", 10000) + "1");
  CHECK_MESSAGE(q.has(Kind::NestingTooDeep), q.codes());
  // Alternating with parentheses.
  auto r = parse("let a = " + repeat("-(", 10000) + "1");
  CHECK_MESSAGE(r.has(Kind::NestingTooDeep), r.codes());
}

TEST_CASE("nesting just under the limit parses") {
  ParseLimits limits;
  size_t n = limits.max_nesting - 1;
  auto p = parse("let a = " + repeat("[", n) + "1" + repeat("]", n) + "\n", limits);
  CHECK_MESSAGE(!p.result.diags.has_errors(), p.codes());
  auto q = parse("let a = " + repeat("-", n) + "1\n", limits);
  CHECK_MESSAGE(!q.result.diags.has_errors(), q.codes());
}

TEST_CASE("long flat chains do not recurse per element") {
  // Left-associative operators and postfix chains are loops in the grammar;
  // the tree they build is deep, and building it must not overflow the stack.
  auto p = parse("let a = 1" + repeat(" + 1", 100000) + "\n");
  CHECK_MESSAGE(!p.result.diags.has_errors(), p.codes());
  auto q = parse("let a = b" + repeat(".c", 100000) + "\n");
  CHECK_MESSAGE(!q.result.diags.has_errors(), q.codes());
  auto r = parse("let a = b" + repeat("[0]", 100000) + "\n");
  CHECK_MESSAGE(!r.result.diags.has_errors(), r.codes());
  auto s = parse("let a = [" + repeat("1, ", 100000) + "]\n");
  CHECK_MESSAGE(!s.result.diags.has_errors(), s.codes());
  CHECK(p.seconds + q.seconds + r.seconds + s.seconds < kSeconds);
}

TEST_CASE("an unterminated block comment") {
  auto p = parse("let a = 1\n/* not closed\nlet b = 2\n");
  CHECK_MESSAGE(p.has(Kind::UnterminatedComment), p.codes());
  CHECK(p.count(Kind::UnterminatedComment) == 1);
  auto q = parse("/*");
  CHECK_MESSAGE(q.has(Kind::UnterminatedComment), q.codes());
  auto r = parse("/* nothing but an open comment ***");
  CHECK_MESSAGE(r.has(Kind::UnterminatedComment), r.codes());
}

TEST_CASE("unterminated strings and unexpected characters") {
  auto p = parse("let a = \"abc\nlet b = 1\n");
  CHECK_MESSAGE(p.has(Kind::UnterminatedString), p.codes());
  auto q = parse("let a = 1 # not a comment\n");
  CHECK_MESSAGE(q.has(Kind::UnexpectedCharacter), q.codes());
  auto r = parse("let a = 'single'\n");
  CHECK_MESSAGE(r.has(Kind::UnexpectedCharacter), r.codes());
  auto s = parse("\xEF\xBB\xBF" "let a = 1\n");  // must come back; a BOM may or may not be accepted
  CHECK(s.result.file != nullptr);
}

TEST_CASE("a file that ends right after a keyword") {
  for (std::string text : {"import", "import ", "import\n// c\n", "let", "let a", "let a =", "let a:", "type", "type t",
                           "type t(", "enum", "enum e {", "template", "template t(", "template t() machine",
                           "machine", "machine m =", "machine m = f(", "machine m {", "machine m { a",
                           "machine m { a.", "machine m { gpu \"g\" x", "x"}) {
    CAPTURE(text);
    auto p = parse(text);
    CHECK_MESSAGE(p.has(Kind::SyntaxError), p.codes());
  }
  // A declaration without a body is complete.
  auto q = parse("machine m");
  CHECK_MESSAGE(!q.result.diags.has_errors(), q.codes());
}

TEST_CASE("seeded random bytes") {
  std::mt19937 rng(1234);
  for (int i = 0; i < 300; ++i) {
    size_t len = rng() % 2048;
    std::string text(len, '\0');
    for (auto& c : text) c = static_cast<char>(rng() & 0xFF);
    CAPTURE(i);
    auto p = parse(text);
    if (text.find('\0') != std::string::npos) CHECK_MESSAGE(p.has(Kind::FileBinary), p.codes());
    else if (len > 0) CHECK_MESSAGE(p.result.diags.has_errors(), p.codes());
  }
}

TEST_CASE("seeded random ASCII and token soups") {
  static constexpr std::string_view kPieces[] = {
      "import", "let", "type", "enum", "template", "cluster", "machine", "role", "service", "job", "cron",
      "daemon", "chart", "secret", "true", "false", "null", "x", "a", "b-c", "port", "gpu", "\"s\"",
      "\"${a.b}\"", "\"${\"", "\"\\q\"", "\"\"\"t\"\"\"", "\"open", "1", "2.5", "24GiB", "99999999999999999999999",
      "{", "}", "[", "]", "(", ")", "=", ":", ";", ",", "..", ".", "?", "+", "-", "*", "/", "//c\n", "/*c*/",
      "/*", "@", "é", " ", "\n", "\n", " ", " "};
  std::mt19937 rng(99);
  for (int i = 0; i < 2000; ++i) {
    std::string text;
    size_t n = rng() % 60;
    for (size_t k = 0; k < n; ++k) {
      text += kPieces[rng() % std::size(kPieces)];
      if (rng() % 3) text += ' ';
    }
    CAPTURE(text);
    auto p = parse(text);
    CHECK(p.seconds < kSeconds);
  }
  // Printable ASCII noise.
  for (int i = 0; i < 300; ++i) {
    std::string text(rng() % 512, ' ');
    for (auto& c : text) c = static_cast<char>(0x20 + rng() % 95);
    CAPTURE(text);
    parse(text);
  }
}

}  // TEST_SUITE
