#include "compiler/placement/pack.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <utility>

namespace claw::placement {
namespace {

using sema::MachineId;

/// The replicas of one workload: interchangeable, so the search decides
/// how many go to each machine rather than which goes where.
struct Kind {
  Need need;
  std::vector<MachineId> candidates;
  std::vector<int> position;  // per machine: its index in candidates, or -1
  std::vector<size_t> items;  // indices into the items, in order
  int64_t left = 0;           // replicas not yet placed
};

/// One replica placed: its kind, machine and cards.
struct Placed {
  size_t kind;
  MachineId machine;
  std::vector<int> cards;
};

class CountSearch {
 public:
  CountSearch(const State& base, const std::vector<Item>& items, const PackOptions& options)
      : state_(base), items_(items), options_(options) {}

  Solved run() {
    group();
    size_t pairs = 0;
    for (const Kind& k : kinds_) pairs += k.candidates.size();
    if (pairs > options_.max_pairs) return Solved{};
    if (!dfs(0, 0)) return Solved{};
    Solved out{Verdict::Placed, std::vector<std::pair<MachineId, std::vector<int>>>(items_.size())};
    std::vector<size_t> next(kinds_.size(), 0);
    for (Placed& p : placed_) {
      const Kind& k = kinds_[p.kind];
      out.where[k.items[next[p.kind]++]] = {p.machine, std::move(p.cards)};
    }
    return out;
  }

 private:
  /// The kinds, GPU workloads first (their cards are the scarcest room),
  /// then the largest: the share of all the cpu and memory left that one
  /// replica takes.
  void group() {
    std::map<uint32_t, size_t> by_workload;
    for (size_t i = 0; i < items_.size(); ++i) {
      auto [at, fresh] = by_workload.try_emplace(items_[i].workload.value, kinds_.size());
      if (fresh) kinds_.push_back(Kind{items_[i].need, items_[i].candidates, {}, {}, 0});
      kinds_[at->second].items.push_back(i);
      ++kinds_[at->second].left;
    }
    const auto& use = state_.use();
    int64_t cpu = 0, memory = 0;
    for (const MachineUse& u : use) {
      cpu += std::max<int64_t>(0, u.cpu_allocatable - u.cpu_used);
      memory += std::max<int64_t>(0, u.memory_allocatable - u.memory_used);
    }
    auto size = [&](const Need& n) {
      return (cpu > 0 ? static_cast<double>(n.cpu) / static_cast<double>(cpu) : 0.0) +
             (memory > 0 ? static_cast<double>(n.memory) / static_cast<double>(memory) : 0.0);
    };
    std::stable_sort(kinds_.begin(), kinds_.end(), [&](const Kind& a, const Kind& b) {
      if (a.need.gpus != b.need.gpus) return a.need.gpus > b.need.gpus;
      return size(a.need) > size(b.need);
    });
    std::vector<bool> listed(use.size(), false);
    for (Kind& k : kinds_) {
      k.position.assign(use.size(), -1);
      for (size_t j = 0; j < k.candidates.size(); ++j) {
        const MachineId m = k.candidates[j];
        k.position[m.value] = static_cast<int>(j);
        if (!listed[m.value]) machines_.push_back(m);
        listed[m.value] = true;
      }
    }
  }

  /// How many replicas of `need` the cpu and memory left on `m` hold (cards
  /// aside: a bound, never less than the truth), at most `most`.
  int64_t room(MachineId m, const Need& need, int64_t most) const {
    const MachineUse& u = state_.use()[m.value];
    int64_t n = most;
    if (need.cpu > 0) n = std::min(n, std::max<int64_t>(0, u.cpu_allocatable - u.cpu_used) / need.cpu);
    if (need.memory > 0) n = std::min(n, std::max<int64_t>(0, u.memory_allocatable - u.memory_used) / need.memory);
    return n;
  }

  /// Whether a machine may still take replicas of kind `k`, when the
  /// search is at kind `at`, past candidate `ci` of it.
  static bool open(const Kind& k, size_t kind, MachineId m, size_t at, size_t ci) {
    const int p = k.position[m.value];
    return p >= 0 && (kind > at || static_cast<size_t>(p) > ci);
  }

  /// Necessary conditions for the replicas left to fit, the search being at
  /// kind `at` with candidates up to `ci` decided: each kind's replicas fit
  /// in the room its open machines have for it alone, and, per resource,
  /// what they ask fits in what the machines can still give them (a
  /// machine's room counts only as far as the open kinds could fill it:
  /// room no replica left can use is lost).
  bool room_suffices(size_t at, size_t ci) {
    for (size_t kind = at; kind < kinds_.size(); ++kind) {
      const Kind& k = kinds_[kind];
      if (k.left == 0) continue;
      int64_t fits = 0;
      for (MachineId m : k.candidates) {
        if (!open(k, kind, m, at, ci)) continue;
        fits += room(m, k.need, k.left - fits);
        if (fits >= k.left) break;
      }
      work_ += k.candidates.size();
      if (fits < k.left) return false;
    }
    int64_t ask_cpu = 0, ask_memory = 0, give_cpu = 0, give_memory = 0;
    for (size_t kind = at; kind < kinds_.size(); ++kind) {
      ask_cpu += kinds_[kind].left * kinds_[kind].need.cpu;
      ask_memory += kinds_[kind].left * kinds_[kind].need.memory;
    }
    for (MachineId m : machines_) {
      const MachineUse& u = state_.use()[m.value];
      const int64_t cpu_left = std::max<int64_t>(0, u.cpu_allocatable - u.cpu_used);
      const int64_t memory_left = std::max<int64_t>(0, u.memory_allocatable - u.memory_used);
      int64_t cpu = 0, memory = 0;  // what the open kinds could take here, at most what is left
      for (size_t kind = at; kind < kinds_.size() && (cpu < cpu_left || memory < memory_left); ++kind) {
        const Kind& k = kinds_[kind];
        if (k.left == 0 || !open(k, kind, m, at, ci)) continue;
        const int64_t n = room(m, k.need, k.left);
        cpu = std::min(cpu_left, cpu + n * k.need.cpu);
        memory = std::min(memory_left, memory + n * k.need.memory);
      }
      give_cpu += cpu;
      give_memory += memory;
    }
    work_ += machines_.size() * (kinds_.size() - at);
    return give_cpu >= ask_cpu && give_memory >= ask_memory;
  }

  /// Decides how many replicas of kind `at` go to its candidate `ci`, and
  /// so on to the last kind.
  bool dfs(size_t at, size_t ci) {
    if (work_ > options_.work_limit) return false;
    if (at == kinds_.size()) return true;
    Kind& k = kinds_[at];
    if (k.left == 0) return dfs(at + 1, 0);
    if (ci == k.candidates.size()) return false;
    const MachineId m = k.candidates[ci];
    int64_t here = 0;  // as many as fit, then one fewer at each turn
    while (here < k.left) {
      std::optional<std::vector<int>> cards = state_.fit(m, k.need);
      if (!cards) break;
      state_.apply(m, k.need, *cards, +1);
      placed_.push_back(Placed{at, m, std::move(*cards)});
      ++here;
    }
    k.left -= here;
    ++work_;
    for (;;) {
      if (room_suffices(at, ci) && dfs(at, ci + 1)) return true;
      if (here == 0 || work_ > options_.work_limit) break;
      state_.apply(m, k.need, placed_.back().cards, -1);
      placed_.pop_back();
      --here;
      ++k.left;
    }
    for (; here > 0; --here) {  // out of budget: the state as it was
      state_.apply(m, k.need, placed_.back().cards, -1);
      placed_.pop_back();
      ++k.left;
    }
    return false;
  }

  State state_;
  const std::vector<Item>& items_;
  PackOptions options_;
  std::vector<Kind> kinds_;
  std::vector<MachineId> machines_;  // every kind's candidates, once
  std::vector<Placed> placed_;
  size_t work_ = 0;
};

}  // namespace

Solved pack(const State& base, const std::vector<Item>& items, const PackOptions& options) {
  if (items.empty()) return Solved{Verdict::Placed, {}};
  Solved found = CountSearch(base, items, options).run();
  if (found.verdict == Verdict::Placed && !holds(base, items, found)) return Solved{};
  return found;
}

}  // namespace claw::placement
