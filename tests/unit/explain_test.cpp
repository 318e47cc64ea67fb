// `claw explain`'s data (placement/explain.h): the reasons it gives must
// agree with what moving the replica would do, recomputed here from the
// model and the assignments alone (sums of requests against capacity less
// `reserved`), not through placement's State; plus a table of small cases
// whose expected reasons follow from the ranking documented in
// placement.cpp (`ranked()`: prefer, then spread, then PreferNoSchedule
// taints, then the peak after placing, then declaration order).
#include <doctest/doctest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "compiler/placement/explain.h"
#include "compiler/placement/placement.h"
#include "compiler/sema/model.h"

namespace {

using namespace claw;
using placement::Lost;
using sema::Arch;
using sema::MachineId;
using sema::Model;
using sema::TaintEffect;
using sema::WorkloadId;
using sema::WorkloadKind;

constexpr int64_t GiB = 1LL << 30;

sema::Machine machine(uint32_t id, std::string name, int64_t cpu, int64_t memory, Arch arch = Arch::Amd64) {
  sema::Machine m;
  m.id = MachineId{id};
  m.name = std::move(name);
  m.os = sema::Os::Linux;
  m.arch = arch;
  m.k3s = sema::K3sMode::Native;
  m.capacity = {cpu, memory};
  m.reserved = {0, 0};
  return m;
}

sema::Workload service(uint32_t id, std::string name, int replicas, int64_t cpu, int64_t memory) {
  sema::Workload w;
  w.id = WorkloadId{id};
  w.kind = WorkloadKind::Service;
  w.name = std::move(name);
  w.namespace_ = "default";
  w.arch = {Arch::Amd64, Arch::Arm64};
  w.replicas = replicas;
  w.requests = {cpu, memory};
  return w;
}

const placement::Other& other(const placement::ReplicaWhy& r, const Model& model, std::string_view name) {
  auto it = std::find_if(r.others.begin(), r.others.end(), [&](const placement::Other& o) { return model.machine(o.machine).name == name; });
  REQUIRE(it != r.others.end());
  return *it;
}

/// cpu and memory used on `m` by every assignment but (workload, replica), from the model alone.
std::pair<int64_t, int64_t> used_without(const Model& model, const placement::Placement& p, MachineId m, WorkloadId w, int replica) {
  int64_t cpu = 0, memory = 0;
  for (const auto& a : p.assignments) {
    if (!(a.machine == m) || (a.workload == w && a.replica == replica)) continue;
    cpu += model.workload(a.workload).requests.cpu_millis;
    memory += model.workload(a.workload).requests.memory_bytes;
  }
  return {cpu, memory};
}

double peak_with(const Model& model, const placement::Placement& p, MachineId m, const sema::Workload& w, int replica) {
  auto [cpu, memory] = used_without(model, p, m, w.id, replica);
  const sema::Machine& mm = model.machine(m);
  return std::max(static_cast<double>(cpu + w.requests.cpu_millis) / static_cast<double>(mm.capacity.cpu_millis - mm.reserved.cpu_millis),
                  static_cast<double>(memory + w.requests.memory_bytes) / static_cast<double>(mm.capacity.memory_bytes - mm.reserved.memory_bytes));
}

}  // namespace

TEST_CASE("explain: the reason each other machine lost follows the ranking") {
  struct Case {
    const char* name;
    std::vector<sema::Machine> machines;
    std::vector<sema::Workload> workloads;
    int replica;           // of workload 0
    const char* here;      // where that replica runs
    const char* rival;     // another machine
    Lost lost;             // why it lost
    const char* says;      // a phrase its reason contains
  };
  auto preferring = [](sema::Workload w, uint32_t m) {
    w.prefer = {MachineId{m}};
    return w;
  };
  auto amd_only = [](sema::Workload w) {
    w.arch = {Arch::Amd64};
    return w;
  };
  sema::Machine tainted = machine(1, "lab", 4000, 8 * GiB);
  tainted.taints.push_back(sema::Taint{"node-role", "lab", TaintEffect::PreferNoSchedule, {}});
  std::vector<Case> cases{
      {"two equal machines: replicas spread", {machine(0, "a", 4000, 8 * GiB), machine(1, "b", 4000, 8 * GiB)},
       {service(0, "web", 2, 1000, GiB)}, 0, "a", "b", Lost::Spread, "already runs replica 1"},
      {"prefer wins over an emptier machine", {machine(0, "a", 4000, 8 * GiB), machine(1, "b", 16000, 64 * GiB)},
       {preferring(service(0, "web", 1, 1000, GiB), 0)}, 0, "a", "b", Lost::Preferred, "not in `prefer`, and `a` is"},
      {"an untolerated PreferNoSchedule taint", {machine(0, "a", 4000, 8 * GiB), tainted},
       {service(0, "web", 1, 1000, GiB)}, 0, "a", "lab", Lost::SoftTaint, "node-role=lab:PreferNoSchedule"},
      {"the lower peak after placing", {machine(0, "small", 2000, 4 * GiB), machine(1, "big", 10000, 16 * GiB)},
       {service(0, "web", 1, 1000, GiB)}, 0, "big", "small", Lost::Peak, "`small`'s peak cpu/memory use 50% vs 10% here"},
      {"a tie goes to the machine declared first", {machine(0, "a", 4000, 8 * GiB), machine(1, "b", 4000, 8 * GiB)},
       {service(0, "web", 1, 1000, GiB)}, 0, "a", "b", Lost::Order, "`a` is declared first"},
      {"a machine whose arch the workload does not allow", {machine(0, "a", 4000, 8 * GiB), machine(1, "pi", 4000, 8 * GiB, Arch::Arm64)},
       {amd_only(service(0, "web", 1, 1000, GiB))}, 0, "a", "pi", Lost::Constraint, "arch arm64 not in [amd64]"},
      {"no room once the rest is placed", {machine(0, "a", 4000, 8 * GiB), machine(1, "b", 4000, 8 * GiB)},
       {service(0, "web", 1, 1000, GiB), preferring(service(1, "db", 1, 3500, GiB), 1)}, 0, "a", "b", Lost::NoRoom,
       "needs cpu 1, has 500m of 4 left"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    Model model;
    model.machines = c.machines;
    model.workloads = c.workloads;
    placement::Result placed = placement::place(model);
    REQUIRE_FALSE(placed.diags.has_errors());
    placement::Explanation e = placement::explain(model, placed.placement, WorkloadId{0});
    REQUIRE(static_cast<int>(e.replicas.size()) > c.replica);
    const auto& r = e.replicas[static_cast<size_t>(c.replica)];
    CHECK(model.machine(r.machine).name == c.here);
    const auto& o = other(r, model, c.rival);
    CHECK(o.lost == c.lost);
    CHECK_MESSAGE(o.why.find(c.says) != std::string::npos, o.why);
    CHECK(r.others.size() + 1 == model.machines.size());
  }
}

TEST_CASE("explain: the winner's reasons agree with moving the replica, on random instances") {
  std::mt19937 gen(14);
  auto below = [&](int n) { return static_cast<int>(gen() % static_cast<uint32_t>(n)); };
  int checked = 0;
  for (int round = 0; round < 300; ++round) {
    Model model;
    int machines = 2 + below(4);
    for (int i = 0; i < machines; ++i)
      model.machines.push_back(machine(static_cast<uint32_t>(i), "m" + std::to_string(i), 1000 + 500 * below(8), GiB * (1 + below(8))));
    int workloads = 1 + below(4);
    for (int i = 0; i < workloads; ++i) {
      sema::Workload w = service(static_cast<uint32_t>(i), "w" + std::to_string(i), 1 + below(3), 100 + 100 * below(10),
                                 GiB / 4 * (1 + below(8)));
      if (below(4) == 0) w.prefer = {MachineId{static_cast<uint32_t>(below(machines))}};
      model.workloads.push_back(std::move(w));
    }
    placement::Result placed = placement::place(model);
    if (placed.diags.has_errors()) continue;
    const auto& p = placed.placement;
    for (const auto& w : model.workloads) {
      placement::Explanation e = placement::explain(model, p, w.id);
      REQUIRE(static_cast<int>(e.replicas.size()) == w.replicas);
      for (const auto& r : e.replicas) {
        CAPTURE(round);
        CAPTURE(r.replica);
        // What it takes is what the rest leaves, from the assignments alone.
        auto [cpu, memory] = used_without(model, p, r.machine, w.id, r.replica);
        const auto& here = model.machine(r.machine);
        CHECK(r.takes[0].left == here.capacity.cpu_millis - cpu);
        CHECK(r.takes[1].left == here.capacity.memory_bytes - memory);
        CHECK(r.takes[0].need <= r.takes[0].left);
        const double mine = peak_with(model, p, r.machine, w, r.replica);
        CHECK(r.peak == doctest::Approx(mine));
        for (const auto& o : r.others) {
          auto [ocpu, omemory] = used_without(model, p, o.machine, w.id, r.replica);
          const auto& there = model.machine(o.machine);
          const bool fits = ocpu + w.requests.cpu_millis <= there.capacity.cpu_millis &&
                            omemory + w.requests.memory_bytes <= there.capacity.memory_bytes;
          // "No room" exactly when moving it there would not fit.
          CHECK((o.lost == Lost::NoRoom) == !fits);
          if (o.lost == Lost::Peak) CHECK(peak_with(model, p, o.machine, w, r.replica) > mine);
          if (o.lost == Lost::Preferred) CHECK(std::find(w.prefer.begin(), w.prefer.end(), o.machine) == w.prefer.end());
          if (o.lost == Lost::Spread) {
            auto count = [&](MachineId m) {
              return std::count_if(p.assignments.begin(), p.assignments.end(), [&](const placement::Assignment& a) {
                return a.workload == w.id && a.replica != r.replica && a.machine == m;
              });
            };
            CHECK(count(o.machine) > count(r.machine));
          }
          ++checked;
        }
        // The runner-up is a machine the replica could move to.
        if (r.runner_up) CHECK(other(r, model, model.machine(*r.runner_up).name).lost != Lost::NoRoom);
      }
    }
  }
  CHECK(checked > 500);
}

TEST_CASE("explain: GPU cards, the lock, daemons and names") {
  Model model;
  model.machines.push_back(machine(0, "box", 8000, 32 * GiB));
  sema::Machine gpu = machine(1, "gpu-box", 16000, 64 * GiB);
  gpu.gpus.push_back(sema::GpuGroup{"RTX", 2, 24 * GiB, 0, {}});
  model.machines.push_back(gpu);
  sema::Workload shared = service(0, "embedder", 2, 500, GiB);
  shared.gpu = sema::GpuRequest{1, 8 * GiB, true, {}};
  model.workloads.push_back(shared);
  sema::Workload daemon = service(1, "agent", 1, 100, GiB / 8);
  daemon.kind = WorkloadKind::Daemon;
  model.workloads.push_back(daemon);
  sema::Workload other_ns = service(2, "embedder", 1, 100, GiB / 8);
  other_ns.namespace_ = "tools";
  model.workloads.push_back(other_ns);
  placement::Result placed = placement::place(model);
  REQUIRE_FALSE(placed.diags.has_errors());

  SUBCASE("a shared card: what it takes and what it leaves") {
    auto e = placement::explain(model, placed.placement, WorkloadId{0});
    REQUIRE(e.replicas.size() == 2);
    for (const auto& r : e.replicas) {
      REQUIRE(r.card_takes.size() == 1);
      CHECK(r.card_takes[0].shared);
      CHECK(r.card_takes[0].vram == 8 * GiB);
      // Best fit: the second replica packs onto the card the first took.
      CHECK(r.card_takes[0].sharers == 2);
      CHECK(r.card_takes[0].free_before == 16 * GiB);
      CHECK(other(r, model, "box").lost == Lost::Constraint);
      CHECK(r.won == "the only machine that can run it");
    }
  }
  SUBCASE("a replica kept where the lock has it") {
    placement::Previous previous;
    const auto& a = placed.placement.assignments.front();
    previous.workloads["default/embedder"][a.replica] = placement::Where{"gpu-box", a.cards};
    auto e = placement::explain(model, placed.placement, WorkloadId{0}, &previous);
    CHECK(e.replicas[0].kept);
    CHECK_FALSE(e.replicas[1].kept);
    CHECK(e.replicas[0].won.starts_with("kept where claw.lock has it"));
  }
  SUBCASE("a daemon runs on every machine") {
    auto e = placement::explain(model, placed.placement, WorkloadId{1});
    CHECK(e.replicas.size() == 2);
    for (const auto& r : e.replicas) CHECK(r.others.empty());
  }
  SUBCASE("names: bare, qualified, and in two namespaces") {
    CHECK(placement::find_workloads(model, "embedder").size() == 2);
    CHECK(placement::find_workloads(model, "tools/embedder") == std::vector<WorkloadId>{WorkloadId{2}});
    CHECK(placement::find_workloads(model, "agent").size() == 1);
    CHECK(placement::find_workloads(model, "nope").empty());
  }
}

TEST_CASE("explain: a replica the lock keeps on a machine that now ranks behind") {
  Model model;
  model.machines = {machine(0, "a", 4000, 8 * GiB), machine(1, "b", 4000, 8 * GiB)};
  model.workloads = {service(0, "web", 1, 1000, GiB)};
  placement::Previous previous;
  previous.workloads["default/web"][0] = placement::Where{"b", {}};
  placement::Options options;
  options.previous = &previous;
  placement::Result placed = placement::place(model, options);
  REQUIRE_FALSE(placed.diags.has_errors());
  auto e = placement::explain(model, placed.placement, WorkloadId{0}, &previous);
  REQUIRE(e.replicas.size() == 1);
  const auto& r = e.replicas[0];
  CHECK(model.machine(r.machine).name == "b");
  CHECK(r.kept);
  // Without the lock `a` would win the tie (declared first).
  const auto& a = other(r, model, "a");
  CHECK(a.lost == Lost::Better);
  CHECK_MESSAGE(a.why.find("kept on `b`, where claw.lock has it") != std::string::npos, a.why);
  CHECK(r.runner_up == MachineId{0});
  CHECK(r.won.starts_with("`a` would fit too"));
}
