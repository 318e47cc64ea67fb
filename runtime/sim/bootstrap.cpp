#include "runtime/sim/k3s_crds.h"
#include "runtime/sim/write.h"

namespace claw::sim {
namespace {

void create_if_missing(SimState& sim, const std::string& group, const std::string& version,
                       const std::string& plural, const std::string& ns, Json object) {
  const ResourceType* type = sim.registry.find(group, version, plural);
  if (type == nullptr) return;
  std::string name = object["metadata"].value("name", "");
  ObjectKey key{group, plural, ns, name};
  if (sim.store.get(key) != nullptr) return;
  WriteContext ctx;
  ctx.manager = group.empty() ? "kube-apiserver" : "k3s";
  (void)commit_write(sim, *type, key, nullptr, std::move(object), ctx);
}

}  // namespace

void bootstrap(SimState& sim) {
  // The namespaces every cluster starts with (kube-apiserver's system
  // namespaces controller) and k3s' `default` Service for the API.
  for (const char* ns : {"default", "kube-system", "kube-public", "kube-node-lease"}) {
    create_if_missing(sim, "", "v1", "namespaces", "",
                      Json{{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", ns}}}});
  }
  Json kubernetes = {
      {"apiVersion", "v1"},
      {"kind", "Service"},
      {"metadata", {{"name", "kubernetes"}, {"namespace", "default"},
                    {"labels", {{"component", "apiserver"}, {"provider", "kubernetes"}}}}},
      {"spec", {{"clusterIP", "10.43.0.1"},
                {"ports", Json::array({{{"name", "https"}, {"port", 443}, {"protocol", "TCP"}, {"targetPort", 6443}}})}}}};
  create_if_missing(sim, "", "v1", "services", "default", std::move(kubernetes));
  for (Json& crd : k3s_builtin_crds()) {
    create_if_missing(sim, "apiextensions.k8s.io", "v1", "customresourcedefinitions", "", std::move(crd));
  }
}

void register_nodes(SimState& sim, const std::vector<Json>& nodes) {
  const ResourceType* type = sim.registry.find("", "v1", "nodes");
  for (const Json& node : nodes) {
    ObjectKey key{"", "nodes", "", node["metadata"].value("name", "")};
    auto old = sim.store.get(key);
    WriteContext ctx;
    ctx.manager = "k3s";
    Json candidate = node;
    // A Node's status is what the kubelet reports: written as is.
    if (auto r = commit_write(sim, *type, key, old ? &old->object : nullptr, candidate, ctx); r) {
      ctx.subresource = "status";
      Json stored = r->object;
      auto current = sim.store.get(key);
      stored["status"] = node.value("status", Json::object());
      (void)commit_write(sim, *type, key, current ? &current->object : nullptr, stored, ctx);
    }
  }
}

}  // namespace claw::sim
