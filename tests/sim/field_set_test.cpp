#include "runtime/sim/field_set.h"

#include <doctest/doctest.h>

using namespace claw::sim;

TEST_CASE("apply: fieldsV1 encoding round-trips and keeps the node-itself marker") {
  // kubernetes.io/docs/reference/using-api/server-side-apply ("Field management" example)
  // and structured-merge-diff fieldpath/serialize.go.
  const char* cases[] = {
      R"({"f:data":{"f:key":{}},"f:metadata":{"f:labels":{"f:test-label":{}}}})",
      R"({"f:spec":{"f:containers":{"k:{\"name\":\"app\"}":{".":{},"f:image":{},"f:name":{}}}}})",
      R"({"f:metadata":{"f:finalizers":{".":{},"v:\"a\"":{}}}})",
  };
  for (const char* text : cases) {
    Json v1 = Json::parse(text);
    CHECK(FieldSet::from_fields_v1(v1).to_fields_v1() == v1);
  }
}

TEST_CASE("apply: paths print as structured-merge-diff prints them") {
  struct Case {
    FieldPath path;
    const char* text;
  };
  const Case cases[] = {
      {{"f:spec", "f:replicas"}, ".spec.replicas"},
      {{"f:spec", "f:template", "f:spec", "f:containers", R"(k:{"name":"app"})", "f:image"},
       R"(.spec.template.spec.containers[name="app"].image)"},
      {{"f:spec", "f:ports", R"(k:{"port":80,"protocol":"TCP"})"}, R"(.spec.ports[port=80,protocol="TCP"])"},
      {{"f:metadata", "f:finalizers", R"(v:"x")"}, R"(.metadata.finalizers[="x"])"},
      {{"f:spec", "f:args", "i:2"}, ".spec.args[2]"},
  };
  for (const Case& c : cases) CHECK(path_string(c.path) == c.text);
}
