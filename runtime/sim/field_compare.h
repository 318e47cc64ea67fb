#pragma once
// The field-level difference of two versions of an object, as
// structured-merge-diff's Compare reports it (typed/compare.go).

#include "runtime/sim/field_set.h"

namespace claw::sim {

struct FieldComparison {
  FieldSet added;     // in `after` only; a new struct, map or item adds its own path too
  FieldSet removed;   // in `before` only, likewise
  FieldSet modified;  // leaves (scalars, atomic nodes) whose value differs
};

// Compares two objects (both present) walked with `schema`.
FieldComparison compare_objects(const Json& before, const Json& after, SchemaView schema);

}  // namespace claw::sim
