#include "runtime/sim/default_fields.h"

namespace claw::sim::fields {

Json* find(Json& obj, std::string_view key) {
  if (!obj.is_object()) return nullptr;
  auto it = obj.find(key);
  return it == obj.end() ? nullptr : &*it;
}

const Json* find(const Json& obj, std::string_view key) {
  if (!obj.is_object()) return nullptr;
  auto it = obj.find(key);
  return it == obj.end() ? nullptr : &*it;
}

bool unset(const Json& obj, std::string_view key) {
  const Json* v = find(obj, key);
  return v == nullptr || v->is_null() || (v->is_string() && v->get_ref<const std::string&>().empty());
}

void set_default(Json& obj, std::string_view key, const Json& value) {
  if (obj.is_object() && unset(obj, key)) obj[std::string(key)] = value;
}

void set_if_zero(Json& obj, std::string_view key, int value) {
  const Json* v = find(obj, key);
  if (!obj.is_object()) return;
  if (v == nullptr || v->is_null() || (v->is_number() && v->get<double>() == 0)) obj[std::string(key)] = value;
}

Json* object_member(Json& obj, std::string_view key) {
  if (!obj.is_object()) return nullptr;
  Json& v = obj[std::string(key)];
  if (v.is_null()) v = Json::object();
  return v.is_object() ? &v : nullptr;
}

}  // namespace claw::sim::fields
