#pragma once
// The `scale` subresource of workloads: an autoscaling/v1 Scale view of
// spec.replicas and status.replicas/selector.

#include "runtime/sim/api_request.h"
#include "runtime/sim/status.h"

#include <expected>

namespace claw::sim {

// The Scale object of a workload.
Json scale_of(const Json& object);
// A Scale request body.
std::expected<Json, ApiError> parse_scale_body(const ApiRequest& request);
// `object` with spec.replicas taken from `scale`.
Json with_scale(const Json& object, const Json& scale);
ApiResponse scale_response(const Json& object);

}  // namespace claw::sim
