// One table of how claw's kinds of names show in an editor: the LSP
// SymbolKind and CompletionItemKind of each.
#pragma once

#include "compiler/sema/index.h"
#include "compiler/syntax/ast.h"

namespace claw::lsp {

/// The LSP SymbolKind (document and workspace symbols) of a sema symbol.
int lsp_symbol_kind(sema::SymbolKind kind);
/// The LSP SymbolKind of a top-level declaration of the syntax tree.
int lsp_symbol_kind(syntax::DeclKind kind);
/// The LSP CompletionItemKind of a declared name offered in completion.
int completion_kind(sema::SymbolKind kind);

}  // namespace claw::lsp
