#include "runtime/sim/json_schema.h"

namespace claw::sim {
namespace {

constexpr std::string_view kRefPrefix = "#/definitions/";

const Json* member(const Json* node, std::string_view key) {
  if (node == nullptr || !node->is_object()) return nullptr;
  auto it = node->find(key);
  return it == node->end() ? nullptr : &*it;
}

std::string_view string_member(const Json* node, std::string_view key) {
  const Json* v = member(node, key);
  if (v == nullptr || !v->is_string()) return {};
  return v->get_ref<const std::string&>();
}

// Follows `$ref` (and a one-element `allOf` wrapping one, as OpenAPI v3
// writes references that carry a description) to the definition.
SchemaView resolve(const Json* node, const Json* defs) {
  for (int depth = 0; node != nullptr && depth < 8; ++depth) {
    std::string_view ref = string_member(node, "$ref");
    if (ref.empty()) {
      const Json* all = member(node, "allOf");
      if (all != nullptr && all->is_array() && all->size() == 1) {
        ref = string_member(&(*all)[0], "$ref");
      }
    }
    if (ref.empty()) return SchemaView(node, defs);
    if (defs == nullptr || !ref.starts_with(kRefPrefix)) return {};
    node = member(defs, ref.substr(kRefPrefix.size()));
  }
  return {};
}

// The schema of a child node (a property, a map's values, a list's items),
// remembering the definition name a `$ref` named.
SchemaView child(const Json* node, const Json* defs) {
  if (node == nullptr) return {};
  SchemaView v = resolve(node, defs);
  std::string_view ref = string_member(node, "$ref");
  if (ref.starts_with(kRefPrefix)) v = v.with_definition_name(ref.substr(kRefPrefix.size()));
  return v;
}

}  // namespace

SchemaView::SchemaView(const Json* node, const Json* definitions) : node_(node), defs_(definitions) {}

SchemaView SchemaView::definition(const Json& definitions, std::string_view name) {
  SchemaView v = resolve(member(&definitions, name), &definitions);
  return v ? v.with_definition_name(definitions.find(name).key()) : v;
}

SchemaView SchemaView::with_definition_name(std::string_view name) const {
  SchemaView v = *this;
  v.ref_ = name;
  return v;
}

const Json& SchemaView::raw() const {
  static const Json empty = Json::object();
  return node_ != nullptr ? *node_ : empty;
}

std::string_view SchemaView::type() const { return string_member(node_, "type"); }
std::string_view SchemaView::format() const { return string_member(node_, "format"); }
std::string_view SchemaView::description() const { return string_member(node_, "description"); }

bool SchemaView::is_quantity() const {
  return ref_ == "io.k8s.apimachinery.pkg.api.resource.Quantity";
}

bool SchemaView::is_int_or_string() const {
  const Json* x = member(node_, "x-kubernetes-int-or-string");
  return format() == "int-or-string" || (x != nullptr && x->is_boolean() && x->get<bool>());
}

bool SchemaView::preserves_unknown_fields() const {
  const Json* x = member(node_, "x-kubernetes-preserve-unknown-fields");
  return x != nullptr && x->is_boolean() && x->get<bool>();
}

bool SchemaView::embedded_resource() const {
  const Json* x = member(node_, "x-kubernetes-embedded-resource");
  return x != nullptr && x->is_boolean() && x->get<bool>();
}

bool SchemaView::has_properties() const {
  const Json* p = member(node_, "properties");
  return p != nullptr && p->is_object();
}

SchemaView SchemaView::property(std::string_view name) const {
  return child(member(member(node_, "properties"), name), defs_);
}

std::vector<std::string> SchemaView::property_names() const {
  std::vector<std::string> names;
  if (const Json* p = member(node_, "properties"); p != nullptr && p->is_object()) {
    for (auto it = p->begin(); it != p->end(); ++it) names.push_back(it.key());
  }
  return names;
}

std::vector<std::string> SchemaView::required() const {
  std::vector<std::string> names;
  if (const Json* r = member(node_, "required"); r != nullptr && r->is_array()) {
    for (const Json& n : *r) {
      if (n.is_string()) names.push_back(n.get<std::string>());
    }
  }
  return names;
}

bool SchemaView::is_map() const {
  const Json* a = member(node_, "additionalProperties");
  return a != nullptr && (a->is_object() || (a->is_boolean() && a->get<bool>()));
}

SchemaView SchemaView::map_values() const {
  const Json* a = member(node_, "additionalProperties");
  return a != nullptr && a->is_object() ? child(a, defs_) : SchemaView();
}

std::string_view SchemaView::map_type() const {
  std::string_view t = string_member(node_, "x-kubernetes-map-type");
  return t.empty() ? std::string_view("granular") : t;
}

SchemaView SchemaView::items() const { return child(member(node_, "items"), defs_); }

std::string_view SchemaView::list_type() const {
  std::string_view t = string_member(node_, "x-kubernetes-list-type");
  if (!t.empty()) return t;
  if (patch_strategy().find("merge") != std::string_view::npos) {
    return patch_merge_key().empty() ? std::string_view("set") : std::string_view("map");
  }
  return "atomic";
}

std::vector<std::string> SchemaView::list_map_keys() const {
  std::vector<std::string> keys;
  if (const Json* k = member(node_, "x-kubernetes-list-map-keys"); k != nullptr && k->is_array()) {
    for (const Json& n : *k) {
      if (n.is_string()) keys.push_back(n.get<std::string>());
    }
  }
  if (keys.empty() && list_type() == "map" && !patch_merge_key().empty()) {
    keys.emplace_back(patch_merge_key());
  }
  return keys;
}

std::string_view SchemaView::patch_strategy() const {
  return string_member(node_, "x-kubernetes-patch-strategy");
}

std::string_view SchemaView::patch_merge_key() const {
  return string_member(node_, "x-kubernetes-patch-merge-key");
}

const Json* SchemaView::default_value() const { return member(node_, "default"); }

}  // namespace claw::sim
