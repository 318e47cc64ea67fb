#include "compiler/emit/output_tree.h"

#include <thread>
#include <utility>

#include "compiler/emit/join_script.h"
#include "compiler/emit/manifests.h"
#include "compiler/emit/output_paths.h"
#include "compiler/emit/placement_json.h"
#include "compiler/emit/resources.h"
#include "compiler/emit/secrets_json.h"
#include "compiler/emit/gpu_operator.h"
#include "compiler/emit/time_slicing.h"
#include "compiler/emit/values.h"

namespace claw::emit {
namespace {

/// The files other than the manifests and resources: placement, secrets,
/// join scripts and charts.
std::map<std::string, std::string> network_files(const sema::Model& model, const placement::Placement& placed,
                                                 const Where& where) {
  std::map<std::string, std::string> files;
  const TimeSlicing slicing = time_slicing(model, placed);
  files[std::string(kPlacementPath)] = placement_json(model, placed, slicing);
  files[std::string(kSecretsPath)] = secrets_json(model, where);
  for (const auto& m : model.machines)
    if (auto script = join_script(model, m, slicing.node_labels(m.name))) files[join_script_path(m)] = std::move(*script);
  for (const auto& declared : model.charts) {
    sema::Chart chart = with_operator_time_slicing(model, with_time_slicing(declared, slicing), slicing);
    files[values_path(chart)] = values_yaml(chart);
    files[helm_chart_path(chart)] = helm_chart_yaml(model, chart, where);
  }
  files.merge(operator_time_slicing(model, slicing, where));
  return files;
}

}  // namespace

void write_output_tree(const sema::Model& model, const placement::Placement& placed, const Where& where,
                       const FileSink& put) {
  // The workloads' manifests are made and handed on from every core; the
  // other files, placement.json the largest of them, from a thread of their
  // own beside them, so no core idles while one file is made. None of the
  // latter has a workload's path (manifests/<namespace>/<name>.yaml, where
  // the name is a DNS label): theirs are outside manifests/, or have a dot
  // in their last name (`<name>.<kind>.yaml`, `<release>.helmchart.yaml`).
  std::map<std::string, std::string> cluster;
  std::thread others([&] {
    std::map<std::string, std::string> network = network_files(model, placed, where);
    // Where paths clash, the network's files win over the custom resources.
    network.merge(resource_manifests(model, where));
    for (const auto& [path, text] : network) put(path, text);
    cluster = cluster_manifests(model, where);
  });
  workload_manifests(model, placed, where, put);
  others.join();
  // The cluster-wide manifests last, so that they replace any file of the
  // same path. Theirs are manifests/<name>.yaml, beside the namespaces'
  // folders, which no workload's or resource's file can be; only a
  // resource `nfs` of a kind `PersistentVolumeClaims` could have the path
  // of a namespace's NFS claims.
  for (const auto& [path, text] : cluster) put(path, text);
}

}  // namespace claw::emit
