// `claw explain` output: a placement::Explanation as text for people and as
// JSON for tools.
#pragma once

#include <string>

#include "compiler/placement/explain.h"
#include "compiler/sema/model.h"

namespace claw::driver {

/// The explanation in words: per replica its machine and cards, what it
/// meets and takes there, why there, and why not on each other machine.
std::string explain_text(const sema::Model& model, const placement::Explanation& e);

/// The explanation as JSON, in the shape documented in explain_text.cpp.
std::string explain_json(const sema::Model& model, const placement::Explanation& e);

}  // namespace claw::driver
