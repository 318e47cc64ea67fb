// An LSP Position read from its JSON form.
#pragma once

#include <optional>

#include <nlohmann/json.hpp>

#include "compiler/lsp/position.h"

namespace claw::lsp {

/// `{"line": L, "character": C}` with two non-negative integers, or nothing.
std::optional<Position> position_from_json(const nlohmann::json& p);

}  // namespace claw::lsp
