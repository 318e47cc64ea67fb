// textDocument/hover: what the name or key under the cursor is.
#pragma once

#include <nlohmann/json.hpp>

#include "compiler/lsp/analysis.h"
#include "compiler/lsp/target.h"

namespace claw::lsp {

/// A Hover (markdown) for the field key, reference or declared name at
/// `t`, or null when there is nothing there: a field's type, unit and
/// default; a symbol's kind and detail; for a workload, where placement put
/// each replica; for a machine, its capacity and what runs on it.
nlohmann::json hover(const Analysis& a, Target t);

}  // namespace claw::lsp
