// Which owned objects that are no longer declared claw may delete. An
// object is deleted only when all of these hold:
// - its labels say claw manages it for this project (the LIST found it);
// - the inventory (inventory.h) records it with the uid it has now, so
//   claw created it (a look-alike with copied labels is kept);
// - no ownerReference: a controller made it, and manages its life;
// - it is not annotated `claw.dev/prune: disabled`;
// - it is not a PersistentVolumeClaim or PersistentVolume (on k3s's
//   local-path storage a deleted claim is deleted data) unless
//   --prune-volumes, nor a Namespace or CustomResourceDefinition (deleting
//   one deletes everything in it) unless --prune-namespaces.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "runtime/plan/inventory.h"

namespace claw::plan {

inline constexpr std::string_view kPruneAnnotation = "claw.dev/prune";

struct PruneOptions {
  bool prune_volumes = false;
  bool prune_namespaces = false;
};

/// Why the live object `live` (of `ref`) is kept although no longer
/// declared; nullopt when it may be deleted.
std::optional<std::string> keep_reason(const emit::ObjectRef& ref, const nlohmann::json& live, const Inventory& inventory,
                                       const PruneOptions& options);

/// Whether deleting `deletes` of `owned` objects is a mass delete: more
/// than half of them (and more than one).
bool mass_delete(size_t deletes, size_t owned);

}  // namespace claw::plan
