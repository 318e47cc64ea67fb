// The lists and quantities of the built-in kinds claw writes, from the
// Kubernetes 1.31 OpenAPI v2 document (third_party/kubernetes/
// openapi-v2-k8s-1.31.json.gz): every x-kubernetes-list-type map/set of the
// core, apps and batch spec types, with its x-kubernetes-list-map-keys, and
// the resource.Quantity fields of those kinds and of volumes and quotas
// (left out, and so compared as text, are status fields and the
// autoscaling and storage-capacity kinds: text can only make a plan
// dry-run an object more, never hide a change). Lists the table does not name are
// atomic, as structured-merge-diff treats a list without a list-type
// (sigs.k8s.io/structured-merge-diff schema/elements.go: "atomic" default).
#include "runtime/plan/field_rules.h"

#include "runtime/plan/quantity.h"

#include <array>
#include <string>

namespace claw::plan {
namespace {

// Where each built-in kind keeps its PodSpec (and its PodTemplateSpec's
// metadata sits beside it).
struct PodSpecSite {
  std::string_view group, kind, prefix;
};
constexpr std::array kPodSpecSites = {
    PodSpecSite{"", "Pod", "spec"},
    PodSpecSite{"", "PodTemplate", "template.spec"},
    PodSpecSite{"", "ReplicationController", "spec.template.spec"},
    PodSpecSite{"apps", "Deployment", "spec.template.spec"},
    PodSpecSite{"apps", "ReplicaSet", "spec.template.spec"},
    PodSpecSite{"apps", "StatefulSet", "spec.template.spec"},
    PodSpecSite{"apps", "DaemonSet", "spec.template.spec"},
    PodSpecSite{"batch", "Job", "spec.template.spec"},
    PodSpecSite{"batch", "CronJob", "spec.jobTemplate.spec.template.spec"},
};

struct Entry {
  std::string_view path;
  ListRule rule;
};

ListRule keyed(std::initializer_list<ListKey> keys) { return ListRule{ListType::map, keys}; }

// The map-type lists of io.k8s.api.core.v1.PodSpec, relative to it. The
// `protocol` key defaults to TCP: the OpenAPI v3 document gives the
// default (ContainerPort and ServicePort `protocol`), and SMD fills a
// missing key from the schema default (typed/helpers.go,
// keyedAssociativeListItemToPathElement).
std::vector<Entry> pod_spec_lists() {
  std::vector<Entry> out = {
      {"volumes", keyed({{"name", ""}})},
      {"imagePullSecrets", keyed({{"name", ""}})},
      {"hostAliases", keyed({{"ip", ""}})},
      {"topologySpreadConstraints", keyed({{"topologyKey", ""}, {"whenUnsatisfiable", ""}})},
      {"resourceClaims", keyed({{"name", ""}})},
      {"schedulingGates", keyed({{"name", ""}})},
  };
  for (std::string_view c : {"containers", "initContainers", "ephemeralContainers"}) {
    out.push_back({c, keyed({{"name", ""}})});
  }
  return out;
}

// The map-type lists of io.k8s.api.core.v1.Container (and EphemeralContainer).
std::vector<Entry> container_lists() {
  return {
      {"env", keyed({{"name", ""}})},
      {"ports", keyed({{"containerPort", ""}, {"protocol", "TCP"}})},
      {"volumeMounts", keyed({{"mountPath", ""}})},
      {"volumeDevices", keyed({{"devicePath", ""}})},
      {"resources.claims", keyed({{"name", ""}})},
  };
}

// Quantity fields: maps of type core/v1 ResourceList, whose values
// SetDefaults_ResourceList (pkg/apis/core/v1/defaults.go) rounds up to
// milli, and single Quantity fields, relative to a PodSpec or to an object.
constexpr std::array<std::string_view, 5> kPodSpecResourceLists = {
    "containers[].resources.limits", "containers[].resources.requests", "overhead",
    "volumes[].ephemeral.volumeClaimTemplate.spec.resources.requests",
    "volumes[].ephemeral.volumeClaimTemplate.spec.resources.limits"};
constexpr std::array<std::string_view, 2> kPodSpecQuantities = {
    "volumes[].emptyDir.sizeLimit", "containers[].env[].valueFrom.resourceFieldRef.divisor"};

struct ObjectQuantity {
  std::string_view group, kind, path;
};
constexpr std::array kObjectResourceLists = {
    ObjectQuantity{"", "PersistentVolumeClaim", "spec.resources.requests"},
    ObjectQuantity{"", "PersistentVolumeClaim", "spec.resources.limits"},
    ObjectQuantity{"", "PersistentVolume", "spec.capacity"},
    ObjectQuantity{"", "ResourceQuota", "spec.hard"},
    ObjectQuantity{"", "LimitRange", "spec.limits[].default"},
    ObjectQuantity{"", "LimitRange", "spec.limits[].defaultRequest"},
    ObjectQuantity{"", "LimitRange", "spec.limits[].max"},
    ObjectQuantity{"", "LimitRange", "spec.limits[].min"},
    ObjectQuantity{"", "LimitRange", "spec.limits[].maxLimitRequestRatio"},
    ObjectQuantity{"apps", "StatefulSet", "spec.volumeClaimTemplates[].spec.resources.requests"},
    ObjectQuantity{"apps", "StatefulSet", "spec.volumeClaimTemplates[].spec.resources.limits"},
};

// ObjectMeta's lists (finalizers: a set; ownerReferences: by uid), in
// every object's metadata, custom resources' too.
void add_object_meta(KindRules& r, const std::string& meta) {
  r.lists[meta + ".finalizers"] = ListRule{ListType::set, {}};
  r.lists[meta + ".ownerReferences"] = keyed({{"uid", ""}});
}

std::string with_container(std::string_view path, std::string_view c) {
  std::string out(path);
  if (out.starts_with("containers[]")) out.replace(0, std::string_view("containers").size(), c);
  return out;
}

void add_pod_spec(KindRules& r, std::string_view pod_spec) {
  const std::string prefix = std::string(pod_spec) + ".";
  for (const Entry& e : pod_spec_lists()) r.lists[prefix + std::string(e.path)] = e.rule;
  for (std::string_view c : {"containers", "initContainers", "ephemeralContainers"}) {
    for (const Entry& e : container_lists()) r.lists[prefix + std::string(c) + "[]." + std::string(e.path)] = e.rule;
    for (std::string_view p : kPodSpecResourceLists) r.resource_lists.insert(prefix + with_container(p, c));
    for (std::string_view p : kPodSpecQuantities) {
      std::string path = prefix + with_container(p, c);
      std::size_t dot = path.rfind('.');
      r.quantities[path.substr(0, dot)].insert(path.substr(dot + 1));
    }
  }
  // The template's own ObjectMeta sits beside its spec.
  add_object_meta(r, std::string(pod_spec.substr(0, pod_spec.size() - std::string_view("spec").size())) + "metadata");
}

std::string kind_key(std::string_view group, std::string_view kind) {
  std::string k(group);
  k += '|';
  k += kind;
  return k;
}

using KindTable = std::map<std::string, KindRules, std::less<>>;

KindTable build_kind_table() {
  KindTable t;
  for (const PodSpecSite& site : kPodSpecSites) add_pod_spec(t[kind_key(site.group, site.kind)], site.prefix);
  t[kind_key("", "Service")].lists["spec.ports"] = keyed({{"port", ""}, {"protocol", "TCP"}});
  t[kind_key("", "ServiceAccount")].lists["secrets"] = keyed({{"name", ""}});
  t[kind_key("", "Node")].lists["spec.podCIDRs"] = ListRule{ListType::set, {}};
  for (const ObjectQuantity& o : kObjectResourceLists) t[kind_key(o.group, o.kind)].resource_lists.insert(std::string(o.path));
  for (auto& [key, rules] : t) add_object_meta(rules, "metadata");
  return t;
}

}  // namespace

std::string api_group(std::string_view api_version) {
  std::size_t slash = api_version.find('/');
  return slash == std::string_view::npos ? std::string() : std::string(api_version.substr(0, slash));
}

const KindRules& kind_rules(std::string_view group, std::string_view kind) {
  static const KindTable table = build_kind_table();
  static const KindRules other = [] {
    KindRules r;
    add_object_meta(r, "metadata");
    return r;
  }();
  auto it = table.find(kind_key(group, kind));
  return it == table.end() ? other : it->second;
}

const ListRule& list_rule(const KindRules& rules, std::string_view schema_path) {
  static const ListRule atomic;
  auto it = rules.lists.find(schema_path);
  return it == rules.lists.end() ? atomic : it->second;
}

ScalarRule scalar_rule(const KindRules& rules, std::string_view parent_path, std::string_view name) {
  if (rules.resource_lists.contains(parent_path)) return ScalarRule::resource_list;
  auto it = rules.quantities.find(parent_path);
  if (it != rules.quantities.end() && it->second.contains(name)) return ScalarRule::quantity;
  return ScalarRule::exact;
}

nlohmann::json item_key(const ListRule& rule, const nlohmann::json& item) {
  if (!item.is_object()) return nullptr;
  nlohmann::json key = nlohmann::json::object();
  for (const ListKey& k : rule.keys) {
    auto it = item.find(k.field);
    if (it != item.end() && !it->is_null()) {
      key[k.field] = *it;
    } else if (!k.default_value.empty()) {
      key[k.field] = k.default_value;
    }
  }
  return key;
}

bool same_scalar(ScalarRule rule, const nlohmann::json& a, const nlohmann::json& b) {
  if (a == b) return true;
  if (rule != ScalarRule::exact) {
    std::optional<Quantity> qa = quantity_of(a), qb = quantity_of(b);
    if (qa && qb) {
      if (rule == ScalarRule::resource_list) return round_up(*qa, -3) == round_up(*qb, -3);
      return *qa == *qb;
    }
  }
  return false;
}

}  // namespace claw::plan
