#include "compiler/emit/output_tree.h"

#include <thread>
#include <utility>

#include "compiler/emit/join_script.h"
#include "compiler/emit/manifest_files.h"
#include "compiler/emit/manifests.h"
#include "compiler/emit/network_html.h"
#include "compiler/emit/output_paths.h"
#include "compiler/emit/placement_json.h"
#include "compiler/emit/resources.h"
#include "compiler/emit/secret_objects.h"
#include "compiler/emit/secrets_json.h"
#include "compiler/emit/gpu_operator.h"
#include "compiler/emit/time_slicing.h"
#include "compiler/emit/values.h"
#include "compiler/io/parallel.h"

namespace claw::emit {
namespace {

/// The charts as written: each with the time-slicing values placement
/// calls for.
std::vector<sema::Chart> emitted_charts(const sema::Model& model, const TimeSlicing& slicing) {
  std::vector<sema::Chart> charts;
  charts.reserve(model.charts.size());
  for (const auto& declared : model.charts)
    charts.push_back(with_operator_time_slicing(model, with_time_slicing(declared, slicing), slicing));
  return charts;
}

/// The objects other than the workloads' and the cluster-wide ones: the
/// charts' HelmCharts, the GPU Operator's time-slicing ConfigMap, the
/// custom resources.
std::vector<Object> declared_objects(const sema::Model& model, const TimeSlicing& slicing,
                                     const std::vector<sema::Chart>& charts) {
  std::vector<Object> out;
  for (const auto& chart : charts) out.push_back(helm_chart_object(model, chart));
  if (auto o = operator_slicing_object(model, slicing)) out.push_back(std::move(*o));
  for (const auto& r : model.resources) out.push_back(resource_object(model, r));
  return out;
}

/// The files that are not objects, but for the page: placement as data,
/// secrets, join scripts and the charts' values.
std::map<std::string, std::string> network_files(const sema::Model& model, const placement::Placement& placed,
                                                 const TimeSlicing& slicing, const std::vector<sema::Chart>& charts,
                                                 const Where& where) {
  std::map<std::string, std::string> files;
  files[std::string(kPlacementPath)] = placement_json(model, placed, slicing);
  files[std::string(kSecretsPath)] = secrets_json(model, where);
  for (const auto& m : model.machines)
    if (auto script = join_script(model, m, slicing.node_labels(m.name))) files[join_script_path(m)] = std::move(*script);
  for (const auto& chart : charts) files[values_path(chart)] = values_yaml(chart);
  return files;
}

}  // namespace

std::vector<Object> program_objects(const sema::Model& model, const placement::Placement& placed) {
  std::vector<Object> out = cluster_objects(model);
  for (auto& objects : workload_objects(model, placed))
    for (auto& o : objects) out.push_back(std::move(o));
  const TimeSlicing slicing = time_slicing(model, placed);
  const std::vector<sema::Chart> charts = emitted_charts(model, slicing);
  for (auto& o : declared_objects(model, slicing, charts)) out.push_back(std::move(o));
  for (auto& o : secret_objects(model, charts)) out.push_back(std::move(o));
  return out;
}

void write_output_tree(const sema::Model& model, const placement::Placement& placed, const Where& where,
                       const FileSink& put, const std::vector<MachineVerdict>& failover) {
  // The workloads' manifests are made and handed on from every core; the
  // other files, placement.json the largest of them, from a thread of their
  // own beside them, and network.html, as large, from a third, so no core
  // idles while one file is made. None of the others has a workload's path
  // (manifests/<namespace>/<name>.yaml, where the name is a DNS label):
  // theirs are outside manifests/, or have a dot in their last name
  // (`<name>.<kind>.yaml`, `<release>.helmchart.yaml`).
  std::map<std::string, std::string> cluster;
  std::thread page([&] { put(kNetworkHtmlPath, network_html(model, placed, failover)); });
  std::thread others([&] {
    const TimeSlicing slicing = time_slicing(model, placed);
    const std::vector<sema::Chart> charts = emitted_charts(model, slicing);
    std::map<std::string, std::string> files = network_files(model, placed, slicing, charts, where);
    // Where paths clash, the network's files win over the declared objects'.
    files.merge(manifest_files(declared_objects(model, slicing, charts), where));
    for (const auto& [path, text] : files) put(path, text);
    cluster = manifest_files(cluster_objects(model), where);
  });
  workload_manifests(model, placed, where, put);
  others.join();
  page.join();
  // The cluster-wide manifests last, so that they replace any file of the
  // same path. Theirs are manifests/<name>.yaml, beside the namespaces'
  // folders, which no workload's or resource's file can be; only a
  // resource `nfs` of a kind `PersistentVolumeClaims` could have the path
  // of a namespace's NFS claims.
  for (const auto& [path, text] : cluster) put(path, text);
}

}  // namespace claw::emit
