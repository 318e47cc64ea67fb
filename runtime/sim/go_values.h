#pragma once
// Decoded JSON as Go's encoding/json gives it to the apiserver
// (map[string]interface{}, []interface{}, string, int64, float64, bool, nil):
// its `%v` text, its reflect type name and interface equality. Error messages
// copied from Go code print values this way.

#include "runtime/sim/json_schema.h"

#include <string>

namespace claw::sim {

// fmt.Sprintf("%v", v): `map[a:1 b:[x y]]`, `<nil>`, floats as `%g`.
std::string go_value_string(const Json& v);
// reflect.TypeOf(v).String(): `map[string]interface {}`, `[]interface {}`,
// `string`, `int64`, `float64`, `bool`; `<nil>` for null.
std::string go_type_name(const Json& v);
// Go's `==` on two interface{} scalars: same dynamic type and same value
// (an int64 1 is not a float64 1); composite values compare structurally.
bool go_equal(const Json& a, const Json& b);

}  // namespace claw::sim
