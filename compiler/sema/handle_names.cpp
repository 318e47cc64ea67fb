// Names: a reference to a parameter, an enum value, a declaration or a let; a field of a record; an entry of a list or a map.
// One handler per kind of expression, called by Checker::eval
// (checker_eval.cpp) with what is expected of it.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <span>

#include "compiler/sema/arith.h"
#include "compiler/sema/checker.h"
#include "compiler/sema/eval_support.h"
#include "compiler/sema/field_hint.h"
#include "compiler/sema/limits.h"
#include "compiler/sema/secret_rule.h"
#include "compiler/sema/units.h"

namespace claw::sema::detail {

using namespace syntax;

Value Checker::eval_ref(const Expr* e, const Want& w) {
  const Type* const T = w.type;
  const TypeKind tk = w.kind;
  const bool infer = w.infer;
  const Env* const env = w.env;
  auto* r = static_cast<const RefExpr*>(e);
  const std::string& n = r->name.text;
  if (env)
    if (const Value* p = env->find(n)) {
      note_ref(e->span, SymbolKind::Param, n, env->owner_of(n));
      if (!count_copy(*p, e->span)) return Value::poison(e->span);
      Value v = *p;
      if (v.kind == VK::Unknown) return Value::unknown(e->span);
      return infer ? std::move(v) : coerce(std::move(v), T, e->span);
    }
  if (tk == TypeKind::Enum) {
    int i = T->enum_def->find(n);
    if (i >= 0) {
      note_ref(e->span, SymbolKind::EnumValue, n, T->enum_def->name);
      Value v = make(VK::Enum, e->span);
      v.enum_def = T->enum_def;
      v.i = i;
      return v;
    }
  }
  if (tk == TypeKind::Ref) {
    if (T->ref == RefKind::Cluster) {
      if (!tables_.clusters.empty() && tables_.clusters[0].item->name.text == n) {
        note_ref(e->span, SymbolKind::Cluster, n);
        Value v = make(VK::Ref, e->span);
        v.ref = RefKind::Cluster;
        v.s = n;
        return v;
      }
    } else if (names(T->ref)->count(n)) {
      note_ref(e->span, symbol_kind_of(T->ref), n);
      Value v = make(VK::Ref, e->span);
      v.ref = T->ref;
      v.s = n;
      return v;
    }
  }
  if (auto it = tables_.lets.find(n); it != tables_.lets.end()) {
    note_ref(e->span, SymbolKind::Let, n);
    Value v = eval_let(it->second, e->span);
    if (!count_copy(v, e->span)) return Value::poison(e->span);
    return infer ? std::move(v) : coerce(std::move(v), T, e->span);
  }
  if (tk == TypeKind::Enum) {
    std::vector<std::string_view> cands(T->enum_def->values.begin(), T->enum_def->values.end());
    auto& d = report(diag::Kind::UnknownEnumValue, e->span, fmt::format("`{}` is not a value of `{}`", n, T->enum_def->name));
    if (auto s = diag::did_you_mean(n, cands)) {
      d.hint(fmt::format("did you mean `{}`?", *s));
      d.fixit(e->span, *s);
    } else {
      std::string list;
      for (auto c : cands) list += (list.empty() ? "" : ", ") + std::string(c);
      d.hint(fmt::format("`{}` is one of: {}", T->enum_def->name, list));
    }
    return Value::poison(e->span);
  }
  if (tk == TypeKind::Ref && T->ref != RefKind::Cluster) {
    std::vector<std::string_view> cands;
    for (auto& [k, _] : *names(T->ref)) cands.push_back(k);
    std::sort(cands.begin(), cands.end());
    auto& d = report(diag::Kind::UndeclaredReference, e->span,
                     fmt::format("no {} named `{}` is declared", ref_kind_name(T->ref), n));
    if (auto s = diag::did_you_mean(n, cands)) {
      d.hint(fmt::format("did you mean `{}`?", *s));
      d.fixit(e->span, *s);
    }
    return Value::poison(e->span);
  }
  if (infer || tk == TypeKind::Any) {
    // A bare name in an open context: an enum value, if exactly one enum has it.
    const EnumDef* found = nullptr;
    int idx = -1, hits = 0;
    for (const auto& en : *tables_.all_enums)
      if (int i = en.find(n); i >= 0) {
        found = &en;
        idx = i;
        ++hits;
      }
    if (hits == 1) {
      note_ref(e->span, SymbolKind::EnumValue, n, found->name);
      Value v = make(VK::Enum, e->span);
      v.enum_def = found;
      v.i = idx;
      return v;
    }
  }
  // One value of the enum a list is of (`arch = amd64` for `arch: [arch]`):
  // the list was meant.
  if (tk == TypeKind::List && T->elem && T->elem->kind == TypeKind::Enum && T->elem->enum_def->find(n) >= 0) {
    report(diag::Kind::TypeMismatch, e->span,
           fmt::format("expected {}, found the `{}` value `{}` alone", type_name(T), T->elem->enum_def->name, n))
        .hint(fmt::format("write a list: `[{}]`", n))
        .fixit(e->span, fmt::format("[{}]", n));
    return Value::poison(e->span);
  }
  std::vector<std::string_view> cands;
  if (env)
    for (const Env* x = env; x; x = x->parent)
      for (auto& [k, _] : x->vars) cands.push_back(k);
  for (auto& [k, _] : tables_.lets) cands.push_back(k);
  std::sort(cands.begin(), cands.end());
  auto& d = report(diag::Kind::UnknownName, e->span, fmt::format("unknown name `{}`", n));
  if (tables_.workload_names.count(n))
    d.hint(fmt::format("`{0}` is a workload: an `env` value may use its address, `{0}.host`, `{0}.port.NAME` or `{0}.url`", n));
  else if (auto s = diag::did_you_mean(n, cands)) d.hint(fmt::format("did you mean `{}`?", *s));
  else if (auto near = did_you_mean_workload(n)) d.hint(fmt::format("did you mean the workload `{}`?", *near));
  else if (tk == TypeKind::String || tk == TypeKind::Any || tk == TypeKind::EnvValue)
    d.hint(fmt::format("if you meant the text, quote it: \"{}\"", n));
  return Value::poison(e->span);
}

Value Checker::eval_field(const Expr* e, const Want& w) {
  const Type* const T = w.type;
  const TypeKind tk = w.kind;
  const bool infer = w.infer;
  const Env* const env = w.env;
  if (tk == TypeKind::EnvValue)
    if (auto ref = workload_ref(e, env)) return std::move(*ref);
  auto* f = static_cast<const FieldExpr*>(e);
  Value base = eval(f->base, nullptr, env);
  if (base.bad()) return base.kind == VK::Unknown ? Value::unknown(e->span) : Value::poison(e->span);
  const Value* got = nullptr;
  if (base.kind == VK::Record && base.record->find(f->field.text) >= 0) got = &base.field(f->field.text);
  else if (base.kind == VK::Map) got = base.entry(f->field.text);
  if (!got) {
    auto& d = report(diag::Kind::UnknownField, f->field.span,
                     fmt::format("{} has no field `{}`", describe_value(base), f->field.text));
    if (base.kind == VK::Record) hint_unknown_field(d, f->field.text, f->field.span, *base.record);
    return Value::poison(e->span);
  }
  Value v = *got;
  v.span = e->span;
  return infer ? std::move(v) : coerce(std::move(v), T, e->span);
}

Value Checker::eval_index(const Expr* e, const Want& w) {
  const Type* const T = w.type;
  const bool infer = w.infer;
  const Env* const env = w.env;
  auto* x = static_cast<const IndexExpr*>(e);
  Value base = eval(x->base, nullptr, env);
  Value idx = eval(x->index, nullptr, env);
  if (base.bad() || idx.bad()) return Value::poison(e->span);
  if (base.kind == VK::List && idx.kind == VK::Int) {
    if (idx.i < 0 || static_cast<size_t>(idx.i) >= base.items->size()) {
      report(diag::Kind::OutOfRange, x->index->span,
             fmt::format("index {} is out of range: the list has {} item{}", idx.i, base.items->size(),
                         base.items->size() == 1 ? "" : "s"));
      return Value::poison(e->span);
    }
    Value v = (*base.items)[static_cast<size_t>(idx.i)];
    return infer ? std::move(v) : coerce(std::move(v), T, e->span);
  }
  if (base.kind == VK::Map && idx.kind == VK::String) {
    if (const Value* v = base.entry(idx.s)) return infer ? *v : coerce(*v, T, e->span);
    report(diag::Kind::UnknownField, x->index->span, fmt::format("no entry \"{}\"", idx.s));
    return Value::poison(e->span);
  }
  report(diag::Kind::TypeMismatch, e->span, fmt::format("cannot index {} with {}", describe_value(base), describe_value(idx)));
  return Value::poison(e->span);
}

}  // namespace claw::sema::detail
