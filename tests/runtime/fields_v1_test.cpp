// fieldsV1 shapes from sigs.k8s.io/structured-merge-diff fieldpath/
// serialize.go and from a real claw-applied StatefulSet (plan_fixtures.h).
#include "runtime/plan/fields_v1.h"

#include "tests/runtime/plan_fixtures.h"

#include <doctest/doctest.h>

using claw::plan::applied_fields;
using claw::plan::decode;
using claw::plan::encode;
using claw::plan::FieldSet;
using claw::plan::parse_fields_v1;
using claw::plan::PathElement;
using nlohmann::json;

TEST_CASE("fields_v1: members of claw's entry of a live StatefulSet") {
  json live = claw::plan::test::fixture("statefulset.live");
  const json* fields = applied_fields(live, "claw");
  REQUIRE(fields != nullptr);
  auto set = parse_fields_v1(*fields);
  REQUIRE(set.has_value());
  const std::vector<std::string> container = {"f:spec", "f:template", "f:spec", "f:containers", "k:{\"name\":\"redis\"}"};
  auto below = [&](std::initializer_list<std::string> more) {
    std::vector<std::string> p = container;
    p.insert(p.end(), more);
    return p;
  };
  struct Case {
    std::vector<std::string> path;
    bool member;
  };
  const Case cases[] = {
      {{"f:spec", "f:replicas"}, true},
      {{"f:spec", "f:volumeClaimTemplates"}, true},  // an atomic list is one leaf
      {{"f:spec", "f:selector"}, true},
      {{"f:metadata", "f:labels", "f:app.kubernetes.io/name"}, true},
      {container, true},  // `".": {}` makes the item itself a member
      {below({"f:image"}), true},
      {below({"f:ports", "k:{\"containerPort\":6379,\"protocol\":\"TCP\"}", "f:protocol"}), true},
      {below({"f:volumeMounts", "k:{\"mountPath\":\"/data\"}"}), true},
      {{"f:spec"}, false},  // only a prefix of members
      {{"f:spec", "f:template"}, false},
      {below({"f:imagePullPolicy"}), false},  // a default, set by the server
      {{"f:status", "f:replicas"}, false},     // the controller's, on the status subresource
  };
  for (const Case& c : cases) {
    CAPTURE(c.path);
    CHECK(set->contains(c.path) == c.member);
  }
}

TEST_CASE("fields_v1: the four kinds of step, and `.`") {
  json v1 = json::parse(R"({
    "f:metadata": {"f:finalizers": {".": {}, "v:\"example.com/x\"": {}}},
    "f:spec": {"f:args": {"i:0": {}}, "f:ports": {"k:{\"protocol\": \"TCP\", \"port\": 80}": {".": {}, "f:port": {}}}}
  })");
  auto set = parse_fields_v1(v1);
  REQUIRE(set.has_value());
  const FieldSet expected = {
      {"f:metadata", "f:finalizers"},
      {"f:metadata", "f:finalizers", "v:\"example.com/x\""},
      {"f:spec", "f:args", "i:0"},
      // key objects are canonical: sorted keys, no spaces
      {"f:spec", "f:ports", "k:{\"port\":80,\"protocol\":\"TCP\"}"},
      {"f:spec", "f:ports", "k:{\"port\":80,\"protocol\":\"TCP\"}", "f:port"},
  };
  CHECK(*set == expected);
}

TEST_CASE("fields_v1: steps decode and encode") {
  struct Case {
    const char* text;
    PathElement::Kind kind;
    const char* canonical;
  };
  const Case cases[] = {
      {"f:spec", PathElement::Kind::field, "f:spec"},
      {"f:app.kubernetes.io/name", PathElement::Kind::field, "f:app.kubernetes.io/name"},
      {"k:{\"name\":\"app\"}", PathElement::Kind::key, "k:{\"name\":\"app\"}"},
      {"v:\"a\"", PathElement::Kind::value, "v:\"a\""},
      {"v:3", PathElement::Kind::value, "v:3"},
      {"i:12", PathElement::Kind::index, "i:12"},
  };
  for (const Case& c : cases) {
    const std::string step = c.text;
    CAPTURE(step);
    auto e = decode(c.text);
    REQUIRE(e.has_value());
    CHECK(e->kind == c.kind);
    CHECK(encode(*e) == c.canonical);
  }
}

TEST_CASE("fields_v1: malformed tries are errors naming the step") {
  const char* bad[] = {
      R"({"x:spec": {}})", R"({"spec": {}})", R"({"k:{not json": {}})", R"({"k:[1]": {}})",
      R"({"i:one": {}})", R"({"i:": {}})", R"({"f:spec": 3})", R"([])",
  };
  for (const std::string text : bad) {
    CAPTURE(text);
    auto set = parse_fields_v1(json::parse(text));
    REQUIRE_FALSE(set.has_value());
    CHECK_FALSE(set.error().empty());
  }
  CHECK(parse_fields_v1(json::parse(R"({"x:spec": {}})")).error().find("x:spec") != std::string::npos);
}

TEST_CASE("fields_v1: only the manager's Apply entry on the main resource counts") {
  json live = claw::plan::test::fixture("deployment.live-image-edited");
  REQUIRE(applied_fields(live, "claw") != nullptr);
  CHECK(applied_fields(live, "claw")->contains("f:spec"));
  CHECK(applied_fields(live, "kubectl-edit") == nullptr);           // an Update
  CHECK(applied_fields(live, "kube-controller-manager") == nullptr);  // Updates, one on status
  json status_apply = json::parse(R"({"metadata": {"managedFields": [
    {"manager": "claw", "operation": "Apply", "subresource": "status", "fieldsType": "FieldsV1", "fieldsV1": {"f:status": {}}}]}})");
  CHECK(applied_fields(status_apply, "claw") == nullptr);
  CHECK(applied_fields(json::parse(R"({"metadata": {}})"), "claw") == nullptr);
  CHECK(applied_fields(json::parse(R"({"metadata": {"managedFields": [{"manager": 3}]}})"), "claw") == nullptr);
  CHECK(applied_fields(json("text"), "claw") == nullptr);
}
