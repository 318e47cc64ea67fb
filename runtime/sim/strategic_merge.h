#pragma once
// Strategic merge patch as kube-apiserver applies it to built-in kinds
// (k8s.io/apimachinery pkg/util/strategicpatch/patch.go,
// StrategicMergeMapPatch): the patch strategy and merge key of each field come
// from the kind's OpenAPI schema, whose x-kubernetes-patch-* extensions are
// generated from the same Go struct tags the real server reads.

#include "runtime/sim/json_schema.h"
#include "runtime/sim/status.h"

#include <expected>
#include <string>
#include <string_view>

namespace claw::sim {

// The strategic-merge-patch body as a JSON object; anything else is the
// 400 the server answers when it cannot decode the body into a map.
std::expected<Json, ApiError> decode_strategic_patch(const Json& body);

// Applies `patch` to `original` (both JSON objects) with the merge rules of
// `schema` (the kind's root schema); the error is the real code's message.
std::expected<Json, std::string> strategic_merge_patch(const Json& original, const Json& patch, SchemaView schema);

// The Status the server answers for a strategic_merge_patch error message
// (interpretStrategicMergePatchError in apiserver pkg/endpoints/handlers/patch.go).
ApiError strategic_merge_error(std::string_view message);

}  // namespace claw::sim
