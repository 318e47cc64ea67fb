// The lines `claw build` prints for replicas that change place against the
// previous placement (claw.lock).
#pragma once

#include <string>

#include "compiler/placement/placement.h"
#include "compiler/sema/model.h"

namespace claw::driver {

/// "moved:" and a line per move ("qdrant: panda → studio (why)",
/// "embedder replica 1: gpu-box card 0 → card 1 (why)"), or "" when none.
std::string moves_text(const sema::Model& model, const placement::Placement& placed);

}  // namespace claw::driver
