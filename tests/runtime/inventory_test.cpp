// The inventory ConfigMap: what claw applied, with uids; read back from a
// GET as written by inventory_body, objects named by group, kind,
// namespace and name (the version is how an object is read, not which one
// it is: the API serves one object under each of its group's versions).
#include "runtime/plan/inventory.h"

#include <doctest/doctest.h>

using claw::emit::ObjectRef;
using claw::plan::Inventory;
using claw::plan::inventory_body;
using claw::plan::inventory_name;
using claw::plan::inventory_path;
using claw::plan::parse_inventory;
using claw::plan::same_object;
using nlohmann::json;

namespace {

const ObjectRef kDeploy{"apps", "v1", "Deployment", "web", "api"};
const ObjectRef kNamespace{"", "v1", "Namespace", "", "web"};
const ObjectRef kChart{"helm.cattle.io", "v1", "HelmChart", "kube-system", "traefik"};

}  // namespace

TEST_CASE("inventory: body and parse round trip, as a GET returns the ConfigMap") {
  Inventory inv;
  inv.record(kDeploy, "uid-d");
  inv.record(kNamespace, "uid-n");
  inv.record(kChart, "uid-c");
  json body = inventory_body("home", inv);
  CHECK(body["apiVersion"] == "v1");
  CHECK(body["kind"] == "ConfigMap");
  CHECK(body["metadata"]["name"] == "claw-inventory-home");
  CHECK(body["metadata"]["namespace"] == "kube-system");
  // Never found by the ownership LIST, so never pruned as an owned object.
  CHECK_FALSE(body["metadata"].contains("labels"));
  REQUIRE(body["data"]["objects"].is_string());  // ConfigMap data values are strings

  json got = body;  // what the server returns: the same, plus metadata
  got["metadata"]["resourceVersion"] = "4711";
  got["metadata"]["uid"] = "cm-uid";
  auto back = parse_inventory(got);
  REQUIRE_MESSAGE(back.has_value(), back.error());
  CHECK(back->resource_version == "4711");
  REQUIRE(back->entries.size() == 3);
  for (const auto& w : {std::pair{kDeploy, "uid-d"}, std::pair{kNamespace, "uid-n"}, std::pair{kChart, "uid-c"}}) {
    CAPTURE(w.first.display());
    const auto* e = back->find(w.first);
    REQUIRE(e != nullptr);
    CHECK(e->ref == w.first);  // the version kept too
    CHECK(e->uid == w.second);
  }
  // The body does not depend on the order objects were recorded in.
  Inventory reordered;
  reordered.record(kChart, "uid-c");
  reordered.record(kNamespace, "uid-n");
  reordered.record(kDeploy, "uid-d");
  CHECK(inventory_body("home", reordered) == body);
}

TEST_CASE("inventory: a ConfigMap without objects is empty; a malformed one is an error") {
  auto empty = parse_inventory(json{{"metadata", {{"resourceVersion", "9"}}}});
  REQUIRE(empty.has_value());
  CHECK(empty->entries.empty());
  CHECK(empty->resource_version == "9");

  struct Case {
    const char* objects;
    const char* error;
  };
  const Case cases[] = {
      {"{\"a\":1}", "not a JSON list"},
      {"not json", "not a JSON list"},
      {R"([{"kind":"ConfigMap","name":"a"}])", "lacks its kind, name or uid"},
      {R"([{"name":"a","uid":"u"}])", "lacks its kind, name or uid"},
      {R"([7])", "lacks its kind, name or uid"},
  };
  for (const Case& c : cases) {
    INFO(std::string(c.objects));
    auto inv = parse_inventory(json{{"data", {{"objects", c.objects}}}});
    REQUIRE_FALSE(inv.has_value());
    CHECK(inv.error().find(c.error) != std::string::npos);
  }
}

TEST_CASE("inventory: same_object ignores the version only") {
  struct Case {
    ObjectRef other;
    bool same;
  };
  const Case cases[] = {
      {{"apps", "v1", "Deployment", "web", "api"}, true},
      {{"apps", "v1beta2", "Deployment", "web", "api"}, true},
      {{"extensions", "v1", "Deployment", "web", "api"}, false},
      {{"apps", "v1", "StatefulSet", "web", "api"}, false},
      {{"apps", "v1", "Deployment", "other", "api"}, false},
      {{"apps", "v1", "Deployment", "web", "api2"}, false},
  };
  for (const Case& c : cases) {
    CAPTURE(c.other.display());
    CHECK(same_object(kDeploy, c.other) == c.same);
    CHECK(same_object(c.other, kDeploy) == c.same);
  }
}

TEST_CASE("inventory: record replaces an object's entry, forget removes it, find ignores the version") {
  Inventory inv;
  inv.record(kDeploy, "uid-1");
  inv.record(kNamespace, "uid-n");
  inv.record(ObjectRef{"apps", "v1beta2", "Deployment", "web", "api"}, "uid-2");
  CHECK(inv.entries.size() == 2);
  REQUIRE(inv.find(kDeploy) != nullptr);
  CHECK(inv.find(kDeploy)->uid == "uid-2");
  inv.forget(ObjectRef{"apps", "v9", "Deployment", "web", "api"});
  CHECK(inv.find(kDeploy) == nullptr);
  CHECK(inv.entries.size() == 1);
  CHECK(inv.find(kNamespace) != nullptr);
  inv.forget(kChart);  // not there: nothing happens
  CHECK(inv.entries.size() == 1);
}

TEST_CASE("inventory: its name and path") {
  CHECK(inventory_name("home") == "claw-inventory-home");
  CHECK(inventory_path("home") == "/api/v1/namespaces/kube-system/configmaps/claw-inventory-home");
}
