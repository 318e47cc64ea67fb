#include "runtime/plan/nodes.h"

#include <algorithm>
#include <set>

#include "compiler/emit/node_labels.h"
#include "compiler/emit/time_slicing.h"

namespace claw::plan {
namespace {

using nlohmann::json;

// `object[key]` when it is a string; empty otherwise (never throws, as
// json::value does on a value of another type).
std::string text(const json& object, const char* key) {
  if (!object.is_object()) return {};
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

PathElement field(std::string name) { return PathElement{PathElement::Kind::field, std::move(name), nullptr, 0}; }

FieldPath label_path(const std::string& key) { return {field("metadata"), field("labels"), field(key)}; }

FieldPath annotation_path(std::string_view key) {
  return {field("metadata"), field("annotations"), field(std::string(key))};
}

// Node.spec.taints is an atomic list (the 1.31 OpenAPI: NodeSpec.taints
// `x-kubernetes-list-type: atomic`), so it has no schema keys; a taint is
// named here by key and effect, its identity on a Node.
FieldPath taint_path(const json& taint) {
  json key = {{"key", text(taint, "key")}, {"effect", text(taint, "effect")}};
  return {field("spec"), field("taints"), PathElement{PathElement::Kind::key, "", std::move(key), 0}};
}

// `object[name]` when it is a JSON object; an empty object otherwise.
const json& member_object(const json& object, std::string_view name) {
  static const json kEmpty = json::object();
  if (!object.is_object()) return kEmpty;
  auto it = object.find(name);
  return it != object.end() && it->is_object() ? *it : kEmpty;
}

std::optional<std::string> string_at(const json& map, const std::string& key) {
  auto it = map.find(key);
  if (it == map.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

// The strings of a record annotation's JSON array. A value that is not one
// (edited by hand) names nothing: claw then removes nothing it cannot name.
std::vector<std::string> recorded(const json& annotations, std::string_view key) {
  std::vector<std::string> out;
  std::optional<std::string> value = string_at(annotations, std::string(key));
  if (!value) return out;
  json list = json::parse(*value, nullptr, /*allow_exceptions=*/false);
  if (!list.is_array()) return out;
  for (const json& item : list)
    if (item.is_string()) out.push_back(item.get<std::string>());
  return out;
}

// A record annotation's value: the JSON array of `keys`; none when empty.
std::optional<std::string> record(const std::vector<std::string>& keys) {
  if (keys.empty()) return std::nullopt;
  return json(keys).dump();
}

const json* find_taint(const json& taints, const std::string& id) {
  if (!taints.is_array()) return nullptr;
  for (const json& t : taints)
    if (taint_id(t) == id) return &t;
  return nullptr;
}

void label_changes(const DesiredNode& d, const json& labels, const json& annotations, std::vector<FieldChange>& out) {
  std::set<std::string> keys;
  for (const auto& [k, v] : d.labels) keys.insert(k);
  for (const std::string& k : recorded(annotations, kLabelsAnnotation)) keys.insert(k);
  for (const std::string& k : keys) {
    std::optional<json> before, after;
    if (auto live = string_at(labels, k)) before = *live;
    if (auto it = d.labels.find(k); it != d.labels.end()) after = it->second;
    if (before != after) out.push_back(FieldChange{label_path(k), before, after});
  }
}

void taint_changes(const DesiredNode& d, const json& taints, const json& annotations, std::vector<FieldChange>& out) {
  std::set<std::string> declared;
  for (const json& t : d.taints) {
    declared.insert(taint_id(t));
    const json* live = find_taint(taints, taint_id(t));
    if (live == nullptr || !same_taint(*live, t))
      out.push_back(FieldChange{taint_path(t), live ? std::optional<json>(*live) : std::nullopt, t});
  }
  for (const std::string& id : recorded(annotations, kTaintsAnnotation)) {
    if (declared.contains(id)) continue;
    declared.insert(id);  // listed twice: removed once
    if (const json* live = find_taint(taints, id)) out.push_back(FieldChange{taint_path(*live), *live, std::nullopt});
  }
}

void record_change(std::string_view key, const std::optional<std::string>& want, const json& annotations,
                   std::vector<FieldChange>& out) {
  std::optional<std::string> have = string_at(annotations, std::string(key));
  if (have == want) return;
  FieldChange c{annotation_path(key), std::nullopt, std::nullopt};
  if (have) c.before = *have;
  if (want) c.after = *want;
  out.push_back(std::move(c));
}

std::vector<FieldChange> node_changes(const DesiredNode& d, const json& node) {
  const json& metadata = member_object(node, "metadata");
  const json& annotations = member_object(metadata, "annotations");
  const json& spec = member_object(node, "spec");
  static const json kNone = json::array();
  const json& taints = spec.contains("taints") ? spec["taints"] : kNone;
  std::vector<FieldChange> out;
  label_changes(d, member_object(metadata, "labels"), annotations, out);
  taint_changes(d, taints, annotations, out);
  std::vector<std::string> label_keys, taint_ids;
  for (const auto& [k, v] : d.labels) label_keys.push_back(k);
  for (const json& t : d.taints) taint_ids.push_back(taint_id(t));
  record_change(kLabelsAnnotation, record(label_keys), annotations, out);
  record_change(kTaintsAnnotation, record(taint_ids), annotations, out);
  return out;
}

// A core/v1 Taint: `value` only when set (the Go struct's omitempty).
json taint_json(const sema::Taint& t) {
  json out = {{"key", t.key}, {"effect", std::string(sema::taint_effect_name(t.effect))}};
  if (!t.value.empty()) out["value"] = t.value;
  return out;
}

}  // namespace

std::string taint_id(const json& taint) { return text(taint, "key") + ":" + text(taint, "effect"); }

// `value` omitted equals empty, as the Go struct's omitempty writes it;
// `timeAdded` is set for NoExecute taints by whoever adds them (the 1.31
// OpenAPI: "It is only written for NoExecute taints") and is not claw's.
bool same_taint(const json& a, const json& b) {
  return text(a, "key") == text(b, "key") && text(a, "effect") == text(b, "effect") &&
         text(a, "value") == text(b, "value");
}

std::vector<DesiredNode> desired_nodes(const sema::Model& model, const placement::Placement& placement) {
  // The labels come from emit::node_labels with the time-slicing labels, as
  // the join scripts and placement.json get them (compiler/emit/output_tree.cpp).
  const emit::TimeSlicing slicing = emit::time_slicing(model, placement);
  std::vector<DesiredNode> out;
  for (const sema::Machine& m : model.machines) {
    if (!m.joined || m.k3s == sema::K3sMode::None) continue;  // not a node (compiler/emit/join_script.cpp)
    DesiredNode d{m.name, emit::node_labels(m, slicing.node_labels(m.name)), {}};
    for (const sema::Taint& t : m.taints) {
      json taint = taint_json(t);
      bool seen = std::any_of(d.taints.begin(), d.taints.end(), [&](const json& x) { return taint_id(x) == taint_id(taint); });
      if (!seen) d.taints.push_back(std::move(taint));
    }
    out.push_back(std::move(d));
  }
  return out;
}

cluster::Request node_list_request() { return cluster::Request{"GET", "/api/v1/nodes", "", "", true}; }

const json* find_node(const json& node_list, std::string_view name) {
  auto items = node_list.is_object() ? node_list.find("items") : node_list.end();
  if (!node_list.is_object() || items == node_list.end() || !items->is_array()) return nullptr;
  for (const json& node : *items) {
    const json& metadata = member_object(node, "metadata");
    if (text(metadata, "name") == name) return &node;
  }
  return nullptr;
}

std::vector<NodePlan> plan_nodes(std::span<const DesiredNode> desired, const json& node_list) {
  std::vector<NodePlan> out;
  for (const DesiredNode& d : desired) {
    const json* node = find_node(node_list, d.name);
    if (node == nullptr) {
      out.push_back(NodePlan{d.name, false, {}});
      continue;
    }
    std::vector<FieldChange> changes = node_changes(d, *node);
    if (!changes.empty()) out.push_back(NodePlan{d.name, true, std::move(changes)});
  }
  return out;
}

std::vector<NodePlan> plan_nodes(const sema::Model& model, const placement::Placement& placement, const json& node_list) {
  std::vector<DesiredNode> desired = desired_nodes(model, placement);
  return plan_nodes(desired, node_list);
}

}  // namespace claw::plan
