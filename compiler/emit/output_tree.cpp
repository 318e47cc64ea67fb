#include "compiler/emit/output_tree.h"

#include <thread>
#include <utility>

#include "compiler/emit/join_script.h"
#include "compiler/emit/manifests.h"
#include "compiler/emit/placement_json.h"
#include "compiler/emit/resources.h"
#include "compiler/emit/secrets_json.h"
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
  files["placement.json"] = placement_json(model, placed);
  files["secrets.json"] = secrets_json(model, where);
  for (const auto& m : model.machines)
    if (auto script = join_script(model, m, slicing.node_labels(m.name))) files["join/" + m.name + ".sh"] = std::move(*script);
  for (const auto& declared : model.charts) {
    sema::Chart chart = with_time_slicing(declared, slicing);
    files["values/" + chart.name + ".yaml"] = values_yaml(chart);
    files["manifests/kube-system/" + chart.name + ".helmchart.yaml"] = helm_chart_yaml(model, chart, where);
  }
  return files;
}

}  // namespace

std::map<std::string, std::string> output_tree(const sema::Model& model, const placement::Placement& placed,
                                               const Where& where) {
  // The workloads' manifests are written on every core; the other files,
  // placement.json the largest of them, on a thread of their own beside
  // them, so no core idles while one file is written.
  std::map<std::string, std::string> network, resources;
  std::thread others([&] {
    network = network_files(model, placed, where);
    resources = resource_manifests(model, where);
  });
  std::map<std::string, std::string> files = manifests(model, placed, where);
  others.join();
  // Where two paths clash, the network's files win over the manifests, and
  // both over the custom resources.
  for (auto& [path, text] : network) files.insert_or_assign(path, std::move(text));
  files.merge(resources);
  return files;
}

}  // namespace claw::emit
