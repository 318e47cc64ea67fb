#include "runtime/apply/node_apply.h"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "runtime/plan/nodes.h"

namespace claw::apply {
namespace {

using nlohmann::json;
using plan::FieldChange;
using plan::FieldPath;
using plan::PathElement;

constexpr std::string_view kNodesPath = "/api/v1/nodes/";

// A JSON merge patch (RFC 7386): members replace, null removes, and an
// array is replaced whole, which is what an atomic list such as
// Node.spec.taints needs (1.31 OpenAPI: `x-kubernetes-list-type: atomic`).
constexpr std::string_view kMergePatch = "application/merge-patch+json";

bool is_field(const PathElement& e, std::string_view name) {
  return e.kind == PathElement::Kind::field && e.name == name;
}

enum class Target { label, annotation, taint, other };

Target target_of(const FieldPath& p) {
  if (p.size() != 3) return Target::other;
  if (is_field(p[0], "metadata") && p[2].kind == PathElement::Kind::field) {
    if (is_field(p[1], "labels")) return Target::label;
    if (is_field(p[1], "annotations")) return Target::annotation;
  }
  if (is_field(p[0], "spec") && is_field(p[1], "taints") && p[2].kind == PathElement::Kind::key) return Target::taint;
  return Target::other;
}

const json& member(const json& object, const char* name) {
  static const json kNull;
  if (!object.is_object()) return kNull;
  auto it = object.find(name);
  return it == object.end() ? kNull : *it;
}

// Sets `key` in the patch of a string map (labels, annotations) to `after`,
// or null to remove it, when the live map differs.
std::expected<void, std::string> set_entry(json& patch, const json& live, const std::string& key,
                                           const std::optional<json>& after) {
  const json& have = member(live, key.c_str());
  if (after && !after->is_string()) return std::unexpected(fmt::format("`{}` is not a string", key));
  if (after && have != *after) patch[key] = *after;
  if (!after && !have.is_null()) patch[key] = nullptr;
  return {};
}

// Puts the taint `after` in place of the one named `id` (appended when
// there is none), or removes that one when `after` is absent.
std::expected<void, std::string> set_taint(json& taints, const PathElement& at, const std::optional<json>& after) {
  std::string id = plan::taint_id(at.json);
  if (after && (!after->is_object() || plan::taint_id(*after) != id))
    return std::unexpected(fmt::format("the taint {} does not match its path", id));
  auto it = std::find_if(taints.begin(), taints.end(), [&](const json& t) { return plan::taint_id(t) == id; });
  if (!after) {
    if (it != taints.end()) taints.erase(it);
  } else if (it == taints.end()) {
    taints.push_back(*after);
  } else if (!plan::same_taint(*it, *after)) {
    *it = *after;
  }
  return {};
}

// The merge patch that brings `node` to what `p` says; empty when it
// already is.
std::expected<json, std::string> node_patch(const plan::NodePlan& p, const json& node) {
  const json& metadata = member(node, "metadata");
  json labels = json::object(), annotations = json::object();
  const json& live_taints = member(member(node, "spec"), "taints");
  json taints = live_taints.is_array() ? live_taints : json::array();
  for (const FieldChange& c : p.changes) {
    std::expected<void, std::string> done;
    switch (target_of(c.path)) {
      case Target::label: done = set_entry(labels, member(metadata, "labels"), c.path[2].name, c.after); break;
      case Target::annotation:
        done = set_entry(annotations, member(metadata, "annotations"), c.path[2].name, c.after);
        break;
      case Target::taint: done = set_taint(taints, c.path[2], c.after); break;
      case Target::other:
        done = std::unexpected(fmt::format("`{}` is not a node label, taint or annotation", plan::render_path(c.path)));
        break;
    }
    if (!done) return std::unexpected(done.error());
  }
  json patch = json::object();
  if (!labels.empty()) patch["metadata"]["labels"] = std::move(labels);
  if (!annotations.empty()) patch["metadata"]["annotations"] = std::move(annotations);
  if (taints != (live_taints.is_array() ? live_taints : json::array()))
    patch["spec"]["taints"] = taints.empty() ? json(nullptr) : std::move(taints);
  if (patch.empty()) return patch;
  // A patch that carries metadata.resourceVersion is a precondition: the
  // server refuses it with 409 Conflict when the Node changed since
  // (k8s.io/apiserver registry/generic/registry/store.go Update,
  // OptimisticLockErrorMsg; kubernetes/kubernetes#63104).
  if (const json& rv = member(metadata, "resourceVersion"); rv.is_string()) patch["metadata"]["resourceVersion"] = rv;
  return patch;
}

cluster::Request patch_request(const std::string& name, const json& patch) {
  // fieldManager names claw in the Node's managedFields (Update operation).
  return cluster::Request{"PATCH", fmt::format("{}{}?fieldManager=claw", kNodesPath, name), std::string(kMergePatch),
                          patch.dump(), true};
}

// The Node a request of node_requests patches.
std::string node_of(const cluster::Request& r) {
  std::string_view path = r.path;
  path.remove_prefix(std::min(path.size(), kNodesPath.size()));
  return std::string(path.substr(0, path.find('?')));
}

// What went wrong with a response, without its body beyond the Status message.
std::string failure(const cluster::Response& r) {
  if (r.status == 0) return r.error;
  json status = json::parse(r.body, nullptr, /*allow_exceptions=*/false);
  const json& message = member(status, "message");
  return message.is_string() ? fmt::format("HTTP {}: {}", r.status, message.get<std::string>())
                             : fmt::format("HTTP {}", r.status);
}

void add_once(std::vector<std::string>& names, const std::string& name) {
  if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
}

}  // namespace

std::expected<std::vector<cluster::Request>, std::string> node_requests(std::span<const plan::NodePlan> plans,
                                                                       const json& node_list) {
  std::vector<cluster::Request> out;
  for (const plan::NodePlan& p : plans) {
    if (!p.joined || p.changes.empty()) continue;
    const json* node = plan::find_node(node_list, p.machine);
    if (node == nullptr)
      return std::unexpected(fmt::format("machine `{}`: its Node is no longer in the cluster; run `claw plan` again", p.machine));
    std::expected<json, std::string> patch = node_patch(p, *node);
    if (!patch) return std::unexpected(fmt::format("machine `{}`: {}", p.machine, patch.error()));
    if (!patch->empty()) out.push_back(patch_request(p.machine, *patch));
  }
  return out;
}

NodeApplyReport apply_nodes(cluster::Transport& transport, std::span<const plan::NodePlan> plans, int attempts) {
  NodeApplyReport report;
  std::vector<plan::NodePlan> pending(plans.begin(), plans.end());
  // client-go's retry.RetryOnConflict re-reads and retries a conflicting
  // update, 5 times with retry.DefaultRetry (k8s.io/client-go/util/retry).
  for (int round = 0; round < attempts; ++round) {
    cluster::Response listed = transport.perform(plan::node_list_request());
    json list = json::parse(listed.body, nullptr, /*allow_exceptions=*/false);
    if (listed.status != 200 || !list.is_object()) {
      report.errors.push_back(fmt::format("reading the Nodes (GET /api/v1/nodes): {}", failure(listed)));
      return report;
    }
    std::expected<std::vector<cluster::Request>, std::string> requests = node_requests(pending, list);
    if (!requests) {
      report.errors.push_back(requests.error());
      return report;
    }
    if (requests->empty()) return report;
    std::vector<cluster::Response> responses = transport.perform(*requests);
    std::set<std::string> failed;
    bool conflict = false;
    for (size_t i = 0; i < responses.size(); ++i) {
      std::string name = node_of((*requests)[i]);
      if (responses[i].status >= 200 && responses[i].status < 300) {
        add_once(report.patched, name);
      } else if (responses[i].status == 409) {
        conflict = true;
      } else {
        report.errors.push_back(fmt::format("Node `{}`: {}", name, failure(responses[i])));
        failed.insert(name);
      }
    }
    if (!conflict) return report;
    std::erase_if(pending, [&](const plan::NodePlan& p) { return failed.contains(p.machine); });
  }
  report.errors.push_back(fmt::format(
      "the Nodes kept changing while claw patched them (409 Conflict in {} rounds); run `claw apply` again", attempts));
  return report;
}

}  // namespace claw::apply
