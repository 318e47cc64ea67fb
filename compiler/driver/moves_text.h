// The lines `claw build` prints for replicas that change place against the
// previous placement (claw.lock).
#pragma once

#include <string>
#include <vector>

#include "compiler/placement/placement.h"
#include "compiler/sema/model.h"

namespace claw::driver {

/// "moved:" and a line per move ("qdrant: panda → studio (why)",
/// "embedder replica 1: gpu-box card 0 → card 1 (why)"), or "" when none.
std::string moves_text(const sema::Model& model, const placement::Placement& placed);

/// Why `--allow-move` names no workload of `model` (each name is a
/// workload's `name` or `namespace/name`), with the closest name as a
/// did-you-mean; empty when every name is one. A misspelt name must not
/// pass silently: the workload it meant would still be refused.
std::string unknown_allow_move(const sema::Model& model, const std::vector<std::string>& names);

}  // namespace claw::driver
