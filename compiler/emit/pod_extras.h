// The pod and container settings few workloads set (sema/pod_model.h),
// each written into an object's tree (tree.h) as one key of the map the
// caller has open; each writes nothing when its setting is absent, so the
// caller calls it at the key's place in sorted order.
#pragma once

#include <string_view>
#include <utility>
#include <vector>

#include "compiler/emit/tree.h"
#include "compiler/sema/model.h"

namespace claw::emit::pod {

/// Items of the main container's `env`: the keys of Secrets and ConfigMaps
/// claw does not create (`env-ref`).
/// One `env` item: a value, or a secretKeyRef to a secret claw makes.
void env_var(Tree& y, const sema::Model& model, const sema::EnvVar& e);
void env_refs(Tree& y, const sema::Workload& w);
/// Whether `w` has `env-ref` variables (so its `env` list is written).
bool has_env_refs(const sema::Workload& w);
/// The main container's `envFrom`.
void env_from(Tree& y, const sema::Workload& w);
/// The main container's `imagePullPolicy`.
void pull_policy(Tree& y, const sema::Workload& w);
/// The main container's `lifecycle` (postStart, preStop).
void lifecycle(Tree& y, const sema::Workload& w);
/// The main container's `securityContext`.
void security(Tree& y, const sema::Workload& w);
/// The main container's `workingDir`.
void working_dir(Tree& y, const sema::Workload& w);

/// The pod's `imagePullSecrets`.
void pull_secrets(Tree& y, const sema::Workload& w);
/// The pod's `initContainers`: native sidecars, then init containers.
void init_containers(Tree& y, const sema::Model& model, const sema::Workload& w);
/// The pod's `securityContext` (fsGroup).
void pod_security(Tree& y, const sema::Workload& w);
/// The pod's `serviceAccountName`.
void service_account(Tree& y, const sema::Workload& w);
/// The toleration of every taint, an item of `tolerations`.
void tolerate_all(Tree& y, const sema::Workload& w);

/// The controller's `annotations` (key `annotations` of its metadata).
void annotations(Tree& y, const sema::Workload& w);
/// The pod template's `annotations`.
void pod_annotations(Tree& y, const sema::Workload& w);
/// Whether `w` sets extra labels (then its labels are written by merged_labels).
bool has_labels(const sema::Workload& w);
/// The entries of a `labels` map: claw's (`managed`) and `w`'s extra
/// labels, in key order (sema keeps the two apart).
void merged_labels(Tree& y, const sema::Workload& w,
                   const std::vector<std::pair<std::string_view, std::string_view>>& managed);

/// The CronJob's `timeZone`.
void time_zone(Tree& y, const sema::Workload& w);

}  // namespace claw::emit::pod
