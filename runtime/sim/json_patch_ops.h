#pragma once
// RFC 6902 operations with the exact semantics of gopkg.in/evanphx/json-patch.v4
// (patch.go), the library kube-apiserver applies JSON patches with. Where v4
// differs from the RFC the sim follows v4: negative list indices count from the
// end, `replace` of a missing object member adds it, `copy` from a missing
// member copies null, and a `test` of a missing member holds when the value is
// null or absent.

#include "runtime/sim/json_schema.h"

#include <expected>
#include <string>

namespace claw::sim {

// Applies `ops` (a list of operation objects) to `doc` in order; the error is
// v4's message for the first operation that fails.
std::expected<Json, std::string> apply_json_patch_ops(Json doc, const Json& ops);

}  // namespace claw::sim
