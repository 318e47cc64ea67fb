#pragma once
// An in-memory Kubernetes API behind a cluster::FakeTransport, for the unit
// tests of plan and apply: legacy discovery documents for a few kinds, GET
// and LIST with equality label selectors, server-side apply (PATCH
// application/apply-patch+yaml, dryRun=All and force=true honoured, a
// resourceVersion in the body a precondition), DELETE with uid and
// resourceVersion preconditions, and faults chosen per object. Response
// shapes follow kube-apiserver 1.31: a list's items carry no apiVersion and
// kind (the list's own are `<Kind>List` and the group-version); errors are
// meta/v1 Status objects; an apply conflict is 409 with one
// `FieldManagerConflict` cause per field, its message `conflict with
// "<manager>" using <apiVersion>` (apimachinery
// pkg/util/managedfields/internal/conflict.go, as claw-sim writes it); a
// precondition failure is 409 `Precondition failed: UID in precondition:
// ...` (apiserver pkg/registry/generic/registry/store.go).

#include <doctest/doctest.h>

#include <fmt/format.h>

#include <cctype>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "compiler/emit/object.h"
#include "compiler/emit/tree.h"
#include "runtime/cluster/discovery.h"
#include "runtime/cluster/fake_transport.h"

namespace claw::test {

using nlohmann::json;

/// One kind the fake serves.
struct FakeKind {
  std::string group, version, kind, resource;
  bool namespaced;
};

/// The kinds the fake serves: enough for every wave of apply/waves.h.
inline const std::vector<FakeKind>& fake_kinds() {
  static const std::vector<FakeKind> kinds = {
      {"", "v1", "Namespace", "namespaces", false},
      {"", "v1", "ConfigMap", "configmaps", true},
      {"", "v1", "Secret", "secrets", true},
      {"", "v1", "Service", "services", true},
      {"", "v1", "PersistentVolumeClaim", "persistentvolumeclaims", true},
      {"", "v1", "PersistentVolume", "persistentvolumes", false},
      {"apps", "v1", "Deployment", "deployments", true},
      {"batch", "v1", "Job", "jobs", true},
      {"networking.k8s.io", "v1", "Ingress", "ingresses", true},
      {"node.k8s.io", "v1", "RuntimeClass", "runtimeclasses", false},
      {"apiextensions.k8s.io", "v1", "CustomResourceDefinition", "customresourcedefinitions", false},
      {"helm.cattle.io", "v1", "HelmChart", "helmcharts", true},
  };
  return kinds;
}

inline cluster::Response json_response(int status, const json& body) {
  cluster::Response r;
  r.status = status;
  r.body = body.dump();
  r.headers["content-type"] = "application/json";
  return r;
}

/// A meta/v1 Status failure.
inline cluster::Response status_response(int code, const std::string& reason, const std::string& message,
                                         json details = nullptr) {
  json s = {{"kind", "Status"}, {"apiVersion", "v1"}, {"metadata", json::object()}, {"status", "Failure"},
            {"message", message}, {"reason", reason}, {"code", code}};
  if (!details.is_null()) s["details"] = std::move(details);
  return json_response(code, s);
}

/// Legacy discovery (/api, /apis, /api/v1, /apis/<g>/<v>) for `kinds`.
inline cluster::Response discovery_document(const cluster::Request& r, const std::vector<FakeKind>& kinds = fake_kinds()) {
  std::map<std::string, json> lists;  // group-version → APIResourceList resources
  for (const auto& k : kinds) {
    std::string gv = k.group.empty() ? k.version : k.group + "/" + k.version;
    lists[gv].push_back({{"name", k.resource}, {"singularName", ""}, {"namespaced", k.namespaced}, {"kind", k.kind},
                         {"verbs", {"create", "delete", "get", "list", "patch", "update", "watch"}}});
  }
  if (r.path == "/api") return json_response(200, {{"kind", "APIVersions"}, {"versions", {"v1"}}});
  if (r.path == "/apis") {
    json groups = json::array();
    for (const auto& [gv, resources] : lists) {
      auto slash = gv.find('/');
      if (slash == std::string::npos) continue;
      json version = {{"groupVersion", gv}, {"version", gv.substr(slash + 1)}};
      groups.push_back({{"name", gv.substr(0, slash)}, {"versions", {version}}, {"preferredVersion", version}});
    }
    return json_response(200, {{"kind", "APIGroupList"}, {"apiVersion", "v1"}, {"groups", groups}});
  }
  for (const auto& [gv, resources] : lists) {
    std::string path = gv.find('/') == std::string::npos ? "/api/" + gv : "/apis/" + gv;
    if (r.path == path)
      return json_response(200, {{"kind", "APIResourceList"}, {"apiVersion", "v1"}, {"groupVersion", gv}, {"resources", resources}});
  }
  return status_response(404, "NotFound", "the server could not find the requested resource");
}

/// Discovery of fake_kinds(), read through its own transport.
inline cluster::Discovery fake_discovery() {
  cluster::FakeTransport t([](const cluster::Request& r) { return discovery_document(r); });
  auto d = cluster::Discovery::load(t);
  REQUIRE_MESSAGE(d.has_value(), d.error());
  return std::move(*d);
}

/// `v` as an emit::Tree, keys in `v`'s order.
inline void put_tree(emit::Tree& t, const json& v) {
  if (v.is_object()) {
    t.begin_map();
    for (const auto& [k, child] : v.items()) {
      t.key(k);
      put_tree(t, child);
    }
    t.end_map();
  } else if (v.is_array()) {
    t.begin_seq();
    for (const auto& child : v) put_tree(t, child);
    t.end_seq();
  } else if (v.is_string()) {
    t.str(v.get<std::string>());
  } else if (v.is_null()) {
    t.null();
  } else {
    t.plain(v.dump());
  }
}

/// The ObjectRef of a manifest.
inline emit::ObjectRef ref_of_manifest(const json& m) {
  auto [group, version] = emit::split_api_version(m.value("apiVersion", ""));
  return {group, version, m.value("kind", ""), m["metadata"].value("namespace", ""), m["metadata"].value("name", "")};
}

/// A declared object with body `manifest`, declared at byte `at` of a file.
inline emit::Object declared(const json& manifest, uint32_t at = 0) {
  emit::Object o;
  o.ref = ref_of_manifest(manifest);
  o.span = {source::FileId{}, at, at + 1};
  put_tree(o.body, manifest);
  return o;
}

/// A Where naming `main.claw:<span begin>`.
inline emit::Where where_at() {
  return [](source::Span s) { return fmt::format("main.claw:{}", s.begin); };
}

/// claw's ownership labels for `project`.
inline json claw_labels(const std::string& project) {
  return {{"app.kubernetes.io/managed-by", "claw"}, {"claw.dev/project", project}};
}

/// The in-memory API server. A CustomResourceDefinition applied to it
/// (not as a dry-run) adds its kind, as kube-apiserver serves a CRD's kind
/// once it is established.
class FakeApi {
 public:
  /// Answers instead of the API when it returns a response (a fault).
  std::function<std::optional<cluster::Response>(const cluster::Request&)> intercept;
  /// Object name → (manager, field) pairs: an apply without force conflicts.
  std::map<std::string, std::vector<std::pair<std::string, std::string>>> conflicts;
  /// Object names the server refuses (422 Invalid).
  std::set<std::string> invalid;

  cluster::FakeTransport transport{[this](const cluster::Request& r) { return handle(r); }};

  /// Stores `object` as the server would (uid and resourceVersion kept if
  /// given, else made up); returns what is stored.
  json put(json object) {
    json& meta = object["metadata"];
    if (!meta.contains("uid")) meta["uid"] = fmt::format("uid-{}", ++next_uid_);
    if (!meta.contains("resourceVersion")) meta["resourceVersion"] = std::to_string(++next_rv_);
    const FakeKind* k = kind_of(object.value("apiVersion", ""), object.value("kind", ""));
    REQUIRE_MESSAGE(k != nullptr, object.value("kind", ""));
    if (k->kind == "CustomResourceDefinition") serve(object);
    REQUIRE_MESSAGE(k != nullptr, object.value("kind", ""));
    store_[key(k->resource, meta.value("namespace", ""), meta.value("name", ""))] = object;
    return object;
  }
  /// The stored object, or null.
  json get(const std::string& resource, const std::string& ns, const std::string& name) const {
    auto it = store_.find(key(resource, ns, name));
    return it == store_.end() ? json() : it->second;
  }
  void erase(const std::string& resource, const std::string& ns, const std::string& name) {
    store_.erase(key(resource, ns, name));
  }
  /// Requests performed so far.
  const std::vector<cluster::Request>& requests() const { return transport.requests(); }
  /// Requests with method `method` so far.
  size_t count(std::string_view method) const {
    size_t n = 0;
    for (const auto& r : requests()) n += r.method == method;
    return n;
  }

 private:
  struct Target {
    const FakeKind* kind = nullptr;
    std::string ns, name;
    std::map<std::string, std::string> query;
  };

  static std::string key(const std::string& resource, const std::string& ns, const std::string& name) {
    return resource + "|" + ns + "|" + name;
  }
  /// Serves the kind the CRD `crd` defines (its first version).
  void serve(const json& crd) {
    const json& spec = crd["spec"];
    kinds_.push_back({spec.value("group", ""), spec["versions"][0].value("name", ""), spec["names"].value("kind", ""),
                      spec["names"].value("plural", ""), spec.value("scope", "") == "Namespaced"});
  }
  const FakeKind* kind_of(const std::string& api_version, const std::string& kind) const {
    for (const auto& k : kinds_)
      if ((k.group.empty() ? k.version : k.group + "/" + k.version) == api_version && k.kind == kind) return &k;
    return nullptr;
  }
  static std::string unescape(std::string_view s) {
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
      if (s[i] == '%' && i + 2 < s.size()) {
        out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
        i += 2;
      } else {
        out += s[i];
      }
    }
    return out;
  }
  static std::vector<std::string> split(std::string_view s, char sep) {
    std::vector<std::string> out;
    size_t start = 0;
    while (start <= s.size()) {
      size_t end = s.find(sep, start);
      if (end == std::string_view::npos) end = s.size();
      out.emplace_back(s.substr(start, end - start));
      start = end + 1;
    }
    return out;
  }

  std::optional<Target> parse(const std::string& full) const {
    Target t;
    std::string path = full.substr(0, full.find('?'));
    if (auto q = full.find('?'); q != std::string::npos)
      for (const auto& kv : split(std::string_view(full).substr(q + 1), '&')) {
        auto eq = kv.find('=');
        t.query[kv.substr(0, eq)] = eq == std::string::npos ? "" : unescape(kv.substr(eq + 1));
      }
    auto segs = split(path, '/');  // "", "api"|"apis", ...
    if (segs.size() < 3) return std::nullopt;
    std::string group, version;
    size_t i;
    if (segs[1] == "api") {
      version = segs[2];
      i = 3;
    } else if (segs[1] == "apis" && segs.size() >= 4) {
      group = segs[2];
      version = segs[3];
      i = 4;
    } else {
      return std::nullopt;
    }
    std::vector<std::string> rest(segs.begin() + static_cast<std::ptrdiff_t>(i), segs.end());
    std::string resource;
    if (rest.size() >= 3 && rest[0] == "namespaces") {
      t.ns = unescape(rest[1]);
      resource = rest[2];
      if (rest.size() >= 4) t.name = unescape(rest[3]);
    } else if (!rest.empty()) {
      resource = rest[0];
      if (rest.size() >= 2) t.name = unescape(rest[1]);
    }
    for (const auto& k : kinds_)
      if (k.group == group && k.version == version && k.resource == resource) t.kind = &k;
    if (!t.kind) return std::nullopt;
    return t;
  }

  static std::string api_version(const FakeKind& k) { return k.group.empty() ? k.version : k.group + "/" + k.version; }
  static std::string qualified(const FakeKind& k) { return k.group.empty() ? k.resource : k.resource + "." + k.group; }

  static bool selected(const json& object, const std::string& selector) {
    if (selector.empty()) return true;
    const json labels = object["metadata"].value("labels", json::object());
    for (const auto& term : split(selector, ',')) {
      auto eq = term.find('=');
      if (eq == std::string::npos) return false;
      if (labels.value(term.substr(0, eq), std::string("\x01")) != term.substr(eq + 1)) return false;
    }
    return true;
  }

  cluster::Response not_found(const Target& t) const {
    return status_response(404, "NotFound", fmt::format("{} \"{}\" not found", qualified(*t.kind), t.name),
                           {{"name", t.name}, {"kind", t.kind->resource}});
  }

  cluster::Response list(const Target& t) const {
    json items = json::array();
    const std::string selector = t.query.contains("labelSelector") ? t.query.at("labelSelector") : "";
    for (const auto& [k, obj] : store_) {
      if (!k.starts_with(t.kind->resource + "|")) continue;
      if (!t.ns.empty() && obj["metadata"].value("namespace", "") != t.ns) continue;
      if (!selected(obj, selector)) continue;
      json item = obj;
      item.erase("apiVersion");
      item.erase("kind");
      items.push_back(std::move(item));
    }
    return json_response(200, {{"apiVersion", api_version(*t.kind)},
                               {"kind", t.kind->kind + "List"},
                               {"metadata", {{"resourceVersion", std::to_string(next_rv_)}}},
                               {"items", items}});
  }

  cluster::Response apply(const Target& t, const cluster::Request& r) {
    json body = json::parse(r.body, nullptr, false);
    if (!body.is_object()) return status_response(400, "BadRequest", "the body is not an object");
    const bool dry_run = t.query.contains("dryRun") && t.query.at("dryRun") == "All";
    const bool force = t.query.contains("force") && t.query.at("force") == "true";
    if (invalid.contains(t.name))
      return status_response(422, "Invalid",
                             fmt::format("{} \"{}\" is invalid: metadata.labels: Invalid value: \"-bad-\": a valid label "
                                         "must consist of alphanumeric characters",
                                         t.kind->kind, t.name));
    if (auto c = conflicts.find(t.name); c != conflicts.end() && !force) {
      json causes = json::array();
      for (const auto& [manager, field] : c->second)
        causes.push_back({{"reason", "FieldManagerConflict"},
                          {"message", fmt::format("conflict with \"{}\" using {}", manager, api_version(*t.kind))},
                          {"field", field}});
      return status_response(409, "Conflict", "Apply failed with conflicts",
                             {{"name", t.name}, {"group", t.kind->group}, {"kind", t.kind->resource}, {"causes", causes}});
    }
    const std::string k = key(t.kind->resource, t.ns, t.name);
    auto it = store_.find(k);
    std::string precondition;
    if (body["metadata"].contains("resourceVersion")) {
      precondition = body["metadata"]["resourceVersion"].get<std::string>();
      body["metadata"].erase("resourceVersion");
    }
    if (!precondition.empty() && (it == store_.end() || it->second["metadata"].value("resourceVersion", "") != precondition))
      return status_response(409, "Conflict",
                             fmt::format("Operation cannot be fulfilled on {} \"{}\": the object has been modified; please "
                                         "apply your changes to the latest version and try again",
                                         qualified(*t.kind), t.name));
    if (it == store_.end()) {
      json created = body;
      created["metadata"]["uid"] = fmt::format("uid-{}", dry_run ? 0 : ++next_uid_);
      created["metadata"]["resourceVersion"] = std::to_string(dry_run ? next_rv_ : ++next_rv_);
      if (!dry_run) store_[k] = created;
      if (!dry_run && t.kind->kind == "CustomResourceDefinition") serve(created);
      return json_response(201, created);
    }
    json merged = it->second;
    merged.merge_patch(body);
    if (merged != it->second && !dry_run) merged["metadata"]["resourceVersion"] = std::to_string(++next_rv_);
    if (!dry_run) it->second = merged;
    return json_response(200, merged);
  }

  cluster::Response remove(const Target& t, const cluster::Request& r) {
    auto it = store_.find(key(t.kind->resource, t.ns, t.name));
    if (it == store_.end()) return not_found(t);
    json options = r.body.empty() ? json::object() : json::parse(r.body, nullptr, false);
    const json& meta = it->second["metadata"];
    if (options.contains("preconditions")) {
      const json& p = options["preconditions"];
      if (p.contains("uid") && p["uid"] != meta["uid"])
        return status_response(409, "Conflict",
                               fmt::format("Precondition failed: UID in precondition: {}, UID in object meta: {}",
                                           p["uid"].get<std::string>(), meta["uid"].get<std::string>()));
      if (p.contains("resourceVersion") && p["resourceVersion"] != meta["resourceVersion"])
        return status_response(
            409, "Conflict",
            fmt::format("Precondition failed: ResourceVersion in precondition: {}, ResourceVersion in object meta: {}",
                        p["resourceVersion"].get<std::string>(), meta["resourceVersion"].get<std::string>()));
    }
    store_.erase(it);
    return json_response(200, {{"kind", "Status"}, {"apiVersion", "v1"}, {"status", "Success"}});
  }

  cluster::Response handle(const cluster::Request& r) {
    if (intercept)
      if (auto answer = intercept(r)) return *answer;
    auto t = parse(r.path);
    if (!t && r.method == "GET") return discovery_document(r, {kinds_.begin(), kinds_.end()});
    if (!t) return status_response(404, "NotFound", "the server could not find the requested resource");
    if (r.method == "GET") {
      if (t->name.empty()) return list(*t);
      auto it = store_.find(key(t->kind->resource, t->ns, t->name));
      return it == store_.end() ? not_found(*t) : json_response(200, it->second);
    }
    if (r.method == "PATCH" && r.content_type == "application/apply-patch+yaml") return apply(*t, r);
    if (r.method == "DELETE") return remove(*t, r);
    return status_response(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
  }

  std::deque<FakeKind> kinds_{fake_kinds().begin(), fake_kinds().end()};  // stable addresses
  std::map<std::string, json> store_;
  int next_uid_ = 0;
  int next_rv_ = 100;
};

}  // namespace claw::test
