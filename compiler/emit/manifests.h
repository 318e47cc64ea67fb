// DIR/manifests/: the Kubernetes objects of every workload, and the
// cluster-wide objects they need.
//
// What is written:
// - manifests/<namespace>/<workload>.yaml, one multi-document stream per
//   workload: its controller (Deployment; StatefulSet when a volume has a
//   `size`, with volumeClaimTemplates; DaemonSet; Job; CronJob), a Service
//   (named and typed by sema/exposure.h) when it has ports, a ConfigMap
//   `<name>-config` when it has `config` entries, and its Ingresses
//   (emit/ingress.h).
// - Every pod spec honours the placement: required node affinity on
//   `kubernetes.io/hostname` In the machines placement chose (for a
//   `failover` workload: In the machines its constraints allow, preferring
//   the chosen ones with weight 100), the workload's
//   tolerations, `nvidia.com/gpu` limits and `runtimeClassName: nvidia` for
//   GPU work, and a hostname topology spread when replicas span machines.
// - Secrets are referenced (`valueFrom.secretKeyRef`), never written.
// - A StatefulSet also gets a headless Service `<name>-pods` (its
//   serviceName); a Deployment with GPUs is replaced with `Recreate`.
// - NFS volumes: per export and namespace mounting it, a PersistentVolume
//   (manifests/nfs.persistentvolumes.yaml) pre-bound to a claim
//   `nfs-<machine>-<export>` (manifests/<ns>/nfs.persistentvolumeclaims.yaml).
// - manifests/namespaces.yaml: a Namespace per namespace used.
// - manifests/runtimeclass-nvidia.yaml when any machine has GPUs, unless the
//   cluster's GPU Operator makes it (`gpu = operator`).
// - Every document is preceded by `# source: file:line` of its declaration.
// - Keys sorted; strings YAML would read as another type are quoted; the
//   bytes are the same on every run.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "compiler/emit/file_sink.h"
#include "compiler/emit/object.h"
#include "compiler/emit/provenance.h"
#include "compiler/emit/yaml_doc.h"
#include "compiler/placement/placement.h"
#include "compiler/sema/model.h"

namespace claw::emit {

/// The controller object's body of each workload that has a patch, before
/// the patch is merged, by workload id: what check_patches merges it into.
std::map<uint32_t, Tree> unpatched_controllers(const sema::Model& model, const placement::Placement& placement);

/// Each workload's objects, in model order, each in the order of its file;
/// made on every core for large programs.
std::vector<std::vector<Object>> workload_objects(const sema::Model& model, const placement::Placement& placement);

/// manifests/<namespace>/<workload>.yaml for every workload, handed to
/// `put` as each is made, on every core for large programs.
void workload_manifests(const sema::Model& model, const placement::Placement& placement, const Where& where,
                        const FileSink& put);

/// The cluster-wide objects: a Namespace per namespace used, the
/// RuntimeClass, and the NFS volumes and claims.
std::vector<Object> cluster_objects(const sema::Model& model);

/// The k3s HelmChart (manifests/kube-system/<release>.helmchart.yaml) that
/// installs `chart` with its values (`valuesContent`) and, when values come
/// from secrets, `valuesSecrets` naming the Secret `apply` creates.
Object helm_chart_object(const sema::Model& model, const sema::Chart& chart);

/// The Secret holding a chart's secret values (key `values.yaml`), created
/// at apply time: `<release>-claw-values` in kube-system.
std::string values_secret_name(const sema::Chart& chart);

/// The labels every object claw writes carries: who manages it, its name,
/// and the project, so the runtime can find what it owns.
yaml::Node managed_labels(const sema::Model& model, const std::string& name);

/// Millicores as a Kubernetes quantity: "250m", "2".
std::string kube_cpu(int64_t millis);

}  // namespace claw::emit
