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
          "port":{"x-kubernetes-int-or-string":true},
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
