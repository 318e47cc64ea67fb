// Discovery: the legacy documents (/api, /apis, /api/v1, /apis/<g>/<v>) and
// the aggregated ones (apidiscovery.k8s.io/v2) kubectl 1.32 asks for first,
// shaped as k8s.io/apimachinery pkg/apis/meta/v1/types.go and
// k8s.io/api/apidiscovery/v2/types.go define them.

#include "runtime/sim/handlers.h"
#include "runtime/sim/k3s_release.h"

namespace claw::sim {
namespace {

constexpr std::string_view kAggregatedType = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

bool wants_aggregated(const ApiRequest& request) {
  std::string accept = request.header("accept");
  return accept.find("as=APIGroupDiscoveryList") != std::string::npos &&
         accept.find("g=apidiscovery.k8s.io;v=v2;") != std::string::npos;
}

Json group_version(std::string_view group, std::string_view version) {
  std::string gv = group.empty() ? std::string(version) : std::string(group) + "/" + std::string(version);
  return {{"groupVersion", gv}, {"version", version}};
}

Json legacy_group(const ApiGroup& g) {
  Json versions = Json::array();
  for (const std::string& v : g.versions) versions.push_back(group_version(g.name, v));
  return {{"name", g.name}, {"versions", versions}, {"preferredVersion", versions.at(0)}};
}

Json legacy_resources(const ResourceType& t) {
  Json out = Json::array();
  Json main = {{"name", t.plural},   {"singularName", t.singular}, {"namespaced", t.namespaced},
               {"kind", t.kind},     {"verbs", t.verbs}};
  if (!t.short_names.empty()) main["shortNames"] = t.short_names;
  if (!t.categories.empty()) main["categories"] = t.categories;
  out.push_back(main);
  for (const Subresource& s : t.subresources) {
    Json sub = {{"name", t.plural + "/" + s.name}, {"singularName", ""}, {"namespaced", t.namespaced},
                {"kind", s.kind.empty() ? t.kind : s.kind}, {"verbs", s.verbs}};
    if (!s.group.empty() || !s.version.empty()) {
      sub["group"] = s.group;
      sub["version"] = s.version;
    }
    out.push_back(sub);
  }
  return out;
}

Json aggregated_resource(const ResourceType& t) {
  Json r = {{"resource", t.plural},
            {"responseKind", {{"group", t.group}, {"version", t.version}, {"kind", t.kind}}},
            {"scope", t.namespaced ? "Namespaced" : "Cluster"},
            {"singularResource", t.singular},
            {"verbs", t.verbs}};
  if (!t.short_names.empty()) r["shortNames"] = t.short_names;
  if (!t.categories.empty()) r["categories"] = t.categories;
  Json subs = Json::array();
  for (const Subresource& s : t.subresources) {
    subs.push_back({{"subresource", s.name},
                    {"responseKind",
                     {{"group", s.group.empty() && s.version.empty() ? t.group : s.group},
                      {"version", s.version.empty() ? t.version : s.version},
                      {"kind", s.kind.empty() ? t.kind : s.kind}}},
                    {"verbs", s.verbs}});
  }
  if (!subs.empty()) r["subresources"] = subs;
  return r;
}

Json aggregated_group(const Registry& registry, const ApiGroup& g) {
  Json versions = Json::array();
  for (const std::string& v : g.versions) {
    Json resources = Json::array();
    for (const ResourceType* t : registry.in_group_version(g.name, v)) resources.push_back(aggregated_resource(*t));
    versions.push_back({{"version", v}, {"resources", resources}, {"freshness", "Current"}});
  }
  return {{"metadata", {{"name", g.name}, {"creationTimestamp", nullptr}}}, {"versions", versions}};
}

ApiResponse aggregated(const Registry& registry, bool core) {
  Json items = Json::array();
  for (const ApiGroup& g : registry.groups()) {
    if (g.name.empty() == core) items.push_back(aggregated_group(registry, g));
  }
  Json doc = {{"kind", "APIGroupDiscoveryList"}, {"apiVersion", "apidiscovery.k8s.io/v2"},
              {"metadata", Json::object()}, {"items", items}};
  ApiResponse r = ApiResponse::json(200, doc);
  r.content_type = std::string(kAggregatedType);
  return r;
}

}  // namespace

ApiResponse handle_version() {
  return ApiResponse::json(200, {{"major", "1"},
                                 {"minor", "31"},
                                 {"gitVersion", kK3sVersion},
                                 {"gitCommit", "a562d090b0de7d9e1ea9e1fd1ad4d7e9bd5c3b2f"},
                                 {"gitTreeState", "clean"},
                                 {"buildDate", "2024-12-12T00:00:00Z"},
                                 {"goVersion", "go1.22.9"},
                                 {"compiler", "gc"},
                                 {"platform", "linux/amd64"}});
}

ApiResponse handle_api_versions(SimState& sim, const ApiRequest& request) {
  std::lock_guard lock(sim.mutex);
  if (wants_aggregated(request)) return aggregated(sim.registry, true);
  return ApiResponse::json(200, {{"kind", "APIVersions"},
                                 {"versions", Json::array({"v1"})},
                                 {"serverAddressByClientCIDRs",
                                  Json::array({{{"clientCIDR", "0.0.0.0/0"}, {"serverAddress", sim.address}}})}});
}

ApiResponse handle_api_groups(SimState& sim, const ApiRequest& request) {
  std::lock_guard lock(sim.mutex);
  if (wants_aggregated(request)) return aggregated(sim.registry, false);
  Json groups = Json::array();
  for (const ApiGroup& g : sim.registry.groups()) {
    if (!g.name.empty()) groups.push_back(legacy_group(g));
  }
  return ApiResponse::json(200, {{"kind", "APIGroupList"}, {"apiVersion", "v1"}, {"groups", groups}});
}

ApiResponse handle_api_group(SimState& sim, std::string_view group) {
  std::lock_guard lock(sim.mutex);
  for (const ApiGroup& g : sim.registry.groups()) {
    if (g.name == group && !g.name.empty()) {
      Json doc = legacy_group(g);
      doc["kind"] = "APIGroup";
      doc["apiVersion"] = "v1";
      return ApiResponse::json(200, doc);
    }
  }
  return error_response(ApiError{404, "NotFound", "the server could not find the requested resource", Json::object()});
}

ApiResponse handle_resource_list(SimState& sim, std::string_view group, std::string_view version) {
  Json resources = Json::array();
  for (const ResourceType* t : sim.registry.in_group_version(group, version)) {
    for (Json& r : legacy_resources(*t)) resources.push_back(std::move(r));
  }
  Json doc = {{"kind", "APIResourceList"}, {"groupVersion", group_version(group, version)["groupVersion"]},
              {"resources", resources}};
  if (!group.empty()) doc["apiVersion"] = "v1";
  return ApiResponse::json(200, doc);
}

}  // namespace claw::sim
