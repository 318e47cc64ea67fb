// Readiness of live workloads: the cases of kubectl's own table tests
// (staging/src/k8s.io/kubectl/pkg/polymorphichelpers/rollout_status_test.go,
// expected sentences copied from there without their trailing newline),
// objects claw-sim's controllers wrote (tests/runtime/data/plan/), and Jobs
// shaped as the job controller leaves them.
#include "runtime/apply/readiness.h"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "tests/runtime/plan_fixtures.h"

using namespace claw::apply;
using Json = nlohmann::json;

namespace {

struct Case {
  const char* name;
  Json object;
  bool ready;
  bool failed;
  std::string reason;
};

void check_cases(const char* group, const char* kind, const std::vector<Case>& cases) {
  for (const Case& c : cases) {
    CAPTURE(c.name);
    Readiness r = readiness(group, kind, c.object);
    CHECK(r.ready == c.ready);
    CHECK(r.failed == c.failed);
    CHECK(r.reason == c.reason);
  }
}

// A Deployment "foo" as kubectl's test builds it.
Json deployment(int generation, int spec_replicas, int observed, int replicas, int updated, int available) {
  return {{"apiVersion", "apps/v1"},
          {"kind", "Deployment"},
          {"metadata", {{"namespace", "bar"}, {"name", "foo"}, {"generation", generation}}},
          {"spec", {{"replicas", spec_replicas}}},
          {"status",
           {{"observedGeneration", observed}, {"replicas", replicas}, {"updatedReplicas", updated},
            {"availableReplicas", available}}}};
}

Json daemonset(int generation, int observed, int updated, int desired, int available,
               const char* strategy = "RollingUpdate") {
  return {{"apiVersion", "apps/v1"},
          {"kind", "DaemonSet"},
          {"metadata", {{"namespace", "bar"}, {"name", "foo"}, {"generation", generation}}},
          {"spec", {{"updateStrategy", {{"type", strategy}}}}},
          {"status",
           {{"observedGeneration", observed}, {"updatedNumberScheduled", updated}, {"desiredNumberScheduled", desired},
            {"numberAvailable", available}}}};
}

Json statefulset(int generation, Json strategy, Json status) {
  return {{"apiVersion", "apps/v1"},
          {"kind", "StatefulSet"},
          {"metadata", {{"namespace", "default"}, {"name", "foo"}, {"generation", generation}}},
          {"spec", {{"replicas", 3}, {"updateStrategy", std::move(strategy)}}},
          {"status", std::move(status)}};
}

Json job(Json status, bool suspend = false) {
  return {{"apiVersion", "batch/v1"},
          {"kind", "Job"},
          {"metadata", {{"namespace", "batch"}, {"name", "migrate"}, {"generation", 1}}},
          {"spec", {{"completions", 1}, {"parallelism", 1}, {"backoffLimit", 6}, {"suspend", suspend}}},
          {"status", std::move(status)}};
}

}  // namespace

TEST_CASE("readiness: Deployment as kubectl rollout status") {
  Json deadline = deployment(1, 2, 1, 2, 1, 1);
  deadline["status"]["conditions"] = Json::array(
      {{{"type", "Available"}, {"status", "False"}, {"reason", "MinimumReplicasUnavailable"}},
       {{"type", "Progressing"}, {"status", "False"}, {"reason", "ProgressDeadlineExceeded"},
        {"message", "ReplicaSet \"foo-5d8f\" has timed out progressing."}}});
  Json unset_replicas = deployment(1, 0, 1, 0, 0, 0);
  unset_replicas["spec"].erase("replicas");
  check_cases("apps", "Deployment",
              {
                  {"kubectl test1", deployment(0, 1, 1, 1, 0, 1), false, false,
                   "Waiting for deployment \"foo\" rollout to finish: 0 out of 1 new replicas have been updated..."},
                  {"kubectl test2", deployment(1, 1, 1, 2, 1, 2), false, false,
                   "Waiting for deployment \"foo\" rollout to finish: 1 old replicas are pending termination..."},
                  {"kubectl test3", deployment(1, 2, 1, 2, 2, 1), false, false,
                   "Waiting for deployment \"foo\" rollout to finish: 1 of 2 updated replicas are available..."},
                  {"kubectl test4", deployment(1, 2, 1, 2, 2, 2), true, false,
                   "deployment \"foo\" successfully rolled out"},
                  {"kubectl test5", deployment(2, 2, 1, 2, 2, 2), false, false,
                   "Waiting for deployment spec update to be observed..."},
                  {"progress deadline exceeded", deadline, false, true,
                   "deployment \"foo\" exceeded its progress deadline"},
                  {"spec.replicas unset is not compared", unset_replicas, true, false,
                   "deployment \"foo\" successfully rolled out"},
                  {"claw-sim, rolled out", claw::plan::test::fixture("deployment.live"), true, false,
                   "deployment \"embedder\" successfully rolled out"},
                  {"claw-sim, scaled to 5, none available yet", claw::plan::test::fixture("deployment.live-scaled"),
                   false, false,
                   "Waiting for deployment \"embedder\" rollout to finish: 0 of 5 updated replicas are available..."},
              });
}

TEST_CASE("readiness: DaemonSet as kubectl rollout status") {
  Json no_status = daemonset(1, 0, 0, 0, 0);
  no_status.erase("status");
  check_cases("apps", "DaemonSet",
              {
                  {"kubectl test1", daemonset(0, 1, 0, 1, 0), false, false,
                   "Waiting for daemon set \"foo\" rollout to finish: 0 out of 1 new pods have been updated..."},
                  {"kubectl test2", daemonset(1, 1, 2, 2, 1), false, false,
                   "Waiting for daemon set \"foo\" rollout to finish: 1 of 2 updated pods are available..."},
                  {"kubectl test3", daemonset(1, 1, 2, 2, 2), true, false, "daemon set \"foo\" successfully rolled out"},
                  {"kubectl test4", daemonset(2, 1, 2, 2, 2), false, false,
                   "Waiting for daemon set spec update to be observed..."},
                  {"not yet seen by the controller", no_status, false, false,
                   "Waiting for daemon set spec update to be observed..."},
                  {"OnDelete: done, nothing rolls out", daemonset(2, 1, 0, 2, 0, "OnDelete"), true, false,
                   "daemon set \"foo\": rollout status is only available for RollingUpdate strategy type"},
              });
}

TEST_CASE("readiness: StatefulSet as kubectl rollout status") {
  const Json rolling = {{"type", "RollingUpdate"}};
  const Json partition2 = {{"type", "RollingUpdate"}, {"rollingUpdate", {{"partition", 2}}}};
  check_cases(
      "apps", "StatefulSet",
      {
          {"on delete", statefulset(1, {{"type", "OnDelete"}}, {{"observedGeneration", 1}, {"readyReplicas", 1}}), true,
           false, "statefulset \"foo\": rollout status is only available for RollingUpdate strategy type"},
          {"unobserved update is not complete",
           statefulset(2, rolling,
                       {{"observedGeneration", 1}, {"replicas", 3}, {"readyReplicas", 3}, {"currentReplicas", 3}}),
           false, false, "Waiting for statefulset spec update to be observed..."},
          {"observedGeneration 0 is not observed", statefulset(0, rolling, Json::object()), false, false,
           "Waiting for statefulset spec update to be observed..."},
          {"if all pods are not ready the update is not complete",
           statefulset(1, rolling,
                       {{"observedGeneration", 2}, {"replicas", 3}, {"readyReplicas", 2}, {"currentReplicas", 3}}),
           false, false, "Waiting for 1 pods to be ready..."},
          {"partition update completes when all replicas above the partition are updated",
           statefulset(1, partition2,
                       {{"observedGeneration", 2}, {"replicas", 3}, {"readyReplicas", 3}, {"currentReplicas", 2},
                        {"updatedReplicas", 1}}),
           true, false, "partitioned roll out complete: 1 new pods have been updated..."},
          // kubectl returns done=false here (its table says true but checks
          // only that done is not wrongly true).
          {"partition update is in progress if all pods above the partition have not been updated",
           statefulset(1, partition2,
                       {{"observedGeneration", 2}, {"replicas", 3}, {"readyReplicas", 3}, {"currentReplicas", 3},
                        {"updatedReplicas", 0}}),
           false, false, "Waiting for partitioned roll out to finish: 0 out of 1 new pods have been updated..."},
          {"update completes when all replicas are current",
           statefulset(1, rolling,
                       {{"observedGeneration", 2}, {"replicas", 3}, {"readyReplicas", 3}, {"currentReplicas", 3},
                        {"updatedReplicas", 3}, {"currentRevision", "foo"}, {"updateRevision", "foo"}}),
           true, false, "statefulset rolling update complete 3 pods at revision foo..."},
          {"rolling update between revisions",
           statefulset(1, rolling,
                       {{"observedGeneration", 1}, {"replicas", 3}, {"readyReplicas", 3}, {"currentReplicas", 2},
                        {"updatedReplicas", 1}, {"currentRevision", "foo-1"}, {"updateRevision", "foo-2"}}),
           false, false, "waiting for statefulset rolling update to complete 1 pods at revision foo-2..."},
          {"claw-sim, pod not ready yet", claw::plan::test::fixture("statefulset.live"), false, false,
           "Waiting for 1 pods to be ready..."},
      });
}

TEST_CASE("readiness: claw-sim's StatefulSet once its pod is ready: the defaulted partition decides") {
  Json sts = claw::plan::test::fixture("statefulset.live");
  REQUIRE(sts.is_object());
  sts["status"]["readyReplicas"] = 1;
  sts["status"]["availableReplicas"] = 1;
  Readiness r = readiness("apps", "StatefulSet", sts);
  CHECK(r.ready);
  CHECK(r.reason == "partitioned roll out complete: 1 new pods have been updated...");
}

TEST_CASE("readiness: Job complete, failed, running, suspended") {
  const Json complete = {
      {"startTime", "2026-12-05T06:52:33Z"},
      {"completionTime", "2026-12-05T06:52:40Z"},
      {"succeeded", 1},
      {"conditions",
       {{{"type", "SuccessCriteriaMet"}, {"status", "True"}, {"reason", "CompletionsReached"}},
        {{"type", "Complete"}, {"status", "True"}, {"reason", "CompletionsReached"},
         {"message", "Reached expected number of succeeded pods"}}}}};
  const Json failed = {{"startTime", "2026-12-05T06:52:33Z"},
                       {"failed", 7},
                       {"conditions",
                        {{{"type", "FailureTarget"}, {"status", "True"}, {"reason", "BackoffLimitExceeded"},
                          {"message", "Job has reached the specified backoff limit"}},
                         {{"type", "Failed"}, {"status", "True"}, {"reason", "BackoffLimitExceeded"},
                          {"message", "Job has reached the specified backoff limit"}}}}};
  const Json running = {{"startTime", "2026-12-05T06:52:33Z"}, {"active", 1}, {"ready", 0}, {"failed", 2}};
  const Json success_criteria_only = {
      {"succeeded", 1},
      {"conditions", {{{"type", "SuccessCriteriaMet"}, {"status", "True"}, {"reason", "CompletionsReached"}}}}};
  check_cases("batch", "Job",
              {
                  {"complete", job(complete), true, false, "job \"migrate\" completed"},
                  {"failed", job(failed), false, true,
                   "job \"migrate\" failed: BackoffLimitExceeded: Job has reached the specified backoff limit"},
                  {"running", job(running), false, false,
                   "Waiting for job \"migrate\" to complete: 0 succeeded, 1 active, 2 failed..."},
                  {"pods still terminating: not Complete yet", job(success_criteria_only), false, false,
                   "Waiting for job \"migrate\" to complete: 1 succeeded, 0 active, 0 failed..."},
                  {"suspended", job(Json::object(), true), false, false,
                   "Waiting for job \"migrate\" to complete: it is suspended"},
              });
}

TEST_CASE("readiness: kinds without a rollout are ready at once") {
  const Json cron = {{"apiVersion", "batch/v1"}, {"kind", "CronJob"}, {"metadata", {{"name", "nightly"}}}};
  const Json service = {{"apiVersion", "v1"}, {"kind", "Service"}, {"metadata", {{"name", "web"}}}};
  CHECK(readiness("batch", "CronJob", cron).ready);
  CHECK(readiness("", "Service", service).ready);
  CHECK(readiness("", "Service", service).reason == "Service \"web\" has no rollout to wait for");
  struct Kind {
    const char* group;
    const char* kind;
    bool rollout;
  };
  const Kind kinds[] = {{"apps", "Deployment", true},  {"apps", "DaemonSet", true},  {"apps", "StatefulSet", true},
                        {"batch", "Job", true},        {"batch", "CronJob", false},  {"apps", "ReplicaSet", false},
                        {"", "Deployment", false},     {"", "Service", false},       {"helm.cattle.io", "HelmChart", false}};
  for (const Kind& k : kinds) {
    CAPTURE(k.kind);
    CHECK(has_rollout(k.group, k.kind) == k.rollout);
  }
}
