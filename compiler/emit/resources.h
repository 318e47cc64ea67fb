// DIR/manifests/<namespace>/<name>.<kind>.yaml: one document per `resource`
// declaration (a custom resource: ServiceMonitor, PrometheusRule, HelmChart,
// ...), written from the checked model.
//
// What is written:
// - apiVersion and kind, as the resource's schema fixes them.
// - metadata: name; namespace (the declaration's, else the cluster's; none
//   for a cluster-scoped kind);
//   annotations when there are any; labels: the declaration's own, then
//   claw's, which win on a clash: app.kubernetes.io/name (the name),
//   app.kubernetes.io/managed-by: claw, and claw.dev/project (the cluster's
//   name) when there is a cluster.
// - spec, as values files write values (emit/values.h): keys sorted, only
//   the fields a typed record has set, durations "30s", bytes "50Gi"; none
//   for a core kind without a spec (ConfigMap, Role, ...).
// - The object's other top-level fields (`data`, `rules`, ...), likewise.
// - With a `where`, a `# source: <file>:<line>` line after `---` names the
//   declaration, as the other manifests have.
// - The file name's kind is lower-cased (`web.servicemonitor.yaml`); the
//   bytes are the same on every run.
#pragma once

#include <map>
#include <string>

#include "compiler/emit/object.h"
#include "compiler/emit/provenance.h"
#include "compiler/sema/model.h"

namespace claw::emit {

/// The object of one `resource` declaration.
Object resource_object(const sema::Model& model, const sema::CustomResource& resource);

/// The resource manifest files, keyed by path relative to the output
/// directory (`manifests/<namespace>/<name>.<kind>.yaml`).
std::map<std::string, std::string> resource_manifests(const sema::Model& model, const Where& where = nowhere());

/// The YAML text of one resource's manifest, header comments included.
std::string resource_yaml(const sema::Model& model, const sema::CustomResource& resource, const Where& where = nowhere());

}  // namespace claw::emit
