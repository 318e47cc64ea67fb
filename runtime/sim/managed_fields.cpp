#include "runtime/sim/managed_fields.h"

#include <algorithm>
#include <map>
#include <string_view>
#include <tuple>

namespace claw::sim {
namespace {

constexpr std::string_view kApply = "Apply";
constexpr std::size_t kMaxUpdateManagers = 10;                 // fieldmanager.go DefaultMaxUpdateManagers
constexpr const char* kOldUpdatesManager = "ancient-changes";  // capmanagers.go

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
    ManagerEntry entry{string_field(e, "manager"),     string_field(e, "operation"),
                       string_field(e, "apiVersion"),  string_field(e, "time"),
                       string_field(e, "subresource"), FieldSet::from_fields_v1(e.value("fieldsV1", Json::object()))};
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
    Json j = {{"manager", e.manager},
              {"operation", e.operation},
              {"apiVersion", e.api_version},
              {"fieldsType", "FieldsV1"},
              {"fieldsV1", e.fields.to_fields_v1()}};
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

void cap_update_managers(std::vector<ManagerEntry>& entries) {
  std::erase_if(entries, [](const ManagerEntry& e) { return e.fields.empty(); });
  std::vector<std::size_t> updaters;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (entries[i].operation != kApply) updaters.push_back(i);
  }
  if (updaters.size() <= kMaxUpdateManagers) return;
  // Oldest first; ties by the manager identifier, approximated field by field.
  std::stable_sort(updaters.begin(), updaters.end(), [&](std::size_t a, std::size_t b) {
    const ManagerEntry& p = entries[a];
    const ManagerEntry& q = entries[b];
    return std::tie(p.time, p.manager, p.api_version, p.subresource) <
           std::tie(q.time, q.manager, q.api_version, q.subresource);
  });
  std::vector<bool> merged(entries.size(), false);
  std::map<std::string, std::size_t> first_of_version;
  std::size_t length = updaters.size();
  for (std::size_t i = 0; i < updaters.size() && length > kMaxUpdateManagers; ++i) {
    std::size_t idx = updaters[i];
    const std::string& version = entries[idx].api_version;
    auto first = first_of_version.find(version);
    if (first == first_of_version.end()) {
      first_of_version.emplace(version, idx);
      continue;
    }
    ManagerEntry bucket_key{kOldUpdatesManager, "Update", version, "", "", {}};
    auto bucket = std::find_if(entries.begin(), entries.end(), [&](const ManagerEntry& e) {
      return !merged[&e - entries.data()] && same_manager(e, bucket_key);
    });
    if (bucket == entries.end()) {
      // The first entry of this version becomes the bucket.
      entries[first->second].manager = kOldUpdatesManager;
      entries[first->second].subresource.clear();
      bucket = entries.begin() + static_cast<std::ptrdiff_t>(first->second);
    }
    bucket->fields = entries[idx].fields.unite(bucket->fields);
    bucket->time = entries[idx].time;
    merged[idx] = true;
    --length;
  }
  std::vector<ManagerEntry> kept;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (!merged[i]) kept.push_back(std::move(entries[i]));
  }
  entries = std::move(kept);
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
