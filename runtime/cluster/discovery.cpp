#include "runtime/cluster/discovery.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

namespace claw::cluster {

using Json = nlohmann::json;

// Collects kinds as either kind of discovery document is read.
struct DiscoveryBuilder {
  Discovery out;

  void add(ResourceInfo info) { out.resources_.push_back(std::move(info)); }
  void unavailable(std::string group_version, std::string why) {
    out.unavailable_.emplace(std::move(group_version), std::move(why));
  }
  void aggregated() { out.aggregated_ = true; }
};

namespace {

std::string group_version(std::string_view group, std::string_view version) {
  return group.empty() ? std::string(version) : std::string(group) + "/" + std::string(version);
}

std::string string_at(const Json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::vector<std::string> strings_at(const Json& j, const char* key) {
  std::vector<std::string> out;
  auto it = j.find(key);
  if (it == j.end() || !it->is_array()) return out;
  for (const Json& v : *it) {
    if (v.is_string()) out.push_back(v.get<std::string>());
  }
  return out;
}

// Why a discovery request failed, without the response's body beyond a
// Status's message (a 401 or 403 carries no secret, but a proxy's HTML
// page is noise).
std::string failure(const Request& request, const Response& response) {
  if (response.status == 0) return response.error;
  std::string text = fmt::format("{} {}: HTTP {}", request.method, request.path, response.status);
  Json body = Json::parse(response.body, nullptr, false);
  if (body.is_object() && body.value("kind", "") == "Status") text += fmt::format(" {}", string_at(body, "message"));
  if (response.status == 401 || response.status == 403) text += "; check the user's credentials in the kubeconfig";
  return text;
}

// Content-Type `application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList`
// (client-go discovery_client.go: isV2ContentType).
bool is_aggregated(const Response& r) {
  auto it = r.headers.find("content-type");
  if (it == r.headers.end()) return false;
  std::string type = it->second;
  type.erase(std::remove(type.begin(), type.end(), ' '), type.end());
  return type.find("g=apidiscovery.k8s.io") != std::string::npos && type.find("v=v2;") != std::string::npos &&
         type.find("as=APIGroupDiscoveryList") != std::string::npos;
}

// An APIGroupDiscoveryList (k8s.io/api apidiscovery/v2), converted as
// client-go discovery/aggregated_discovery.go does: a Stale version is a
// failed group-version with no resources, a resource without a
// responseKind is skipped, scope "Namespaced" is namespaced.
bool read_aggregated(const Json& list, DiscoveryBuilder& b) {
  if (!list.is_object() || !list.contains("items") || !list["items"].is_array()) return false;
  for (const Json& item : list["items"]) {
    std::string group = item.contains("metadata") ? string_at(item["metadata"], "name") : std::string();
    if (!item.contains("versions") || !item["versions"].is_array()) continue;
    for (const Json& v : item["versions"]) {
      std::string version = string_at(v, "version");
      if (string_at(v, "freshness") == "Stale") {
        b.unavailable(group_version(group, version), "the server's discovery document for it is stale");
        continue;
      }
      if (!v.contains("resources") || !v["resources"].is_array()) continue;
      for (const Json& r : v["resources"]) {
        if (!r.contains("responseKind") || string_at(r["responseKind"], "kind").empty()) continue;
        b.add(ResourceInfo{group, version, string_at(r["responseKind"], "kind"), string_at(r, "resource"),
                           string_at(r, "scope") == "Namespaced", strings_at(r, "verbs")});
      }
    }
  }
  return true;
}

// An APIResourceList (meta/v1): subresources (`pods/status`) are not kinds
// of their own.
void read_resource_list(const Json& list, std::string_view group, std::string_view version, DiscoveryBuilder& b) {
  if (!list.contains("resources") || !list["resources"].is_array()) return;
  for (const Json& r : list["resources"]) {
    std::string name = string_at(r, "name");
    if (name.empty() || name.find('/') != std::string::npos) continue;
    b.add(ResourceInfo{std::string(group), std::string(version), string_at(r, "kind"), name,
                       r.value("namespaced", false), strings_at(r, "verbs")});
  }
}

struct GroupVersion {
  std::string group;
  std::string version;
};

// The legacy documents: /api's APIVersions and /apis' APIGroupList name
// every group-version, each then read from /api/<v> or /apis/<g>/<v>; one
// that fails is recorded and the rest kept (client-go
// ServerGroupsAndResources, ErrGroupDiscoveryFailed).
std::expected<void, std::string> read_legacy(Transport& transport, const Json& api, const Json& apis,
                                             DiscoveryBuilder& b) {
  std::vector<GroupVersion> gvs;
  for (const std::string& v : strings_at(api, "versions")) gvs.push_back({"", v});
  if (apis.contains("groups") && apis["groups"].is_array()) {
    for (const Json& g : apis["groups"]) {
      if (!g.contains("versions") || !g["versions"].is_array()) continue;
      for (const Json& v : g["versions"]) gvs.push_back({string_at(g, "name"), string_at(v, "version")});
    }
  }
  std::vector<Request> batch;
  for (const GroupVersion& gv : gvs) {
    std::string path = gv.group.empty() ? "/api/" + gv.version : "/apis/" + gv.group + "/" + gv.version;
    batch.push_back(Request{"GET", path, "", "", true});
  }
  std::vector<Response> responses = transport.perform(batch);
  for (size_t i = 0; i < gvs.size(); ++i) {
    std::string name = group_version(gvs[i].group, gvs[i].version);
    Json list = responses[i].status == 200 ? Json::parse(responses[i].body, nullptr, false) : Json();
    if (!list.is_object()) {
      b.unavailable(name, responses[i].status == 200 ? batch[i].path + ": not JSON" : failure(batch[i], responses[i]));
      continue;
    }
    read_resource_list(list, gvs[i].group, gvs[i].version, b);
  }
  return {};
}

}  // namespace

std::string ResourceInfo::api_version() const { return group_version(group, version); }

bool ResourceInfo::allows(std::string_view verb) const {
  return std::find(verbs.begin(), verbs.end(), verb) != verbs.end();
}

std::expected<Discovery, std::string> Discovery::load(Transport& transport) {
  std::vector<Request> roots = {Request{"GET", "/api", "", "", true, std::string(kAggregatedDiscoveryAccept)},
                                Request{"GET", "/apis", "", "", true, std::string(kAggregatedDiscoveryAccept)}};
  std::vector<Response> responses = transport.perform(roots);
  std::vector<Json> docs;
  for (size_t i = 0; i < roots.size(); ++i) {
    if (responses[i].status != 200) {
      return std::unexpected("reading the server's API discovery: " + failure(roots[i], responses[i]));
    }
    docs.push_back(Json::parse(responses[i].body, nullptr, false));
    if (docs.back().is_discarded()) {
      return std::unexpected("reading the server's API discovery: " + roots[i].path + " did not answer JSON");
    }
  }
  DiscoveryBuilder b;
  if (is_aggregated(responses[0]) && is_aggregated(responses[1])) {
    b.aggregated();
    if (!read_aggregated(docs[0], b) || !read_aggregated(docs[1], b)) {
      return std::unexpected(std::string("reading the server's API discovery: a malformed APIGroupDiscoveryList"));
    }
    return std::move(b.out);
  }
  if (auto legacy = read_legacy(transport, docs[0], docs[1], b); !legacy) return std::unexpected(legacy.error());
  return std::move(b.out);
}

std::expected<const ResourceInfo*, std::string> Discovery::find(std::string_view group, std::string_view version,
                                                                std::string_view kind) const {
  for (const ResourceInfo& r : resources_) {
    if (r.group == group && r.version == version && r.kind == kind) return &r;
  }
  std::string gv = group_version(group, version);
  std::string what = "apiVersion " + gv + ", kind " + std::string(kind);
  if (auto it = unavailable_.find(gv); it != unavailable_.end()) {
    return std::unexpected(what + ": the server lists " + gv + " but cannot describe it now (" + it->second +
                           "); try again when its API service is available");
  }
  bool served = std::any_of(resources_.begin(), resources_.end(),
                            [&](const ResourceInfo& r) { return r.group == group && r.version == version; });
  if (served) {
    return std::unexpected(what + ": the server serves " + gv + " but no kind " + std::string(kind) +
                           " in it; check the kind's spelling");
  }
  return std::unexpected(what + ": the server does not serve this kind; is the CRD installed?");
}

std::expected<const ResourceInfo*, std::string> Discovery::find(std::string_view api_version,
                                                                std::string_view kind) const {
  size_t slash = api_version.find('/');
  if (slash == std::string_view::npos) return find("", api_version, kind);
  return find(api_version.substr(0, slash), api_version.substr(slash + 1), kind);
}

std::string escape_path_segment(std::string_view segment) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  const bool dots = segment == "." || segment == "..";
  for (char c : segment) {
    auto u = static_cast<unsigned char>(c);
    bool unreserved = std::isalnum(u) || c == '-' || c == '_' || c == '~' || (c == '.' && !dots);
    if (unreserved) {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
  return out;
}

// /api/v1/... for the core group, /apis/<group>/<version>/... otherwise;
// namespaced kinds under namespaces/<ns>/ (the API conventions' paths, as
// client-go's rest.Request builds them).
std::string collection_path(const ResourceInfo& info, std::string_view ns) {
  std::string path = info.group.empty() ? "/api/" + info.version : "/apis/" + info.group + "/" + info.version;
  if (info.namespaced && !ns.empty()) path += "/namespaces/" + escape_path_segment(ns);
  return path + "/" + info.resource;
}

std::string object_path(const ResourceInfo& info, std::string_view ns, std::string_view name) {
  return collection_path(info, ns) + "/" + escape_path_segment(name);
}

}  // namespace claw::cluster
