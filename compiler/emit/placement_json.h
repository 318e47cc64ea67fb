// DIR/placement.json: where every replica runs and what it asks for — a
// contract other tools read (field names and units are fixed).
#pragma once

#include <string>

#include "compiler/emit/time_slicing.h"
#include "compiler/placement/placement.h"
#include "compiler/sema/model.h"

namespace claw::emit {

/// The placement as JSON text (keys sorted, two-space indent, final newline);
/// each machine's labels are its node's, `slicing`'s included.
std::string placement_json(const sema::Model& model, const placement::Placement& placed, const TimeSlicing& slicing);

}  // namespace claw::emit
