#include "runtime/sim/smd_schema.h"

#include <array>
#include <string_view>

namespace claw::sim {
namespace {

// List-map key fields that have a default in the OpenAPI v3 document
// (`default: "TCP"`) but not in the v2 document the sim embeds. SMD fills a
// missing key from the schema default (typed/helpers.go, keyedAssociativeListItemToPathElement),
// so `ports: [{containerPort: 80}]` is `k:{"containerPort":80,"protocol":"TCP"}`.
// Source: kubernetes api/openapi-spec/v3/api__v1_openapi.json, ContainerPort
// and ServicePort `protocol`.
struct KeyDefault {
  std::string_view definition, field, value;
};
constexpr std::array kKeyDefaults = {
    KeyDefault{"io.k8s.api.core.v1.ContainerPort", "protocol", "TCP"},
    KeyDefault{"io.k8s.api.core.v1.ServicePort", "protocol", "TCP"},
};

bool is_atomic_object(SchemaView s) {
  // x-kubernetes-map-type atomic also marks atomic structs (LabelSelector);
  // a typed object with neither properties, map values nor preserve-unknown
  // has no granular content SMD could track.
  return s.map_type() == "atomic";
}

}  // namespace

Shape shape_of(SchemaView schema, const Json& value) {
  if (value.is_object()) {
    if (schema && is_atomic_object(schema)) return Shape::leaf;
    return Shape::fields;
  }
  if (value.is_array()) {
    if (!schema) return Shape::leaf;
    std::string_view t = schema.list_type();
    if (t == "map") return Shape::assoc_list;
    if (t == "set") return Shape::set_list;
    return Shape::leaf;
  }
  return Shape::leaf;
}

ChildSchema child_schema(SchemaView schema, const std::string& key) {
  const Json& raw = schema.raw();
  auto props = raw.find("properties");
  if (props != raw.end() && props->is_object() && props->contains(key)) {
    return {schema.property(key), true};
  }
  if (schema.is_map()) return {schema.map_values(), false};
  return {SchemaView(), false};
}

std::optional<Json> key_default(SchemaView item_schema, const std::string& key) {
  if (const Json* d = item_schema.property(key).default_value(); d != nullptr && !d->is_null()) return *d;
  for (const KeyDefault& k : kKeyDefaults) {
    if (k.definition == item_schema.definition_name() && k.field == key) return Json(std::string(k.value));
  }
  return std::nullopt;
}

std::string item_element(SchemaView list, const Json& item, std::size_t index) {
  std::string_view t = list ? list.list_type() : std::string_view("atomic");
  if (t == "set") return "v:" + item.dump();
  if (t != "map" || !item.is_object()) return "i:" + std::to_string(index);
  // Keys are sorted by name (fieldpath.KeyByFields); nlohmann::json objects are.
  Json keys = Json::object();
  SchemaView item_schema = list.items();
  for (const std::string& k : list.list_map_keys()) {
    auto it = item.find(k);
    if (it != item.end()) {
      keys[k] = *it;
    } else if (std::optional<Json> d = key_default(item_schema, k)) {
      keys[k] = *d;
    }
  }
  return "k:" + keys.dump();
}

}  // namespace claw::sim
