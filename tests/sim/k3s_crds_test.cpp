#include "runtime/sim/k3s_crds.h"
#include "runtime/sim/registry.h"

#include <doctest/doctest.h>

using namespace claw::sim;

TEST_CASE("k3s-crds: the four CRDs k3s creates, each a complete apiextensions.k8s.io/v1 object") {
  std::vector<Json> crds = k3s_builtin_crds();
  REQUIRE(crds.size() == 4);
  std::vector<std::string> names;
  for (const Json& crd : crds) {
    names.push_back(crd["metadata"]["name"]);
    CHECK(crd["apiVersion"] == "apiextensions.k8s.io/v1");
    CHECK(crd["kind"] == "CustomResourceDefinition");
    REQUIRE(crd["spec"]["versions"].size() == 1);
    const Json& v1 = crd["spec"]["versions"][0];
    CHECK(v1["name"] == "v1");
    CHECK(v1["served"] == true);
    CHECK(v1["storage"] == true);
    CHECK(v1["schema"]["openAPIV3Schema"]["type"] == "object");
    // <plural>.<group>, as the API server requires of a CRD's name.
    CHECK(crd["metadata"]["name"] == crd["spec"]["names"]["plural"].get<std::string>() + "." +
                                         crd["spec"]["group"].get<std::string>());
  }
  CHECK(names == std::vector<std::string>{"helmcharts.helm.cattle.io", "helmchartconfigs.helm.cattle.io",
                                          "addons.k3s.cattle.io", "etcdsnapshotfiles.k3s.cattle.io"});
}

TEST_CASE("k3s-crds: the registry serves their kinds with the scope and subresources k3s gives them") {
  Registry registry = Registry::builtin();
  for (const Json& crd : k3s_builtin_crds()) registry.add_crd(crd);
  struct Case { const char* group; const char* plural; const char* kind; bool namespaced; bool status; };
  const Case cases[] = {
      {"helm.cattle.io", "helmcharts", "HelmChart", true, true},
      {"helm.cattle.io", "helmchartconfigs", "HelmChartConfig", true, false},
      {"k3s.cattle.io", "addons", "Addon", true, false},
      {"k3s.cattle.io", "etcdsnapshotfiles", "ETCDSnapshotFile", false, false},
  };
  for (const Case& c : cases) {
    CAPTURE(c.plural);
    const ResourceType* type = registry.find(c.group, "v1", c.plural);
    REQUIRE(type != nullptr);
    CHECK(type->kind == c.kind);
    CHECK(type->namespaced == c.namespaced);
    CHECK(type->custom);
    CHECK(type->has_subresource("status") == c.status);
    CHECK(registry.find_kind(c.group, "v1", c.kind) == type);
  }
  CHECK(registry.has_group_version("helm.cattle.io", "v1"));
  CHECK(registry.has_group_version("k3s.cattle.io", "v1"));
}

TEST_CASE("k3s-crds: the HelmChart schema has the fields claw writes, typed as helm-controller types them") {
  Registry registry = Registry::builtin();
  for (const Json& crd : k3s_builtin_crds()) registry.add_crd(crd);
  SchemaView spec = registry.find("helm.cattle.io", "v1", "helmcharts")->schema.property("spec");
  REQUIRE(static_cast<bool>(spec));
  struct Case { const char* field; const char* type; };
  const Case cases[] = {
      {"chart", "string"},         {"repo", "string"},           {"version", "string"},
      {"targetNamespace", "string"}, {"createNamespace", "boolean"}, {"valuesContent", "string"},
      {"set", "object"},           {"valuesSecrets", "array"},   {"backOffLimit", "integer"},
      {"timeout", "string"},       {"failurePolicy", "string"},  {"bootstrap", "boolean"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.field);
    SchemaView field = spec.property(c.field);
    REQUIRE(static_cast<bool>(field));
    CHECK(field.type() == c.type);
  }
  // `set` maps names to int-or-string values (`--set` and `--set-string`).
  CHECK(spec.property("set").is_map());
  CHECK(spec.property("set").map_values().is_int_or_string());
  CHECK_FALSE(spec.property("no-such-field"));
  // failurePolicy defaults to reinstall (types.go: +kubebuilder:default=reinstall).
  const Json* policy_default = spec.property("failurePolicy").default_value();
  REQUIRE(policy_default != nullptr);
  CHECK(*policy_default == "reinstall");

  SchemaView config = registry.find("helm.cattle.io", "v1", "helmchartconfigs")->schema.property("spec");
  CHECK(config.property("valuesContent").type() == "string");
  SchemaView addon = registry.find("k3s.cattle.io", "v1", "addons")->schema.property("spec");
  CHECK(addon.property("source").type() == "string");
  CHECK(addon.property("checksum").type() == "string");
}
