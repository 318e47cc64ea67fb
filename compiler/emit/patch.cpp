#include "compiler/emit/patch.h"

#include <fmt/format.h>

#include <algorithm>

#include "compiler/emit/manifests.h"
#include "compiler/emit/values.h"

namespace claw::emit {

namespace {

using VK = sema::Value::Kind;

/// One line of what claw wrote at a node, for a message.
std::string summary(const yaml::Node& n) {
  std::string text;
  yaml::append(text, n);
  while (!text.empty() && text.back() == '\n') text.pop_back();
  if (auto nl = text.find('\n'); nl != std::string::npos) text = text.substr(0, nl) + " ...";
  if (text.size() > 60) text = text.substr(0, 57) + "...";
  return text;
}

yaml::Node& pod_spec(yaml::Node& root, sema::WorkloadKind kind) {
  yaml::Node& spec = root["spec"];
  yaml::Node& job = kind == sema::WorkloadKind::Cron ? spec["jobTemplate"]["spec"] : spec;
  return job["template"]["spec"];
}

std::string pod_path(sema::WorkloadKind kind) {
  return kind == sema::WorkloadKind::Cron ? "spec.jobTemplate.spec.template.spec" : "spec.template.spec";
}

}  // namespace

void merge_patch(yaml::Node& node, const sema::Value& patch, const std::string& path, const std::string& patch_path,
                 std::vector<PatchOverride>& overrides) {
  if (patch.kind != VK::Map || !patch.keys) return;
  if (node.kind != yaml::Node::Kind::Map) {
    if (node.kind != yaml::Node::Kind::Null) overrides.push_back({path, summary(node), patch_path, patch.span});
    node = yaml::map_node();
  }
  for (size_t i = 0; i < patch.keys->size(); ++i) {
    const std::string& key = (*patch.keys)[i];
    const sema::Value& v = (*patch.items)[i];
    std::string at = path.empty() ? key : path + "." + key;
    std::string patch_at = patch_path + "." + key;
    yaml::Node& child = node[key];
    if (v.kind == VK::Map && (child.kind == yaml::Node::Kind::Map || child.kind == yaml::Node::Kind::Null)) {
      merge_patch(child, v, at, patch_at, overrides);
      continue;
    }
    if (child.kind != yaml::Node::Kind::Null)
      overrides.push_back({at, summary(child), patch_at, patch.key_spans ? (*patch.key_spans)[i] : v.span});
    child = value_node(v);
  }
}

Tree patch_tree(const Tree& controller, const sema::Workload& w, std::vector<PatchOverride>* overrides) {
  if (!w.patch) return controller;
  yaml::Node root = yaml::node_of(controller);
  std::vector<PatchOverride> scratch;
  std::vector<PatchOverride>& found = overrides ? *overrides : scratch;
  const sema::WorkloadPatch& p = *w.patch;
  // Innermost first, so that each part is compared with what claw wrote
  // (unless an outer part rewrites what an inner one patched).
  std::string pod = pod_path(w.kind);
  yaml::Node& spec = pod_spec(root, w.kind);
  yaml::Node& containers = spec["containers"];
  if (containers.kind == yaml::Node::Kind::Seq && !containers.items.empty())
    merge_patch(containers.items.front(), p.container, pod + ".containers[0]", "patch.container", found);
  merge_patch(spec, p.pod, pod, "patch.pod", found);
  merge_patch(root, p.object, "", "patch.object", found);
  return yaml::tree_of(root);
}

void check_patches(const sema::Model& model, const placement::Placement& placement, diag::Sink& sink) {
  // Most programs have no patch: they pay one pass over the workloads.
  if (std::none_of(model.workloads.begin(), model.workloads.end(), [](const sema::Workload& w) { return w.patch != nullptr; }))
    return;
  for (const auto& [id, tree] : unpatched_controllers(model, placement)) {
    const sema::Workload& w = model.workloads[id];
    std::vector<PatchOverride> found;
    patch_tree(tree, w, &found);
    for (const auto& o : found)
      sink.report(diag::Kind::PatchOverrides, o.span,
                  fmt::format("`{}` overrides `{}`, which claw writes for `{}` as `{}`", o.patch_path, o.object_path, w.name,
                              o.claw_value))
          .hint("drop the patch to keep claw's value, or set the claw field that writes it where there is one");
  }
}

}  // namespace claw::emit
