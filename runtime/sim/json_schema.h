#pragma once
// A read-only view of one node of an OpenAPI schema: the official Kubernetes
// document's definitions (`$ref: #/definitions/...`) or a CRD's inline
// `openAPIV3Schema`. Every merge, validation and defaulting rule of the sim
// reads its schema facts through this view and nowhere else.

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace claw::sim {

using Json = nlohmann::json;

// One schema node with its `$ref` resolved; an empty view means "untyped":
// anything is accepted, lists are atomic, maps are granular.
class SchemaView {
 public:
  SchemaView() = default;
  // `definitions` is the document's `definitions` object (nullptr for a CRD).
  SchemaView(const Json* node, const Json* definitions);
  // The named definition of an OpenAPI v2 document's `definitions`.
  static SchemaView definition(const Json& definitions, std::string_view name);

  explicit operator bool() const { return node_ != nullptr; }
  const Json& raw() const;

  // "object", "array", "string", "integer", "number", "boolean", or "" when
  // the schema does not say (a quantity or int-or-string says "string").
  std::string_view type() const;
  std::string_view format() const;
  std::string_view description() const;
  // The `#/definitions/` name the node was reached through, or "".
  std::string_view definition_name() const { return ref_; }
  // The same node, known by the definition name `name` (which must outlive it).
  SchemaView with_definition_name(std::string_view name) const;

  bool is_quantity() const;       // io.k8s.apimachinery.pkg.api.resource.Quantity
  bool is_int_or_string() const;  // format int-or-string or x-kubernetes-int-or-string
  bool preserves_unknown_fields() const;  // x-kubernetes-preserve-unknown-fields
  bool embedded_resource() const;         // x-kubernetes-embedded-resource

  // A struct: named properties. property() is empty when the name is not one.
  bool has_properties() const;
  SchemaView property(std::string_view name) const;
  std::vector<std::string> property_names() const;
  std::vector<std::string> required() const;

  // A map: `additionalProperties` gives the value schema.
  bool is_map() const;
  SchemaView map_values() const;
  // x-kubernetes-map-type: "atomic" or "granular" (the default).
  std::string_view map_type() const;

  // A list: items, and how server-side apply merges it. list_type() follows
  // structured-merge-diff's conversion of the OpenAPI document: the explicit
  // x-kubernetes-list-type wins; otherwise a `merge` patch strategy makes an
  // associative list keyed by the patch merge key ("map"), or a set when there
  // is no key; otherwise "atomic".
  SchemaView items() const;
  std::string_view list_type() const;
  std::vector<std::string> list_map_keys() const;
  std::string_view patch_strategy() const;   // x-kubernetes-patch-strategy
  std::string_view patch_merge_key() const;  // x-kubernetes-patch-merge-key

  // The node's `default`, or null.
  const Json* default_value() const;

 private:
  const Json* node_ = nullptr;
  const Json* defs_ = nullptr;
  std::string_view ref_;
};

}  // namespace claw::sim
