#include "compiler/placement/explain.h"

#include <fmt/format.h>

#include <algorithm>
#include <tuple>

#include "compiler/placement/fit.h"
#include "compiler/sema/quantity_text.h"

namespace claw::placement {
namespace {

using sema::Machine;
using sema::MachineId;
using sema::Model;
using sema::Workload;

/// A machine's place in the placement's ranking of candidates for one
/// replica (placement.cpp `ranked()`): smaller is better, key by key.
struct Rank {
  bool not_preferred = false;
  int same = 0;   // other replicas of the workload on the machine
  int soft = 0;   // PreferNoSchedule taints the workload does not tolerate
  double peak = 0;
  uint32_t id = 0;

  auto key() const { return std::tie(not_preferred, same, soft, peak, id); }
};

bool joined(const Machine& m) { return m.joined && m.k3s != sema::K3sMode::None; }

bool preferred(const Workload& w, MachineId m) { return std::find(w.prefer.begin(), w.prefer.end(), m) != w.prefer.end(); }

/// The PreferNoSchedule taints of `m` that `w` does not tolerate, as written.
std::vector<std::string> soft_taints(const Workload& w, const Machine& m) {
  std::vector<std::string> out;
  for (const auto& t : m.taints)
    if (t.effect == sema::TaintEffect::PreferNoSchedule && !tolerates(w, t)) out.push_back(taint_text(t));
  return out;
}

std::string joined_list(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += fmt::format("{}`{}`", out.empty() ? "" : ", ", s);
  return out;
}

/// Two fractions as percentages, with a decimal when whole percents would
/// read the same although the fractions differ.
std::pair<std::string, std::string> percents(double a, double b) {
  auto whole = [](double x) { return fmt::format("{:.0f}%", 100 * x); };
  if (whole(a) != whole(b) || a == b) return {whole(a), whole(b)};
  return {fmt::format("{:.1f}%", 100 * a), fmt::format("{:.1f}%", 100 * b)};
}

std::string replicas_text(const std::vector<int>& replicas) {
  std::string list;
  for (int r : replicas) list += fmt::format("{}{}", list.empty() ? "" : ", ", r);
  return fmt::format("replica{} {}", replicas.size() == 1 ? "" : "s", list);
}

/// What the workload's other replicas hold, per machine: their replica numbers.
std::vector<std::vector<int>> others_by_machine(const Model& model, const Placement& placed, sema::WorkloadId w, int replica) {
  std::vector<std::vector<int>> out(model.machines.size());
  for (const auto& a : placed.assignments)
    if (a.workload == w && a.replica != replica) out[a.machine.value].push_back(a.replica);
  return out;
}

/// The hard constraints (and the preferences) machine `m` meets for `w`, in words.
std::vector<std::string> met_on(const Model& model, const Machine& m, const std::vector<Card>& cards, const Workload& w,
                                const Need& need) {
  std::vector<std::string> met;
  if (w.on) met.push_back("pinned here with `on`");
  if (w.arch.size() == 1) met.push_back(fmt::format("arch {}, the one `arch` allows", sema::arch_name(m.arch)));
  for (auto r : w.roles) met.push_back(fmt::format("has role `{}`", model.role(r).name));
  for (const auto& t : m.taints) {
    if (tolerates(w, t)) met.push_back(fmt::format("tolerates taint `{}`", taint_text(t)));
    else met.push_back(fmt::format("has taint `{}`, not tolerated, but that only asks to avoid it", taint_text(t)));
  }
  if (preferred(w, m.id)) met.push_back("named in `prefer`");
  if (need.gpus > 0) {
    int fitting = 0;
    for (const auto& c : cards) fitting += c.vram_bytes - c.reserve_bytes >= need.vram;
    met.push_back(fmt::format("needs {} card{}{}: has {}, {} of them big enough", need.gpus, need.gpus == 1 ? "" : "s",
                              need.vram ? fmt::format(" with {}", sema::bytes_text(need.vram)) : "", cards.size(), fitting));
  }
  return met;
}

/// The first key where `x` differs from `here` (the chosen machine), as a
/// machine that lost to it, or, when `x` ranks ahead, as one that would win.
Other compare(const Model& model, const Workload& w, const Rank& x, const Rank& here, const std::vector<int>& on_x, bool kept) {
  const std::string& h = model.machines[here.id].name;
  const std::string& xn = model.machines[x.id].name;
  MachineId xm{x.id};
  auto better = [&](std::string phrase) {
    return Other{xm, Lost::Better,
                 fmt::format("would fit too and ranks ahead in the final placement ({}); {}", phrase,
                             kept ? fmt::format("the replica is kept on `{}`, where claw.lock has it", h)
                                  : fmt::format("the search chose `{}` with the rest not yet placed, or so that the rest fits", h))};
  };
  if (x.not_preferred != here.not_preferred)
    return x.not_preferred ? Other{xm, Lost::Preferred, fmt::format("not in `prefer`, and `{}` is", h)}
                           : better(fmt::format("in `prefer`, and `{}` is not", h));
  if (x.same != here.same) {
    std::string here_runs = here.same == 0 ? "none" : fmt::format("{}", here.same);
    if (x.same > here.same)
      return Other{xm, Lost::Spread, fmt::format("already runs {} of it; `{}` runs {} of its other replicas", replicas_text(on_x), h, here_runs)};
    return better(fmt::format("runs {} of its other replicas, `{}` runs {}", x.same, h, here_runs));
  }
  if (x.soft != here.soft) {
    const Machine& mx = model.machines[x.id];
    const Machine& mh = model.machines[here.id];
    if (x.soft > here.soft)
      return Other{xm, Lost::SoftTaint, fmt::format("has taint {}, which it does not tolerate", joined_list(soft_taints(w, mx)))};
    return better(fmt::format("`{}` has taint {}, which it does not tolerate", h, joined_list(soft_taints(w, mh))));
  }
  if (x.peak != here.peak) {
    auto [there, ours] = percents(x.peak, here.peak);
    std::string phrase = fmt::format("moving it to `{}` would make `{}`'s peak cpu/memory use {} vs {} here", xn, xn, there, ours);
    if (x.peak > here.peak) return Other{xm, Lost::Peak, phrase};
    return better(phrase);
  }
  if (x.id > here.id) return Other{xm, Lost::Order, fmt::format("ties on every count; `{}` is declared first", h)};
  return better("ties on every count, and is declared first");
}

/// Why no other machine holds a daemon's replica: it runs on every machine
/// that can run it, so the others are those that cannot, or lack room.
std::vector<Other> daemon_others(const Model& model, const Placement& placed, const Workload& w, const Need& need) {
  State final_state(model, placed.cards);
  final_state.restore(placed.use);
  std::vector<Other> out;
  for (const auto& m : model.machines) {
    if (!joined(m)) continue;
    bool runs = std::any_of(placed.assignments.begin(), placed.assignments.end(),
                            [&](const Assignment& a) { return a.workload == w.id && a.machine == m.id; });
    if (runs) continue;
    auto why = static_refusals(model, m, placed.cards[m.id.value], w, need);
    if (!why.empty()) out.push_back(Other{m.id, Lost::Constraint, why.front()});
    else out.push_back(Other{m.id, Lost::NoRoom, final_state.capacity_refusal(m.id, need)});
  }
  return out;
}

/// What the replica takes of each card it holds.
std::vector<CardTake> card_takes(const Placement& placed, const MachineUse& base, MachineId m, const Need& need,
                                 const std::vector<int>& cards) {
  std::vector<CardTake> out;
  const MachineUse& now = placed.use[m.value];
  for (int c : cards) {
    const Card& card = placed.cards[m.value][static_cast<size_t>(c)];
    auto i = static_cast<size_t>(c);
    int64_t usable = card.vram_bytes - card.reserve_bytes;
    out.push_back(CardTake{c, card.model, need.share, need.share ? need.vram : usable, usable - base.vram_used[i],
                           need.share ? now.shared_users[i] : 0});
  }
  return out;
}

/// The machine's cards the replica does not hold, and their state in the final placement.
std::string other_cards_text(const Placement& placed, MachineId m, const std::vector<int>& cards) {
  std::string out;
  const MachineUse& u = placed.use[m.value];
  for (const auto& c : placed.cards[m.value]) {
    if (std::find(cards.begin(), cards.end(), c.index) != cards.end()) continue;
    auto i = static_cast<size_t>(c.index);
    int64_t free = c.vram_bytes - c.reserve_bytes - u.vram_used[i];
    std::string state = u.exclusive_users[i] ? "held whole"
                        : u.shared_users[i]  ? fmt::format("shared by {}, {} free", u.shared_users[i], sema::bytes_text(free))
                                             : fmt::format("free, {}", sema::bytes_text(free));
    out += fmt::format("{}#{} {}", out.empty() ? "" : "; ", c.index, state);
  }
  return out;
}

/// Why the replica is on its machine rather than the runner-up, or why there was no choice.
std::string won_text(const Model& model, const ReplicaWhy& r, const std::vector<Other>& others) {
  const std::string& here = model.machine(r.machine).name;
  if (!r.runner_up) {
    bool room_elsewhere_lacking = std::any_of(others.begin(), others.end(), [](const Other& o) { return o.lost == Lost::NoRoom; });
    std::string why = room_elsewhere_lacking ? "the only machine with room for it once the rest is placed"
                                             : "the only machine that can run it";
    return r.kept ? fmt::format("kept where claw.lock has it; {}", why) : why;
  }
  auto o = std::find_if(others.begin(), others.end(), [&](const Other& x) { return x.machine == *r.runner_up; });
  const std::string& next = model.machine(*r.runner_up).name;
  if (o->lost == Lost::Better) return fmt::format("`{}` {}", next, o->why);
  std::string why = fmt::format("beats `{}`, the next best: {}", next, o->why);
  return r.kept ? fmt::format("kept on `{}`, where claw.lock has it; it also {}", here, why) : why;
}

/// Fills `r.others` with every other joined machine and why it does not
/// hold the replica; returns the best of those that could (the runner-up).
std::optional<MachineId> rank_others(const Model& model, const Placement& placed, const State& base, const Workload& w,
                                     const Need& need, const Assignment& a, ReplicaWhy& r) {
  const auto on = others_by_machine(model, placed, w.id, a.replica);
  auto rank = [&](MachineId m) {
    return Rank{!w.prefer.empty() && !preferred(w, m), static_cast<int>(on[m.value].size()),
                static_cast<int>(soft_taints(w, model.machine(m)).size()), base.peak_after(m, need), m.value};
  };
  const Rank mine = rank(a.machine);
  std::optional<Rank> best;
  for (const auto& m : model.machines) {
    if (m.id == a.machine || !joined(m)) continue;
    auto refused = static_refusals(model, m, placed.cards[m.id.value], w, need);
    if (!refused.empty()) {
      r.others.push_back(Other{m.id, Lost::Constraint, refused.front()});
      continue;
    }
    if (base.card_choices(m.id, need, 1).empty()) {
      r.others.push_back(Other{m.id, Lost::NoRoom, "no room: " + base.capacity_refusal(m.id, need)});
      continue;
    }
    Rank x = rank(m.id);
    r.others.push_back(compare(model, w, x, mine, on[m.id.value], r.kept));
    if (!best || x.key() < best->key()) best = x;
  }
  if (!best) return std::nullopt;
  return MachineId{best->id};
}

ReplicaWhy explain_replica(const Model& model, const Placement& placed, const Workload& w, const Need& need, const Assignment& a,
                           const Previous* previous) {
  ReplicaWhy r;
  r.replica = a.replica;
  r.machine = a.machine;
  r.cards = a.cards;
  const Machine& here = model.machine(a.machine);
  r.met = met_on(model, here, placed.cards[a.machine.value], w, need);
  // The final placement without this replica: what it had to fit into.
  State base(model, placed.cards);
  base.restore(placed.use);
  base.apply(a.machine, need, a.cards, -1);
  const MachineUse& u = base.use()[a.machine.value];
  r.takes.push_back(Take{"cpu", need.cpu, u.cpu_allocatable - u.cpu_used, u.cpu_allocatable});
  r.takes.push_back(Take{"memory", need.memory, u.memory_allocatable - u.memory_used, u.memory_allocatable});
  r.card_takes = card_takes(placed, u, a.machine, need, a.cards);
  if (need.gpus > 0) r.other_cards = other_cards_text(placed, a.machine, a.cards);
  r.peak = base.peak_after(a.machine, need);
  if (previous)
    if (const Where* was = previous->find(workload_key(w), a.replica)) r.kept = was->machine == here.name && was->cards == a.cards;
  if (w.kind == sema::WorkloadKind::Daemon) {
    r.others = daemon_others(model, placed, w, need);
    r.won = "a daemon runs on every machine that can run it";
    return r;
  }
  r.runner_up = rank_others(model, placed, base, w, need, a, r);
  r.won = won_text(model, r, r.others);
  return r;
}

}  // namespace

std::string_view lost_name(Lost lost) {
  switch (lost) {
    case Lost::Constraint: return "constraint";
    case Lost::NoRoom: return "no-room";
    case Lost::Preferred: return "preferred";
    case Lost::Spread: return "spread";
    case Lost::SoftTaint: return "soft-taint";
    case Lost::Peak: return "peak";
    case Lost::Order: return "order";
    case Lost::Better: return "ranks-ahead";
  }
  return "constraint";
}

std::vector<sema::WorkloadId> find_workloads(const Model& model, std::string_view name) {
  std::vector<sema::WorkloadId> out;
  const bool qualified = name.find('/') != std::string_view::npos;
  for (const auto& w : model.workloads)
    if (qualified ? workload_key(w) == name : w.name == name) out.push_back(w.id);
  return out;
}

Explanation explain(const Model& model, const Placement& placed, sema::WorkloadId workload, const Previous* previous) {
  const Workload& w = model.workload(workload);
  const Need need = need_of(w);
  Explanation e{workload, describe_need(w, need), {}};
  for (const auto& a : placed.assignments)
    if (a.workload == workload) e.replicas.push_back(explain_replica(model, placed, w, need, a, previous));
  return e;
}

}  // namespace claw::placement
