#pragma once
// How structured-merge-diff sees one schema node: the shape that decides how
// a value is merged, compared and turned into field paths, and the path
// element of a list item. Shared by field sets, comparison and merge.

#include "runtime/sim/json_schema.h"

#include <optional>
#include <string>

namespace claw::sim {

enum class Shape {
  leaf,        // a scalar, or an atomic list/map/struct: one field
  fields,      // a struct or granular map: one path element per key
  assoc_list,  // list-type map: items by their key fields (`k:`)
  set_list,    // list-type set: items by value (`v:`)
};

// The shape of `value` under `schema`. Untyped (empty view) objects are
// granular maps and untyped lists atomic, as SMD's deduced schema has them.
Shape shape_of(SchemaView schema, const Json& value);

// The schema of key `key` of a struct or map node, and whether it is a
// declared struct field (SMD's FindField) rather than a map entry.
struct ChildSchema {
  SchemaView schema;
  bool struct_field = false;
};
ChildSchema child_schema(SchemaView schema, const std::string& key);

// The encoded path element of item `index` of a list (`k:{...}` for
// assoc_list, `v:<json>` for set_list, `i:<n>` otherwise).
std::string item_element(SchemaView list, const Json& item, std::size_t index);

// A list-map key field's value when the item omits it: the schema default,
// else the table of built-in key defaults; nullopt when there is none.
std::optional<Json> key_default(SchemaView item_schema, const std::string& key);

}  // namespace claw::sim
