// textDocument/prepareRename and textDocument/rename of a declared name.
#pragma once

#include <expected>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "compiler/lsp/analysis.h"
#include "compiler/lsp/jsonrpc.h"
#include "compiler/lsp/target.h"

namespace claw::lsp {

/// Whether `name` can be written as a declared name: an identifier of the
/// grammar (letters, digits, `_`, inner `-`) that is not a literal keyword.
bool valid_name(std::string_view name);

/// The range and placeholder of the name at `t`, or null when nothing
/// renamable is there; an error for a stdlib symbol or an import.
std::expected<nlohmann::json, RpcError> prepare_rename(const Analysis& a, Target t);

/// A WorkspaceEdit renaming the symbol at `t` and every reference to it
/// across files, or an error: nothing to rename, a stdlib symbol, an
/// invalid new name, or a name another declaration of its kind already has.
std::expected<nlohmann::json, RpcError> rename(const Analysis& a, Target t, const std::string& new_name);

}  // namespace claw::lsp
