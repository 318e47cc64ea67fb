#pragma once
// The object validation a real API server runs after decoding and defaulting
// (kubernetes pkg/apis/core/validation, pkg/apis/apps/validation,
// k8s.io/apimachinery pkg/api/validation/objectmeta.go): each broken rule is
// one cause of the 422 Invalid the caller builds with status.h `invalid()`.

#include "runtime/sim/status.h"

#include <vector>

namespace claw::sim {

struct ResourceType;

// The field errors of `object` (a create when `old` is null, else an update
// of `old`), in the order the real validators report them.
std::vector<Cause> validate_object(const ResourceType& type, const Json& object, const Json* old = nullptr);

}  // namespace claw::sim
