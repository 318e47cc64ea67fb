// Loading a program: finding its files, reading them through the filesystem
// seam, parsing them in parallel, and following imports (with cycle checks).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "compiler/diag/diagnostic.h"
#include "compiler/io/filesystem.h"
#include "compiler/project/parse_cache.h"
#include "compiler/sema/check.h"
#include "compiler/source/source.h"
#include "compiler/syntax/ast.h"
#include "compiler/syntax/parse.h"

namespace claw::project {

struct LoadOptions {
  std::vector<std::string> paths;  // files or folders; empty means "."
  std::string stdlib_dir;          // holds core.claw and charts/
  unsigned threads = 0;            // 0: one per core
  syntax::ParseLimits limits;
  /// Parses kept from the last load, reused for the files whose text is
  /// unchanged, and updated; null: every file is parsed.
  ParseCache* cache = nullptr;
};

/// Sums over all files, for `--timings` and the benchmark.
struct LoadStats {
  size_t files = 0, bytes = 0, lines = 0, tokens = 0;
  uint64_t lex_ns = 0, parse_ns = 0, build_ns = 0, wall_ns = 0;
  unsigned threads = 1;
};

/// Everything loaded: sources, trees (stdlib first), and load diagnostics.
struct Project {
  source::SourceManager sources;
  std::vector<std::shared_ptr<syntax::File>> files;  // shared with a ParseCache, when loaded with one
  std::vector<bool> is_stdlib;
  diag::Sink diags;
  LoadStats stats;
  /// Nothing can be checked: the stdlib prelude is missing.
  bool fatal = false;

  /// The program as sema consumes it.
  sema::Program program() const;
};

Project load(const io::FileSystem& fs, const LoadOptions& options);

}  // namespace claw::project
