#include "runtime/sim/apply.h"
#include "runtime/sim/registry.h"

#include <doctest/doctest.h>

#include <fmt/format.h>

using namespace claw::sim;

namespace {

const Registry& registry() {
  static const Registry r = Registry::builtin();
  return r;
}

SchemaView schema_of(const char* group, const char* plural) { return registry().find(group, "v1", plural)->schema; }

WriteOrigin origin(const char* manager, const char* time = "2026-12-05T04:00:00Z", const char* api = "apps/v1") {
  return {manager, api, time, ""};
}

const Json& managed(const Json& object) { return object["metadata"]["managedFields"]; }

Json without_meta(Json object) {
  object["metadata"].erase("managedFields");
  return object;
}

Json entry_fields(const Json& object, const std::string& manager) {
  for (const Json& e : managed(object)) {
    if (e["manager"] == manager) return e["fieldsV1"];
  }
  return nullptr;
}

// A kubectl-style Deployment apply configuration.
Json deployment(int replicas, const char* image) {
  return {{"apiVersion", "apps/v1"},
          {"kind", "Deployment"},
          {"metadata", {{"name", "web"}, {"namespace", "prod"}, {"labels", {{"app", "web"}}}}},
          {"spec",
           {{"replicas", replicas},
            {"selector", {{"matchLabels", {{"app", "web"}}}}},
            {"template",
             {{"metadata", {{"labels", {{"app", "web"}}}}},
              {"spec",
               {{"containers",
                 Json::array(
                     {{{"name", "app"}, {"image", image}, {"ports", Json::array({{{"containerPort", 80}}})}}})}}}}}}}};
}

Json apply_ok(const Json* live, const Json& config, const WriteOrigin& o, bool force = false) {
  auto r = server_side_apply(live, config, schema_of("apps", "deployments"), o, force);
  REQUIRE(r.has_value());
  return *r;
}

}  // namespace

TEST_CASE("apply: a create records the applied fields as kubectl's Apply entry") {
  Json out = apply_ok(nullptr, deployment(2, "nginx:1"), origin("kubectl"));
  // Expected per typed/tofieldset.go: list items carry ".", struct fields
  // with content do not, the selector (atomic LabelSelector) is a leaf, the
  // port key takes protocol's default "TCP" while protocol itself is not owned.
  Json expected = Json::parse(R"({
    "f:metadata":{"f:labels":{"f:app":{}}},
    "f:spec":{"f:replicas":{},"f:selector":{},
      "f:template":{"f:metadata":{"f:labels":{"f:app":{}}},
        "f:spec":{"f:containers":{"k:{\"name\":\"app\"}":{".":{},"f:image":{},"f:name":{},
          "f:ports":{"k:{\"containerPort\":80,\"protocol\":\"TCP\"}":{".":{},"f:containerPort":{}}}}}}}}})");
  REQUIRE(managed(out).size() == 1);
  const Json& e = managed(out)[0];
  CHECK(e["manager"] == "kubectl");
  CHECK(e["operation"] == "Apply");
  CHECK(e["apiVersion"] == "apps/v1");
  CHECK(e["time"] == "2026-12-05T04:00:00Z");
  CHECK(e["fieldsType"] == "FieldsV1");
  CHECK_FALSE(e.contains("subresource"));
  CHECK(e["fieldsV1"] == expected);
  CHECK(out["spec"]["replicas"] == 2);
}

TEST_CASE("apply: the same configuration again changes nothing, not even the time") {
  Json first = apply_ok(nullptr, deployment(2, "nginx:1"), origin("kubectl"));
  Json again = apply_ok(&first, deployment(2, "nginx:1"), origin("kubectl", "2026-12-05T04:30:00Z"));
  CHECK(again == first);
  Json changed = apply_ok(&first, deployment(3, "nginx:1"), origin("kubectl", "2026-12-05T04:30:00Z"));
  CHECK(changed["spec"]["replicas"] == 3);
  CHECK(managed(changed)[0]["time"] == "2026-12-05T04:30:00Z");
}

TEST_CASE("apply: changing a field another manager owns is a conflict") {
  Json live = apply_ok(nullptr, deployment(2, "nginx:1"), origin("kubectl"));
  struct Case {
    const char* name;
    Json config;
    const char* message;
  };
  Json only_replicas = {
      {"apiVersion", "apps/v1"}, {"kind", "Deployment"}, {"metadata", {{"name", "web"}}}, {"spec", {{"replicas", 5}}}};
  Json two = deployment(5, "nginx:2");
  const Case cases[] = {
      {"one field", only_replicas, "Apply failed with 1 conflict: conflict with \"kubectl\": .spec.replicas"},
      {"two fields", two,
       "Apply failed with 2 conflicts: conflicts with \"kubectl\":\n- .spec.replicas\n"
       "- .spec.template.spec.containers[name=\"app\"].image"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    auto r = server_side_apply(&live, c.config, schema_of("apps", "deployments"), origin("claw"), false);
    REQUIRE_FALSE(r.has_value());
    CHECK(conflict_message(r.error()) == c.message);
    std::vector<Cause> causes = conflict_causes(r.error());
    REQUIRE(!causes.empty());
    CHECK(causes[0].reason == "FieldManagerConflict");
    CHECK(causes[0].message == "conflict with \"kubectl\"");
    CHECK(causes[0].field == ".spec.replicas");
  }
}

TEST_CASE("apply: an Update manager's field conflicts with its apiVersion in the message") {
  Json live = apply_ok(nullptr, deployment(2, "nginx:1"), origin("claw"));
  Json scaled = live;
  scaled["spec"]["replicas"] = 4;
  record_update(&live, scaled, schema_of("apps", "deployments"), origin("kubectl-scale", "2026-12-05T04:10:00Z"));
  CHECK(entry_fields(scaled, "kubectl-scale") == Json::parse(R"({"f:spec":{"f:replicas":{}}})"));
  // The applier lost the field to the Update.
  CHECK_FALSE(entry_fields(scaled, "claw")["f:spec"].contains("f:replicas"));

  auto r =
      server_side_apply(&scaled, deployment(2, "nginx:1"), schema_of("apps", "deployments"), origin("claw"), false);
  REQUIRE_FALSE(r.has_value());
  CHECK(conflict_message(r.error()) ==
        "Apply failed with 1 conflict: conflict with \"kubectl-scale\" using apps/v1: .spec.replicas");
  CHECK(conflict_causes(r.error())[0].message == "conflict with \"kubectl-scale\" using apps/v1");
}

TEST_CASE("apply: force takes the field from the other manager") {
  Json live = apply_ok(nullptr, deployment(2, "nginx:1"), origin("kubectl"));
  Json out = apply_ok(&live, deployment(5, "nginx:1"), origin("claw", "2026-12-05T04:20:00Z"), true);
  CHECK(out["spec"]["replicas"] == 5);
  CHECK(entry_fields(out, "claw")["f:spec"].contains("f:replicas"));
  CHECK_FALSE(entry_fields(out, "kubectl")["f:spec"].contains("f:replicas"));
  // The unchanged image stays shared.
  Json image_path = Json::parse(R"({".":{},"f:image":{},"f:name":{}})");
  const char* key = R"(k:{"name":"app"})";
  CHECK(entry_fields(out, "kubectl")["f:spec"]["f:template"]["f:spec"]["f:containers"][key].contains("f:image"));
  CHECK(entry_fields(out, "claw")["f:spec"]["f:template"]["f:spec"]["f:containers"][key].contains("f:image"));
  // Apply entries first, then by time.
  CHECK(managed(out)[0]["manager"] == "kubectl");
  CHECK(managed(out)[1]["manager"] == "claw");
}

TEST_CASE("apply: a dropped field is removed unless another manager still owns it") {
  Json live = apply_ok(nullptr, deployment(2, "nginx:1"), origin("kubectl"));
  Json no_replicas = deployment(2, "nginx:1");
  no_replicas["spec"].erase("replicas");

  SUBCASE("sole owner: the field goes") {
    Json out = apply_ok(&live, no_replicas, origin("kubectl"));
    CHECK_FALSE(out["spec"].contains("replicas"));
  }
  SUBCASE("a dropped container goes with everything in it") {
    Json two = deployment(2, "nginx:1");
    two["spec"]["template"]["spec"]["containers"].push_back({{"name", "log"}, {"image", "busybox"}});
    Json with_log = apply_ok(&live, two, origin("kubectl"));
    REQUIRE(with_log["spec"]["template"]["spec"]["containers"].size() == 2);
    Json out = apply_ok(&with_log, deployment(2, "nginx:1"), origin("kubectl"));
    const Json& containers = out["spec"]["template"]["spec"]["containers"];
    REQUIRE(containers.size() == 1);
    CHECK(containers[0]["name"] == "app");
  }
  SUBCASE("shared owner (same value): the field stays with the other") {
    Json shared = apply_ok(&live, deployment(2, "nginx:1"), origin("other"));
    Json out = apply_ok(&shared, no_replicas, origin("kubectl"));
    CHECK(out["spec"]["replicas"] == 2);
    CHECK(entry_fields(out, "other")["f:spec"].contains("f:replicas"));
    CHECK_FALSE(entry_fields(out, "kubectl")["f:spec"].contains("f:replicas"));
  }
}

TEST_CASE("apply: containers merge by name and labels merge key by key") {
  Json live = apply_ok(nullptr, deployment(2, "nginx:1"), origin("kubectl"));
  Json sidecar = {
      {"apiVersion", "apps/v1"},
      {"kind", "Deployment"},
      {"metadata", {{"name", "web"}, {"labels", {{"team", "a"}}}}},
      {"spec", {{"template", {{"spec", {{"containers", Json::array({{{"name", "log"}, {"image", "busybox"}}})}}}}}}}};
  Json out = apply_ok(&live, sidecar, origin("mesh"));
  const Json& containers = out["spec"]["template"]["spec"]["containers"];
  REQUIRE(containers.size() == 2);
  CHECK(containers[0]["name"] == "app");
  CHECK(containers[0]["image"] == "nginx:1");
  CHECK(containers[1]["name"] == "log");
  CHECK(out["metadata"]["labels"] == Json({{"app", "web"}, {"team", "a"}}));
  CHECK(entry_fields(out, "mesh")["f:metadata"] == Json::parse(R"({"f:labels":{"f:team":{}}})"));
}

TEST_CASE("apply: ports are keyed by containerPort and protocol") {
  Json live = apply_ok(nullptr, deployment(2, "nginx:1"), origin("kubectl"));
  // An UDP port 80 is another item; an explicit TCP 80 is the same item.
  struct Case {
    Json port;
    std::size_t ports;
  };
  const Case cases[] = {
      {{{"containerPort", 80}, {"protocol", "UDP"}}, 2},
      {{{"containerPort", 80}, {"protocol", "TCP"}, {"name", "http"}}, 1},
      {{{"containerPort", 8080}}, 2},
  };
  for (const Case& c : cases) {
    Json cfg = {{"apiVersion", "apps/v1"},
                {"kind", "Deployment"},
                {"metadata", {{"name", "web"}}},
                {"spec",
                 {{"template",
                   {{"spec", {{"containers", Json::array({{{"name", "app"}, {"ports", Json::array({c.port})}}})}}}}}}}};
    Json out = apply_ok(&live, cfg, origin("other"));
    CHECK(out["spec"]["template"]["spec"]["containers"][0]["ports"].size() == c.ports);
  }
}

TEST_CASE("apply: a custom resource without list markers replaces lists whole") {
  SchemaView untyped;
  Json live_cfg = {{"apiVersion", "example.com/v1"},
                   {"kind", "Widget"},
                   {"metadata", {{"name", "w"}}},
                   {"spec", {{"hosts", Json::array({"a", "b"})}, {"size", 1}}}};
  auto first =
      server_side_apply(nullptr, live_cfg, untyped, origin("claw", "2026-12-05T04:00:00Z", "example.com/v1"), false);
  REQUIRE(first.has_value());
  // Untyped map entries are members themselves; the list is one leaf.
  CHECK(managed(*first)[0]["fieldsV1"] == Json::parse(R"({"f:spec":{".":{},"f:hosts":{},"f:size":{}}})"));
  Json cfg = {{"apiVersion", "example.com/v1"},
              {"kind", "Widget"},
              {"metadata", {{"name", "w"}}},
              {"spec", {{"hosts", Json::array({"c"})}}}};
  auto second =
      server_side_apply(&*first, cfg, untyped, origin("other", "2026-12-05T04:00:00Z", "example.com/v1"), true);
  REQUIRE(second.has_value());
  CHECK((*second)["spec"]["hosts"] == Json::array({"c"}));
  CHECK((*second)["spec"]["size"] == 1);
}

TEST_CASE("apply: an object without managedFields goes to before-first-apply on the first apply") {
  Json live = deployment(2, "nginx:1");
  auto r = server_side_apply(&live, deployment(3, "nginx:1"), schema_of("apps", "deployments"), origin("claw"), false);
  REQUIRE_FALSE(r.has_value());
  CHECK(conflict_message(r.error()) ==
        "Apply failed with 1 conflict: conflict with \"before-first-apply\" using apps/v1: .spec.replicas");
}

TEST_CASE("apply: a kubectl create of a Pod records the fields of the defaulted object") {
  // A real capture: the Pod of a client-side `kubectl apply` as the field
  // manager saw it (before the admission plugins added volumes, tolerations,
  // priority and the service account), from an AdmissionReview logged in
  // cloud-custodian's c7n_kube admission docs (2022-09-14).
  Json pod = Json::parse(R"({"kind":"Pod","apiVersion":"v1",
    "metadata":{"name":"nginx","namespace":"default","uid":"eae00ed2","creationTimestamp":"2022-09-14T20:33:50Z",
      "annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{}"}},
    "spec":{"containers":[{"name":"nginx","image":"nginx:1.14.2","ports":[{"containerPort":80,"protocol":"TCP"}],
        "resources":{},"terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File",
        "imagePullPolicy":"IfNotPresent"}],
      "restartPolicy":"Always","terminationGracePeriodSeconds":30,"dnsPolicy":"ClusterFirst","securityContext":{},
      "schedulerName":"default-scheduler","enableServiceLinks":true},
    "status":{"phase":"Pending","qosClass":"BestEffort"}})");
  Json expected = Json::parse(
      R"({"f:metadata":{"f:annotations":{".":{},"f:kubectl.kubernetes.io/last-applied-configuration":{}}},"f:spec":{"f:containers":{"k:{\"name\":\"nginx\"}":{".":{},"f:image":{},"f:imagePullPolicy":{},"f:name":{},"f:ports":{".":{},"k:{\"containerPort\":80,\"protocol\":\"TCP\"}":{".":{},"f:containerPort":{},"f:protocol":{}}},"f:resources":{},"f:terminationMessagePath":{},"f:terminationMessagePolicy":{}}},"f:dnsPolicy":{},"f:enableServiceLinks":{},"f:restartPolicy":{},"f:schedulerName":{},"f:securityContext":{},"f:terminationGracePeriodSeconds":{}}})");
  record_update(nullptr, pod, schema_of("", "pods"), {"kubectl-client-side-apply", "v1", "2022-09-14T20:33:50Z", ""});
  REQUIRE(managed(pod).size() == 1);
  CHECK(managed(pod)[0]["operation"] == "Update");
  CHECK(managed(pod)[0]["apiVersion"] == "v1");
  CHECK(managed(pod)[0]["fieldsV1"] == expected);
}

TEST_CASE("apply: updates move fields between managers and drop emptied entries") {
  SchemaView svc = schema_of("", "services");
  Json created = Json::parse(R"({"apiVersion":"v1","kind":"Service","metadata":{"name":"s","labels":{"a":"1"}},
    "spec":{"type":"ClusterIP","ports":[{"port":80,"protocol":"TCP"}]},"status":{"loadBalancer":{}}})");
  record_update(nullptr, created, svc, {"first", "v1", "2026-12-05T04:00:00Z", ""});
  Json edited = created;
  edited["metadata"]["labels"] = {{"b", "2"}};
  record_update(&created, edited, svc, {"second", "v1", "2026-12-05T04:05:00Z", ""});
  // The labels map itself stays "first"'s: it was added then and still exists.
  CHECK(entry_fields(edited, "first")["f:metadata"] == Json::parse(R"({"f:labels":{}})"));
  CHECK(entry_fields(edited, "second") == Json::parse(R"({"f:metadata":{"f:labels":{"f:b":{}}}})"));

  Json status = edited;
  status["status"] = {{"loadBalancer", {{"ingress", Json::array({{{"ip", "10.0.0.1"}}})}}}};
  record_update(&edited, status, svc, {"ctrl", "v1", "2026-12-05T04:06:00Z", "status"});
  const Json& last = managed(status).back();
  CHECK(last["manager"] == "ctrl");
  CHECK(last["subresource"] == "status");
  CHECK(last["fieldsV1"] == Json::parse(R"({"f:status":{"f:loadBalancer":{"f:ingress":{}}}})"));

  Json same = status;
  record_update(&status, same, svc, {"noop", "v1", "2026-12-05T04:07:00Z", ""});
  CHECK(entry_fields(same, "noop").is_null());
  CHECK(same == status);
}

TEST_CASE("apply: conflict messages group by manager, sorted, as conflict.go writes them") {
  struct Case {
    const char* name;
    std::vector<FieldConflict> conflicts;
    const char* message;
  };
  const Case cases[] = {
      {"subresource manager",
       {{"ctrl", "Update", "apps/v1", "status", ".status.replicas"}},
       "Apply failed with 1 conflict: conflict with \"ctrl\" with subresource \"status\" using apps/v1: "
       ".status.replicas"},
      {"apply manager has no apiVersion",
       {{"helm", "Apply", "apps/v1", "", ".spec.paused"}},
       "Apply failed with 1 conflict: conflict with \"helm\": .spec.paused"},
      {"several managers",
       {{"b", "Apply", "v1", "", ".x"}, {"a", "Update", "apps/v1", "", ".y"}, {"b", "Apply", "v1", "", ".z"}},
       "Apply failed with 3 conflicts: conflicts with \"a\" using apps/v1:\n- .y\nconflicts with \"b\":\n- .x\n- .z"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    CHECK(conflict_message(c.conflicts) == c.message);
    CHECK(conflict_causes(c.conflicts).size() == c.conflicts.size());
  }
}

TEST_CASE("apply: each applier keeps its own labels") {
  Json live = apply_ok(nullptr, deployment(2, "nginx:1"), origin("kubectl"));
  Json label = {
      {"apiVersion", "apps/v1"}, {"kind", "Deployment"}, {"metadata", {{"name", "web"}, {"labels", {{"team", "a"}}}}}};
  Json both = apply_ok(&live, label, origin("mesh"));
  Json none = {{"apiVersion", "apps/v1"}, {"kind", "Deployment"}, {"metadata", {{"name", "web"}}}};
  Json out = apply_ok(&both, none, origin("mesh"));
  CHECK(out["metadata"]["labels"] == Json({{"app", "web"}}));
  // mesh no longer owns anything: its entry is gone.
  CHECK(entry_fields(out, "mesh").is_null());
}

TEST_CASE("apply: Apply entries come before Update entries, then by time") {
  Json live = apply_ok(nullptr, deployment(2, "nginx:1"), origin("zeta", "2026-12-05T04:00:00Z"));
  Json updated = live;
  updated["spec"]["paused"] = true;
  record_update(&live, updated, schema_of("apps", "deployments"), origin("alpha", "2026-12-05T03:00:00Z"));
  Json cfg = {{"apiVersion", "apps/v1"},
              {"kind", "Deployment"},
              {"metadata", {{"name", "web"}}},
              {"spec", {{"minReadySeconds", 5}}}};
  Json out = apply_ok(&updated, cfg, origin("beta", "2026-12-05T05:00:00Z"));
  std::vector<std::string> order;
  for (const Json& e : managed(out))
    order.push_back(e["manager"].get<std::string>() + "/" + e["operation"].get<std::string>());
  CHECK(order == std::vector<std::string>{"zeta/Apply", "beta/Apply", "alpha/Update"});
}

TEST_CASE("apply: a kubectl create of a Deployment records the fields of the defaulted object") {
  // A real capture: `kubectl create deployment` against a 1.24 cluster,
  // response body in a `-v=8` log of the acend kubernetes-training docs
  // (2022-11-14); the object is the response less server-set metadata.
  Json deploy = Json::parse(R"({"kind":"Deployment","apiVersion":"apps/v1",
    "metadata":{"name":"test-deployment","namespace":"acend-test","uid":"a6985d28","resourceVersion":"2069385577",
      "generation":1,"creationTimestamp":"2022-11-14T14:31:13Z","labels":{"app":"test-deployment"}},
    "spec":{"replicas":0,"selector":{"matchLabels":{"app":"test-deployment"}},
      "template":{"metadata":{"creationTimestamp":null,"labels":{"app":"test-deployment"}},
        "spec":{"containers":[{"name":"example-web","image":"web:1","resources":{},
          "terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File","imagePullPolicy":"Always"}],
          "restartPolicy":"Always","terminationGracePeriodSeconds":30,"dnsPolicy":"ClusterFirst","securityContext":{},
          "schedulerName":"default-scheduler"}},
      "strategy":{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":"25%","maxSurge":"25%"}},
      "revisionHistoryLimit":10,"progressDeadlineSeconds":600},
    "status":{}})");
  Json expected = Json::parse(
      R"({"f:metadata":{"f:labels":{".":{},"f:app":{}}},"f:spec":{"f:progressDeadlineSeconds":{},"f:replicas":{},"f:revisionHistoryLimit":{},"f:selector":{},"f:strategy":{"f:rollingUpdate":{".":{},"f:maxSurge":{},"f:maxUnavailable":{}},"f:type":{}},"f:template":{"f:metadata":{"f:labels":{".":{},"f:app":{}}},"f:spec":{"f:containers":{"k:{\"name\":\"example-web\"}":{".":{},"f:image":{},"f:imagePullPolicy":{},"f:name":{},"f:resources":{},"f:terminationMessagePath":{},"f:terminationMessagePolicy":{}}},"f:dnsPolicy":{},"f:restartPolicy":{},"f:schedulerName":{},"f:securityContext":{},"f:terminationGracePeriodSeconds":{}}}}})");
  record_update(nullptr, deploy, schema_of("apps", "deployments"), origin("kubectl-create", "2022-11-14T14:31:13Z"));
  REQUIRE(managed(deploy).size() == 1);
  CHECK(managed(deploy)[0]["manager"] == "kubectl-create");
  CHECK(managed(deploy)[0]["fieldsV1"] == expected);
}

TEST_CASE("apply: a CRD's structural schema without list markers keeps lists atomic") {
  Registry r = Registry::builtin();
  r.add_crd(Json::parse(R"({"metadata":{"name":"widgets.example.com"},
    "spec":{"group":"example.com","scope":"Namespaced",
      "names":{"kind":"Widget","plural":"widgets","singular":"widget"},
      "versions":[{"name":"v1","served":true,"storage":true,"schema":{"openAPIV3Schema":{"type":"object",
        "properties":{"spec":{"type":"object","properties":{
          "hosts":{"type":"array","items":{"type":"object","properties":{"name":{"type":"string"}}}},
          "size":{"type":"integer"}}}}}}}]}})"));
  SchemaView widget = r.find("example.com", "v1", "widgets")->schema;
  Json cfg = Json::parse(R"({"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"w"},
    "spec":{"hosts":[{"name":"a"},{"name":"b"}],"size":1}})");
  auto out = server_side_apply(nullptr, cfg, widget, origin("claw", "2026-12-05T04:00:00Z", "example.com/v1"), false);
  REQUIRE(out.has_value());
  // Declared struct fields carry no ".", the list is a single leaf.
  CHECK(managed(*out)[0]["fieldsV1"] == Json::parse(R"({"f:spec":{"f:hosts":{},"f:size":{}}})"));
  Json other = Json::parse(R"({"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"w"},
    "spec":{"hosts":[{"name":"c"}]}})");
  auto conflict = server_side_apply(&*out, other, widget, origin("x", "2026-12-05T04:00:00Z", "example.com/v1"), false);
  REQUIRE_FALSE(conflict.has_value());
  CHECK(conflict_message(conflict.error()) == "Apply failed with 1 conflict: conflict with \"claw\": .spec.hosts");
}

TEST_CASE("apply: status is owned only where the kind's strategy lets it be written") {
  Json cfg = Json::parse(R"({"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"w"},
    "spec":{"size":1},"status":{"ready":true}})");
  struct Case {
    const char* name;
    std::string subresource;
    bool status_subresource;
    const char* fields_v1;
  };
  const Case cases[] = {
      {"main resource with a status subresource", "", true, R"({"f:spec":{".":{},"f:size":{}}})"},
      {"main resource without one", "", false, R"({"f:spec":{".":{},"f:size":{}},"f:status":{".":{},"f:ready":{}}})"},
      {"the status subresource", "status", true, R"({"f:status":{".":{},"f:ready":{}}})"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    WriteOrigin o = origin("claw", "2026-12-05T04:00:00Z", "example.com/v1");
    o.subresource = c.subresource;
    o.status_subresource = c.status_subresource;
    auto out = server_side_apply(nullptr, cfg, SchemaView(), o, false);
    REQUIRE(out.has_value());
    CHECK(managed(*out)[0]["fieldsV1"] == Json::parse(c.fields_v1));
  }
}

TEST_CASE("apply: more than ten Update managers fold the oldest into ancient-changes") {
  // capmanagers.go: with 11 updaters the two oldest of one apiVersion merge.
  SchemaView cm = registry().find("", "v1", "configmaps")->schema;
  Json obj = Json::parse(R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{}})");
  for (int i = 0; i < 11; ++i) {
    Json next = obj;
    next["data"][fmt::format("k{}", i)] = "v";
    record_update(&obj, next, cm, {fmt::format("m{}", i), "v1", fmt::format("2026-12-05T04:{:02}:00Z", i), ""});
    obj = next;
  }
  std::vector<std::string> managers;
  for (const Json& e : managed(obj)) managers.push_back(e["manager"]);
  CHECK(managers == std::vector<std::string>{"ancient-changes", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9", "m10"});
  CHECK(managed(obj)[0]["time"] == "2026-12-05T04:01:00Z");
  CHECK(managed(obj)[0]["fieldsV1"] == Json::parse(R"({"f:data":{"f:k0":{},"f:k1":{}}})"));
}

TEST_CASE("apply: a new manager that changes nothing shares the fields and gets no time") {
  // managedfieldsupdater.go Apply sets the time only when the object changed.
  Json live = apply_ok(nullptr, deployment(2, "nginx:1"), origin("kubectl"));
  Json out = apply_ok(&live, deployment(2, "nginx:1"), origin("claw", "2026-12-05T04:40:00Z"));
  REQUIRE(managed(out).size() == 2);
  // No time counts as the oldest (sortEncodedManagedFields), so it sorts first.
  const Json& claw = managed(out)[0];
  CHECK(claw["manager"] == "claw");
  CHECK_FALSE(claw.contains("time"));
  CHECK(claw["fieldsV1"] == managed(out)[1]["fieldsV1"]);
  CHECK(without_meta(out) == without_meta(live));
}

TEST_CASE("apply: a configuration with another apiVersion or managedFields is a 400") {
  struct Case {
    const char* name;
    const char* config;
    const char* message;  // "" when the body may be applied
  };
  const Case cases[] = {
      {"matching", R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"w"}})", ""},
      {"other version", R"({"apiVersion":"apps/v1beta1","kind":"Deployment","metadata":{"name":"w"}})",
       "Incorrect version specified in apply patch. Specified patch version: apps/v1beta1, expected: apps/v1"},
      {"managedFields", R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"w","managedFields":[]}})",
       "metadata.managedFields must be nil"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    std::optional<ApiError> e = check_apply_config(Json::parse(c.config), "apps/v1");
    CHECK(e.has_value() == (std::string(c.message) != ""));
    if (e) {
      CHECK(e->code == 400);
      CHECK(e->message == c.message);
    }
  }
}

TEST_CASE("apply: kubectl's server-side apply rewrites an existing last-applied annotation") {
  // lastappliedupdater.go: only manager "kubectl", only when the annotation exists.
  const char* annotation = "kubectl.kubernetes.io/last-applied-configuration";
  Json live = apply_ok(nullptr, deployment(2, "nginx:1"), origin("kubectl"));
  live["metadata"]["annotations"][annotation] = "{\"old\":true}\n";
  Json cfg = deployment(2, "a<b>&c");
  struct Case {
    const char* manager;
    bool rewritten;
  };
  const Case cases[] = {{"kubectl", true}, {"claw", false}};
  for (const Case& c : cases) {
    CAPTURE(c.manager);
    Json out = apply_ok(&live, cfg, origin(c.manager), true);
    const std::string& value = out["metadata"]["annotations"][annotation].get_ref<const std::string&>();
    if (!c.rewritten) {
      CHECK(value == "{\"old\":true}\n");
      continue;
    }
    CHECK(value.ends_with("}\n"));
    CHECK(value.find("\"image\":\"a\\u003cb\\u003e\\u0026c\"") != std::string::npos);
    CHECK(Json::parse(value) == cfg);
  }
  Json fresh = apply_ok(nullptr, cfg, origin("kubectl"));
  CHECK_FALSE(fresh["metadata"].contains("annotations"));
}

TEST_CASE("apply: live list items the configuration does not name keep their place, duplicates too") {
  Json live = apply_ok(nullptr, deployment(2, "nginx:1"), origin("kubectl"));
  Json& env = live["spec"]["template"]["spec"]["containers"][0]["env"];
  env =
      Json::array({{{"name", "A"}, {"value", "1"}}, {{"name", "A"}, {"value", "2"}}, {{"name", "B"}, {"value", "3"}}});
  Json cfg = {{"apiVersion", "apps/v1"},
              {"kind", "Deployment"},
              {"metadata", {{"name", "web"}}},
              {"spec",
               {{"template",
                 {{"spec",
                   {{"containers",
                     Json::array({{{"name", "app"}, {"env", Json::array({{{"name", "C"}, {"value", "4"}}})}}})}}}}}}}};
  Json out = apply_ok(&live, cfg, origin("other"));
  Json names = Json::array();
  for (const Json& e : out["spec"]["template"]["spec"]["containers"][0]["env"]) names.push_back(e["name"]);
  CHECK(names == Json::array({"A", "A", "B", "C"}));
}
