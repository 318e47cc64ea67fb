#include "runtime/sim/field_validation.h"
#include "runtime/sim/registry.h"

#include <doctest/doctest.h>

using namespace claw::sim;

namespace {

const Registry& builtin() {
  static const Registry r = Registry::builtin();
  return r;
}

const ResourceType& deployments() { return *builtin().find("apps", "v1", "deployments"); }

Registry with_widgets() {
  Registry r = Registry::builtin();
  r.add_crd(Json::parse(R"({"metadata":{"name":"widgets.example.com"},
    "spec":{"group":"example.com","scope":"Namespaced","names":{"kind":"Widget","plural":"widgets"},
      "versions":[{"name":"v1","served":true,"storage":true,"schema":{"openAPIV3Schema":{"type":"object",
        "properties":{"metadata":{"type":"object"},"spec":{"type":"object","properties":{
          "size":{"type":"integer"},"ratio":{"type":"number"},"name":{"type":"string"},"on":{"type":"boolean"},
          "port":{"x-kubernetes-int-or-string":true},"label":{"type":"string","nullable":true},
          "tags":{"type":"array","items":{"type":"string"}},
          "extra":{"type":"object","x-kubernetes-preserve-unknown-fields":true},
          "env":{"type":"object","additionalProperties":{"type":"string"}}}}}}}}]}})"));
  return r;
}

}  // namespace

TEST_CASE("fields: wrong JSON types of a built-in kind are Go decode errors") {
  struct Case {
    const char* body;
    const char* error;
  };
  const Case cases[] = {
      {R"({"spec":{"replicas":"2"}})",
       "json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32"},
      {R"({"spec":{"replicas":1.5}})",
       "json: cannot unmarshal number 1.5 into Go struct field DeploymentSpec.spec.replicas of type int32"},
      {R"({"spec":{"replicas":3000000000}})",
       "json: cannot unmarshal number 3000000000 into Go struct field DeploymentSpec.spec.replicas of type int32"},
      {R"({"spec":{"paused":"yes"}})",
       "json: cannot unmarshal string into Go struct field DeploymentSpec.spec.paused of type bool"},
      {R"({"spec":{"template":{"spec":{"containers":[{"name":"a","image":5}]}}}})",
       "json: cannot unmarshal number into Go struct field Container.spec.template.spec.containers.image of type string"},
      {R"({"metadata":{"labels":"a=b"}})",
       "json: cannot unmarshal string into Go struct field ObjectMeta.metadata.labels of type map[string]string"},
      {R"({"spec":[]})", "json: cannot unmarshal array into Go struct field Deployment.spec of type v1.DeploymentSpec"},
      {R"({"spec":{"template":{"spec":{"containers":{}}}}})",
       "json: cannot unmarshal object into Go struct field PodSpec.spec.template.spec.containers of type []v1.Container"},
      {R"({"spec":{"template":{"spec":{"containers":[{"args":[1]}]}}}})",
       "json: cannot unmarshal number into Go struct field Container.spec.template.spec.containers.args of type string"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.body);
    FieldProblems p = check_fields(deployments(), c.body);
    REQUIRE(p.type_error);
    CHECK(*p.type_error == c.error);
  }
  CHECK(decode_error_message(deployments(), "json: x") == R"(Deployment in version "v1" cannot be handled as a Deployment: json: x)");
}

TEST_CASE("fields: values of the right type, null, int-or-string and quantities decode") {
  const char* bodies[] = {
      R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"w","labels":{"a":"b"}},
          "spec":{"replicas":2,"paused":false,"selector":null,"strategy":{"rollingUpdate":{"maxSurge":1,"maxUnavailable":"25%"}},
          "template":{"spec":{"containers":[{"name":"a","resources":{"limits":{"cpu":1,"memory":"1Gi"},"requests":{"cpu":"500m"}}}]}}}})",
      R"({"metadata":{"creationTimestamp":null,"managedFields":[{"fieldsV1":{"f:spec":{}}}]}})",
  };
  for (const char* body : bodies) {
    CAPTURE(body);
    FieldProblems p = check_fields(deployments(), body);
    CHECK_FALSE(p.type_error);
    CHECK(p.messages.empty());
    CHECK_FALSE(p.syntax_error);
  }
}

TEST_CASE("fields: unknown and duplicate fields, in document order, with their paths") {
  struct Case {
    const char* body;
    std::vector<std::string> messages;
  };
  const Case cases[] = {
      {R"({"spec":{"foo":1,"replicas":1}})", {R"(unknown field "spec.foo")"}},
      {R"({"spec":{"zed":1,"abc":{"deep":1}},"top":true})",
       {R"(unknown field "spec.zed")", R"(unknown field "spec.abc")", R"(unknown field "top")"}},
      {R"({"spec":{"template":{"spec":{"containers":[{"name":"a"},{"name":"b","bar":1}]}}}})",
       {R"(unknown field "spec.template.spec.containers[1].bar")"}},
      {R"({"metadata":{"labels":{"any-key":"v"},"annotations":{"x":"y"}}})", {}},
      {R"({"spec":{"replicas":1,"replicas":2}})", {R"(duplicate field "spec.replicas")"}},
      {R"({"metadata":{"labels":{"a":"1","a":"2"}},"spec":{"foo":1}})",
       {R"(duplicate field "metadata.labels.a")", R"(unknown field "spec.foo")"}},
  };
  for (const Case& c : cases) {
    CAPTURE(c.body);
    FieldProblems p = check_fields(deployments(), c.body);
    CHECK(p.messages == c.messages);
    CHECK_FALSE(p.type_error);
  }
  FieldProblems p = check_fields(deployments(), R"({"spec":{"foo":1,"replicas":1,"replicas":2}})");
  CHECK(p.unknown == std::vector<std::string>{"spec.foo"});
  CHECK(p.duplicate == std::vector<std::string>{"spec.replicas"});
  CHECK(strict_decoding_message(p) ==
        R"(strict decoding error: unknown field "spec.foo", duplicate field "spec.replicas")");
  CHECK(warning_headers(p) ==
        std::vector<std::string>{R"(299 - "unknown field \"spec.foo\"")", R"(299 - "duplicate field \"spec.replicas\"")"});
}

TEST_CASE("fields: a CRD's type errors are 422 causes and unknown fields are pruned ones") {
  Registry r = with_widgets();
  const ResourceType& widgets = *r.find("example.com", "v1", "widgets");
  struct Case {
    const char* body;
    std::vector<std::string> causes;  // "<field>: <message>"
  };
  const Case cases[] = {
      {R"({"spec":{"size":"3"}})", {R"(spec.size: Invalid value: "string": spec.size in body must be of type integer: "string")"}},
      {R"({"spec":{"size":2.5}})", {R"(spec.size: Invalid value: "number": spec.size in body must be of type integer: "number")"}},
      {R"({"spec":{"size":2.0,"ratio":1,"name":"x","on":true,"port":80,"tags":["a"]}})", {}},
      {R"({"spec":{"port":"http","name":7,"on":"yes"}})",
       {R"(spec.name: Invalid value: "integer": spec.name in body must be of type string: "integer")",
        R"(spec.on: Invalid value: "string": spec.on in body must be of type boolean: "string")"}},
      {R"({"spec":{"tags":[1]}})", {R"(spec.tags[0]: Invalid value: "integer": spec.tags[0] in body must be of type string: "integer")"}},
      {R"({"spec":"big"})", {R"(spec: Invalid value: "string": spec in body must be of type object: "string")"}},
      {R"({"spec":{"name":null,"extra":null,"label":null}})", {}},
      {R"({"spec":{"tags":["a",null]}})",
       {R"(spec.tags[1]: Invalid value: "null": spec.tags[1] in body must be of type string: "null")"}},
  };
  for (const Case& c : cases) {
    CAPTURE(c.body);
    FieldProblems p = check_fields(widgets, c.body);
    std::vector<std::string> got;
    for (const Cause& cause : p.crd_type_errors) {
      CHECK(cause.reason == "FieldValueTypeInvalid");
      got.push_back(cause.field + ": " + cause.message);
    }
    CHECK(got == c.causes);
    CHECK_FALSE(p.type_error);
  }
  FieldProblems p = check_fields(widgets, R"({"apiVersion":"example.com/v1","kind":"Widget",
      "metadata":{"name":"w","labels":{"a":"b"},"colour":1},
      "spec":{"color":"red","extra":{"anything":{"x":1}},"env":{"A":"1"}},"status":{}})");
  CHECK(p.messages == std::vector<std::string>{R"(unknown field "metadata.colour")", R"(unknown field "spec.color")",
                                               R"(unknown field "status")"});
}

TEST_CASE("fields: a body that is not JSON is a syntax error") {
  for (const char* body : {"{", "{\"a\":}", "[1,"}) {
    CAPTURE(body);
    CHECK(check_fields(deployments(), body).syntax_error);
  }
}

// The cases below follow kubernetes test/integration/apiserver/
// field_validation_test.go: the order and wording of its expectations.
TEST_CASE("fields: a typed body reports as it decodes; repeated unknown keys once, as unknown") {
  const char* body = R"({
    "apiVersion": "apps/v1", "kind": "Deployment",
    "metadata": {"name": "first", "name": "second", "labels": {"app": "web"}, "extraMeta": "x"},
    "spec": {
      "extra1": "a", "extraTwice": "b", "extraTwice": "c", "paused": true, "paused": false,
      "selector": {"matchLabels": {"app": "web"}},
      "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{
        "name": "web", "image": "nginx", "extraNested": 1, "imagePullPolicy": "Always", "imagePullPolicy": "Never"}]}}}})";
  FieldProblems p = check_fields(deployments(), body);
  CHECK(strict_decoding_message(p) ==
        R"(strict decoding error: duplicate field "metadata.name", unknown field "metadata.extraMeta", unknown field "spec.extra1", )"
        R"(unknown field "spec.extraTwice", duplicate field "spec.paused", unknown field "spec.template.spec.containers[0].extraNested", )"
        R"(duplicate field "spec.template.spec.containers[0].imagePullPolicy")");
}

TEST_CASE("fields: a CRD body reports duplicates, then metadata, pruned and embedded unknowns") {
  Registry r = Registry::builtin();
  r.add_crd(Json::parse(R"({"metadata":{"name":"gadgets.example.com"},
    "spec":{"group":"example.com","scope":"Namespaced","names":{"kind":"Gadget","plural":"gadgets"},
      "versions":[{"name":"v1","served":true,"storage":true,"schema":{"openAPIV3Schema":{"type":"object",
        "properties":{"spec":{"type":"object","properties":{
          "known":{"type":"string"},
          "inner":{"type":"object","x-kubernetes-embedded-resource":true,"properties":{"metadata":{"type":"object"}}},
          "ports":{"type":"array","items":{"type":"object","properties":{"port":{"type":"integer"}}}}}}}}}}]}})"));
  const ResourceType& gadgets = *r.find("example.com", "v1", "gadgets");
  const char* body = R"({"apiVersion": "example.com/v1", "kind": "Gadget",
    "metadata": {"name": "a", "name": "b", "extraMeta": 1},
    "spec": {"zeta": 1, "twice": 1, "twice": 2, "known": "x", "known": "y",
      "ports": [{"port": 1, "port": 2, "extraNested": 1}],
      "inner": {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "extraInner": 1}}}})";
  FieldProblems p = check_fields(gadgets, body);
  CHECK(p.messages == std::vector<std::string>{
                          R"(duplicate field "metadata.name")", R"(duplicate field "spec.twice")",
                          R"(duplicate field "spec.known")", R"(duplicate field "spec.ports[0].port")",
                          R"(unknown field "metadata.extraMeta")", R"(unknown field "spec.ports[0].extraNested")",
                          R"(unknown field "spec.twice")", R"(unknown field "spec.zeta")",
                          R"(unknown field "spec.inner.metadata.extraInner")"});
}

TEST_CASE("fields: a merge patch reports its duplicates, then the patched object's sorted unknowns") {
  const char* patch = R"({"spec": {"zz": 1, "twice": 1, "twice": 2, "paused": true, "paused": false,
    "template": {"spec": {"containers": [{"name": "web", "extraNested": 1}]}}}})";
  Json patched = Json::parse(R"({"metadata":{"name":"web"},"spec":{"zz":1,"twice":2,"paused":false,
    "template":{"spec":{"containers":[{"name":"web","extraNested":1}]}}}})");
  FieldProblems p = check_patch_fields(deployments(), patch, patched);
  CHECK(p.messages == std::vector<std::string>{
                          R"(duplicate field "spec.twice")", R"(duplicate field "spec.paused")",
                          R"(unknown field "spec.template.spec.containers[0].extraNested")", R"(unknown field "spec.twice")",
                          R"(unknown field "spec.zz")"});
}

TEST_CASE("fields: an apply patch's duplicate keys are YAML errors with their lines") {
  const char* body = "{\n  \"metadata\": {\"name\": \"web\"},\n  \"spec\": {\n    \"paused\": false,\n    \"paused\": true,\n"
                     "    \"template\": {\"spec\": {\"containers\": [{\"name\": \"a\",\n      \"name\": \"b\"}]}}}}";
  FieldProblems p = check_fields(deployments(), body);
  CHECK(p.yaml_duplicates ==
        std::vector<std::string>{R"(line 5: key "paused" already set in map)", R"(line 7: key "name" already set in map)"});
  CHECK(apply_strict_message(p) ==
        "error strict decoding YAML: error converting YAML to JSON: yaml: unmarshal errors:\n"
        "  line 5: key \"paused\" already set in map\n  line 7: key \"name\" already set in map");
  CHECK(warning_headers(p.yaml_duplicates)[0] == R"(299 - "line 5: key \"paused\" already set in map")");
  CHECK(check_fields(deployments(), R"({"a\"b:": {"x": 1, "x": 2}})").yaml_duplicates ==
        std::vector<std::string>{R"(line 1: key "x" already set in map)"});
}
