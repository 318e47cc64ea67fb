#include "runtime/apply/readiness.h"

#include <cstdint>
#include <optional>

#include <fmt/format.h>

namespace claw::apply {
namespace {

using Json = nlohmann::json;

// The integer at `pointer`, or nothing when absent or null (a Go pointer
// field left nil, such as spec.replicas or a partition).
std::optional<int64_t> optional_int(const Json& object, const char* pointer) {
  Json::json_pointer p(pointer);
  if (!object.contains(p)) return std::nullopt;
  const Json& v = object.at(p);
  if (!v.is_number_integer()) return std::nullopt;
  return v.get<int64_t>();
}

// The integer at `pointer`, 0 when absent: the zero value a Go struct field
// gets when kubectl converts the unstructured object.
int64_t int_or_zero(const Json& object, const char* pointer) { return optional_int(object, pointer).value_or(0); }

std::string string_at(const Json& object, const char* pointer) {
  Json::json_pointer p(pointer);
  if (!object.contains(p) || !object.at(p).is_string()) return {};
  return object.at(p).get<std::string>();
}

std::string name_of(const Json& object) { return string_at(object, "/metadata/name"); }

// The first condition of `type` in status.conditions, as
// deploymentutil.GetDeploymentCondition returns it; null when none.
const Json* condition(const Json& object, std::string_view type) {
  Json::json_pointer p("/status/conditions");
  if (!object.contains(p) || !object.at(p).is_array()) return nullptr;
  for (const Json& c : object.at(p)) {
    if (c.is_object() && c.value("type", "") == type) return &c;
  }
  return nullptr;
}

Readiness waiting(std::string reason) { return {false, false, std::move(reason)}; }
Readiness done(std::string reason) { return {true, false, std::move(reason)}; }
Readiness failure(std::string reason) { return {false, true, std::move(reason)}; }

}  // namespace

bool has_rollout(std::string_view group, std::string_view kind) {
  if (group == "apps") return kind == "Deployment" || kind == "DaemonSet" || kind == "StatefulSet";
  return group == "batch" && kind == "Job";
}

Readiness readiness(std::string_view group, std::string_view kind, const Json& object) {
  if (group == "apps" && kind == "Deployment") return deployment_readiness(object);
  if (group == "apps" && kind == "DaemonSet") return daemonset_readiness(object);
  if (group == "apps" && kind == "StatefulSet") return statefulset_readiness(object);
  if (group == "batch" && kind == "Job") return job_readiness(object);
  return done(fmt::format("{} \"{}\" has no rollout to wait for", kind, name_of(object)));
}

// DeploymentStatusViewer.Status in kubectl rollout_status.go, in its order;
// the progress deadline check reads deploymentutil.TimedOutReason
// ("ProgressDeadlineExceeded", kubectl pkg/util/deployment/deployment.go).
Readiness deployment_readiness(const Json& d) {
  const std::string name = name_of(d);
  if (int_or_zero(d, "/metadata/generation") > int_or_zero(d, "/status/observedGeneration")) {
    return waiting("Waiting for deployment spec update to be observed...");
  }
  const Json* progressing = condition(d, "Progressing");
  if (progressing != nullptr && progressing->value("reason", "") == "ProgressDeadlineExceeded") {
    return failure(fmt::format("deployment \"{}\" exceeded its progress deadline", name));
  }
  const std::optional<int64_t> want = optional_int(d, "/spec/replicas");
  const int64_t replicas = int_or_zero(d, "/status/replicas");
  const int64_t updated = int_or_zero(d, "/status/updatedReplicas");
  const int64_t available = int_or_zero(d, "/status/availableReplicas");
  if (want && updated < *want) {
    return waiting(fmt::format("Waiting for deployment \"{}\" rollout to finish: {} out of {} new replicas have been updated...",
                               name, updated, *want));
  }
  if (replicas > updated) {
    return waiting(fmt::format("Waiting for deployment \"{}\" rollout to finish: {} old replicas are pending termination...",
                               name, replicas - updated));
  }
  if (available < updated) {
    return waiting(fmt::format("Waiting for deployment \"{}\" rollout to finish: {} of {} updated replicas are available...",
                               name, available, updated));
  }
  return done(fmt::format("deployment \"{}\" successfully rolled out", name));
}

// DaemonSetStatusViewer.Status in kubectl rollout_status.go. kubectl ends
// with done=true and an error for a strategy other than RollingUpdate
// (OnDelete): nothing rolls out until pods are deleted by hand, so there is
// nothing to wait for.
Readiness daemonset_readiness(const Json& ds) {
  const std::string name = name_of(ds);
  if (string_at(ds, "/spec/updateStrategy/type") != "RollingUpdate") {
    return done(fmt::format("daemon set \"{}\": rollout status is only available for RollingUpdate strategy type", name));
  }
  if (int_or_zero(ds, "/metadata/generation") > int_or_zero(ds, "/status/observedGeneration")) {
    return waiting("Waiting for daemon set spec update to be observed...");
  }
  const int64_t desired = int_or_zero(ds, "/status/desiredNumberScheduled");
  const int64_t updated = int_or_zero(ds, "/status/updatedNumberScheduled");
  const int64_t available = int_or_zero(ds, "/status/numberAvailable");
  if (updated < desired) {
    return waiting(fmt::format("Waiting for daemon set \"{}\" rollout to finish: {} out of {} new pods have been updated...",
                               name, updated, desired));
  }
  if (available < desired) {
    return waiting(fmt::format("Waiting for daemon set \"{}\" rollout to finish: {} of {} updated pods are available...",
                               name, available, desired));
  }
  return done(fmt::format("daemon set \"{}\" successfully rolled out", name));
}

// StatefulSetStatusViewer.Status in kubectl rollout_status.go: a set with
// spec.updateStrategy.rollingUpdate (the API server defaults it, partition
// 0) is done once the pods above the partition are updated; only one
// without it compares currentRevision with updateRevision.
Readiness statefulset_readiness(const Json& sts) {
  const std::string name = name_of(sts);
  if (string_at(sts, "/spec/updateStrategy/type") != "RollingUpdate") {
    return done(fmt::format("statefulset \"{}\": rollout status is only available for RollingUpdate strategy type", name));
  }
  const int64_t observed = int_or_zero(sts, "/status/observedGeneration");
  if (observed == 0 || int_or_zero(sts, "/metadata/generation") > observed) {
    return waiting("Waiting for statefulset spec update to be observed...");
  }
  const std::optional<int64_t> want = optional_int(sts, "/spec/replicas");
  const int64_t ready = int_or_zero(sts, "/status/readyReplicas");
  const int64_t updated = int_or_zero(sts, "/status/updatedReplicas");
  if (want && ready < *want) return waiting(fmt::format("Waiting for {} pods to be ready...", *want - ready));
  const Json::json_pointer rolling("/spec/updateStrategy/rollingUpdate");
  if (sts.contains(rolling) && sts.at(rolling).is_object()) {
    const std::optional<int64_t> partition = optional_int(sts, "/spec/updateStrategy/rollingUpdate/partition");
    if (want && partition && updated < *want - *partition) {
      return waiting(fmt::format("Waiting for partitioned roll out to finish: {} out of {} new pods have been updated...",
                                 updated, *want - *partition));
    }
    return done(fmt::format("partitioned roll out complete: {} new pods have been updated...", updated));
  }
  const std::string update_revision = string_at(sts, "/status/updateRevision");
  if (update_revision != string_at(sts, "/status/currentRevision")) {
    return waiting(fmt::format("waiting for statefulset rolling update to complete {} pods at revision {}...", updated,
                               update_revision));
  }
  return done(fmt::format("statefulset rolling update complete {} pods at revision {}...",
                          int_or_zero(sts, "/status/currentReplicas"), update_revision));
}

// The condition types JobComplete ("Complete") and JobFailed ("Failed") of
// k8s.io/api/batch/v1 types.go, which `kubectl wait --for=condition=...`
// reads; the Failed condition's reason and message are the job
// controller's (pkg/controller/job/job_controller.go: BackoffLimitExceeded,
// "Job has reached the specified backoff limit", DeadlineExceeded, ...).
Readiness job_readiness(const Json& job) {
  const std::string name = name_of(job);
  const Json* failed = condition(job, "Failed");
  if (failed != nullptr && failed->value("status", "") == "True") {
    return failure(fmt::format("job \"{}\" failed: {}: {}", name, failed->value("reason", ""),
                               failed->value("message", "")));
  }
  const Json* complete = condition(job, "Complete");
  if (complete != nullptr && complete->value("status", "") == "True") {
    return done(fmt::format("job \"{}\" completed", name));
  }
  if (job.contains(Json::json_pointer("/spec/suspend")) && job.at(Json::json_pointer("/spec/suspend")) == true) {
    return waiting(fmt::format("Waiting for job \"{}\" to complete: it is suspended", name));
  }
  return waiting(fmt::format("Waiting for job \"{}\" to complete: {} succeeded, {} active, {} failed...", name,
                             int_or_zero(job, "/status/succeeded"), int_or_zero(job, "/status/active"),
                             int_or_zero(job, "/status/failed")));
}

}  // namespace claw::apply
