// Reading checked values while lowering them into the model: the scalar,
// list and map accessors every lowering file shares.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "compiler/sema/value.h"

namespace claw::sema::detail::read {

using VK = Value::Kind;

/// The string, or nothing for any other value.
inline std::optional<std::string> str(const Value& v) {
  if (v.kind == VK::String) return v.s;
  return std::nullopt;
}
/// The integer, or nothing.
inline std::optional<int64_t> int_of(const Value& v) {
  if (v.kind == VK::Int) return v.i;
  return std::nullopt;
}
/// The boolean, or nothing.
inline std::optional<bool> bool_of(const Value& v) {
  if (v.kind == VK::Bool) return v.i != 0;
  return std::nullopt;
}
/// The strings of a list (others skipped).
inline std::vector<std::string> strings(const Value& v) {
  std::vector<std::string> out;
  if (v.kind == VK::List && v.items) {
    out.reserve(v.items->size());
    for (const auto& x : *v.items)
      if (x.kind == VK::String) out.push_back(x.s);
  }
  return out;
}
/// The string entries of a map.
inline std::map<std::string, std::string> string_map(const Value& v) {
  std::map<std::string, std::string> out;
  if (v.kind != VK::Map || !v.keys || !v.items) return out;
  for (size_t i = 0; i < v.keys->size() && i < v.items->size(); ++i)
    if ((*v.items)[i].kind == VK::String) out[(*v.keys)[i]] = (*v.items)[i].s;
  return out;
}
/// Whether a field was given a value (a bad one counts as not given).
inline bool set(const Value& v) { return !v.is_null() && !v.bad(); }

}  // namespace claw::sema::detail::read
