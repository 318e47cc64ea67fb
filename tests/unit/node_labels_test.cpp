// placement.json lists, for every machine, exactly the labels its join
// script puts on its node: its own and its roles', the ones kubelet
// refuses as flags (set through the API), `nvidia.com/gpu.present` on a
// machine with cards, and the time-slicing config's.
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <map>
#include <regex>
#include <sstream>
#include <string>

#include "tests/unit/test_fs.h"

namespace {

using Labels = std::map<std::string, std::string>;

/// The labels a join script sets: `--node-label 'k=v'`, k3d's
/// `--k3s-arg '--node-label=k=v@server:0'`, and the refused ones it lists
/// to set through the API (`#   k=v`).
Labels script_labels(const std::string& script) {
  Labels out;
  static const std::regex flag(R"re(--node-label '([^=']+)=([^']*)'$)re");
  static const std::regex k3d(R"re(--k3s-arg '--node-label=([^=']+)=([^']*)@server:0'$)re");
  static const std::regex refused(R"re(^#   ([^= ]+)=(.*)$)re");
  std::istringstream lines(script);
  std::string line;
  bool in_refused = false;
  while (std::getline(lines, line)) {
    std::smatch m;
    if (line.starts_with("# the node has joined:")) in_refused = true;
    else if (!line.starts_with("#")) in_refused = false;
    if (std::regex_search(line, m, flag) || std::regex_search(line, m, k3d) || (in_refused && std::regex_search(line, m, refused)))
      out[m[1]] = m[2];
  }
  return out;
}

}  // namespace

TEST_CASE("placement.json lists every label the join script puts on each node") {
  claw::testing::BuildRun b;
  b.build(R"(cluster home { k3s = "v1.31.4+k3s1"; server = box }
role storage { label "claw.dev/tier" = "storage"; label "node-role.kubernetes.io/storage" = "true" }
machine box { os = linux; arch = amd64; cpu = 8; memory = 32GiB; label "zone" = "attic"; label "node.kubernetes.io/instance-type" = "mini" }
machine nas { os = linux; arch = amd64; cpu = 4; memory = 8GiB; roles = [storage] }
machine gpu-a { os = linux; arch = amd64; cpu = 16; memory = 64GiB; gpu "RTX" x 1 { vram = 24GiB } }
machine gpu-b { os = linux; arch = amd64; cpu = 16; memory = 64GiB; gpu "L4" x 1 { vram = 24GiB }; label "gpu" = "l4" }
machine spare { os = linux; arch = amd64; cpu = 4; memory = 8GiB; joined = false }
service a { image = "a:1"; on = gpu-a; gpu { vram = 4GiB; share = true } }
service b { image = "b:1"; on = gpu-a; gpu { vram = 4GiB; share = true } }
service c { image = "c:1"; on = gpu-b; gpu { vram = 4GiB } }
)");
  REQUIRE_MESSAGE(b.code == 0, b.console.err);
  const auto placement = nlohmann::json::parse(b.output("placement.json"));
  // What each machine must carry, written out: the GPU machines get the
  // device plugin's label without declaring it, and gpu-a (two sharers on
  // one card) the time-slicing config's.
  const std::map<std::string, Labels> expected = {
      {"box", {{"zone", "attic"}, {"node.kubernetes.io/instance-type", "mini"}}},
      {"nas", {{"claw.dev/tier", "storage"}, {"node-role.kubernetes.io/storage", "true"}}},
      {"gpu-a", {{"nvidia.com/gpu.present", "true"}, {"nvidia.com/device-plugin.config", "time-sliced-2"}}},
      {"gpu-b", {{"nvidia.com/gpu.present", "true"}, {"gpu", "l4"}}},
  };
  size_t seen = 0;
  for (const auto& m : placement["machines"]) {
    const std::string name = m["name"];
    const std::string script = b.output("join/" + name + ".sh");
    if (script.empty()) continue;
    ++seen;
    CAPTURE(name);
    Labels listed;
    for (const auto& [k, v] : m["labels"].items()) listed[k] = v;
    CHECK(listed == script_labels(script));
    REQUIRE(expected.count(name) == 1);
    CHECK(listed == expected.at(name));
  }
  CHECK(seen == expected.size());
}
