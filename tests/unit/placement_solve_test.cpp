// The exact solver's own guard: a "placed" answer is returned only when it
// holds against the state it was asked on (placement/solve.h), whichever
// caller asked (placement's fallback, the failover proof).
#include <doctest/doctest.h>

#include <vector>

#include "compiler/placement/solve.h"

namespace {

using claw::placement::Card;
using claw::placement::holds;
using claw::placement::Item;
using claw::placement::Need;
using claw::placement::Solved;
using claw::placement::State;
using claw::placement::Verdict;
using claw::sema::MachineId;

constexpr int64_t kGiB = int64_t{1} << 30;

/// Two machines: m0 with 2 cores, 4 GiB and two 16 GiB cards (1 GiB
/// reserved each); m1 with 1 core, 2 GiB and no card.
struct Fixture {
  claw::sema::Model model;
  std::vector<std::vector<Card>> cards;
  Fixture() {
    for (uint32_t i = 0; i < 2; ++i) {
      claw::sema::Machine m;
      m.id = MachineId{i};
      m.name = i == 0 ? "m0" : "m1";
      m.capacity = {i == 0 ? 2000 : 1000, (i == 0 ? 4 : 2) * kGiB};
      model.machines.push_back(m);
    }
    cards = {{Card{0, "A", 16 * kGiB, kGiB}, Card{1, "A", 16 * kGiB, kGiB}}, {}};
  }
};

Item gpu_item(int replica, bool share = false) {
  return Item{claw::sema::WorkloadId{0}, replica, Need{500, kGiB, 1, 8 * kGiB, share}, {MachineId{0}}, {}, {}};
}

Solved placed(std::vector<std::pair<MachineId, std::vector<int>>> where) { return Solved{Verdict::Placed, std::move(where)}; }

}  // namespace

TEST_CASE("solver: holds accepts a valid placement and rejects each broken rule") {
  Fixture f;
  State base(f.model, f.cards);
  const std::vector<Item> two{gpu_item(0), gpu_item(1)};
  CHECK(holds(base, two, placed({{MachineId{0}, {0}}, {MachineId{0}, {1}}})));
  // One whole card held twice.
  CHECK_FALSE(holds(base, two, placed({{MachineId{0}, {0}}, {MachineId{0}, {0}}})));
  // A machine outside the item's candidates (and without cards).
  CHECK_FALSE(holds(base, two, placed({{MachineId{0}, {0}}, {MachineId{1}, {}}})));
  // A card the machine does not have, and the wrong number of cards.
  CHECK_FALSE(holds(base, two, placed({{MachineId{0}, {0}}, {MachineId{0}, {2}}})));
  CHECK_FALSE(holds(base, two, placed({{MachineId{0}, {0}}, {MachineId{0}, {}}})));
  // Fewer places than items, or not a placement at all.
  CHECK_FALSE(holds(base, two, placed({{MachineId{0}, {0}}})));
  CHECK_FALSE(holds(base, two, Solved{Verdict::Unknown, {}}));
  // cpu: five replicas of 500m on 2 cores, the cards shared.
  std::vector<Item> five;
  std::vector<std::pair<MachineId, std::vector<int>>> where;
  for (int r = 0; r < 5; ++r) {
    five.push_back(gpu_item(r, true));
    five.back().need.memory = 0;
    five.back().need.vram = kGiB;
    where.push_back({MachineId{0}, {r % 2}});
  }
  CHECK_FALSE(holds(base, five, placed(where)));
  five.pop_back();
  where.pop_back();
  CHECK(holds(base, five, placed(where)));
  // Shared VRAM: two sharers of 8 GiB fit a 15 GiB card's room only once.
  const std::vector<Item> sharers{gpu_item(0, true), gpu_item(1, true)};
  CHECK_FALSE(holds(base, sharers, placed({{MachineId{0}, {1}}, {MachineId{0}, {1}}})));
  CHECK(holds(base, sharers, placed({{MachineId{0}, {0}}, {MachineId{0}, {1}}})));
}

TEST_CASE("solver: its placements hold, for the peak and for any placement") {
  Fixture f;
  State base(f.model, f.cards);
  const std::vector<Item> two{gpu_item(0), gpu_item(1)};
  for (bool peak : {true, false}) {
    claw::placement::SolveOptions o;
    o.minimise_peak = peak;
    Solved s = claw::placement::solve_exact(base, two, o);
    CHECK(s.verdict == Verdict::Placed);
    CHECK(holds(base, two, s));
    // A third whole card does not exist: proven, not undecided.
    const std::vector<Item> three{gpu_item(0), gpu_item(1), gpu_item(2)};
    CHECK(claw::placement::solve_exact(base, three, o).verdict == Verdict::Infeasible);
  }
}
