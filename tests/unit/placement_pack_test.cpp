// The search by counts (placement/pack.h): what it places holds, it finds
// every placement the exact solver finds on instances without cards (where
// it is complete), and it never answers "none".
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "compiler/placement/pack.h"
#include "compiler/placement/solve.h"

namespace {

using claw::placement::Card;
using claw::placement::holds;
using claw::placement::Item;
using claw::placement::Need;
using claw::placement::pack;
using claw::placement::PackOptions;
using claw::placement::Solved;
using claw::placement::solve_exact;
using claw::placement::SolveOptions;
using claw::placement::State;
using claw::placement::Verdict;
using claw::sema::MachineId;
using claw::sema::WorkloadId;

constexpr int64_t kMiB = int64_t{1} << 20;
constexpr int64_t kGiB = int64_t{1} << 30;

struct Network {
  claw::sema::Model model;
  std::vector<std::vector<Card>> cards;

  void machine(int64_t cpu, int64_t memory, std::vector<Card> its_cards = {}) {
    claw::sema::Machine m;
    m.id = MachineId{static_cast<uint32_t>(model.machines.size())};
    m.name = fmt::format("m{}", m.id.value);
    m.capacity = {cpu, memory};
    model.machines.push_back(m);
    cards.push_back(std::move(its_cards));
  }
};

/// `replicas` items of workload `w`, each asking `need`, on `candidates`.
void add(std::vector<Item>& items, uint32_t w, int replicas, Need need, std::vector<MachineId> candidates) {
  for (int r = 0; r < replicas; ++r) items.push_back(Item{WorkloadId{w}, r, need, candidates, {}, {}});
}

std::vector<MachineId> all(const Network& n) {
  std::vector<MachineId> out;
  for (const auto& m : n.model.machines) out.push_back(m.id);
  return out;
}

/// How many of `items` of workload `w` `solved` puts on `m`.
int on(const std::vector<Item>& items, const Solved& solved, uint32_t w, uint32_t m) {
  int n = 0;
  for (size_t i = 0; i < items.size(); ++i) n += items[i].workload.value == w && solved.where[i].first.value == m;
  return n;
}

}  // namespace

namespace {

/// Two machines of 6 cores and 16 GiB, and `threes` replicas asking 3
/// cores and `twos` asking 2 (1 GiB each), on either.
struct TwoMachines {
  Network n;
  std::vector<Item> items;
  TwoMachines(int threes, int twos) {
    n.machine(6000, 16 * kGiB);
    n.machine(6000, 16 * kGiB);
    add(items, 0, threes, Need{3000, kGiB}, all(n));
    add(items, 1, twos, Need{2000, kGiB}, all(n));
  }
};

}  // namespace

TEST_CASE("pack: finds the one packing that fills both machines") {
  // 3 + 3 on one and 2 + 2 + 2 on the other is the only fit (3 + 2 on each
  // leaves no room for the last 2).
  TwoMachines t(2, 3);
  State base(t.n.model, t.n.cards);
  Solved s = pack(base, t.items);
  REQUIRE(s.verdict == Verdict::Placed);
  CHECK(holds(base, t.items, s));
  CHECK((on(t.items, s, 0, 0) == 2 || on(t.items, s, 0, 1) == 2));
  CHECK((on(t.items, s, 1, 0) == 3 || on(t.items, s, 1, 1) == 3));
}

TEST_CASE("pack: never says none, and stops at its budget") {
  TwoMachines over(3, 3);  // 15 cores asked of 12
  State base(over.n.model, over.n.cards);
  CHECK(pack(base, over.items).verdict == Verdict::Unknown);
  // Feasible, but out of budget at once: undecided, not placed.
  TwoMachines fits(2, 3);
  State empty(fits.n.model, fits.n.cards);
  CHECK(pack(empty, fits.items).verdict == Verdict::Placed);
  CHECK(pack(empty, fits.items, PackOptions{1, 20'000}).verdict == Verdict::Unknown);
  // Above its size bound it is not tried.
  CHECK(pack(empty, fits.items, PackOptions{300'000'000, 1}).verdict == Verdict::Unknown);
}

TEST_CASE("pack: keeps each workload on its candidates, on top of what the base holds") {
  Network n;
  n.machine(4000, 8 * kGiB);
  n.machine(4000, 8 * kGiB);
  State base(n.model, n.cards);
  base.apply(MachineId{0}, Need{3000, kGiB}, {}, +1);  // a daemon: 1 core left on m0
  std::vector<Item> items;
  add(items, 0, 2, Need{2000, kGiB}, {MachineId{1}});
  add(items, 1, 1, Need{1000, kGiB}, all(n));
  Solved s = pack(base, items);
  REQUIRE(s.verdict == Verdict::Placed);
  CHECK(holds(base, items, s));
  CHECK(on(items, s, 0, 1) == 2);
  CHECK(on(items, s, 1, 0) == 1);
  // Only m1 allowed for the second too: 5 cores asked of its 4.
  items.back().candidates = {MachineId{1}};
  CHECK(pack(base, items).verdict == Verdict::Unknown);
}

TEST_CASE("pack: GPU replicas get distinct cards, whole or shared") {
  Network n;
  n.machine(16000, 64 * kGiB, {Card{0, "A", 24 * kGiB, kGiB}, Card{1, "A", 24 * kGiB, kGiB}, Card{2, "B", 12 * kGiB, 0}});
  std::vector<Item> items;
  add(items, 0, 1, Need{1000, kGiB, 2, 20 * kGiB, false}, all(n));  // the two big cards, whole
  add(items, 1, 3, Need{500, kGiB, 1, 4 * kGiB, true}, all(n));     // three sharers: the small card holds them
  State base(n.model, n.cards);
  Solved s = pack(base, items);
  REQUIRE(s.verdict == Verdict::Placed);
  CHECK(holds(base, items, s));
  CHECK(s.where[0].second == std::vector<int>{0, 1});
  for (size_t i = 1; i < items.size(); ++i) CHECK(s.where[i].second == std::vector<int>{2});
}

namespace {

/// A random tight instance without cards: 2-6 machines, 1-5 workloads of
/// 1-8 replicas each on random candidates, asking about 70-100% of the
/// cpu and memory there is.
std::vector<Item> random_items(std::mt19937& rng, Network& n) {
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  const int machines = pick(2, 6), kinds = pick(1, 5);
  int64_t cpu = 0, memory = 0;
  for (int i = 0; i < machines; ++i) {
    n.machine(pick(4, 32) * 250, pick(2, 32) * 512 * kMiB);
    cpu += n.model.machines.back().capacity.cpu_millis;
    memory += n.model.machines.back().capacity.memory_bytes;
  }
  std::vector<int> replicas(static_cast<size_t>(kinds));
  int total = 0;
  for (int& r : replicas) total += r = pick(1, 8);
  const double fill = pick(70, 100) / 100.0;
  std::vector<Item> items;
  for (int k = 0; k < kinds; ++k) {
    // Each workload's share of the fill, in steps of 250m and 256MiB.
    const double share = fill / static_cast<double>(total) * pick(50, 150) / 100.0;
    const int64_t c = std::max<int64_t>(250, static_cast<int64_t>(share * static_cast<double>(cpu) / 250) * 250);
    const int64_t m = std::max<int64_t>(256 * kMiB, static_cast<int64_t>(share * static_cast<double>(memory) / (256 * kMiB)) * 256 * kMiB);
    std::vector<MachineId> candidates;
    for (int i = 0; i < machines; ++i)
      if (pick(0, 3) > 0) candidates.push_back(MachineId{static_cast<uint32_t>(i)});
    if (candidates.empty()) candidates.push_back(MachineId{static_cast<uint32_t>(pick(0, machines - 1))});
    add(items, static_cast<uint32_t>(k), replicas[static_cast<size_t>(k)], Need{c, m}, candidates);
  }
  return items;
}

}  // namespace

// Without cards the search by counts is complete: its bounds only cut
// branches where the replicas left cannot fit. So wherever the exact solver
// (checked against brute force in placement_property_test.cpp) places an
// instance, so must it; where the solver proves none, it must not place.
TEST_CASE("pack: agrees with the exact solver on tight instances without cards") {
  std::mt19937 rng(20261206);
  int feasible = 0, infeasible = 0;
  for (int i = 0; i < 600; ++i) {
    Network n;
    std::vector<Item> items = random_items(rng, n);
    State base(n.model, n.cards);
    SolveOptions o;
    o.seconds = 30;
    o.minimise_peak = false;
    const Solved reference = solve_exact(base, items, o);
    const Solved packed = pack(base, items);
    INFO("instance ", i, ": ", items.size(), " replicas on ", n.model.machines.size(), " machines");
    REQUIRE(reference.verdict != Verdict::Unknown);
    if (reference.verdict == Verdict::Placed) {
      ++feasible;
      CHECK(packed.verdict == Verdict::Placed);
      CHECK(holds(base, items, packed));
    } else {
      ++infeasible;
      CHECK(packed.verdict == Verdict::Unknown);
    }
  }
  MESSAGE("placed by both ", feasible, ", proven impossible by the solver ", infeasible);
  // The generator gives both answers often enough to mean something.
  CHECK(feasible >= 150);
  CHECK(infeasible >= 150);
}
