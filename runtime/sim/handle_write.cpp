// POST (create) and PUT (update, and status updates).

#include "runtime/sim/handlers.h"
#include "runtime/sim/request_checks.h"
#include "runtime/sim/scale.h"
#include "runtime/sim/system_fields.h"

#include <fmt/format.h>

namespace claw::sim {

namespace {

// Kinds that only take `create` (SelfSubjectAccessReview, SelfSubjectReview,
// TokenReview, ...) are questions, answered in the object's status and never
// stored. Every authenticated client is the admin the kubeconfig names
// (CN=claw-admin, O=system:masters): allowed everything.
ApiResponse answer_review(const ResourceType& type, Json review) {
  review["apiVersion"] = type.api_version();
  review["kind"] = type.kind;
  if (!review.contains("metadata")) review["metadata"] = Json::object();
  review["metadata"]["creationTimestamp"] = nullptr;
  Json user = {{"username", "claw-admin"}, {"groups", Json::array({"system:masters", "system:authenticated"})}};
  if (type.kind == "SelfSubjectReview") {
    review["status"] = {{"userInfo", user}};
  } else if (type.kind == "TokenReview") {
    review["status"] = {{"authenticated", false}, {"error", "claw-sim authenticates by client certificate only"}};
  } else {
    review["status"] = {{"allowed", true}, {"reason", "claw-sim: every client is in system:masters"}};
  }
  return ApiResponse::json(201, review);
}

bool is_review(const ResourceType& type) { return type.verbs == std::vector<std::string>{"create"}; }

}  // namespace

ApiResponse handle_create(SimState& sim, const Target& target, const ApiRequest& request) {
  const ResourceType& type = *target.type;
  if (!type.has_verb("create")) return error_response(method_not_allowed("create is not supported on " + type.plural));
  if (is_review(type)) {
    auto body = read_object_body(target, request, false, sim.registry);
    if (!body) return error_response(body.error());
    return answer_review(type, std::move(*body));
  }
  if (type.namespaced && target.ns.empty()) return error_response(not_found(type, ""));
  auto options = write_options(request, "CreateOptions");
  if (!options) return error_response(options.error());
  auto body = read_object_body(target, request, false, sim.registry);
  if (!body) return error_response(body.error());
  std::vector<std::string> warnings;
  if (!is_protobuf_body(target, request)) {
    if (auto ok = check_body_fields(target, request.body, options->validation, false, warnings); !ok) {
      return error_response(ok.error());
    }
  }
  Json& meta = (*body)["metadata"];
  if (meta.value("name", "").empty()) {
    std::string prefix = meta.value("generateName", "");
    if (prefix.empty()) {
      return error_response(invalid(type.group, type.kind, "",
                                    {Cause{"FieldValueRequired", "Required value: name or generateName is required",
                                           "metadata.name"}}));
    }
    meta["name"] = generated_name(prefix);
  }
  if (meta.contains("resourceVersion") && !meta["resourceVersion"].get<std::string>().empty()) {
    return error_response(bad_request("resourceVersion should not be set on objects to be created"));
  }
  Target named = target;
  named.name = meta["name"].get<std::string>();
  if (sim.store.get(named.key()) != nullptr) return error_response(already_exists(type, named.name));
  WriteContext ctx{options->manager, "Update", "", options->dry_run};
  meta.erase("managedFields");
  auto result = commit_write(sim, type, named.key(), nullptr, std::move(*body), ctx);
  if (!result) return error_response(result.error());
  result->created = true;
  return written(type, *result, std::move(warnings));
}

ApiResponse handle_update(SimState& sim, const Target& target, const ApiRequest& request) {
  const ResourceType& type = *target.type;
  auto options = write_options(request, "UpdateOptions");
  if (!options) return error_response(options.error());
  bool scale = target.subresource == "scale";
  auto body = scale ? parse_scale_body(request) : read_object_body(target, request, false, sim.registry);
  if (!body) return error_response(body.error());
  std::vector<std::string> warnings;
  if (!scale && !is_protobuf_body(target, request)) {
    if (auto ok = check_body_fields(target, request.body, options->validation, false, warnings); !ok) {
      return error_response(ok.error());
    }
  }
  auto stored = sim.store.get(target.key());
  if (stored == nullptr) return error_response(not_found(type, target.name));
  const Json& old = stored->object;
  std::string sent_version = body->value("/metadata/resourceVersion"_json_pointer, std::string());
  std::string live_version = old.value("/metadata/resourceVersion"_json_pointer, std::string());
  if (sent_version.empty() && type.custom) {
    return error_response(invalid(type.group, type.kind, target.name,
                                  {Cause{"FieldValueInvalid",
                                         "Invalid value: 0x0: must be specified for an update",
                                         "metadata.resourceVersion"}}));
  }
  if (!sent_version.empty() && sent_version != live_version) return error_response(stale_write(type, target.name));
  Json candidate = scale ? with_scale(old, *body) : std::move(*body);
  if (!scale && !candidate["metadata"].contains("managedFields") && old["metadata"].contains("managedFields")) {
    candidate["metadata"]["managedFields"] = old["metadata"]["managedFields"];
  }
  WriteContext ctx{options->manager, "Update", scale ? "" : target.subresource, options->dry_run};
  auto result = commit_write(sim, type, target.key(), &old, std::move(candidate), ctx);
  if (!result) return error_response(result.error());
  if (scale) return scale_response(result->object);
  return written(type, *result, std::move(warnings));
}

}  // namespace claw::sim
