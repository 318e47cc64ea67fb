// DELETE of one object and of a collection: preconditions, propagation
// policy finalizers, namespaces that finalize, and the responses of
// k8s.io/apiserver pkg/endpoints/handlers/delete.go.

#include "runtime/sim/body.h"
#include "runtime/sim/handlers.h"
#include "runtime/sim/request_checks.h"
#include "runtime/sim/selectors.h"

#include <fmt/format.h>

#include <set>

namespace claw::sim {
namespace {

struct DeleteOptions {
  bool dry_run = false;
  std::string propagation;  // Background, Foreground, Orphan
  std::string precondition_uid, precondition_rv;
};

std::expected<DeleteOptions, ApiError> delete_options(const ApiRequest& request) {
  DeleteOptions o;
  Json body = Json::object();
  if (!request.body.empty()) {
    auto parsed = parse_body(request.body, false);
    if (!parsed || !parsed->is_object()) return std::unexpected(bad_request("the body is not DeleteOptions"));
    body = *parsed;
  }
  std::string dry = request.param("dryRun").value_or("");
  if (body.contains("dryRun") && body["dryRun"].is_array() && !body["dryRun"].empty()) dry = body["dryRun"][0];
  if (!dry.empty() && dry != "All") {
    return std::unexpected(invalid("meta.k8s.io", "DeleteOptions", "",
                                   {Cause{"FieldValueNotSupported",
                                          fmt::format("Unsupported value: \"{}\": supported values: \"All\"", dry),
                                          "dryRun"}}));
  }
  o.dry_run = dry == "All";
  o.propagation = request.param("propagationPolicy").value_or(body.value("propagationPolicy", ""));
  if (!o.propagation.empty() && o.propagation != "Background" && o.propagation != "Foreground" &&
      o.propagation != "Orphan") {
    return std::unexpected(invalid("meta.k8s.io", "DeleteOptions", "",
                                   {Cause{"FieldValueNotSupported",
                                          fmt::format("Unsupported value: \"{}\": supported values: \"Foreground\", "
                                                      "\"Background\", \"Orphan\"",
                                                      o.propagation),
                                          "propagationPolicy"}}));
  }
  if (auto orphan = request.param("orphanDependents"); orphan && o.propagation.empty()) {
    o.propagation = *orphan == "true" ? "Orphan" : "Background";
  }
  if (body.contains("preconditions") && body["preconditions"].is_object()) {
    o.precondition_uid = body["preconditions"].value("uid", "");
    o.precondition_rv = body["preconditions"].value("resourceVersion", "");
  }
  return o;
}

// Kinds whose REST storage returns the deleted object rather than a Status
// (ReturnDeletedObject: true in pkg/registry/core/*/storage).
bool returns_deleted_object(const ResourceType& type) {
  static const std::set<std::string> kinds = {"Pod", "Service", "ServiceAccount", "PersistentVolume",
                                              "PersistentVolumeClaim", "Namespace", "Node"};
  return type.group.empty() && kinds.contains(type.kind);
}

Json success_status(const ResourceType& type, const Json& object) {
  Json details = {{"name", object.value("/metadata/name"_json_pointer, std::string())},
                  {"kind", type.plural},
                  {"uid", object.value("/metadata/uid"_json_pointer, std::string())}};
  if (!type.group.empty()) details["group"] = type.group;
  return {{"kind", "Status"}, {"apiVersion", "v1"}, {"metadata", Json::object()}, {"status", "Success"},
          {"details", details}};
}

std::expected<Json, ApiError> delete_one(SimState& sim, const Target& target, const Json& object,
                                         const DeleteOptions& o, bool* removed) {
  const ResourceType& type = *target.type;
  *removed = false;
  if (type.group.empty() && type.kind == "Namespace" &&
      (target.name == "default" || target.name == "kube-system" || target.name == "kube-public")) {
    return std::unexpected(forbidden(type, target.name, "this namespace may not be deleted"));
  }
  if (!o.precondition_uid.empty() && o.precondition_uid != object.value("/metadata/uid"_json_pointer, std::string())) {
    return std::unexpected(conflict(type, target.name,
                                    fmt::format("Precondition failed: UID in precondition: {}, UID in object meta: {}",
                                                o.precondition_uid, object.value("/metadata/uid"_json_pointer, std::string()))));
  }
  if (!o.precondition_rv.empty() &&
      o.precondition_rv != object.value("/metadata/resourceVersion"_json_pointer, std::string())) {
    return std::unexpected(conflict(
        type, target.name,
        fmt::format("Precondition failed: ResourceVersion in precondition: {}, ResourceVersion in object meta: {}",
                    o.precondition_rv, object.value("/metadata/resourceVersion"_json_pointer, std::string()))));
  }
  if (object.contains("/metadata/deletionTimestamp"_json_pointer)) return object;
  Json next = object;
  Json& meta = next["metadata"];
  Json finalizers = meta.value("finalizers", Json::array());
  auto add = [&](const char* f) {
    if (std::ranges::find(finalizers, Json(f)) == finalizers.end()) finalizers.push_back(f);
  };
  if (o.propagation == "Foreground") add("foregroundDeletion");
  if (o.propagation == "Orphan") add("orphan");
  bool is_namespace = type.group.empty() && type.kind == "Namespace";
  if (finalizers.empty() && !is_namespace) {
    if (!o.dry_run) {
      remove_object(sim, target.key(), object);
      *removed = true;
    }
    return object;
  }
  meta["finalizers"] = finalizers;
  if (finalizers.empty()) meta.erase("finalizers");
  meta["deletionTimestamp"] = rfc3339(sim.clock.now());
  meta["deletionGracePeriodSeconds"] = 0;
  if (is_namespace) next["status"]["phase"] = "Terminating";
  if (o.dry_run) return next;
  meta["resourceVersion"] = std::to_string(sim.store.next_resource_version());
  sim.store.put(target.key(), next, "MODIFIED");
  sim.changed.notify_all();
  return next;
}

}  // namespace

ApiResponse handle_delete(SimState& sim, const Target& target, const ApiRequest& request) {
  auto options = delete_options(request);
  if (!options) return error_response(options.error());
  auto stored = sim.store.get(target.key());
  if (stored == nullptr) return error_response(not_found(*target.type, target.name));
  bool removed = false;
  auto result = delete_one(sim, target, stored->object, *options, &removed);
  if (!result) return error_response(result.error());
  if (removed && !returns_deleted_object(*target.type)) {
    return ApiResponse::json(200, success_status(*target.type, *result));
  }
  return ApiResponse::json(200, as_requested(*target.type, *result));
}

ApiResponse handle_delete_collection(SimState& sim, const Target& target, const ApiRequest& request) {
  const ResourceType& type = *target.type;
  auto options = delete_options(request);
  if (!options) return error_response(options.error());
  auto labels = parse_label_selector(request.param("labelSelector").value_or(""));
  if (!labels) return error_response(bad_request(labels.error()));
  auto fields = parse_field_selector(request.param("fieldSelector").value_or(""));
  if (!fields) return error_response(bad_request(fields.error()));
  Json items = Json::array();
  for (const auto& stored : sim.store.list(type.group, type.plural, target.ns)) {
    const Json& object = stored->object;
    if (!matches(*labels, object["metadata"].value("labels", Json::object())) || !matches(*fields, object)) continue;
    Target one = target;
    one.ns = object["metadata"].value("namespace", "");
    one.name = object["metadata"].value("name", "");
    bool removed = false;
    auto result = delete_one(sim, one, object, *options, &removed);
    if (!result) return error_response(result.error());
    Json item = *result;
    if (!type.custom) {
      item.erase("apiVersion");
      item.erase("kind");
    }
    items.push_back(std::move(item));
  }
  return ApiResponse::json(200, {{"kind", type.kind + "List"}, {"apiVersion", type.api_version()},
                                 {"metadata", {{"resourceVersion", std::to_string(sim.store.resource_version())}}},
                                 {"items", items}});
}

}  // namespace claw::sim
