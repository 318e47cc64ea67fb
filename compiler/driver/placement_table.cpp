#include "compiler/driver/placement_table.h"

#include <fmt/format.h>

#include "compiler/sema/quantity_text.h"

#include <map>

namespace claw::driver {
namespace {

int percent(int64_t used, int64_t total) { return total > 0 ? static_cast<int>((100 * used + total / 2) / total) : 0; }

}  // namespace

std::string placement_table(const sema::Model& model, const placement::Placement& placed) {
  std::map<uint32_t, std::vector<const placement::Assignment*>> by_machine;
  for (const auto& a : placed.assignments) by_machine[a.machine.value].push_back(&a);
  std::string out = fmt::format("placement ({} replicas, {} search)\n", placed.assignments.size(),
                                placed.exact ? "exact" : "heuristic");
  for (const auto& m : model.machines) {
    if (!m.joined || m.k3s == sema::K3sMode::None) continue;
    const auto& u = placed.use[m.id.value];
    out += fmt::format("\n{}  cpu {}/{} ({}%)  memory {}/{} ({}%)\n", m.name, sema::cores_text(u.cpu_used), sema::cores_text(u.cpu_allocatable),
                       percent(u.cpu_used, u.cpu_allocatable), sema::bytes_text(u.memory_used), sema::bytes_text(u.memory_allocatable),
                       percent(u.memory_used, u.memory_allocatable));
    const auto& cards = placed.cards[m.id.value];
    for (const auto& c : cards) {
      auto i = static_cast<size_t>(c.index);
      int64_t usable = c.vram_bytes - c.reserve_bytes;
      std::string mode = u.exclusive_users[i] ? "whole card" : u.shared_users[i] ? fmt::format("shared by {}", u.shared_users[i]) : "free";
      out += fmt::format("  gpu #{} {}  vram {}/{} ({}%)  {}\n", c.index, c.model, sema::bytes_text(u.vram_used[i]), sema::bytes_text(usable),
                         percent(u.vram_used[i], usable), mode);
    }
    for (const auto* a : by_machine[m.id.value]) {
      const auto& w = model.workload(a->workload);
      std::string gpu;
      if (!a->cards.empty()) {
        gpu = "  gpu";
        for (int c : a->cards) gpu += fmt::format(" #{}", c);
        if (w.gpu && w.gpu->vram_bytes) gpu += fmt::format(" ({} each{})", sema::bytes_text(*w.gpu->vram_bytes), w.gpu->share ? ", shared" : "");
      }
      std::string name = w.kind == sema::WorkloadKind::Service && w.replicas > 1 ? fmt::format("{}[{}]", w.name, a->replica) : w.name;
      out += fmt::format("  {:<7} {:<28} cpu {:>5}  memory {:>7}{}\n", sema::workload_kind_name(w.kind), name,
                         sema::cores_text(w.requests.cpu_millis), sema::bytes_text(w.requests.memory_bytes), gpu);
    }
  }
  return out;
}

}  // namespace claw::driver
