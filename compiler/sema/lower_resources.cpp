// Requests, limits and reserves: what a workload asks for (what `needs`
// leaves out is assumed, and marked so), what it is limited to (only what
// is written), and what a machine keeps back (computed from its size when
// not written).
#include <fmt/format.h>

#include "compiler/k8s/reserve.h"
#include "compiler/sema/checker.h"
#include "compiler/sema/quantity_text.h"
#include "compiler/sema/stdlib_enums.h"

namespace claw::sema::detail {
namespace {

using VK = Value::Kind;

bool is_quantity(const Value& v) { return v.kind == VK::Cpu || v.kind == VK::Bytes; }

/// One resource of a machine, for the warning when nothing is left of it.
struct Shortfall {
  const char* field;  // "cpu" or "memory"
  int64_t capacity, reserved;
  bool written;
  bool known;  // the capacity and the reserve are sound values (else that was reported)
};

std::string quantity(const char* field, int64_t n) { return field[0] == 'c' ? cpu_text(n) : bytes_text(n); }

}  // namespace

void Checker::assume_needs() {
  auto it = tables_.named_types.find("resources");
  if (it == tables_.named_types.end() || !it->second->record) return;
  const RecordDef* rec = it->second->record;
  auto take = [&](std::string_view field) -> int64_t {
    const int at = rec->find(field);
    if (at < 0) return 0;
    const Value v = default_value(rec, at);
    return is_quantity(v) ? v.i : 0;
  };
  tables_.assumed_needs = Resources{take("cpu"), take("memory")};
}

void Checker::lower_requests(const Value& needs, const Value& limits, Workload& w) {
  const bool has_limits = limits.kind == VK::Record;
  const Value* cpu_limit = has_limits ? &limits.field("cpu") : nullptr;
  const Value* memory_limit = has_limits ? &limits.field("memory") : nullptr;
  if (has_limits)
    w.limits = Resources{is_quantity(*cpu_limit) ? cpu_limit->i : 0, is_quantity(*memory_limit) ? memory_limit->i : 0};
  // Each resource: as written, or assumed (never above a written limit,
  // which Kubernetes would refuse; it takes a lone limit as the request).
  auto one = [&](std::string_view field, const Value* limit, int64_t assumed, int64_t& out, bool& was_assumed) {
    const Value& need = needs.kind == VK::Record ? needs.field(field) : needs;
    const bool limited = limit && is_quantity(*limit);
    if (is_quantity(need)) {
      out = need.i;
      if (limited && need.i > limit->i)
        report(diag::Kind::NeedOverLimit, need.span,
               fmt::format("`needs.{}` ({}) is more than `limits.{}` ({})", field, quantity(field.data(), need.i), field,
                           quantity(field.data(), limit->i)))
            .note(limit->span, "the limit is set here")
            .hint("Kubernetes refuses a request above its limit: raise the limit, or lower the need");
      return;
    }
    was_assumed = true;
    out = limited ? std::min(assumed, limit->i) : assumed;
  };
  one("cpu", cpu_limit, tables_.assumed_needs.cpu_millis, w.requests.cpu_millis, w.assumed_cpu);
  one("memory", memory_limit, tables_.assumed_needs.memory_bytes, w.requests.memory_bytes, w.assumed_memory);
}

void Checker::lower_reserved(const Value& v, Machine& x) {
  const Value& reserved = v.field("reserved");
  const k8s::Reserve by_size = k8s::default_reserve(x.capacity.cpu_millis, x.capacity.memory_bytes);
  const Value* cpu = reserved.kind == VK::Record ? &reserved.field("cpu") : nullptr;
  const Value* memory = reserved.kind == VK::Record ? &reserved.field("memory") : nullptr;
  const bool cpu_written = cpu && is_quantity(*cpu), memory_written = memory && is_quantity(*memory);
  x.reserved = Resources{cpu_written ? cpu->i : by_size.cpu_millis, memory_written ? memory->i : by_size.memory_bytes};
  // A machine outside the cluster runs no pods: nothing to warn about.
  const Value& joined = v.field("joined");
  if ((joined.kind == VK::Bool && joined.i == 0) || enum_of<K3sMode>(v.field("k3s")) == K3sMode::None) return;
  const bool cpu_known = !reserved.bad() && v.field("cpu").kind == VK::Cpu && (cpu_written || !cpu || !cpu->bad());
  const bool memory_known = !reserved.bad() && v.field("memory").kind == VK::Bytes && (memory_written || !memory || !memory->bad());
  for (const Shortfall& s : {Shortfall{"cpu", x.capacity.cpu_millis, x.reserved.cpu_millis, cpu_written, cpu_known},
                             Shortfall{"memory", x.capacity.memory_bytes, x.reserved.memory_bytes, memory_written, memory_known}}) {
    if (!s.known || s.reserved < s.capacity) continue;
    const Value* written = s.field[0] == 'c' ? cpu : memory;
    auto& d = report(diag::Kind::NoAllocatable, s.written ? written->span : x.span,
                     fmt::format("machine `{}` has no allocatable {}: {} {} less {} `reserved.{}` leaves nothing for pods",
                                 x.name, s.field, quantity(s.field, s.capacity), s.field, quantity(s.field, s.reserved),
                                 s.field));
    if (s.written)
      d.hint(fmt::format("lower `reserved.{}`, or leave it out to take the default for this machine ({})", s.field,
                         quantity(s.field, s.field[0] == 'c' ? by_size.cpu_millis : by_size.memory_bytes)));
    else
      d.hint(fmt::format("the default `reserved.{}` is more than the machine has; set `reserved {{ {} = ... }}`", s.field,
                         s.field));
  }
}

}  // namespace claw::sema::detail
