// An object's body (tree.h) as JSON: what the runtime compares with live
// objects and sends to the API server. Text stays text; a plain scalar is
// read as YAML 1.2's core schema reads it in the YAML files claw writes:
// `true`/`false` booleans, `~`/`null` null, integers and decimals numbers,
// anything else text, so the JSON means what the YAML file means.
#pragma once

#include <nlohmann/json.hpp>

#include "compiler/emit/tree.h"

namespace claw::emit {

/// `tree` (from node `index` down) as a JSON value; null for an empty tree.
nlohmann::json to_json(const Tree& tree, size_t index = 0);

}  // namespace claw::emit
