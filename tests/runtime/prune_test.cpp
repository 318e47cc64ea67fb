// Which owned, no longer declared objects claw may delete (prune.h): only
// what the inventory records with the uid it has now, never what a
// controller owns (metadata.ownerReferences: the garbage collector deletes
// it with its owner, kubernetes.io/docs/concepts/architecture/garbage-collection/),
// nor an object annotated `claw.dev/prune: disabled`, nor volumes and
// namespaces/CRDs without their flags (deleting a Namespace deletes every
// object in it; deleting a CRD deletes all its custom resources:
// kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#delete-a-customresourcedefinition).
#include "runtime/plan/prune.h"

#include <doctest/doctest.h>

using claw::emit::ObjectRef;
using claw::plan::Inventory;
using claw::plan::keep_reason;
using claw::plan::mass_delete;
using claw::plan::PruneOptions;
using nlohmann::json;

namespace {

json live_with(const std::string& uid, json extra_meta = json::object()) {
  json meta = {{"uid", uid}, {"resourceVersion", "5"}};
  meta.update(extra_meta);
  return {{"metadata", meta}};
}

}  // namespace

TEST_CASE("prune: why an object is kept, flag by flag") {
  const ObjectRef cm{"", "v1", "ConfigMap", "web", "a"};
  const ObjectRef pvc{"", "v1", "PersistentVolumeClaim", "web", "data"};
  const ObjectRef pv{"", "v1", "PersistentVolume", "", "nfs-web"};
  const ObjectRef ns{"", "v1", "Namespace", "", "web"};
  const ObjectRef crd{"apiextensions.k8s.io", "v1", "CustomResourceDefinition", "", "widgets.example.com"};
  const ObjectRef custom_ns{"example.com", "v1", "Namespace", "", "x"};  // not the core Namespace
  Inventory inv;
  for (const auto* r : {&cm, &pvc, &pv, &ns, &crd, &custom_ns}) inv.record(*r, "uid-" + r->name);

  const PruneOptions none{}, volumes{true, false}, namespaces{false, true};
  struct Case {
    const char* name;
    ObjectRef ref;
    json live;
    PruneOptions options;
    const char* kept;  // a part of the reason; null: deleted
  };
  const Case cases[] = {
      {"recorded, same uid", cm, live_with("uid-a"), none, nullptr},
      {"uid differs", cm, live_with("uid-other"), none, "uid differs"},
      {"not recorded", ObjectRef{"", "v1", "ConfigMap", "web", "b"}, live_with("uid-b"), none, "not in the inventory"},
      {"ownerReference", cm,
       live_with("uid-a", {{"ownerReferences", {{{"apiVersion", "apps/v1"}, {"kind", "ReplicaSet"}, {"name", "x"}, {"uid", "o"}}}}}),
       none, "ownerReference"},
      {"empty ownerReferences", cm, live_with("uid-a", {{"ownerReferences", json::array()}}), none, nullptr},
      {"annotation", cm, live_with("uid-a", {{"annotations", {{"claw.dev/prune", "disabled"}}}}), none,
       "claw.dev/prune: disabled"},
      {"other annotation value", cm, live_with("uid-a", {{"annotations", {{"claw.dev/prune", "enabled"}}}}), none, nullptr},
      {"PVC", pvc, live_with("uid-data"), none, "--prune-volumes"},
      {"PVC, --prune-volumes", pvc, live_with("uid-data"), volumes, nullptr},
      {"PVC, --prune-namespaces only", pvc, live_with("uid-data"), namespaces, "--prune-volumes"},
      {"PV", pv, live_with("uid-nfs-web"), none, "--prune-volumes"},
      {"PV, --prune-volumes", pv, live_with("uid-nfs-web"), volumes, nullptr},
      {"Namespace", ns, live_with("uid-web"), none, "--prune-namespaces"},
      {"Namespace, --prune-namespaces", ns, live_with("uid-web"), namespaces, nullptr},
      {"Namespace, --prune-volumes only", ns, live_with("uid-web"), volumes, "--prune-namespaces"},
      {"CRD", crd, live_with("uid-widgets.example.com"), none, "--prune-namespaces"},
      {"CRD, --prune-namespaces", crd, live_with("uid-widgets.example.com"), namespaces, nullptr},
      {"a custom kind named Namespace", custom_ns, live_with("uid-x"), none, nullptr},
      {"PVC with a flag but another uid", pvc, live_with("uid-other"), volumes, "uid differs"},
  };
  for (const Case& c : cases) {
    INFO(std::string(c.name));
    auto why = keep_reason(c.ref, c.live, inv, c.options);
    if (c.kept == nullptr) {
      CHECK_MESSAGE(!why.has_value(), why.value_or(""));
    } else {
      REQUIRE(why.has_value());
      CHECK(why->find(c.kept) != std::string::npos);
    }
  }
}

TEST_CASE("prune: a mass delete is more than half of the owned objects, and more than one") {
  struct Case {
    size_t deletes, owned;
    bool mass;
  };
  const Case cases[] = {{0, 0, false}, {1, 1, false}, {2, 2, true}, {2, 4, false}, {3, 5, true},
                        {2, 3, true},  {1, 2, false}, {5, 10, false}, {6, 10, true}};
  for (const Case& c : cases) {
    CAPTURE(c.deletes);
    CAPTURE(c.owned);
    CHECK(mass_delete(c.deletes, c.owned) == c.mass);
  }
}
