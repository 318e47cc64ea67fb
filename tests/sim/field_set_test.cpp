#include "runtime/sim/field_set.h"
#include "runtime/sim/registry.h"

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

TEST_CASE("apply: the fields an object sets follow the schema's list and map types") {
  Registry r = Registry::builtin();
  SchemaView svc = r.find("", "v1", "services")->schema;
  struct Case {
    const char* name;
    const char* object;
    const char* fields_v1;
  };
  // Expected values from typed/tofieldset.go and the 1.31 schema markers:
  // ServiceSpec.selector is an atomic map, ObjectMeta.labels a granular one,
  // finalizers a set, ServiceSpec.ports a map keyed by port and protocol.
  const Case cases[] = {
      {"atomic map", R"({"spec":{"selector":{"app":"web","tier":"fe"}}})", R"({"f:spec":{"f:selector":{}}})"},
      {"granular map", R"({"metadata":{"labels":{"app":"web","tier":"fe"}}})",
       R"({"f:metadata":{"f:labels":{"f:app":{},"f:tier":{}}}})"},
      {"set", R"({"metadata":{"finalizers":["a","b"]}})",
       R"({"f:metadata":{"f:finalizers":{"v:\"a\"":{},"v:\"b\"":{}}}})"},
      {"keyed list with a defaulted key", R"({"spec":{"ports":[{"port":80,"name":"http"}]}})",
       R"({"f:spec":{"f:ports":{"k:{\"port\":80,\"protocol\":\"TCP\"}":{".":{},"f:name":{},"f:port":{}}}}})"},
      {"empty struct value", R"({"spec":{"sessionAffinityConfig":{}}})",
       R"({"f:spec":{"f:sessionAffinityConfig":{}}})"},
      {"null value", R"({"spec":{"clusterIP":null}})", R"({"f:spec":{"f:clusterIP":{}}})"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    CHECK(object_field_set(Json::parse(c.object), svc).to_fields_v1() == Json::parse(c.fields_v1));
  }
}

TEST_CASE("apply: field set algebra keeps members and prefixes apart") {
  auto set = [](const char* v1) { return FieldSet::from_fields_v1(Json::parse(v1)); };
  auto v1 = [](const FieldSet& s) { return s.to_fields_v1(); };
  FieldSet a = set(R"({"f:spec":{"f:a":{},"f:m":{".":{},"f:x":{}}}})");
  FieldSet b = set(R"({"f:spec":{"f:m":{"f:x":{}},"f:z":{}}})");
  CHECK(v1(a.unite(b)) == Json::parse(R"({"f:spec":{"f:a":{},"f:m":{".":{},"f:x":{}},"f:z":{}}})"));
  // `minus` removes members only: f:m itself stays a member of a.
  CHECK(v1(a.minus(b)) == Json::parse(R"({"f:spec":{"f:a":{},"f:m":{}}})"));
  CHECK(v1(a.intersect(b)) == Json::parse(R"({"f:spec":{"f:m":{"f:x":{}}}})"));
  // `minus_subtrees` drops everything below a member of the other set.
  CHECK(v1(a.minus_subtrees(set(R"({"f:spec":{"f:m":{}}})"))) == Json::parse(R"({"f:spec":{"f:a":{}}})"));
  CHECK(a.has({"f:spec", "f:m"}));
  CHECK_FALSE(a.has({"f:spec"}));
  CHECK(a.has_under({"f:spec"}));
  CHECK(FieldSet().empty());
  CHECK(a.minus(a).empty());
}
