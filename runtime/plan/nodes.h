// Node reconciliation: the labels and taints claw declares for each machine
// that is a node, compared with the live Nodes read by one LIST.
//
// Only claw's labels and taints are ever shown or changed. What claw set on a
// Node is recorded on it in two annotations, so that a label or taint the
// program no longer declares is removed exactly, and nothing else:
// `claw.dev/labels` (a JSON array of label keys) and `claw.dev/taints` (a
// JSON array of `key:Effect`, a taint's identity: the API server requires
// taints to be unique by key and effect, pkg/apis/core/validation
// validateNodeTaints "taints must be unique by key and effect pair", and
// `kubectl taint NODE key:Effect-` names one taint that way).
#pragma once

#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "compiler/placement/placement.h"
#include "compiler/sema/model.h"
#include "runtime/cluster/transport.h"
#include "runtime/plan/plan.h"

namespace claw::plan {

/// The annotation holding the keys of the labels claw set on a Node.
inline constexpr std::string_view kLabelsAnnotation = "claw.dev/labels";
/// The annotation holding the `key:Effect` of the taints claw set on a Node.
inline constexpr std::string_view kTaintsAnnotation = "claw.dev/taints";

/// What claw declares for one machine's Node.
struct DesiredNode {
  std::string name;
  /// The join script's labels, those kubelet refuses at registration
  /// (node-role.kubernetes.io/*) included.
  std::map<std::string, std::string> labels;
  /// core/v1 Taint objects (`key`, `value` when not empty, `effect`), in
  /// declaration order, each key and effect once.
  std::vector<nlohmann::json> taints;
};

/// The machines of `model` that are nodes (joined, k3s not `none`), in
/// declaration order, with the labels their join scripts set and their taints.
std::vector<DesiredNode> desired_nodes(const sema::Model& model, const placement::Placement& placement);

/// The one request that reads every Node (GET /api/v1/nodes).
cluster::Request node_list_request();

/// `key:Effect`, a taint's identity (`taint` a core/v1 Taint object).
std::string taint_id(const nlohmann::json& taint);

/// Whether two core/v1 Taints are the same: key, effect and value (an
/// omitted value is empty); `timeAdded` is not compared.
bool same_taint(const nlohmann::json& a, const nlohmann::json& b);

/// The plan of each desired node that needs a change or has not joined
/// (no Node of its name in `node_list`, a core/v1 NodeList), in `desired`'s
/// order: label changes (`metadata.labels["k"]`, by key), taint changes
/// (`spec.taints[effect=E,key=k]`, whole taints), then the record
/// annotations' changes. Nodes that already match are left out.
std::vector<NodePlan> plan_nodes(std::span<const DesiredNode> desired, const nlohmann::json& node_list);

/// plan_nodes of desired_nodes(model, placement).
std::vector<NodePlan> plan_nodes(const sema::Model& model, const placement::Placement& placement,
                                 const nlohmann::json& node_list);

/// The Node named `name` in `node_list`; nullptr when there is none.
const nlohmann::json* find_node(const nlohmann::json& node_list, std::string_view name);

}  // namespace claw::plan
