#include "compiler/placement/fit.h"

#include <fmt/format.h>

#include <algorithm>

#include "compiler/sema/pod_model.h"
#include "compiler/sema/quantity_text.h"

namespace claw::placement {

using sema::Machine;
using sema::Model;
using sema::Workload;

Need need_of(const Workload& w) {
  sema::Resources pod = sema::pod_requests(w);
  Need n{pod.cpu_millis, pod.memory_bytes, 0, 0, false};
  if (w.gpu) {
    n.gpus = w.gpu->count;
    n.vram = w.gpu->vram_bytes.value_or(0);
    n.share = w.gpu->share;
  }
  return n;
}

int replica_count(const Workload& w) {
  return w.kind == sema::WorkloadKind::Service ? w.replicas : std::max(1, w.parallelism);
}

std::string describe_need(const Workload& w, const Need& n) {
  std::string s = fmt::format("cpu {}, memory {}", sema::cpu_text(n.cpu), sema::bytes_text(n.memory));
  if (n.gpus)
    s += fmt::format(", {} GPU{}{}{}", n.gpus, n.gpus == 1 ? "" : "s", n.vram ? " with " + sema::bytes_text(n.vram) : "",
                     n.share ? " (shared)" : "");
  int pods = replica_count(w);
  if (w.kind != sema::WorkloadKind::Daemon && pods != 1) s = fmt::format("{} replicas, each ", pods) + s;
  return s;
}

bool tolerates(const Workload& w, const sema::Taint& t) {
  if (w.tolerate_all) return true;
  for (const auto& tol : w.tolerations) {
    if (tol.key != t.key) continue;
    if (tol.value && *tol.value != t.value) continue;
    if (tol.effect && *tol.effect != t.effect) continue;
    return true;
  }
  return false;
}

std::string taint_text(const sema::Taint& t) {
  return fmt::format("{}{}:{}", t.key, t.value.empty() ? "" : "=" + t.value, sema::taint_effect_name(t.effect));
}

bool can_run(const Model& model, const Machine& m, const std::vector<Card>& cards, const Workload& w, const Need& need,
             std::vector<std::string>* why) {
  bool ok = true;
  auto refuse = [&](auto&& phrase) {
    ok = false;
    if (why) why->push_back(phrase());
    return why != nullptr;  // keep looking only to explain
  };
  if (!m.joined || m.k3s == sema::K3sMode::None) {
    refuse([] { return std::string("not joined to the cluster"); });
    return false;
  }
  if (w.on && !(*w.on == m.id)) {
    refuse([&] { return fmt::format("the workload is pinned to `{}`", model.machine(*w.on).name); });
    return false;
  }
  if (std::find(w.arch.begin(), w.arch.end(), m.arch) == w.arch.end() && !refuse([&] {
        std::string list;
        for (auto a : w.arch) list += (list.empty() ? "" : ", ") + std::string(sema::arch_name(a));
        return fmt::format("arch {} not in [{}]", sema::arch_name(m.arch), list);
      }))
    return false;
  for (const auto& t : m.taints)
    if (t.effect != sema::TaintEffect::PreferNoSchedule && !tolerates(w, t) &&
        !refuse([&] { return fmt::format("taint `{}` not tolerated", taint_text(t)); }))
      return false;
  for (auto r : w.roles)
    if (std::find(m.roles.begin(), m.roles.end(), r) == m.roles.end() &&
        !refuse([&] { return fmt::format("lacks role `{}`", model.role(r).name); }))
      return false;
  if (std::find(w.avoid.begin(), w.avoid.end(), m.id) != w.avoid.end() &&
      !refuse([] { return std::string("avoided by the workload"); }))
    return false;
  if (need.gpus > 0) {
    int fitting = 0;
    for (const auto& c : cards)
      if (c.vram_bytes - c.reserve_bytes >= need.vram) ++fitting;
    if (cards.empty()) {
      refuse([&] { return fmt::format("needs {} GPU{}, has none", need.gpus, need.gpus == 1 ? "" : "s"); });
    } else if (fitting < need.gpus) {
      refuse([&] {
        std::string has;
        for (const auto& g : m.gpus) has += fmt::format("{}{} × {}", has.empty() ? "" : " + ", g.count, sema::bytes_text(g.vram_bytes));
        std::string usable = cards.front().reserve_bytes
                                 ? fmt::format(" ({} usable each after the driver's reserve)",
                                               sema::bytes_text(cards.front().vram_bytes - cards.front().reserve_bytes))
                                 : "";
        return fmt::format("needs {} card{}{}, has {}{}", need.gpus, need.gpus == 1 ? "" : "s",
                           need.vram ? fmt::format(" with {} each", sema::bytes_text(need.vram)) : "", has, usable);
      });
    }
  }
  return ok;
}

std::vector<std::string> static_refusals(const Model& model, const Machine& m, const std::vector<Card>& cards,
                                         const Workload& w, const Need& need) {
  std::vector<std::string> why;
  can_run(model, m, cards, w, need, &why);
  return why;
}

double machine_peak(const MachineUse& u, const std::vector<Card>& cards) {
  auto fraction = [](int64_t used, int64_t capacity) {
    return capacity > 0 ? static_cast<double>(used) / static_cast<double>(capacity) : 0.0;
  };
  int64_t usable = 0, used = 0;
  for (size_t c = 0; c < cards.size() && c < u.vram_used.size(); ++c) {
    usable += cards[c].vram_bytes - cards[c].reserve_bytes;
    used += u.vram_used[c];
  }
  return std::max({fraction(u.cpu_used, u.cpu_allocatable), fraction(u.memory_used, u.memory_allocatable), fraction(used, usable)});
}

}  // namespace claw::placement
