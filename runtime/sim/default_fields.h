#pragma once
// Small in-place setters every defaulting rule is written with. "Unset"
// follows how Go decodes JSON into the API types: a missing or null member
// is a nil pointer or a zero value, and "" is the zero string.

#include "runtime/sim/json_schema.h"

#include <string_view>

namespace claw::sim::fields {

// The member `key` of `obj`, or nullptr when absent or `obj` is no object.
Json* find(Json& obj, std::string_view key);
const Json* find(const Json& obj, std::string_view key);

// True when `key` is missing, null, or the empty string.
bool unset(const Json& obj, std::string_view key);

// Sets `key` to `value` when it is unset (a defaulted pointer or string).
void set_default(Json& obj, std::string_view key, const Json& value);

// Sets `key` to `value` when it is unset or 0 (a defaulted non-pointer int).
void set_if_zero(Json& obj, std::string_view key, int value);

// The object member `key`, created as {} when missing or null; nullptr when
// it holds something else (an invalid object validation will reject).
Json* object_member(Json& obj, std::string_view key);

// Calls `f` on each object element of the array member `key`.
template <typename F>
void each_object(Json& obj, std::string_view key, F&& f) {
  Json* list = find(obj, key);
  if (list == nullptr || !list->is_array()) return;
  for (Json& item : *list) {
    if (item.is_object()) f(item);
  }
}

}  // namespace claw::sim::fields
