#include "runtime/sim/write.h"

#include "runtime/sim/apply.h"
#include "runtime/sim/defaults.h"
#include "runtime/sim/k3s_crds.h"
#include "runtime/sim/system_fields.h"
#include "runtime/sim/validation.h"

#include <fmt/format.h>

namespace claw::sim {
namespace {

// What a write may not change outside its part: the main resource keeps
// the stored status, the status subresource keeps everything else.
void keep_other_part(const ResourceType& type, const Json* old, Json& candidate, const WriteContext& ctx) {
  if (ctx.subresource == "status") {
    Json status = candidate.value("status", Json::object());
    candidate = old != nullptr ? *old : candidate;
    candidate["status"] = std::move(status);
    return;
  }
  if (!type.has_subresource("status")) return;
  if (old != nullptr && old->contains("status")) {
    candidate["status"] = (*old)["status"];
  } else if (old != nullptr) {
    candidate.erase("status");
  } else {
    // PrepareForCreate of every kind with a status subresource clears it.
    candidate["status"] = Json::object();
  }
}

std::expected<void, ApiError> admit_namespace(SimState& sim, const ResourceType& type, const ObjectKey& key,
                                              const Json* old) {
  if (!type.namespaced || old != nullptr) return {};
  const ResourceType* ns_type = sim.registry.find("", "v1", "namespaces");
  auto ns = sim.store.get(ObjectKey{"", "namespaces", "", key.ns});
  if (ns == nullptr) return std::unexpected(not_found(*ns_type, key.ns));
  if (ns->object.contains("/status/phase"_json_pointer) &&
      ns->object["/status/phase"_json_pointer] == "Terminating") {
    ApiError e = forbidden(type, key.name,
                           fmt::format("unable to create new content in namespace {} because it is being terminated",
                                       key.ns));
    e.details["causes"] = Json::array({{{"reason", "NamespaceTerminating"},
                                        {"message", fmt::format("namespace {} is being terminated", key.ns)},
                                        {"field", "metadata.namespace"}}});
    return std::unexpected(e);
  }
  return {};
}

// A quantity that does not parse fails the decoding of the body, as
// resource.Quantity's UnmarshalJSON does: a 400, not a 422.
ApiError bad_quantity(const ResourceType& type, const std::string& path) {
  return bad_request(fmt::format("{} in version \"{}\" cannot be handled as a {}: quantities must match the regular "
                                 "expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$' (at {})",
                                 type.kind, type.version, type.kind, path));
}

// An object without its resourceVersion and its managedFields' times: what
// decides whether a write changed anything. The real server compares after
// defaulting, so an apply whose config omits defaulted fields (a
// StatefulSet's volumeClaimTemplates, say) is still a no-op when repeated,
// and a manager's entry only gets a new time when the object changed.
Json comparable(const Json& object) {
  Json x = object;
  x["metadata"].erase("resourceVersion");
  if (x["metadata"].contains("managedFields") && x["metadata"]["managedFields"].is_array()) {
    for (Json& entry : x["metadata"]["managedFields"]) {
      if (entry.is_object()) entry.erase("time");
    }
  }
  return x;
}

bool same_ignoring_version(const Json& a, const Json& b) {
  if (a.size() != b.size()) return false;
  return comparable(a) == comparable(b);
}

DefaultingContext defaulting_context(SimState& sim, const Json& candidate) {
  DefaultingContext ctx;
  ctx.uid = candidate.value("/metadata/uid"_json_pointer, std::string());
  ctx.allocate_cluster_ip = [&sim] { return allocate_cluster_ip(sim.store); };
  ctx.allocate_node_port = [&sim] { return allocate_node_port(sim.store); };
  return ctx;
}

void after_store(SimState& sim, const ResourceType& type, const Json& object) {
  if (type.group == "apiextensions.k8s.io" && type.kind == "CustomResourceDefinition") {
    sim.registry.add_crd(object);
    sim.openapi_cache.clear();
  }
}

}  // namespace

std::expected<WriteResult, ApiError> commit_write(SimState& sim, const ResourceType& type, const ObjectKey& key,
                                                  const Json* old, Json candidate, const WriteContext& ctx) {
  if (auto admitted = admit_namespace(sim, type, key, old); !admitted) return std::unexpected(admitted.error());
  keep_other_part(type, old, candidate, ctx);
  set_system_fields(sim, type, key, old, candidate);
  std::vector<std::string> bad_quantities = canonicalize_quantities(type.schema, candidate);
  if (!bad_quantities.empty()) return std::unexpected(bad_quantity(type, bad_quantities.front()));
  if (ctx.subresource.empty()) {
    apply_defaults(type, candidate, old, defaulting_context(sim, candidate));
  }
  std::vector<Cause> causes = validate_object(type, candidate, old);
  if (!causes.empty()) return std::unexpected(invalid(type.group, type.kind, key.name, std::move(causes)));
  if (ctx.operation != "Apply") {
    record_update(old, candidate, type.schema,
                  WriteOrigin{ctx.manager, type.api_version(), rfc3339(sim.clock.now()), ctx.subresource,
                              type.has_subresource("status")});
  }
  if (old != nullptr && same_ignoring_version(candidate, *old)) return WriteResult{*old, false, {}};
  bump_generation(type, old, candidate);
  if (ctx.dry_run) {
    if (old == nullptr) candidate["metadata"].erase("resourceVersion");
    return WriteResult{std::move(candidate), old == nullptr, {}};
  }
  candidate["metadata"]["resourceVersion"] = std::to_string(sim.store.next_resource_version());
  sim.store.put(key, candidate, old == nullptr ? "ADDED" : "MODIFIED");
  after_store(sim, type, candidate);
  sim.changed.notify_all();
  return WriteResult{std::move(candidate), old == nullptr, {}};
}

void remove_object(SimState& sim, const ObjectKey& key, const Json& object) {
  Json last = object;
  last["metadata"]["resourceVersion"] = std::to_string(sim.store.next_resource_version());
  sim.store.erase(key, last);
  if (key.group == "apiextensions.k8s.io" && key.plural == "customresourcedefinitions") {
    std::string group = object.value("/spec/group"_json_pointer, std::string());
    std::string plural = object.value("/spec/names/plural"_json_pointer, std::string());
    for (const auto& [k, stored] : sim.store.all()) {
      if (k.group == group && k.plural == plural) remove_object(sim, k, stored->object);
    }
    sim.registry.remove_crd(key.name);
    sim.openapi_cache.clear();
  }
  sim.changed.notify_all();
}

std::string manager_of(const ApiRequest& request) {
  if (auto m = request.param("fieldManager"); m && !m->empty()) return *m;
  std::string agent = request.header("user-agent");
  std::size_t end = agent.find_first_of("/ ");
  agent = agent.substr(0, end);
  return agent.empty() ? "unknown" : agent;
}

}  // namespace claw::sim
