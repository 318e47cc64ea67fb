// Entry point of the syntax phase: one file's bytes in, its syntax tree and
// syntax diagnostics out. Only this folder includes ANTLR headers.
#pragma once

#include <memory>

#include "compiler/diag/diagnostic.h"
#include "compiler/source/source.h"
#include "compiler/syntax/ast.h"
#include "compiler/syntax/token.h"

namespace claw::syntax {

/// Where the time of one parse went, in nanoseconds. The recursive-descent
/// parser builds the tree as it parses: its time is all in parse_ns.
struct ParseTimings {
  uint64_t lex_ns = 0;
  uint64_t parse_ns = 0;
  uint64_t build_ns = 0;
  uint64_t tokens = 0;
  bool antlr = false;        // the descent parser gave up; ANTLR parsed the file
  bool ll_fallback = false;  // parsed item by item with recovery (the first pass failed)
};

struct ParseResult {
  std::unique_ptr<File> file;  // always set; partial when the input had errors
  diag::Sink diags;
  ParseTimings timings;
};

/// Limits on input, so that no file can exhaust time, stack or memory.
struct ParseLimits {
  size_t max_file_bytes = 8u << 20;
  size_t max_nesting = 100;
};

/// Reports that `what` (`file`, or a file's name in backticks) is `bytes`
/// long, more than `limits` allow: the one wording of file-too-large.
diag::Diagnostic& report_file_too_large(diag::Sink& sink, source::Span at, std::string_view what, uint64_t bytes,
                                        const ParseLimits& limits);

/// Validates (UTF-8, not binary, size), lexes, parses and builds the tree of
/// one file. Safe to call from several threads at once on different files.
ParseResult parse_file(const source::SourceFile& file, source::FileId id, const ParseLimits& limits = {});

/// parse_file without the recursive-descent fast path: ANTLR's parser and
/// build_ast only. For the test that holds the two parsers to each other.
ParseResult parse_file_with_antlr(const source::SourceFile& file, source::FileId id, const ParseLimits& limits = {});

/// Lexes a file with the ANTLR-generated lexer (the grammar's definition),
/// for the test that holds the hand-written lexer to it. Returns the same
/// shape as syntax::lex.
std::vector<Token> lex_with_antlr(std::string_view text);

}  // namespace claw::syntax
