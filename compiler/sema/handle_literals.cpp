// Literals: numbers, quantities with units, strings (with their interpolations and the string-typed checks: taints, schedules), booleans and null.
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

Value Checker::eval_int(const Expr* e, const Want& w) {
  const Type* const T = w.type;
  const TypeKind tk = w.kind;
  const bool infer = w.infer;
  auto* x = static_cast<const IntExpr*>(e);
  if (tk == TypeKind::Bytes) {
    report(diag::Kind::MissingUnit, e->span, fmt::format("`{}` has no unit; a size needs one", x->value))
        .hint(fmt::format("did you mean {}{}?", x->value, x->value > 4096 ? "MiB" : "GiB"))
        .fixit(e->span, fmt::format("{}{}", x->value, x->value > 4096 ? "MiB" : "GiB"));
    return Value::poison(e->span);
  }
  if (tk == TypeKind::Duration) {
    report(diag::Kind::MissingUnit, e->span, fmt::format("`{}` has no unit; a duration needs one", x->value))
        .hint(fmt::format("did you mean {}s?", x->value))
        .fixit(e->span, fmt::format("{}s", x->value));
    return Value::poison(e->span);
  }
  if (tk == TypeKind::String) {
    report(diag::Kind::TypeMismatch, e->span, fmt::format("expected a string, found the number {}", x->value))
        .hint(fmt::format("write \"{}\"", x->value));
    return Value::poison(e->span);
  }
  Value v = make(VK::Int, e->span);
  v.i = x->value;
  if (tk == TypeKind::Any && !infer) {
    return v;
  }
  return infer ? std::move(v) : coerce(std::move(v), T, e->span);
}

Value Checker::eval_float(const Expr* e, const Want& w) {
  const Type* const T = w.type;
  const TypeKind tk = w.kind;
  const bool infer = w.infer;
  Value v = make(VK::Float, e->span);
  v.f = static_cast<const FloatExpr*>(e)->value;
  if (tk == TypeKind::Bytes || tk == TypeKind::Duration) {
    report(diag::Kind::MissingUnit, e->span, fmt::format("`{}` has no unit", v.f))
        .hint(tk == TypeKind::Bytes ? "sizes are written like 1.5GiB" : "durations are written like 1.5s");
    return Value::poison(e->span);
  }
  if (tk == TypeKind::Int) return mismatch(e, T, "a number with a fraction");
  return infer || tk == TypeKind::Any ? std::move(v) : coerce(std::move(v), T, e->span);
}

Value Checker::eval_quantity(const Expr* e, const Want& w) {
  const Type* const T = w.type;
  const TypeKind tk = w.kind;
  const bool infer = w.infer;
  auto* q = static_cast<const QuantityExpr*>(e);
  auto text = program_.sources->text(e->span);
  auto kinds = kinds_of_unit(q->unit);
  if (kinds.empty()) {
    std::vector<std::string_view> cands;
    TypeKind want = (tk == TypeKind::Bytes || tk == TypeKind::Cpu || tk == TypeKind::Duration) ? tk : TypeKind::Error;
    for (TypeKind k : {TypeKind::Bytes, TypeKind::Cpu, TypeKind::Duration})
      if (want == TypeKind::Error || want == k)
        for (auto u : units_of(k)) cands.push_back(u);
    auto& d = report(diag::Kind::UnknownUnit, q->unit_span, fmt::format("unknown unit `{}`", q->unit));
    if (auto s = diag::did_you_mean(q->unit, cands)) {
      d.hint(fmt::format("did you mean `{}`?", *s));
      d.fixit(q->unit_span, *s);
    } else if (want != TypeKind::Error) {
      std::string list;
      for (auto u : units_of(want)) list += (list.empty() ? "" : ", ") + std::string(u);
      d.hint(fmt::format("{} units are {}", quantity_kind_name(want), list));
    }
    return Value::poison(e->span);
  }
  if (!infer && (tk == TypeKind::Any || tk == TypeKind::EnvValue)) {
    // Open values (chart values, env) keep the quantity as written.
    Value v = make(VK::String, e->span);
    v.s = std::string(text);
    return v;
  }
  TypeKind want = tk;
  if (infer) {
    if (kinds.size() > 1) {
      auto& d = report(diag::Kind::TypeMismatch, e->span, fmt::format("`{}` could be cpu (millicores) or a duration (minutes)", text));
      if (current_let_)
        d.hint(fmt::format("give the `let` a type: `let {0}: cpu = {1}` or `let {0}: duration = {1}`", current_let_->name.text, text));
      else
        d.hint("use it where a cpu or a duration is expected");
      return Value::poison(e->span);
    }
    want = kinds[0];
  }
  if (want != TypeKind::Bytes && want != TypeKind::Cpu && want != TypeKind::Duration) {
    if (want == TypeKind::String)
      report(diag::Kind::TypeMismatch, e->span, fmt::format("expected a string, found the quantity {}", text))
          .hint(fmt::format("write \"{}\"", text));
    else
      mismatch(e, T, fmt::format("the {} quantity {}", quantity_kind_name(kinds[0]), text));
    return Value::poison(e->span);
  }
  auto factor = unit_factor(want, q->unit);
  if (!factor) {
    auto& d = report(diag::Kind::WrongUnitKind, e->span,
                     fmt::format("`{}` is {}, but {} is expected", text,
                                 kinds[0] == TypeKind::Cpu ? "cpu (millicores)" : quantity_kind_name(kinds[0]),
                                 quantity_kind_name(want)));
    if (want == TypeKind::Bytes && q->unit == "m") d.hint(fmt::format("did you mean {}Mi or {}MiB?", q->number, q->number));
    else if (want == TypeKind::Cpu) d.hint(fmt::format("cpu is written in cores (`2`, `0.5`) or millicores (`500m`)"));
    return Value::poison(e->span);
  }
  Value v = make(want == TypeKind::Bytes ? VK::Bytes : want == TypeKind::Cpu ? VK::Cpu : VK::Duration, e->span);
  auto scaled = checked_round(q->number * *factor);
  if (!scaled) {
    report(diag::Kind::NumberTooLarge, e->span, fmt::format("`{}` is too large", text))
        .hint("a quantity is at most 9223372036854775807 bytes, millicores or milliseconds");
    return Value::poison(e->span);
  }
  v.i = *scaled;
  return v;
}

Value Checker::eval_string(const Expr* e, const Want& w) {
  const Type* const T = w.type;
  const TypeKind tk = w.kind;
  const bool infer = w.infer;
  const Env* const env = w.env;
  auto* s = static_cast<const StringExpr*>(e);
  Value v = make(VK::String, e->span);
  bool bad = false;
  for (const auto& p : s->parts) {
    if (!p.expr) {
      if (v.s.size() + p.text.size() > kMaxValueSize) return report_too_large(*sink_, e->span, "this string");
      v.s += p.text;
      continue;
    }
    std::optional<Value> ref = tk == TypeKind::EnvValue ? workload_ref(p.expr, env) : std::nullopt;
    Value part = ref ? std::move(*ref) : eval(p.expr, nullptr, env);
    if (part.kind == VK::Unknown) {
      bad = true;
      continue;
    }
    if (part.kind == VK::Poison) {
      bad = true;
      continue;
    }
    if (part.kind == VK::SecretRef) {
      report(diag::Kind::InlineSecret, p.expr->span, "a secret cannot be interpolated into a string")
          .hint("pass the secret as its own value, e.g. an env entry `KEY = secret(\"NAME\")`");
      return Value::poison(e->span);
    }
    if (part.kind == VK::List || part.kind == VK::Map || part.kind == VK::Record || part.kind == VK::Null) {
      report(diag::Kind::TypeMismatch, p.expr->span,
             fmt::format("cannot interpolate {} into a string", describe_value(part)));
      return Value::poison(e->span);
    }
    std::string text = value_text(part);
    if (v.s.size() + text.size() > kMaxValueSize) return report_too_large(*sink_, e->span, "this string");
    v.s += text;
  }
  if (bad) return Value::unknown(e->span);
  if (infer || tk == TypeKind::Any || tk == TypeKind::String || tk == TypeKind::EnvValue) return v;
  if (tk == TypeKind::Taint || tk == TypeKind::Toleration) {
    // key[=value][:Effect]
    std::string_view t = v.s;
    auto colon = t.rfind(':');
    std::string_view kv = colon == std::string_view::npos ? t : t.substr(0, colon);
    std::string_view effect = colon == std::string_view::npos ? std::string_view{} : t.substr(colon + 1);
    auto eq = kv.find('=');
    std::string_view key = kv.substr(0, eq);
    bool ok = !key.empty();
    for (char c : key) ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_' || c == '/');
    if (!ok) {
      report(diag::Kind::BadTaint, e->span, fmt::format("`{}` is not a valid {} key", key, type_name(T)))
          .hint("a taint is written \"key=value:Effect\", e.g. \"node-role=storage:NoSchedule\"");
      return Value::poison(e->span);
    }
    if (tk == TypeKind::Taint && effect.empty()) {
      report(diag::Kind::BadTaint, e->span, fmt::format("taint \"{}\" has no effect", v.s))
          .hint(fmt::format("add one of NoSchedule, PreferNoSchedule, NoExecute: \"{}:NoSchedule\"", v.s));
      return Value::poison(e->span);
    }
    if (!effect.empty() && effect != "NoSchedule" && effect != "PreferNoSchedule" && effect != "NoExecute") {
      auto& d = report(diag::Kind::BadTaint, e->span, fmt::format("unknown taint effect `{}`", effect));
      if (auto sug = diag::did_you_mean(effect, {"NoSchedule", "PreferNoSchedule", "NoExecute"}))
        d.hint(fmt::format("did you mean `{}`?", *sug));
      else
        d.hint("the effects are NoSchedule, PreferNoSchedule and NoExecute");
      return Value::poison(e->span);
    }
    return v;
  }
  if (tk == TypeKind::Schedule) {
    if (auto problem = schedule_problem(v.s); !problem.empty()) {
      report(diag::Kind::BadSchedule, e->span, fmt::format("\"{}\" is not a cron schedule: {}", v.s, problem))
          .hint("a schedule has five fields: minute hour day-of-month month day-of-week, e.g. \"0 3 * * *\"");
      return Value::poison(e->span);
    }
    return v;
  }
  if (tk == TypeKind::Enum) {
    report(diag::Kind::TypeMismatch, e->span, fmt::format("expected {}, found a string", type_name(T)))
        .hint(fmt::format("enum values are written without quotes: {}", s->literal() ? std::string(*s->literal()) : "..."));
    return Value::poison(e->span);
  }
  if (tk == TypeKind::Ref) {
    report(diag::Kind::TypeMismatch, e->span, fmt::format("expected a {} reference, found a string", ref_kind_name(T->ref)))
        .hint(fmt::format("write the name without quotes: {}", s->literal() ? std::string(*s->literal()) : "..."));
    return Value::poison(e->span);
  }
  if (tk == TypeKind::Bytes || tk == TypeKind::Cpu || tk == TypeKind::Duration) {
    report(diag::Kind::TypeMismatch, e->span, fmt::format("expected {}, found a string", type_name(T)))
        .hint(fmt::format("write the quantity without quotes: {}", v.s));
    return Value::poison(e->span);
  }
  return coerce(std::move(v), T, e->span);
}

Value Checker::eval_bool(const Expr* e, const Want& w) {
  const Type* const T = w.type;
  const TypeKind tk = w.kind;
  const bool infer = w.infer;
  Value v = make(VK::Bool, e->span);
  v.i = static_cast<const BoolExpr*>(e)->value ? 1 : 0;
  return infer || tk == TypeKind::Any ? std::move(v) : coerce(std::move(v), T, e->span);
}

Value Checker::eval_null(const Expr* e, const Want& w) {
  const Type* const T = w.type;
  const TypeKind tk = w.kind;
  const bool infer = w.infer;
  Value v = make(VK::Null, e->span);
  return infer || tk == TypeKind::Any ? std::move(v) : coerce(std::move(v), T, e->span);
}

}  // namespace claw::sema::detail
