// Unit tests of the hand-written lexer (claw::syntax::lex): token kinds,
// longest-match decisions, error tokens and the ANTLR-compatible position
// bookkeeping (1-based line, 0-based code point column).
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <string>
#include <string_view>
#include <vector>

#include "compiler/syntax/token.h"

namespace {

using claw::syntax::lex;
using claw::syntax::Tok;
using claw::syntax::Token;

struct Lexeme {
  Tok kind;
  std::string text;
  friend bool operator==(const Lexeme&, const Lexeme&) = default;
};

// Every token but the final Eof, hidden ones included, with its text.
std::vector<Lexeme> all_tokens(std::string_view src) {
  std::vector<Lexeme> out;
  for (const Token& t : lex(src)) {
    if (t.kind == Tok::Eof) break;
    out.push_back({t.kind, std::string(src.substr(t.begin, t.end - t.begin))});
  }
  return out;
}

// The tokens the parser sees (no whitespace or comments), without Eof.
std::vector<Lexeme> visible(std::string_view src) {
  std::vector<Lexeme> out;
  for (const auto& l : all_tokens(src))
    if (!claw::syntax::is_hidden(l.kind)) out.push_back(l);
  return out;
}

std::vector<Tok> kinds(std::string_view src) {
  std::vector<Tok> out;
  for (const auto& l : visible(src)) out.push_back(l.kind);
  return out;
}

// The single visible token of `src`; fails the test when there is not exactly one.
Lexeme one(std::string_view src) {
  auto v = visible(src);
  REQUIRE_MESSAGE(v.size() == 1, "input: ", std::string(src));
  return v[0];
}

}  // namespace

namespace doctest {
template <>
struct StringMaker<Lexeme> {
  static String convert(const Lexeme& l) {
    std::string s = fmt::format("{{{} `{}`}}", static_cast<int>(l.kind), l.text);
    return String(s.c_str());
  }
};
template <>
struct StringMaker<Tok> {
  static String convert(Tok k) { return String(std::to_string(static_cast<int>(k)).c_str()); }
};
}  // namespace doctest

TEST_SUITE("lexer") {

TEST_CASE("empty input is a lone Eof at line 1, column 0") {
  auto toks = lex("");
  REQUIRE(toks.size() == 1);
  CHECK(toks[0].kind == Tok::Eof);
  CHECK(toks[0].begin == 0);
  CHECK(toks[0].end == 0);
  CHECK(toks[0].line == 1);
  CHECK(toks[0].column == 0);
}

TEST_CASE("every keyword is its own token kind") {
  const std::pair<const char*, Tok> cases[] = {
      {"import", Tok::Import},   {"let", Tok::Let},       {"type", Tok::Type},       {"enum", Tok::Enum},
      {"template", Tok::Template}, {"cluster", Tok::Cluster}, {"machine", Tok::Machine}, {"role", Tok::Role},
      {"service", Tok::Service}, {"job", Tok::Job},       {"cron", Tok::Cron},       {"daemon", Tok::Daemon},
      {"chart", Tok::Chart},     {"secret", Tok::Secret}, {"true", Tok::True},       {"false", Tok::False},
      {"null", Tok::Null},       {"x", Tok::X},           {"resource", Tok::Resource},
  };
  for (auto [text, kind] : cases) {
    CAPTURE(text);
    CHECK(one(text) == Lexeme{kind, text});
  }
}

TEST_CASE("keywords vs identifiers") {
  CHECK(one("xy") == Lexeme{Tok::Ident, "xy"});
  CHECK(one("X") == Lexeme{Tok::Ident, "X"});
  CHECK(one("x1") == Lexeme{Tok::Ident, "x1"});
  CHECK(one("x_") == Lexeme{Tok::Ident, "x_"});
  CHECK(one("machine-1") == Lexeme{Tok::Ident, "machine-1"});
  CHECK(one("machines") == Lexeme{Tok::Ident, "machines"});
  CHECK(one("Machine") == Lexeme{Tok::Ident, "Machine"});
  CHECK(one("templates") == Lexeme{Tok::Ident, "templates"});
  CHECK(one("resources") == Lexeme{Tok::Ident, "resources"});
  CHECK(one("resource-1") == Lexeme{Tok::Ident, "resource-1"});
  CHECK(one("true-ish") == Lexeme{Tok::Ident, "true-ish"});
  CHECK(one("letx") == Lexeme{Tok::Ident, "letx"});
  CHECK(one("_") == Lexeme{Tok::Ident, "_"});
  CHECK(one("_x") == Lexeme{Tok::Ident, "_x"});
  CHECK(one("a--b") == Lexeme{Tok::Ident, "a--b"});
  CHECK(one("k3s-mode") == Lexeme{Tok::Ident, "k3s-mode"});
  // `x` between numbers: the repeat count of a labelled member.
  CHECK(visible("gpu \"A\" x 2") ==
        std::vector<Lexeme>{{Tok::Ident, "gpu"}, {Tok::String, "\"A\""}, {Tok::X, "x"}, {Tok::Int, "2"}});
}

TEST_CASE("trailing hyphens are not part of an identifier") {
  CHECK(visible("a-") == std::vector<Lexeme>{{Tok::Ident, "a"}, {Tok::Minus, "-"}});
  CHECK(visible("a-b-") == std::vector<Lexeme>{{Tok::Ident, "a-b"}, {Tok::Minus, "-"}});
  CHECK(visible("a--") == std::vector<Lexeme>{{Tok::Ident, "a"}, {Tok::Minus, "-"}, {Tok::Minus, "-"}});
  CHECK(visible("machine-") == std::vector<Lexeme>{{Tok::Machine, "machine"}, {Tok::Minus, "-"}});
  CHECK(visible("x-") == std::vector<Lexeme>{{Tok::X, "x"}, {Tok::Minus, "-"}});
  CHECK(visible("a-b-1") == std::vector<Lexeme>{{Tok::Ident, "a-b-1"}});
  CHECK(visible("a - b") == std::vector<Lexeme>{{Tok::Ident, "a"}, {Tok::Minus, "-"}, {Tok::Ident, "b"}});
  CHECK(visible("-a") == std::vector<Lexeme>{{Tok::Minus, "-"}, {Tok::Ident, "a"}});
  // An identifier cannot start with a digit or a hyphen.
  CHECK(visible("-1a") == std::vector<Lexeme>{{Tok::Minus, "-"}, {Tok::Quantity, "1a"}});
}

TEST_CASE("quantities: a number with a unit suffix is one token") {
  CHECK(one("24GiB") == Lexeme{Tok::Quantity, "24GiB"});
  CHECK(one("500m") == Lexeme{Tok::Quantity, "500m"});
  CHECK(one("1.5GB") == Lexeme{Tok::Quantity, "1.5GB"});
  CHECK(one("30s") == Lexeme{Tok::Quantity, "30s"});
  CHECK(one("1_000Mi") == Lexeme{Tok::Quantity, "1_000Mi"});
  CHECK(one("0.25h") == Lexeme{Tok::Quantity, "0.25h"});
  CHECK(one("2x") == Lexeme{Tok::Quantity, "2x"});
  // The unit is letters only: a digit or underscore after it starts a new token.
  CHECK(visible("1e10") == std::vector<Lexeme>{{Tok::Quantity, "1e"}, {Tok::Int, "10"}});
  CHECK(visible("5m_") == std::vector<Lexeme>{{Tok::Quantity, "5m"}, {Tok::Ident, "_"}});
  CHECK(visible("5m-1") == std::vector<Lexeme>{{Tok::Quantity, "5m"}, {Tok::Minus, "-"}, {Tok::Int, "1"}});
  // A dot not followed by a digit is not a fraction.
  CHECK(visible("1.GB") == std::vector<Lexeme>{{Tok::Int, "1"}, {Tok::Dot, "."}, {Tok::Ident, "GB"}});
}

TEST_CASE("integers and floats") {
  CHECK(one("0") == Lexeme{Tok::Int, "0"});
  CHECK(one("42") == Lexeme{Tok::Int, "42"});
  CHECK(one("1_000_000") == Lexeme{Tok::Int, "1_000_000"});
  CHECK(one("007") == Lexeme{Tok::Int, "007"});
  CHECK(one("99999999999999999999999") == Lexeme{Tok::Int, "99999999999999999999999"});
  CHECK(one("1.5") == Lexeme{Tok::Float, "1.5"});
  CHECK(one("0.001") == Lexeme{Tok::Float, "0.001"});
  CHECK(one("1_0.2_5") == Lexeme{Tok::Float, "1_0.2_5"});
  // `_` must sit between digits.
  CHECK(visible("1_") == std::vector<Lexeme>{{Tok::Int, "1"}, {Tok::Ident, "_"}});
  CHECK(visible("1__0") == std::vector<Lexeme>{{Tok::Int, "1"}, {Tok::Ident, "__0"}});
  CHECK(visible("_1") == std::vector<Lexeme>{{Tok::Ident, "_1"}});
  CHECK(visible("1._5") == std::vector<Lexeme>{{Tok::Int, "1"}, {Tok::Dot, "."}, {Tok::Ident, "_5"}});
  CHECK(visible("1.5_") == std::vector<Lexeme>{{Tok::Float, "1.5"}, {Tok::Ident, "_"}});
  // A second fraction is a field access on the float.
  CHECK(visible("1.5.5") == std::vector<Lexeme>{{Tok::Float, "1.5"}, {Tok::Dot, "."}, {Tok::Int, "5"}});
  CHECK(visible("1.") == std::vector<Lexeme>{{Tok::Int, "1"}, {Tok::Dot, "."}});
  CHECK(visible(".5") == std::vector<Lexeme>{{Tok::Dot, "."}, {Tok::Int, "5"}});
  CHECK(visible("-1") == std::vector<Lexeme>{{Tok::Minus, "-"}, {Tok::Int, "1"}});
}

TEST_CASE("`..` vs `.`") {
  CHECK(visible("1..2") == std::vector<Lexeme>{{Tok::Int, "1"}, {Tok::Range, ".."}, {Tok::Int, "2"}});
  CHECK(visible("1...2") ==
        std::vector<Lexeme>{{Tok::Int, "1"}, {Tok::Range, ".."}, {Tok::Dot, "."}, {Tok::Int, "2"}});
  CHECK(visible("....") == std::vector<Lexeme>{{Tok::Range, ".."}, {Tok::Range, ".."}});
  CHECK(visible("1.5..2.5") ==
        std::vector<Lexeme>{{Tok::Float, "1.5"}, {Tok::Range, ".."}, {Tok::Float, "2.5"}});
  CHECK(visible("1Gi..2Gi") ==
        std::vector<Lexeme>{{Tok::Quantity, "1Gi"}, {Tok::Range, ".."}, {Tok::Quantity, "2Gi"}});
  CHECK(visible("..10") == std::vector<Lexeme>{{Tok::Range, ".."}, {Tok::Int, "10"}});
  CHECK(visible("a.b.c") == std::vector<Lexeme>{{Tok::Ident, "a"}, {Tok::Dot, "."}, {Tok::Ident, "b"},
                                                {Tok::Dot, "."}, {Tok::Ident, "c"}});
  CHECK(visible(". .") == std::vector<Lexeme>{{Tok::Dot, "."}, {Tok::Dot, "."}});
}

TEST_CASE("punctuation") {
  CHECK(kinds("{}[]()=:;,?+-*/") ==
        std::vector<Tok>{Tok::LBrace, Tok::RBrace, Tok::LBrack, Tok::RBrack, Tok::LParen, Tok::RParen, Tok::Assign,
                         Tok::Colon, Tok::Semi, Tok::Comma, Tok::Question, Tok::Plus, Tok::Minus, Tok::Star,
                         Tok::Slash});
}

TEST_CASE("strings and escapes") {
  CHECK(one(R"("")") == Lexeme{Tok::String, R"("")"});
  CHECK(one(R"("hello world")") == Lexeme{Tok::String, R"("hello world")"});
  CHECK(one(R"("a\"b")") == Lexeme{Tok::String, R"("a\"b")"});
  CHECK(one(R"("a\\")") == Lexeme{Tok::String, R"("a\\")"});
  CHECK(one(R"("\n\t\$")") == Lexeme{Tok::String, R"("\n\t\$")"});
  CHECK(one(R"("${name}")") == Lexeme{Tok::String, R"("${name}")"});
  CHECK(one(R"("k=v:NoSchedule")") == Lexeme{Tok::String, R"("k=v:NoSchedule")"});
  // Any character may follow a backslash, a newline included.
  CHECK(one("\"a\\\nb\"") == Lexeme{Tok::String, "\"a\\\nb\""});
  CHECK(one("\"\\é\"") == Lexeme{Tok::String, "\"\\é\""});
  // Comment markers inside a string are text.
  CHECK(one(R"("// not a comment /* */")") == Lexeme{Tok::String, R"("// not a comment /* */")"});
  CHECK(visible(R"("a""b")") == std::vector<Lexeme>{{Tok::String, R"("a")"}, {Tok::String, R"("b")"}});
  CHECK(visible(R"("a"b)") == std::vector<Lexeme>{{Tok::String, R"("a")"}, {Tok::Ident, "b"}});
}

TEST_CASE("triple-quoted strings") {
  CHECK(one(R"("""abc""")") == Lexeme{Tok::String, R"("""abc""")"});
  CHECK(one(R"("""""")") == Lexeme{Tok::String, R"("""""")"});
  CHECK(one("\"\"\"line 1\nline \"2\"\n\"\"\"") == Lexeme{Tok::String, "\"\"\"line 1\nline \"2\"\n\"\"\""});
  // The first `"""` closes it (non-greedy): a fourth quote starts a new string.
  CHECK(visible(R"("""x"""")") ==
        std::vector<Lexeme>{{Tok::String, R"("""x""")"}, {Tok::UnterminatedString, "\""}});
  CHECK(visible(R"("""a""" """b""")") ==
        std::vector<Lexeme>{{Tok::String, R"("""a""")"}, {Tok::String, R"("""b""")"}});
  // Backslashes do not escape the closing quotes of a triple-quoted string.
  CHECK(one(R"("""a\""")") == Lexeme{Tok::String, R"("""a\""")"});
  // No closing `"""`: `""` is an empty string and the third quote starts an unterminated one.
  CHECK(visible(R"("""abc)") == std::vector<Lexeme>{{Tok::String, R"("")"}, {Tok::UnterminatedString, R"("abc)"}});
  CHECK(visible(R"(""""")") == std::vector<Lexeme>{{Tok::String, R"("")"}, {Tok::String, R"("")"},
                                                     {Tok::UnterminatedString, "\""}});
}

TEST_CASE("unterminated strings") {
  CHECK(one(R"("abc)") == Lexeme{Tok::UnterminatedString, R"("abc)"});
  CHECK(one("\"") == Lexeme{Tok::UnterminatedString, "\""});
  // An unterminated string stops at the end of its line.
  CHECK(visible("\"abc\nx") == std::vector<Lexeme>{{Tok::UnterminatedString, "\"abc"}, {Tok::X, "x"}});
  CHECK(visible("\"abc\r\nx") == std::vector<Lexeme>{{Tok::UnterminatedString, "\"abc"}, {Tok::X, "x"}});
  // An escaped quote does not close the string.
  CHECK(one(R"("\")") == Lexeme{Tok::UnterminatedString, R"("\")"});
  // A backslash at the very end has nothing to escape: it is an error character.
  CHECK(visible(R"("\)") == std::vector<Lexeme>{{Tok::UnterminatedString, "\""}, {Tok::ErrorChar, "\\"}});
  CHECK(visible(R"("ab\)") == std::vector<Lexeme>{{Tok::UnterminatedString, "\"ab"}, {Tok::ErrorChar, "\\"}});
}

TEST_CASE("comments are hidden tokens") {
  auto toks = all_tokens("a // note\nb /* x\ny */ c");
  CHECK(toks == std::vector<Lexeme>{{Tok::Ident, "a"},
                                    {Tok::Ws, " "},
                                    {Tok::LineComment, "// note"},
                                    {Tok::Ws, "\n"},
                                    {Tok::Ident, "b"},
                                    {Tok::Ws, " "},
                                    {Tok::BlockComment, "/* x\ny */"},
                                    {Tok::Ws, " "},
                                    {Tok::Ident, "c"}});
  // A line comment stops before \r as well as \n.
  CHECK(all_tokens("//x\r\ny") ==
        std::vector<Lexeme>{{Tok::LineComment, "//x"}, {Tok::Ws, "\r\n"}, {Tok::Ident, "y"}});
  CHECK(all_tokens("//") == std::vector<Lexeme>{{Tok::LineComment, "//"}});
  CHECK(all_tokens("///*") == std::vector<Lexeme>{{Tok::LineComment, "///*"}});
  // A block comment ends at the first `*/`; stars and slashes inside are text.
  CHECK(all_tokens("/* * / */") == std::vector<Lexeme>{{Tok::BlockComment, "/* * / */"}});
  CHECK(all_tokens("/**/") == std::vector<Lexeme>{{Tok::BlockComment, "/**/"}});
  CHECK(all_tokens("/***/") == std::vector<Lexeme>{{Tok::BlockComment, "/***/"}});
  CHECK(all_tokens("/* a */ */") == std::vector<Lexeme>{{Tok::BlockComment, "/* a */"},
                                                        {Tok::Ws, " "},
                                                        {Tok::Star, "*"},
                                                        {Tok::Slash, "/"}});
  // Block comments do not nest.
  CHECK(all_tokens("/* /* */") == std::vector<Lexeme>{{Tok::BlockComment, "/* /* */"}});
  CHECK(visible("a/b") == std::vector<Lexeme>{{Tok::Ident, "a"}, {Tok::Slash, "/"}, {Tok::Ident, "b"}});
}

TEST_CASE("unterminated block comments run to the end of the file") {
  CHECK(all_tokens("/*") == std::vector<Lexeme>{{Tok::UnterminatedComment, "/*"}});
  CHECK(all_tokens("/*/") == std::vector<Lexeme>{{Tok::UnterminatedComment, "/*/"}});
  CHECK(all_tokens("a /* b\nc *") ==
        std::vector<Lexeme>{{Tok::Ident, "a"}, {Tok::Ws, " "}, {Tok::UnterminatedComment, "/* b\nc *"}});
  CHECK(all_tokens("/* ** / *") == std::vector<Lexeme>{{Tok::UnterminatedComment, "/* ** / *"}});
}

TEST_CASE("whitespace") {
  CHECK(all_tokens(" \t\r\n  ") == std::vector<Lexeme>{{Tok::Ws, " \t\r\n  "}});
  // Form feed and vertical tab are not whitespace in claw.
  CHECK(all_tokens("\f") == std::vector<Lexeme>{{Tok::ErrorChar, "\f"}});
  CHECK(all_tokens("\v") == std::vector<Lexeme>{{Tok::ErrorChar, "\v"}});
}

TEST_CASE("error characters are one code point each") {
  CHECK(visible("@") == std::vector<Lexeme>{{Tok::ErrorChar, "@"}});
  CHECK(visible("#") == std::vector<Lexeme>{{Tok::ErrorChar, "#"}});
  CHECK(visible("'a'") == std::vector<Lexeme>{{Tok::ErrorChar, "'"}, {Tok::Ident, "a"}, {Tok::ErrorChar, "'"}});
  CHECK(visible("\\") == std::vector<Lexeme>{{Tok::ErrorChar, "\\"}});
  CHECK(visible("a$b") == std::vector<Lexeme>{{Tok::Ident, "a"}, {Tok::ErrorChar, "$"}, {Tok::Ident, "b"}});
  CHECK(visible("é") == std::vector<Lexeme>{{Tok::ErrorChar, "é"}});
  CHECK(visible("caf\xC3\xA9") == std::vector<Lexeme>{{Tok::Ident, "caf"}, {Tok::ErrorChar, "\xC3\xA9"}});
  CHECK(visible("€") == std::vector<Lexeme>{{Tok::ErrorChar, "€"}});
  CHECK(visible("\xF0\x9F\x98\x80") == std::vector<Lexeme>{{Tok::ErrorChar, "\xF0\x9F\x98\x80"}});
  // A byte order mark is an error anywhere but at the very start.
  CHECK(visible("a\xEF\xBB\xBF") == std::vector<Lexeme>{{Tok::Ident, "a"}, {Tok::ErrorChar, "\xEF\xBB\xBF"}});
  CHECK(visible("&|!<>%^~`") == std::vector<Lexeme>{{Tok::ErrorChar, "&"}, {Tok::ErrorChar, "|"},
                                                     {Tok::ErrorChar, "!"}, {Tok::ErrorChar, "<"},
                                                     {Tok::ErrorChar, ">"}, {Tok::ErrorChar, "%"},
                                                     {Tok::ErrorChar, "^"}, {Tok::ErrorChar, "~"},
                                                     {Tok::ErrorChar, "`"}});
}

TEST_CASE("a byte order mark at the start of the file is skipped") {
  // As ANTLR's input stream does: the first token starts after it, at column 0.
  auto toks = lex("\xEF\xBB\xBFlet a");
  REQUIRE(toks.size() == 4);  // let, whitespace, a, Eof
  CHECK(toks[0].kind == Tok::Let);
  CHECK(toks[0].begin == 3);
  CHECK(toks[0].column == 0);
  CHECK(toks[2].kind == Tok::Ident);
  CHECK(toks[2].column == 4);
  auto only = lex("\xEF\xBB\xBF");
  REQUIRE(only.size() == 1);
  CHECK(only[0].kind == Tok::Eof);
  CHECK(only[0].begin == 3);
  CHECK(only[0].column == 0);
  // Only one is skipped.
  CHECK(visible("\xEF\xBB\xBF\xEF\xBB\xBF") == std::vector<Lexeme>{{Tok::ErrorChar, "\xEF\xBB\xBF"}});
}

TEST_CASE("the lexer never reads past the end, even on invalid UTF-8") {
  // The parser rejects such files before lexing; the lexer must still be safe.
  for (std::string_view s : {std::string_view("\xC3"), std::string_view("\xE2\x82"), std::string_view("\xF0\x9F\x98"),
                             std::string_view("\"\\\xF0"), std::string_view("\"\xF0"), std::string_view("\"ab\xE2\x82"),
                             std::string_view("\xFF\xFE"), std::string_view("\x80")}) {
    auto toks = lex(s);
    REQUIRE(!toks.empty());
    CHECK(toks.back().kind == Tok::Eof);
    uint32_t pos = 0;
    for (const auto& t : toks) {
      CHECK(t.begin == pos);
      CHECK(t.end <= s.size());
      pos = t.end;
    }
    CHECK(pos == s.size());
  }
}

TEST_CASE("tokens tile the input with no gap or overlap") {
  std::string_view src = "cluster home {\n  k3s = \"v1\" // pin\n  mem = 24GiB; cpu = 1.5 /* c */\n}\n";
  auto toks = lex(src);
  uint32_t pos = 0;
  for (const auto& t : toks) {
    CHECK(t.begin == pos);
    CHECK(t.end >= t.begin);
    pos = t.end;
  }
  CHECK(pos == src.size());
  CHECK(toks.back().kind == Tok::Eof);
  CHECK(toks.back().begin == src.size());
}

TEST_CASE("line and column bookkeeping: 1-based lines, 0-based code point columns") {
  std::string_view src = "let a = 1\n  b\r\nc\n";
  auto toks = lex(src);
  auto find = [&](std::string_view text) {
    for (const auto& t : toks)
      if (src.substr(t.begin, t.end - t.begin) == text) return t;
    FAIL("no token ", std::string(text));
    return toks.back();
  };
  CHECK(find("let").line == 1);
  CHECK(find("let").column == 0);
  CHECK(find("a").column == 4);
  CHECK(find("1").column == 8);
  CHECK(find("b").line == 2);
  CHECK(find("b").column == 2);
  // \r is an ordinary character for column counting; only \n starts a line.
  CHECK(find("c").line == 3);
  CHECK(find("c").column == 0);
  CHECK(toks.back().kind == Tok::Eof);
  CHECK(toks.back().line == 4);
  CHECK(toks.back().column == 0);
}

TEST_CASE("columns count code points, not bytes") {
  // "é" is 2 bytes, "€" 3, the emoji 4: each is one column.
  std::string_view src = "\"é€\xF0\x9F\x98\x80\" x\n\"\xE4\xB8\xAD\" y";
  auto toks = lex(src);
  std::vector<Token> vis;
  for (const auto& t : toks)
    if (!claw::syntax::is_hidden(t.kind)) vis.push_back(t);
  REQUIRE(vis.size() == 5);
  CHECK(vis[0].kind == Tok::String);
  CHECK(vis[0].begin == 0);
  CHECK(vis[0].end == 11);  // 2 quotes + 2 + 3 + 4 bytes
  CHECK(vis[0].column == 0);
  CHECK(vis[1].kind == Tok::X);
  CHECK(vis[1].begin == 12);
  CHECK(vis[1].column == 6);  // `"`, é, €, emoji, `"`, space
  CHECK(vis[2].kind == Tok::String);
  CHECK(vis[2].line == 2);
  CHECK(vis[2].column == 0);
  CHECK(vis[3].kind == Tok::Ident);
  CHECK(vis[3].line == 2);
  CHECK(vis[3].column == 4);
  CHECK(vis[4].kind == Tok::Eof);
  CHECK(vis[4].column == 5);
}

TEST_CASE("positions after multi-line tokens") {
  std::string_view src = "\"\"\"a\nbé\"\"\" z /* 1\n2 */ w";
  auto toks = lex(src);
  std::vector<Token> vis;
  for (const auto& t : toks)
    if (!claw::syntax::is_hidden(t.kind)) vis.push_back(t);
  REQUIRE(vis.size() == 4);
  CHECK(vis[0].kind == Tok::String);
  CHECK(vis[0].line == 1);
  CHECK(vis[1].kind == Tok::Ident);  // z
  CHECK(vis[1].line == 2);
  CHECK(vis[1].column == 6);  // b, é, three quotes, space
  CHECK(vis[2].kind == Tok::Ident);  // w
  CHECK(vis[2].line == 3);
  CHECK(vis[2].column == 5);
}

TEST_CASE("non-ASCII text inside strings and comments") {
  CHECK(one("\"größe: 24GiB — ok ✓\"") == Lexeme{Tok::String, "\"größe: 24GiB — ok ✓\""});
  CHECK(one("\"日本語\"") == Lexeme{Tok::String, "\"日本語\""});
  CHECK(one("\"\xF0\x9F\x9A\x80 launch\"") == Lexeme{Tok::String, "\"\xF0\x9F\x9A\x80 launch\""});
  CHECK(all_tokens("// café ☕") == std::vector<Lexeme>{{Tok::LineComment, "// café ☕"}});
  CHECK(all_tokens("/* ü */") == std::vector<Lexeme>{{Tok::BlockComment, "/* ü */"}});
  CHECK(one("\"\"\"naïve\n\"\"\"") == Lexeme{Tok::String, "\"\"\"naïve\n\"\"\""});
}

TEST_CASE("a realistic declaration") {
  std::string_view src = R"(machine gpu-box {
  arch = amd64
  resources { cpu = 500m; memory = 24GiB }
  gpu "RTX PRO 4500" x 2 { vram = 24GiB }
  ports = [80, 443]
  ratio = 0.75
})";
  CHECK(kinds(src) ==
        std::vector<Tok>{Tok::Machine, Tok::Ident,   Tok::LBrace, Tok::Ident,  Tok::Assign,   Tok::Ident,
                         Tok::Ident,   Tok::LBrace,  Tok::Ident,  Tok::Assign, Tok::Quantity, Tok::Semi,
                         Tok::Ident,   Tok::Assign,  Tok::Quantity, Tok::RBrace, Tok::Ident,  Tok::String,
                         Tok::X,       Tok::Int,     Tok::LBrace, Tok::Ident,  Tok::Assign,   Tok::Quantity,
                         Tok::RBrace,  Tok::Ident,   Tok::Assign, Tok::LBrack, Tok::Int,      Tok::Comma,
                         Tok::Int,     Tok::RBrack,  Tok::Ident,  Tok::Assign, Tok::Float,    Tok::RBrace});
}

TEST_CASE("describe names every kind") {
  CHECK(claw::syntax::describe(Tok::LBrace) == "`{`");
  CHECK(claw::syntax::describe(Tok::Ident) == "a name");
  CHECK(claw::syntax::describe(Tok::String) == "a string");
  CHECK(claw::syntax::describe(Tok::Eof) == "the end of the file");
  for (int k = static_cast<int>(Tok::Import); k <= static_cast<int>(Tok::ErrorChar); ++k)
    CHECK(!claw::syntax::describe(static_cast<Tok>(k)).empty());
}

}  // TEST_SUITE
