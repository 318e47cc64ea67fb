#pragma once
// Kubernetes resource quantities (`500m`, `1Gi`, `1e3`): parsed exactly as
// k8s.io/apimachinery pkg/api/resource/quantity.go parses them and written
// back in the canonical form the API server returns.

#include "runtime/sim/json_schema.h"

#include <optional>
#include <string>

namespace claw::sim {

// The text the API server returns for a Quantity sent as `value` (a JSON
// string or number); nullopt when `value` is not a quantity.
std::optional<std::string> canonical_quantity(const Json& value);

// The same for a value of a ResourceList (container limits and requests,
// quota `hard`, ...), which core/v1 SetDefaults_ResourceList first rounds up
// to milli precision.
std::optional<std::string> canonical_resource_quantity(const Json& value);

}  // namespace claw::sim
