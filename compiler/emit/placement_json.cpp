#include "compiler/emit/placement_json.h"

#include <algorithm>

#include "compiler/emit/json_writer.h"
#include "compiler/sema/pod_model.h"

#include "compiler/emit/node_labels.h"

namespace claw::emit {
namespace {

// Members in key order throughout, as readers of the contract (and diffs)
// expect sorted keys.

void cpu_memory(JsonWriter& j, int64_t cpu_millis, int64_t memory_bytes) {
  j.begin_object();
  j.key("cpu_millis");
  j.value(cpu_millis);
  j.key("memory_bytes");
  j.value(memory_bytes);
  j.end_object();
}

void machine_json(JsonWriter& j, const sema::Machine& m, const std::vector<placement::Card>& cards, const TimeSlicing& slicing) {
  j.begin_object();
  j.key("allocatable");
  cpu_memory(j, std::max<int64_t>(0, m.capacity.cpu_millis - m.reserved.cpu_millis),
             std::max<int64_t>(0, m.capacity.memory_bytes - m.reserved.memory_bytes));
  j.key("arch");
  j.value(sema::arch_name(m.arch));
  j.key("capacity");
  cpu_memory(j, m.capacity.cpu_millis, m.capacity.memory_bytes);
  j.key("gpus");
  j.begin_array();
  for (const auto& c : cards) {
    j.begin_object();
    j.key("index");
    j.value(c.index);
    j.key("model");
    j.value(c.model);
    j.key("reserve_bytes");
    j.value(c.reserve_bytes);
    j.key("vram_bytes");
    j.value(c.vram_bytes);
    j.end_object();
  }
  j.end_array();
  j.key("joined");
  j.value(m.joined);
  j.key("k3s");
  j.value(sema::k3s_mode_name(m.k3s));
  j.key("labels");
  j.begin_object();
  for (const auto& [k, v] : node_labels(m, slicing.node_labels(m.name))) {
    j.key(k);
    j.value(v);
  }
  j.end_object();
  j.key("name");
  j.value(m.name);
  j.key("os");
  j.value(sema::os_name(m.os));
  j.key("taints");
  j.begin_array();
  for (const auto& t : m.taints) {
    j.begin_object();
    j.key("effect");
    j.value(sema::taint_effect_name(t.effect));
    j.key("key");
    j.value(t.key);
    j.key("value");
    j.value(t.value);
    j.end_object();
  }
  j.end_array();
  j.end_object();
}

void assignment_json(JsonWriter& j, const sema::Model& model, const placement::Assignment& a) {
  const sema::Workload& w = model.workload(a.workload);
  j.begin_object();
  j.key("arch");
  j.begin_array();
  for (auto x : w.arch) j.value(sema::arch_name(x));
  j.end_array();
  j.key("gpu_shared");
  j.value(w.gpu && w.gpu->share);
  j.key("gpus");
  j.begin_array();
  for (int c : a.cards) j.value(c);
  j.end_array();
  j.key("kind");
  j.value(sema::workload_kind_name(w.kind));
  j.key("machine");
  j.value(model.machine(a.machine).name);
  j.key("namespace");
  j.value(w.namespace_);
  j.key("replica");
  j.value(a.replica);
  j.key("requests");
  j.begin_object();
  j.key("cpu_millis");
  j.value(sema::pod_requests(w).cpu_millis);  // sidecars' and init containers' included
  j.key("gpu_count");
  j.value(w.gpu ? w.gpu->count : 0);
  j.key("memory_bytes");
  j.value(sema::pod_requests(w).memory_bytes);
  j.key("vram_per_gpu_bytes");
  j.value(w.gpu ? w.gpu->vram_bytes.value_or(0) : int64_t{0});
  j.end_object();
  j.key("tolerations");
  j.begin_array();
  for (const auto& t : w.tolerations) {
    j.begin_object();
    j.key("effect");
    j.value(t.effect ? sema::taint_effect_name(*t.effect) : std::string_view());
    j.key("key");
    j.value(t.key);
    j.key("operator");
    j.value(t.value ? "Equal" : "Exists");
    j.key("value");
    j.value(t.value.value_or(""));
    j.end_object();
  }
  j.end_array();
  j.key("workload");
  j.value(w.name);
  j.end_object();
}

}  // namespace

std::string placement_json(const sema::Model& model, const placement::Placement& placed, const TimeSlicing& slicing) {
  std::string out;
  // Each entry takes about 600 bytes; reserving more costs only address
  // space, growing costs a copy of the whole text.
  out.reserve(1024 * (placed.assignments.size() + model.machines.size()));
  JsonWriter j(out);
  j.begin_object();
  j.key("machines");
  j.begin_array();
  for (const auto& m : model.machines) machine_json(j, m, placed.cards[m.id.value], slicing);
  j.end_array();
  j.key("placements");
  j.begin_array();
  for (const auto& a : placed.assignments) assignment_json(j, model, a);
  j.end_array();
  j.key("search");
  j.value(placement::search_name(placed.search));
  j.end_object();
  out += '\n';
  return out;
}

}  // namespace claw::emit
