// textDocument/definition and textDocument/references.
#pragma once

#include <nlohmann/json.hpp>

#include "compiler/lsp/analysis.h"
#include "compiler/lsp/target.h"

namespace claw::lsp {

/// The Location of the declaration named at `t` (a field key: the
/// field's declaration in its type), or null.
nlohmann::json definition(const Analysis& a, Target t);

/// Every Location that names the symbol at `t`, the declaration first when
/// `include_declaration`; [] when there is no symbol there.
nlohmann::json references(const Analysis& a, Target t, bool include_declaration);

}  // namespace claw::lsp
