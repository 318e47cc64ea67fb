// The fast path of the syntax phase: a recursive-descent parser for files
// without syntax errors. It builds the same tree as the ANTLR parser plus
// build_ast (tests/unit/parser_equivalence_test.cpp holds the two to that)
// in a fraction of the time, because it needs no parse tree, no adaptive
// prediction and no token objects. It gives up at the first token the
// grammar does not allow; the caller then parses the file again with ANTLR,
// whose error recovery and messages are the ones users see. Private to
// syntax/.
#pragma once

#include <span>
#include <string_view>

#include "compiler/diag/diagnostic.h"
#include "compiler/syntax/ast.h"
#include "compiler/syntax/token.h"

namespace claw::syntax::detail {

/// Parses `visible` (the file's tokens without whitespace and comments, and
/// without the final Eof) of `text` into `out.items`. Returns false at the
/// first syntax error; `out` and `sink` then hold a partial result that the
/// caller must discard. On success `sink` holds the diagnostics literals
/// draw (bad escapes, numbers too large), as build_ast would report them.
bool parse_descent(std::span<const Token> visible, std::string_view text, File& out, diag::Sink& sink);

}  // namespace claw::syntax::detail
