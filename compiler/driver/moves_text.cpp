#include "compiler/driver/moves_text.h"

#include <fmt/format.h>

#include <algorithm>
#include <string_view>

#include "compiler/diag/diagnostic.h"

namespace claw::driver {
namespace {

std::string cards_text(const std::vector<int>& cards) {
  if (cards.empty()) return "";
  std::string list;
  for (int c : cards) list += fmt::format("{}{}", list.empty() ? "" : ", ", c);
  return fmt::format("card{} {}", cards.size() == 1 ? "" : "s", list);
}

std::string where_text(const placement::Where& w) {
  std::string cards = cards_text(w.cards);
  return cards.empty() ? w.machine : w.machine + " " + cards;
}

}  // namespace

std::string moves_text(const sema::Model& model, const placement::Placement& placed) {
  if (placed.moves.empty()) return "";
  std::string out = "moved:\n";
  for (const auto& m : placed.moves) {
    const sema::Workload& w = model.workload(m.workload);
    const int pods = w.kind == sema::WorkloadKind::Service ? w.replicas : std::max(1, w.parallelism);
    std::string who = pods == 1 ? w.name : fmt::format("{} replica {}", w.name, m.replica);
    std::string to = m.to.machine == m.from.machine ? cards_text(m.to.cards) : where_text(m.to);
    out += fmt::format("  {}: {} → {} ({})\n", who, where_text(m.from), to, m.reason);
  }
  return out;
}

std::string unknown_allow_move(const sema::Model& model, const std::vector<std::string>& names) {
  std::vector<std::string> keys;
  keys.reserve(model.workloads.size());
  for (const auto& w : model.workloads) keys.push_back(placement::workload_key(w));
  std::vector<std::string_view> candidates;
  for (size_t i = 0; i < model.workloads.size(); ++i) {
    candidates.push_back(model.workloads[i].name);
    candidates.push_back(keys[i]);
  }
  std::string out;
  for (const auto& name : names) {
    if (std::find(candidates.begin(), candidates.end(), std::string_view(name)) != candidates.end()) continue;
    out += fmt::format("claw: error: `--allow-move {}` names no workload of the program", name);
    if (auto close = diag::did_you_mean(name, candidates)) out += fmt::format("; did you mean `{}`?", *close);
    out += '\n';
  }
  return out;
}

}  // namespace claw::driver
