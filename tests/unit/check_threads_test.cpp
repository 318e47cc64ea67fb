// Checking many machines and workloads in two threads gives what checking
// them in one does: the same diagnostics in the same order, and the same
// model. The program below has enough of each for a worker, and puts late
// the first use of a let, of a let cycle, of a let with an error, of a
// template and of record defaults. Every let and default is evaluated before
// any declaration is checked, so the worker never meets one unevaluated.
#include <doctest/doctest.h>

#include <fmt/format.h>

#include <string>

#include "compiler/diag/render.h"
#include "compiler/project/load.h"
#include "compiler/sema/check.h"
#include "tests/unit/test_fs.h"

namespace {

using namespace claw;

constexpr int kServices = 1200;
constexpr int kMachines = 700;

std::string program() {
  std::string s = R"(cluster home { k3s = "v1.31.4+k3s1"; server = box }
machine box { os = linux; arch = amd64; cpu = 64; memory = 256GiB; gpu "L4" x 4 { vram = 24GiB } }
let late-disk = 2TiB
let late-address = "10.0.0.1"
role edge { label "tier" = "edge"; taint "edge=true:NoSchedule" }
template rack-node(n: int) machine { os = linux; arch = amd64; cpu = 32; memory = 128GiB; label "rack" = "r${n}" }
let late-memory = 1GiB
let loop-a = loop-b + 1GiB
let loop-b = loop-a * 2
let late-bad = 5 + "five"
let unused-bad = 1GiB + "x"
let late-tag = "t-${late-address}"
template web(name: string) service {
  image = "ghcr.io/example/${name}:1.0"
  prot http = 8080
}
template late(name: string) service { image = "ghcr.io/example/${name}:2.0" }
)";
  for (int i = 0; i < kMachines; ++i) {
    std::string name = fmt::format("node-{:04}", i);
    switch (i) {
      case 600: s += fmt::format("machine {} = rack-node({})\n", name, i); break;
      case 601: s += fmt::format("machine {} {{ os = linux; arch = amd64; cpu = 8; memory = 32GiB; disk = late-disk }}\n", name); break;
      case 602: s += fmt::format("machine {} {{ os = linux; arch = arm64; cpu = 8; memory = 32GiB; export data {{ path = \"/srv\"; size = 1TiB }} }}\n", name); break;
      case 603: s += fmt::format("machine {} {{ os = darwin; arch = arm64; cpu = 8; memory = 32GiB; address = late-address }}\n", name); break;
      case 604: s += fmt::format("machine {} {{ os = linux; arch = amd64; cpu = 8; memory = 32GiB; label \"kubernetes.io/bad\" = \"x\" }}\n", name); break;
      case 605: s += fmt::format("machine {} {{ os = linux; arch = amd64; cpu = 8; memory = 32GiB; cpus = 4 }}\n", name); break;
      default:
        s += fmt::format("machine {} {{ os = linux; arch = amd64; cpu = 16; memory = 64GiB; roles = [{}]; label \"n\" = \"{}\" }}\n",
                         name, i % 2 ? "edge" : "", i);
    }
  }
  for (int i = 0; i < kServices; ++i) {
    std::string name = fmt::format("s-{:04}", i);
    if (i % 300 == 10) {
      s += fmt::format("service {0} = web(name = \"{0}\")\n", name);
      continue;
    }
    std::string extra;
    if (i % 97 == 7) extra += "replicsa = 2\n";  // a typo, in both halves
    switch (i) {
      case 900: extra += "needs { memory = late-memory }\n"; break;
      case 901: extra += "needs { memory = loop-a }\n"; break;
      case 903: extra += "health = http(\"/healthz\", 8080)\n"; break;
      case 904: extra += fmt::format("after = [{}]\n", name); break;
      case 905: extra += "expose = \"nope\"\n"; break;
      case 906: extra += "gpu { count = 2 }\n"; break;
      case 907: extra += "env { API_TOKEN = \"hunter2\" }\n"; break;
      case 908: extra += "volume data { at = \"/data\"; nfs = \"node-0602.data\" }\n"; break;
      case 909: extra += "on = node-0601\n"; break;
      case 911: extra += "env { TAG = late-tag }\n"; break;
      case 912: extra += "replicas = late-bad\n"; break;
      default: extra += fmt::format("env {{ N = {} }}\n", i); break;
    }
    if (i == 902) {
      s += fmt::format("service {0} = late(name = \"{0}\") {{ port http = {1} }}\n", name, 1000 + i);
      continue;
    }
    s += fmt::format("service {} {{\n  image = \"ghcr.io/example/{}:1.0\"\n  port http = {}\n  {}}}\n", name, name, 1000 + i,
                     extra);
  }
  return s;
}

std::string dump(const sema::Model& m) {
  std::string out;
  for (const auto& x : m.machines) {
    out += fmt::format("{} {} {} {} {} {} {}", x.id.value, x.name, sema::os_name(x.os), x.capacity.memory_bytes,
                       x.disk_bytes.value_or(0), x.address.value_or("-"), x.roles.size());
    for (const auto& [k, v] : x.labels) out += fmt::format(" label {}={}", k, v);
    for (const auto& t : x.taints) out += fmt::format(" taint {}", t.key);
    for (const auto& e : x.exports) out += fmt::format(" export {}", e.name);
    out += "\n";
  }
  for (const auto& w : m.workloads) {
    out += fmt::format("{} {} {} {} {} {} {} {}", w.id.value, w.name, w.namespace_, w.image, w.replicas,
                       w.requests.cpu_millis, w.requests.memory_bytes, w.gpu ? w.gpu->count : 0);
    for (const auto& p : w.ports) out += fmt::format(" port {}={}/{}", p.name, p.port, sema::protocol_name(p.protocol));
    for (const auto& e : w.env) out += fmt::format(" env {}={}", e.name, e.value.value_or("-"));
    for (auto a : w.arch) out += fmt::format(" arch {}", sema::arch_name(a));
    for (auto a : w.after) out += fmt::format(" after {}", a.value);
    for (const auto& v : w.volumes) out += fmt::format(" volume {} {}", v.name, v.nfs_machine ? v.nfs_machine->value : 0);
    if (w.on) out += fmt::format(" on {}", w.on->value);
    if (w.health) out += fmt::format(" health {} {}", w.health->kind ? sema::probe_kind_name(*w.health->kind) : "", w.health->period_ms);
    out += "\n";
  }
  return out;
}

struct Checked {
  std::string diags;  // in the order reported, before any sorting
  std::string model;
  sema::CheckStats stats;
};

Checked check_with(unsigned threads) {
  testing::TestFileSystem fs;
  fs.memory.add("net.claw", program());
  project::LoadOptions options;
  options.paths = {"net.claw"};
  options.stdlib_dir = testing::stdlib_dir();
  project::Project project = project::load(fs, options);
  REQUIRE(project.diags.all().empty());
  sema::Program p = project.program();
  p.threads = threads;
  sema::CheckResult result = sema::check(p);
  Checked out;
  for (const auto& d : result.diags.all()) out.diags += diag::render_text(project.sources, d);
  out.model = dump(result.model);
  out.stats = result.stats;
  return out;
}

TEST_CASE("two threads check machines and workloads as one does") {
  Checked one = check_with(1);
  Checked two = check_with(2);
  // The declarations were shared, and none needed setting aside: the lets
  // they use, even those first used late, were evaluated before. How many
  // the second thread took depends on how the threads were scheduled.
  CHECK(one.stats.shared == 0);
  CHECK(two.stats.shared == kMachines + 1 + kServices);  // and `box`
  CHECK(two.stats.rechecked == 0);
  // The program says what it means to: each case above is reported.
  for (const char* code : {"[unknown-field]", "[let-cycle]", "[self-dependency]", "[undeclared-reference]", "[inline-secret]",
                           "[k3s-on-darwin]", "[restricted-node-label]"})
    CHECK(one.diags.find(code) != std::string::npos);
  CHECK(one.diags.find("[unused-template]") == std::string::npos);
  CHECK(one.model.find("health http 10000") != std::string::npos);
  CHECK(one.model.find("label rack=r600") != std::string::npos);
  CHECK(one.model.find(" 2199023255552 ") != std::string::npos);  // late-disk
  CHECK(one.model.find("volume data 603") != std::string::npos);  // node-0602, after box
  CHECK(one.model.find("env TAG=t-10.0.0.1") != std::string::npos);  // late-tag, through late-address
  CHECK(one.diags.find("5 + \"five\"") != std::string::npos);     // late-bad, where s-0912 first uses it
  CHECK(one.diags.find("1GiB + \"x\"") != std::string::npos);     // unused-bad: never used, still checked
  CHECK(one.diags == two.diags);
  CHECK(one.model == two.model);
}

}  // namespace
