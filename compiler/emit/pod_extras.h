// The pod and container settings few workloads set (sema/pod_model.h),
// each written as one key of the map the caller has open, into an object's
// tree or straight as YAML: `Y` is Tree (tree.h) or yaml::Writer
// (yaml_writer.h), which take the same calls. Each writes nothing when its
// setting is absent, so the caller calls it at the key's place in sorted
// order.
#pragma once

#include <string_view>
#include <utility>
#include <vector>

#include "compiler/emit/tree.h"
#include "compiler/sema/model.h"

namespace claw::emit::pod {

/// One `env` item: a value, or a secretKeyRef to a secret claw makes.
template <class Y>
void env_var(Y& y, const sema::Model& model, const sema::EnvVar& e);
/// Items of the main container's `env`: the keys of Secrets and ConfigMaps
/// claw does not create (`env-ref`).
template <class Y>
void env_refs(Y& y, const sema::Workload& w);
/// Whether `w` has `env-ref` variables (so its `env` list is written).
bool has_env_refs(const sema::Workload& w);
/// The main container's `envFrom`.
template <class Y>
void env_from(Y& y, const sema::Workload& w);
/// The main container's `imagePullPolicy`.
template <class Y>
void pull_policy(Y& y, const sema::Workload& w);
/// The main container's `lifecycle` (postStart, preStop).
template <class Y>
void lifecycle(Y& y, const sema::Workload& w);
/// The main container's `securityContext`.
template <class Y>
void security(Y& y, const sema::Workload& w);
/// The main container's `workingDir`.
template <class Y>
void working_dir(Y& y, const sema::Workload& w);

/// The pod's `imagePullSecrets`.
template <class Y>
void pull_secrets(Y& y, const sema::Workload& w);
/// The pod's `initContainers`: native sidecars, then init containers.
template <class Y>
void init_containers(Y& y, const sema::Model& model, const sema::Workload& w);
/// The pod's `securityContext` (fsGroup).
template <class Y>
void pod_security(Y& y, const sema::Workload& w);
/// The pod's `serviceAccountName`.
template <class Y>
void service_account(Y& y, const sema::Workload& w);
/// The toleration of every taint, an item of `tolerations`.
template <class Y>
void tolerate_all(Y& y, const sema::Workload& w);

/// The controller's `annotations` (key `annotations` of its metadata).
template <class Y>
void annotations(Y& y, const sema::Workload& w);
/// The pod template's `annotations`.
template <class Y>
void pod_annotations(Y& y, const sema::Workload& w);
/// Whether `w` sets extra labels (then its labels are written by merged_labels).
bool has_labels(const sema::Workload& w);
/// The entries of a `labels` map: claw's (`managed`) and `w`'s extra
/// labels, in key order (sema keeps the two apart).
template <class Y>
void merged_labels(Y& y, const sema::Workload& w,
                   const std::vector<std::pair<std::string_view, std::string_view>>& managed);

/// The CronJob's `timeZone`.
template <class Y>
void time_zone(Y& y, const sema::Workload& w);

}  // namespace claw::emit::pod
