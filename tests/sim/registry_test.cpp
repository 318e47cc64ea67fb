#include "runtime/sim/registry.h"

#include <doctest/doctest.h>

using namespace claw::sim;

TEST_CASE("registry: built-in kinds come from the OpenAPI document's paths") {
  Registry r = Registry::builtin();
  const ResourceType* deploy = r.find("apps", "v1", "deployments");
  REQUIRE(deploy != nullptr);
  CHECK(deploy->kind == "Deployment");
  CHECK(deploy->namespaced);
  CHECK(deploy->has_subresource("status"));
  CHECK(deploy->has_subresource("scale"));
  CHECK(deploy->has_verb("patch"));
  CHECK(deploy->has_verb("watch"));
  CHECK(deploy->short_names == std::vector<std::string>{"deploy"});
  CHECK(deploy->schema.definition_name() == "io.k8s.api.apps.v1.Deployment");
  CHECK(deploy->schema.property("spec").property("replicas").type() == "integer");

  const ResourceType* ns = r.find("", "v1", "namespaces");
  REQUIRE(ns != nullptr);
  CHECK_FALSE(ns->namespaced);
  CHECK(ns->group_resource() == "namespaces");
  CHECK(deploy->group_resource() == "deployments.apps");

  const ResourceType* crd = r.find("apiextensions.k8s.io", "v1", "customresourcedefinitions");
  REQUIRE(crd != nullptr);
  CHECK_FALSE(crd->namespaced);
  CHECK(r.find("apps", "v1", "no-such") == nullptr);
}

TEST_CASE("registry: list types follow the schema annotations and patch strategy") {
  Registry r = Registry::builtin();
  SchemaView pod = r.find("", "v1", "pods")->schema.property("spec");
  CHECK(pod.property("containers").list_type() == "map");
  CHECK(pod.property("containers").list_map_keys() == std::vector<std::string>{"name"});
  CHECK(pod.property("tolerations").list_type() == "atomic");
  SchemaView ports = pod.property("containers").items().property("ports");
  CHECK(ports.list_map_keys() == std::vector<std::string>{"containerPort", "protocol"});
  CHECK(pod.property("nodeSelector").is_map());
}

TEST_CASE("registry: a CRD adds its kinds and removing it takes them away") {
  Registry r = Registry::builtin();
  Json crd = Json::parse(R"({"metadata":{"name":"servicemonitors.monitoring.coreos.com"},
    "spec":{"group":"monitoring.coreos.com","scope":"Namespaced",
      "names":{"kind":"ServiceMonitor","plural":"servicemonitors","singular":"servicemonitor","shortNames":["smon"]},
      "versions":[{"name":"v1","served":true,"storage":true,
        "schema":{"openAPIV3Schema":{"type":"object","properties":{"spec":{"type":"object"}}}}}]}})");
  r.add_crd(crd);
  const ResourceType* sm = r.find("monitoring.coreos.com", "v1", "servicemonitors");
  REQUIRE(sm != nullptr);
  CHECK(sm->custom);
  CHECK(sm->schema.property("spec").type() == "object");
  CHECK(r.has_group_version("monitoring.coreos.com", "v1"));
  r.remove_crd("servicemonitors.monitoring.coreos.com");
  CHECK(r.find("monitoring.coreos.com", "v1", "servicemonitors") == nullptr);
  CHECK_FALSE(r.has_group_version("monitoring.coreos.com", "v1"));
}

TEST_CASE("registry: version priority is Kubernetes'") {
  CHECK(version_before("v2", "v1"));
  CHECK(version_before("v1", "v1beta2"));
  CHECK(version_before("v1beta2", "v1beta1"));
  CHECK(version_before("v1beta1", "v1alpha1"));
  CHECK(version_before("v1alpha1", "foo"));
}
