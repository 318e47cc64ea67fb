#include "runtime/sim/apply.h"

#include "runtime/sim/field_compare.h"
#include "runtime/sim/last_applied.h"
#include "runtime/sim/managed_fields.h"
#include "runtime/sim/object_merge.h"
#include "runtime/sim/zero_object.h"

#include <algorithm>
#include <map>
#include <tuple>

namespace claw::sim {
namespace {

// internal/skipnonapplied.go: the manager an object's fields go to when it
// is first applied without any managedFields.
constexpr const char* kBeforeFirstApply = "before-first-apply";

ManagerEntry* find_entry(std::vector<ManagerEntry>& entries, const ManagerEntry& key) {
  auto it = std::find_if(entries.begin(), entries.end(), [&](const ManagerEntry& e) { return same_manager(e, key); });
  return it == entries.end() ? nullptr : &*it;
}

// Compare, less what the write's subresource may not own (the updater's
// IgnoreFilter built from the strategy's reset fields).
FieldComparison tracked_comparison(const Json& before, const Json& after, SchemaView schema,
                                   const WriteOrigin& origin) {
  FieldComparison c = compare_objects(before, after, schema);
  auto keep = [&](const FieldSet& s) { return tracked_fields(s, origin.subresource, origin.status_subresource); };
  return {keep(c.added), keep(c.removed), keep(c.modified)};
}

// An Update operation by `me` (merge/update.go Updater.Update run as
// "current-operation", then managedFieldsUpdater.Update): every manager
// loses the changed and removed fields, `me` gains the changed ones and its
// time moves only when it gained something.
void update_entries(std::vector<ManagerEntry>& entries, const FieldComparison& c, ManagerEntry me) {
  FieldSet changed = c.modified.unite(c.added);
  for (ManagerEntry& e : entries) e.fields = e.fields.minus(changed).minus(c.removed);
  FieldSet mine = strip_meta(changed);
  if (mine.empty()) return;
  if (ManagerEntry* existing = find_entry(entries, me)) {
    existing->fields = existing->fields.unite(mine);
    existing->time = me.time;
    return;
  }
  me.fields = std::move(mine);
  entries.push_back(std::move(me));
}

bool is_reset(const Json& managed_fields) {
  // internal/fieldmanager.go isResetManagedFields: `[]` or `[{}]`.
  if (!managed_fields.is_array()) return false;
  return managed_fields.empty() ||
         (managed_fields.size() == 1 && managed_fields[0].is_object() && managed_fields[0].empty());
}

// decodeLiveOrNew: a write may set managedFields itself (not through a
// subresource); an absent or undecodable list keeps the live one.
std::vector<ManagerEntry> entries_for_update(const Json* before, const Json& after, const std::string& subresource) {
  std::vector<ManagerEntry> live = before ? decode_managed_fields(*before) : std::vector<ManagerEntry>{};
  if (!subresource.empty()) return live;
  const Json* sent = nullptr;
  if (auto m = after.find("metadata"); m != after.end() && m->is_object()) {
    if (auto f = m->find("managedFields"); f != m->end()) sent = &*f;
  }
  if (sent == nullptr) return live;
  if (is_reset(*sent)) return {};
  std::vector<ManagerEntry> own = decode_managed_fields(after);
  return own.empty() ? live : own;
}

ManagerEntry entry_for(const WriteOrigin& origin, const char* operation) {
  return {origin.manager, operation, origin.api_version, origin.time, origin.subresource, {}};
}

// Replaces the applier's entry with `me` (keeping its time until the object
// changes) and returns the fields it owned before.
FieldSet claim(std::vector<ManagerEntry>& entries, ManagerEntry& me) {
  me.time.clear();
  ManagerEntry* mine = find_entry(entries, me);
  if (mine == nullptr) {
    entries.push_back(me);
    return {};
  }
  FieldSet last = std::move(mine->fields);
  me.time = mine->time;
  *mine = me;
  return last;
}

std::vector<FieldConflict> find_conflicts(const std::vector<ManagerEntry>& entries, const ManagerEntry& me,
                                          const FieldSet& changed) {
  std::vector<FieldConflict> out;
  for (const ManagerEntry& e : entries) {
    if (same_manager(e, me)) continue;
    for (const FieldPath& p : e.fields.intersect(changed).paths()) {
      out.push_back({e.manager, e.operation, e.api_version, e.subresource, path_string(p)});
    }
  }
  // SMD walks its managers in map order; sort them for a stable answer.
  std::stable_sort(out.begin(), out.end(), [](const FieldConflict& a, const FieldConflict& b) {
    return std::tie(a.manager, a.operation, a.api_version, a.subresource) <
           std::tie(b.manager, b.operation, b.api_version, b.subresource);
  });
  return out;
}

// conflict.go printManager: `"m"`, ` with subresource "s"`, and for Update
// managers ` using <apiVersion>` (the identifier carries no time).
std::string print_manager(const FieldConflict& c) {
  std::string out = Json(c.manager).dump();
  if (!c.subresource.empty()) out += " with subresource " + Json(c.subresource).dump();
  if (c.operation == "Update") out += " using " + c.api_version;
  return out;
}

}  // namespace

std::optional<ApiError> check_apply_config(const Json& config, std::string_view api_version) {
  std::string patch_version = config.is_object() ? config.value("apiVersion", std::string()) : std::string();
  if (patch_version != api_version) {
    return bad_request("Incorrect version specified in apply patch. Specified patch version: " + patch_version +
                       ", expected: " + std::string(api_version));
  }
  if (auto m = config.find("metadata"); m != config.end() && m->is_object()) {
    if (auto f = m->find("managedFields"); f != m->end() && !f->is_null()) {
      return bad_request("metadata.managedFields must be nil");
    }
  }
  return std::nullopt;
}

std::expected<Json, std::vector<FieldConflict>> server_side_apply(const Json* live, const Json& config,
                                                                  SchemaView schema, const WriteOrigin& origin,
                                                                  bool force) {
  std::vector<ManagerEntry> entries = live ? decode_managed_fields(*live) : std::vector<ManagerEntry>{};
  // A create applies onto the kind's empty object (the patcher's New()).
  Json live_obj = live ? without_managed_fields(*live) : zero_object(schema);
  if (live != nullptr && entries.empty()) {
    ManagerEntry before = entry_for(origin, "Update");
    before.manager = kBeforeFirstApply;
    update_entries(entries, tracked_comparison(zero_object(schema), live_obj, schema, origin), before);
  }
  ManagerEntry me = entry_for(origin, "Apply");
  me.fields =
      strip_meta(tracked_fields(object_field_set(config, schema), origin.subresource, origin.status_subresource));
  FieldSet last = claim(entries, me);

  Json merged = merge_objects(live_obj, config, schema);
  if (!last.empty()) {
    FieldSet owned;
    for (const ManagerEntry& e : entries) owned = owned.unite(e.fields);
    prune_fields(merged, last, owned, schema);
  }
  FieldComparison c = tracked_comparison(live_obj, merged, schema, origin);
  FieldSet changed = c.modified.unite(c.added);
  std::vector<FieldConflict> conflicts = find_conflicts(entries, me, changed);
  if (!force && !conflicts.empty()) return std::unexpected(std::move(conflicts));
  for (ManagerEntry& e : entries) {
    if (!same_manager(e, me)) e.fields = e.fields.minus(changed).minus(c.removed);
  }
  // managedfieldsupdater.go Apply: the time moves only when the object changed.
  bool object_changed = merged != live_obj;
  if (object_changed) find_entry(entries, me)->time = origin.time;
  Json result = object_changed ? std::move(merged) : std::move(live_obj);
  encode_managed_fields(result, std::move(entries));
  sync_last_applied(result, config, origin.manager);
  return result;
}

void record_update(const Json* before, Json& after, SchemaView schema, const WriteOrigin& origin) {
  std::vector<ManagerEntry> entries = entries_for_update(before, after, origin.subresource);
  after = without_managed_fields(after);
  Json before_obj = before ? without_managed_fields(*before) : zero_object(schema);
  update_entries(entries, tracked_comparison(before_obj, after, schema, origin), entry_for(origin, "Update"));
  cap_update_managers(entries);
  encode_managed_fields(after, std::move(entries));
}

std::string conflict_message(const std::vector<FieldConflict>& conflicts) {
  if (conflicts.size() == 1) {
    return "Apply failed with 1 conflict: conflict with " + print_manager(conflicts[0]) + ": " + conflicts[0].path;
  }
  // getConflictMessage: grouped by the printed manager, managers sorted.
  std::map<std::string, std::vector<std::string>> by_manager;
  for (const FieldConflict& c : conflicts) by_manager[print_manager(c)].push_back(c.path);
  std::string body;
  for (const auto& [manager, paths] : by_manager) {
    if (!body.empty()) body += "\n";
    body += "conflicts with " + manager + ":";
    for (const std::string& p : paths) body += "\n- " + p;
  }
  return "Apply failed with " + std::to_string(conflicts.size()) + " conflicts: " + body;
}

std::vector<Cause> conflict_causes(const std::vector<FieldConflict>& conflicts) {
  std::vector<Cause> out;
  for (const FieldConflict& c : conflicts) {
    out.push_back({"FieldManagerConflict", "conflict with " + print_manager(c), c.path});
  }
  return out;
}

}  // namespace claw::sim
