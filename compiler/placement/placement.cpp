#include "compiler/placement/placement.h"

#include <fmt/format.h>

#include <algorithm>
#include <tuple>
#include <iterator>
#include <map>
#include <memory>
#include <numeric>
#include <queue>
#include <set>
#include <optional>
#include <unordered_map>

#include "compiler/placement/fit.h"
#include "compiler/placement/pack.h"
#include "compiler/placement/previous.h"
#include "compiler/placement/solve.h"
#include "compiler/sema/exposure.h"
#include "compiler/sema/pod_model.h"
#include "compiler/sema/quantity_text.h"

namespace claw::placement {
namespace {

using sema::Machine;
using sema::MachineId;
using sema::Model;
using sema::Workload;
using sema::WorkloadId;

/// One replica to place, with the machines that could ever run it.
struct Slot {
  WorkloadId workload;
  int replica;
  Need need;
  const std::vector<MachineId>* candidates;  // shared by workloads with the same constraints
  bool prefers = false;  // the workload prefers machines (copied here: the heuristic reads no workload otherwise)
  uint32_t order = 0;    // position in workload-then-replica order
};

/// Which replicas of the previous placement are kept where they are, when
/// that still holds: all of them, or only those holding local data (the
/// second try, when the rest did not fit around all of them).
enum class Keep : uint8_t { All, LocalOnly };

/// Why each replica of the previous placement was not kept, by workload and
/// replica.
using Reasons = std::map<std::pair<uint32_t, int>, std::string>;

class Placer {
 public:
  Placer(const Model& model, const Options& options, Result& out, Keep keep = Keep::All, const Reasons* earlier = nullptr,
         std::string room_for = {})
      : model_(model), options_(options), out_(out), state_(model, init_cards()), keep_(keep), earlier_(earlier),
        room_for_(std::move(room_for)) {}

  /// Why replicas of the previous placement were not kept (set by run).
  const Reasons& reasons() const { return why_; }
  /// The first workload that did not fit for lack of room, or "".
  const std::string& first_unplaced() const { return first_unplaced_; }
  /// How many replicas without local data run() kept where they were.
  size_t kept_movable() const { return kept_movable_; }

  void run() {
    out_.placement.cards = cards_;
    std::vector<Slot> slots;
    for (const auto& w : model_.workloads) {
      if (w.kind != sema::WorkloadKind::Daemon && replica_count(w) == 0) continue;  // scaled to zero: nothing to place
      Need need = need_of(w);
      const std::vector<MachineId>& candidates = candidates_for(w, need);
      if (candidates.empty() || w.kind == sema::WorkloadKind::Daemon) {
        // The reasons, in words, only where they are shown.
        std::vector<std::pair<const Machine*, std::vector<std::string>>> refusals;
        if (candidates.empty())
          for (const auto& m : model_.machines)
            refusals.emplace_back(&m, static_refusals(model_, m, cards_[m.id.value], w, need));
        if (w.kind == sema::WorkloadKind::Daemon) place_daemon(w, need, candidates, refusals);
        else report_static(w, need, refusals);
        continue;
      }
      for (int r = 0; r < replica_count(w); ++r)
        slots.push_back(Slot{w.id, r, need, &candidates, !w.prefer.empty(), static_cast<uint32_t>(slots.size())});
    }
    const size_t total = slots.size();
    std::vector<std::optional<Assignment>> by_order(total);
    slots = keep_previous(std::move(slots), by_order);
    // Most constrained first: fewest candidates, then the biggest asks.
    std::stable_sort(slots.begin(), slots.end(), [](const Slot& a, const Slot& b) {
      if (a.candidates->size() != b.candidates->size()) return a.candidates->size() < b.candidates->size();
      if (a.need.gpus != b.need.gpus) return a.need.gpus > b.need.gpus;
      if (a.need.memory != b.need.memory) return a.need.memory > b.need.memory;
      if (a.need.cpu != b.need.cpu) return a.need.cpu > b.need.cpu;
      if (!(a.workload == b.workload)) return a.workload.value < b.workload.value;
      return a.replica < b.replica;
    });
    std::vector<std::optional<std::pair<MachineId, std::vector<int>>>> chosen(slots.size());
    const std::vector<MachineUse> base = state_.use();  // daemons and kept replicas
    decide(slots, chosen, base, total);
    // Ordered by workload, then replica: the slots' own assignments (kept or
    // solved) put back in the order the slots were made, merged with the
    // daemons' (made in that order too). No two assignments share a workload
    // and replica.
    for (size_t i = 0; i < slots.size(); ++i)
      if (chosen[i])
        by_order[slots[i].order] = Assignment{slots[i].workload, slots[i].replica, chosen[i]->first, std::move(chosen[i]->second)};
    std::vector<Assignment> placed;
    placed.reserve(total);
    for (auto& a : by_order)
      if (a) placed.push_back(std::move(*a));
    auto before = [](const Assignment& a, const Assignment& b) {
      if (!(a.workload == b.workload)) return a.workload.value < b.workload.value;
      if (a.replica != b.replica) return a.replica < b.replica;
      return a.machine.value < b.machine.value;
    };
    out_.placement.assignments.reserve(placed.size() + assignments_.size());
    std::merge(std::make_move_iterator(assignments_.begin()), std::make_move_iterator(assignments_.end()),
               std::make_move_iterator(placed.begin()), std::make_move_iterator(placed.end()),
               std::back_inserter(out_.placement.assignments), before);
    out_.placement.use = state_.use();
    report_moves();
    check_host_ports();
  }

 private:
  /// Pins the slots whose previous place still holds (into `by_order`, and
  /// the state), local data first, then in workload and replica order;
  /// returns the others, noting why each one the previous placement had is
  /// not kept.
  std::vector<Slot> keep_previous(std::vector<Slot> slots, std::vector<std::optional<Assignment>>& by_order) {
    if (!options_.previous) return slots;
    // Each workload's previous replicas, looked up once (by namespace/name).
    previous_of_.assign(model_.workloads.size(), nullptr);
    for (const auto& w : model_.workloads)
      if (auto it = options_.previous->workloads.find(workload_key(w)); it != options_.previous->workloads.end())
        previous_of_[w.id.value] = &it->second;
    std::unordered_map<std::string_view, MachineId> by_name;
    for (const auto& m : model_.machines) by_name.emplace(m.name, m.id);
    std::vector<size_t> order(slots.size());
    std::iota(order.begin(), order.end(), size_t{0});
    std::stable_partition(order.begin(), order.end(),
                          [&](size_t i) { return local_volume(model_.workload(slots[i].workload)) != nullptr; });
    std::vector<char> kept(slots.size(), 0);
    for (size_t i : order) {
      const Slot& s = slots[i];
      const Workload& w = model_.workload(s.workload);
      const Where* was = previous_where(s.workload, s.replica);
      if (!was) continue;
      const bool local = local_volume(w) != nullptr;
      auto key = std::make_pair(s.workload.value, s.replica);
      if (keep_ == Keep::LocalOnly && !local) {
        if (earlier_)
          if (auto e = earlier_->find(key); e != earlier_->end()) why_[key] = e->second;
        if (!why_.contains(key))
          why_[key] = fmt::format("moved to make room for {}, which did not fit with every workload kept in place",
                                  room_for_.empty() ? std::string("the rest") : fmt::format("`{}`", room_for_));
        continue;
      }
      auto at = by_name.find(was->machine);
      if (at == by_name.end()) {
        why_[key] = fmt::format("machine `{}` is no longer declared", was->machine);
        continue;
      }
      const MachineId m = at->second;
      std::string why;
      std::optional<std::vector<int>> cards = keep_on(s, w, m, *was, why);
      if (!why.empty()) why_[key] = std::move(why);
      if (!cards) continue;
      state_.apply(m, s.need, *cards, +1);
      ++placed_[key_of(s.workload, m)];
      ++kept_on_[key_of(s.workload, m)];
      kept[i] = 1;
      kept_movable_ += !local;
      by_order[s.order] = Assignment{s.workload, s.replica, m, std::move(*cards)};
    }
    std::vector<Slot> rest;
    for (size_t i = 0; i < slots.size(); ++i)
      if (!kept[i]) rest.push_back(slots[i]);
    return rest;
  }

  /// The cards replica `s` keeps on `m`, where it was (`was`), when it
  /// still can run there and fits: the same cards when they are still free,
  /// else other cards of the machine. Sets `why` when it does not keep
  /// exactly its place.
  std::optional<std::vector<int>> keep_on(const Slot& s, const Workload& w, MachineId m, const Where& was, std::string& why) {
    const Machine& machine = model_.machine(m);
    if (!can_run(model_, machine, cards_[m.value], w, s.need, nullptr)) {
      std::string text;
      for (const auto& r : static_refusals(model_, machine, cards_[m.value], w, s.need)) text += (text.empty() ? "" : "; ") + r;
      why = fmt::format("`{}` cannot run it now: {}", machine.name, text);
      return std::nullopt;
    }
    const std::vector<int> same = s.need.gpus == 0 ? std::vector<int>{} : was.cards;
    if (state_.fits_at(m, s.need, same)) return same;
    if (auto other = s.need.gpus > 0 ? state_.fit(m, s.need) : std::nullopt) {
      why = static_cast<int>(was.cards.size()) != s.need.gpus
                ? fmt::format("needs {} GPU{}, had {}", s.need.gpus, s.need.gpus == 1 ? "" : "s", was.cards.size())
                : fmt::format("{} on `{}` no longer fit{} it: {}", cards_text(was.cards), machine.name,
                              was.cards.size() == 1 ? "s" : "", state_.capacity_refusal(m, s.need));
      return other;
    }
    why = fmt::format("`{}` has no room for it now: {}", machine.name, state_.capacity_refusal(m, s.need));
    return std::nullopt;
  }

  /// Where the previous placement had a replica, or null.
  const Where* previous_where(WorkloadId w, int replica) const {
    if (w.value >= previous_of_.size() || !previous_of_[w.value]) return nullptr;
    auto it = previous_of_[w.value]->find(replica);
    return it == previous_of_[w.value]->end() ? nullptr : &it->second;
  }

  static std::string cards_text(const std::vector<int>& cards) {
    std::string list;
    for (int c : cards) list += fmt::format("{}#{}", list.empty() ? "" : ", ", c);
    return fmt::format("card{} {}", cards.size() == 1 ? "" : "s", list);
  }

  /// Every replica the previous placement had that now runs on another
  /// machine or other cards, with the reason noted when it was not kept.
  void report_moves() {
    if (!options_.previous) return;
    for (const auto& a : out_.placement.assignments) {
      const Workload& w = model_.workload(a.workload);
      if (w.kind == sema::WorkloadKind::Daemon) continue;
      const Where* was = previous_where(a.workload, a.replica);
      if (!was) continue;
      Where to{model_.machine(a.machine).name, a.cards};
      const bool gpu = !a.cards.empty();
      if (to.machine == was->machine && (!gpu || to.cards == was->cards)) continue;
      auto why = why_.find({a.workload.value, a.replica});
      out_.placement.moves.push_back(Move{a.workload, a.replica, *was, std::move(to),
                                          why != why_.end() ? why->second : std::string("placed anew")});
    }
  }

  /// A port bound on the node (a `host` port, or every port with host
  /// networking) can be bound by one pod per machine: two replicas of one
  /// workload on one machine would leave the second Pending. Placement does
  /// not yet keep such replicas apart, so it says when it did not.
  void check_host_ports() {
    std::map<std::pair<uint32_t, uint32_t>, int> on_machine;  // (workload, machine) -> replicas
    for (const auto& a : out_.placement.assignments) ++on_machine[{a.workload.value, a.machine.value}];
    for (const auto& [key, replicas] : on_machine) {
      if (replicas < 2) continue;
      const Workload& w = model_.workloads[key.first];
      const sema::Port* bound = nullptr;
      for (const auto& p : w.ports)
        if (p.host_port || sema::host_network(w)) {
          bound = &p;
          break;
        }
      if (!bound) continue;
      int port = bound->host_port.value_or(bound->port);
      size_t machines = candidates_for(w, need_of(w)).size();
      auto& d = out_.diags.report(
          diag::Kind::PlacementInfeasible, bound->span,
          fmt::format("{} `{}` binds port {}/{} on its machine, so no two of its replicas can share one, but placement "
                      "put {} on `{}`",
                      sema::workload_kind_name(w.kind), w.name, port, sema::protocol_name(bound->protocol), replicas, model_.machine(MachineId{key.second}).name));
      std::string_view drop = sema::host_network(w) ? "`host-network`" : "the host port";
      if (static_cast<size_t>(replica_count(w)) > machines)
        d.hint(fmt::format("only {} machine{} can run it: lower `replicas` to {}, or drop {}", machines,
                           machines == 1 ? "" : "s", machines, drop));
      else
        d.hint(fmt::format("claw's placement does not yet keep such replicas apart: lower `replicas`, or drop {}", drop));
    }
  }

  // The machines that could ever run a workload, computed once per distinct
  // set of constraints (most workloads share a handful).
  const std::vector<MachineId>& candidates_for(const Workload& w, const Need& need) {
    // Built by appending: this runs for every workload.
    std::string sig;
    auto number = [&](int64_t x, char after) {
      sig += std::to_string(x);
      sig += after;
    };
    number(w.on ? static_cast<int64_t>(w.on->value) : -1, '|');
    number(need.gpus, '|');
    number(need.vram, '|');
    for (auto a : w.arch) {
      sig += 'a';
      number(static_cast<int>(a), ',');
    }
    for (const auto& t : w.tolerations) {
      sig += 't';
      sig += t.key;
      sig += '=';
      sig += t.value ? std::string_view(*t.value) : std::string_view("*");
      sig += ':';
      number(t.effect ? static_cast<int>(*t.effect) : -1, ',');
    }
    if (w.tolerate_all) sig += 'T';
    for (auto r : w.roles) {
      sig += 'r';
      number(r.value, ',');
    }
    for (auto m : w.avoid) {
      sig += 'v';
      number(m.value, ',');
    }
    auto [it, fresh] = candidate_cache_.try_emplace(std::move(sig));
    if (fresh) {
      if (w.on) {  // a pinned workload has one machine to ask
        const Machine& m = model_.machine(*w.on);
        if (can_run(model_, m, cards_[m.id.value], w, need, nullptr)) it->second.push_back(m.id);
      } else {
        for (const auto& m : model_.machines)
          if (can_run(model_, m, cards_[m.id.value], w, need, nullptr)) it->second.push_back(m.id);
      }
    }
    return it->second;
  }

  const std::vector<std::vector<Card>>& init_cards() {
    for (const auto& m : model_.machines) cards_.push_back(cards_of(m));
    return cards_;
  }

  // Candidates of a slot, best first: preferred machines, then fewer replicas
  // of the same workload there (spread), then untolerated PreferNoSchedule
  // taints, then the lower peak utilisation (balance), then the machine order.
  std::vector<std::pair<MachineId, std::vector<int>>> ranked(const Slot& s) const {
    const Workload& w = model_.workload(s.workload);
    struct Option {
      bool not_preferred;
      int same;
      int soft_taints;
      double peak;
      uint32_t id;
      int choice;  // 0: the best fit
      std::vector<int> cards;
    };
    std::vector<Option> options;
    for (MachineId m : *s.candidates) {
      auto choices = state_.card_choices(m, s.need, 64);
      if (choices.empty()) continue;
      bool preferred = std::find(w.prefer.begin(), w.prefer.end(), m) != w.prefer.end();
      int same = 0;
      if (auto it = placed_.find(key_of(s.workload, m)); it != placed_.end()) same = it->second;
      int soft = 0;
      for (const auto& t : model_.machine(m).taints)
        if (t.effect == sema::TaintEffect::PreferNoSchedule && !tolerates(w, t)) ++soft;
      // Every card choice is a branch of the search: with mixed cards or
      // sharers, which cards a replica takes decides what fits later.
      for (size_t k = 0; k < choices.size(); ++k)
        options.push_back(Option{!w.prefer.empty() && !preferred, same, soft, state_.peak_after(m, s.need), m.value,
                                 static_cast<int>(k), std::move(choices[k])});
    }
    std::stable_sort(options.begin(), options.end(), [](const Option& a, const Option& b) {
      return std::tie(a.not_preferred, a.same, a.soft_taints, a.peak, a.id, a.choice) <
             std::tie(b.not_preferred, b.same, b.soft_taints, b.peak, b.id, b.choice);
    });
    std::vector<std::pair<MachineId, std::vector<int>>> out;
    for (auto& o : options) out.emplace_back(MachineId{o.id}, std::move(o.cards));
    return out;
  }

  // Depth-first search with the ranking as the value order: finds an
  // assignment whenever one exists, within the step bound.
  bool search(const std::vector<Slot>& slots, std::vector<std::optional<std::pair<MachineId, std::vector<int>>>>& chosen,
              size_t i, size_t& steps) {
    if (i == slots.size()) return true;
    if (++steps > options_.step_limit) return false;
    const Slot& s = slots[i];
    for (auto& [m, cards] : ranked(s)) {
      state_.apply(m, s.need, cards, +1);
      ++placed_[key_of(s.workload, m)];
      chosen[i] = std::make_pair(m, cards);
      if (search(slots, chosen, i + 1, steps)) return true;
      if (--placed_[key_of(s.workload, m)] == 0) placed_.erase(key_of(s.workload, m));
      state_.apply(m, s.need, cards, -1);
      chosen[i].reset();
      if (steps > options_.step_limit) return false;
    }
    return false;
  }

  // The heuristic for large instances: one pass over the slots, each taking
  // the first machine that fits in order of current utilisation (kept in one
  // ordered set, so a slot usually costs O(log n) where the exact ranking
  // costs O(n)). Preferred machines are tried first, then
  // machines without a replica of the workload yet (spread), then machines
  // without untolerated PreferNoSchedule taints. Its gap: it never moves a
  // replica once placed, so it can miss a fit that a reshuffle would find.
  std::vector<size_t> greedy(const std::vector<Slot>& slots, std::vector<std::optional<std::pair<MachineId, std::vector<int>>>>& chosen) {
    // Each distinct candidate list keeps its machines in a min-heap by load.
    // Loads only grow as replicas are placed, so the heaps are refreshed
    // lazily: an entry whose load is out of date is pushed back with the
    // current one when it reaches the top. A slot pops machines in load order
    // until one fits, then pushes the ones it looked at back.
    // Machines with a PreferNoSchedule taint sort after all others (their load
    // plus 2; loads are at most 1): most workloads avoid them.
    std::vector<char> soft_tainted_machine(model_.machines.size(), 0);
    for (const auto& m : model_.machines)
      for (const auto& t : m.taints)
        if (t.effect == sema::TaintEffect::PreferNoSchedule) soft_tainted_machine[m.id.value] = 1;
    auto rank = [&](MachineId m) { return state_.load(m) + (soft_tainted_machine[m.value] ? 2.0 : 0.0); };
    std::vector<double> key(model_.machines.size());
    for (const auto& m : model_.machines) key[m.id.value] = rank(m.id);
    using Entry = std::pair<double, uint32_t>;
    using Heap = std::priority_queue<Entry, std::vector<Entry>, std::greater<Entry>>;
    std::map<const std::vector<MachineId>*, Heap> heaps;
    for (const auto& s : slots) {
      auto [it, fresh] = heaps.try_emplace(s.candidates);
      if (fresh)
        for (MachineId m : *s.candidates) it->second.emplace(key[m.value], m.value);
    }
    std::vector<size_t> failed;
    // Replicas of one workload are adjacent in the slot order: the machines
    // its earlier replicas took, for spreading, without a lookup table.
    std::vector<MachineId> taken;
    for (size_t i = 0; i < slots.size(); ++i) {
      const Slot& s = slots[i];
      if (i == 0 || !(slots[i - 1].workload == s.workload)) taken.clear();
      std::optional<std::pair<MachineId, std::vector<int>>> pick;
      auto soft_tainted = [&](MachineId m) {
        for (const auto& t : model_.machine(m).taints)
          if (t.effect == sema::TaintEffect::PreferNoSchedule && !tolerates(model_.workload(s.workload), t)) return true;
        return false;
      };
      auto try_machine = [&](MachineId m, bool spread, bool soft) {
        if (spread && std::find(taken.begin(), taken.end(), m) != taken.end()) return false;
        if (soft && soft_tainted(m)) return false;
        auto cards = state_.fit(m, s.need);
        if (!cards) return false;
        pick = std::make_pair(m, std::move(*cards));
        return true;
      };
      for (int pass = 0; pass < 4 && !pick; ++pass) {
        bool spread = pass < 2, soft = pass % 2 == 0;
        if (s.prefers)
          for (MachineId m : model_.workload(s.workload).prefer)
            if (std::find(s.candidates->begin(), s.candidates->end(), m) != s.candidates->end() && try_machine(m, spread, soft)) break;
        if (pick) break;
        Heap& heap = heaps[s.candidates];
        std::vector<Entry> looked;
        while (!heap.empty()) {
          Entry top = heap.top();
          heap.pop();
          if (top.first != key[top.second]) {
            heap.emplace(key[top.second], top.second);  // out of date: back in with its load now
            continue;
          }
          looked.push_back(top);
          if (try_machine(MachineId{top.second}, spread, soft)) break;
        }
        for (const Entry& e : looked) heap.push(e);
      }
      if (!pick) {
        failed.push_back(i);
        continue;
      }
      MachineId m = pick->first;
      state_.apply(m, s.need, pick->second, +1);
      taken.push_back(m);
      key[m.value] = rank(m);  // the heaps catch up lazily
      chosen[i] = std::move(pick);
    }
    return failed;
  }

  void place_daemon(const Workload& w, const Need& need, const std::vector<MachineId>& candidates,
                    const std::vector<std::pair<const Machine*, std::vector<std::string>>>& refusals) {
    if (candidates.empty()) {
      report_static(w, need, refusals);
      return;
    }
    int replica = 0;
    for (MachineId m : candidates) {
      auto cards = state_.fit(m, need);
      if (!cards) {
        out_.diags.report(diag::Kind::PlacementInfeasible, w.span,
                          fmt::format("daemon `{}` does not fit on `{}`: {}", w.name, model_.machine(m).name,
                                      state_.capacity_refusal(m, need)))
            .hint("lower its requests, or keep it off that machine with `avoid`");
        continue;
      }
      state_.apply(m, need, *cards, +1);
      assignments_.push_back(Assignment{w.id, replica++, m, *cards});
    }
  }

  source::Span requirement_span(const Workload& w) const {
    if (w.on) return w.on_span;
    if (w.gpu && w.gpu->span.valid()) return w.gpu->span;
    return w.span;
  }

  void report_static(const Workload& w, const Need& need,
                     const std::vector<std::pair<const Machine*, std::vector<std::string>>>& refusals) {
    std::string message =
        w.on ? fmt::format("{} `{}` is pinned to `{}`, which cannot run it ({})", sema::workload_kind_name(w.kind), w.name,
                           model_.machine(*w.on).name, describe_need(w, need))
             : fmt::format("no machine can run {} `{}` ({})", sema::workload_kind_name(w.kind), w.name, describe_need(w, need));
    auto& d = out_.diags.report(diag::Kind::PlacementInfeasible, requirement_span(w), std::move(message));
    for (const auto& [m, why] : refusals) {
      if (w.on && !(*w.on == m->id)) continue;                     // only the pinned machine matters
      if (!w.on && (!m->joined || m->k3s == sema::K3sMode::None)) continue;  // not candidates at all
      std::string text;
      for (const auto& r : why) text += (text.empty() ? "" : "; ") + r;
      d.note(source::Span{}, fmt::format("{}: {}", m->name, text));
    }
    if (d.notes.empty()) d.hint("no machine is joined to the cluster");
  }

  using Chosen = std::vector<std::optional<std::pair<MachineId, std::vector<int>>>>;

  /// Places `slots` on top of `base` (daemons and kept replicas): the
  /// depth-first search (small instances) or the greedy pass (large ones)
  /// first; when they find no placement, a bound that proves there is none,
  /// else the exact solver. "Does not fit" is said only with a proof.
  void decide(const std::vector<Slot>& slots, Chosen& chosen, const std::vector<MachineUse>& base, size_t total) {
    const bool small = total <= options_.exact_limit;
    out_.placement.search = small ? Search::Exact : Search::Heuristic;
    if (slots.empty()) return;
    if (options_.reference || options_.solver_only) {
      if (!solve(slots, chosen, options_.reference ? 0.0 : SolveOptions{}.gap, slots.front()))
        chosen.assign(slots.size(), std::nullopt);
      return;
    }
    bool exhausted = false;  // the depth-first search tried every placement
    if (small) {
      size_t steps = 0;
      if (search(slots, chosen, 0, steps)) {
        improve(slots, chosen);
        return;
      }
      exhausted = steps <= options_.step_limit;
      chosen.assign(slots.size(), std::nullopt);
      state_.restore(base);
    }
    std::vector<size_t> failed = greedy(slots, chosen);
    if (!failed.empty()) failed = repair(slots, chosen, std::move(failed));
    if (failed.empty()) {
      out_.placement.search = Search::Heuristic;
      improve(slots, chosen);
      return;
    }
    // When nothing places every workload, the output keeps what the greedy
    // pass placed, so every other workload still has its machine.
    Chosen partial = std::move(chosen);
    const std::vector<MachineUse> partial_use = state_.use();
    chosen.assign(slots.size(), std::nullopt);
    state_.restore(base);
    const Slot& blamed = slots[failed.front()];
    bool placed = false;
    if (!bound_proof(slots, blamed)) {
      if (exhausted) report_infeasible(blamed, slots, "an exhaustive search of every placement");
      else placed = solve(slots, chosen, SolveOptions{}.gap, blamed);
    }
    if (placed) return;
    if (first_unplaced_.empty()) first_unplaced_ = model_.workload(blamed.workload).name;
    chosen = std::move(partial);
    state_.restore(partial_use);
  }

  /// Places the slots the greedy pass left out by ejection: for a left-out
  /// replica and one of its machines, a replica there moves to another of
  /// its own machines where it fits, making the room. Returns the slots it
  /// could not place. Bounded like the local search.
  std::vector<size_t> repair(const std::vector<Slot>& slots, Chosen& chosen, std::vector<size_t> failed) {
    if (!options_.local_search) return failed;
    std::vector<std::vector<size_t>> on(model_.machines.size());
    for (size_t i = 0; i < slots.size(); ++i)
      if (chosen[i]) on[chosen[i]->first.value].push_back(i);
    size_t budget = kImproveSteps;
    std::vector<size_t> left;
    for (size_t f : failed) {
      const Slot& s = slots[f];
      bool placed = false;
      for (MachineId m : *s.candidates) {
        if (placed || budget == 0) break;
        if (auto cards = state_.fit(m, s.need)) {  // room made by an earlier repair
          state_.apply(m, s.need, *cards, +1);
          chosen[f] = std::make_pair(m, std::move(*cards));
          on[m.value].push_back(f);
          placed = true;
          break;
        }
        const std::vector<size_t> here = on[m.value];
        for (size_t i : here) {
          if (placed || budget == 0) break;
          const Slot& r = slots[i];
          auto r_cards = chosen[i]->second;
          state_.apply(m, r.need, r_cards, -1);
          auto s_cards = state_.fit(m, s.need);
          if (s_cards) {
            state_.apply(m, s.need, *s_cards, +1);
            for (MachineId to : *r.candidates) {
              if (to == m || budget == 0) continue;
              --budget;
              auto moved = state_.fit(to, r.need);
              if (!moved) continue;
              state_.apply(to, r.need, *moved, +1);
              chosen[i] = std::make_pair(to, std::move(*moved));
              on[m.value].erase(std::find(on[m.value].begin(), on[m.value].end(), i));
              on[to.value].push_back(i);
              chosen[f] = std::make_pair(m, std::move(*s_cards));
              on[m.value].push_back(f);
              placed = true;
              break;
            }
            if (!placed) state_.apply(m, s.need, *s_cards, -1);
          }
          if (!placed) state_.apply(m, r.need, r_cards, +1);
        }
      }
      if (!placed) left.push_back(f);
    }
    return left;
  }

  /// Local search after a constructive pass: while some replica on the
  /// fullest machine can move to another of its machines, or swap with a
  /// replica there, so that both machines end below that machine's peak, it
  /// does. Moves never make the soft preferences worse: no replica leaves a
  /// preferred machine for another, joins a machine holding a replica of its
  /// workload unless it leaves one that does, or lands on an untolerated
  /// PreferNoSchedule taint unless it leaves one. Replicas kept from the
  /// previous placement are not slots, so they never move. Bounded, so
  /// large networks pay little: the greedy pass balances them already.
  void improve(const std::vector<Slot>& slots, Chosen& chosen) {
    if (!options_.local_search || slots.size() > kImproveLimit) return;
    const size_t machines = model_.machines.size();
    std::vector<std::vector<size_t>> on(machines);  // slot indices per machine
    std::unordered_map<uint64_t, int> count;          // replicas per (workload, machine)
    for (size_t i = 0; i < slots.size(); ++i)
      if (chosen[i]) {
        on[chosen[i]->first.value].push_back(i);
        ++count[key_of(slots[i].workload, chosen[i]->first)];
      }
    auto replicas_on = [&](const Slot& s, MachineId m) {
      int n = 0;
      if (auto it = count.find(key_of(s.workload, m)); it != count.end()) n += it->second;
      if (auto it = kept_on_.find(key_of(s.workload, m)); it != kept_on_.end()) n += it->second;
      return n;
    };
    auto soft_tainted = [&](const Slot& s, MachineId m) {
      for (const auto& t : model_.machine(m).taints)
        if (t.effect == sema::TaintEffect::PreferNoSchedule && !tolerates(model_.workload(s.workload), t)) return true;
      return false;
    };
    auto preferred = [&](const Slot& s, MachineId m) {
      const auto& prefer = model_.workload(s.workload).prefer;
      return prefer.empty() || std::find(prefer.begin(), prefer.end(), m) != prefer.end();
    };
    // Whether moving slot s from `from` to `to` keeps the soft preferences.
    auto keeps_preferences = [&](const Slot& s, MachineId from, MachineId to) {
      if (preferred(s, from) && !preferred(s, to)) return false;
      if (soft_tainted(s, to) && !soft_tainted(s, from)) return false;
      return !(replicas_on(s, from) == 1 && replicas_on(s, to) >= 1);
    };
    // Books slot i on `to` with `cards` (the state is updated by the caller).
    auto book = [&](size_t i, MachineId to, std::vector<int> cards) {
      const MachineId from = chosen[i]->first;
      --count[key_of(slots[i].workload, from)];
      ++count[key_of(slots[i].workload, to)];
      auto& list = on[from.value];
      list.erase(std::find(list.begin(), list.end(), i));
      on[to.value].push_back(i);
      chosen[i] = std::make_pair(to, std::move(cards));
    };
    constexpr double kEpsilon = 1e-9;
    size_t budget = kImproveSteps;
    while (budget > 0) {
      // The fullest machine that holds a slot (ties: the first).
      MachineId top{0};
      double peak = -1;
      for (size_t m = 0; m < machines; ++m)
        if (!on[m].empty() && state_.peak(MachineId{static_cast<uint32_t>(m)}) > peak + kEpsilon) {
          peak = state_.peak(MachineId{static_cast<uint32_t>(m)});
          top = MachineId{static_cast<uint32_t>(m)};
        }
      if (peak <= 0) return;
      bool moved = false;
      const std::vector<size_t> here = on[top.value];
      for (size_t i : here) {
        const Slot& s = slots[i];
        for (MachineId to : *s.candidates) {
          if (to == top || budget == 0) continue;
          --budget;
          if (!keeps_preferences(s, top, to)) continue;
          auto cards = state_.fit(to, s.need);
          if (!cards) continue;
          state_.apply(to, s.need, *cards, +1);
          const bool better = state_.peak(to) < peak - kEpsilon;
          state_.apply(to, s.need, *cards, -1);
          if (!better) continue;
          state_.apply(top, s.need, chosen[i]->second, -1);
          state_.apply(to, s.need, *cards, +1);
          book(i, to, std::move(*cards));
          moved = true;
          break;
        }
        if (moved) break;
      }
      // A swap with a smaller replica of another machine.
      for (size_t k = 0; !moved && k < here.size(); ++k) {
        const size_t i = here[k];
        const Slot& s = slots[i];
        for (MachineId to : *s.candidates) {
          if (to == top || moved || budget == 0) continue;
          const std::vector<size_t> there = on[to.value];
          for (size_t j : there) {
            if (budget == 0) break;
            --budget;
            const Slot& t = slots[j];
            if (t.workload == s.workload) continue;
            if (std::find(t.candidates->begin(), t.candidates->end(), top) == t.candidates->end()) continue;
            if (!keeps_preferences(s, top, to) || !keeps_preferences(t, to, top)) continue;
            // Both out, then both in; undone unless both machines end lower.
            auto s_cards = chosen[i]->second, t_cards = chosen[j]->second;
            state_.apply(top, s.need, s_cards, -1);
            state_.apply(to, t.need, t_cards, -1);
            auto s_new = state_.fit(to, s.need);
            if (s_new) state_.apply(to, s.need, *s_new, +1);
            auto t_new = s_new ? state_.fit(top, t.need) : std::nullopt;
            if (t_new) state_.apply(top, t.need, *t_new, +1);
            const bool better = s_new && t_new && state_.peak(top) < peak - kEpsilon && state_.peak(to) < peak - kEpsilon;
            if (!better) {
              if (t_new) state_.apply(top, t.need, *t_new, -1);
              if (s_new) state_.apply(to, s.need, *s_new, -1);
              state_.apply(top, s.need, s_cards, +1);
              state_.apply(to, t.need, t_cards, +1);
              continue;
            }
            book(i, to, std::move(*s_new));
            book(j, top, std::move(*t_new));
            moved = true;
            break;
          }
        }
      }
      if (!moved) return;
    }
  }

  /// Books `where` (a checked placement of `slots`, per slot its machine
  /// and cards) into the state and `chosen`.
  void take(const std::vector<Slot>& slots, Chosen& chosen, std::vector<std::pair<MachineId, std::vector<int>>>& where) {
    for (size_t i = 0; i < slots.size(); ++i) {
      state_.apply(where[i].first, slots[i].need, where[i].second, +1);
      chosen[i] = std::move(where[i]);
    }
  }

  /// The exact paths' verdict on `slots`, the search by counts first, then
  /// the solver: a placement, a proof that there is none, or, past their
  /// budget, an honest "undecided".
  bool solve(const std::vector<Slot>& slots, Chosen& chosen, double gap, const Slot& blamed) {
    std::vector<Item> items;
    items.reserve(slots.size());
    std::unordered_map<uint32_t, std::vector<MachineId>> soft;  // per workload
    for (const Slot& s : slots) {
      const Workload& w = model_.workload(s.workload);
      auto [at, fresh] = soft.try_emplace(w.id.value);
      if (fresh)
        for (MachineId m : *s.candidates)
          for (const auto& t : model_.machine(m).taints)
            if (t.effect == sema::TaintEffect::PreferNoSchedule && !tolerates(w, t)) {
              at->second.push_back(m);
              break;
            }
      items.push_back(Item{s.workload, s.replica, s.need, *s.candidates, w.prefer, at->second});
    }
    // Before the solver, the search by counts (pack.h): it finds the
    // placements that fill machines exactly, on which the solver's
    // relaxation is no guide, within about a second at the default budget.
    // The reference and the solver-only mode are the solver alone.
    if (options_.count_search && !options_.reference && !options_.solver_only && options_.solver_seconds > 0) {
      // Its default work at the default time, in proportion at any other.
      PackOptions po;
      po.work_limit = static_cast<size_t>(static_cast<double>(po.work_limit) * std::min(options_.solver_seconds, 1e6) /
                                          Options{}.solver_seconds);
      Solved packed = pack(state_, items, po);
      if (packed.verdict == Verdict::Placed) {
        out_.placement.search = Search::Exact;
        take(slots, chosen, packed.where);
        improve(slots, chosen);
        return true;
      }
    }
    SolveOptions o;
    o.seconds = options_.solver_seconds;
    o.gap = gap;
    // The reference minimises the peak to optimality; claw's fallback asks
    // for any placement, which the local search then evens out.
    o.minimise_peak = options_.reference;
    if (options_.reference) o.settle_nodes = -1;
    Solved r = solve_exact(state_, items, o);
    out_.placement.search = Search::Solver;
    switch (r.verdict) {
      case Verdict::Placed:
        // solve_exact returns a placement only once it has checked it
        // replica by replica against the same rules as every other path's
        // (holds), never on trust.
        take(slots, chosen, r.where);
        if (!options_.reference) improve(slots, chosen);
        return true;
      case Verdict::Infeasible:
        report_infeasible(blamed, slots, "the exact solver, which rules out every placement");
        return false;
      case Verdict::Unknown:
        report_undecided(blamed, slots);
        return false;
    }
    return false;
  }

  /// How many replicas of `need` machine `m` has room for with only what
  /// the state holds now (daemons and kept replicas): its cpu, memory and
  /// cards, each alone. With `why`, the resource that limits it, in words.
  int64_t room_for(MachineId m, const Need& need, int64_t most, std::string* why = nullptr) const {
    const MachineUse& u = state_.use()[m.value];
    int64_t n = most;
    auto limit = [&](int64_t k, auto&& phrase) {
      if (k >= n) return;
      n = k;
      if (why) *why = phrase();
    };
    if (need.cpu > 0)
      limit(std::max<int64_t>(0, u.cpu_allocatable - u.cpu_used) / need.cpu,
            [&] { return fmt::format("each replica needs cpu {}", sema::cpu_text(need.cpu)); });
    if (need.memory > 0)
      limit(std::max<int64_t>(0, u.memory_allocatable - u.memory_used) / need.memory,
            [&] { return fmt::format("each replica needs memory {}", sema::bytes_text(need.memory)); });
    if (need.gpus > 0) {
      int64_t cards = 0;  // card uses: whole free cards, or shared slots of the cards' room
      for (const auto& c : cards_[m.value]) {
        auto i = static_cast<size_t>(c.index);
        int64_t free = c.vram_bytes - c.reserve_bytes - u.vram_used[i];
        if (u.exclusive_users[i] > 0 || free < need.vram) continue;
        if (!need.share) cards += u.shared_users[i] == 0 ? 1 : 0;
        else cards += need.vram > 0 ? std::min(most, free / need.vram) : most;
      }
      limit(cards / need.gpus, [&] {
        return fmt::format("each replica needs {} {}card{}{}", need.gpus, need.share ? "shared " : "whole ",
                           need.gpus == 1 ? "" : "s", need.vram ? " with " + sema::bytes_text(need.vram) : "");
      });
    }
    return n;
  }

  /// A proof by counting that `slots` cannot all be placed, reported when
  /// found: a workload whose replicas outnumber the room its machines have
  /// for it even with nothing else of the network on them, or a set of
  /// machines that the workloads able to run only there need more cpu,
  /// memory or whole cards of than the set has.
  bool bound_proof(const std::vector<Slot>& slots, const Slot& blamed) {
    // Per workload, alone: every such workload is reported.
    bool proven = false;
    for (size_t i = 0; i < slots.size();) {
      size_t j = i;
      while (j < slots.size() && slots[j].workload == slots[i].workload) ++j;
      const Slot& s = slots[i];
      const auto count = static_cast<int64_t>(j - i);
      int64_t room = 0;
      for (MachineId m : *s.candidates) room += room_for(m, s.need, count);
      if (room < count) {
        report_room(s, count, room);
        proven = true;
      }
      i = j;
    }
    if (proven) return true;
    // Per set of machines: the workloads whose candidates all lie in it.
    std::vector<const std::vector<MachineId>*> sets;
    for (const Slot& s : slots)
      if (std::find(sets.begin(), sets.end(), s.candidates) == sets.end()) sets.push_back(s.candidates);
    if (sets.size() > 256) sets.resize(256);  // a bound, not a search: fewer sets prove less, never wrongly
    for (const auto* set : sets) {
      Need demand;
      std::vector<const Slot*> inside;
      for (const Slot& s : slots)
        if (std::includes(set->begin(), set->end(), s.candidates->begin(), s.candidates->end(),
                          [](MachineId a, MachineId b) { return a.value < b.value; })) {
          demand.cpu += s.need.cpu;
          demand.memory += s.need.memory;
          if (!s.need.share) demand.gpus += s.need.gpus;
          inside.push_back(&s);
        }
      Need have;
      for (MachineId m : *set) {
        const MachineUse& u = state_.use()[m.value];
        have.cpu += std::max<int64_t>(0, u.cpu_allocatable - u.cpu_used);
        have.memory += std::max<int64_t>(0, u.memory_allocatable - u.memory_used);
        for (size_t c = 0; c < u.exclusive_users.size(); ++c) have.gpus += u.exclusive_users[c] == 0 && u.shared_users[c] == 0;
      }
      if (demand.cpu > have.cpu || demand.memory > have.memory || demand.gpus > have.gpus) {
        report_class(*set, inside, demand, have, blamed);
        return true;
      }
    }
    return false;
  }

  /// A machine's room before the search, in words: its allocatable cpu,
  /// memory and cards, less what its daemons and kept replicas hold.
  std::string room_text(MachineId m) const {
    const MachineUse& u = state_.use()[m.value];
    const sema::Machine& machine = model_.machine(m);
    auto part = [](std::string_view what, std::string free, std::string allocatable, bool used, int64_t capacity,
                   int64_t reserved, std::string capacity_text, std::string reserved_text) {
      std::string text = used ? fmt::format("{} {} of {} allocatable", what, free, allocatable) : fmt::format("{} {}", what, allocatable);
      if (reserved > 0 && capacity > 0) text += fmt::format(" ({} less `reserved.{}` {})", capacity_text, what, reserved_text);
      return text;
    };
    std::string text =
        part("cpu", sema::cpu_text(u.cpu_allocatable - u.cpu_used), sema::cpu_text(u.cpu_allocatable), u.cpu_used > 0,
             machine.capacity.cpu_millis, machine.reserved.cpu_millis, sema::cpu_text(machine.capacity.cpu_millis),
             sema::cpu_text(machine.reserved.cpu_millis)) +
        ", " +
        part("memory", sema::bytes_text(u.memory_allocatable - u.memory_used), sema::bytes_text(u.memory_allocatable),
             u.memory_used > 0, machine.capacity.memory_bytes, machine.reserved.memory_bytes,
             sema::bytes_text(machine.capacity.memory_bytes), sema::bytes_text(machine.reserved.memory_bytes));
    for (const auto& c : cards_[m.value]) {
      auto i = static_cast<size_t>(c.index);
      text += u.exclusive_users[i] ? fmt::format(", card #{} taken", c.index)
                                   : fmt::format(", card #{} {} free", c.index,
                                                 sema::bytes_text(c.vram_bytes - c.reserve_bytes - u.vram_used[i]));
    }
    if (u.cpu_used > 0 || u.memory_used > 0) text += "; daemons and kept replicas hold the rest";
    return text;
  }

  /// Names of the workloads in `slots` (each once, in order), at most a few.
  std::string workload_list(const std::vector<const Slot*>& slots) const {
    std::vector<std::string> names;
    std::vector<uint32_t> seen;
    for (const Slot* s : slots) {
      if (std::find(seen.begin(), seen.end(), s->workload.value) != seen.end()) continue;
      seen.push_back(s->workload.value);
      const Workload& w = model_.workload(s->workload);
      int pods = static_cast<int>(std::count_if(slots.begin(), slots.end(), [&](const Slot* x) { return x->workload == s->workload; }));
      names.push_back(fmt::format("`{}` ({})", w.name, describe_need_n(w, s->need, pods)));
    }
    constexpr size_t shown = 6;
    std::string out;
    for (size_t i = 0; i < names.size() && i < shown; ++i) out += (out.empty() ? "" : ", ") + names[i];
    if (names.size() > shown) out += fmt::format(" and {} more", names.size() - shown);
    return out;
  }

  static std::string describe_need_n(const Workload& w, const Need& need, int pods) {
    std::string one = describe_need(w, need);
    if (pods == replica_count(w) || w.kind == sema::WorkloadKind::Daemon) return one;
    return fmt::format("{} of its replicas", pods) + one.substr(one.find(','));
  }

  void report_room(const Slot& s, int64_t count, int64_t room) {
    const Workload& w = model_.workload(s.workload);
    if (first_unplaced_.empty()) first_unplaced_ = w.name;
    bool any_empty_fit = false;
    for (MachineId m : *s.candidates) any_empty_fit = any_empty_fit || state_.fits_empty(m, s.need);
    std::string why = !any_empty_fit ? "no machine that could run it has that much allocatable, even empty"
                      : room == 0    ? "no machine that could run it has room for one replica"
                                     : fmt::format("the machines that could run it have room for {} of its {} replicas", room, count);
    auto& d = out_.diags.report(diag::Kind::PlacementInfeasible, requirement_span(w),
                                fmt::format("{} `{}` does not fit: {} ({})", sema::workload_kind_name(w.kind), w.name, why,
                                            describe_need(w, s.need)));
    for (MachineId m : *s.candidates) {
      std::string limit;
      int64_t n = room_for(m, s.need, count, &limit);
      d.note(source::Span{}, n > 0 ? fmt::format("{}: room for {} ({}): {}", model_.machine(m).name, n, limit, room_text(m))
                                   : fmt::format("{}: {}", model_.machine(m).name, state_.capacity_refusal(m, s.need)));
    }
    d.hint(any_empty_fit ? "lower the requests or replicas, or add capacity"
                         : "lower the requests, or a machine's `reserved` (its default grows with the machine's size)");
  }

  void report_class(const std::vector<MachineId>& set, const std::vector<const Slot*>& inside, const Need& demand, const Need& have,
                    const Slot& blamed) {
    const bool in = std::any_of(inside.begin(), inside.end(), [&](const Slot* x) { return x->workload == blamed.workload; });
    const Workload& w = model_.workload(in ? blamed.workload : inside.front()->workload);
    if (first_unplaced_.empty()) first_unplaced_ = w.name;
    std::string names;
    for (MachineId m : set) names += fmt::format("{}`{}`", names.empty() ? "" : ", ", model_.machine(m).name);
    std::string short_of = demand.cpu > have.cpu       ? fmt::format("cpu {}, and they have {} left", sema::cpu_text(demand.cpu), sema::cpu_text(have.cpu))
                           : demand.memory > have.memory ? fmt::format("memory {}, and they have {} left", sema::bytes_text(demand.memory), sema::bytes_text(have.memory))
                                                         : fmt::format("{} whole GPU cards, and they have {} free", demand.gpus, have.gpus);
    auto& d = out_.diags.report(
        diag::Kind::PlacementInfeasible, requirement_span(w),
        fmt::format("{} `{}` does not fit: the workloads that can run only on {} need {}", sema::workload_kind_name(w.kind), w.name,
                    set.size() == 1 ? names : "machines " + names, short_of));
    d.note(source::Span{}, fmt::format("those workloads: {}", workload_list(inside)));
    for (MachineId m : set) d.note(source::Span{}, fmt::format("{}: {}", model_.machine(m).name, room_text(m)));
    d.hint("lower the requests or replicas, let some run on other machines, or add capacity");
  }

  /// The workloads that compete with `blamed` for its machines.
  std::vector<const Slot*> competitors(const Slot& blamed, const std::vector<Slot>& slots) const {
    std::vector<const Slot*> out;
    for (const Slot& s : slots)
      if (std::any_of(s.candidates->begin(), s.candidates->end(), [&](MachineId m) {
            return std::find(blamed.candidates->begin(), blamed.candidates->end(), m) != blamed.candidates->end();
          }))
        out.push_back(&s);
    std::stable_partition(out.begin(), out.end(), [&](const Slot* s) { return s->workload == blamed.workload; });
    return out;
  }

  void report_infeasible(const Slot& blamed, const std::vector<Slot>& slots, std::string_view how) {
    const Workload& w = model_.workload(blamed.workload);
    auto& d = out_.diags.report(
        diag::Kind::PlacementInfeasible, requirement_span(w),
        fmt::format("{} `{}` does not fit beside the workloads that share its machines: no placement of them all exists ({})",
                    sema::workload_kind_name(w.kind), w.name, describe_need(w, blamed.need)));
    d.note(source::Span{}, fmt::format("proven by {}; each total fits, the replicas do not pack", how));
    d.note(source::Span{}, fmt::format("competing for its machines: {}", workload_list(competitors(blamed, slots))));
    for (MachineId m : *blamed.candidates) d.note(source::Span{}, fmt::format("{}: {}", model_.machine(m).name, room_text(m)));
    d.hint("lower the requests or replicas of these workloads, let some run on other machines, or add capacity");
  }

  void report_undecided(const Slot& blamed, const std::vector<Slot>& slots) {
    const Workload& w = model_.workload(blamed.workload);
    auto& d = out_.diags.report(
        diag::Kind::PlacementUndecided, requirement_span(w),
        fmt::format("could not place {} `{}` and the workloads that share its machines within {} s, nor prove that they do not fit ({})",
                    sema::workload_kind_name(w.kind), w.name, options_.solver_seconds, describe_need(w, blamed.need)));
    d.note(source::Span{}, "this is not a proof that the network does not fit: the exact solver ran out of time");
    d.note(source::Span{}, fmt::format("competing for its machines: {}", workload_list(competitors(blamed, slots))));
    for (MachineId m : *blamed.candidates) d.note(source::Span{}, fmt::format("{}: {}", model_.machine(m).name, room_text(m)));
    d.hint("give the solver more time with `--placement-seconds`, loosen the constraints that narrow where these run, or add capacity");
  }

  const Model& model_;
  const Options& options_;
  Result& out_;
  std::vector<std::vector<Card>> cards_;
  State state_;
  Keep keep_;
  const Reasons* earlier_;
  std::string room_for_;
  Reasons why_;
  std::vector<const std::map<int, Where>*> previous_of_;  // per workload; empty without a previous placement
  std::string first_unplaced_;
  size_t kept_movable_ = 0;
  std::vector<Assignment> assignments_;
  // Replicas of each workload per machine so far, for spreading.
  static uint64_t key_of(WorkloadId w, MachineId m) { return (static_cast<uint64_t>(w.value) << 32) | m.value; }
  std::unordered_map<uint64_t, int> placed_;
  // Replicas of each workload per machine kept from the previous placement.
  std::unordered_map<uint64_t, int> kept_on_;
  // The local search's bounds: slots it looks at, moves and swaps it tries.
  static constexpr size_t kImproveLimit = 4000;
  static constexpr size_t kImproveSteps = 200'000;
  std::unordered_map<std::string, std::vector<MachineId>> candidate_cache_;  // node-stable: lists are shared
};

}  // namespace

std::string_view search_name(Search s) {
  switch (s) {
    case Search::Exact: return "exact";
    case Search::Heuristic: return "heuristic";
    case Search::Solver: return "solver";
  }
  return "heuristic";
}

bool same_input(const Workload& a, const Workload& b) {
  auto gpu = [](const Workload& w) {
    return w.gpu ? std::tuple(w.gpu->count, w.gpu->vram_bytes, w.gpu->share) : std::tuple(0, std::optional<int64_t>(), false);
  };
  auto tolerations = [](const Workload& w) {
    std::vector<std::tuple<std::string, std::optional<std::string>, std::optional<sema::TaintEffect>>> out;
    for (const auto& t : w.tolerations) out.emplace_back(t.key, t.value, t.effect);
    return out;
  };
  auto ports = [](const Workload& w) {
    std::vector<std::tuple<int, std::optional<int>, sema::Protocol>> out;
    for (const auto& p : w.ports) out.emplace_back(p.port, p.host_port, p.protocol);
    return out;
  };
  auto volumes = [](const Workload& w) {
    std::vector<std::tuple<sema::VolumeKind, std::string, std::string, std::string>> out;
    for (const auto& v : w.volumes) out.emplace_back(v.kind, v.name, v.source, v.storage_class);
    return out;
  };
  sema::Resources pa = sema::pod_requests(a), pb = sema::pod_requests(b);
  return a.id == b.id && a.kind == b.kind && a.name == b.name && a.namespace_ == b.namespace_ &&
         replica_count(a) == replica_count(b) && pa.cpu_millis == pb.cpu_millis && pa.memory_bytes == pb.memory_bytes &&
         gpu(a) == gpu(b) && a.arch == b.arch && a.on == b.on && a.roles == b.roles && a.prefer == b.prefer &&
         a.avoid == b.avoid && tolerations(a) == tolerations(b) && a.tolerate_all == b.tolerate_all &&
         ports(a) == ports(b) && sema::host_network(a) == sema::host_network(b) && volumes(a) == volumes(b);
}

bool same_input(const Machine& a, const Machine& b) {
  auto gpus = [](const Machine& m) {
    std::vector<std::tuple<std::string, int, int64_t, int64_t>> out;
    for (const auto& g : m.gpus) out.emplace_back(g.model, g.count, g.vram_bytes, g.reserve_bytes);
    return out;
  };
  auto taints = [](const Machine& m) {
    std::vector<std::tuple<std::string, std::string, sema::TaintEffect>> out;
    for (const auto& t : m.taints) out.emplace_back(t.key, t.value, t.effect);
    return out;
  };
  return a.id == b.id && a.name == b.name && a.os == b.os && a.arch == b.arch &&
         a.capacity.cpu_millis == b.capacity.cpu_millis && a.capacity.memory_bytes == b.capacity.memory_bytes &&
         a.reserved.cpu_millis == b.reserved.cpu_millis && a.reserved.memory_bytes == b.reserved.memory_bytes &&
         a.roles == b.roles && a.k3s == b.k3s && a.joined == b.joined && gpus(a) == gpus(b) && a.labels == b.labels &&
         taints(a) == taints(b);
}

std::vector<Card> cards_of(const Machine& machine) {
  std::vector<Card> out;
  for (const auto& g : machine.gpus)
    for (int i = 0; i < g.count; ++i)
      out.push_back(Card{static_cast<int>(out.size()), g.model, g.vram_bytes, g.reserve_bytes});
  return out;
}

// What the compiler can see because it has both the machines and the
// workloads: tolerations that match no machine's taint (typos, or leftovers),
// and taints that keep every workload away. (A role selector that no machine
// matches needs no check of its own: placement reports the workload.)
void cross_check(const Model& model, diag::Sink& sink) {
  auto joined = [](const Machine& m) { return m.joined && m.k3s != sema::K3sMode::None; };
  // The distinct taints of all machines (a handful, however many machines).
  std::vector<const sema::Taint*> taints;
  std::set<std::tuple<std::string_view, std::string_view, sema::TaintEffect>> seen;
  for (const auto& m : model.machines)
    for (const auto& t : m.taints)
      if (seen.emplace(t.key, t.value, t.effect).second) taints.push_back(&t);
  for (const auto& w : model.workloads) {
    for (const auto& tol : w.tolerations) {
      // Taints the system sets (not-ready, unreachable, ...) are tolerated on purpose.
      bool system = tol.key.starts_with("node.kubernetes.io/") || tol.key.starts_with("node.cloudprovider.kubernetes.io/") ||
                    tol.key.starts_with("node-role.kubernetes.io/") || tol.key == "CriticalAddonsOnly";
      bool matches = system;
      for (const sema::Taint* t : taints)
        matches = matches || (t->key == tol.key && (!tol.value || *tol.value == t->value) && (!tol.effect || *tol.effect == t->effect));
      if (matches) continue;
      std::vector<std::string> known;
      for (const sema::Taint* t : taints) known.push_back(taint_text(*t));
      std::vector<std::string_view> views(known.begin(), known.end());
      std::string written = tol.key;
      if (tol.value) written += fmt::format("={}", *tol.value);
      if (tol.effect) written += fmt::format(":{}", sema::taint_effect_name(*tol.effect));
      auto& d = sink.report(diag::Kind::UnmatchedToleration, tol.span, fmt::format("`{}` tolerates a taint that no machine has", w.name));
      if (auto near = diag::did_you_mean(written, views)) d.hint(fmt::format("did you mean \"{}\"?", *near));
      else d.hint("check the key, value and effect against the machines' and roles' `taint` entries");
    }
  }
  // Whether any workload tolerates a taint, once per distinct taint.
  std::map<std::tuple<std::string_view, std::string_view, sema::TaintEffect>, bool> tolerated_by_some;
  for (const auto& m : model.machines) {
    if (!joined(m)) continue;
    for (const auto& t : m.taints) {
      if (t.effect == sema::TaintEffect::PreferNoSchedule) continue;
      auto key = std::make_tuple(std::string_view(t.key), std::string_view(t.value), t.effect);
      auto known = tolerated_by_some.find(key);
      if (known == tolerated_by_some.end())
        known = tolerated_by_some
                    .emplace(key, std::any_of(model.workloads.begin(), model.workloads.end(),
                                              [&](const Workload& w) { return tolerates(w, t); }))
                    .first;
      if (!known->second)
        sink.report(diag::Kind::UntoleratedTaint, t.span.valid() ? t.span : m.span,
                    fmt::format("no workload tolerates `{}`: nothing will run on `{}`", taint_text(t), m.name))
            .hint("intended for a machine kept free (a NAS, a server); else add `tolerate` to the workloads meant for it");
    }
  }
}

// The device plugin's time-slicing is per machine: once a machine's cards
// are sliced for sharing workloads, a request for a whole card gets a slice
// of one, so a workload placed there for whole cards is not guaranteed them.
void check_time_slicing(const Model& model, const Placement& p, diag::Sink& sink) {
  for (const auto& m : model.machines) {
    const MachineUse& u = p.use[m.id.value];
    if (std::none_of(u.shared_users.begin(), u.shared_users.end(), [](int n) { return n >= 2; })) continue;
    std::vector<sema::WorkloadId> seen;
    for (const auto& a : p.assignments) {
      if (!(a.machine == m.id) || a.cards.empty()) continue;
      const Workload& w = model.workload(a.workload);
      if (!w.gpu || w.gpu->share || std::find(seen.begin(), seen.end(), w.id) != seen.end()) continue;
      seen.push_back(w.id);
      sink.report(diag::Kind::WholeGpuTimeSliced, w.gpu->span,
                  fmt::format("`{}` asks for whole cards on `{}`, whose cards are time-sliced for sharing workloads", w.name, m.name))
          .note(m.span, "time-slicing applies to every card of a machine: Kubernetes may hand this workload a slice of a card in use")
          .hint(fmt::format("add `share = true` to its `gpu` block, or keep it off `{}` with `avoid`", m.name));
    }
  }
}

// A replica holding local data that would change machine leaves its data
// behind: an error at the workload, unless the user allowed that move.
void check_local_moves(const Model& model, const Options& options, const Placement& p, diag::Sink& sink) {
  std::set<uint32_t> seen;
  for (const Move& mv : p.moves) {
    if (mv.from.machine == mv.to.machine) continue;  // other cards of the same machine: the data stays
    const Workload& w = model.workload(mv.workload);
    const sema::Volume* vol = local_volume(w);
    if (!vol || options.allow_move.contains(w.name) || options.allow_move.contains(workload_key(w))) continue;
    if (!seen.insert(w.id.value).second) continue;
    sink.report(diag::Kind::PlacementInfeasible, w.span,
                fmt::format("{} `{}` would move from `{}` to `{}` ({}), leaving behind the data of its volume `{}` on `{}`",
                            sema::workload_kind_name(w.kind), w.name, mv.from.machine, mv.to.machine, mv.reason, vol->name,
                            mv.from.machine))
        .note(vol->span, vol->kind == sema::VolumeKind::HostPath
                             ? "a host-path volume is a folder of the node the pod runs on"
                             : "on k3s a claim of the local-path storage class is a folder of one node")
        .hint(fmt::format("to move it anyway, without its data, pass `--allow-move {}`", w.name));
  }
}

Result place(const Model& model, const Options& options) {
  Result out;
  cross_check(model, out.diags);
  Placer placer(model, options, out);
  placer.run();
  // The rest did not fit around every replica kept in place: try again
  // keeping only those with local data, and take that if it succeeds.
  if (options.previous && out.diags.has_errors() && placer.kept_movable() > 0) {
    Result retry;
    cross_check(model, retry.diags);
    Placer again(model, options, retry, Keep::LocalOnly, &placer.reasons(), placer.first_unplaced());
    again.run();
    if (!retry.diags.has_errors()) out = std::move(retry);
  }
  check_local_moves(model, options, out.placement, out.diags);
  if (!out.diags.has_errors()) check_time_slicing(model, out.placement, out.diags);
  return out;
}

}  // namespace claw::placement
