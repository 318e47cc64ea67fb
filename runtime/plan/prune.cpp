#include "runtime/plan/prune.h"

namespace claw::plan {

std::optional<std::string> keep_reason(const emit::ObjectRef& ref, const nlohmann::json& live, const Inventory& inventory,
                                       const PruneOptions& options) {
  const nlohmann::json& meta = live.contains("metadata") ? live["metadata"] : nlohmann::json::object();
  if (meta.contains("ownerReferences") && !meta["ownerReferences"].empty())
    return "made by a controller (it has an ownerReference)";
  if (meta.contains("annotations") && meta["annotations"].value(std::string(kPruneAnnotation), "") == "disabled")
    return "annotated `claw.dev/prune: disabled`";
  const bool core = ref.group.empty();
  if (core && (ref.kind == "PersistentVolumeClaim" || ref.kind == "PersistentVolume") && !options.prune_volumes)
    return "a volume: deleting it can delete its data (--prune-volumes to allow)";
  if (((core && ref.kind == "Namespace") || (ref.group == "apiextensions.k8s.io" && ref.kind == "CustomResourceDefinition")) &&
      !options.prune_namespaces)
    return "deleting it deletes everything in it (--prune-namespaces to allow)";
  const InventoryEntry* recorded = inventory.find(ref);
  const std::string uid = meta.value("uid", "");
  if (!recorded) return "claw has no record of creating it (not in the inventory)";
  if (recorded->uid != uid) return "not the object claw created (its uid differs from the inventory's)";
  return std::nullopt;
}

bool mass_delete(size_t deletes, size_t owned) { return deletes > 1 && deletes * 2 > owned; }

}  // namespace claw::plan
