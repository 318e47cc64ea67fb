// The placement table `claw build` prints: per machine, what runs there and
// how full it is, per card for GPU machines.
#pragma once

#include <string>

#include "compiler/placement/placement.h"
#include "compiler/sema/model.h"

namespace claw::driver {

std::string placement_table(const sema::Model& model, const placement::Placement& placed);

}  // namespace claw::driver
