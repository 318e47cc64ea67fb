// The lists and quantities of the built-in kinds claw writes, from the
// Kubernetes 1.31 OpenAPI v2 document (third_party/kubernetes/
// openapi-v2-k8s-1.31.json.gz): every x-kubernetes-list-type map/set of the
// core, apps and batch spec types, with its x-kubernetes-list-map-keys, and
// every field of type resource.Quantity. Lists the table does not name are
// atomic, as structured-merge-diff treats a list without a list-type
// (sigs.k8s.io/structured-merge-diff schema/elements.go: "atomic" default).
#include "runtime/plan/field_rules.h"

#include "runtime/plan/quantity.h"

#include <array>
#include <string>
#include <unordered_map>
#include <unordered_set>

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

std::string key_of(std::string_view group, std::string_view kind, std::string_view path) {
  std::string k(group);
  k += '|';
  k += kind;
  k += '|';
  k += path;
  return k;
}

using ListTable = std::unordered_map<std::string, ListRule>;

void add_pod_spec(ListTable& t, const PodSpecSite& site) {
  const std::string prefix(site.prefix);
  for (const Entry& e : pod_spec_lists()) t[key_of(site.group, site.kind, prefix + "." + std::string(e.path))] = e.rule;
  for (std::string_view c : {"containers", "initContainers", "ephemeralContainers"}) {
    for (const Entry& e : container_lists()) {
      t[key_of(site.group, site.kind, prefix + "." + std::string(c) + "[]." + std::string(e.path))] = e.rule;
    }
  }
  // The template's io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta.
  std::string meta = prefix.substr(0, prefix.size() - std::string_view("spec").size()) + "metadata";
  t[key_of(site.group, site.kind, meta + ".finalizers")] = ListRule{ListType::set, {}};
  t[key_of(site.group, site.kind, meta + ".ownerReferences")] = keyed({{"uid", ""}});
}

const ListTable& list_table() {
  static const ListTable table = [] {
    ListTable t;
    for (const PodSpecSite& site : kPodSpecSites) add_pod_spec(t, site);
    t[key_of("", "Service", "spec.ports")] = keyed({{"port", ""}, {"protocol", "TCP"}});
    t[key_of("", "ServiceAccount", "secrets")] = keyed({{"name", ""}});
    t[key_of("", "Node", "spec.podCIDRs")] = ListRule{ListType::set, {}};
    return t;
  }();
  return table;
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

struct QuantityTables {
  std::unordered_set<std::string> resource_lists, quantities;
};

const QuantityTables& quantity_tables() {
  static const QuantityTables tables = [] {
    QuantityTables q;
    for (const PodSpecSite& site : kPodSpecSites) {
      for (std::string_view c : {"containers", "initContainers", "ephemeralContainers"}) {
        for (std::string_view p : kPodSpecResourceLists) {
          std::string path(p);
          if (path.starts_with("containers[]")) path.replace(0, std::string_view("containers").size(), c);
          q.resource_lists.insert(key_of(site.group, site.kind, std::string(site.prefix) + "." + path));
        }
        for (std::string_view p : kPodSpecQuantities) {
          std::string path(p);
          if (path.starts_with("containers[]")) path.replace(0, std::string_view("containers").size(), c);
          q.quantities.insert(key_of(site.group, site.kind, std::string(site.prefix) + "." + path));
        }
      }
    }
    for (const ObjectQuantity& o : kObjectResourceLists) q.resource_lists.insert(key_of(o.group, o.kind, o.path));
    return q;
  }();
  return tables;
}

}  // namespace

std::string api_group(std::string_view api_version) {
  std::size_t slash = api_version.find('/');
  return slash == std::string_view::npos ? std::string() : std::string(api_version.substr(0, slash));
}

ListRule list_rule(std::string_view group, std::string_view kind, std::string_view schema_path) {
  // Every object's io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta, custom
  // resources' too (the API server serves their metadata with that schema).
  if (schema_path == "metadata.finalizers") return ListRule{ListType::set, {}};
  if (schema_path == "metadata.ownerReferences") return keyed({{"uid", ""}});
  const ListTable& t = list_table();
  auto it = t.find(key_of(group, kind, schema_path));
  return it == t.end() ? ListRule{} : it->second;
}

ScalarRule scalar_rule(std::string_view group, std::string_view kind, std::string_view parent_path,
                       std::string_view name) {
  const QuantityTables& q = quantity_tables();
  if (q.resource_lists.contains(key_of(group, kind, parent_path))) return ScalarRule::resource_list;
  std::string path(parent_path);
  if (!path.empty()) path += '.';
  path += name;
  if (q.quantities.contains(key_of(group, kind, path))) return ScalarRule::quantity;
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
  if (rule != ScalarRule::exact) {
    std::optional<Quantity> qa = quantity_of(a), qb = quantity_of(b);
    if (qa && qb) {
      if (rule == ScalarRule::resource_list) return round_up(*qa, -3) == round_up(*qb, -3);
      return *qa == *qb;
    }
  }
  return a == b;
}

}  // namespace claw::plan
