// What placement reads of a workload and a machine, and the state of a
// placement in progress: a replica's need, whether a machine could ever run
// it, and what each machine has left. Shared by the search, the exact
// solver, failover and `claw explain`.
#pragma once

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "compiler/placement/placement.h"
#include "compiler/sema/model.h"
#include "compiler/sema/quantity_text.h"

namespace claw::placement {

/// What one replica of a workload asks for.
struct Need {
  int64_t cpu = 0;
  int64_t memory = 0;
  int gpus = 0;
  int64_t vram = 0;  // per card; 0: any card
  bool share = false;
};

/// What one replica of `w` asks for: its pod's requests and its GPU block.
Need need_of(const sema::Workload& w);

/// How many pods of a workload run at once: replicas for a service, the
/// parallelism of a job or cron; daemons have one per matching machine.
int replica_count(const sema::Workload& w);

/// A replica's ask in words: "3 replicas, each cpu 1, memory 2Gi, 1 GPU".
std::string describe_need(const sema::Workload& w, const Need& n);

/// Whether `w` tolerates taint `t`.
bool tolerates(const sema::Workload& w, const sema::Taint& t);

/// A taint as written: `key=value:Effect`.
std::string taint_text(const sema::Taint& t);

/// Whether a machine could ever run a workload, whatever else is placed.
/// With `why`, every broken constraint is added as a phrase with the
/// arithmetic; without it, the answer comes at the first one, unformatted
/// (this runs for every machine and every distinct set of constraints).
bool can_run(const sema::Model& model, const sema::Machine& m, const std::vector<Card>& cards, const sema::Workload& w,
             const Need& need, std::vector<std::string>* why);

/// Every constraint of `w` that machine `m` breaks, in words.
std::vector<std::string> static_refusals(const sema::Model& model, const sema::Machine& m, const std::vector<Card>& cards,
                                         const sema::Workload& w, const Need& need);

/// How full a machine is, the quantity placement minimises the highest of:
/// the highest of its cpu, memory and VRAM fractions (VRAM over all its
/// cards' usable VRAM; a card held whole counts in full).
double machine_peak(const MachineUse& u, const std::vector<Card>& cards);

/// The state of the search: what each machine has given so far.
class State {
 public:
  State(const sema::Model& model, const std::vector<std::vector<Card>>& cards) : model_(model), cards_(cards) { reset(); }

  /// Back to nothing placed.
  void reset() {
    use_.assign(model_.machines.size(), MachineUse{});
    for (const auto& m : model_.machines) {
      auto& u = use_[m.id.value];
      u.cpu_allocatable = std::max<int64_t>(0, m.capacity.cpu_millis - m.reserved.cpu_millis);
      u.memory_allocatable = std::max<int64_t>(0, m.capacity.memory_bytes - m.reserved.memory_bytes);
      size_t n = cards_[m.id.value].size();
      u.vram_used.assign(n, 0);
      u.exclusive_users.assign(n, 0);
      u.shared_users.assign(n, 0);
    }
  }

  /// The cards a replica would get on `m` (the best fit: the cards with the
  /// least room that still fit), or nullopt when it does not fit.
  std::optional<std::vector<int>> fit(sema::MachineId m, const Need& need) const {
    auto choices = card_choices(m, need, 1);
    if (choices.empty()) return std::nullopt;
    return std::move(choices.front());
  }

  /// Every essentially different choice of cards for `need` on `m`, best fit
  /// first, at most `cap` of them. Cards in the same state are
  /// interchangeable, so a choice only says how many to take from each group
  /// of equal cards. Without GPU work: one empty choice, if cpu and memory fit.
  std::vector<std::vector<int>> card_choices(sema::MachineId m, const Need& need, size_t cap) const {
    const auto& u = use_[m.value];
    if (need.cpu > u.cpu_allocatable - u.cpu_used || need.memory > u.memory_allocatable - u.memory_used) return {};
    if (need.gpus == 0) return {std::vector<int>{}};
    // Eligible cards, grouped by state, groups ordered by room (best fit first).
    struct Group {
      int64_t room;
      std::tuple<int64_t, int64_t, int64_t, int, int> state;
      std::vector<int> cards;
    };
    std::vector<Group> groups;
    for (const auto& c : cards_[m.value]) {
      auto i = static_cast<size_t>(c.index);
      int64_t room = c.vram_bytes - c.reserve_bytes - u.vram_used[i];
      bool ok = need.share ? u.exclusive_users[i] == 0 && room >= need.vram
                           : u.exclusive_users[i] == 0 && u.shared_users[i] == 0 && room >= need.vram;
      if (!ok) continue;
      auto state = std::make_tuple(c.vram_bytes, c.reserve_bytes, u.vram_used[i], u.exclusive_users[i], u.shared_users[i]);
      auto g = std::find_if(groups.begin(), groups.end(), [&](const Group& x) { return x.state == state; });
      if (g == groups.end()) groups.push_back(Group{room, state, {c.index}});
      else g->cards.push_back(c.index);
    }
    std::stable_sort(groups.begin(), groups.end(), [](const Group& a, const Group& b) { return a.room < b.room; });
    std::vector<std::vector<int>> out;
    std::vector<int> take(groups.size(), 0);
    // Counts per group summing to need.gpus, the best-fit choice (fill the
    // tightest groups first) coming first.
    auto emit = [&](auto&& self, size_t g, int left) -> void {
      if (out.size() >= cap) return;
      if (g == groups.size()) {
        if (left != 0) return;
        std::vector<int> chosen;
        for (size_t k = 0; k < groups.size(); ++k)
          for (int n = 0; n < take[k]; ++n) chosen.push_back(groups[k].cards[static_cast<size_t>(n)]);
        std::sort(chosen.begin(), chosen.end());
        out.push_back(std::move(chosen));
        return;
      }
      int most = std::min<int>(left, static_cast<int>(groups[g].cards.size()));
      for (int n = most; n >= 0; --n) {
        take[g] = n;
        self(self, g + 1, left - n);
      }
      take[g] = 0;
    };
    emit(emit, 0, need.gpus);
    return out;
  }

  void apply(sema::MachineId m, const Need& need, const std::vector<int>& cards, int sign) {
    auto& u = use_[m.value];
    u.cpu_used += sign * need.cpu;
    u.memory_used += sign * need.memory;
    for (int c : cards) {
      auto i = static_cast<size_t>(c);
      if (need.share) {
        u.shared_users[i] += sign;
        u.vram_used[i] += sign * need.vram;
      } else {
        u.exclusive_users[i] += sign;
        u.vram_used[i] += sign * (cards_[m.value][i].vram_bytes - cards_[m.value][i].reserve_bytes);
      }
    }
  }

  /// How full a machine is: the highest of its cpu, memory and GPU-card use,
  /// as a fraction. The heuristic tries emptier machines first.
  double load(sema::MachineId m) const {
    const auto& u = use_[m.value];
    double peak = peak_after(m, Need{});
    const auto& cards = cards_[m.value];
    if (cards.empty()) return peak;
    double used = 0;
    for (size_t i = 0; i < cards.size(); ++i) {
      int64_t usable = cards[i].vram_bytes - cards[i].reserve_bytes;
      used += u.exclusive_users[i] ? 1.0 : usable > 0 ? static_cast<double>(u.vram_used[i]) / static_cast<double>(usable) : 1.0;
    }
    return std::max(peak, used / static_cast<double>(cards.size()));
  }

  /// machine_peak of `m` now.
  double peak(sema::MachineId m) const { return machine_peak(use_[m.value], cards_[m.value]); }

  /// Peak utilisation of a machine (cpu or memory) if `need` were added.
  double peak_after(sema::MachineId m, const Need& need) const {
    const auto& u = use_[m.value];
    // In doubles: a need near the 64-bit limit must not overflow the sum.
    auto frac = [](int64_t used, int64_t more, int64_t cap) {
      return cap > 0 ? (static_cast<double>(used) + static_cast<double>(more)) / static_cast<double>(cap) : 1.0;
    };
    return std::max(frac(u.cpu_used, need.cpu, u.cpu_allocatable), frac(u.memory_used, need.memory, u.memory_allocatable));
  }

  /// Whether `need` fits on `m` now holding exactly the cards `cards`
  /// (distinct indices of the machine, as many as it asks for).
  bool fits_at(sema::MachineId m, const Need& need, const std::vector<int>& cards) const {
    const auto& u = use_[m.value];
    if (need.cpu > u.cpu_allocatable - u.cpu_used || need.memory > u.memory_allocatable - u.memory_used) return false;
    if (static_cast<int>(cards.size()) != need.gpus) return false;
    const auto& have = cards_[m.value];
    std::set<int> seen;
    for (int c : cards) {
      if (c < 0 || static_cast<size_t>(c) >= have.size() || !seen.insert(c).second) return false;
      auto i = static_cast<size_t>(c);
      int64_t room = have[i].vram_bytes - have[i].reserve_bytes - u.vram_used[i];
      bool ok = need.share ? u.exclusive_users[i] == 0 && room >= need.vram
                           : u.exclusive_users[i] == 0 && u.shared_users[i] == 0 && room >= need.vram;
      if (!ok) return false;
    }
    return true;
  }

  /// Whether `need`'s cpu and memory fit on `m` with nothing else on it.
  bool fits_empty(sema::MachineId m, const Need& need) const {
    const auto& u = use_[m.value];
    return need.cpu <= u.cpu_allocatable && need.memory <= u.memory_allocatable;
  }

  /// Why `need` does not fit on `m` now, with the arithmetic; when it would
  /// not fit on the machine empty, the `reserved` that leaves too little.
  std::string capacity_refusal(sema::MachineId m, const Need& need) const {
    const auto& u = use_[m.value];
    const sema::Machine& machine = model_.machine(m);
    std::vector<std::string> why;
    if (need.cpu > u.cpu_allocatable)
      why.push_back(fmt::format("needs cpu {}, but its cpu {} less `reserved.cpu` {} leaves {}", sema::cpu_text(need.cpu),
                                sema::cpu_text(machine.capacity.cpu_millis), sema::cpu_text(machine.reserved.cpu_millis),
                                sema::cpu_text(u.cpu_allocatable)));
    else if (need.cpu > u.cpu_allocatable - u.cpu_used)
      why.push_back(fmt::format("needs cpu {}, has {} of {} left", sema::cpu_text(need.cpu), sema::cpu_text(u.cpu_allocatable - u.cpu_used),
                                sema::cpu_text(u.cpu_allocatable)));
    if (need.memory > u.memory_allocatable) {
      auto [needs, leaves] = sema::bytes_texts_apart(need.memory, u.memory_allocatable);
      why.push_back(fmt::format("needs memory {}, but its memory {} less `reserved.memory` {} leaves {}", needs,
                                sema::bytes_text(machine.capacity.memory_bytes),
                                sema::bytes_text(machine.reserved.memory_bytes), leaves));
    } else if (need.memory > u.memory_allocatable - u.memory_used) {
      auto [needs, left] = sema::bytes_texts_apart(need.memory, u.memory_allocatable - u.memory_used);
      why.push_back(fmt::format("needs memory {}, has {} of {} left", needs, left, sema::bytes_text(u.memory_allocatable)));
    }
    if (need.gpus > 0 && why.empty()) {
      std::string cards;
      for (const auto& c : cards_[m.value]) {
        auto i = static_cast<size_t>(c.index);
        std::string state = u.exclusive_users[i] ? "taken" : fmt::format("{} free", sema::bytes_text(c.vram_bytes - c.reserve_bytes - u.vram_used[i]));
        cards += fmt::format("{}#{} {}", cards.empty() ? "" : ", ", c.index, state);
      }
      why.push_back(fmt::format("needs {} {}card{}{}, cards: {}", need.gpus, need.share ? "" : "free ",
                                need.gpus == 1 ? "" : "s", need.vram ? " with " + sema::bytes_text(need.vram) : "", cards));
    }
    std::string out;
    for (const auto& w : why) out += (out.empty() ? "" : "; ") + w;
    return out;
  }

  const std::vector<MachineUse>& use() const { return use_; }
  /// Every machine's cards, by machine id.
  const std::vector<std::vector<Card>>& cards() const { return cards_; }
  const sema::Model& model() const { return model_; }
  void restore(std::vector<MachineUse> use) { use_ = std::move(use); }

 private:
  const sema::Model& model_;
  const std::vector<std::vector<Card>>& cards_;
  std::vector<MachineUse> use_;
};

}  // namespace claw::placement
