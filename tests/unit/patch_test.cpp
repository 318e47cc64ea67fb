// A workload's `patch` lands where Kubernetes reads it, for every kind of
// controller claw writes; blocks merge into claw's objects and leave claw's
// other fields alone; lists and scalars replace; and an unpatched workload
// is written exactly as before. The outputs are read back with yaml-cpp.
#include <doctest/doctest.h>

#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

#include "tests/unit/test_fs.h"

namespace {

const std::string kNet =
    "cluster home { k3s = \"v1.31.4+k3s1\"; server = box; namespace = \"apps\" }\n"
    "machine box { os = linux; arch = amd64; cpu = 8; memory = 32GiB }\n";

YAML::Node controller(const claw::testing::BuildRun& run, const std::string& file, const std::string& kind) {
  for (const auto& d : YAML::LoadAll(run.output("manifests/apps/" + file)))
    if (d["kind"].as<std::string>() == kind) return d;
  return YAML::Node();
}

TEST_CASE("pod, container and object patches land in every controller kind") {
  struct Row {
    std::string decl;  // the workload, `@` standing for its patch
    std::string kind;
    std::vector<std::string> pod_path;  // from the root to the pod spec
  };
  const std::vector<std::string> pod = {"spec", "template", "spec"};
  const Row rows[] = {
      {"service w { image = \"a:1\"; @ }", "Deployment", pod},
      {"service w { image = \"a:1\"; volume d { at = \"/d\"; size = 1GiB }; @ }", "StatefulSet", pod},
      {"daemon w { image = \"a:1\"; @ }", "DaemonSet", pod},
      {"job w { image = \"a:1\"; @ }", "Job", pod},
      {"cron w { image = \"a:1\"; schedule = \"0 3 * * *\"; @ }", "CronJob", {"spec", "jobTemplate", "spec", "template", "spec"}},
  };
  const std::string patch =
      "patch { pod { priorityClassName = \"high\"; dnsConfig.options = [{ name = \"ndots\"; value = \"2\" }] }; "
      "container { stdin = true; resources.limits = { \"example.com/fpga\" = 1 } }; "
      "object.metadata.annotations = { note = \"x\" } }";
  for (const auto& r : rows) {
    CAPTURE(r.kind);
    std::string decl = r.decl;
    decl.replace(decl.find('@'), 1, patch);
    claw::testing::BuildRun run;
    run.build(kNet + decl + "\n");
    REQUIRE_MESSAGE(run.code == 0, run.console.err);
    YAML::Node root = controller(run, "w.yaml", r.kind);
    REQUIRE(root);
    YAML::Node spec;
    spec.reset(root);  // reset: assigning a YAML::Node would write into root
    for (const auto& k : r.pod_path) spec.reset(spec[k]);
    CHECK(spec["priorityClassName"].as<std::string>() == "high");
    CHECK(spec["dnsConfig"]["options"][0]["value"].as<std::string>() == "2");
    YAML::Node c = spec["containers"][0];
    CHECK(c["stdin"].as<bool>());
    CHECK(c["resources"]["limits"]["example.com/fpga"].as<int>() == 1);
    // claw's own fields beside the patched ones stay.
    CHECK(c["image"].as<std::string>() == "a:1");
    CHECK(c["name"].as<std::string>() == "w");
    CHECK(c["resources"]["requests"]["cpu"].as<std::string>() == "100m");
    CHECK(spec["affinity"]);
    CHECK(root["metadata"]["annotations"]["note"].as<std::string>() == "x");
    CHECK(root["metadata"]["name"].as<std::string>() == "w");
    CHECK(run.console.err.find("patch-overrides") == std::string::npos);
  }
}

TEST_CASE("lists and scalars replace claw's, and say so") {
  claw::testing::BuildRun run;
  run.build(kNet +
            "service w { image = \"a:1\"; replicas = 2; tolerate = [\"gpu\"]\n"
            "  patch.pod.tolerations = [{ operator = \"Exists\" }]\n"
            "  patch.object.spec.replicas = 3 }\n");
  REQUIRE_MESSAGE(run.code == 0, run.console.err);
  YAML::Node root = controller(run, "w.yaml", "Deployment");
  YAML::Node tolerations = root["spec"]["template"]["spec"]["tolerations"];
  REQUIRE(tolerations.size() == 1);
  CHECK(tolerations[0]["operator"].as<std::string>() == "Exists");
  CHECK_FALSE(tolerations[0]["key"]);
  CHECK(root["spec"]["replicas"].as<int>() == 3);
  CHECK(run.console.err.find("`patch.pod.tolerations` overrides `spec.template.spec.tolerations`") != std::string::npos);
  CHECK(run.console.err.find("`patch.object.spec.replicas` overrides `spec.replicas`, which claw writes for `w` as `2`") !=
        std::string::npos);
}

TEST_CASE("a patch changes only its own workload's controller") {
  const std::string plain = "service w { image = \"a:1\"; port http = 80 }\n";
  claw::testing::BuildRun before, after;
  before.build(kNet + plain + "service v { image = \"b:1\" }\n");
  after.build(kNet + plain + "service v { image = \"b:1\"; patch.pod.priorityClassName = \"high\" }\n");
  REQUIRE(before.code == 0);
  REQUIRE(after.code == 0);
  CHECK(before.output("manifests/apps/w.yaml") == after.output("manifests/apps/w.yaml"));
  std::string v0 = before.output("manifests/apps/v.yaml"), v1 = after.output("manifests/apps/v.yaml");
  // The patched file is the unpatched one with one line added.
  std::string added = "      priorityClassName: high\n";
  REQUIRE(v1.find(added) != std::string::npos);
  CHECK(v1.substr(0, v1.find(added)) + v1.substr(v1.find(added) + added.size()) == v0);
}

}  // namespace
