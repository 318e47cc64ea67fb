// The request path end to end, without a socket: routing, CRUD, LIST
// paging and selectors, optimistic concurrency, deletion, namespaces.

#include "sim_fixture.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <unistd.h>

using namespace claw::sim;
using namespace claw::sim::testing;

namespace {
const std::string kDeployments = "/apis/apps/v1/namespaces/default/deployments";
}

TEST_CASE("api: a fresh sim has the system namespaces and the kubernetes Service") {
  SimFixture f;
  Json list = f.json(f.call("GET", "/api/v1/namespaces"));
  std::vector<std::string> names;
  for (const Json& ns : list["items"]) names.push_back(ns["metadata"]["name"]);
  CHECK(names == std::vector<std::string>{"default", "kube-node-lease", "kube-public", "kube-system"});
  CHECK(list["kind"] == "NamespaceList");
  CHECK_FALSE(list["items"][0].contains("kind"));  // built-in list items carry no kind
  ApiResponse svc = f.call("GET", "/api/v1/namespaces/default/services/kubernetes");
  CHECK(svc.status == 200);
  CHECK(f.json(svc)["spec"]["clusterIP"] == "10.43.0.1");
}

TEST_CASE("api: create, get, duplicate and missing objects answer as the real server") {
  SimFixture f;
  ApiResponse created = f.call("POST", kDeployments, deployment("web"));
  REQUIRE(created.status == 201);
  Json web = f.json(created);
  CHECK(web["metadata"]["namespace"] == "default");
  CHECK(web["metadata"]["generation"] == 1);
  CHECK(web["metadata"]["uid"].get<std::string>().size() == 36);
  CHECK_FALSE(web["metadata"]["resourceVersion"].get<std::string>().empty());
  CHECK(web["status"] == Json::object());

  ApiResponse again = f.call("POST", kDeployments, deployment("web"));
  CHECK(again.status == 409);
  CHECK(f.json(again)["reason"] == "AlreadyExists");
  CHECK(f.json(again)["message"] == "deployments.apps \"web\" already exists");

  ApiResponse missing = f.call("GET", kDeployments + "/nope");
  CHECK(missing.status == 404);
  Json status = f.json(missing);
  CHECK(status["message"] == "deployments.apps \"nope\" not found");
  CHECK(status["details"]["kind"] == "deployments");
  CHECK(status["details"]["group"] == "apps");

  ApiResponse no_ns = f.call("POST", "/apis/apps/v1/namespaces/ghost/deployments", deployment("web"));
  CHECK(no_ns.status == 404);
  CHECK(f.json(no_ns)["message"] == "namespaces \"ghost\" not found");

  CHECK(f.call("GET", "/apis/apps/v1/namespaces/default/widgets").status == 404);
  CHECK(f.call("GET", "/apis/nope.example.com/v1").status == 404);
}

TEST_CASE("api: PUT checks resourceVersion and bumps generation only on spec changes") {
  SimFixture f;
  Json web = f.json(f.call("POST", kDeployments, deployment("web")));
  std::string rv = web["metadata"]["resourceVersion"];

  Json labelled = web;
  labelled["metadata"]["labels"]["tier"] = "front";
  Json after_label = f.json(f.call("PUT", kDeployments + "/web", labelled.dump()));
  CHECK(after_label["metadata"]["generation"] == 1);
  CHECK(after_label["metadata"]["resourceVersion"] != rv);

  ApiResponse stale = f.call("PUT", kDeployments + "/web", labelled.dump());
  CHECK(stale.status == 409);
  CHECK(f.json(stale)["reason"] == "Conflict");
  CHECK(f.json(stale)["message"] ==
        "Operation cannot be fulfilled on deployments.apps \"web\": the object has been modified; please apply your "
        "changes to the latest version and try again");

  Json scaled = after_label;
  scaled["spec"]["replicas"] = 3;
  Json after_scale = f.json(f.call("PUT", kDeployments + "/web", scaled.dump()));
  CHECK(after_scale["metadata"]["generation"] == 2);

  Json renamed = after_scale;
  renamed["metadata"]["name"] = "other";
  ApiResponse mismatch = f.call("PUT", kDeployments + "/web", renamed.dump());
  CHECK(mismatch.status == 400);
  CHECK(f.json(mismatch)["message"] == "the name of the object (other) does not match the name on the URL (web)");
}

TEST_CASE("api: an unchanged PUT keeps the resourceVersion") {
  SimFixture f;
  Json web = f.json(f.call("POST", kDeployments, deployment("web")));
  Json same = f.json(f.call("PUT", kDeployments + "/web", web.dump()));
  CHECK(same["metadata"]["resourceVersion"] == web["metadata"]["resourceVersion"]);
}

TEST_CASE("api: LIST pages with limit/continue and filters by selectors") {
  SimFixture f;
  for (int i = 0; i < 5; ++i) REQUIRE(f.call("POST", kDeployments, deployment("web-" + std::to_string(i))).status == 201);
  Json first = f.json(f.call("GET", kDeployments, "", "", {{"limit", "2"}}));
  CHECK(first["items"].size() == 2);
  CHECK(first["metadata"]["remainingItemCount"] == 3);
  std::string token = first["metadata"]["continue"];
  Json second = f.json(f.call("GET", kDeployments, "", "", {{"limit", "2"}, {"continue", token}}));
  CHECK(second["items"][0]["metadata"]["name"] == "web-2");
  CHECK(second["metadata"]["resourceVersion"] == first["metadata"]["resourceVersion"]);
  Json third = f.json(f.call("GET", kDeployments, "", "", {{"limit", "2"}, {"continue", second["metadata"]["continue"]}}));
  CHECK(third["items"].size() == 1);
  CHECK_FALSE(third["metadata"].contains("continue"));

  Json one = f.json(f.call("GET", kDeployments, "", "", {{"labelSelector", "app in (web-1,web-3)"}}));
  CHECK(one["items"].size() == 2);
  Json by_name = f.json(f.call("GET", "/apis/apps/v1/deployments", "", "", {{"fieldSelector", "metadata.name=web-4"}}));
  REQUIRE(by_name["items"].size() == 1);
  CHECK(by_name["items"][0]["metadata"]["name"] == "web-4");
  ApiResponse bad_field = f.call("GET", kDeployments, "", "", {{"fieldSelector", "spec.replicas=1"}});
  CHECK(bad_field.status == 400);
  CHECK(f.json(bad_field)["message"] == "field label not supported: spec.replicas");
  CHECK(f.call("GET", kDeployments, "", "", {{"continue", "garbage"}}).status == 400);
}

TEST_CASE("api: dryRun=All writes nothing") {
  SimFixture f;
  ApiResponse dry = f.call("POST", kDeployments, deployment("web"), "application/json", {{"dryRun", "All"}});
  CHECK(dry.status == 201);
  CHECK(f.call("GET", kDeployments + "/web").status == 404);
  ApiResponse bad = f.call("POST", kDeployments, deployment("web"), "application/json", {{"dryRun", "Some"}});
  CHECK(bad.status == 422);
}

TEST_CASE("api: DELETE answers Status for most kinds and finalizers delay it") {
  SimFixture f;
  Json web = f.json(f.call("POST", kDeployments, deployment("web")));
  ApiResponse gone = f.call("DELETE", kDeployments + "/web");
  CHECK(gone.status == 200);
  Json status = f.json(gone);
  CHECK(status["kind"] == "Status");
  CHECK(status["status"] == "Success");
  CHECK(status["details"]["uid"] == web["metadata"]["uid"]);
  CHECK(f.call("DELETE", kDeployments + "/web").status == 404);

  Json kept = Json::parse(deployment("kept"));
  kept["metadata"]["finalizers"] = {"example.com/hold"};
  REQUIRE(f.call("POST", kDeployments, kept.dump()).status == 201);
  Json pending = f.json(f.call("DELETE", kDeployments + "/kept"));
  CHECK(pending["metadata"].contains("deletionTimestamp"));
  CHECK(f.call("GET", kDeployments + "/kept").status == 200);
  ApiResponse forbidden = f.call("DELETE", "/api/v1/namespaces/default");
  CHECK(forbidden.status == 403);
  CHECK(f.json(forbidden)["message"] == "namespaces \"default\" is forbidden: this namespace may not be deleted");
}

TEST_CASE("api: deleting a namespace terminates it, empties it, then removes it") {
  SimFixture f;
  REQUIRE(f.call("POST", "/api/v1/namespaces", R"({"apiVersion":"v1","kind":"Namespace","metadata":{"name":"apps"}})").status == 201);
  REQUIRE(f.call("POST", "/apis/apps/v1/namespaces/apps/deployments", deployment("web")).status == 201);
  Json terminating = f.json(f.call("DELETE", "/api/v1/namespaces/apps"));
  CHECK(terminating["status"]["phase"] == "Terminating");
  ApiResponse refused = f.call("POST", "/apis/apps/v1/namespaces/apps/deployments", deployment("late"));
  CHECK(refused.status == 403);
  reconcile(*f.sim);
  reconcile(*f.sim);
  CHECK(f.call("GET", "/apis/apps/v1/namespaces/apps/deployments/web").status == 404);
  CHECK(f.call("GET", "/api/v1/namespaces/apps").status == 404);
}

TEST_CASE("api: a rollout becomes ready after the configured delay") {
  SimFixture f;
  REQUIRE(f.call("POST", kDeployments, deployment("web", 2)).status == 201);
  reconcile(*f.sim);
  Json progressing = f.json(f.call("GET", kDeployments + "/web"));
  CHECK(progressing["status"]["observedGeneration"] == 1);
  CHECK_FALSE(progressing["status"].contains("availableReplicas"));
  f.clock.advance(std::chrono::seconds(1));
  reconcile(*f.sim);
  Json ready = f.json(f.call("GET", kDeployments + "/web"));
  CHECK(ready["status"]["availableReplicas"] == 2);
  CHECK(ready["status"]["readyReplicas"] == 2);
  CHECK(ready["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "1");
}

TEST_CASE("api: PATCH with an unknown content type is 415") {
  SimFixture f;
  REQUIRE(f.call("POST", kDeployments, deployment("web")).status == 201);
  ApiResponse r = f.call("PATCH", kDeployments + "/web", "{}", "text/plain");
  CHECK(r.status == 415);
  CHECK(f.json(r)["reason"] == "UnsupportedMediaType");
  ApiResponse no_manager = f.call("PATCH", kDeployments + "/web", deployment("web"), "application/apply-patch+yaml");
  CHECK(no_manager.status == 422);
}

TEST_CASE("api: watch streams the current objects then changes") {
  SimFixture f;
  REQUIRE(f.call("POST", kDeployments, deployment("web")).status == 201);
  ApiResponse w = f.call("GET", kDeployments, "", "", {{"watch", "true"}, {"timeoutSeconds", "5"}});
  REQUIRE(w.stream);
  std::string chunk;
  REQUIRE(w.stream(chunk));
  CHECK(chunk.find(R"("type":"ADDED")") != std::string::npos);
  REQUIRE(f.call("DELETE", kDeployments + "/web").status == 200);
  std::string next;
  REQUIRE(w.stream(next));
  CHECK(next.find(R"("type":"DELETED")") != std::string::npos);
}

TEST_CASE("api: server-side apply creates (201), re-applies without a new version, and reports conflicts") {
  SimFixture f;
  auto apply = [&](const std::string& body, const std::string& manager, bool force = false) {
    std::multimap<std::string, std::string> q = {{"fieldManager", manager}};
    if (force) q.emplace("force", "true");
    return f.call("PATCH", kDeployments + "/web", body, "application/apply-patch+yaml", q);
  };
  ApiResponse created = apply(deployment("web", 2), "claw");
  REQUIRE(created.status == 201);
  std::string rv = f.json(created)["metadata"]["resourceVersion"];
  ApiResponse again = apply(deployment("web", 2), "claw");
  CHECK(again.status == 200);
  CHECK(f.json(again)["metadata"]["resourceVersion"] == rv);

  ApiResponse clash = apply(deployment("web", 5), "other");
  REQUIRE(clash.status == 409);
  Json status = f.json(clash);
  CHECK(status["reason"] == "Conflict");
  CHECK(status["message"] == "Apply failed with 1 conflict: conflict with \"claw\": .spec.replicas");
  CHECK(status["details"]["causes"][0]["field"] == ".spec.replicas");

  ApiResponse forced = apply(deployment("web", 5), "other", true);
  REQUIRE(forced.status == 200);
  Json web = f.json(forced);
  CHECK(web["spec"]["replicas"] == 5);
  CHECK(web["metadata"]["generation"] == 2);
  bool other_owns_replicas = false;
  for (const Json& m : web["metadata"]["managedFields"]) {
    if (m["manager"] == "other") other_owns_replicas = m["fieldsV1"]["f:spec"].contains("f:replicas");
  }
  CHECK(other_owns_replicas);
}

TEST_CASE("api: apply config quantities compare canonically, so an equal value is no conflict") {
  SimFixture f;
  Json d = Json::parse(deployment("web"));
  d["spec"]["template"]["spec"]["containers"][0]["resources"] = {{"requests", {{"cpu", "0.5"}, {"memory", "1024Mi"}}}};
  REQUIRE(f.call("PATCH", kDeployments + "/web", d.dump(), "application/apply-patch+yaml", {{"fieldManager", "a"}}).status == 201);
  Json live = f.json(f.call("GET", kDeployments + "/web"));
  CHECK(live["spec"]["template"]["spec"]["containers"][0]["resources"]["requests"]["cpu"] == "500m");
  CHECK(live["spec"]["template"]["spec"]["containers"][0]["resources"]["requests"]["memory"] == "1Gi");
  ApiResponse b = f.call("PATCH", kDeployments + "/web", d.dump(), "application/apply-patch+yaml", {{"fieldManager", "b"}});
  CHECK(b.status == 200);
}

TEST_CASE("api: a CRD created through the API serves its kind, in discovery too") {
  SimFixture f;
  Json crd = {{"apiVersion", "apiextensions.k8s.io/v1"},
              {"kind", "CustomResourceDefinition"},
              {"metadata", {{"name", "widgets.example.com"}}},
              {"spec",
               {{"group", "example.com"},
                {"scope", "Namespaced"},
                {"names", {{"kind", "Widget"}, {"plural", "widgets"}, {"singular", "widget"}}},
                {"versions", Json::array({{{"name", "v1"}, {"served", true}, {"storage", true},
                                           {"schema", {{"openAPIV3Schema", {{"type", "object"},
                                             {"properties", {{"spec", {{"type", "object"},
                                               {"properties", {{"size", {{"type", "integer"}}}}}}}}}}}}}}})}}}};
  REQUIRE(f.call("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd.dump()).status == 201);
  Json groups = f.json(f.call("GET", "/apis"));
  bool listed = false;
  for (const Json& g : groups["groups"]) listed = listed || g["name"] == "example.com";
  CHECK(listed);
  std::string widgets = "/apis/example.com/v1/namespaces/default/widgets";
  Json w = {{"apiVersion", "example.com/v1"}, {"kind", "Widget"}, {"metadata", {{"name", "w"}}}, {"spec", {{"size", 3}}}};
  REQUIRE(f.call("POST", widgets, w.dump()).status == 201);
  Json listed_items = f.json(f.call("GET", widgets));
  CHECK(listed_items["items"][0]["kind"] == "Widget");  // custom resources keep their kind in lists
  w["spec"]["size"] = "big";
  w["metadata"]["name"] = "bad";
  ApiResponse bad = f.call("POST", widgets, w.dump());
  CHECK(bad.status == 422);
  CHECK(f.call("PATCH", widgets + "/w", "{}", "application/strategic-merge-patch+json").status == 415);
  reconcile(*f.sim);
  Json stored = f.json(f.call("GET", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com"));
  CHECK(stored["status"]["conditions"][1]["type"] == "Established");
  REQUIRE(f.call("DELETE", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com").status == 200);
  CHECK(f.call("GET", widgets).status == 404);
}

TEST_CASE("api: Leases take optimistic concurrency, as an apply lock needs") {
  SimFixture f;
  std::string leases = "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases";
  Json lease = {{"apiVersion", "coordination.k8s.io/v1"}, {"kind", "Lease"}, {"metadata", {{"name", "claw-apply"}}},
                {"spec", {{"holderIdentity", "a"}, {"leaseDurationSeconds", 30}}}};
  Json held = f.json(f.call("POST", leases, lease.dump()));
  CHECK(f.call("POST", leases, lease.dump()).status == 409);
  Json take = held;
  take["spec"]["holderIdentity"] = "b";
  REQUIRE(f.call("PUT", leases + "/claw-apply", take.dump()).status == 200);
  take["spec"]["holderIdentity"] = "c";  // still the old resourceVersion: someone else won
  CHECK(f.call("PUT", leases + "/claw-apply", take.dump()).status == 409);
}

TEST_CASE("api: kubectl get's Accept header gets a Table") {
  SimFixture f;
  REQUIRE(f.call("POST", kDeployments, deployment("web", 2)).status == 201);
  ApiRequest r;
  r.method = "GET";
  r.path = kDeployments;
  r.headers["accept"] = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";
  Json table = Json::parse(handle_request(*f.sim, r).body);
  CHECK(table["kind"] == "Table");
  CHECK(table["columnDefinitions"][1]["name"] == "Ready");
  CHECK(table["rows"][0]["cells"][0] == "web");
}

TEST_CASE("api: a watch from a resourceVersion the log no longer holds ends with 410 Expired") {
  SimFixture f;
  for (int i = 0; i < 20005; ++i) f.sim->store.next_resource_version();
  for (int i = 0; i < 3; ++i) REQUIRE(f.call("POST", kDeployments, deployment("w" + std::to_string(i))).status == 201);
  // Log more changes than it keeps, so that version 1 is forgotten.
  Json web = f.json(f.call("GET", kDeployments + "/w0"));
  for (int i = 0; i < 20001; ++i) {
    web["metadata"]["labels"]["n"] = std::to_string(i);
    web = f.json(f.call("PUT", kDeployments + "/w0", web.dump()));
  }
  ApiResponse w = f.call("GET", kDeployments, "", "", {{"watch", "true"}, {"resourceVersion", "2"}});
  REQUIRE(w.stream);
  std::string chunk;
  REQUIRE(w.stream(chunk));
  CHECK(chunk.find(R"("type":"ERROR")") != std::string::npos);
  CHECK(chunk.find(R"("code":410)") != std::string::npos);
}

TEST_CASE("api: access reviews are answered, not stored: the kubeconfig's user may do everything") {
  SimFixture f;
  Json review = {{"apiVersion", "authorization.k8s.io/v1"}, {"kind", "SelfSubjectAccessReview"},
                 {"spec", {{"resourceAttributes", {{"verb", "delete"}, {"resource", "deployments"}}}}}};
  ApiResponse r = f.call("POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", review.dump());
  CHECK(r.status == 201);
  CHECK(f.json(r)["status"]["allowed"] == true);
  Json who = {{"apiVersion", "authentication.k8s.io/v1"}, {"kind", "SelfSubjectReview"}};
  Json me = f.json(f.call("POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews", who.dump()));
  CHECK(me["status"]["userInfo"]["username"] == "claw-admin");
}

TEST_CASE("api: a restarted sim serves custom resources stored with their CRD") {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("claw-sim-restart-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  FakeClock clock;
  std::string widgets = "/apis/example.com/v1/namespaces/default/widgets";
  auto call = [](SimState& sim, std::string method, std::string path, std::string body = "") {
    ApiRequest r;
    r.method = std::move(method);
    r.path = std::move(path);
    r.body = std::move(body);
    r.headers["content-type"] = "application/json";
    return handle_request(sim, r);
  };
  {
    SimState sim(disk_state(dir), clock, SimOptions{});
    Json crd = {{"apiVersion", "apiextensions.k8s.io/v1"}, {"kind", "CustomResourceDefinition"},
                {"metadata", {{"name", "widgets.example.com"}}},
                {"spec", {{"group", "example.com"}, {"scope", "Namespaced"},
                          {"names", {{"kind", "Widget"}, {"plural", "widgets"}}},
                          {"versions", Json::array({{{"name", "v1"}, {"served", true}, {"storage", true}}})}}}};
    REQUIRE(call(sim, "POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd.dump()).status == 201);
    Json w = {{"apiVersion", "example.com/v1"}, {"kind", "Widget"}, {"metadata", {{"name", "w"}}}};
    REQUIRE(call(sim, "POST", widgets, w.dump()).status == 201);
  }
  SimState again(disk_state(dir), clock, SimOptions{});
  CHECK(call(again, "GET", widgets + "/w").status == 200);
  fs::remove_all(dir);
}
