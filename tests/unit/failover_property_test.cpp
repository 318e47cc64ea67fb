// The failover proof against brute force, on 600 random small instances
// (2-5 machines, 1-4 services of 1-4 replicas, whole GPU cards) built
// directly as sema::Model values, seeded so every run sees the same ones.
// For every set of `survive` (1 or 2) joined machines, the brute force
// enumerates every assignment of the displaced `failover` replicas (and
// every choice of free cards) onto the machines left, with its own
// arithmetic of what each has left; the proof must say "survives" exactly
// when one exists, and count the replicas that move and stay down alike.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "compiler/placement/failover.h"
#include "compiler/placement/placement.h"
#include "compiler/sema/model.h"

namespace {

using namespace claw;
using sema::Arch;
using sema::Machine;
using sema::MachineId;
using sema::Model;
using sema::Workload;

constexpr int64_t MiB = 1LL << 20;
constexpr int64_t GiB = 1LL << 30;

/// mt19937's sequence is fixed by the standard; plain modulo keeps the
/// instances the same on every platform.
struct Rng {
  std::mt19937 gen;
  explicit Rng(uint32_t seed) : gen(seed) {}
  int below(int n) { return static_cast<int>(gen() % static_cast<uint32_t>(n)); }
  bool chance(int percent) { return below(100) < percent; }
};

Model random_model(Rng& rng) {
  Model model;
  model.cluster.emplace();
  model.cluster->placement = rng.chance(50) ? sema::PlacementPolicy::Failover : sema::PlacementPolicy::Pinned;
  int machines = 2 + rng.below(4);
  for (int i = 0; i < machines; ++i) {
    Machine m;
    m.id = MachineId{static_cast<uint32_t>(i)};
    m.name = fmt::format("m{}", i);
    m.os = sema::Os::Linux;
    m.arch = rng.chance(70) ? Arch::Amd64 : Arch::Arm64;
    m.k3s = sema::K3sMode::Native;
    m.joined = !rng.chance(8);
    m.capacity = {2000 + 1000 * rng.below(7), GiB * (2 + rng.below(10))};
    m.reserved = {0, 0};
    if (rng.chance(20)) m.taints.push_back(sema::Taint{"dedicated", "", sema::TaintEffect::NoSchedule, {}});
    if (rng.chance(40)) {
      static const int64_t vrams[] = {8 * GiB, 16 * GiB, 24 * GiB};
      m.gpus.push_back(sema::GpuGroup{"card", 1 + rng.below(2), vrams[rng.below(3)], 0, {}});
    }
    model.machines.push_back(m);
  }
  int workloads = 1 + rng.below(4);
  for (int i = 0; i < workloads; ++i) {
    Workload w;
    w.id = sema::WorkloadId{static_cast<uint32_t>(i)};
    w.kind = sema::WorkloadKind::Service;
    w.name = fmt::format("w{}", i);
    w.namespace_ = "default";
    w.replicas = 1 + rng.below(4);
    w.requests = {250 * (1 + rng.below(8)), 256 * MiB * (1 + rng.below(12))};
    w.arch = rng.chance(80) ? std::vector<Arch>{Arch::Amd64, Arch::Arm64} : std::vector<Arch>{Arch::Amd64};
    if (rng.chance(40)) w.tolerations.push_back(sema::Toleration{"dedicated", {}, {}, {}});
    if (rng.chance(25)) w.gpu = sema::GpuRequest{1 + rng.below(2), rng.chance(50) ? std::optional<int64_t>() : 12 * GiB, false, {}};
    if (rng.chance(25)) w.placement = rng.chance(50) ? sema::PlacementPolicy::Failover : sema::PlacementPolicy::Pinned;
    if (rng.chance(10)) {
      sema::Volume v;
      v.name = "data";
      v.kind = sema::VolumeKind::PerReplica;
      v.size_bytes = GiB;
      v.mount_path = "/data";
      w.volumes.push_back(v);
    }
    if (rng.chance(8)) w.on = MachineId{static_cast<uint32_t>(rng.below(machines))};
    model.workloads.push_back(w);
  }
  return model;
}

// ------------------------------------------------------------------ the brute force

bool may_run(const Workload& w, const Machine& m) {
  if (!m.joined) return false;
  if (w.on && !(*w.on == m.id)) return false;
  if (std::find(w.arch.begin(), w.arch.end(), m.arch) == w.arch.end()) return false;
  if (!m.taints.empty() && w.tolerations.empty()) return false;
  if (w.gpu) {
    int cards = 0;
    for (const auto& g : m.gpus)
      if (g.vram_bytes >= w.gpu->vram_bytes.value_or(0)) cards += g.count;
    if (cards < w.gpu->count) return false;
  }
  return true;
}

/// What a machine has left: cpu, memory, and per card whether it is free
/// and its VRAM.
struct Room {
  int64_t cpu = 0, memory = 0;
  std::vector<bool> free;
  std::vector<int64_t> vram;
};

struct Displaced {
  const Workload* w;
  placement::Need need;
};

bool place_all(const Model& model, std::vector<Room>& room, const std::vector<bool>& alive, const std::vector<Displaced>& d, size_t i) {
  if (i == d.size()) return true;
  const auto& [w, need] = d[i];
  for (const auto& m : model.machines) {
    size_t k = m.id.value;
    if (!alive[k] || !may_run(*w, m)) continue;
    Room& r = room[k];
    if (r.cpu < need.cpu || r.memory < need.memory) continue;
    // Every set of `need.gpus` free cards with the VRAM asked for.
    size_t n = r.free.size();
    for (uint32_t mask = 0; mask < (1u << n); ++mask) {
      if (std::popcount(mask) != need.gpus) continue;
      bool ok = true;
      for (size_t c = 0; c < n; ++c)
        if ((mask >> c & 1) && (!r.free[c] || r.vram[c] < need.vram)) ok = false;
      if (!ok) continue;
      r.cpu -= need.cpu;
      r.memory -= need.memory;
      for (size_t c = 0; c < n; ++c)
        if (mask >> c & 1) r.free[c] = false;
      bool done = place_all(model, room, alive, d, i + 1);
      r.cpu += need.cpu;
      r.memory += need.memory;
      for (size_t c = 0; c < n; ++c)
        if (mask >> c & 1) r.free[c] = true;
      if (done) return true;
    }
  }
  return false;
}

bool moves(const Model& model, const Workload& w) {
  auto policy = w.placement.value_or(model.cluster->placement);
  return policy == sema::PlacementPolicy::Failover && !w.on && w.volumes.empty();
}

struct Truth {
  bool survives = true;
  int moving = 0, down = 0;
};

Truth brute_force(const Model& model, const placement::Placement& p, const std::vector<MachineId>& lost) {
  std::vector<bool> alive(model.machines.size());
  for (const auto& m : model.machines)
    alive[m.id.value] = m.joined && std::find(lost.begin(), lost.end(), m.id) == lost.end();
  std::vector<Room> room(model.machines.size());
  for (const auto& m : model.machines) {
    Room& r = room[m.id.value];
    r.cpu = m.capacity.cpu_millis;
    r.memory = m.capacity.memory_bytes;
    for (const auto& g : m.gpus)
      for (int c = 0; c < g.count; ++c) {
        r.free.push_back(true);
        r.vram.push_back(g.vram_bytes);
      }
  }
  Truth t;
  std::vector<Displaced> displaced;
  for (const auto& a : p.assignments) {
    const Workload& w = model.workload(a.workload);
    auto need = placement::need_of(w);
    if (alive[a.machine.value]) {
      Room& r = room[a.machine.value];
      r.cpu -= need.cpu;
      r.memory -= need.memory;
      for (int c : a.cards) r.free[static_cast<size_t>(c)] = false;
    } else if (moves(model, w)) {
      displaced.push_back({&w, need});
      ++t.moving;
    } else {
      ++t.down;
    }
  }
  t.survives = place_all(model, room, alive, displaced, 0);
  return t;
}

}  // namespace

TEST_CASE("failover property: the proof agrees with brute force on small instances") {
  Rng rng(20261205);
  int checked = 0, stranded = 0, survived = 0;
  for (int instance = 0; instance < 600; ++instance) {
    Model model = random_model(rng);
    int survive = rng.chance(70) ? 1 : 2;
    auto placed = placement::place(model);
    if (placed.diags.has_errors()) continue;
    placement::FailoverOptions o;
    o.survive = survive;
    auto report = placement::prove_failover(model, placed.placement, o, placement::exact_solver(10));
    std::vector<MachineId> pool;
    for (const auto& m : model.machines)
      if (m.joined) pool.push_back(m.id);
    int k = std::min<int>(survive, static_cast<int>(pool.size()));
    CHECK(report.complete());
    std::map<std::vector<uint32_t>, const placement::Loss*> by_set;
    for (const auto& l : report.losses) {
      std::vector<uint32_t> key;
      for (auto m : l.lost) key.push_back(m.value);
      by_set[key] = &l;
    }
    // Every k-subset of the joined machines.
    size_t sets = 0;
    for (uint32_t mask = 0; mask < (1u << pool.size()); ++mask) {
      if (std::popcount(mask) != k) continue;
      ++sets;
      std::vector<MachineId> lost;
      std::vector<uint32_t> key;
      for (size_t i = 0; i < pool.size(); ++i)
        if (mask >> i & 1) {
          lost.push_back(pool[i]);
          key.push_back(pool[i].value);
        }
      Truth truth = brute_force(model, placed.placement, lost);
      auto it = by_set.find(key);
      const placement::Loss* loss = it == by_set.end() ? nullptr : it->second;
      INFO("instance ", instance, ", losing ", key.size(), " machines from m", key.front());
      int moving = loss ? loss->moving : 0, down = 0;
      if (loss)
        for (const auto& d : loss->down) down += d.replicas;
      CHECK(moving == truth.moving);
      CHECK(down == truth.down);
      bool survives = !loss || loss->verdict == placement::Verdict::Placed;
      CHECK(survives == truth.survives);
      if (loss) CHECK(loss->verdict != placement::Verdict::Unknown);
      if (loss && !survives) CHECK(!loss->stranded.empty());
      ++checked;
      (truth.survives ? survived : stranded) += truth.moving > 0;
    }
    CHECK(report.sets == sets);
  }
  // The instances exercise both outcomes, not only the trivial one.
  CHECK(stranded > 50);
  CHECK(survived > 50);
  MESSAGE("sets checked: ", checked, "; with replicas moving, survived: ", survived, ", stranded: ", stranded);
}
