// Checking many workloads in two threads gives what checking them in one
// does: the same diagnostics in the same order, and the same model. The
// program below has enough workloads for a worker, and puts in its half the
// first use of a let, of a let cycle, of a template and of record defaults,
// which only the main thread may evaluate or mark.
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

std::string program() {
  std::string s = R"(cluster home { k3s = "v1.31.4+k3s1"; server = box }
machine box { os = linux; arch = amd64; cpu = 64; memory = 256GiB; gpu "L4" x 4 { vram = 24GiB } }
let late-memory = 1GiB
let loop-a = loop-b + 1GiB
let loop-b = loop-a * 2
template web(name: string) service {
  image = "ghcr.io/example/${name}:1.0"
  prot http = 8080
}
template late(name: string) service { image = "ghcr.io/example/${name}:2.0" }
)";
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
  for (const auto& w : m.workloads) {
    out += fmt::format("{} {} {} {} {} {} {} {}", w.id.value, w.name, w.namespace_, w.image, w.replicas,
                       w.requests.cpu_millis, w.requests.memory_bytes, w.gpu ? w.gpu->count : 0);
    for (const auto& p : w.ports) out += fmt::format(" port {}={}/{}", p.name, p.port, p.protocol);
    for (const auto& e : w.env) out += fmt::format(" env {}={}", e.name, e.value.value_or("-"));
    for (auto a : w.arch) out += fmt::format(" arch {}", sema::arch_name(a));
    for (auto a : w.after) out += fmt::format(" after {}", a.value);
    if (w.health) out += fmt::format(" health {} {}", w.health->kind, w.health->period_ms);
    out += "\n";
  }
  return out;
}

struct Checked {
  std::string diags;  // in the order reported, before any sorting
  std::string model;
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
  return out;
}

TEST_CASE("two threads check workloads as one does") {
  Checked one = check_with(1);
  Checked two = check_with(2);
  // The program says what it means to: each case above is reported.
  for (const char* code : {"[unknown-field]", "[let-cycle]", "[self-dependency]", "[undeclared-reference]", "[inline-secret]"})
    CHECK(one.diags.find(code) != std::string::npos);
  CHECK(one.diags.find("[unused-template]") == std::string::npos);
  CHECK(one.model.find("health http 10000") != std::string::npos);
  CHECK(one.diags == two.diags);
  CHECK(one.model == two.model);
}

}  // namespace
