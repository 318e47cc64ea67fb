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

namespace {

namespace fs = std::filesystem;
using claw::syntax::Tok;
using claw::syntax::Token;

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A readable rendering of the input near a byte offset, for failure messages.
std::string excerpt(std::string_view text, uint32_t at) {
  uint32_t from = at > 40 ? at - 40 : 0;
  std::string out;
  for (char c : text.substr(from, 80)) {
    auto u = static_cast<unsigned char>(c);
    if (c == '\n') out += "\\n";
    else if (c == '\r') out += "\\r";
    else if (c == '\t') out += "\\t";
    else if (u < 0x20 || u == 0x7F) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X", u);
      out += buf;
    } else out += c;
  }
  return out;
}

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

bool valid_utf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    i += n;
  }
  return true;
}

struct Input {
  std::string name;
  std::string text;
};

// Splits a txtar-like golden file into its `-- name --` sections.
std::vector<Input> txtar_sections(const std::string& file_name, std::string_view text) {
  std::vector<Input> out;
  Input* cur = nullptr;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    size_t next = eol == std::string_view::npos ? text.size() : eol + 1;
    std::string_view line = text.substr(pos, (eol == std::string_view::npos ? text.size() : eol) - pos);
    if (line.ends_with('\r')) line.remove_suffix(1);
    if (line.size() > 6 && line.starts_with("-- ") && line.ends_with(" --")) {
      out.push_back({file_name + ":" + std::string(line.substr(3, line.size() - 6)), {}});
      cur = &out.back();
    } else if (cur) {
      cur->text.append(text.substr(pos, next - pos));
    }
    pos = next;
  }
  std::erase_if(out, [](const Input& in) { return !in.name.ends_with(".claw"); });
  return out;
}

const fs::path kRoot = CLAW_SOURCE_DIR;

// CLAW_LEXEQ_STATS=1 prints how much each case compared (silent otherwise).
void stats(const char* what, size_t inputs, size_t tokens) {
  if (const char* v = std::getenv("CLAW_LEXEQ_STATS"); v && *v == '1')
    std::fprintf(stderr, "lexer equivalence: %s: %zu inputs, %zu tokens\n", what, inputs, tokens);
}

// The .claw files (and .claw sections of .txtar files) under `dir`, named
// `prefix` + their path relative to `dir`.
std::vector<Input> claw_files_under(const fs::path& dir, const std::string& prefix) {
  std::vector<Input> out;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return out;
  std::vector<fs::path> paths;
  for (auto it = fs::recursive_directory_iterator(dir, ec); it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) break;
    if (it->is_regular_file(ec)) paths.push_back(it->path());
  }
  std::sort(paths.begin(), paths.end());
  for (const auto& p : paths) {
    auto rel = prefix + fs::relative(p, dir, ec).generic_string();
    if (p.extension() == ".claw") out.push_back({rel, read_file(p)});
    else if (p.extension() == ".txtar")
      for (auto& s : txtar_sections(rel, read_file(p))) out.push_back(std::move(s));
  }
  return out;
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

// Runs the program generator, when the repository has one, into a fresh
// temporary folder, and returns the .claw files it wrote.
// Interface: gen_program.py --machines M --services N OUTDIR.
std::vector<Input> generated_programs() {
  std::vector<Input> out;
  fs::path gen = kRoot / "tests/bench/gen_program.py";
  std::error_code ec;
  if (!fs::exists(gen, ec)) return out;
  std::string tmpl = (fs::temp_directory_path() / "claw-lexeq-XXXXXX").string();
  if (!mkdtemp(tmpl.data())) return out;
  fs::path dir = tmpl;
  std::string cmd = "python3 '" + gen.string() + "' --machines 60 --services 250 '" + (dir / "net").string() + "'";
  int rc = std::system(cmd.c_str());
  CHECK_MESSAGE(rc == 0, "failed: ", cmd);
  if (rc == 0) {
    out = claw_files_under(dir / "net", "gen_program.py:");
    CHECK_MESSAGE(!out.empty(), "gen_program.py wrote no .claw file: ", cmd);
  }
  fs::remove_all(dir, ec);
  return out;
}

}  // namespace

TEST_SUITE("lexer equivalence") {

TEST_CASE("the hand-written lexer matches ANTLR on every .claw file of the repository") {
  std::vector<Input> sources;
  for (const char* dir : {"examples", "infra", "stdlib"})
    for (auto& in : claw_files_under(kRoot / dir, std::string(dir) + "/")) sources.push_back(std::move(in));
  // The repository's own sources must be found, or this test checks nothing.
  REQUIRE_MESSAGE(!sources.empty(), "no .claw file under examples/, infra/ or stdlib/ of ", kRoot.string());
  for (auto& in : claw_files_under(kRoot / "tests/golden", "tests/golden/")) sources.push_back(std::move(in));

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
  auto programs = generated_programs();
  size_t tokens = 0;
  for (const auto& in : programs) {
    auto o = compare(in.text);
    tokens += o.tokens;
    CHECK_MESSAGE(o.same, in.name, ": ", o.why);
  }
  stats("generated program files", programs.size(), tokens);
}

}  // TEST_SUITE
