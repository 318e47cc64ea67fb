// Applying node plans (plan/nodes.h): one JSON merge patch per Node that
// sets or removes exactly the labels, taints and record annotations the
// plan changes, guarded by the Node's resourceVersion.
#pragma once

#include <expected>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "runtime/cluster/transport.h"
#include "runtime/plan/plan.h"

namespace claw::apply {

/// The PATCH of each Node in `plans` that still differs from its live
/// object in `node_list` (a core/v1 NodeList read just before), in `plans`'
/// order: a JSON merge patch of the labels and annotations the plan sets
/// (null removes), the whole `spec.taints` when a taint changes (the live
/// taints not named by the plan kept, in their order), and the live
/// `metadata.resourceVersion`, so that a Node changed since the read is
/// refused with 409. A plan whose Node is gone or whose change is not a
/// node label, taint or annotation is an error naming the machine.
std::expected<std::vector<cluster::Request>, std::string> node_requests(std::span<const plan::NodePlan> plans,
                                                                       const nlohmann::json& node_list);

/// What apply_nodes did: the Nodes patched, and one message per failure.
struct NodeApplyReport {
  std::vector<std::string> patched;
  std::vector<std::string> errors;
  bool ok() const { return errors.empty(); }
};

/// Reconciles the Nodes of `plans`: LIST the Nodes, PATCH those that differ
/// (node_requests); when a PATCH gets 409 (the Node changed since the LIST),
/// reads them again and patches what still differs, at most `attempts`
/// rounds.
NodeApplyReport apply_nodes(cluster::Transport& transport, std::span<const plan::NodePlan> plans, int attempts = 5);

}  // namespace claw::apply
