// The node affinity `claw build` writes for pinned and `failover` workloads.
// Kubernetes' NodeAffinity (core/v1): `requiredDuringScheduling...` is a
// NodeSelector the pod's node must match; `preferredDuringScheduling...` a
// list of PreferredSchedulingTerm {weight 1-100, preference}, added up per
// node among those that meet the requirements
// (https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#node-affinity).
// A failover pod must be allowed on every machine its constraints allow,
// and on no other, so that the scheduler may move it there when its machine
// is lost; the machine placement chose is preferred.
#include <doctest/doctest.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <string>
#include <vector>

#include "tests/unit/test_fs.h"

namespace {

// Four machines: two amd64 (b tainted), an arm64 one with the `edge` role,
// and one with a GPU; `off` is declared but not joined.
const char* kNet = R"(cluster home { k3s = "v1.31.4+k3s1"; server = a; POLICY }
role edge { label { zone = "edge" } }
machine a { os = linux; arch = amd64; cpu = 4; memory = 8GiB }
machine b { os = linux; arch = amd64; cpu = 4; memory = 8GiB; taint "dedicated=db:NoSchedule" }
machine c { os = linux; arch = arm64; cpu = 4; memory = 8GiB; roles = [edge] }
machine g { os = linux; arch = amd64; cpu = 8; memory = 32GiB; gpu "RTX 4000" { vram = 20GiB } }
machine off { os = linux; arch = amd64; cpu = 4; memory = 8GiB; joined = false }
)";

struct Case {
  const char* name;
  const char* policy;    // the cluster's `placement` setting, or ""
  const char* workload;  // the declaration, named `w`
  const char* path;      // its manifest
  std::vector<std::string> required;  // kubernetes.io/hostname In ...
  bool preferred;        // a preferred term on the machines placement chose
};

std::vector<std::string> values(const YAML::Node& expressions) {
  std::vector<std::string> out;
  REQUIRE(expressions.size() == 1);
  CHECK(expressions[0]["key"].as<std::string>() == "kubernetes.io/hostname");
  CHECK(expressions[0]["operator"].as<std::string>() == "In");
  for (const auto& v : expressions[0]["values"]) out.push_back(v.as<std::string>());
  return out;
}

}  // namespace

TEST_CASE("failover affinity: required where the constraints allow, preferred where placement chose") {
  const std::vector<Case> cases = {
      // Pinned (the default): required on the chosen machine only.
      {"pinned by default", "", R"(service w { image = "w:1" })", "default/w.yaml", {}, false},
      {"pinned explicitly", "placement = pinned", R"(service w { image = "w:1" })", "default/w.yaml", {}, false},
      // Failover: a, c and g run anything; b's taint is not tolerated; off is not joined.
      {"failover from the cluster", "placement = failover", R"(service w { image = "w:1" })", "default/w.yaml", {"a", "c", "g"}, true},
      {"failover of one service", "", R"(service w { image = "w:1"; placement = failover })", "default/w.yaml", {"a", "c", "g"}, true},
      {"pinned override", "placement = failover", R"(service w { image = "w:1"; placement = pinned })", "default/w.yaml", {}, false},
      {"toleration admits b", "placement = failover", R"(service w { image = "w:1"; tolerate = ["dedicated=db:NoSchedule"] })",
       "default/w.yaml", {"a", "b", "c", "g"}, true},
      {"arch", "placement = failover", R"(service w { image = "w:1"; arch = [amd64] })", "default/w.yaml", {"a", "g"}, true},
      {"roles", "placement = failover", R"(service w { image = "w:1"; roles = [edge] })", "default/w.yaml", {"c"}, true},
      {"avoid", "placement = failover", R"(service w { image = "w:1"; avoid = [a] })", "default/w.yaml", {"c", "g"}, true},
      {"an on pin stays a requirement", "placement = failover", R"(service w { image = "w:1"; on = c })", "default/w.yaml", {"c"}, true},
      {"GPU work only where the cards are", "placement = failover", R"(service w { image = "w:1"; gpu { vram = 16GiB } })",
       "default/w.yaml", {"g"}, true},
      {"a job fails over", "", R"(job w { image = "w:1"; placement = failover })", "default/w.yaml", {"a", "c", "g"}, true},
      {"a cron fails over", "placement = failover", R"(cron w { image = "w:1"; schedule = "0 3 * * *" })", "default/w.yaml",
       {"a", "c", "g"}, true},
      // Local data would not follow the pod: pinned whatever the policy.
      {"local volume data stays", "placement = failover", R"(service w { image = "w:1"; volume data { at = "/d"; size = 1GiB } })",
       "default/w.yaml", {}, false},
  };
  for (const auto& c : cases) {
    std::string name = c.name;
    CAPTURE(name);
    std::string net = kNet;
    net.replace(net.find("POLICY"), 6, c.policy);
    claw::testing::BuildRun b;
    b.build(net + c.workload + "\n");
    REQUIRE_MESSAGE(b.code == 0, b.console.err);
    auto docs = YAML::LoadAll(b.output("manifests/" + std::string(c.path)));
    YAML::Node controller;
    for (const auto& d : docs)
      if (d["kind"].as<std::string>() != "Service") controller = d;
    REQUIRE(controller);
    YAML::Node spec = controller["kind"].as<std::string>() == "CronJob" ? controller["spec"]["jobTemplate"]["spec"]["template"]["spec"]
                                                                         : controller["spec"]["template"]["spec"];
    YAML::Node affinity = spec["affinity"]["nodeAffinity"];
    std::string chosen = controller["metadata"]["annotations"]["claw.dev/placement"].as<std::string>("");
    std::vector<std::string> required = values(affinity["requiredDuringSchedulingIgnoredDuringExecution"]["nodeSelectorTerms"][0]["matchExpressions"]);
    YAML::Node preferred = affinity["preferredDuringSchedulingIgnoredDuringExecution"];
    if (!c.preferred) {
      // Pinned: the one machine placement chose, and nothing preferred.
      CHECK(required.size() == 1);
      CHECK(!preferred);
      continue;
    }
    CHECK(required == c.required);
    REQUIRE(preferred.size() == 1);
    CHECK(preferred[0]["weight"].as<int>() == 100);
    std::vector<std::string> prefers = values(preferred[0]["preference"]["matchExpressions"]);
    REQUIRE(prefers.size() == 1);
    // The preferred machine is one the pod may run on, and the one placement chose.
    CHECK(std::find(required.begin(), required.end(), prefers[0]) != required.end());
    CHECK(chosen.substr(0, chosen.find_first_of(" [")) == prefers[0]);
  }
}
