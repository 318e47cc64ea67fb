// Holds the recursive-descent parser (syntax/descent.cpp, the fast path of
// parse_file) to the grammar's definition, ANTLR's generated parser with
// build_ast (parse_file_with_antlr). For every input:
//   - the two syntax trees are the same, node for node and span for span
//     (compared through a complete dump, tests/unit/ast_dump.h), and so are
//     the diagnostics;
//   - the descent parser accepts exactly the files ANTLR's first (SLL) pass
//     accepts: rejecting a correct file would only cost time, but accepting
//     a wrong one would hide an error, so both directions are checked.
//
// Inputs: every .claw file of the repository and the golden tests' .claw
// sections; seeded mutants of them (tokens deleted, doubled, swapped or
// inserted), nearly all of which do not parse; thousands of seeded random
// programs built from the grammar, which do; and generated network programs.
#include <doctest/doctest.h>

#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/source/source.h"
#include "compiler/syntax/parse.h"
#include "compiler/syntax/token.h"
#include "tests/unit/ast_dump.h"
#include "tests/unit/claw_inputs.h"

namespace {

using namespace claw::testing;
using claw::syntax::Tok;

std::string show_diags(const claw::diag::Sink& sink) {
  std::string out;
  for (const auto& d : sink.all()) {
    out += std::to_string(static_cast<int>(d.kind)) + " @" + std::to_string(d.span.begin) + "-" +
           std::to_string(d.span.end) + " " + d.message;
    for (const auto& h : d.hints) out += " | " + h;
    out += '\n';
  }
  return out;
}

// The first line where two dumps differ, for failure messages.
std::string first_difference(const std::string& a, const std::string& b) {
  size_t i = 0, line_start = 0;
  while (i < a.size() && i < b.size() && a[i] == b[i]) {
    if (a[i] == '\n') line_start = i + 1;
    ++i;
  }
  auto line_at = [&](const std::string& s) { return s.substr(line_start, s.find('\n', line_start) - line_start); };
  return "descent: `" + line_at(a) + "`, ANTLR: `" + line_at(b) + "`";
}

struct Outcome {
  bool same = true;
  bool parsed = false;  // both accepted the file on their first pass
  std::string why;
};

Outcome compare(const std::string& text) {
  Outcome o;
  claw::source::SourceManager sm;
  auto id = sm.add("input.claw", text);
  auto fast = claw::syntax::parse_file(sm.file(id), id);
  auto ref = claw::syntax::parse_file_with_antlr(sm.file(id), id);
  if (fast.timings.antlr != ref.timings.ll_fallback) {
    o.same = false;
    o.why = fast.timings.antlr ? "the descent parser rejected a file ANTLR's SLL pass accepts"
                               : "the descent parser accepted a file ANTLR's SLL pass rejects";
    return o;
  }
  o.parsed = !fast.timings.antlr && !fast.file->items.empty();
  std::string a = AstDump::of(*fast.file), b = AstDump::of(*ref.file);
  if (a != b) {
    o.same = false;
    o.why = "trees differ: " + first_difference(a, b);
    return o;
  }
  std::string da = show_diags(fast.diags), db = show_diags(ref.diags);
  if (da != db) {
    o.same = false;
    o.why = "diagnostics differ:\ndescent:\n" + da + "ANTLR:\n" + db;
  }
  if (fast.file->has_syntax_errors != ref.file->has_syntax_errors) {
    o.same = false;
    o.why = "has_syntax_errors differs";
  }
  return o;
}

// ---------------------------------------------------------------- mutants

// Token texts to insert: every kind of punctuation, each literal kind, the
// contextual `x`, and a keyword.
constexpr std::string_view kInserts[] = {"{", "}", "[", "]", "(", ")", "=", ":", ";", ",", "..", ".", "?", "+", "-",
                                         "*", "/", "x", "2", "1.5", "3GiB", "\"s\"", "name", "service", "true", "null"};

// One edit on a random visible token: delete it, double it, swap it with the
// next one, or insert a token before it.
std::string mutate(const std::string& text, std::mt19937& rng) {
  std::vector<claw::syntax::Token> visible;
  for (const auto& t : claw::syntax::lex(text))
    if (!claw::syntax::is_hidden(t.kind) && t.kind != Tok::Eof) visible.push_back(t);
  if (visible.size() < 2) return text;
  size_t i = std::uniform_int_distribution<size_t>(0, visible.size() - 2)(rng);
  const auto& t = visible[i];
  const auto& u = visible[i + 1];
  std::string tok = text.substr(t.begin, t.end - t.begin);
  std::string next = text.substr(u.begin, u.end - u.begin);
  switch (std::uniform_int_distribution<int>(0, 3)(rng)) {
    case 0: return text.substr(0, t.begin) + text.substr(t.end);
    case 1: return text.substr(0, t.end) + " " + tok + text.substr(t.end);
    case 2: return text.substr(0, t.begin) + next + text.substr(t.end, u.begin - t.end) + tok + text.substr(u.end);
    default: {
      auto ins = kInserts[std::uniform_int_distribution<size_t>(0, std::size(kInserts) - 1)(rng)];
      return text.substr(0, t.begin) + std::string(ins) + " " + text.substr(t.begin);
    }
  }
}

// ---------------------------------------------------------------- programs from the grammar

// Random programs that follow grammar/Claw.g4 rule by rule (names are not
// resolved: only the syntax matters here). Literals include the ones whose
// decoding draws a diagnostic (bad escapes, numbers too large, bad ${...}).
class Generator {
 public:
  explicit Generator(uint32_t seed) : rng_(seed) {}

  std::string program() {
    out_.clear();
    int items = pick(1, 8);
    for (int i = 0; i < items; ++i) top_item();
    return out_;
  }

 private:
  int pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool chance(int percent) { return pick(1, 100) <= percent; }
  template <size_t N>
  std::string_view one_of(const std::string_view (&options)[N]) {
    return options[std::uniform_int_distribution<size_t>(0, N - 1)(rng_)];
  }

  // Tokens are separated by whitespace or a comment, never glued: gluing is
  // the lexer's test's business.
  void tok(std::string_view t) {
    if (!out_.empty()) {
      int r = pick(1, 20);
      out_ += r <= 14 ? " " : r <= 17 ? "\n" : r == 18 ? " /* c */ " : r == 19 ? " // c\n" : "\n\n  ";
    }
    out_ += t;
  }
  void separator() {
    int r = pick(1, 6);
    if (r == 1) tok(";");
    else if (r == 2) tok(",");
  }

  void ident() {
    static constexpr std::string_view names[] = {"a", "b", "web", "node-role", "_x", "x", "gpu-box", "port", "service",
                                                 "secret", "let", "import", "type", "template", "resource", "cpu"};
    tok(one_of(names));
  }
  void string() {
    static constexpr std::string_view strings[] = {
        "\"plain\"", "\"\"", "\"k=v:NoSchedule\"", "\"${a}\"", "\"x-${a.b}-y\"", "\"\\n\\t\\\"\\\\\\$\"",
        "\"\\q\"", "\"${1}\"", "\"${a\"", "\"\"\"multi\nline ${x}\"\"\"", "\"é ✓\""};
    tok(one_of(strings));
  }
  void key() {
    if (chance(80)) ident();
    else tok(one_of({"\"quoted.key\"", "\"a\"", "\"${bad}\""}));
  }
  void number() {
    static constexpr std::string_view numbers[] = {"0", "1", "42", "1_000", "99999999999999999999", "1.5", "0.25",
                                                   "24GiB", "500m", "1.5GB", "30s", "2_0Mi"};
    tok(one_of(numbers));
  }

  void expr(int depth) {
    int r = depth <= 0 ? pick(1, 4) : pick(1, 14);
    switch (r) {
      case 1: number(); break;
      case 2: string(); break;
      case 3: ident(); break;
      case 4: tok(one_of({"true", "false", "null"})); break;
      case 5: tok("-"); expr(depth - 1); break;
      case 6: case 7: {
        expr(depth - 1);
        tok(one_of({"+", "-", "*", "/"}));
        expr(depth - 1);
        break;
      }
      case 8: expr(depth - 1); tok("."); key(); break;
      case 9: expr(depth - 1); tok("["); expr(depth - 1); tok("]"); break;
      case 10: tok("("); expr(depth - 1); tok(")"); break;
      case 11: {
        ident();
        tok("(");
        int n = pick(0, 3);
        for (int i = 0; i < n; ++i) {
          if (chance(40)) { ident(); tok("="); }
          expr(depth - 1);
          if (i + 1 < n || chance(20)) tok(",");
        }
        tok(")");
        break;
      }
      case 12: {
        tok("[");
        int n = pick(0, 3);
        for (int i = 0; i < n; ++i) {
          expr(depth - 1);
          if (i + 1 < n || chance(20)) tok(",");
        }
        tok("]");
        break;
      }
      case 13: block(depth - 1); break;
      default: ident(); block(depth - 1); break;
    }
  }

  void type_expr(int depth) {
    int r = depth <= 0 ? 1 : pick(1, 4);
    if (r == 3) {
      tok("[");
      type_expr(depth - 1);
      tok("]");
    } else if (r == 4) {
      tok("{");
      type_expr(depth - 1);
      tok(":");
      type_expr(depth - 1);
      tok("}");
    } else {
      ident();
      if (r == 2) {
        tok("(");
        if (chance(70)) expr(0);
        tok("..");
        if (chance(70)) expr(0);
        tok(")");
      }
    }
    if (chance(25)) tok("?");
  }

  void block(int depth) {
    tok("{");
    int n = depth <= 0 ? pick(0, 2) : pick(0, 4);
    for (int i = 0; i < n; ++i) {
      member(depth);
      separator();
    }
    tok("}");
  }

  void member(int depth) {
    key();
    while (chance(20)) {
      tok(".");
      key();
    }
    int r = pick(1, 5);
    if (r <= 2) {
      tok("=");
      expr(depth);
    } else if (r == 3) {
      block(depth - 1);
    } else {
      if (chance(50)) string();
      else ident();
      if (chance(30)) {
        tok("x");
        tok(one_of({"1", "2", "99999999999999999999"}));
      }
      int tail = pick(1, 3);
      if (tail == 1) {
        tok("=");
        expr(depth);
      } else if (tail == 2) {
        block(depth - 1);
      }
    }
  }

  void decl_kind() {
    tok(one_of({"cluster", "machine", "role", "service", "job", "cron", "daemon", "chart", "secret", "resource"}));
  }

  void top_item() {
    switch (pick(1, 8)) {
      case 1: tok("import"); string(); break;
      case 2:
        tok("let");
        ident();
        if (chance(40)) { tok(":"); type_expr(2); }
        tok("=");
        expr(3);
        break;
      case 3: {
        tok("type");
        ident();
        if (chance(30)) { tok("("); ident(); tok(")"); }
        if (chance(30)) { tok(":"); ident(); }
        tok("{");
        int n = pick(0, 4);
        for (int i = 0; i < n; ++i) {
          key();
          if (chance(70)) { tok(":"); type_expr(2); }
          if (chance(40)) { tok("="); expr(2); }
          separator();
        }
        tok("}");
        break;
      }
      case 4: {
        tok("enum");
        ident();
        tok("{");
        int n = pick(0, 4);
        for (int i = 0; i < n; ++i) {
          ident();
          separator();
        }
        tok("}");
        break;
      }
      case 5: {
        tok("template");
        ident();
        tok("(");
        int n = pick(0, 3);
        for (int i = 0; i < n; ++i) {
          ident();
          tok(":");
          type_expr(1);
          if (chance(40)) { tok("="); expr(1); }
          if (i + 1 < n || (n > 0 && chance(20))) tok(",");
        }
        tok(")");
        decl_kind();
        block(3);
        break;
      }
      case 6: tok(";"); break;
      default: {
        decl_kind();
        ident();
        if (chance(40)) {
          tok("=");
          ident();
          if (chance(50)) {
            tok("(");
            int n = pick(0, 3);
            for (int i = 0; i < n; ++i) {
              if (chance(50)) { ident(); tok("="); }
              expr(2);
              if (i + 1 < n || chance(20)) tok(",");
            }
            tok(")");
          }
        }
        if (chance(85)) block(3);
      }
    }
  }

  std::mt19937 rng_;
  std::string out_;
};

}  // namespace

TEST_SUITE("parser equivalence") {

TEST_CASE("the descent parser matches ANTLR on every .claw file of the repository") {
  size_t parsed = 0;
  auto sources = repository_sources();
  for (const auto& in : sources) {
    auto o = compare(in.text);
    parsed += o.parsed;
    CHECK_MESSAGE(o.same, in.name, ": ", o.why);
  }
  // Most of them are correct files: the fast path itself must be exercised.
  CHECK(parsed * 2 > sources.size());
}

TEST_CASE("the descent parser matches ANTLR on mutants of the repository's files") {
  std::mt19937 rng(20261127);
  size_t inputs = 0, parsed = 0, failures = 0;
  for (const auto& in : repository_sources()) {
    if (!valid_utf8(in.text) || in.text.size() > 20000) continue;
    for (int k = 0; k < 6; ++k) {
      std::string text = in.text;
      int edits = std::uniform_int_distribution<int>(1, 3)(rng);
      for (int e = 0; e < edits; ++e) text = mutate(text, rng);
      auto o = compare(text);
      ++inputs;
      parsed += o.parsed;
      if (!o.same && ++failures <= 5) CHECK_MESSAGE(o.same, in.name, " mutant #", k, ": ", o.why, "\n", excerpt(text, 0));
    }
  }
  CHECK(failures == 0);
  CHECK(inputs > 500);
  // Some edits keep a file correct (a doubled `;`, a swapped pair of members):
  // those take the fast path.
  CHECK(parsed > 0);
}

TEST_CASE("the descent parser matches ANTLR on random programs from the grammar") {
  Generator gen(7);
  size_t parsed = 0, failures = 0;
  constexpr int kPrograms = 3000;
  for (int i = 0; i < kPrograms; ++i) {
    std::string text = gen.program();
    auto o = compare(text);
    parsed += o.parsed;
    if (!o.same && ++failures <= 5) CHECK_MESSAGE(o.same, "program #", i, ": ", o.why, "\n", text);
  }
  CHECK(failures == 0);
  // The generator follows the grammar: every program parses on the first pass
  // (a program of only `;` has no items and does not count).
  CHECK(parsed > kPrograms * 9 / 10);
}

TEST_CASE("the descent parser matches ANTLR on operator precedence and spans") {
  // Each line is its own file: the shapes where precedence climbing and
  // build_ast's span rules are easiest to get wrong.
  for (std::string_view expr : {"-a.b", "-a[0]", "-a * b", "- -a", "a - -b", "a + b * c - d / e", "(a + b) * c",
                                "(a).b", "(a)[0]", "a.b[c].d", "f(x = 1, 2,)[0].y", "t { a = 1 }.a", "[1, 2,][0]",
                                "{ a = 1 }.a", "-(a)", "a * -b.c", "((a))", "\"${a.b}\".c", "1_000 + 2.5GiB * 3"}) {
    std::string text = "let v = " + std::string(expr) + "\n";
    auto o = compare(text);
    CHECK_MESSAGE(o.same, text, o.why);
    CHECK_MESSAGE(o.parsed, text);
  }
}

TEST_CASE("the descent parser matches ANTLR on generated network programs") {
  auto programs = generated_programs("claw-parseq");
  for (const auto& in : programs) {
    auto o = compare(in.text);
    CHECK_MESSAGE(o.same, in.name, ": ", o.why);
    CHECK_MESSAGE(o.parsed, in.name);
  }
}

}  // TEST_SUITE
