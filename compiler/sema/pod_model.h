// A workload's rarely used pod and container settings: Secrets and
// ConfigMaps claw does not create, security, extra containers, hooks,
// metadata and the like. Held apart from Workload (model.h) so that the
// many workloads that set none of them stay small.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "compiler/sema/model.h"

namespace claw::sema {

/// An environment variable from one key of a Secret or ConfigMap by name.
struct EnvRef {
  std::string name;
  std::string source;  // the Secret's or ConfigMap's name
  bool config_map = false;
  std::string key;
  Span span;
};

/// Every key of a Secret or ConfigMap as environment variables.
struct EnvSource {
  std::string source;
  bool config_map = false;
  std::optional<std::string> prefix;
};

/// A container's security context; fs_group belongs to the pod.
struct Security {
  std::optional<int64_t> user, group, fs_group;
  std::optional<bool> non_root, privileged, read_only_root, escalation;
  std::vector<std::string> cap_add, cap_drop;
  /// Whether any container-level field is set (fs_group is not one).
  bool any_container_field() const;
};

/// An init container or a sidecar.
struct ExtraContainer {
  std::string name;
  bool sidecar = false;  // an init container with restartPolicy Always
  std::string image;
  std::vector<std::string> command, args;
  std::vector<EnvVar> env;
  std::vector<EnvRef> env_refs;
  std::vector<EnvSource> env_from;
  std::vector<size_t> mounts;  // indexes into the workload's volumes
  Resources requests;
  std::optional<Resources> limits;
  std::optional<Security> security;
  std::optional<PullPolicy> pull;
  Span span;
};

struct PodExtras {
  std::vector<EnvRef> env_refs;
  std::vector<EnvSource> env_from;
  std::optional<Security> security;
  std::vector<ExtraContainer> containers;  // sidecars first, then init containers, each in written order
  std::optional<Probe> on_start, on_stop;
  std::optional<std::string> workdir, service_account, time_zone;
  std::optional<PullPolicy> pull;
  std::vector<std::string> pull_secrets;
  std::map<std::string, std::string> labels, annotations, pod_annotations;
};

/// What a pod of `w` asks the scheduler for: its main container and
/// sidecars together, or more while an init container runs beside the
/// sidecars started before it (Kubernetes' effective requests).
Resources pod_requests(const Workload& w);

}  // namespace claw::sema
