// The --wait loop against a FakeTransport and a fake clock (rounds,
// timeout, a failed Job, one LIST per kind), and against a real claw-sim
// whose controllers make a Deployment ready after --ready-after and keep
// one --never-ready.
#include "runtime/apply/wait.h"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "runtime/cluster/curl_transport.h"
#include "runtime/cluster/fake_transport.h"
#include "tests/runtime/sim_process.h"

using namespace claw::apply;
using claw::cluster::Discovery;
using claw::cluster::FakeTransport;
using claw::cluster::Request;
using claw::cluster::Response;
using claw::emit::ObjectRef;
using Json = nlohmann::json;
using std::chrono::milliseconds;

namespace {

class FakeClock : public WaitClock {
 public:
  std::chrono::steady_clock::time_point now() override { return now_; }
  void sleep_for(milliseconds d) override {
    sleeps.push_back(d);
    now_ += d;
  }
  std::vector<milliseconds> sleeps;

 private:
  std::chrono::steady_clock::time_point now_{};
};

Response json_response(int status, const Json& doc) {
  Response r;
  r.status = status;
  r.body = doc.dump();
  r.headers["content-type"] = "application/json";
  return r;
}

Response status_response(int code, const std::string& reason, const std::string& message) {
  return json_response(code, {{"kind", "Status"}, {"apiVersion", "v1"}, {"status", "Failure"},
                              {"message", message}, {"reason", reason}, {"code", code}});
}

Json resource(const char* name, const char* kind, bool namespaced) {
  return {{"name", name}, {"singularName", ""}, {"namespaced", namespaced}, {"kind", kind},
          {"verbs", {"create", "delete", "get", "list", "patch", "update", "watch"}}};
}

// The legacy discovery documents of a server with core, apps and batch.
Discovery test_discovery() {
  FakeTransport t([](const Request& r) {
    if (r.path == "/api") return json_response(200, {{"kind", "APIVersions"}, {"versions", {"v1"}}});
    if (r.path == "/apis") {
      auto group = [](const char* g) {
        std::string gv = std::string(g) + "/v1";
        return Json{{"name", g},
                    {"versions", {{{"groupVersion", gv}, {"version", "v1"}}}},
                    {"preferredVersion", {{"groupVersion", gv}, {"version", "v1"}}}};
      };
      return json_response(200, {{"kind", "APIGroupList"}, {"apiVersion", "v1"},
                                 {"groups", {group("apps"), group("batch")}}});
    }
    if (r.path == "/api/v1") {
      return json_response(200, {{"kind", "APIResourceList"}, {"groupVersion", "v1"},
                                 {"resources", {resource("services", "Service", true),
                                                resource("namespaces", "Namespace", false)}}});
    }
    if (r.path == "/apis/apps/v1") {
      return json_response(200, {{"kind", "APIResourceList"}, {"apiVersion", "v1"}, {"groupVersion", "apps/v1"},
                                 {"resources", {resource("deployments", "Deployment", true),
                                                resource("statefulsets", "StatefulSet", true),
                                                resource("daemonsets", "DaemonSet", true)}}});
    }
    if (r.path == "/apis/batch/v1") {
      return json_response(200, {{"kind", "APIResourceList"}, {"apiVersion", "v1"}, {"groupVersion", "batch/v1"},
                                 {"resources", {resource("jobs", "Job", true), resource("cronjobs", "CronJob", true)}}});
    }
    return status_response(404, "NotFound", "the server could not find the requested resource");
  });
  auto d = Discovery::load(t);
  REQUIRE_MESSAGE(d.has_value(), d.error());
  return std::move(*d);
}

// A Deployment as claw-sim's controller writes it: generation 1, `want`
// replicas all updated, `available` of them available.
Json deployment(const std::string& ns, const std::string& name, int observed, int want, int available) {
  Json status = {{"observedGeneration", observed}, {"replicas", want}, {"updatedReplicas", want}};
  if (available > 0) status["availableReplicas"] = available;
  return {{"metadata", {{"namespace", ns}, {"name", name}, {"generation", 1}}},
          {"spec", {{"replicas", want}}},
          {"status", status}};
}

Json statefulset(const std::string& ns, const std::string& name, int ready) {
  Json status = {{"observedGeneration", 1}, {"replicas", 1}, {"updatedReplicas", 1}, {"currentReplicas", 1},
                 {"currentRevision", name + "-7f9c"}, {"updateRevision", name + "-7f9c"}};
  if (ready > 0) status["readyReplicas"] = ready;
  return {{"metadata", {{"namespace", ns}, {"name", name}, {"generation", 1}}},
          {"spec", {{"replicas", 1}, {"updateStrategy", {{"type", "RollingUpdate"}, {"rollingUpdate", {{"partition", 0}}}}}}},
          {"status", status}};
}

Json list(const char* kind, std::vector<Json> items) {
  return {{"kind", kind}, {"apiVersion", "apps/v1"}, {"metadata", {{"resourceVersion", "42"}}}, {"items", items}};
}

}  // namespace

TEST_CASE("wait: ready on round 3, one LIST per kind per round, a sleep between rounds") {
  const Discovery discovery = test_discovery();
  int deployment_lists = 0;
  FakeTransport t([&](const Request& r) {
    if (r.path == "/apis/apps/v1/namespaces/apps/deployments") {
      ++deployment_lists;
      int observed = deployment_lists == 1 ? 0 : 1;
      int available = deployment_lists >= 3 ? 3 : deployment_lists - 1;
      return json_response(200, list("DeploymentList", {deployment("apps", "web", observed, 3, available),
                                                        deployment("apps", "api", 1, 1, 1),
                                                        deployment("apps", "unrelated", 1, 1, 0)}));
    }
    if (r.path == "/apis/apps/v1/namespaces/data/statefulsets") {
      return json_response(200, list("StatefulSetList", {statefulset("data", "db", deployment_lists >= 2 ? 1 : 0)}));
    }
    return status_response(404, "NotFound", "unexpected request " + r.path);
  });
  const std::vector<ObjectRef> objects = {
      {"apps", "v1", "Deployment", "apps", "web"},     {"", "v1", "Service", "apps", "web"},
      {"apps", "v1", "Deployment", "apps", "api"},     {"apps", "v1", "StatefulSet", "data", "db"},
      {"batch", "v1", "CronJob", "apps", "nightly"},
  };
  FakeClock clock;
  WaitOptions options;
  options.timeout = std::chrono::seconds(60);
  options.poll_interval = std::chrono::seconds(2);
  std::vector<size_t> ready_per_round;
  std::vector<std::string> web_reasons;
  WaitReport report = wait_ready(t, discovery, objects, options, clock, [&](const WaitReport& so_far) {
    ready_per_round.push_back(so_far.ready_count());
    web_reasons.push_back(so_far.objects[0].readiness.reason);
  });
  CHECK(report.all_ready());
  CHECK_FALSE(report.timed_out);
  CHECK(report.rounds == 3);
  CHECK(report.describe_problems().empty());
  CHECK(t.requests().size() == 6);
  for (const Request& r : t.requests()) CHECK(r.method == "GET");
  CHECK(clock.sleeps == std::vector<milliseconds>{milliseconds(2000), milliseconds(2000)});
  // Service and CronJob at once; api from round 1; db from round 2; web at 3.
  CHECK(ready_per_round == std::vector<size_t>{3, 4, 5});
  CHECK(web_reasons == std::vector<std::string>{
                           "Waiting for deployment spec update to be observed...",
                           "Waiting for deployment \"web\" rollout to finish: 1 of 3 updated replicas are available...",
                           "deployment \"web\" successfully rolled out"});
  REQUIRE(report.objects.size() == objects.size());
  for (size_t i = 0; i < objects.size(); ++i) CHECK(report.objects[i].ref == objects[i]);
}

TEST_CASE("wait: times out at the deadline, the last round at the deadline itself") {
  const Discovery discovery = test_discovery();
  FakeTransport t([&](const Request&) {
    return json_response(200, list("DeploymentList", {deployment("apps", "web", 1, 2, 2),
                                                      deployment("apps", "stuck", 1, 2, 0)}));
  });
  const std::vector<ObjectRef> objects = {{"apps", "v1", "Deployment", "apps", "web"},
                                          {"apps", "v1", "Deployment", "apps", "stuck"}};
  FakeClock clock;
  WaitOptions options;
  options.timeout = std::chrono::seconds(10);
  options.poll_interval = std::chrono::seconds(3);
  WaitReport report = wait_ready(t, discovery, objects, options, clock);
  CHECK(report.timed_out);
  CHECK_FALSE(report.all_ready());
  CHECK(report.rounds == 5);  // at 0, 3, 6, 9 and 10 seconds
  CHECK(clock.sleeps == std::vector<milliseconds>{milliseconds(3000), milliseconds(3000), milliseconds(3000),
                                                  milliseconds(1000)});
  auto pending = report.not_ready();
  REQUIRE(pending.size() == 1);
  CHECK(pending[0]->ref.name == "stuck");
  CHECK_FALSE(pending[0]->readiness.failed);
  CHECK(report.describe_problems() ==
        "timed out: 1 of 2 objects not ready:\n"
        "  Deployment apps/stuck: Waiting for deployment \"stuck\" rollout to finish: 0 of 2 updated replicas are "
        "available...\n");
}

TEST_CASE("wait: a failed Job ends the wait at once, with the job controller's message") {
  const Discovery discovery = test_discovery();
  int rounds = 0;
  FakeTransport t([&](const Request& r) {
    REQUIRE(r.path == "/apis/batch/v1/namespaces/ops/jobs");
    ++rounds;
    Json status = {{"startTime", "2026-12-05T06:52:33Z"}, {"active", 1}, {"failed", rounds - 1}};
    if (rounds == 2) {
      status = {{"failed", 7},
                {"conditions", {{{"type", "Failed"}, {"status", "True"}, {"reason", "BackoffLimitExceeded"},
                                 {"message", "Job has reached the specified backoff limit"}}}}};
    }
    Json job = {{"metadata", {{"namespace", "ops"}, {"name", "migrate"}}}, {"status", status}};
    return json_response(200, {{"kind", "JobList"}, {"items", {job}}});
  });
  FakeClock clock;
  WaitReport report = wait_ready(t, discovery, {{"batch", "v1", "Job", "ops", "migrate"}}, WaitOptions{}, clock);
  CHECK(report.rounds == 2);
  CHECK_FALSE(report.timed_out);
  REQUIRE(report.objects.size() == 1);
  CHECK(report.objects[0].readiness.failed);
  CHECK(report.describe_problems() ==
        "1 of 1 objects will not become ready:\n"
        "  failed Job ops/migrate: job \"migrate\" failed: BackoffLimitExceeded: Job has reached the specified "
        "backoff limit\n");
}

TEST_CASE("wait: objects in several namespaces share one LIST across namespaces, with the label selector") {
  const Discovery discovery = test_discovery();
  FakeTransport t([&](const Request&) {
    return json_response(200, list("DeploymentList", {deployment("a", "web", 1, 1, 1), deployment("c", "web", 1, 1, 1)}));
  });
  const std::vector<ObjectRef> objects = {{"apps", "v1", "Deployment", "a", "web"},
                                          {"apps", "v1", "Deployment", "b", "web"},
                                          {"apps", "v1", "Deployment", "c", "web"}};
  FakeClock clock;
  WaitOptions options;
  options.timeout = milliseconds(0);
  options.label_selector = "app.kubernetes.io/managed-by=claw,claw.dev/project=infra";
  WaitReport report = wait_ready(t, discovery, objects, options, clock);
  REQUIRE(t.requests().size() == 1);
  CHECK(t.requests()[0].path ==
        "/apis/apps/v1/deployments?labelSelector=app.kubernetes.io%2Fmanaged-by%3Dclaw%2Cclaw.dev%2Fproject%3Dinfra");
  CHECK(report.timed_out);
  CHECK(report.rounds == 1);
  CHECK(report.objects[0].readiness.ready);
  CHECK(report.objects[1].readiness.reason == "Deployment b/web not found");
  CHECK(report.objects[2].readiness.ready);
}

TEST_CASE("wait: LIST errors: a 503 or a lost connection is retried, a 403 fails") {
  const Discovery discovery = test_discovery();
  struct Case {
    const char* name;
    Response first;
    bool failed;
    int rounds;
    std::string reason_after_first;
  };
  Response dropped;
  dropped.error = "Connection reset by peer";
  const Case cases[] = {
      {"503", status_response(503, "ServiceUnavailable", "the server is currently unable to handle the request"), false,
       2, "listing deployments failed: HTTP 503: the server is currently unable to handle the request"},
      {"no answer", dropped, false, 2, "listing deployments failed: Connection reset by peer"},
      {"403",
       status_response(403, "Forbidden",
                       "deployments.apps is forbidden: User \"ci\" cannot list resource \"deployments\" in API group "
                       "\"apps\" in the namespace \"apps\""),
       true, 1,
       "listing deployments failed: HTTP 403: deployments.apps is forbidden: User \"ci\" cannot list resource "
       "\"deployments\" in API group \"apps\" in the namespace \"apps\""},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    int calls = 0;
    FakeTransport t([&](const Request&) {
      return ++calls == 1 ? c.first : json_response(200, list("DeploymentList", {deployment("apps", "web", 1, 1, 1)}));
    });
    FakeClock clock;
    std::vector<std::string> reasons;
    WaitReport report = wait_ready(t, discovery, {{"apps", "v1", "Deployment", "apps", "web"}}, WaitOptions{}, clock,
                                   [&](const WaitReport& r) { reasons.push_back(r.objects[0].readiness.reason); });
    CHECK(report.rounds == c.rounds);
    CHECK(report.objects[0].readiness.failed == c.failed);
    CHECK(report.all_ready() == !c.failed);
    REQUIRE_FALSE(reasons.empty());
    CHECK(reasons[0] == c.reason_after_first);
  }
}

TEST_CASE("wait: nothing to wait for, or a kind the server does not serve: no LIST at all") {
  const Discovery discovery = test_discovery();
  FakeTransport t([&](const Request&) { return status_response(500, "InternalError", "unexpected"); });
  FakeClock clock;
  WaitReport none = wait_ready(t, discovery,
                               {{"", "v1", "Service", "apps", "web"}, {"batch", "v1", "CronJob", "apps", "nightly"}},
                               WaitOptions{}, clock);
  CHECK(none.all_ready());
  CHECK(none.rounds == 0);
  WaitReport unknown = wait_ready(t, discovery,
                                  {{"apps", "v1beta2", "Deployment", "apps", "old"}, {"apps", "v1", "Deployment", "apps", "web"}},
                                  WaitOptions{}, clock);
  CHECK(unknown.rounds == 0);
  CHECK(unknown.objects[0].readiness.failed);
  CHECK(unknown.objects[0].readiness.reason.find("v1beta2") != std::string::npos);
  CHECK(t.requests().empty());
  CHECK(clock.sleeps.empty());
}

namespace {

// A one-replica Deployment applied server-side as claw would.
Request apply_deployment(const std::string& name) {
  Json body = {{"apiVersion", "apps/v1"},
               {"kind", "Deployment"},
               {"metadata", {{"name", name}, {"namespace", "default"}}},
               {"spec",
                {{"replicas", 1},
                 {"selector", {{"matchLabels", {{"app", name}}}}},
                 {"template",
                  {{"metadata", {{"labels", {{"app", name}}}}},
                   {"spec", {{"containers", {{{"name", name}, {"image", "nginx:1.27"}}}}}}}}}}};
  return {"PATCH", "/apis/apps/v1/namespaces/default/deployments/" + name + "?fieldManager=claw",
          "application/apply-patch+yaml", body.dump(), true};
}

}  // namespace

TEST_CASE("wait: against claw-sim, one Deployment becomes ready and the never-ready one is reported") {
  claw::test::SimProcess sim({"--ready-after", "200", "--never-ready", "stuck"});
  REQUIRE(sim.ok());
  auto transport = claw::cluster::CurlTransport::create(sim.endpoint());
  REQUIRE(transport.has_value());
  auto discovery = Discovery::load(**transport);
  REQUIRE_MESSAGE(discovery.has_value(), discovery.error());
  for (const char* name : {"web", "stuck"}) {
    Response r = (*transport)->perform(apply_deployment(name));
    REQUIRE_MESSAGE(r.status / 100 == 2, r.body);
  }
  auto clock = system_wait_clock();
  const ObjectRef web{"apps", "v1", "Deployment", "default", "web"};
  const ObjectRef stuck{"apps", "v1", "Deployment", "default", "stuck"};

  // web alone: ready ~200 ms after its apply, well before a long timeout.
  WaitOptions generous;
  generous.timeout = milliseconds(20'000);
  generous.poll_interval = milliseconds(50);
  const uint64_t before = (*transport)->requests_sent();
  WaitReport ready = wait_ready(**transport, *discovery, {web}, generous, *clock);
  CHECK_FALSE(ready.timed_out);
  CHECK(ready.all_ready());
  CHECK(ready.objects[0].readiness.reason == "deployment \"web\" successfully rolled out");
  CHECK((*transport)->requests_sent() - before == static_cast<uint64_t>(ready.rounds));

  // Both, with a short timeout: stuck never becomes ready and is reported.
  WaitOptions short_wait;
  short_wait.timeout = milliseconds(300);
  short_wait.poll_interval = milliseconds(100);
  WaitReport report = wait_ready(**transport, *discovery, {web, stuck}, short_wait, *clock);
  CHECK(report.timed_out);
  CHECK(report.rounds >= 2);
  CHECK(report.objects[0].readiness.ready);
  CHECK_FALSE(report.objects[1].readiness.ready);
  CHECK(report.objects[1].readiness.reason ==
        "Waiting for deployment \"stuck\" rollout to finish: 0 of 1 updated replicas are available...");
  CHECK(report.describe_problems().find("Deployment default/stuck: ") != std::string::npos);
}
