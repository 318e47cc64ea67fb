#include "compiler/placement/failover.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <map>
#include <optional>

#include "compiler/placement/previous.h"

namespace claw::placement {

using sema::MachineId;
using sema::Model;
using sema::Workload;
using sema::WorkloadId;

bool fails_over(const Model& model, const Workload& w) {
  if (w.kind == sema::WorkloadKind::Daemon) return false;
  auto cluster = model.cluster ? model.cluster->placement : sema::PlacementPolicy::Pinned;
  return w.placement.value_or(cluster) == sema::PlacementPolicy::Failover;
}

Solver exact_solver(double seconds) {
  return [seconds](const State& base, const std::vector<Item>& items) {
    SolveOptions o;
    o.seconds = seconds;
    // Feasibility is all a failover proof asks: the first placement found
    // will do.
    o.minimise_peak = false;
    o.settle_nodes = 0;
    return solve_exact(base, items, o);
  };
}

namespace {

bool joined(const sema::Machine& m) { return m.joined && m.k3s != sema::K3sMode::None; }

/// n choose k, saturating at SIZE_MAX.
size_t choose(size_t n, size_t k) {
  if (k > n) return 0;
  k = std::min(k, n - k);
  size_t r = 1;
  for (size_t i = 1; i <= k; ++i) {
    size_t num = n - k + i;
    if (r > std::numeric_limits<size_t>::max() / num) return std::numeric_limits<size_t>::max();
    r = r * num / i;  // exact: r * num is divisible by i at every step
  }
  return r;
}

/// What the proof reads of the model and placement once, for every set.
struct Prover {
  const Model& model;
  const Placement& placed;
  const Solver& solve;
  std::vector<std::vector<size_t>> on_machine;  // assignment indices per machine
  std::vector<std::optional<Need>> needs;       // per workload, when asked
  std::vector<std::optional<std::vector<MachineId>>> eligible;  // per workload: machines that could ever run it
  State base;                                   // the placement as it stands

  Prover(const Model& m, const Placement& p, const Solver& s)
      : model(m), placed(p), solve(s), on_machine(m.machines.size()), needs(m.workloads.size()),
        eligible(m.workloads.size()), base(m, p.cards) {
    for (size_t i = 0; i < p.assignments.size(); ++i) on_machine[p.assignments[i].machine.value].push_back(i);
    base.restore(p.use);
  }

  /// What a replica of `w` asks of the machine it moves to. A replica
  /// sharing a card is counted as needing a whole one: where it lands, the
  /// device plugin hands out a time-slice of any card, or (on a machine not
  /// sliced) a whole card, and guards no VRAM, so only a free card is
  /// certain room (emit/time_slicing.h).
  const Need& need(const Workload& w) {
    auto& n = needs[w.id.value];
    if (!n) {
      n = need_of(w);
      n->share = false;
    }
    return *n;
  }

  const std::vector<MachineId>& machines_for(const Workload& w) {
    auto& e = eligible[w.id.value];
    if (!e) {
      e.emplace();
      for (const auto& m : model.machines)
        if (can_run(model, m, placed.cards[m.id.value], w, need(w), nullptr)) e->push_back(m.id);
    }
    return *e;
  }

  /// Whether `items` fit: first fit of each, else the solver.
  Solved fit(const std::vector<Item>& items) {
    State s = base;
    Solved quick{Verdict::Placed, {}};
    for (const auto& it : items) {
      std::optional<std::vector<int>> cards;
      MachineId at{0};
      for (auto m : it.candidates)
        if ((cards = s.fit(m, it.need))) {
          at = m;
          break;
        }
      if (!cards) return solve(base, items);
      s.apply(at, it.need, *cards, +1);
      quick.where.emplace_back(at, std::move(*cards));
    }
    return quick;
  }

  /// What each surviving machine that could run `w` has left for its
  /// `count` displaced replicas, in words.
  Stranded stranded(const Workload& w, int count, const std::vector<MachineId>& lost) {
    Stranded s{w.id, count, need(w), {}, 0};
    State room = base;
    for (const auto& m : model.machines) {
      if (!joined(m) || std::binary_search(lost.begin(), lost.end(), m.id, [](MachineId a, MachineId b) { return a.value < b.value; }))
        continue;
      const auto& ok = machines_for(w);
      if (std::find(ok.begin(), ok.end(), m.id) == ok.end()) {
        ++s.ineligible;
        continue;
      }
      std::vector<std::vector<int>> taken;
      while (static_cast<int>(taken.size()) < count) {
        auto cards = room.fit(m.id, s.need);
        if (!cards) break;
        room.apply(m.id, s.need, *cards, +1);
        taken.push_back(std::move(*cards));
      }
      int fits = static_cast<int>(taken.size());
      std::string why = fits == count ? fmt::format("has room for all {}, alone", count)
                        : fits == 0   ? room.capacity_refusal(m.id, s.need)
                                      : fmt::format("has room for {} of the {}; then {}", fits, count, room.capacity_refusal(m.id, s.need));
      for (const auto& cards : taken) room.apply(m.id, s.need, cards, -1);
      s.room.emplace_back(m.id, std::move(why));
    }
    return s;
  }

  Loss loss(const std::vector<MachineId>& lost) {
    Loss out;
    out.lost = lost;
    std::map<uint32_t, std::vector<Item>> moving;  // by workload
    std::map<uint32_t, Down> down;
    for (auto m : lost)
      for (size_t i : on_machine[m.value]) {
        const Assignment& a = placed.assignments[i];
        const Workload& w = model.workload(a.workload);
        if (w.kind == sema::WorkloadKind::Daemon) continue;  // one per machine: it goes with it
        std::optional<Stays> stays;
        if (!fails_over(model, w)) stays = Stays::Pinned;
        else if (w.on) stays = Stays::On;
        else if (local_volume(w)) stays = Stays::LocalData;
        if (stays) {
          auto& d = down.try_emplace(w.id.value, Down{w.id, 0, *stays}).first->second;
          ++d.replicas;
          continue;
        }
        Item it{w.id, a.replica, need(w), {}, w.prefer, {}};
        for (auto c : machines_for(w))
          if (std::find(lost.begin(), lost.end(), c) == lost.end()) it.candidates.push_back(c);
        moving[w.id.value].push_back(std::move(it));
        ++out.moving;
      }
    for (auto& [id, d] : down) out.down.push_back(d);
    if (moving.empty()) return out;
    std::vector<Item> all;
    for (auto& [id, items] : moving) all.insert(all.end(), items.begin(), items.end());
    out.verdict = fit(all).verdict;
    if (out.verdict == Verdict::Placed) return out;
    for (auto& [id, items] : moving)
      if (fit(items).verdict != Verdict::Placed)
        out.stranded.push_back(stranded(model.workload(WorkloadId{id}), static_cast<int>(items.size()), lost));
    if (out.stranded.empty()) {
      out.jointly = true;
      for (auto& [id, items] : moving)
        out.stranded.push_back(stranded(model.workload(WorkloadId{id}), static_cast<int>(items.size()), lost));
    }
    return out;
  }
};

}  // namespace

const Loss* loss_of(const FailoverReport& report, MachineId m) {
  for (const auto& l : report.losses)
    if (l.lost.size() == 1 && l.lost.front() == m) return &l;
  return nullptr;
}

FailoverReport prove_failover(const Model& model, const Placement& placed, const FailoverOptions& options,
                              const Solver& solve) {
  FailoverReport r;
  std::vector<MachineId> pool;
  for (const auto& m : model.machines)
    if (joined(m)) pool.push_back(m.id);
  size_t k = static_cast<size_t>(std::clamp<int>(options.survive, 0, static_cast<int>(pool.size())));
  r.survive = static_cast<int>(k);
  if (k == 0) return r;
  r.sets = choose(pool.size(), k);
  Prover prover(model, placed, solve);
  // Every k-subset of the pool, in lexicographic order of indices.
  std::vector<size_t> pick(k);
  for (size_t i = 0; i < k; ++i) pick[i] = i;
  const uint64_t start = options.clock();
  const auto budget = static_cast<uint64_t>(options.seconds * 1e9);
  while (r.checked < options.max_sets) {
    if (r.checked > 0 && options.clock() - start > budget) {
      r.out_of_time = true;
      break;
    }
    std::vector<MachineId> lost;
    for (size_t i : pick) lost.push_back(pool[i]);
    Loss l = prover.loss(lost);
    ++r.checked;
    if (l.moving > 0 || !l.down.empty()) r.losses.push_back(std::move(l));
    size_t i = k;
    while (i > 0 && pick[i - 1] == pool.size() - k + (i - 1)) --i;
    if (i == 0) break;
    ++pick[i - 1];
    for (size_t j = i; j < k; ++j) pick[j] = pick[j - 1] + 1;
  }
  return r;
}

}  // namespace claw::placement
