#include "runtime/sim/json_patches.h"

#include "runtime/sim/json_patch_ops.h"

#include <fmt/format.h>

#include <optional>

namespace claw::sim {
namespace {

// encoding/json's UnmarshalTypeError.Value for a JSON value.
std::string_view json_kind(const Json& v) {
  if (v.is_object()) return "object";
  if (v.is_array()) return "array";
  if (v.is_string()) return "string";
  if (v.is_boolean()) return "bool";
  return "number";
}

// errors.NewGenericServerResponse(422, ...) keeps only its own message, so
// every failing operation answers the same (apiserver applyJSPatch).
ApiError patch_rejected() {
  return {422, "Invalid", "the server rejected our request due to an error in our request", Json::object()};
}

// The decode error of a body that is not a list of operations (jsonpatch.DecodePatch,
// or the strict decode into []handlers.jsonPatchOp first).
std::optional<ApiError> decode_error(const Json& patch, bool strict) {
  std::string_view go_list = strict ? "[]handlers.jsonPatchOp" : "jsonpatch.Patch";
  std::string_view go_item = strict ? "handlers.jsonPatchOp" : "jsonpatch.Operation";
  std::string message;
  if (!patch.is_array() && !patch.is_null()) {
    message = fmt::format("json: cannot unmarshal {} into Go value of type {}", json_kind(patch), go_list);
  } else if (patch.is_array()) {
    for (const Json& op : patch) {
      if (op.is_object() || op.is_null()) continue;
      message = fmt::format("json: cannot unmarshal {} into Go value of type {}", json_kind(op), go_item);
      break;
    }
  }
  if (message.empty()) return std::nullopt;
  return bad_request(strict ? "error decoding patch: " + message : message);
}

// pruneNulls (json-patch merge.go): drops null members of objects, also
// inside lists; null list items stay.
void prune_nulls(Json& v) {
  if (v.is_object()) {
    for (auto it = v.begin(); it != v.end();) {
      if (it->is_null()) {
        it = v.erase(it);
      } else {
        prune_nulls(*it);
        ++it;
      }
    }
  } else if (v.is_array()) {
    for (Json& item : v) prune_nulls(item);
  }
}

// mergeDocs / merge (json-patch merge.go with mergeMerge = false).
void merge_docs(Json& doc, const Json& patch) {
  for (const auto& [k, v] : patch.items()) {
    if (v.is_null()) {
      doc.erase(k);
      continue;
    }
    auto cur = doc.find(k);
    Json value = v;
    if (cur == doc.end() || cur->is_null() || !cur->is_object()) {
      prune_nulls(value);
      doc[k] = std::move(value);
    } else if (!value.is_object()) {
      *cur = std::move(value);
    } else {
      merge_docs(*cur, value);
    }
  }
}

}  // namespace

std::expected<Json, ApiError> parse_patch_body(std::string_view body) {
  Json parsed = Json::parse(body, nullptr, false);
  if (parsed.is_discarded()) return std::unexpected(bad_request("invalid JSON patch"));
  return parsed;
}

std::expected<Json, ApiError> apply_json_patch(const Json& object, const Json& patch, bool strict_validation) {
  if (auto e = decode_error(patch, strict_validation)) return std::unexpected(*e);
  if (patch.is_null()) return object;
  if (patch.size() > kMaxJsonPatchOperations) {
    return std::unexpected(ApiError{413, "RequestEntityTooLarge",
                                    fmt::format("Request entity too large: The allowed maximum operations in a JSON "
                                                "patch is {}, got {}",
                                                kMaxJsonPatchOperations, patch.size()),
                                    Json::object()});
  }
  auto patched = apply_json_patch_ops(object, patch);
  if (!patched) return std::unexpected(patch_rejected());
  return *patched;
}

std::expected<Json, ApiError> apply_merge_patch(const Json& object, const Json& patch, bool strict_validation) {
  // applyJSPatch: with Strict/Warn validation the body is first decoded into a map.
  if (strict_validation && !patch.is_object() && !patch.is_null()) {
    return std::unexpected(bad_request(fmt::format(
        "error decoding patch: json: cannot unmarshal {} into Go value of type map[string]interface {{}}",
        json_kind(patch))));
  }
  if (patch.is_array()) {
    Json out = patch;
    prune_nulls(out);
    return out;
  }
  if (!patch.is_object()) return std::unexpected(bad_request("Invalid JSON Patch"));
  Json doc = object.is_object() ? object : Json::object();
  merge_docs(doc, patch);
  return doc;
}

}  // namespace claw::sim
