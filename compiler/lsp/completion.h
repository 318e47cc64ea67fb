// textDocument/completion from the type expected where the cursor is.
#pragma once

#include <nlohmann/json.hpp>

#include "compiler/lsp/analysis.h"
#include "compiler/lsp/target.h"

namespace claw::lsp {

/// CompletionItems for `t`: inside a block, the fields of the record
/// expected there; at a value, the values of the enum expected, `true` and
/// `false` for a bool, or the declared names of the kind a reference takes.
/// [] when nothing is expected there.
nlohmann::json completion(const Analysis& a, Target t);

}  // namespace claw::lsp
