// libFuzzer target for the front end: every input is one file of a program
// whose other files are the stdlib (stdlib/core.claw and stdlib/charts/, as
// when a program imports std/charts). The input goes through
// claw::syntax::parse_file: input validation (size, NUL bytes, UTF-8), the
// hand-written lexer, the nesting check, the SLL parse and, for inputs that
// do not parse, the item-wise LL parse with error recovery, and the tree
// builder with string and number decoding. Then claw::sema::check runs on the
// whole program, whatever the parse reported, as `claw check` does: name
// resolution, types and units, lets and templates, the network checks.
// Imports are not followed (the project loader reads files from disk).
// Inputs that are valid UTF-8 are also lexed by the ANTLR-generated lexer,
// which the hand-written lexer must match token for token, and parsed by
// ANTLR's parser alone, whose tree (and diagnostics) the recursive-descent
// fast path must match node for node, accepting exactly the files ANTLR's
// first pass accepts. The sanitizers
// turn any memory error, undefined behaviour, escaped exception or
// unbounded recursion on the way into a crash.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "compiler/sema/check.h"
#include "compiler/source/source.h"
#include "compiler/syntax/parse.h"
#include "compiler/syntax/token.h"
#include "tests/unit/ast_dump.h"

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

// The hand-written lexer must agree with the grammar's lexer (which cannot
// decode invalid UTF-8; parse_file rejects such input before lexing).
void check_lexers_agree(std::string_view text) {
  if (!valid_utf8(text)) return;
  auto mine = claw::syntax::lex(text);
  auto ref = claw::syntax::lex_with_antlr(text);
  bool same = true;
  size_t n = std::min(mine.size(), ref.size());
  for (size_t i = 0; i < n; ++i) {
    const auto& a = mine[i];
    const auto& b = ref[i];
    if (a.kind == b.kind && a.begin == b.begin && a.end == b.end && a.line == b.line && a.column == b.column) continue;
    std::fprintf(stderr, "lexer mismatch at token %zu: hand-written kind %d [%u,%u) %u:%u, ANTLR kind %d [%u,%u) %u:%u\n",
                 i, static_cast<int>(a.kind), a.begin, a.end, a.line, a.column, static_cast<int>(b.kind), b.begin,
                 b.end, b.line, b.column);
    same = false;
    break;
  }
  if (same && mine.size() != ref.size()) {
    std::fprintf(stderr, "lexer mismatch: hand-written lexer gave %zu tokens, ANTLR %zu\n", mine.size(), ref.size());
    same = false;
  }
  if (!same) std::abort();
}

// The recursive-descent parser (parse_file's fast path) must build the tree
// ANTLR's parser builds, draw the same diagnostics, and accept exactly the
// files ANTLR's SLL pass accepts.
void check_parsers_agree(const claw::source::SourceFile& file, claw::source::FileId id,
                         const claw::syntax::ParseResult& fast) {
  auto ref = claw::syntax::parse_file_with_antlr(file, id);
  const char* why = nullptr;
  if (fast.timings.antlr != ref.timings.ll_fallback) why = "the parsers disagree on whether the file parses";
  else if (claw::testing::AstDump::of(*fast.file) != claw::testing::AstDump::of(*ref.file)) why = "the trees differ";
  else if (fast.diags.all().size() != ref.diags.all().size()) why = "the diagnostics differ";
  else
    for (size_t i = 0; i < fast.diags.all().size() && !why; ++i) {
      const auto& a = fast.diags.all()[i];
      const auto& b = ref.diags.all()[i];
      if (a.kind != b.kind || a.span != b.span || a.message != b.message) why = "the diagnostics differ";
    }
  if (why) {
    std::fprintf(stderr, "parser mismatch: %s\n", why);
    std::abort();
  }
}

// The stdlib, read and parsed once. Each input gets a SourceManager of its
// own that holds copies of these texts first, under the same file ids, so
// the trees parsed here serve every run.
struct Stdlib {
  std::vector<std::pair<std::string, std::string>> texts;  // shown path, bytes
  claw::source::SourceManager sources;
  std::vector<std::unique_ptr<claw::syntax::File>> trees;
};

const Stdlib& stdlib() {
  static const Stdlib lib = [] {
    namespace fs = std::filesystem;
    Stdlib l;
    const fs::path root = CLAW_FUZZ_STDLIB_DIR;
    std::vector<fs::path> paths{root / "core.claw"};
    std::vector<fs::path> charts;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(root / "charts", ec))
      if (e.path().extension() == ".claw") charts.push_back(e.path());
    std::sort(charts.begin(), charts.end());
    paths.insert(paths.end(), charts.begin(), charts.end());
    for (const auto& p : paths) {
      std::ifstream in(p, std::ios::binary);
      if (!in) {
        std::fprintf(stderr, "parse_fuzz: cannot read %s\n", p.c_str());
        std::abort();
      }
      std::ostringstream text;
      text << in.rdbuf();
      std::string shown = "std/" + fs::relative(p, root).generic_string();
      l.texts.emplace_back(shown, text.str());
      auto id = l.sources.add(shown, text.str());
      auto parsed = claw::syntax::parse_file(l.sources.file(id), id);
      if (parsed.diags.has_errors()) {
        std::fprintf(stderr, "parse_fuzz: the stdlib file %s has syntax errors\n", p.c_str());
        std::abort();
      }
      l.trees.push_back(std::move(parsed.file));
    }
    return l;
  }();
  return lib;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const Stdlib& lib = stdlib();
  std::string text(reinterpret_cast<const char*>(data), size);
  check_lexers_agree(text);

  claw::source::SourceManager sources;
  for (const auto& [path, bytes] : lib.texts) sources.add(path, bytes);
  auto id = sources.add("fuzz.claw", std::move(text));
  auto parsed = claw::syntax::parse_file(sources.file(id), id);
  if (!parsed.file) std::abort();
  check_parsers_agree(sources.file(id), id, parsed);

  claw::sema::Program program;
  program.sources = &sources;
  for (const auto& tree : lib.trees) {
    program.files.push_back(tree.get());
    program.is_stdlib.push_back(true);
  }
  program.files.push_back(parsed.file.get());
  program.is_stdlib.push_back(false);
  auto checked = claw::sema::check(program);
  (void)checked;
  return 0;
}
