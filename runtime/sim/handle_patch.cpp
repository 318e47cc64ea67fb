// PATCH: JSON patch, merge patch, strategic merge patch (built-in kinds) and
// server-side apply (k8s.io/apiserver pkg/endpoints/handlers/patch.go).

#include "runtime/sim/apply.h"
#include "runtime/sim/body.h"
#include "runtime/sim/defaults.h"
#include "runtime/sim/field_validation.h"
#include "runtime/sim/handlers.h"
#include "runtime/sim/json_patches.h"
#include "runtime/sim/request_checks.h"
#include "runtime/sim/scale.h"
#include "runtime/sim/strategic_merge.h"

#include <fmt/format.h>

namespace claw::sim {
namespace {

constexpr std::string_view kJsonPatch = "application/json-patch+json";
constexpr std::string_view kMergePatch = "application/merge-patch+json";
constexpr std::string_view kStrategic = "application/strategic-merge-patch+json";
constexpr std::string_view kApply = "application/apply-patch+yaml";

ApiError patch_option_error(std::string_view field, std::string_view message) {
  return invalid("meta.k8s.io", "PatchOptions", "", {Cause{"FieldValueForbidden", std::string(message), std::string(field)}});
}

ApiResponse apply_patch(SimState& sim, const Target& target, const ApiRequest& request, const WriteOptions& options) {
  const ResourceType& type = *target.type;
  if (auto raw = parse_body(request.body, true); raw && raw->is_object()) {
    if (std::optional<ApiError> e = check_apply_config(*raw, type.api_version())) return error_response(*e);
  }
  auto config = read_object_body(target, request, true, sim.registry);
  if (!config) return error_response(config.error());
  std::vector<std::string> warnings;
  if (auto ok = check_body_fields(target, request.body, options.validation, true, warnings); !ok) {
    return error_response(ok.error());
  }
  auto stored = sim.store.get(target.key());
  const Json* live = stored ? &stored->object : nullptr;
  if (live != nullptr) {
    std::string sent = config->value("/metadata/resourceVersion"_json_pointer, std::string());
    if (!sent.empty() && sent != live->value("/metadata/resourceVersion"_json_pointer, std::string())) {
      return error_response(stale_write(type, target.name));
    }
  }
  // The config is decoded into the kind's types before it is merged, so its
  // quantities compare in canonical form (`0.5` owns the same value as `500m`).
  (void)canonicalize_quantities(type.schema, *config);
  bool force = request.param("force") == "true";
  WriteOrigin origin{options.manager, type.api_version(), rfc3339(sim.clock.now()), target.subresource,
                     type.has_subresource("status")};
  auto merged = server_side_apply(live, *config, type.schema, origin, force);
  if (!merged) {
    ApiError e{409, "Conflict", conflict_message(merged.error()), Json::object()};
    Json causes = Json::array();
    for (const Cause& c : conflict_causes(merged.error())) {
      causes.push_back({{"reason", c.reason}, {"message", c.message}, {"field", c.field}});
    }
    e.details["causes"] = causes;
    return error_response(e);
  }
  WriteContext ctx{options.manager, "Apply", target.subresource, options.dry_run};
  auto result = commit_write(sim, type, target.key(), live, std::move(*merged), ctx);
  if (!result) return error_response(result.error());
  result->created = live == nullptr;
  return written(type, *result, std::move(warnings));
}

std::expected<Json, ApiError> patched(std::string_view media, const Json& original, const ApiRequest& request,
                                      SchemaView schema, bool strict) {
  auto patch = parse_patch_body(request.body);
  if (!patch) return std::unexpected(patch.error());
  if (media == kJsonPatch) return apply_json_patch(original, *patch, strict);
  if (media == kMergePatch) return apply_merge_patch(original, *patch, strict);
  auto decoded = decode_strategic_patch(*patch);
  if (!decoded) return std::unexpected(decoded.error());
  auto result = strategic_merge_patch(original, *decoded, schema);
  if (!result) return std::unexpected(strategic_merge_error(result.error()));
  return *result;
}

}  // namespace

ApiResponse handle_patch(SimState& sim, const Target& target, const ApiRequest& request) {
  const ResourceType& type = *target.type;
  std::string media = media_type(request.header("content-type"));
  bool known = media == kJsonPatch || media == kMergePatch || media == kStrategic || media == kApply;
  if (!known || (media == kStrategic && type.custom)) return error_response(unsupported_media_type(media));
  auto options = write_options(request, "PatchOptions");
  if (!options) return error_response(options.error());
  if (media == kApply) {
    if (!request.param("fieldManager") || request.param("fieldManager")->empty()) {
      return error_response(invalid("meta.k8s.io", "PatchOptions", "",
                                    {Cause{"FieldValueRequired", "Required value: is required for apply patch",
                                           "fieldManager"}}));
    }
    return apply_patch(sim, target, request, *options);
  }
  if (request.param("force")) return error_response(patch_option_error("force", "Forbidden: may not be specified for non-apply patch"));
  auto stored = sim.store.get(target.key());
  if (stored == nullptr) return error_response(not_found(type, target.name));
  const Json& old = stored->object;
  bool scale = target.subresource == "scale";
  Json view = scale ? scale_of(old) : old;
  SchemaView schema = scale ? SchemaView() : type.schema;
  auto result = patched(media, view, request, schema, options->validation != FieldValidation::Ignore);
  if (!result) return error_response(result.error());
  Json candidate = scale ? with_scale(old, *result) : std::move(*result);
  if (!candidate.is_object()) return error_response(bad_request("the patch did not produce an object"));
  std::string name = candidate.value("/metadata/name"_json_pointer, std::string());
  if (name != target.name) {
    return error_response(bad_request(fmt::format("the name of the object ({}) does not match the name on the URL ({})",
                                                  name, target.name)));
  }
  std::string rv = candidate.value("/metadata/resourceVersion"_json_pointer, std::string());
  if (!scale && !rv.empty() && rv != old.value("/metadata/resourceVersion"_json_pointer, std::string())) {
    return error_response(stale_write(type, target.name));
  }
  std::vector<std::string> warnings;
  if (!scale) {
    FieldProblems problems = check_patch_fields(type, request.body, candidate);
    if (media != kJsonPatch) {
      if (auto ok = field_policy(type, problems, options->validation, false, warnings); !ok) {
        return error_response(ok.error());
      }
    }
  }
  WriteContext ctx{options->manager, "Update", scale ? "" : target.subresource, options->dry_run};
  auto written_result = commit_write(sim, type, target.key(), &old, std::move(candidate), ctx);
  if (!written_result) return error_response(written_result.error());
  if (scale) return scale_response(written_result->object);
  return written(type, *written_result, std::move(warnings));
}

}  // namespace claw::sim
