// Hover texts, in markdown, from the index and placement's result.
#include "compiler/lsp/hover.h"

#include <fmt/format.h>

#include "compiler/sema/quantity_text.h"
#include "compiler/sema/units.h"

namespace claw::lsp {
namespace {

/// The unit line of a quantity type: the units it is written in.
std::string unit_line(const sema::Type* type) {
  while (type && (type->kind == sema::TypeKind::List || type->kind == sema::TypeKind::Map)) type = type->elem;
  if (!type) return "";
  switch (type->kind) {
    case sema::TypeKind::Bytes:
    case sema::TypeKind::Cpu:
    case sema::TypeKind::Duration: {
      std::string units;
      for (auto u : sema::detail::units_of(type->kind)) units += fmt::format("{}`{}`", units.empty() ? "" : ", ", u);
      return fmt::format("\n\nunit: {} ({})", sema::detail::quantity_kind_name(type->kind), units);
    }
    default: return "";
  }
}

std::string field_hover(const Analysis& a, const sema::FieldUse& f) {
  const sema::FieldDef& def = f.record->fields[static_cast<size_t>(f.field)];
  std::string out = fmt::format("```claw\n{}: {}\n```\nfield of `{}`", def.name, sema::type_name(def.type), f.record->name);
  out += unit_line(def.type);
  if (def.default_expr) out += fmt::format("\n\ndefault: `{}`", a.sources().text(def.default_expr->span));
  return out;
}

bool declares(const sema::Symbol& s, source::Span model_span) {
  return model_span.file == s.decl_span.file && s.decl_span.begin <= model_span.begin && model_span.begin <= s.decl_span.end;
}

std::string cards_text(const std::vector<int>& cards) {
  if (cards.empty()) return "";
  std::string out;
  for (int c : cards) out += fmt::format("{}{}", out.empty() ? "" : ", ", c);
  return fmt::format(" (GPU card{} {})", cards.size() == 1 ? "" : "s", out);
}

/// What placement holds a workload to: its requests and the hard
/// constraints it declared (the why of where it runs, as data).
std::string workload_needs(const sema::Model& model, const sema::Workload& w) {
  std::string out = fmt::format("\n\nneeds per replica: cpu {}, memory {}", sema::cpu_text(w.requests.cpu_millis),
                                sema::bytes_text(w.requests.memory_bytes));
  if (w.gpu)
    out += fmt::format("; GPU: {} card{}{}{}", w.gpu->count, w.gpu->count == 1 ? "" : "s",
                       w.gpu->vram_bytes ? fmt::format(" of at least {} VRAM", sema::bytes_text(*w.gpu->vram_bytes)) : "",
                       w.gpu->share ? ", shared" : "");
  std::string arch;
  for (auto x : w.arch) arch += fmt::format("{}{}", arch.empty() ? "" : " or ", sema::arch_name(x));
  if (!arch.empty()) out += fmt::format("\n\nonly on {} machines", arch);
  if (w.on) out += fmt::format("\n\npinned: `on = {}`", model.machine(*w.on).name);
  if (w.tolerate_all) out += "\n\ntolerates every taint";
  for (const auto& t : w.tolerations)
    out += fmt::format("\n\ntolerates `{}{}{}`", t.key, t.value ? "=" + *t.value : "",
                       t.effect ? fmt::format(":{}", sema::taint_effect_name(*t.effect)) : "");
  return out;
}

/// Where placement put each replica of the workload `s` declares, and what
/// held it there.
std::string workload_placement(const Analysis& a, const sema::Symbol& s) {
  const auto& model = a.compiled().checked->model;
  const placement::Result* placed = a.compiled().placed.get();
  for (const auto& w : model.workloads) {
    if (w.name != s.name || !declares(s, w.span)) continue;
    if (!placed) return workload_needs(model, w) + "\n\nplacement: not placed (the program has errors)";
    std::string out;
    for (const auto& asg : placed->placement.assignments)
      if (asg.workload == w.id)
        out += fmt::format("\n- replica {}: machine `{}`{}", asg.replica, model.machine(asg.machine).name, cards_text(asg.cards));
    return workload_needs(model, w) + (out.empty() ? "\n\nplacement: no replica placed" : "\n\nplacement:" + out);
  }
  return "";
}

/// A machine's capacity, and what placement runs on it.
std::string machine_use(const Analysis& a, const sema::Symbol& s) {
  const auto& model = a.compiled().checked->model;
  for (const auto& m : model.machines) {
    if (m.name != s.name || !declares(s, m.span)) continue;
    std::string out = fmt::format("\n\ncapacity: cpu {}, memory {}", sema::cpu_text(m.capacity.cpu_millis),
                                  sema::bytes_text(m.capacity.memory_bytes));
    for (const auto& g : m.gpus) out += fmt::format(", GPU {} x {}", g.model, g.count);
    const placement::Result* placed = a.compiled().placed.get();
    if (!placed) return out + "\n\nruns: unknown (the program has errors)";
    std::string runs;
    for (const auto& asg : placed->placement.assignments)
      if (asg.machine == m.id)
        runs += fmt::format("\n- `{}` replica {}{}", model.workload(asg.workload).name, asg.replica, cards_text(asg.cards));
    const auto& use = placed->placement.use[m.id.value];
    out += fmt::format("\n\nallocatable: cpu {}, memory {}; used: cpu {}, memory {}", sema::cores_text(use.cpu_allocatable),
                       sema::bytes_text(use.memory_allocatable), sema::cores_text(use.cpu_used), sema::bytes_text(use.memory_used));
    return out + (runs.empty() ? "\n\nruns: nothing" : "\n\nruns:" + runs);
  }
  return "";
}

std::string symbol_hover(const Analysis& a, const sema::Symbol& s) {
  std::string out = fmt::format("```claw\n{} {}\n```", sema::symbol_kind_name(s.kind), s.name);
  if (!s.detail.empty()) out += fmt::format("\n{}", s.detail);
  if (s.kind == sema::SymbolKind::Workload) out += workload_placement(a, s);
  if (s.kind == sema::SymbolKind::Machine) out += machine_use(a, s);
  return out;
}

nlohmann::json markdown(std::string value, const Analysis& a, source::Span span) {
  return {{"contents", {{"kind", "markdown"}, {"value", std::move(value)}}}, {"range", a.range(span)}};
}

}  // namespace

nlohmann::json hover(const Analysis& a, Target t) {
  const sema::Index& index = a.index();
  if (const sema::FieldUse* f = index.field_at(t.file, t.offset)) return markdown(field_hover(a, *f), a, f->span);
  if (auto s = symbol_at(index, t)) return markdown(symbol_hover(a, index.symbol(*s)), a, *name_span_at(index, t));
  return nullptr;
}

}  // namespace claw::lsp
