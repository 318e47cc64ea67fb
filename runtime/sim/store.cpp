#include "runtime/sim/store.h"

#include "runtime/sim/atomic_file.h"

#include <fmt/format.h>


#include <fstream>
#include <functional>
#include <sstream>

namespace claw::sim {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kEventLogSize = 20000;

void write_atomically(const fs::path& target, const std::string& text) {
  fs::create_directories(target.parent_path());
  write_file_atomic(target, text, 0600, Durability::renamed);
}

class DiskState final : public StateFiles {
 public:
  explicit DiskState(fs::path dir) : dir_(std::move(dir)) { fs::create_directories(dir_ / "objects"); }

  void write(const ObjectKey& key, const std::string& json_text) override { write_atomically(path_of(key), json_text); }

  void remove(const ObjectKey& key) override {
    std::error_code ec;
    fs::remove(path_of(key), ec);
  }

  void write_counter(std::uint64_t rv) override { write_atomically(dir_ / "resource-version", std::to_string(rv)); }

  std::vector<Json> load(std::uint64_t* counter) override {
    std::vector<Json> out;
    *counter = 0;
    if (std::ifstream in(dir_ / "resource-version"); in) in >> *counter;
    for (const auto& entry : fs::recursive_directory_iterator(dir_ / "objects")) {
      if (!entry.is_regular_file() || entry.path().extension() != ".json") continue;
      std::ifstream in(entry.path());
      std::stringstream text;
      text << in.rdbuf();
      Json j = Json::parse(text.str(), nullptr, false);
      if (!j.is_discarded() && j.is_object()) out.push_back(std::move(j));
    }
    return out;
  }

 private:
  fs::path path_of(const ObjectKey& key) const {
    return dir_ / "objects" / (key.group.empty() ? "core" : key.group) / key.plural / (key.ns.empty() ? "_" : key.ns) /
           (key.name + ".json");
  }

  fs::path dir_;
};

class MemoryState final : public StateFiles {
 public:
  void write(const ObjectKey& key, const std::string& json_text) override { files_[key] = json_text; }
  void remove(const ObjectKey& key) override { files_.erase(key); }
  void write_counter(std::uint64_t rv) override { counter_ = rv; }
  std::vector<Json> load(std::uint64_t* counter) override {
    *counter = counter_;
    std::vector<Json> out;
    for (const auto& [key, text] : files_) out.push_back(Json::parse(text));
    return out;
  }

 private:
  std::map<ObjectKey, std::string> files_;
  std::uint64_t counter_ = 0;
};

std::uint64_t stored_resource_version(const Json& object) {
  const Json* rv = object.contains("metadata") ? &object["metadata"] : nullptr;
  if (rv == nullptr || !rv->contains("resourceVersion")) return 0;
  try {
    return std::stoull((*rv)["resourceVersion"].get<std::string>());
  } catch (...) {
    return 0;
  }
}

}  // namespace

std::shared_ptr<const StoredObject> stored_object(Json object) {
  auto stored = std::make_shared<StoredObject>();
  stored->text = object.dump();
  Json item = object;
  item.erase("apiVersion");
  item.erase("kind");
  stored->item_text = item.dump();
  stored->object = std::move(object);
  return stored;
}

std::unique_ptr<StateFiles> disk_state(const std::filesystem::path& dir) { return std::make_unique<DiskState>(dir); }
std::unique_ptr<StateFiles> memory_state() { return std::make_unique<MemoryState>(); }

ObjectStore::ObjectStore(std::unique_ptr<StateFiles> files) : files_(std::move(files)) {}

void ObjectStore::load(const std::function<void(const Json&)>& first,
                       const std::function<std::optional<ObjectKey>(const Json&)>& key_of) {
  std::uint64_t counter = 0;
  std::vector<Json> objects = files_->load(&counter);
  for (const Json& object : objects) first(object);
  for (Json& object : objects) {
    std::optional<ObjectKey> key = key_of(object);
    if (!key) continue;
    counter = std::max(counter, stored_resource_version(object));
    objects_[*key] = stored_object(std::move(object));
  }
  counter_ = counter;
  first_logged_ = counter_ + 1;
}

std::shared_ptr<const StoredObject> ObjectStore::get(const ObjectKey& key) const {
  auto it = objects_.find(key);
  return it == objects_.end() ? nullptr : it->second;
}

std::vector<std::shared_ptr<const StoredObject>> ObjectStore::list(std::string_view group, std::string_view plural,
                                                                   std::string_view ns) const {
  std::vector<std::shared_ptr<const StoredObject>> out;
  ObjectKey from{std::string(group), std::string(plural), std::string(ns), ""};
  for (auto it = objects_.lower_bound(from); it != objects_.end(); ++it) {
    const ObjectKey& k = it->first;
    if (k.group != group || k.plural != plural) break;
    if (!ns.empty() && k.ns != ns) break;
    out.push_back(it->second);
  }
  return out;
}

std::vector<std::shared_ptr<const StoredObject>> ObjectStore::in_namespace(std::string_view ns) const {
  std::vector<std::shared_ptr<const StoredObject>> out;
  for (const auto& [k, v] : objects_) {
    if (k.ns == ns) out.push_back(v);
  }
  return out;
}

std::vector<std::pair<ObjectKey, std::shared_ptr<const StoredObject>>> ObjectStore::all() const {
  return {objects_.begin(), objects_.end()};
}

void ObjectStore::put(const ObjectKey& key, Json object, std::string_view event_type) {
  std::shared_ptr<const StoredObject> stored = stored_object(std::move(object));
  files_->write(key, stored->text);
  files_->write_counter(counter_);
  std::uint64_t rv = stored_resource_version(stored->object);
  objects_[key] = stored;
  log(ChangeEvent{rv, std::string(event_type), key, std::move(stored)});
}

void ObjectStore::erase(const ObjectKey& key, Json final_state) {
  files_->remove(key);
  files_->write_counter(counter_);
  objects_.erase(key);
  std::uint64_t rv = stored_resource_version(final_state);
  log(ChangeEvent{rv, "DELETED", key, stored_object(std::move(final_state))});
}

void ObjectStore::log(ChangeEvent e) {
  events_.push_back(std::move(e));
  while (events_.size() > kEventLogSize) {
    first_logged_ = events_.front().resource_version + 1;
    events_.pop_front();
  }
}

std::optional<std::vector<ChangeEvent>> ObjectStore::changes_since(std::uint64_t resource_version) const {
  if (resource_version + 1 < first_logged_) return std::nullopt;
  std::vector<ChangeEvent> out;
  for (const ChangeEvent& e : events_) {
    if (e.resource_version > resource_version) out.push_back(e);
  }
  return out;
}

std::uint64_t ObjectStore::oldest_logged() const { return first_logged_; }

}  // namespace claw::sim
