// Everything `claw build` writes: the emit phase's one entry point, which
// the driver hands to the filesystem whole.
#pragma once

#include <map>
#include <string>

#include "compiler/emit/provenance.h"
#include "compiler/placement/placement.h"
#include "compiler/sema/model.h"

namespace claw::emit {

/// The output tree, keyed by path relative to the output folder:
/// placement.json, secrets.json, join/<machine>.sh, values/<release>.yaml,
/// and manifests/ (workloads, HelmCharts, custom resources, NFS volumes,
/// namespaces, the RuntimeClass). The same bytes on every run.
std::map<std::string, std::string> output_tree(const sema::Model& model, const placement::Placement& placed,
                                               const Where& where = nowhere());

}  // namespace claw::emit
