#pragma once
// The field paths of metadata.managedFields[].fieldsV1, the trie
// structured-merge-diff writes for each field manager
// (sigs.k8s.io/structured-merge-diff/v4 fieldpath/serialize.go and
// serialize-pe.go): keys `f:<name>`, `k:<json of the key fields>`,
// `v:<json value>`, `i:<index>`; a node that is itself a member and also
// has members below it carries `".": {}`.

#include <nlohmann/json.hpp>

#include <cstddef>
#include <expected>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace claw::plan {

/// One step of a field path.
struct PathElement {
  enum class Kind { field, key, value, index };
  Kind kind = Kind::field;
  std::string name;      // field: the field or map key
  nlohmann::json json;   // key: the object of key fields; value: the item
  std::size_t index = 0; // index: the position
};

/// A path from the object's root; `encode` gives the fieldsV1 form of a step.
using FieldPath = std::vector<PathElement>;

/// The fieldsV1 text of a step (`f:spec`, `k:{"name":"app"}`), canonical:
/// key objects with sorted keys and no spaces, as SMD writes them.
std::string encode(const PathElement& element);

/// A step read from its fieldsV1 text; an error naming the text when it is
/// not one of the four forms.
std::expected<PathElement, std::string> decode(std::string_view text);

/// A set of paths, each stored as its steps' encode() text, so that equal
/// paths compare equal however the server spaced its JSON.
using FieldSet = std::set<std::vector<std::string>>;

/// The member paths of a fieldsV1 trie; an error naming the bad key when
/// the trie is malformed.
std::expected<FieldSet, std::string> parse_fields_v1(const nlohmann::json& fields_v1);

/// The fieldsV1 of the managedFields entry of `manager` with operation
/// Apply on the main resource (no subresource) of `live`; nullptr when
/// there is none.
const nlohmann::json* applied_fields(const nlohmann::json& live, std::string_view manager);

/// The field manager claw applies with (`fieldManager=claw`).
inline constexpr std::string_view kClawManager = "claw";

}  // namespace claw::plan
