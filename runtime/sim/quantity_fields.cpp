// canonicalize_quantities: the decoder parses every resource.Quantity field
// and the encoder writes it back canonically (apimachinery quantity.go
// UnmarshalJSON / MarshalJSON); a map of quantities is a ResourceList, which
// core/v1 SetDefaults_ResourceList rounds up to milli first.
#include "runtime/sim/defaults.h"
#include "runtime/sim/quantity.h"

namespace claw::sim {
namespace {

void walk(SchemaView schema, Json& value, const std::string& path, bool in_resource_list,
          std::vector<std::string>& bad) {
  if (!schema || value.is_null()) return;
  if (schema.is_quantity()) {
    auto text = in_resource_list ? canonical_resource_quantity(value) : canonical_quantity(value);
    if (text) value = *text;
    else bad.push_back(path);
    return;
  }
  if (value.is_object() && schema.has_properties()) {
    for (auto it = value.begin(); it != value.end(); ++it) {
      std::string child = path.empty() ? it.key() : path + "." + it.key();
      walk(schema.property(it.key()), it.value(), child, false, bad);
    }
  } else if (value.is_object() && schema.is_map()) {
    SchemaView values = schema.map_values();
    for (auto it = value.begin(); it != value.end(); ++it) {
      walk(values, it.value(), path + "." + it.key(), values.is_quantity(), bad);
    }
  } else if (value.is_array()) {
    SchemaView items = schema.items();
    for (std::size_t i = 0; i < value.size(); ++i) {
      walk(items, value[i], path + "[" + std::to_string(i) + "]", false, bad);
    }
  }
}

}  // namespace

std::vector<std::string> canonicalize_quantities(SchemaView schema, Json& object) {
  std::vector<std::string> bad;
  walk(schema, object, "", false, bad);
  return bad;
}

}  // namespace claw::sim
