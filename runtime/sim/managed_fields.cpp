#include "runtime/sim/managed_fields.h"

#include <algorithm>
#include <string_view>
#include <tuple>

namespace claw::sim {
namespace {

constexpr std::string_view kApply = "Apply";

// internal/stripmeta.go NewStripMetaManager: exact paths, not subtrees.
const FieldSet& strip_set() {
  static const FieldSet set = [] {
    FieldSet s;
    s.insert({"f:apiVersion"});
    s.insert({"f:kind"});
    s.insert({"f:metadata"});
    for (const char* f : {"name", "namespace", "creationTimestamp", "selfLink", "uid", "clusterName", "generation",
                          "managedFields", "resourceVersion"}) {
      s.insert({"f:metadata", std::string("f:") + f});
    }
    return s;
  }();
  return set;
}

std::string string_field(const Json& entry, const char* key) {
  auto it = entry.find(key);
  return it != entry.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

bool same_manager(const ManagerEntry& a, const ManagerEntry& b) {
  if (a.manager != b.manager || a.operation != b.operation || a.subresource != b.subresource) return false;
  return a.operation == kApply || a.api_version == b.api_version;
}

std::vector<ManagerEntry> decode_managed_fields(const Json& object) {
  std::vector<ManagerEntry> out;
  const Json* list = nullptr;
  if (auto m = object.find("metadata"); m != object.end() && m->is_object()) {
    if (auto f = m->find("managedFields"); f != m->end() && f->is_array()) list = &*f;
  }
  if (list == nullptr) return out;
  for (const Json& e : *list) {
    if (!e.is_object()) continue;
    ManagerEntry entry{string_field(e, "manager"),    string_field(e, "operation"), string_field(e, "apiVersion"),
                       string_field(e, "time"),       string_field(e, "subresource"),
                       FieldSet::from_fields_v1(e.value("fieldsV1", Json::object()))};
    out.push_back(std::move(entry));
  }
  return out;
}

void encode_managed_fields(Json& object, std::vector<ManagerEntry> entries) {
  std::erase_if(entries, [](const ManagerEntry& e) { return e.fields.empty(); });
  // sortEncodedManagedFields compares whole seconds; RFC 3339 UTC strings of
  // one format sort the same way as text.
  std::stable_sort(entries.begin(), entries.end(), [](const ManagerEntry& p, const ManagerEntry& q) {
    if (p.operation != q.operation) return p.operation < q.operation;
    return std::tie(p.time, p.manager, p.api_version, p.subresource) <
           std::tie(q.time, q.manager, q.api_version, q.subresource);
  });
  Json& meta = object["metadata"];
  if (entries.empty()) {
    if (meta.is_object()) meta.erase("managedFields");
    return;
  }
  Json list = Json::array();
  for (const ManagerEntry& e : entries) {
    Json j = {{"manager", e.manager}, {"operation", e.operation}, {"apiVersion", e.api_version},
              {"fieldsType", "FieldsV1"}, {"fieldsV1", e.fields.to_fields_v1()}};
    if (!e.time.empty()) j["time"] = e.time;
    if (!e.subresource.empty()) j["subresource"] = e.subresource;
    list.push_back(std::move(j));
  }
  meta["managedFields"] = std::move(list);
}

Json without_managed_fields(const Json& object) {
  Json out = object;
  if (auto m = out.find("metadata"); m != out.end() && m->is_object()) m->erase("managedFields");
  return out;
}

FieldSet strip_meta(const FieldSet& set) { return set.minus(strip_set()); }

FieldSet tracked_fields(const FieldSet& set, const std::string& subresource, bool status_subresource) {
  if (subresource == "status") return set.only_under("f:status");
  if (!status_subresource) return set;
  FieldSet status;
  status.insert({"f:status"});
  return set.minus_subtrees(status);
}

}  // namespace claw::sim
