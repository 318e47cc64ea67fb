// Arithmetic: negation, and + - * / on numbers, quantities and strings.
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

Value Checker::eval_unary(const Expr* e, const Want& w) {
  const Type* const T = w.type;
  const bool infer = w.infer;
  const Env* const env = w.env;
  auto* u = static_cast<const UnaryExpr*>(e);
  Value v = eval(u->operand, T, env);
  if (v.bad()) return v;
  if (v.kind == VK::Float) v.f = -v.f;
  else if (v.kind == VK::Int || v.kind == VK::Bytes || v.kind == VK::Cpu || v.kind == VK::Duration) {
    auto negated = checked_neg(v.i);
    if (!negated) return report_overflow(*sink_, e->span, program_.sources->text(e->span));
    v.i = *negated;
  } else {
    report(diag::Kind::TypeMismatch, e->span, fmt::format("cannot negate {}", describe_value(v)));
    return Value::poison(e->span);
  }
  v.span = e->span;
  if (!v.s.empty()) v.s = "-" + v.s;
  return infer ? std::move(v) : coerce(std::move(v), T, e->span);
}

Value Checker::eval_binary(const Expr* e, const Want& w) {
  const Type* const T = w.type;
  const TypeKind tk = w.kind;
  const bool infer = w.infer;
  const Env* const env = w.env;
  auto* b = static_cast<const BinaryExpr*>(e);
  bool scale = b->op == BinaryOp::Mul || b->op == BinaryOp::Div;
  // Operands are checked for their kind only; the range applies to the result.
  const Type* lt = tk == TypeKind::Any || !T ? nullptr : T;
  if (lt && (lt->lo || lt->hi || lt->optional)) {
    Type* plain = &types_.emplace_back(*lt);
    plain->lo.reset();
    plain->hi.reset();
    plain->optional = false;
    lt = plain;
  }
  // In a product either side may be the factor (`2 * base-memory`,
  // `base * count`), so operands are inferred; only a quantity literal
  // takes the expected kind, which settles what its unit means (`m`).
  auto operand = [&](const Expr* x) { return eval(x, x->kind == ExprKind::Quantity ? lt : nullptr, env); };
  Value l = operand(b->lhs);
  Value r = scale ? operand(b->rhs) : eval(b->rhs, l.bad() ? lt : nullptr, env);
  auto is_number = [](const Value& v) { return v.kind == VK::Int || v.kind == VK::Float; };
  if (b->op == BinaryOp::Mul && is_number(l) && !is_number(r) && !r.bad()) std::swap(l, r);
  if (l.bad() || r.bad()) return l.kind == VK::Unknown || r.kind == VK::Unknown ? Value::unknown(e->span) : Value::poison(e->span);
  if (!scale && r.kind != l.kind && lt == nullptr) {
    // 1GiB + 512MiB is fine; 1GiB + 5 is not.
  }
  if (!scale && l.kind == VK::String && r.kind == VK::String && b->op == BinaryOp::Add) {
    if (l.s.size() + r.s.size() > kMaxValueSize) return report_too_large(*sink_, e->span, "this string");
    Value v = make(VK::String, e->span);
    v.s = l.s + r.s;
    return infer ? std::move(v) : coerce(std::move(v), T, e->span);
  }
  bool numeric_l = l.kind == VK::Int || l.kind == VK::Float || l.kind == VK::Bytes || l.kind == VK::Cpu || l.kind == VK::Duration;
  if (!numeric_l) {
    report(diag::Kind::TypeMismatch, b->op_span, fmt::format("cannot apply `{}` to {}", b->op == BinaryOp::Add ? "+" : b->op == BinaryOp::Sub ? "-" : b->op == BinaryOp::Mul ? "*" : "/", describe_value(l)));
    return Value::poison(e->span);
  }
  if (scale) {
    if (r.kind != VK::Int && r.kind != VK::Float) {
      report(diag::Kind::TypeMismatch, b->rhs->span, fmt::format("a quantity can only be scaled by a number, not {}", describe_value(r)));
      return Value::poison(e->span);
    }
    double factor = r.kind == VK::Int ? static_cast<double>(r.i) : r.f;
    if (b->op == BinaryOp::Div && factor == 0) {
      report(diag::Kind::DivisionByZero, b->rhs->span, "division by zero");
      return Value::poison(e->span);
    }
    Value v = l;
    v.span = e->span;
    v.s.clear();
    bool mul = b->op == BinaryOp::Mul;
    if (l.kind == VK::Float || (r.kind == VK::Float && l.kind == VK::Int)) {
      double x = l.kind == VK::Float ? l.f : static_cast<double>(l.i);
      v.kind = VK::Float;
      v.f = mul ? x * factor : x / factor;
      if (!std::isfinite(v.f)) return report_overflow(*sink_, e->span, program_.sources->text(e->span));
    } else {
      // Integers and quantities stay exact: a count scales them exactly,
      // a fraction is rounded; a quantity divided by a count is rounded,
      // a number divided by a number truncated.
      std::optional<int64_t> x;
      if (r.kind == VK::Float) x = checked_round(mul ? static_cast<double>(l.i) * factor : static_cast<double>(l.i) / factor);
      else if (mul) x = checked_mul(l.i, r.i);
      else x = l.kind == VK::Int ? checked_div(l.i, r.i) : checked_div_round(l.i, r.i);
      if (!x) return report_overflow(*sink_, e->span, program_.sources->text(e->span));
      v.i = *x;
    }
    return infer ? std::move(v) : coerce(std::move(v), T, e->span);
  }
  if (r.kind == VK::Int && l.kind == VK::Cpu) {
    auto millis = checked_mul(r.i, 1000);
    if (!millis) return report_overflow(*sink_, b->rhs->span, program_.sources->text(b->rhs->span));
    r.kind = VK::Cpu;
    r.i = *millis;
  }
  if (r.kind != l.kind) {
    report(diag::Kind::TypeMismatch, b->op_span, fmt::format("cannot combine {} and {}", describe_value(l), describe_value(r)));
    return Value::poison(e->span);
  }
  Value v = l;
  v.span = e->span;
  v.s.clear();
  if (l.kind == VK::Float) {
    v.f = b->op == BinaryOp::Add ? l.f + r.f : l.f - r.f;
    if (!std::isfinite(v.f)) return report_overflow(*sink_, e->span, program_.sources->text(e->span));
  } else {
    auto x = b->op == BinaryOp::Add ? checked_add(l.i, r.i) : checked_sub(l.i, r.i);
    if (!x) return report_overflow(*sink_, e->span, program_.sources->text(e->span));
    v.i = *x;
  }
  return infer ? std::move(v) : coerce(std::move(v), T, e->span);
}

}  // namespace claw::sema::detail
