#pragma once
// What the Kubernetes schema says about a field, for comparing objects the
// way the API server merges them: how a list's items are identified
// (x-kubernetes-list-type / x-kubernetes-list-map-keys) and whether a
// value is a resource.Quantity. One table, shared by compare and field_diff.

#include <nlohmann/json.hpp>

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace claw::plan {

/// How a list's items are told apart (x-kubernetes-list-type).
enum class ListType {
  atomic,  // one value: items by position, the whole list replaced on apply
  map,     // items identified by their key fields
  set,     // items identified by their own (scalar) value
};

/// One key field of a map-type list, and the value the schema defaults it
/// to when an item omits it ("" when it has no default).
struct ListKey {
  std::string field;
  std::string default_value;
};

/// A list's type and, for a map-type list, its key fields.
struct ListRule {
  ListType type = ListType::atomic;
  std::vector<ListKey> keys;
};

/// How a scalar is compared.
enum class ScalarRule {
  exact,          // JSON equality (an int-or-string "80" is not 80)
  quantity,       // a resource.Quantity, compared by value
  resource_list,  // a value of a core/v1 ResourceList: by value, rounded up to milli
};

/// The group of an apiVersion: "" for `v1`, "apps" for `apps/v1`.
std::string api_group(std::string_view api_version);

/// What the table knows of one kind: its lists and quantity fields by
/// schema path (field names joined by `.`, a list item written `[]`:
/// "spec.template.spec.containers[].ports").
struct KindRules {
  std::map<std::string, ListRule, std::less<>> lists;
  /// Paths of maps whose values are quantities of a core/v1 ResourceList.
  std::set<std::string, std::less<>> resource_lists;
  /// Single quantity fields: the parent path, then the field names.
  std::map<std::string, std::set<std::string, std::less<>>, std::less<>> quantities;
};

/// The rules of `kind` in API group `group`; for a kind the table does not
/// know (a custom resource), only ObjectMeta's lists: every other list is
/// atomic and no value a quantity.
const KindRules& kind_rules(std::string_view group, std::string_view kind);

/// The rule for the list at `schema_path`; atomic when the table does not
/// name it (as structured-merge-diff treats a list without a list-type).
const ListRule& list_rule(const KindRules& rules, std::string_view schema_path);

/// The rule for the scalar named `name` (a field or map key) inside the
/// object or map at `parent_path`.
ScalarRule scalar_rule(const KindRules& rules, std::string_view parent_path, std::string_view name);

/// The key of a map-type list item: the item's key fields, defaults filled
/// in, as the JSON object fieldsV1 writes after `k:`; null when `item` is
/// not an object.
nlohmann::json item_key(const ListRule& rule, const nlohmann::json& item);

/// Whether two scalars are the same value under `rule`.
bool same_scalar(ScalarRule rule, const nlohmann::json& a, const nlohmann::json& b);

}  // namespace claw::plan
