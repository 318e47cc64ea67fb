// may_differ against live objects as the API server returns them
// (plan_fixtures.h). Expected results follow server-side apply: an apply
// that would change nothing is "same"; anything else "may differ".
#include "runtime/plan/compare.h"

#include "tests/runtime/plan_fixtures.h"

#include <doctest/doctest.h>

#include <functional>
#include <string>

using claw::plan::may_differ;
using claw::plan::test::fixture;
using nlohmann::json;

namespace {

using Edit = std::function<void(json&)>;

json edited(const char* name, const Edit& edit) {
  json j = fixture(name);
  REQUIRE(!j.is_null());
  if (edit) edit(j);
  return j;
}

json& pod_spec(json& o) { return o["spec"]["template"]["spec"]; }
json& container(json& o) { return pod_spec(o)["containers"][0]; }

// The fieldsV1 of the object's `claw` Apply entry.
json& claw_fields(json& live) {
  for (json& e : live["metadata"]["managedFields"])
    if (e["manager"] == "claw") return e["fieldsV1"];
  FAIL("no claw entry");
  static json none;
  return none;
}

const std::string kEmbedderKey = "k:{\"name\":\"embedder\"}";

// A second container, `sidecar`, in a declared Deployment and in its live
// version (with the defaults the server adds, owned by claw).
void add_sidecar_declared(json& d) {
  pod_spec(d)["containers"].push_back({{"name", "sidecar"}, {"image", "busybox:1.36"}});
}
void add_sidecar_live(json& l) {
  pod_spec(l)["containers"].push_back({{"name", "sidecar"},
                                       {"image", "busybox:1.36"},
                                       {"imagePullPolicy", "IfNotPresent"},
                                       {"resources", json::object()},
                                       {"terminationMessagePath", "/dev/termination-log"},
                                       {"terminationMessagePolicy", "File"}});
  claw_fields(l)["f:spec"]["f:template"]["f:spec"]["f:containers"]["k:{\"name\":\"sidecar\"}"] =
      json::parse(R"({".": {}, "f:image": {}, "f:name": {}})");
}

struct Case {
  const char* what;
  const char* declared;
  Edit edit_declared;
  const char* live;
  Edit edit_live;
  bool differs;
};

}  // namespace

TEST_CASE("compare: declared objects against their live versions") {
  const Case cases[] = {
      {"Deployment, defaults present in live only", "deployment.declared", {}, "deployment.live", {}, false},
      {"Service, clusterIP and defaults in live only", "service.declared", {}, "service.live", {}, false},
      {"StatefulSet, volumeClaimTemplates defaulted inside an atomic list claw owns", "statefulset.declared", {},
       "statefulset.live", {}, false},
      {"image changed by kubectl edit", "deployment.declared", {}, "deployment.live-image-edited", {}, true},
      {"replicas scaled by kubectl scale", "deployment.declared", {}, "deployment.live-scaled", {}, true},
      {"a label another manager added", "deployment.declared", {}, "deployment.live-labelled", {}, false},
      {"env item added to the declared object", "deployment.declared-env-added", {}, "deployment.live", {}, true},
      {"env item removed from live", "deployment.declared", {}, "deployment.live",
       [](json& l) { container(l)["env"].erase(1); }, true},
      {"1Gi declared as 1024Mi, cpu as a number", "deployment.declared",
       [](json& d) {
         container(d)["resources"]["limits"]["memory"] = "16384Mi";
         container(d)["resources"]["limits"]["cpu"] = 4;
         container(d)["resources"]["requests"]["cpu"] = "2000m";
       },
       "deployment.live", {}, false},
      {"0.5 declared, 500m live", "deployment.declared",
       [](json& d) { container(d)["resources"]["requests"]["cpu"] = "0.5"; }, "deployment.live",
       [](json& l) { container(l)["resources"]["requests"]["cpu"] = "500m"; }, false},
      {"a quantity of another value", "deployment.declared",
       [](json& d) { container(d)["resources"]["limits"]["memory"] = "16G"; }, "deployment.live", {}, true},
      {"a field claw applied and no longer declares", "deployment.declared",
       [](json& d) { pod_spec(d).erase("runtimeClassName"); }, "deployment.live", {}, true},
      {"a field no longer declared that only another manager owns", "deployment.declared",
       [](json& d) { pod_spec(d).erase("runtimeClassName"); }, "deployment.live",
       [](json& l) {
         claw_fields(l)["f:spec"]["f:template"]["f:spec"].erase("f:runtimeClassName");
         l["metadata"]["managedFields"].push_back(
             {{"manager", "helm"}, {"operation", "Update"}, {"apiVersion", "apps/v1"}, {"fieldsType", "FieldsV1"},
              {"fieldsV1", {{"f:spec", {{"f:template", {{"f:spec", {{"f:runtimeClassName", json::object()}}}}}}}}}});
       },
       false},
      {"an env item claw applied and no longer declares", "deployment.declared",
       [](json& d) { container(d)["env"].erase(1); }, "deployment.live", {}, true},
      {"two containers in the same order", "deployment.declared", add_sidecar_declared, "deployment.live",
       add_sidecar_live, false},
      {"two containers declared in the other order", "deployment.declared",
       [](json& d) {
         add_sidecar_declared(d);
         std::swap(pod_spec(d)["containers"][0], pod_spec(d)["containers"][1]);
       },
       "deployment.live", add_sidecar_live, true},
      {"a container port matched by its key with the defaulted protocol", "deployment.declared",
       [](json& d) { container(d)["ports"][0].erase("protocol"); }, "deployment.live",
       [](json& l) {
         claw_fields(l)["f:spec"]["f:template"]["f:spec"]["f:containers"][kEmbedderKey]["f:ports"]
                       ["k:{\"containerPort\":8080,\"protocol\":\"TCP\"}"]
                           .erase("f:protocol");
       },
       false},
      {"a protocol claw applied before and no longer declares", "deployment.declared",
       [](json& d) { container(d)["ports"][0].erase("protocol"); }, "deployment.live", {}, true},
      {"int-or-string: \"8080\" is not 8080", "service.declared",
       [](json& d) { d["spec"]["ports"][0]["targetPort"] = "8080"; }, "service.live",
       [](json& l) { l["spec"]["ports"][0]["targetPort"] = 8080; }, true},
      {"int-or-string of the same type", "service.declared",
       [](json& d) { d["spec"]["ports"][0]["targetPort"] = 8080; }, "service.live",
       [](json& l) { l["spec"]["ports"][0]["targetPort"] = 8080; }, false},
      {"a toleration another manager added to the atomic list", "deployment.declared", {}, "deployment.live",
       [](json& l) {
         pod_spec(l)["tolerations"].push_back({{"key", "dedicated"}, {"operator", "Exists"}});
         claw_fields(l)["f:spec"]["f:template"]["f:spec"].erase("f:tolerations");
       },
       true},
      {"a field another manager added inside an atomic list's item", "deployment.declared", {}, "deployment.live",
       [](json& l) {
         pod_spec(l)["tolerations"][0]["tolerationSeconds"] = 30;
         claw_fields(l)["f:spec"]["f:template"]["f:spec"].erase("f:tolerations");
       },
       true},
      {"no managedFields: an atomic list with server defaults inside may differ", "statefulset.declared", {},
       "statefulset.live", [](json& l) { l["metadata"].erase("managedFields"); }, true},
      {"no managedFields: every declared value present", "deployment.declared", {}, "deployment.live",
       [](json& l) { l["metadata"].erase("managedFields"); }, false},
      {"a declared empty list the server does not write back", "deployment.declared",
       [](json& d) { container(d)["args"] = json::array(); }, "deployment.live", {}, false},
      {"a declared empty object missing from live", "deployment.declared",
       [](json& d) { pod_spec(d)["dnsConfig"] = json::object(); }, "deployment.live", {}, true},
      {"Secret unchanged", "secret.declared", {}, "secret.live", {}, false},
      {"Secret value rotated", "secret.declared-rotated", {}, "secret.live", {}, true},
      {"Secret stringData, stored as data", "secret.declared-stringdata", {}, "secret.live-stringdata", {}, false},
      {"Secret stringData of another value", "secret.declared-stringdata",
       [](json& d) { d["stringData"]["event-key"] = "CANARY-event-2"; }, "secret.live-stringdata", {}, true},
      {"Secret moved from data to stringData", "secret.declared-stringdata", {}, "secret.live", {}, true},
  };
  for (const Case& c : cases) {
    const std::string what = c.what;
    CAPTURE(what);
    json declared = edited(c.declared, c.edit_declared);
    json live = edited(c.live, c.edit_live);
    CHECK(may_differ(declared, live) == c.differs);
  }
}

TEST_CASE("compare: what is not an object may differ") {
  json live = fixture("deployment.live");
  CHECK(may_differ(json(), live));
  CHECK(may_differ(fixture("deployment.declared"), json::array()));
  json broken = live;
  claw_fields(broken)["x:bad"] = json::object();
  CHECK(may_differ(fixture("deployment.declared"), broken));
}
