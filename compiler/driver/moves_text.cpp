#include "compiler/driver/moves_text.h"

#include <fmt/format.h>

#include <algorithm>

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

}  // namespace claw::driver
