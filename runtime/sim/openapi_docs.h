#pragma once
// The OpenAPI documents the server publishes: `/openapi/v2` (the embedded
// Kubernetes document plus the CRDs' kinds) and `/openapi/v3` (an index and
// one OpenAPI 3.0 document per group-version). kubectl downloads /openapi/v3
// to learn that PATCH accepts `fieldValidation` (server-side validation) and
// for `kubectl explain`. Results depend only on the registry: callers may
// cache them until a CRD changes.

#include "runtime/sim/json_schema.h"

#include <optional>
#include <string_view>

namespace claw::sim {

class Registry;

// The Swagger 2.0 document: the embedded one plus each served CRD version's
// kind, list kind and REST paths.
Json openapi_v2(const Registry& registry);

// `{"paths":{"api/v1":{"serverRelativeURL":"/openapi/v3/api/v1?hash=..."},...}}`
// with one entry per served group-version.
Json openapi_v3_index(const Registry& registry);

// The OpenAPI 3.0 document of one group-version path ("api/v1",
// "apis/apps/v1"), or nullopt when the registry does not serve it.
std::optional<Json> openapi_v3_group_version(const Registry& registry, std::string_view path);

// The hash the index puts in a document's URL (uppercase SHA-512 hex of its
// JSON text, as the real server's hashes are).
std::string openapi_v3_hash(const Json& document);

}  // namespace claw::sim
