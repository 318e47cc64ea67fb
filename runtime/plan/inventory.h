// What claw has applied for a project, kept in the cluster: a ConfigMap
// `claw-inventory-<project>` in kube-system (the ApplySet idea, KEP-3659,
// in claw's own shape) listing every object claw applied with the uid the
// server gave it. Pruning deletes an object only when its labels say claw
// owns it AND its uid is the one recorded here, so a hand-made object that
// copied claw's labels is never deleted; the kinds recorded are the only
// kinds listed for pruning, never every kind on the server.
#pragma once

#include <expected>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "compiler/emit/object.h"

namespace claw::plan {

inline constexpr std::string_view kInventoryNamespace = "kube-system";

struct InventoryEntry {
  emit::ObjectRef ref;
  std::string uid;
};

struct Inventory {
  std::vector<InventoryEntry> entries;
  /// The ConfigMap's resourceVersion; empty when it does not exist yet.
  std::string resource_version;

  /// The entry for `ref` (its version ignored), or null.
  const InventoryEntry* find(const emit::ObjectRef& ref) const;
  /// Records `ref` with `uid`, replacing an entry for the same object.
  void record(const emit::ObjectRef& ref, const std::string& uid);
  /// Forgets `ref`.
  void forget(const emit::ObjectRef& ref);
};

/// Whether two refs name one object (group, kind, namespace, name; the
/// version is how it is read, not which object it is).
bool same_object(const emit::ObjectRef& a, const emit::ObjectRef& b);

/// `claw-inventory-<project>`.
std::string inventory_name(std::string_view project);
/// The inventory ConfigMap's path on the server.
std::string inventory_path(std::string_view project);

/// The inventory a ConfigMap holds (as GET returns it).
std::expected<Inventory, std::string> parse_inventory(const nlohmann::json& config_map);

/// The ConfigMap holding `inventory`, as a server-side apply body.
nlohmann::json inventory_body(std::string_view project, const Inventory& inventory);

}  // namespace claw::plan
