// The labels a machine's node carries: what the join script sets and what
// placement.json lists, from this one place.
#pragma once

#include <map>
#include <string>

#include "compiler/sema/model.h"

namespace claw::emit {

/// Every label machine `m`'s node carries once its join script ran: its own
/// and its roles', `nvidia.com/gpu.present=true` when it has cards (the
/// NVIDIA device plugin's node affinity looks for it), and `derived`, the
/// labels the build adds (the time-slicing config's). A key set twice keeps
/// the machine's own value.
std::map<std::string, std::string> node_labels(const sema::Machine& m, const std::map<std::string, std::string>& derived);

}  // namespace claw::emit
