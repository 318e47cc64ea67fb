#pragma once
// Sets of field paths as structured-merge-diff (sigs.k8s.io/structured-merge-diff
// fieldpath) defines them, and their `fieldsV1` encoding in managedFields.
// A path is a list of encoded path elements, the same strings fieldsV1 uses
// as keys (fieldpath/serialize-pe.go): `f:<field or map key>`,
// `k:<json object of the list-map keys>`, `v:<json value>`, `i:<index>`.

#include "runtime/sim/json_schema.h"

#include <map>
#include <string>
#include <vector>

namespace claw::sim {

using FieldPath = std::vector<std::string>;

// A set of paths stored as a trie; a node is a member of the set or only a
// prefix of members (fieldpath.Set: Members + Children).
class FieldSet {
 public:
  // Adds `path` (the empty path is the object itself).
  void insert(const FieldPath& path);
  // True when `path` itself is a member.
  bool has(const FieldPath& path) const;
  // True when `path` or a path below it is a member.
  bool has_under(const FieldPath& path) const;
  bool empty() const;
  // Every member, in fieldsV1 key order.
  std::vector<FieldPath> paths() const;
  // The subset below path element `pe` (paths relative to it), or nullptr.
  const FieldSet* child(const std::string& pe) const;
  // This set plus every declared struct field that is a prefix of a member
  // (fieldpath.Set.EnsureNamedFieldsAreMembers), walked with `schema`.
  FieldSet with_named_fields(SchemaView schema) const;

  FieldSet unite(const FieldSet& other) const;
  // The members of this set that are not members of `other`.
  FieldSet minus(const FieldSet& other) const;
  FieldSet intersect(const FieldSet& other) const;
  // Drops every member at or below a member of `other` (SMD's
  // RecursiveDifference, which reset-field filters use).
  FieldSet minus_subtrees(const FieldSet& other) const;
  // Only the members at or below top-level element `pe`.
  FieldSet only_under(const std::string& pe) const;

  // The `fieldsV1` trie: members map to `{}`, a member with members below
  // it carries `".": {}` (fieldpath/serialize.go).
  Json to_fields_v1() const;
  // Reads a `fieldsV1` trie; malformed nodes are ignored.
  static FieldSet from_fields_v1(const Json& v1);

  bool operator==(const FieldSet& other) const = default;

 private:
  void collect(FieldPath& prefix, std::vector<FieldPath>& out) const;
  void prune();

  bool member_ = false;
  std::map<std::string, FieldSet> children_;
};

// The path in SMD's display form (fieldpath.Path.String): `.spec.replicas`,
// `.spec.containers[name="app"].image`, `.spec.finalizers[="a"]`, `.args[0]`.
std::string path_string(const FieldPath& path);

// The set of fields `value` sets, walked with `schema` as SMD's ToFieldSet
// does (typed/tofieldset.go): scalars and atomic nodes are leaves; list items
// and map entries (not struct fields) are members as well as their contents;
// a struct field whose value is null or `{}` is a member.
FieldSet object_field_set(const Json& value, SchemaView schema);

}  // namespace claw::sim
