// The compact Kubernetes schema the build makes of the official OpenAPI
// document: which kinds it knows and where they live, the types of fields
// the checker relies on (values read by hand from the Kubernetes API
// reference), and that a damaged file is refused rather than half read.
#include <doctest/doctest.h>

#include <string>

#include "compiler/k8s/openapi.h"
#include "tests/unit/test_fs.h"

namespace claw::k8s {
namespace {

const OpenApi& schema() {
  std::string error;
  const OpenApi* api = OpenApi::load(openapi_path(testing::stdlib_dir()), error);
  REQUIRE_MESSAGE(api, error);
  return *api;
}

TEST_CASE("the schema knows the core kinds, and which are cluster-scoped") {
  struct Row {
    const char* api;
    const char* kind;
    bool namespaced;
  };
  const Row rows[] = {
      {"v1", "ConfigMap", true},           {"v1", "Secret", true},
      {"v1", "ServiceAccount", true},      {"v1", "Service", true},
      {"v1", "PersistentVolumeClaim", true}, {"apps/v1", "Deployment", true},
      {"apps/v1", "StatefulSet", true},    {"apps/v1", "DaemonSet", true},
      {"batch/v1", "Job", true},           {"batch/v1", "CronJob", true},
      {"networking.k8s.io/v1", "Ingress", true}, {"networking.k8s.io/v1", "NetworkPolicy", true},
      {"rbac.authorization.k8s.io/v1", "Role", true}, {"rbac.authorization.k8s.io/v1", "RoleBinding", true},
      {"policy/v1", "PodDisruptionBudget", true},
      {"v1", "Namespace", false},          {"v1", "Node", false},
      {"v1", "PersistentVolume", false},   {"rbac.authorization.k8s.io/v1", "ClusterRole", false},
      {"rbac.authorization.k8s.io/v1", "ClusterRoleBinding", false},
      {"storage.k8s.io/v1", "StorageClass", false}, {"scheduling.k8s.io/v1", "PriorityClass", false},
      {"networking.k8s.io/v1", "IngressClass", false}, {"node.k8s.io/v1", "RuntimeClass", false},
      {"apiextensions.k8s.io/v1", "CustomResourceDefinition", false},
  };
  for (const auto& r : rows) {
    CAPTURE(r.kind);
    const SchemaKind* k = schema().kind(r.api, r.kind);
    REQUIRE(k);
    CHECK(k->namespaced == r.namespaced);
    CHECK(k->def->short_name() == r.kind);
    CHECK(k->def->field("metadata"));
  }
  // Kinds under another version, and kinds that are no kind, are absent.
  CHECK_FALSE(schema().kind("v1", "Deployment"));
  CHECK_FALSE(schema().kind("apps/v1", "ConfigMap"));
  CHECK_FALSE(schema().kind("v1", "WatchEvent"));
  CHECK_FALSE(schema().kind("monitoring.coreos.com/v1", "ServiceMonitor"));
  CHECK(schema().serves("apps/v1"));
  const std::pair<const char*, const char*> stable[] = {
      {"Deployment", "apps/v1"}, {"CronJob", "batch/v1"}, {"HorizontalPodAutoscaler", "autoscaling/v2"},
      {"Ingress", "networking.k8s.io/v1"}, {"ConfigMap", "v1"}, {"PriorityClass", "scheduling.k8s.io/v1"}};
  for (const auto& [kind, api] : stable) {
    CAPTURE(kind);
    REQUIRE(schema().stable_kind(kind));
    CHECK(schema().stable_kind(kind)->api_version == api);
  }
  CHECK_FALSE(schema().stable_kind("ServiceMonitor"));
  CHECK_FALSE(schema().serves("gateway.networking.k8s.io/v1"));
}

TEST_CASE("fields have the types the API reference gives them") {
  using K = SchemaType::Kind;
  struct Row {
    const char* def;
    const char* field;
    K kind;
    K elem;  // for maps and lists
    const char* merge_key;
  };
  const Row rows[] = {
      {"io.k8s.api.core.v1.PodSpec", "priorityClassName", K::String, K::Any, ""},
      {"io.k8s.api.core.v1.PodSpec", "shareProcessNamespace", K::Boolean, K::Any, ""},
      {"io.k8s.api.core.v1.PodSpec", "terminationGracePeriodSeconds", K::Integer, K::Any, ""},
      {"io.k8s.api.core.v1.PodSpec", "containers", K::List, K::Object, "name"},
      {"io.k8s.api.core.v1.PodSpec", "topologySpreadConstraints", K::List, K::Object, "topologyKey"},
      {"io.k8s.api.core.v1.PodSpec", "nodeSelector", K::Map, K::String, ""},
      {"io.k8s.api.core.v1.PodSpec", "dnsConfig", K::Object, K::Any, ""},
      {"io.k8s.api.core.v1.Container", "stdin", K::Boolean, K::Any, ""},
      {"io.k8s.api.core.v1.Container", "args", K::List, K::String, ""},
      {"io.k8s.api.core.v1.ResourceRequirements", "limits", K::Map, K::Quantity, ""},
      {"io.k8s.api.core.v1.ServicePort", "targetPort", K::IntOrString, K::Any, ""},
      {"io.k8s.api.core.v1.ConfigMap", "data", K::Map, K::String, ""},
      {"io.k8s.api.apps.v1.DeploymentSpec", "revisionHistoryLimit", K::Integer, K::Any, ""},
      {"io.k8s.api.rbac.v1.PolicyRule", "verbs", K::List, K::String, ""},
      {"io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps", "default", K::Any, K::Any, ""},
  };
  for (const auto& r : rows) {
    CAPTURE(r.def);
    CAPTURE(r.field);
    const SchemaDef* def = schema().def(r.def);
    REQUIRE(def);
    const SchemaType* t = def->field(r.field);
    REQUIRE(t);
    CHECK(t->kind == r.kind);
    if (t->kind == K::Map || t->kind == K::List) {
      REQUIRE(t->elem);
      CHECK(t->elem->kind == r.elem);
      CHECK(t->merge_key == r.merge_key);
    }
  }
  const SchemaDef* binding = schema().def("io.k8s.api.rbac.v1.RoleBinding");
  REQUIRE(binding);
  CHECK(binding->required == std::vector<std::string>{"roleRef"});
  CHECK_FALSE(binding->field("spec"));
}

TEST_CASE("a damaged schema is refused whole") {
  const char* bad[] = {
      "",
      "[]",
      R"({"kinds": []})",
      R"({"kinds": [], "defs": {"a.A": {"p": {"x": "#a.Missing"}}}})",
      R"({"kinds": [], "defs": {"a.A": {"p": {"x": "strin"}}}})",
      R"({"kinds": [], "defs": {"a.A": {"p": {"x": {"set": "string"}}}}})",
      R"({"kinds": [["v1", "A", "a.B", true]], "defs": {"a.A": {"p": {}}}})",
      R"({"kinds": [["v1", "A"]], "defs": {"a.A": {"p": {}}}})",
  };
  for (const char* text : bad) {
    CAPTURE(text);
    std::string error;
    CHECK_FALSE(OpenApi::parse(text, error));
    CHECK_FALSE(error.empty());
  }
  std::string error;
  auto good = OpenApi::parse(R"({"kinds": [["v1", "A", "a.A", false]], "defs": {"a.A": {"p": {"x": {"list": "#a.A", "key": "x"}}, "r": ["x"]}}})", error);
  REQUIRE(good);
  const SchemaKind* a = good->kind("v1", "A");
  REQUIRE(a);
  CHECK_FALSE(a->namespaced);
  CHECK(a->def->field("x")->elem->def == a->def);
  CHECK(a->def->field("x")->merge_key == "x");
  CHECK(std::string(OpenApi::load("no/such/openapi.json", error) ? "loaded" : error) == "cannot read it");
}

TEST_CASE("only core API groups may name a core kind") {
  CHECK(may_be_core_api("v1"));
  CHECK(may_be_core_api("apps/v1"));
  CHECK(may_be_core_api("rbac.authorization.k8s.io/v1"));
  CHECK(may_be_core_api("networking.k8s.io/v1"));
  CHECK_FALSE(may_be_core_api("monitoring.coreos.com/v1"));
  CHECK_FALSE(may_be_core_api("helm.cattle.io/v1"));
  CHECK_FALSE(may_be_core_api("cert-manager.io/v1"));
}

}  // namespace
}  // namespace claw::k8s
