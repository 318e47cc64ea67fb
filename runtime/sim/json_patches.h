#pragma once
// JSON patch (RFC 6902) and JSON merge patch (RFC 7386) as kube-apiserver
// applies them (apiserver pkg/endpoints/handlers/patch.go with
// gopkg.in/evanphx/json-patch.v4), with the server's Status for bad patches.

#include "runtime/sim/json_schema.h"
#include "runtime/sim/status.h"

#include <expected>
#include <string_view>

namespace claw::sim {

// The most operations a JSON patch may have (patch.go maxJSONPatchOperations).
inline constexpr std::size_t kMaxJsonPatchOperations = 10000;

// Parses a PATCH body of any non-apply patch type; a body that is not JSON is
// the 400 "invalid JSON patch" (validateAndTranscodePatch).
std::expected<Json, ApiError> parse_patch_body(std::string_view body);

// Applies an RFC 6902 patch to `object`. A patch that is not a list of
// operations is a 400 (its decode error, prefixed "error decoding patch: " when
// the request asks for strict field validation); an operation that fails (a
// `test` that does not hold, a missing path) is the generic 422.
std::expected<Json, ApiError> apply_json_patch(const Json& object, const Json& patch, bool strict_validation);

// Applies an RFC 7386 merge patch to `object` as json-patch v4's MergePatch
// does (nulls are also pruned inside added lists); a `null`, string, number or
// boolean patch is the 400 "Invalid JSON Patch", and with strict field
// validation any non-object patch is the 400 of its decode into a map first.
// An array patch otherwise yields the array, which then fails to decode as the object.
std::expected<Json, ApiError> apply_merge_patch(const Json& object, const Json& patch, bool strict_validation);

}  // namespace claw::sim
