#include <cstdio>
#include <fstream>
#include <sstream>
#include <fmt/format.h>
#include "compiler/diag/render.h"
#include "compiler/syntax/parse.h"

int main(int argc, char** argv) {
  claw::source::SourceManager sm;
  claw::diag::Sink all;
  for (int i = 1; i < argc; ++i) {
    std::ifstream in(argv[i], std::ios::binary);
    std::stringstream ss; ss << in.rdbuf();
    auto id = sm.add(argv[i], ss.str());
    auto r = claw::syntax::parse_file(sm.file(id), id);
    fmt::print("{}: {} items, {} tokens, lex {} us parse {} us build {} us ll={}\n", argv[i], r.file->items.size(), r.timings.tokens,
      r.timings.lex_ns/1000, r.timings.parse_ns/1000, r.timings.build_ns/1000, r.timings.ll_fallback);
    all.absorb(std::move(r.diags));
  }
  for (auto& d : all.all()) fmt::print(stderr, "{}", claw::diag::render_text(sm, d));
  return all.has_errors();
}
