#pragma once
// kubectl's client-side apply annotation kept in step with server-side
// apply (k8s.io/apimachinery pkg/util/managedfields/internal/lastappliedupdater.go).

#include "runtime/sim/json_schema.h"

#include <string>

namespace claw::sim {

// After an apply by `manager`: when the manager is "kubectl" and `object`
// carries a non-empty kubectl.kubernetes.io/last-applied-configuration,
// replaces it with `config` (less that annotation) encoded as Go's
// encoding/json writes it.
void sync_last_applied(Json& object, const Json& config, const std::string& manager);

}  // namespace claw::sim
