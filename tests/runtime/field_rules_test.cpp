// The schema table against the Kubernetes 1.31 OpenAPI document
// (x-kubernetes-list-type, x-kubernetes-list-map-keys, Quantity fields).
#include "runtime/plan/field_rules.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace claw::plan;
using nlohmann::json;

namespace {

std::vector<std::string> key_fields(const ListRule& r) {
  std::vector<std::string> out;
  for (const ListKey& k : r.keys) out.push_back(k.field);
  return out;
}

}  // namespace

TEST_CASE("field_rules: list types and keys by kind and path") {
  struct Case {
    const char *group, *kind, *path;
    ListType type;
    std::vector<std::string> keys;
  };
  const Case cases[] = {
      {"apps", "Deployment", "spec.template.spec.containers", ListType::map, {"name"}},
      {"apps", "StatefulSet", "spec.template.spec.containers[].ports", ListType::map, {"containerPort", "protocol"}},
      {"apps", "DaemonSet", "spec.template.spec.initContainers[].env", ListType::map, {"name"}},
      {"batch", "CronJob", "spec.jobTemplate.spec.template.spec.containers[].volumeMounts", ListType::map, {"mountPath"}},
      {"batch", "Job", "spec.template.spec.volumes", ListType::map, {"name"}},
      {"", "Pod", "spec.topologySpreadConstraints", ListType::map, {"topologyKey", "whenUnsatisfiable"}},
      {"", "Service", "spec.ports", ListType::map, {"port", "protocol"}},
      {"apps", "Deployment", "metadata.finalizers", ListType::set, {}},
      {"apps", "Deployment", "spec.template.metadata.ownerReferences", ListType::map, {"uid"}},
      {"helm.cattle.io", "HelmChart", "metadata.finalizers", ListType::set, {}},
      // atomic: no list-type in the schema
      {"apps", "Deployment", "spec.template.spec.tolerations", ListType::atomic, {}},
      {"apps", "Deployment", "spec.template.spec.containers[].args", ListType::atomic, {}},
      {"apps", "StatefulSet", "spec.volumeClaimTemplates", ListType::atomic, {}},
      {"networking.k8s.io", "Ingress", "spec.rules", ListType::atomic, {}},
      // the same path in a kind of another group is not the built-in one
      {"example.com", "Deployment", "spec.template.spec.containers", ListType::atomic, {}},
      {"", "Service", "spec.template.spec.containers", ListType::atomic, {}},
  };
  for (const Case& c : cases) {
    const std::string path = c.path, kind = c.kind;
    CAPTURE(kind);
    CAPTURE(path);
    const ListRule& r = list_rule(kind_rules(c.group, c.kind), c.path);
    CHECK(r.type == c.type);
    CHECK(key_fields(r) == c.keys);
  }
}

TEST_CASE("field_rules: item keys fill schema defaults") {
  const ListRule& ports = list_rule(kind_rules("", "Service"), "spec.ports");
  CHECK(item_key(ports, json({{"port", 80}, {"name", "http"}})) == json({{"port", 80}, {"protocol", "TCP"}}));
  CHECK(item_key(ports, json({{"port", 53}, {"protocol", "UDP"}})) == json({{"port", 53}, {"protocol", "UDP"}}));
  const ListRule& env = list_rule(kind_rules("apps", "Deployment"), "spec.template.spec.containers[].env");
  CHECK(item_key(env, json({{"value", "x"}})) == json::object());  // no name, no default
  CHECK(item_key(env, json("text")).is_null());
}

TEST_CASE("field_rules: which scalars are quantities") {
  struct Case {
    const char *group, *kind, *parent, *name;
    ScalarRule rule;
  };
  const Case cases[] = {
      {"apps", "Deployment", "spec.template.spec.containers[].resources.limits", "cpu", ScalarRule::resource_list},
      {"apps", "Deployment", "spec.template.spec.containers[].resources.requests", "nvidia.com/gpu", ScalarRule::resource_list},
      {"apps", "StatefulSet", "spec.volumeClaimTemplates[].spec.resources.requests", "storage", ScalarRule::resource_list},
      {"", "PersistentVolumeClaim", "spec.resources.requests", "storage", ScalarRule::resource_list},
      {"", "PersistentVolume", "spec.capacity", "storage", ScalarRule::resource_list},
      {"", "ResourceQuota", "spec.hard", "pods", ScalarRule::resource_list},
      {"batch", "CronJob", "spec.jobTemplate.spec.template.spec.volumes[].emptyDir", "sizeLimit", ScalarRule::quantity},
      {"apps", "Deployment", "spec.template.spec.containers[].resources", "limits", ScalarRule::exact},
      {"apps", "Deployment", "spec", "replicas", ScalarRule::exact},
      {"", "ConfigMap", "data", "limits", ScalarRule::exact},
      {"example.com", "Thing", "spec.resources.limits", "cpu", ScalarRule::exact},
  };
  for (const Case& c : cases) {
    const std::string parent = c.parent, name = c.name;
    CAPTURE(parent);
    CAPTURE(name);
    CHECK(scalar_rule(kind_rules(c.group, c.kind), c.parent, c.name) == c.rule);
  }
}

TEST_CASE("field_rules: scalars compared under each rule") {
  struct Case {
    ScalarRule rule;
    json a, b;
    bool same;
  };
  const Case cases[] = {
      {ScalarRule::resource_list, "100u", "1m", true},  // SetDefaults_ResourceList rounds up to milli
      {ScalarRule::quantity, "100u", "1m", false},
      {ScalarRule::quantity, "1Gi", "1024Mi", true},
      {ScalarRule::resource_list, 1, "1", true},
      {ScalarRule::resource_list, "1x", "1x", true},  // not quantities: as text
      {ScalarRule::resource_list, "1x", "1y", false},
      {ScalarRule::exact, "1k", "1000", false},
      {ScalarRule::exact, "80", 80, false},  // int-or-string
      {ScalarRule::exact, 80, 80, true},
      {ScalarRule::exact, true, true, true},
  };
  for (const Case& c : cases) {
    const std::string a = c.a.dump(), b = c.b.dump();
    CAPTURE(a);
    CAPTURE(b);
    CHECK(same_scalar(c.rule, c.a, c.b) == c.same);
  }
}

TEST_CASE("field_rules: the group of an apiVersion") {
  CHECK(api_group("v1").empty());
  CHECK(api_group("apps/v1") == "apps");
  CHECK(api_group("helm.cattle.io/v1") == "helm.cattle.io");
  CHECK(api_group("").empty());
}
