#include "compiler/driver/summary.h"

#include <fmt/format.h>

#include "compiler/sema/quantity_text.h"

namespace claw::driver {

std::string network_summary(const sema::Model& m) {
  std::string out;
  if (m.cluster) {
    const auto& c = *m.cluster;
    out += fmt::format("cluster {}: k3s {}, server {}, network {}{}\n", c.name, c.k3s_version,
                       c.server.value < m.machines.size() ? m.machine(c.server).name : "?", c.network,
                       c.iface ? fmt::format(" ({})", *c.iface) : "");
  }
  size_t joined = 0, gpus = 0;
  int64_t vram = 0;
  for (const auto& x : m.machines) {
    joined += x.joined ? 1 : 0;
    for (const auto& g : x.gpus) {
      gpus += static_cast<size_t>(g.count);
      vram += g.vram_bytes * g.count;
    }
  }
  out += fmt::format("\nmachines: {} ({} joined)\n", m.machines.size(), joined);
  for (const auto& x : m.machines) {
    std::string roles;
    for (auto r : x.roles) roles += (roles.empty() ? "" : ",") + m.role(r).name;
    std::string gpu;
    for (const auto& g : x.gpus) gpu += fmt::format("  gpu {} x {} ({} each)", g.model, g.count, sema::bytes_text(g.vram_bytes));
    std::string line = fmt::format("  {:<20} {}/{} {:<6} cpu {:>3}  mem {:>7}  {}{}{}", x.name, sema::os_name(x.os),
                                   sema::arch_name(x.arch), sema::k3s_mode_name(x.k3s), sema::cpu_text(x.capacity.cpu_millis),
                                   sema::bytes_text(x.capacity.memory_bytes), x.joined ? "" : "not joined  ",
                                   roles.empty() ? "" : "roles " + roles, gpu);
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  if (!m.roles.empty()) {
    out += fmt::format("\nroles: {}\n", m.roles.size());
    for (const auto& r : m.roles) {
      std::string taints;
      for (const auto& t : r.taints)
        taints += fmt::format("{}{}{}:{}", taints.empty() ? "" : ", ", t.key, t.value.empty() ? "" : "=" + t.value,
                              sema::taint_effect_name(t.effect));
      out += fmt::format("  {:<20} {}\n", r.name, taints.empty() ? "(labels only)" : "taint " + taints);
    }
  }
  out += fmt::format("\nGPUs: {} cards, {} VRAM in all\n", gpus, sema::bytes_text(vram));
  size_t counts[4] = {0, 0, 0, 0};
  for (const auto& w : m.workloads) ++counts[static_cast<int>(w.kind)];
  auto count = [](size_t n, std::string_view what) { return fmt::format("{} {}{}", n, what, n == 1 ? "" : "s"); };
  out += fmt::format("\nworkloads: {}, {}, {}, {}\n", count(counts[0], "service"), count(counts[1], "job"),
                     count(counts[2], "cron"), count(counts[3], "daemon"));
  for (const auto& w : m.workloads) {
    std::string extra;
    if (w.gpu) extra += fmt::format("  gpu {}{}", w.gpu->count, w.gpu->vram_bytes ? " x " + sema::bytes_text(*w.gpu->vram_bytes) : "");
    if (w.on) extra += fmt::format("  on {}", m.machine(*w.on).name);
    if (w.host) extra += fmt::format("  host {}", *w.host);
    if (w.kind == sema::WorkloadKind::Cron) extra += fmt::format("  \"{}\"", w.schedule);
    out += fmt::format("  {:<7} {:<24} {}{}\n", sema::workload_kind_name(w.kind), w.name, w.image, extra);
  }
  if (!m.charts.empty()) {
    out += fmt::format("\ncharts: {}\n", m.charts.size());
    for (const auto& c : m.charts) out += fmt::format("  {:<20} {} {} (namespace {})\n", c.name, c.chart, c.version, c.namespace_);
  }
  if (!m.secrets.empty()) {
    out += fmt::format("\nsecrets: {} (values read at apply time)\n", m.secrets.size());
  }
  return out;
}

}  // namespace claw::driver
