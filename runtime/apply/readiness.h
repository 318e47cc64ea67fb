// Whether an applied workload has finished rolling out, decided from the
// live object alone, exactly as `kubectl rollout status` decides it for
// Deployments, DaemonSets and StatefulSets (kubectl
// pkg/polymorphichelpers/rollout_status.go) and as `kubectl wait
// --for=condition=Complete` / `--for=condition=Failed` decides it for Jobs.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace claw::apply {

/// One object's rollout as seen in one reading of it.
struct Readiness {
  /// Nothing more to wait for.
  bool ready = false;
  /// It will not become ready by waiting (a Deployment past its progress
  /// deadline, a failed Job); `reason` says why.
  bool failed = false;
  /// kubectl's sentence for this state, without its trailing newline.
  std::string reason;
};

/// Whether objects of `kind` in API group `group` have a rollout to wait
/// for (apps Deployment, DaemonSet, StatefulSet; batch Job); every other
/// kind is ready as soon as it is applied.
bool has_rollout(std::string_view group, std::string_view kind);

/// The readiness of `object`, a live object of kind `kind` in `group` as
/// the API server returns it (status included).
Readiness readiness(std::string_view group, std::string_view kind, const nlohmann::json& object);

/// `kubectl rollout status` for an apps/v1 Deployment.
Readiness deployment_readiness(const nlohmann::json& deployment);
/// `kubectl rollout status` for an apps/v1 DaemonSet.
Readiness daemonset_readiness(const nlohmann::json& daemonset);
/// `kubectl rollout status` for an apps/v1 StatefulSet.
Readiness statefulset_readiness(const nlohmann::json& statefulset);
/// A batch/v1 Job: ready once its Complete condition is True, failed once
/// its Failed condition is True.
Readiness job_readiness(const nlohmann::json& job);

}  // namespace claw::apply
