#include "runtime/sim/openapi_docs.h"
#include "runtime/sim/registry.h"

#include <doctest/doctest.h>

using namespace claw::sim;

namespace {

const Json* find_parameter(const Json& op, std::string_view name) {
  auto params = op.find("parameters");
  if (params == op.end()) return nullptr;
  for (const Json& p : *params) {
    if (p.value("name", "") == name) return &p;
  }
  return nullptr;
}

Json widget_crd(std::string_view scope) {
  Json crd = Json::parse(R"({"metadata":{"name":"widgets.example.com"},
    "spec":{"group":"example.com","names":{"kind":"Widget","plural":"widgets","singular":"widget"},
      "versions":[{"name":"v1","served":true,"storage":true,"subresources":{"status":{}},
        "schema":{"openAPIV3Schema":{"type":"object","properties":{
          "spec":{"type":"object","properties":{"size":{"type":"integer"}}}}}}}]}})");
  crd["spec"]["scope"] = scope;
  return crd;
}

}  // namespace

TEST_CASE("openapi: the v3 index lists every served group-version with a hash") {
  Registry r = Registry::builtin();
  Json index = openapi_v3_index(r);
  for (const char* path : {"api/v1", "apis/apps/v1", "apis/batch/v1", "apis/rbac.authorization.k8s.io/v1"}) {
    CAPTURE(path);
    REQUIRE(index["paths"].contains(path));
    std::string url = index["paths"][path]["serverRelativeURL"];
    CHECK(url.starts_with(std::string("/openapi/v3/") + path + "?hash="));
    CHECK(url.size() == std::string("/openapi/v3/").size() + std::string(path).size() + 6 + 128);
  }
  CHECK_FALSE(index["paths"].contains("apis/apps/v1beta1"));
  CHECK(openapi_v3_hash(*openapi_v3_group_version(r, "apis/apps/v1")) ==
        openapi_v3_hash(*openapi_v3_group_version(r, "apis/apps/v1")));
}

TEST_CASE("openapi: the apps/v1 document has PATCH deployments with fieldValidation inline") {
  Registry r = Registry::builtin();
  std::optional<Json> doc = openapi_v3_group_version(r, "apis/apps/v1");
  REQUIRE(doc);
  CHECK((*doc)["openapi"] == "3.0.0");
  const Json& item = (*doc)["paths"]["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"];
  const Json& patch = item["patch"];
  CHECK(patch["x-kubernetes-group-version-kind"] == Json{{"group", "apps"}, {"kind", "Deployment"}, {"version", "v1"}});
  const Json* fv = find_parameter(patch, "fieldValidation");
  REQUIRE(fv != nullptr);
  CHECK((*fv)["in"] == "query");
  CHECK((*fv)["schema"]["type"] == "string");
  const Json* fm = find_parameter(patch, "fieldManager");  // a #/parameters/ reference in v2
  REQUIRE(fm != nullptr);
  CHECK((*fm)["in"] == "query");
  CHECK(patch["requestBody"]["content"].contains("application/apply-patch+yaml"));
  CHECK(patch["requestBody"]["content"]["application/apply-patch+yaml"]["schema"]["$ref"] ==
        "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Patch");
  CHECK(find_parameter(item, "namespace") != nullptr);
  CHECK_FALSE(patch.contains("consumes"));
  // Other group-versions' paths stay out; the schemas the paths reach are in.
  CHECK_FALSE((*doc)["paths"].contains("/api/v1/namespaces/{namespace}/pods"));
  const Json& schemas = (*doc)["components"]["schemas"];
  CHECK(schemas.contains("io.k8s.api.apps.v1.Deployment"));
  CHECK(schemas.contains("io.k8s.api.core.v1.PodSpec"));
  CHECK(schemas.contains("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"));
  CHECK_FALSE(schemas.contains("io.k8s.api.batch.v1.Job"));
  const Json& spec = schemas["io.k8s.api.apps.v1.Deployment"]["properties"]["spec"];
  CHECK(spec["allOf"] == Json::array({{{"$ref", "#/components/schemas/io.k8s.api.apps.v1.DeploymentSpec"}}}));
  CHECK(spec["description"] == "Specification of the desired behavior of the Deployment.");
}

TEST_CASE("openapi: unknown group-versions have no document") {
  Registry r = Registry::builtin();
  for (const char* path : {"apis/apps/v9", "apis/example.com/v1", "api", "apis/apps", "api/v1/extra"}) {
    CAPTURE(path);
    CHECK_FALSE(openapi_v3_group_version(r, path));
  }
}

TEST_CASE("openapi: a CRD version gets a document built from its openAPIV3Schema") {
  for (const char* scope : {"Namespaced", "Cluster"}) {
    CAPTURE(scope);
    Registry r = Registry::builtin();
    r.add_crd(widget_crd(scope));
    CHECK(openapi_v3_index(r)["paths"].contains("apis/example.com/v1"));
    std::optional<Json> doc = openapi_v3_group_version(r, "apis/example.com/v1");
    REQUIRE(doc);
    std::string item = std::string(scope) == "Namespaced" ? "/apis/example.com/v1/namespaces/{namespace}/widgets/{name}"
                                                          : "/apis/example.com/v1/widgets/{name}";
    const Json& patch = (*doc)["paths"][item]["patch"];
    CHECK(patch["x-kubernetes-group-version-kind"] == Json{{"group", "example.com"}, {"kind", "Widget"}, {"version", "v1"}});
    CHECK(find_parameter(patch, "fieldValidation") != nullptr);
    CHECK((*doc)["paths"].contains(item + "/status"));
    CHECK_FALSE((*doc)["paths"].contains(item + "/scale"));
    const Json& schemas = (*doc)["components"]["schemas"];
    REQUIRE(schemas.contains("com.example.v1.Widget"));
    const Json& widget = schemas["com.example.v1.Widget"];
    CHECK(widget["properties"]["spec"]["properties"]["size"]["type"] == "integer");
    CHECK(widget["properties"]["metadata"]["allOf"][0]["$ref"] ==
          "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta");
    CHECK(widget["x-kubernetes-group-version-kind"][0]["kind"] == "Widget");
    CHECK(schemas["com.example.v1.WidgetList"]["properties"]["items"]["items"]["$ref"] ==
          "#/components/schemas/com.example.v1.Widget");
    CHECK(schemas.contains("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"));
    Json v2 = openapi_v2(r);
    CHECK(v2["definitions"].contains("com.example.v1.Widget"));
    CHECK(v2["paths"].contains(item));
    CHECK(v2["definitions"].contains("io.k8s.api.apps.v1.Deployment"));
  }
}
