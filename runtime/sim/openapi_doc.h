#pragma once
// The official Kubernetes 1.31 OpenAPI v2 document, embedded in the binary
// at build time (third_party/kubernetes/) and parsed once on first use. It is
// the sim's single source for kinds, REST paths, scopes and schemas.

#include "runtime/sim/json_schema.h"

namespace claw::sim {

// The whole document; throws std::runtime_error if the embedded copy is bad.
const Json& builtin_openapi();

// The document's `definitions` object.
const Json& builtin_definitions();

}  // namespace claw::sim
