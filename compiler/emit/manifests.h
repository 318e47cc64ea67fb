// DIR/manifests/: the Kubernetes objects of every workload, and the
// cluster-wide objects they need.
//
// What is written:
// - manifests/<namespace>/<workload>.yaml, one multi-document stream per
//   workload: its controller (Deployment; StatefulSet when a volume has a
//   `size`, with volumeClaimTemplates; DaemonSet; Job; CronJob), a ClusterIP
//   Service when it has ports, a ConfigMap `<name>-config` when it has
//   `config` entries, and an Ingress (Traefik) when it has a `host`.
// - Every pod spec honours the placement: required node affinity on
//   `kubernetes.io/hostname` In the machines placement chose, the workload's
//   tolerations, `nvidia.com/gpu` limits and `runtimeClassName: nvidia` for
//   GPU work, and a hostname topology spread when replicas span machines.
// - Secrets are referenced (`valueFrom.secretKeyRef`), never written.
// - manifests/cluster/namespaces.yaml: a Namespace per namespace used.
// - manifests/cluster/runtimeclass-nvidia.yaml when any machine has GPUs.
// - Keys sorted; strings YAML would read as another type are quoted; the
//   bytes are the same on every run.
#pragma once

#include <map>
#include <string>

#include "compiler/placement/placement.h"
#include "compiler/sema/model.h"

namespace claw::emit {

/// The manifest files, keyed by path relative to the output directory
/// (`manifests/<namespace>/<name>.yaml`, `manifests/cluster/...`).
std::map<std::string, std::string> manifests(const sema::Model& model, const placement::Placement& placement);

/// Millicores as a Kubernetes quantity: "250m", "2".
std::string kube_cpu(int64_t millis);

}  // namespace claw::emit
