#include "runtime/sim/registry.h"

#include "runtime/sim/api_request.h"
#include "runtime/sim/builtin_names.h"
#include "runtime/sim/openapi_doc.h"

#include <algorithm>
#include <charconv>
#include <ranges>
#include <set>

namespace claw::sim {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::ranges::transform(out, out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string action_verb(std::string_view action) {
  if (action == "put") return "update";
  if (action == "post") return "create";
  if (action == "watchlist") return "watch";
  return std::string(action);
}

struct Gvk {
  std::string group, version, kind;
  auto operator<=>(const Gvk&) const = default;
};

std::optional<Gvk> op_gvk(const Json& op) {
  auto it = op.find("x-kubernetes-group-version-kind");
  if (it == op.end() || !it->is_object()) return std::nullopt;
  return Gvk{it->value("group", ""), it->value("version", ""), it->value("kind", "")};
}

// definition name by the kind it declares (x-kubernetes-group-version-kind).
std::map<Gvk, std::string> definitions_by_gvk(const Json& defs) {
  std::map<Gvk, std::string> out;
  for (auto it = defs.begin(); it != defs.end(); ++it) {
    auto g = it->find("x-kubernetes-group-version-kind");
    if (g == it->end() || !g->is_array()) continue;
    for (const Json& e : *g) {
      out.emplace(Gvk{e.value("group", ""), e.value("version", ""), e.value("kind", "")}, it.key());
    }
  }
  return out;
}

// What one REST path says about a resource.
struct PathFacts {
  std::string group, version, plural, subresource;
  bool namespaced = false;
};

std::optional<PathFacts> parse_rest_path(std::string_view path) {
  std::vector<std::string> seg = path_segments(path);
  PathFacts f;
  std::size_t i = 0;
  if (seg.size() >= 2 && seg[0] == "api") {
    f.version = seg[1];
    i = 2;
  } else if (seg.size() >= 3 && seg[0] == "apis") {
    f.group = seg[1];
    f.version = seg[2];
    i = 3;
  } else {
    return std::nullopt;
  }
  if (i >= seg.size() || seg[i] == "watch") return std::nullopt;
  if (seg.size() > i + 2 && seg[i] == "namespaces" && seg[i + 1] == "{namespace}") {
    f.namespaced = true;
    i += 2;
  }
  f.plural = seg[i++];
  if (i < seg.size()) {
    if (seg[i] != "{name}") return std::nullopt;
    ++i;
  }
  if (i < seg.size()) f.subresource = seg[i++];
  if (i != seg.size()) return std::nullopt;
  return f;
}

int version_rank(std::string_view v, int* major, int* minor) {
  // 3 = GA, 2 = beta, 1 = alpha, 0 = not a Kubernetes version
  *major = 0;
  *minor = 0;
  if (v.size() < 2 || v[0] != 'v') return 0;
  std::size_t i = 1;
  auto [p, ec] = std::from_chars(v.data() + i, v.data() + v.size(), *major);
  if (ec != std::errc() || p == v.data() + i) return 0;
  std::string_view rest(p, v.data() + v.size() - p);
  if (rest.empty()) return 3;
  int rank = rest.starts_with("beta") ? 2 : rest.starts_with("alpha") ? 1 : 0;
  if (rank == 0) return 0;
  rest.remove_prefix(rank == 2 ? 4 : 5);
  auto [q, ec2] = std::from_chars(rest.data(), rest.data() + rest.size(), *minor);
  if (ec2 != std::errc() || q != rest.data() + rest.size()) return 0;
  return rank;
}

// A default-configured API server serves the GA versions only: beta and
// alpha APIs are off unless enabled (KEP-3136, since 1.24).
bool is_ga_version(std::string_view v) {
  int major = 0, minor = 0;
  return version_rank(v, &major, &minor) == 3;
}

}  // namespace

bool version_before(std::string_view a, std::string_view b) {
  int amaj = 0, amin = 0, bmaj = 0, bmin = 0;
  int ar = version_rank(a, &amaj, &amin);
  int br = version_rank(b, &bmaj, &bmin);
  if (ar != br) return ar > br;
  if (ar == 0) return a < b;
  if (amaj != bmaj) return amaj > bmaj;
  return amin > bmin;
}

bool ResourceType::has_subresource(std::string_view name) const {
  return std::ranges::any_of(subresources, [&](const Subresource& s) { return s.name == name; });
}

bool ResourceType::has_verb(std::string_view verb) const {
  return std::ranges::find(verbs, verb) != verbs.end();
}

Registry Registry::builtin() {
  const Json& doc = builtin_openapi();
  const Json& defs = builtin_definitions();
  std::map<Gvk, std::string> by_gvk = definitions_by_gvk(defs);

  // (group, version, plural) -> facts gathered over all its paths
  struct Gathered {
    PathFacts where;
    std::optional<Gvk> kind;
    std::set<std::string> verbs;
    std::map<std::string, std::pair<std::optional<Gvk>, std::set<std::string>>> subs;
  };
  std::map<std::tuple<std::string, std::string, std::string>, Gathered> found;
  const Json& paths = doc.at("paths");
  for (auto it = paths.begin(); it != paths.end(); ++it) {
    std::optional<PathFacts> f = parse_rest_path(it.key());
    if (!f) continue;
    Gathered& g = found[{f->group, f->version, f->plural}];
    if (f->subresource.empty()) {
      if (g.where.plural.empty() || f->namespaced) g.where = *f;
    }
    for (auto op = it->begin(); op != it->end(); ++op) {
      if (!op->is_object() || !op->contains("x-kubernetes-action")) continue;
      std::string verb = action_verb(op->at("x-kubernetes-action").get<std::string>());
      std::optional<Gvk> gvk = op_gvk(*op);
      if (!f->subresource.empty()) {
        auto& [sub_gvk, sub_verbs] = g.subs[f->subresource];
        sub_verbs.insert(verb);
        if (gvk && !sub_gvk) sub_gvk = gvk;
        continue;
      }
      g.verbs.insert(verb);
      if (verb == "list") g.verbs.insert("watch");
      if (gvk && verb != "list" && verb != "deletecollection" && (!g.kind || verb == "get")) g.kind = gvk;
    }
  }

  Registry r;
  for (auto& [key, g] : found) {
    if (!g.kind || g.where.plural.empty() || !is_ga_version(g.where.version)) continue;
    ResourceType t;
    t.group = g.where.group;
    t.version = g.where.version;
    t.plural = g.where.plural;
    t.kind = g.kind->kind;
    t.singular = lower(t.kind);
    t.namespaced = g.where.namespaced;
    t.verbs.assign(g.verbs.begin(), g.verbs.end());
    if (auto d = by_gvk.find(*g.kind); d != by_gvk.end()) t.schema = SchemaView::definition(defs, d->second);
    for (auto& [name, sub] : g.subs) {
      Subresource s;
      s.name = name;
      s.verbs.assign(sub.second.begin(), sub.second.end());
      if (sub.first) {
        s.kind = sub.first->kind;
        if (sub.first->group != t.group || sub.first->version != t.version) {
          s.group = sub.first->group;
          s.version = sub.first->version;
        }
      }
      t.subresources.push_back(std::move(s));
    }
    if (const BuiltinNames* names = builtin_names(t.group, t.plural)) {
      t.short_names = names->short_names;
      t.categories = names->categories;
    }
    r.add(std::move(t));
  }
  return r;
}

void Registry::add(ResourceType type) {
  auto& versions = group_versions_[type.group];
  if (std::ranges::find(versions, type.version) == versions.end()) {
    versions.push_back(type.version);
    std::ranges::sort(versions, [](const std::string& a, const std::string& b) { return version_before(a, b); });
  }
  types_.push_back(std::make_unique<ResourceType>(std::move(type)));
}

const ResourceType* Registry::find(std::string_view group, std::string_view version, std::string_view plural) const {
  for (const auto& t : types_) {
    if (t->group == group && t->version == version && t->plural == plural) return t.get();
  }
  return nullptr;
}

const ResourceType* Registry::find_kind(std::string_view group, std::string_view version, std::string_view kind) const {
  for (const auto& t : types_) {
    if (t->group == group && t->version == version && t->kind == kind) return t.get();
  }
  return nullptr;
}

std::vector<const ResourceType*> Registry::versions_of(std::string_view group, std::string_view plural) const {
  std::vector<const ResourceType*> out;
  for (const auto& t : types_) {
    if (t->group == group && t->plural == plural) out.push_back(t.get());
  }
  return out;
}

std::vector<const ResourceType*> Registry::in_group_version(std::string_view group, std::string_view version) const {
  std::vector<const ResourceType*> out;
  for (const auto& t : types_) {
    if (t->group == group && t->version == version) out.push_back(t.get());
  }
  std::ranges::sort(out, [](const ResourceType* a, const ResourceType* b) { return a->plural < b->plural; });
  return out;
}

std::vector<ApiGroup> Registry::groups() const {
  std::vector<ApiGroup> out;
  for (const auto& [name, versions] : group_versions_) {
    if (!versions.empty()) out.push_back(ApiGroup{name, versions});
  }
  return out;  // std::map order: "" (core) first, then by name
}

bool Registry::has_group_version(std::string_view group, std::string_view version) const {
  auto it = group_versions_.find(group);
  return it != group_versions_.end() && std::ranges::find(it->second, version) != it->second.end();
}

void Registry::remove_crd(std::string_view name) {
  auto it = crd_schemas_.find(name);
  if (it == crd_schemas_.end()) return;
  const Json& crd = *it->second;
  std::string group = crd.value("/spec/group"_json_pointer, std::string());
  std::string plural = crd.value("/spec/names/plural"_json_pointer, std::string());
  std::erase_if(types_, [&](const auto& t) { return t->custom && t->group == group && t->plural == plural; });
  crd_schemas_.erase(it);
  std::vector<std::string> still;
  for (const auto& t : types_) {
    if (t->group == group && std::ranges::find(still, t->version) == still.end()) still.push_back(t->version);
  }
  std::ranges::sort(still, [](const std::string& a, const std::string& b) { return version_before(a, b); });
  group_versions_[group] = std::move(still);
}

void Registry::add_crd(const Json& crd) {
  std::string name = crd.value("/metadata/name"_json_pointer, std::string());
  remove_crd(name);
  auto owned = std::make_shared<Json>(crd);
  crd_schemas_[name] = owned;
  const Json& spec = owned->at("spec");
  const Json& names = spec.at("names");
  bool namespaced = spec.value("scope", "Namespaced") == "Namespaced";
  static const Json no_versions = Json::array();
  const Json& versions = spec.contains("versions") ? spec.at("versions") : no_versions;
  for (const Json& v : versions) {
    if (!v.value("served", false)) continue;
    ResourceType t;
    t.group = spec.value("group", "");
    t.version = v.value("name", "");
    t.kind = names.value("kind", "");
    t.plural = names.value("plural", "");
    t.singular = names.value("singular", lower(t.kind));
    t.namespaced = namespaced;
    t.custom = true;
    t.verbs = {"create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"};
    t.short_names = names.value("shortNames", std::vector<std::string>{});
    t.categories = names.value("categories", std::vector<std::string>{});
    if (v.contains("/schema/openAPIV3Schema"_json_pointer)) {
      t.schema = SchemaView(&v.at("/schema/openAPIV3Schema"_json_pointer), nullptr);
    }
    if (v.contains("additionalPrinterColumns") && v["additionalPrinterColumns"].is_array()) {
      t.printer_columns = v["additionalPrinterColumns"];
    }
    if (v.contains("/subresources/status"_json_pointer)) {
      t.subresources.push_back(Subresource{"status", "", "", t.kind, {"get", "patch", "update"}});
    }
    if (v.contains("/subresources/scale"_json_pointer)) {
      t.subresources.push_back(Subresource{"scale", "autoscaling", "v1", "Scale", {"get", "patch", "update"}});
    }
    add(std::move(t));
  }
}

}  // namespace claw::sim
