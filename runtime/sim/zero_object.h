#pragma once
// The empty object a real server compares against when it records the
// fields of a create: Go's zero value of the kind serialised to JSON, which
// already holds a few empty structs and null lists. Their paths are
// therefore not "added" and get no `".": {}` in fieldsV1.

#include "runtime/sim/json_schema.h"

namespace claw::sim {

// The zero object of the kind whose root schema is `schema` (built-in kinds;
// a custom resource's zero object is empty).
Json zero_object(SchemaView schema);

}  // namespace claw::sim
