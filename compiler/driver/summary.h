// A short human summary of a checked network: machines, roles, GPUs, workloads.
#pragma once

#include <string>

#include "compiler/sema/model.h"

namespace claw::driver {

std::string network_summary(const sema::Model& model);

}  // namespace claw::driver
