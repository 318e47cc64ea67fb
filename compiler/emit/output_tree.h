// Everything `claw build` writes: the emit phase's one entry point, which
// hands each file to the filesystem as it is made.
#pragma once

#include <vector>

#include "compiler/emit/file_sink.h"
#include "compiler/emit/network_html.h"
#include "compiler/emit/object.h"
#include "compiler/emit/provenance.h"
#include "compiler/placement/placement.h"
#include "compiler/sema/model.h"

namespace claw::emit {

/// Every object of the program, as `claw plan` and `claw apply` take them:
/// the cluster-wide objects, each workload's (in model order), the charts'
/// HelmCharts, the GPU Operator's time-slicing ConfigMap, the custom
/// resources, and the Secrets apply creates. The files of write_output_tree
/// are these objects (all but the Secrets) written as YAML.
std::vector<Object> program_objects(const sema::Model& model, const placement::Placement& placed);

/// Hands every file of the output tree to `put`, by path relative to the
/// output folder: placement.json, network.html, secrets.json, join/<machine>.sh,
/// values/<release>.yaml, and manifests/ (workloads, HelmCharts, custom
/// resources, NFS volumes, namespaces, the RuntimeClass). The same bytes
/// on every run; the workloads' manifests come first, from every core.
/// `failover`: per machine, the verdict on losing it, shown in network.html.
void write_output_tree(const sema::Model& model, const placement::Placement& placed, const Where& where,
                       const FileSink& put, const std::vector<MachineVerdict>& failover = {});

}  // namespace claw::emit
