#include "compiler/emit/placement_json.h"

#include <nlohmann/json.hpp>

namespace claw::emit {
namespace {

using nlohmann::json;

json machine_json(const sema::Machine& m, const std::vector<placement::Card>& cards) {
  json taints = json::array();
  for (const auto& t : m.taints)
    taints.push_back({{"key", t.key}, {"value", t.value}, {"effect", std::string(sema::taint_effect_name(t.effect))}});
  json gpus = json::array();
  for (const auto& c : cards)
    gpus.push_back({{"index", c.index}, {"model", c.model}, {"vram_bytes", c.vram_bytes}, {"reserve_bytes", c.reserve_bytes}});
  json labels = json::object();
  for (const auto& [k, v] : m.labels) labels[k] = v;
  return {{"name", m.name},
          {"arch", std::string(sema::arch_name(m.arch))},
          {"os", std::string(sema::os_name(m.os))},
          {"k3s", std::string(sema::k3s_mode_name(m.k3s))},
          {"joined", m.joined},
          {"labels", labels},
          {"taints", taints},
          {"capacity", {{"cpu_millis", m.capacity.cpu_millis}, {"memory_bytes", m.capacity.memory_bytes}}},
          {"allocatable",
           {{"cpu_millis", std::max<int64_t>(0, m.capacity.cpu_millis - m.reserved.cpu_millis)},
            {"memory_bytes", std::max<int64_t>(0, m.capacity.memory_bytes - m.reserved.memory_bytes)}}},
          {"gpus", gpus}};
}

json assignment_json(const sema::Model& model, const placement::Assignment& a) {
  const sema::Workload& w = model.workload(a.workload);
  json tolerations = json::array();
  for (const auto& t : w.tolerations)
    tolerations.push_back({{"key", t.key},
                           {"operator", t.value ? "Equal" : "Exists"},
                           {"value", t.value.value_or("")},
                           {"effect", t.effect ? std::string(sema::taint_effect_name(*t.effect)) : ""}});
  json arch = json::array();
  for (auto x : w.arch) arch.push_back(std::string(sema::arch_name(x)));
  int gpu_count = w.gpu ? w.gpu->count : 0;
  int64_t vram = w.gpu ? w.gpu->vram_bytes.value_or(0) : 0;
  return {{"workload", w.name},
          {"kind", std::string(sema::workload_kind_name(w.kind))},
          {"namespace", w.namespace_},
          {"replica", a.replica},
          {"machine", model.machine(a.machine).name},
          {"gpus", a.cards},
          {"gpu_shared", w.gpu && w.gpu->share},
          {"requests",
           {{"cpu_millis", w.requests.cpu_millis},
            {"memory_bytes", w.requests.memory_bytes},
            {"gpu_count", gpu_count},
            {"vram_per_gpu_bytes", vram}}},
          {"tolerations", tolerations},
          {"arch", arch}};
}

}  // namespace

std::string placement_json(const sema::Model& model, const placement::Placement& placed) {
  json machines = json::array();
  for (const auto& m : model.machines) machines.push_back(machine_json(m, placed.cards[m.id.value]));
  json placements = json::array();
  for (const auto& a : placed.assignments) placements.push_back(assignment_json(model, a));
  json doc = {{"machines", machines}, {"placements", placements}, {"search", placed.exact ? "exact" : "heuristic"}};
  return doc.dump(2) + "\n";
}

}  // namespace claw::emit
