#include "compiler/driver/explain_text.h"

#include <fmt/format.h>

#include <cmath>
#include <iterator>
#include <nlohmann/json.hpp>

#include "compiler/placement/previous.h"
#include "compiler/sema/quantity_text.h"

namespace claw::driver {
namespace {

using placement::Explanation;
using placement::ReplicaWhy;

/// "cpu 500m of 3.5 left (3.8 allocatable)" (left and allocatable in cores), one per resource.
std::string take_text(const placement::Take& t) {
  if (t.resource == "cpu")
    return fmt::format("cpu {} of {} left ({} allocatable)", sema::cpu_text(t.need), sema::cores_text(t.left),
                       sema::cores_text(t.allocatable));
  auto [need, left] = sema::bytes_texts_apart(t.need, t.left);
  return fmt::format("{} {} of {} left ({} allocatable)", t.resource, need, left, sema::bytes_text(t.allocatable));
}

std::string card_text(const placement::CardTake& c) {
  if (!c.shared) return fmt::format("#{} {}, whole ({} usable)", c.card, c.model, sema::bytes_text(c.vram));
  const int others = c.sharers - 1;
  std::string with = others == 0 ? "no other replica on it" : fmt::format("with {} other replica{}", others, others == 1 ? "" : "s");
  return fmt::format("#{} {}, shared ({}): takes {} of {} free, {} left", c.card, c.model, with, sema::bytes_text(c.vram),
                     sema::bytes_text(c.free_before), sema::bytes_text(c.free_before - c.vram));
}

template <typename T, typename F>
std::string joined(const std::vector<T>& items, std::string_view sep, F&& text) {
  std::string out;
  for (const auto& x : items) out += (out.empty() ? "" : std::string(sep)) + text(x);
  return out;
}

void replica_text(std::string& out, const sema::Model& model, const ReplicaWhy& r) {
  auto to = std::back_inserter(out);
  fmt::format_to(to, "\nreplica {} on `{}`{}\n", r.replica, model.machine(r.machine).name, r.kept ? " (kept, as claw.lock has it)" : "");
  if (!r.met.empty()) fmt::format_to(to, "  meets: {}\n", joined(r.met, "; ", [](const std::string& s) { return s; }));
  fmt::format_to(to, "  takes: {}\n", joined(r.takes, "; ", take_text));
  if (!r.card_takes.empty()) {
    fmt::format_to(to, "  cards: {} (claw takes the cards with the least VRAM free that fit)\n", joined(r.card_takes, "; ", card_text));
    if (!r.other_cards.empty()) fmt::format_to(to, "  other cards: {}\n", r.other_cards);
  }
  fmt::format_to(to, "  why here: {}\n", r.won);
  if (r.others.empty()) return;
  out += "  why not:\n";
  for (const auto& o : r.others) fmt::format_to(to, "    {}: {}\n", model.machine(o.machine).name, o.why);
}

}  // namespace

std::string explain_text(const sema::Model& model, const Explanation& e) {
  const sema::Workload& w = model.workload(e.workload);
  std::string out = fmt::format("{} `{}` (namespace `{}`): {}\n", sema::workload_kind_name(w.kind), w.name, w.namespace_, e.need);
  if (e.replicas.empty()) out += "no replica to place\n";
  for (const auto& r : e.replicas) replica_text(out, model, r);
  return out;
}

// The JSON shape, stable for tools (quantities in millicores and bytes):
// {
//   "workload": "default/web", "kind": "service", "need": "3 replicas, each cpu 500m, memory 512MiB",
//   "replicas": [{
//     "replica": 0, "machine": "pi-1", "cards": [0], "kept": false, "peak": 0.64,
//     "met": ["tolerates taint `gpu:NoSchedule`", ...],
//     "takes": [{"resource": "cpu", "need": 500, "left": 3500, "allocatable": 3800},
//               {"resource": "memory", "need": ..., "left": ..., "allocatable": ...}],
//     "card_takes": [{"card": 0, "model": "RTX 4090", "shared": true, "vram": 8589934592,
//                     "free_before": 21474836480, "sharers": 2}],
//     "other_cards": "#1 held whole",
//     "runner_up": "pi-2" or null, "won": "beats `pi-2`, the next best: ...",
//     "others": [{"machine": "pi-2", "lost": "spread", "why": "already runs replica 1 of it; ..."}]
//   }]
// }
// "lost" is one of constraint, no-room, preferred, spread, soft-taint, peak,
// order, ranks-ahead (placement/explain.h `Lost`). Keys print sorted.
std::string explain_json(const sema::Model& model, const Explanation& e) {
  const sema::Workload& w = model.workload(e.workload);
  nlohmann::json out{{"workload", placement::workload_key(w)},
                     {"kind", std::string(sema::workload_kind_name(w.kind))},
                     {"need", e.need},
                     {"replicas", nlohmann::json::array()}};
  for (const auto& r : e.replicas) {
    nlohmann::json j{{"replica", r.replica},
                     {"machine", model.machine(r.machine).name},
                     {"cards", r.cards},
                     {"kept", r.kept},
                     {"peak", std::round(r.peak * 10000) / 10000},
                     {"met", r.met},
                     {"other_cards", r.other_cards},
                     {"runner_up", r.runner_up ? nlohmann::json(model.machine(*r.runner_up).name) : nlohmann::json(nullptr)},
                     {"won", r.won}};
    j["takes"] = nlohmann::json::array();
    for (const auto& t : r.takes)
      j["takes"].push_back({{"resource", t.resource}, {"need", t.need}, {"left", t.left}, {"allocatable", t.allocatable}});
    j["card_takes"] = nlohmann::json::array();
    for (const auto& c : r.card_takes)
      j["card_takes"].push_back({{"card", c.card}, {"model", c.model}, {"shared", c.shared}, {"vram", c.vram},
                                 {"free_before", c.free_before}, {"sharers", c.sharers}});
    j["others"] = nlohmann::json::array();
    for (const auto& o : r.others)
      j["others"].push_back({{"machine", model.machine(o.machine).name}, {"lost", std::string(placement::lost_name(o.lost))}, {"why", o.why}});
    out["replicas"].push_back(std::move(j));
  }
  return out.dump(2) + "\n";
}

}  // namespace claw::driver
