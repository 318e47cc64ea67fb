// claw fmt's promises over many programs: formatting a formatted file
// changes nothing (idempotence), the output holds the same tokens and
// comments in the same order, and it parses. Over the repository's files,
// the golden cases' inputs, the benchmark's generated program, and random
// programs from the grammar.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "compiler/format/format.h"
#include "compiler/syntax/parse.h"
#include "compiler/syntax/token.h"
#include "tests/unit/claw_inputs.h"
#include "tests/unit/random_program.h"

namespace {

using claw::syntax::Tok;

/// The tokens and comments of a text, each as kind and text, whitespace
/// left out and comments without the blanks that end their lines.
std::vector<std::pair<Tok, std::string>> visible_tokens(std::string_view text) {
  std::vector<std::pair<Tok, std::string>> out;
  for (const auto& t : claw::syntax::lex(text, false)) {
    std::string s(text.substr(t.begin, t.end - t.begin));
    if (t.kind == Tok::LineComment || t.kind == Tok::BlockComment) {
      std::string trimmed;
      for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\n' || s[i] == '\r') {
          while (!trimmed.empty() && (trimmed.back() == ' ' || trimmed.back() == '\t')) trimmed.pop_back();
          if (s[i] == '\n') trimmed += '\n';
          continue;
        }
        trimmed += s[i];
      }
      while (!trimmed.empty() && (trimmed.back() == ' ' || trimmed.back() == '\t')) trimmed.pop_back();
      s = trimmed;
    }
    out.emplace_back(t.kind, s);
  }
  return out;
}

bool parses(const std::string& text) {
  claw::source::SourceFile file("f.claw", text);
  return !claw::syntax::parse_file(file, claw::source::FileId{0}).diags.has_errors();
}

/// Formats `text` (which must parse) and checks every promise; returns
/// whether it could be formatted.
bool check_promises(const std::string& name, const std::string& text) {
  CAPTURE(name);
  auto once = claw::format::format_source(text);
  CHECK_MESSAGE(once.has_value(), "a file that parses was not formatted: ", name);
  if (!once) return false;
  CHECK_MESSAGE(parses(*once), "the formatted text does not parse: ", name, "\n", *once);
  CHECK_MESSAGE(visible_tokens(*once) == visible_tokens(text), "the tokens changed: ", name, "\n", *once);
  auto twice = claw::format::format_source(*once);
  REQUIRE(twice.has_value());
  CHECK_MESSAGE(*twice == *once, "formatting is not idempotent: ", name, "\n--- once\n", *once, "--- twice\n", *twice);
  const bool blank_at_end = once->find(" \n") != std::string::npos && once->find("\"\"\"") == std::string::npos;
  CHECK_MESSAGE(!blank_at_end, "a line ends in a blank: ", name);
  const bool one_final_newline = once->empty() || (once->back() == '\n' && !once->ends_with("\n\n"));
  CHECK_MESSAGE(one_final_newline, "not one final newline: ", name);
  return true;
}

}  // namespace

TEST_CASE("fmt: idempotent and token-preserving on every repository file and golden input") {
  size_t formatted = 0;
  for (const auto& in : claw::testing::repository_sources()) {
    if (!parses(in.text)) continue;  // golden cases of syntax errors
    formatted += check_promises(in.name, in.text);
  }
  CHECK(formatted > 200);
}

TEST_CASE("fmt: idempotent and token-preserving on the benchmark's generated program") {
  auto files = claw::testing::generated_programs("claw-fmt-gen");
  REQUIRE_FALSE(files.empty());
  for (const auto& in : files) check_promises(in.name, in.text);
}

TEST_CASE("fmt: random programs from the grammar keep their tokens and comments, and format once") {
  size_t parsed = 0;
  for (uint32_t seed = 1; seed <= 400; ++seed) {
    const std::string text = claw::testing::RandomProgram(seed).file();
    // The generator must write what the grammar accepts, or this tests nothing.
    CHECK_MESSAGE(parses(text), "seed ", seed, " made a program that does not parse:\n", text);
    if (!parses(text)) continue;
    ++parsed;
    check_promises("seed " + std::to_string(seed), text);
  }
  CHECK(parsed == 400);
}
