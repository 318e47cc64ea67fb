// textDocument/documentSymbol (from the syntax tree) and workspace/symbol
// (from sema's index).
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

#include "compiler/lsp/analysis.h"

namespace claw::lsp {

/// The hierarchical DocumentSymbols of a file: its top-level items, each
/// with the keys of its block (nested blocks nested), in file order.
nlohmann::json document_symbols(const Analysis& a, source::FileId file);

/// Whether every character of `query` appears in `name` in order, ignoring
/// case (the empty query matches everything).
bool fuzzy_match(std::string_view query, std::string_view name);

/// SymbolInformation for the user's declared names that match `query`,
/// at most `limit` of them, in declaration order.
nlohmann::json workspace_symbols(const Analysis& a, std::string_view query, size_t limit = 256);

}  // namespace claw::lsp
