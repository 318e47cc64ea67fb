#include "compiler/driver/placement_table.h"

#include <fmt/format.h>

#include <charconv>
#include <iterator>
#include <string_view>
#include <vector>

#include "compiler/io/parallel.h"
#include "compiler/sema/pod_model.h"
#include "compiler/sema/quantity_text.h"

namespace claw::driver {
namespace {

int percent(int64_t used, int64_t total) { return total > 0 ? static_cast<int>((100 * used + total / 2) / total) : 0; }

// Columns are counted in bytes: what they hold (kinds, workload names,
// which are DNS labels, and quantities) is ASCII.
void pad_right(std::string& out, std::string_view text, size_t width) {
  out += text;
  if (text.size() < width) out.append(width - text.size(), ' ');
}

void pad_left(std::string& out, std::string_view text, size_t width) {
  if (text.size() < width) out.append(width - text.size(), ' ');
  out += text;
}

/// The mark after a request `needs` left out, which the stdlib's
/// `resources` default stands for; the table's footnote says so.
constexpr char kAssumed = '*';

/// A workload's request as the table shows it, formatted once for all its replicas.
struct Requests {
  std::string cpu, memory;
};

/// One machine's block: its use, its cards and the replicas it runs.
void machine_block(std::string& out, const sema::Model& model, const placement::Placement& placed, const sema::Machine& m,
                   const std::vector<const placement::Assignment*>& here, const std::vector<Requests>& requests) {
  auto to = std::back_inserter(out);
  const auto& u = placed.use[m.id.value];
  fmt::format_to(to, "\n{}  cpu {}/{} ({}%)  memory {}/{} ({}%)\n", m.name, sema::cores_text(u.cpu_used),
                 sema::cores_text(u.cpu_allocatable), percent(u.cpu_used, u.cpu_allocatable), sema::bytes_text(u.memory_used),
                 sema::bytes_text(u.memory_allocatable), percent(u.memory_used, u.memory_allocatable));
  for (const auto& c : placed.cards[m.id.value]) {
    auto i = static_cast<size_t>(c.index);
    int64_t usable = c.vram_bytes - c.reserve_bytes;
    std::string mode = u.exclusive_users[i] ? "whole card" : u.shared_users[i] ? fmt::format("shared by {}", u.shared_users[i]) : "free";
    fmt::format_to(to, "  gpu #{} {}  vram {}/{} ({}%)  {}\n", c.index, c.model, sema::bytes_text(u.vram_used[i]),
                   sema::bytes_text(usable), percent(u.vram_used[i], usable), mode);
  }
  for (const auto* a : here) {
    const auto& w = model.workload(a->workload);
    const Requests& r = requests[w.id.value];
    // Written piece by piece, not through a format string: a large network
    // has a line per replica.
    out += "  ";
    pad_right(out, sema::workload_kind_name(w.kind), 7);
    out += ' ';
    size_t name_at = out.size();
    out += w.name;
    if (w.kind == sema::WorkloadKind::Service && w.replicas > 1) {
      char index[16];
      out += '[';
      out.append(index, static_cast<size_t>(std::to_chars(index, index + sizeof index, a->replica).ptr - index));
      out += ']';
    }
    if (size_t width = out.size() - name_at; width < 28) out.append(28 - width, ' ');
    out += " cpu ";
    pad_left(out, r.cpu, 5);
    out += w.assumed_cpu ? kAssumed : ' ';
    out += " memory ";
    pad_left(out, r.memory, 7);
    if (w.assumed_memory) out += kAssumed;
    if (!a->cards.empty()) {
      out += "  gpu";
      for (int c : a->cards) fmt::format_to(to, " #{}", c);
      if (w.gpu && w.gpu->vram_bytes)
        fmt::format_to(to, " ({} each{})", sema::bytes_text(*w.gpu->vram_bytes), w.gpu->share ? ", shared" : "");
    }
    out += '\n';
  }
}

}  // namespace

std::string placement_table(const sema::Model& model, const placement::Placement& placed) {
  std::vector<std::vector<const placement::Assignment*>> by_machine(model.machines.size());
  std::vector<char> placed_workload(model.workloads.size(), 0);
  for (const auto& a : placed.assignments) {
    by_machine[a.machine.value].push_back(&a);
    placed_workload[a.workload.value] = 1;
  }
  // Requests, then machines' blocks, are independent: large networks format
  // them on every core, each into its own slot, then join the blocks in
  // machine order.
  std::vector<Requests> requests(model.workloads.size());
  io::parallel_ranges(model.workloads.size(), 512, [&](size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i)
      if (placed_workload[i]) {
        const auto& w = model.workloads[i];
        const sema::Resources pod = sema::pod_requests(w);  // sidecars' and init containers' included
        requests[i] = {sema::cores_text(pod.cpu_millis), sema::bytes_text(pod.memory_bytes)};
      }
  });
  std::vector<std::string> blocks(model.machines.size());
  io::parallel_ranges(model.machines.size(), 64, [&](size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) {
      const sema::Machine& m = model.machines[i];
      if (!m.joined || m.k3s == sema::K3sMode::None) continue;
      machine_block(blocks[i], model, placed, m, by_machine[m.id.value], requests);
    }
  });
  const std::string how = placed.search == placement::Search::Solver
                              ? std::string("exact solver")
                              : fmt::format("{} search", placement::search_name(placed.search));
  std::string out = fmt::format("placement ({} {}, {})\n", placed.assignments.size(),
                                placed.assignments.size() == 1 ? "replica" : "replicas", how);
  size_t size = out.size();
  for (const auto& b : blocks) size += b.size();
  out.reserve(size);
  for (const auto& b : blocks) out += b;
  bool assumed = false;
  for (const auto& a : placed.assignments) {
    const auto& w = model.workload(a.workload);
    assumed = assumed || w.assumed_cpu || w.assumed_memory;
  }
  if (assumed)
    fmt::format_to(std::back_inserter(out),
                   "\n{} assumed: `needs` does not say, so the stdlib's `resources` default is placed and requested\n", kAssumed);
  return out;
}

}  // namespace claw::driver
