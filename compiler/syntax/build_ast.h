// Builds the syntax tree from ANTLR's parse tree. Private to syntax/.
#pragma once

#include <ClawParser.h>

#include <set>

#include "compiler/diag/diagnostic.h"
#include "compiler/syntax/ast.h"
#include "compiler/syntax/token_stream.h"

namespace claw::syntax::detail {

/// Fills `out` from a (possibly partial) parse tree. Items that contain a
/// token an error was reported at are marked has_error, so later phases skip
/// their bodies instead of reporting echoes of the syntax error.
void build_ast(claw_antlr::ClawParser::FileContext* tree, const VectorTokenStream& stream,
               const std::set<size_t>& error_tokens, File& out, diag::Sink& sink);

}  // namespace claw::syntax::detail
