#include "runtime/sim/strategic_merge.h"

#include "runtime/sim/go_values.h"

#include <fmt/format.h>

#include <utility>
#include <vector>

// Every rule below follows k8s.io/apimachinery pkg/util/strategicpatch/patch.go
// (function names in the comments are that file's), with the error texts of
// pkg/util/mergepatch/errors.go and third_party/forked/golang/json/fields.go.

namespace claw::sim {
namespace {

using std::unexpected;
template <class T>
using Result = std::expected<T, std::string>;
using List = std::vector<Json>;

constexpr std::string_view kDirectiveMarker = "$patch";
constexpr std::string_view kDeleteDirective = "delete";
constexpr std::string_view kReplaceDirective = "replace";
constexpr std::string_view kMergeDirective = "merge";
constexpr std::string_view kRetainKeysStrategy = "retainKeys";
constexpr std::string_view kRetainKeysDirective = "$retainKeys";
constexpr std::string_view kDeleteFromPrimitiveListPrefix = "$deleteFromPrimitiveList";
constexpr std::string_view kSetElementOrderPrefix = "$setElementOrder";

// mergepatch/errors.go sentinels: the apiserver maps these to 400 / 422.
constexpr std::string_view kErrBadJSONDoc = "invalid JSON document";
constexpr std::string_view kErrNoListOfLists = "lists of lists are not supported";
constexpr std::string_view kErrBadPatchFormatForPrimitiveList = "invalid patch format of primitive list";
constexpr std::string_view kErrBadPatchFormatForRetainKeys = "invalid patch format of retainKeys";
constexpr std::string_view kErrBadPatchFormatForSetElementOrderList = "invalid patch format of setElementOrder list";
constexpr std::string_view kErrPatchContentNotMatchRetainKeys = "patch content doesn't match retainKeys list";
constexpr std::string_view kErrUnsupportedStrategicMergePatchFormat = "strategic merge patch format is not supported";

std::unexpected<std::string> fail(std::string_view message) { return unexpected(std::string(message)); }

// mergepatch.ErrNoMergeKey
std::unexpected<std::string> no_merge_key(const Json& m, std::string_view key) {
  return unexpected(fmt::format("map: {} does not contain declared merge key: {}", go_value_string(m), key));
}

// mergepatch.ErrBadArgType(expected, actual) for an expected typed nil.
std::unexpected<std::string> bad_arg_type(std::string_view expected, const Json& actual) {
  std::string got = actual.is_null() ? "%!s(<nil>)" : go_type_name(actual);
  return unexpected(fmt::format("expected a {}, but received a {}", expected, got));
}

constexpr std::string_view kGoMap = "map[string]interface {}";
constexpr std::string_view kGoSlice = "[]interface {}";

// mergepatch.ErrBadPatchType: "%s" of a non-string prints Go's %!s(T=v).
std::unexpected<std::string> bad_patch_type(const Json& t, const Json& m) {
  std::string ts = t.is_string() ? t.get<std::string>()
                                 : fmt::format("%!s({}={})", go_type_name(t), go_value_string(t));
  if (t.is_null()) ts = "%!s(<nil>)";
  return unexpected(fmt::format("unknown patch type: {} in map: {}", ts, go_value_string(m)));
}

bool is_string(const Json& v, std::string_view s) { return v.is_string() && v.get_ref<const std::string&>() == s; }

// ---- patch metadata (meta.go PatchMetaFromStruct, forked json fields.go) ----

struct PatchMeta {
  SchemaView schema;  // the field's value (for a slice: its items)
  std::vector<std::string> strategies;
  std::string merge_key;
};

// The Go struct name reflect reports, from the definition name.
std::string struct_name(const SchemaView& s) {
  std::string_view d = s.definition_name();
  auto dot = d.rfind('.');
  return std::string(dot == std::string_view::npos ? d : d.substr(dot + 1));
}

std::vector<std::string> split_strategies(std::string_view tag) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    auto comma = tag.find(',', start);
    out.emplace_back(tag.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}

// LookupPatchMetadataForStruct. A map field (labels) is looked into only when
// both sides hold objects or lists under one of its keys, which the Go struct
// lookup refuses. An untyped schema (no properties, no map values:
// RawExtension, preserve-unknown-fields) answers "no strategy".
Result<PatchMeta> lookup_struct(const SchemaView& parent, const std::string& key) {
  if (!parent || (!parent.has_properties() && !parent.is_map())) return PatchMeta{};
  if (!parent.has_properties()) {
    return fail("merging an object in json but data type is not struct, instead is: map");
  }
  SchemaView field = parent.property(key);
  if (!field) {
    return unexpected(fmt::format("unable to find api field in struct {} for the json field \"{}\"",
                                  struct_name(parent), key));
  }
  // The extensions sit beside a `$ref` (DeploymentSpec.strategy: retainKeys,
  // PodDisruptionBudgetSpec.selector: replace), so read the property's own node.
  const Json& node = parent.raw().at("properties").at(key);
  auto extension = [&](const char* name) {
    auto it = node.find(name);
    return it != node.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  return PatchMeta{field, split_strategies(extension("x-kubernetes-patch-strategy")),
                   extension("x-kubernetes-patch-merge-key")};
}

// LookupPatchMetadataForSlice: the struct lookup, then the list's items.
Result<PatchMeta> lookup_slice(const SchemaView& parent, const std::string& key) {
  auto meta = lookup_struct(parent, key);
  if (!meta) return meta;
  if (meta->schema && meta->schema.type() != "array") {
    return fail("expected slice or array type, but got: struct");
  }
  meta->schema = meta->schema ? meta->schema.items() : SchemaView{};
  return meta;
}

// extractRetainKeysPatchStrategy: the non-retainKeys strategy.
Result<std::string> patch_strategy(const std::vector<std::string>& strategies) {
  auto unexpected_strategy = [&] {
    std::string list;
    for (const auto& s : strategies) list += (list.empty() ? "" : " ") + s;
    return unexpected(fmt::format("unexpected patch strategy: [{}]", list));
  };
  switch (strategies.size()) {
    case 0: return std::string();
    case 1: return strategies[0] == kRetainKeysStrategy ? std::string() : strategies[0];
    case 2:
      if (strategies[0] == kRetainKeysStrategy) return strategies[1];
      if (strategies[1] == kRetainKeysStrategy) return strategies[0];
      return unexpected_strategy();
    default: return unexpected_strategy();
  }
}

// ---- list helpers ----

// The Go dynamic type of each element, for sliceElementType.
enum class Kind { Map, Slice, Other };
Kind kind_of(const Json& v) { return v.is_object() ? Kind::Map : v.is_array() ? Kind::Slice : Kind::Other; }

// sliceElementType: all elements of both lists share one Go type, not a list.
Result<Kind> slice_element_type(const List& a, const List& b) {
  const Json* prev = nullptr;
  for (const List* l : {&a, &b}) {
    for (const Json& v : *l) {
      if (prev == nullptr) {
        prev = &v;
        if (v.is_array()) return fail(kErrNoListOfLists);
      } else if (go_type_name(*prev) != go_type_name(v)) {
        return unexpected(fmt::format("list element types are not identical: [{} {}]",
                                      go_value_string(Json(a)), go_value_string(Json(b))));
      }
    }
  }
  if (prev == nullptr) return fail("no elements in any of the given slices");
  return kind_of(*prev);
}

// index(): position of `v` in `l` by merge key value (maps) or by value.
int index_of(const List& l, const Json& v, const std::string& merge_key, Kind kind) {
  auto key_of = [&](const Json& item) -> Json {
    if (kind != Kind::Map) return item;
    if (!item.is_object()) return nullptr;
    auto it = item.find(merge_key);
    return it == item.end() ? Json(nullptr) : *it;
  };
  Json want = key_of(v);
  for (std::size_t i = 0; i < l.size(); ++i) {
    if (go_equal(want, key_of(l[i]))) return static_cast<int>(i);
  }
  return -1;
}

// findMapInSliceBasedOnKeyValue
Result<int> find_by_key(const List& l, const std::string& key, const Json& value) {
  for (std::size_t i = 0; i < l.size(); ++i) {
    if (!l[i].is_object()) return unexpected(fmt::format("value for key {} is not a map", i));
    auto it = l[i].find(key);
    if (it != l[i].end() && go_equal(*it, value)) return static_cast<int>(i);
  }
  return -1;
}

// validateMergeKeyInLists
Result<void> validate_merge_key(const std::string& merge_key, const List& list) {
  for (const Json& item : list) {
    if (!item.is_object()) return bad_arg_type(kGoMap, item);
    if (!item.contains(merge_key)) return no_merge_key(item, merge_key);
  }
  return {};
}

// extractToDeleteItems: (kept, `$patch: delete` items).
Result<std::pair<List, List>> split_deletes(const List& l) {
  std::pair<List, List> out;
  for (const Json& v : l) {
    if (!v.is_object()) return bad_arg_type(kGoMap, v);
    auto d = v.find(kDirectiveMarker);
    (d != v.end() && is_string(*d, kDeleteDirective) ? out.second : out.first).push_back(v);
  }
  return out;
}

// normalizeSliceOrder: sort.SliceStable by position in `order`. Go's stable
// sort is an insertion sort up to 20 elements; the comparator says "less"
// whenever either item is missing from `order`, so the same algorithm runs.
Result<List> normalize_slice_order(List to_sort, const List& order, const std::string& merge_key, Kind kind) {
  List to_delete;
  if (kind == Kind::Map) {
    if (auto e = validate_merge_key(merge_key, to_sort); !e) return unexpected(e.error());
    if (auto e = validate_merge_key(merge_key, order); !e) return unexpected(e.error());
    auto split = split_deletes(to_sort);
    if (!split) return unexpected(split.error());
    to_sort = std::move(split->first);
    to_delete = std::move(split->second);
  }
  auto less = [&](const Json& a, const Json& b) {
    int ia = index_of(order, a, merge_key, kind);
    if (ia >= 0) {
      int ib = index_of(order, b, merge_key, kind);
      if (ib >= 0) return ia < ib;
    }
    return true;
  };
  for (std::size_t i = 1; i < to_sort.size(); ++i) {
    for (std::size_t j = i; j > 0 && less(to_sort[j], to_sort[j - 1]); --j) std::swap(to_sort[j], to_sort[j - 1]);
  }
  for (Json& d : to_delete) to_sort.push_back(std::move(d));
  return to_sort;
}

// mergeSortedSlice: interleaves server-only items (`left`) into the patch
// items (`right`) by their positions in the live list.
List merge_sorted(const List& left, const List& right, const List& server_order, const std::string& merge_key,
                  Kind kind) {
  List out;
  std::size_t i = 0, j = 0;
  while (i < left.size() || j < right.size()) {
    if (i >= left.size()) {
      out.push_back(right[j++]);
    } else if (j >= right.size()) {
      out.push_back(left[i++]);
    } else {
      int li = index_of(server_order, left[i], merge_key, kind);
      int ri = index_of(server_order, right[j], merge_key, kind);
      if (li >= 0 && ri >= 0 && li < ri) {
        out.push_back(left[i++]);
      } else {
        out.push_back(right[j++]);
      }
    }
  }
  return out;
}

// normalizeElementOrder
Result<List> normalize_element_order(const List& patch, const List& server_only, const List& patch_order,
                                     const List& server_order, const std::string& merge_key, Kind kind) {
  auto p = normalize_slice_order(patch, patch_order, merge_key, kind);
  if (!p) return p;
  auto s = normalize_slice_order(server_only, server_order, merge_key, kind);
  if (!s) return s;
  return merge_sorted(*s, *p, server_order, merge_key, kind);
}

// partitionPrimitivesByPresentInList / partitionMapsByPresentInList
Result<std::pair<List, List>> partition(const List& merged, const List& by, const std::string& merge_key) {
  std::pair<List, List> out;  // (in `by`, server only)
  for (const Json& v : merged) {
    bool found = false;
    if (merge_key.empty()) {
      if (v.is_object() || v.is_array()) return fail("runtime error: hash of unhashable type map[string]interface {}");
      for (const Json& b : by) found = found || go_equal(b, v);
    } else {
      if (!v.is_object()) return bad_arg_type(kGoMap, v);
      auto key = v.find(merge_key);
      if (key == v.end()) return no_merge_key(v, merge_key);
      auto at = find_by_key(by, merge_key, *key);
      if (!at) return unexpected(at.error());
      found = *at >= 0;
    }
    (found ? out.first : out.second).push_back(v);
  }
  return out;
}

// deduplicateScalars, including its element moves.
List deduplicate_scalars(List s) {
  std::size_t length = s.size();
  if (length == 0) return s;
  length -= 1;
  for (std::size_t i = 0; i < length; ++i) {
    for (std::size_t j = i + 1; j <= length; ++j) {
      if (go_equal(s[i], s[j])) {
        s[j] = s[length];
        s.resize(length);
        --length;
        --j;
      }
    }
  }
  return s;
}

// deleteFromSlice
List delete_from_slice(const List& current, const List& to_delete) {
  List out;
  for (const Json& v : current) {
    bool del = false;
    for (const Json& d : to_delete) del = del || go_equal(d, v);
    if (!del) out.push_back(v);
  }
  return out;
}

// removeDirectives: drops maps carrying `$patch`; false = drop the value.
bool remove_directives(Json& v) {
  if (v.is_object()) {
    if (v.contains(kDirectiveMarker)) return false;
    for (auto it = v.begin(); it != v.end();) {
      it = remove_directives(it.value()) ? std::next(it) : v.erase(it);
    }
  } else if (v.is_array()) {
    Json kept = Json::array();
    for (Json& item : v) {
      if (remove_directives(item)) kept.push_back(std::move(item));
    }
    v = std::move(kept);
  }
  return true;
}

// discardNullValuesFromPatch
void discard_nulls(Json& v) {
  if (v.is_object()) {
    for (auto it = v.begin(); it != v.end();) {
      if (it->is_null()) {
        it = v.erase(it);
      } else {
        discard_nulls(*it);
        ++it;
      }
    }
  } else if (v.is_array()) {
    for (Json& item : v) discard_nulls(item);
  }
}

// extractKey: the list field a `<prefix>/<field>` directive names.
Result<std::string> extract_key(const std::string& s, std::string_view prefix) {
  auto slash = s.find('/');
  if (slash == std::string::npos || std::string_view(s).substr(0, slash) != prefix) {
    if (prefix == kDeleteFromPrimitiveListPrefix) return fail(kErrBadPatchFormatForPrimitiveList);
    return fail(kErrBadPatchFormatForSetElementOrderList);
  }
  return s.substr(slash + 1);
}

List as_list(const Json& v) { return v.is_array() ? v.get<List>() : List{}; }

Result<Json> merge_map(Json original, Json patch, const SchemaView& schema);

// mergeSliceWithSpecialElements: applies `$patch: delete|replace` items.
Result<std::pair<List, List>> merge_special_elements(List original, const List& patch, const std::string& merge_key) {
  List plain;
  bool replace = false;
  for (const Json& v : patch) {
    auto d = v.find(kDirectiveMarker);
    if (d == v.end()) {
      plain.push_back(v);
    } else if (is_string(*d, kDeleteDirective)) {
      auto key = v.find(merge_key);
      if (key == v.end()) return no_merge_key(v, merge_key);
      for (auto at = find_by_key(original, merge_key, *key); at && *at >= 0;
           at = find_by_key(original, merge_key, *key)) {
        original.erase(original.begin() + *at);
      }
    } else if (is_string(*d, kReplaceDirective)) {
      replace = true;
    } else if (is_string(*d, kMergeDirective)) {
      return fail("merging lists cannot yet be specified in the patch");
    } else {
      return bad_patch_type(*d, v);
    }
  }
  if (replace) return std::pair<List, List>{std::move(plain), List{}};
  return std::pair<List, List>{std::move(original), std::move(plain)};
}

// mergeSliceWithoutSpecialElements: merges items by merge key, appends new ones.
Result<List> merge_by_key(List original, const List& patch, const std::string& merge_key, const SchemaView& schema) {
  for (const Json& v : patch) {
    auto key = v.find(merge_key);
    if (key == v.end()) return no_merge_key(v, merge_key);
    auto at = find_by_key(original, merge_key, *key);
    if (!at) return unexpected(at.error());
    if (*at >= 0) {
      auto merged = merge_map(original[*at], v, schema);
      if (!merged) return unexpected(merged.error());
      original[*at] = std::move(*merged);
    } else {
      original.push_back(v);
    }
  }
  return original;
}

// mergeSlice
Result<List> merge_slice(List original, List patch, const SchemaView& schema, const std::string& merge_key,
                         bool is_delete_list) {
  if (original.empty() && patch.empty()) return original;
  auto kind = slice_element_type(original, patch);
  if (!kind) return unexpected(kind.error());
  List merged;
  if (*kind != Kind::Map) {
    if (is_delete_list) return delete_from_slice(original, patch);
    List both = original;
    both.insert(both.end(), patch.begin(), patch.end());
    merged = deduplicate_scalars(std::move(both));
  } else {
    if (merge_key.empty()) return fail("cannot merge lists without merge key for struct");
    auto special = merge_special_elements(std::move(original), patch, merge_key);
    if (!special) return unexpected(special.error());
    original = std::move(special->first);
    patch = std::move(special->second);
    auto by_key = merge_by_key(original, patch, merge_key, schema);
    if (!by_key) return by_key;
    merged = std::move(*by_key);
  }
  auto parts = partition(merged, patch, merge_key);
  if (!parts) return unexpected(parts.error());
  return normalize_element_order(parts->first, parts->second, patch, original, merge_key, *kind);
}

// mergeSliceHandler: merge-strategy lists (and deletion lists) merge, others are replaced.
Result<Json> merge_slice_handler(const Json& original, const Json& patch, const SchemaView& schema,
                                 const std::string& strategy, const std::string& merge_key, bool is_delete_list) {
  if (strategy != kMergeDirective && !is_delete_list) return patch;
  auto merged = merge_slice(as_list(original), as_list(patch), schema, merge_key, is_delete_list);
  if (!merged) return unexpected(merged.error());
  return Json(std::move(*merged));
}

// handleDirectiveInMergeMap: `$patch: replace` keeps the patch, `delete` empties.
Result<Json> map_directive(const Json& directive, Json patch) {
  if (is_string(directive, kReplaceDirective)) {
    patch.erase(std::string(kDirectiveMarker));
    return patch;
  }
  if (is_string(directive, kDeleteDirective)) return Json::object();
  return bad_patch_type(directive, patch);
}

// applyRetainKeysDirective: clears the fields `$retainKeys` does not list.
Result<void> apply_retain_keys(Json& original, Json& patch) {
  auto found = patch.find(kRetainKeysDirective);
  if (found == patch.end()) return {};
  Json retain = *found;
  patch.erase(std::string(kRetainKeysDirective));
  if (!retain.is_array()) return fail(kErrBadPatchFormatForRetainKeys);
  auto listed = [&](const std::string& k) {
    for (const Json& r : retain) {
      if (is_string(r, k)) return true;
    }
    return false;
  };
  for (const auto& [k, v] : patch.items()) {
    if (v.is_null() || k.starts_with(kDeleteFromPrimitiveListPrefix) || k.starts_with(kSetElementOrderPrefix)) continue;
    if (!listed(k)) return fail(kErrBadPatchFormatForRetainKeys);
  }
  for (auto it = original.begin(); it != original.end();) {
    it = listed(it.key()) ? std::next(it) : original.erase(it);
  }
  return {};
}

// validatePatchWithSetOrderList: the patch list's items appear in the
// `$setElementOrder` list in the same relative order.
Result<void> validate_set_order(const Json& patch_list, const Json& order, const std::string& merge_key) {
  if (!order.is_array() || !patch_list.is_array()) return fail(kErrBadPatchFormatForSetElementOrderList);
  if (order.empty() || patch_list.empty()) return {};
  List non_delete = as_list(patch_list);
  if (!merge_key.empty()) {
    auto split = split_deletes(non_delete);
    if (!split) return unexpected(split.error());
    non_delete = std::move(split->first);
  }
  std::size_t pi = 0, oi = 0;
  while (pi < non_delete.size() && oi < order.size()) {
    const Json& item = non_delete[pi];
    if (item.is_object() && item.contains(kDirectiveMarker)) {
      ++pi;
      continue;
    }
    bool equal = false;
    if (merge_key.empty()) {
      equal = go_equal(item, order[oi]);
    } else {
      if (!item.is_object()) return bad_arg_type(kGoMap, item);
      if (!order[oi].is_object()) return bad_arg_type(kGoMap, order[oi]);
      auto l = item.find(merge_key);
      if (l == item.end()) return no_merge_key(item, merge_key);
      auto r = order[oi].find(merge_key);
      if (r == order[oi].end()) return no_merge_key(order[oi], merge_key);
      equal = go_equal(*l, *r);
    }
    if (equal) ++pi;
    ++oi;
  }
  if (pi < non_delete.size() && oi >= order.size()) {
    return unexpected(fmt::format("The order in patch list:\n{}\n doesn't match {} list:\n{}\n",
                                  go_value_string(patch_list), kSetElementOrderPrefix, go_value_string(order)));
  }
  return {};
}

// mergePatchIntoOriginal: merges each list that has a `$setElementOrder/<f>`
// and orders it: $setElementOrder > order in the patch > order in the live list.
Result<void> merge_ordered_lists(Json& original, Json& patch, const SchemaView& schema) {
  std::vector<std::string> keys;
  for (const auto& [k, v] : patch.items()) {
    if (k.starts_with(kSetElementOrderPrefix)) keys.push_back(k);
  }
  for (const std::string& key : keys) {
    Json order = patch[key];
    patch.erase(key);
    if (!order.is_array()) return bad_arg_type(kGoSlice, order);
    auto field = extract_key(key, kSetElementOrderPrefix);
    if (!field) return unexpected(field.error());
    auto orig_it = original.find(*field);
    auto patch_it = patch.find(*field);
    bool found_original = orig_it != original.end(), found_patch = patch_it != patch.end();
    if (found_original && !orig_it->is_array()) return bad_arg_type(kGoSlice, *orig_it);
    if (found_patch && !patch_it->is_array()) return bad_arg_type(kGoSlice, *patch_it);
    List original_list = found_original ? as_list(*orig_it) : List{};
    Json patch_list = found_patch ? *patch_it : Json::array();
    auto meta = lookup_slice(schema, *field);
    if (!meta) return unexpected(meta.error());
    auto strategy = patch_strategy(meta->strategies);
    if (!strategy) return unexpected(strategy.error());
    if (auto e = validate_set_order(patch_list, order, meta->merge_key); !e) return e;

    List merged;
    if (found_original && !found_patch) {
      merged = original_list;
    } else if (!found_original && found_patch) {
      Json cleaned = patch_list;
      remove_directives(cleaned);
      merged = as_list(cleaned);
    } else if (found_original && found_patch) {
      auto m = merge_slice_handler(*orig_it, patch_list, meta->schema, *strategy, meta->merge_key, false);
      if (!m) return unexpected(m.error());
      merged = as_list(*m);
    } else {
      continue;
    }
    List order_list = as_list(order);
    auto parts = partition(merged, order_list, meta->merge_key);
    if (!parts) return unexpected(parts.error());
    auto kind = slice_element_type(original_list, as_list(patch_list));
    if (!kind) return unexpected(kind.error());
    auto both = normalize_element_order(parts->first, parts->second, order_list, original_list, meta->merge_key, *kind);
    if (!both) return unexpected(both.error());
    original[*field] = Json(std::move(*both));
    patch.erase(*field);
  }
  return {};
}

// Takes a patch value for a field the original lacks or holds with another type.
void take_patch_value(Json& original, const std::string& k, Json value) {
  discard_nulls(value);
  if (remove_directives(value)) {
    original[k] = std::move(value);
  } else {
    original.erase(k);
  }
}

// mergeMap with the server's options (MergeParallelList, IgnoreUnmatchedNulls).
Result<Json> merge_map(Json original, Json patch, const SchemaView& schema) {
  if (auto d = patch.find(kDirectiveMarker); d != patch.end()) return map_directive(*d, patch);
  if (original.is_null()) original = Json::object();
  if (auto e = apply_retain_keys(original, patch); !e) return unexpected(e.error());
  if (auto e = merge_ordered_lists(original, patch, schema); !e) return unexpected(e.error());

  for (const auto& [key, patch_v] : patch.items()) {
    std::string k = key;
    bool is_delete_list = k.starts_with(kDeleteFromPrimitiveListPrefix);
    if (is_delete_list) {
      auto field = extract_key(k, kDeleteFromPrimitiveListPrefix);
      if (!field) return unexpected(field.error());
      k = *field;
    }
    if (patch_v.is_null()) {
      original.erase(k);
      continue;
    }
    auto it = original.find(k);
    if (it == original.end() || kind_of(*it) != kind_of(patch_v) || (it->is_null() != patch_v.is_null())) {
      if (!is_delete_list) take_patch_value(original, k, patch_v);
      continue;
    }
    if (it->is_object()) {
      auto meta = lookup_struct(schema, k);
      if (!meta) return unexpected(meta.error());
      auto strategy = patch_strategy(meta->strategies);
      if (!strategy) return unexpected(strategy.error());
      if (*strategy == kReplaceDirective) {
        *it = patch_v;
        continue;
      }
      auto merged = merge_map(*it, patch_v, meta->schema);
      if (!merged) return merged;
      original[k] = std::move(*merged);
    } else if (it->is_array()) {
      auto meta = lookup_slice(schema, k);
      if (!meta) return unexpected(meta.error());
      auto strategy = patch_strategy(meta->strategies);
      if (!strategy) return unexpected(strategy.error());
      auto merged = merge_slice_handler(*it, patch_v, meta->schema, *strategy, meta->merge_key, is_delete_list);
      if (!merged) return merged;
      original[k] = std::move(*merged);
    } else {
      Json value = patch_v;
      if (remove_directives(value)) {
        *it = std::move(value);
      } else {
        original.erase(it);
      }
    }
  }
  return original;
}

}  // namespace

std::expected<Json, ApiError> decode_strategic_patch(const Json& body) {
  // apiserver strategicPatchObject: json.Unmarshal into map[string]interface{}.
  if (body.is_object()) return body;
  if (body.is_null()) return Json::object();
  std::string what = body.is_array() ? "array" : body.is_string() ? "string" : body.is_boolean() ? "bool" : "number";
  return unexpected(bad_request(
      fmt::format("json: cannot unmarshal {} into Go value of type map[string]interface {{}}", what)));
}

std::expected<Json, std::string> strategic_merge_patch(const Json& original, const Json& patch, SchemaView schema) {
  if (!original.is_object() && !original.is_null()) return fail(kErrBadJSONDoc);
  if (!patch.is_object() && !patch.is_null()) return fail(kErrBadJSONDoc);
  return merge_map(original, patch.is_null() ? Json::object() : patch, schema);
}

ApiError strategic_merge_error(std::string_view message) {
  for (std::string_view bad : {kErrBadJSONDoc, kErrBadPatchFormatForPrimitiveList, kErrBadPatchFormatForRetainKeys,
                               kErrBadPatchFormatForSetElementOrderList, kErrUnsupportedStrategicMergePatchFormat}) {
    if (message == bad) return bad_request(std::string(message));
  }
  if (message == kErrNoListOfLists || message == kErrPatchContentNotMatchRetainKeys) {
    // errors.NewGenericServerResponse(422, ...) keeps its own message.
    return {422, "Invalid", "the server rejected our request due to an error in our request", Json::object()};
  }
  // Any other error is not a Status: ErrorToAPIStatus answers 500 with no reason.
  return {500, "", std::string(message), Json::object()};
}

}  // namespace claw::sim
