// The object store: atomic per-object files that survive a restart, temp
// files of an interrupted write ignored, and the change log watches read.

#include "runtime/sim/store.h"

#include <doctest/doctest.h>

#include <fstream>
#include <unistd.h>

using namespace claw::sim;
namespace fs = std::filesystem;

namespace {

struct TempDir {
  fs::path path = fs::temp_directory_path() / ("claw-sim-store-" + std::to_string(::getpid()));
  TempDir() { fs::remove_all(path); }
  ~TempDir() { fs::remove_all(path); }
};

Json object(std::string_view name, int rv) {
  return {{"apiVersion", "v1"}, {"kind", "ConfigMap"},
          {"metadata", {{"name", name}, {"namespace", "default"}, {"resourceVersion", std::to_string(rv)}}}};
}

std::optional<ObjectKey> config_map_key(const Json& o) {
  return ObjectKey{"", "configmaps", o["metadata"]["namespace"], o["metadata"]["name"]};
}

}  // namespace

TEST_CASE("store: objects and the resourceVersion counter survive a restart") {
  TempDir dir;
  {
    ObjectStore store(disk_state(dir.path));
    store.load([](const Json&) {}, config_map_key);
    std::uint64_t rv = store.next_resource_version();
    store.put({"", "configmaps", "default", "a"}, object("a", static_cast<int>(rv)), "ADDED");
    rv = store.next_resource_version();
    store.put({"", "configmaps", "default", "b"}, object("b", static_cast<int>(rv)), "ADDED");
    store.erase({"", "configmaps", "default", "b"}, object("b", static_cast<int>(store.next_resource_version())));
  }
  // An interrupted write leaves a temp file beside the real one: ignored.
  std::ofstream(dir.path / "objects" / "core" / "configmaps" / "default" / "c.json.tmp.1") << "{\"trunc";
  ObjectStore again(disk_state(dir.path));
  again.load([](const Json&) {}, config_map_key);
  CHECK(again.get({"", "configmaps", "default", "a"}) != nullptr);
  CHECK(again.get({"", "configmaps", "default", "b"}) == nullptr);
  CHECK(again.list("", "configmaps", "default").size() == 1);
  CHECK(again.resource_version() == 3);  // the deleted object's version is not reused
}

TEST_CASE("store: the change log answers watches and says when it lost events") {
  ObjectStore store(memory_state());
  store.load([](const Json&) {}, config_map_key);
  for (int i = 1; i <= 3; ++i) {
    auto rv = store.next_resource_version();
    store.put({"", "configmaps", "default", "a"}, object("a", static_cast<int>(rv)), i == 1 ? "ADDED" : "MODIFIED");
  }
  auto since = store.changes_since(1);
  REQUIRE(since);
  REQUIRE(since->size() == 2);
  CHECK((*since)[0].type == "MODIFIED");
  CHECK((*since)[1].resource_version == 3);
  CHECK(store.changes_since(3)->empty());
}
