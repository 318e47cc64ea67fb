#include "runtime/plan/inventory.h"

#include <algorithm>

#include "runtime/cluster/discovery.h"

namespace claw::plan {

bool same_object(const emit::ObjectRef& a, const emit::ObjectRef& b) {
  return a.group == b.group && a.kind == b.kind && a.namespace_ == b.namespace_ && a.name == b.name;
}

const InventoryEntry* Inventory::find(const emit::ObjectRef& ref) const {
  auto it = std::find_if(entries.begin(), entries.end(), [&](const InventoryEntry& e) { return same_object(e.ref, ref); });
  return it == entries.end() ? nullptr : &*it;
}

void Inventory::record(const emit::ObjectRef& ref, const std::string& uid) {
  forget(ref);
  entries.push_back({ref, uid});
}

void Inventory::forget(const emit::ObjectRef& ref) {
  std::erase_if(entries, [&](const InventoryEntry& e) { return same_object(e.ref, ref); });
}

std::string inventory_name(std::string_view project) { return "claw-inventory-" + std::string(project); }

std::string inventory_path(std::string_view project) {
  return "/api/v1/namespaces/" + std::string(kInventoryNamespace) + "/configmaps/" +
         cluster::escape_path_segment(inventory_name(project));
}

std::expected<Inventory, std::string> parse_inventory(const nlohmann::json& config_map) {
  Inventory inv;
  if (!config_map.is_object()) return std::unexpected("it is not a ConfigMap object");
  const auto version = config_map.value("/metadata/resourceVersion"_json_pointer, nlohmann::json());
  if (version.is_string()) inv.resource_version = version.get<std::string>();
  const auto* data = config_map.contains("data") ? &config_map["data"] : nullptr;
  if (!data || !data->is_object() || !data->contains("objects")) return inv;
  if (!(*data)["objects"].is_string()) return std::unexpected("its `objects` is not text");
  auto objects = nlohmann::json::parse((*data)["objects"].get<std::string>(), nullptr, false);
  if (!objects.is_array()) return std::unexpected("the inventory's `objects` is not a JSON list");
  for (const auto& o : objects) {
    if (!o.is_object() || !o.contains("kind") || !o.contains("name") || !o.contains("uid") || !o["kind"].is_string() ||
        !o["name"].is_string() || !o["uid"].is_string())
      return std::unexpected("an inventory entry lacks its kind, name or uid");
    InventoryEntry e;
    e.ref = {o.value("group", ""), o.value("version", ""), o.value("kind", ""), o.value("namespace", ""), o.value("name", "")};
    e.uid = o.value("uid", "");
    inv.entries.push_back(std::move(e));
  }
  return inv;
}

nlohmann::json inventory_body(std::string_view project, const Inventory& inventory) {
  std::vector<const InventoryEntry*> sorted;
  for (const auto& e : inventory.entries) sorted.push_back(&e);
  std::sort(sorted.begin(), sorted.end(), [](const InventoryEntry* a, const InventoryEntry* b) { return a->ref < b->ref; });
  nlohmann::json objects = nlohmann::json::array();
  for (const auto* e : sorted)
    objects.push_back({{"group", e->ref.group},
                       {"version", e->ref.version},
                       {"kind", e->ref.kind},
                       {"namespace", e->ref.namespace_},
                       {"name", e->ref.name},
                       {"uid", e->uid}});
  // No claw ownership labels: it is not one of the program's objects, and
  // listing owned objects for pruning must never find it.
  return {{"apiVersion", "v1"},
          {"kind", "ConfigMap"},
          {"metadata",
           {{"name", inventory_name(project)},
            {"namespace", std::string(kInventoryNamespace)},
            {"annotations", {{"claw.dev/inventory", "the objects claw applied for project " + std::string(project)}}}}},
          {"data", {{"objects", objects.dump()}}}};
}

}  // namespace claw::plan
