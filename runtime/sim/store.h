#pragma once
// The objects the sim holds, keyed by group, resource, namespace and name
// (one copy whatever version a client asks through, as etcd keeps one), with
// one resourceVersion counter for all of them and a log of recent changes
// that watches read. Every change is written through a StateFiles so that a
// restarted sim finds what it held.

#include "runtime/sim/json_schema.h"

#include <compare>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace claw::sim {

struct ObjectKey {
  std::string group;   // "" for core
  std::string plural;  // "deployments"
  std::string ns;      // "" for a cluster-scoped object
  std::string name;
  auto operator<=>(const ObjectKey&) const = default;
};

// Where objects persist: a folder in the server, memory in tests.
class StateFiles {
 public:
  virtual ~StateFiles() = default;
  // Replaces the stored object atomically (a kill leaves the old or the new).
  virtual void write(const ObjectKey& key, const std::string& json_text) = 0;
  virtual void remove(const ObjectKey& key) = 0;
  virtual void write_counter(std::uint64_t resource_version) = 0;
  // Everything stored, and the last counter written (0 if none).
  virtual std::vector<Json> load(std::uint64_t* counter) = 0;
};

// Files under `<dir>/objects/<group or "core">/<plural>/<namespace or "_">/<name>.json`,
// each replaced by rename; temp files of an interrupted write are ignored.
std::unique_ptr<StateFiles> disk_state(const std::filesystem::path& dir);
std::unique_ptr<StateFiles> memory_state();

struct StoredObject {
  Json object;
  std::string text;       // object.dump(), kept for GET
  std::string item_text;  // the same without apiVersion and kind: a LIST item of a built-in kind
};

// A StoredObject for `object`, with both texts made once.
std::shared_ptr<const StoredObject> stored_object(Json object);

struct ChangeEvent {
  std::uint64_t resource_version;
  std::string type;  // ADDED, MODIFIED, DELETED
  ObjectKey key;
  std::shared_ptr<const StoredObject> object;
};

class ObjectStore {
 public:
  explicit ObjectStore(std::unique_ptr<StateFiles> files);

  // Reads what the files hold: `first` sees every object before any is
  // keyed (so CRDs can register the kinds of the objects stored with them),
  // then objects whose key cannot be derived are skipped.
  void load(const std::function<void(const Json&)>& first,
            const std::function<std::optional<ObjectKey>(const Json&)>& key_of);

  std::shared_ptr<const StoredObject> get(const ObjectKey& key) const;
  // Every object of group/plural, in namespace `ns` ("" = all), sorted by key.
  std::vector<std::shared_ptr<const StoredObject>> list(std::string_view group, std::string_view plural,
                                                        std::string_view ns) const;
  std::vector<std::shared_ptr<const StoredObject>> in_namespace(std::string_view ns) const;
  std::vector<std::pair<ObjectKey, std::shared_ptr<const StoredObject>>> all() const;

  // The next resourceVersion to stamp on a write.
  std::uint64_t next_resource_version() { return ++counter_; }
  std::uint64_t resource_version() const { return counter_; }

  // Stores `object` (already stamped with its resourceVersion) and logs the change.
  void put(const ObjectKey& key, Json object, std::string_view event_type);
  void erase(const ObjectKey& key, Json final_state);

  // Changes after `resource_version`, oldest first; nullopt when the log no
  // longer reaches back that far (the watch gets 410 Gone).
  std::optional<std::vector<ChangeEvent>> changes_since(std::uint64_t resource_version) const;
  std::uint64_t oldest_logged() const;

 private:
  void log(ChangeEvent e);

  std::unique_ptr<StateFiles> files_;
  std::map<ObjectKey, std::shared_ptr<const StoredObject>> objects_;
  std::deque<ChangeEvent> events_;
  std::uint64_t counter_ = 0;
  std::uint64_t first_logged_ = 1;
};

}  // namespace claw::sim
