// Aggregates: typed records (`probe { ... }`), lists and blocks.
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

Value Checker::eval_typed_record(const Expr* e, const Want& w) {
  const Type* const T = w.type;
  const TypeKind tk = w.kind;
  const bool infer = w.infer;
  const Env* const env = w.env;
  auto* r = static_cast<const TypedRecordExpr*>(e);
  auto it = tables_.named_types.find(r->type.text);
  if (it == tables_.named_types.end() || it->second->kind != TypeKind::Record) {
    std::vector<std::string_view> cands;
    for (auto& [k, t] : tables_.named_types)
      if (t->kind == TypeKind::Record && (tk != TypeKind::Record || t->record->is_a(T->record))) cands.push_back(k);
    std::sort(cands.begin(), cands.end());
    auto& d = report(diag::Kind::UnknownType, r->type.span, fmt::format("unknown record type `{}`", r->type.text));
    if (auto s = diag::did_you_mean(r->type.text, cands)) d.hint(fmt::format("did you mean `{}`?", *s));
    return Value::poison(e->span);
  }
  const RecordDef* rec = it->second->record;
  note_ref(r->type.span, SymbolKind::Type, r->type.text);
  if (tk == TypeKind::Record && !rec->is_a(T->record)) {
    std::vector<std::string> kinds;
    for (const auto& def : *tables_.all_records)
      if (def.is_a(T->record) && &def != T->record) kinds.push_back(def.name);
    std::sort(kinds.begin(), kinds.end());
    std::string list;
    for (auto& k : kinds) list += (list.empty() ? "" : ", ") + k;
    report(diag::Kind::TypeMismatch, r->type.span, fmt::format("`{}` is not a kind of `{}`", rec->name, T->record->name))
        .hint(list.empty() ? std::string("") : fmt::format("`{}` is one of: {}", T->record->name, list));
    return Value::poison(e->span);
  }
  if (!(infer || tk == TypeKind::Any || tk == TypeKind::Record)) return mismatch(e, T, fmt::format("a `{}` record", rec->name));
  std::vector<MemberRef> members;
  members.reserve(r->block->members.size());
  for (const auto& m : r->block->members) members.push_back(MemberRef{&m, 0, env});
  note_expected(r->block->span, nullptr, rec);
  return eval_record(members, rec, e->span, r->block->has_error);
}

Value Checker::eval_list(const Expr* e, const Want& w) {
  const Type* const T = w.type;
  const TypeKind tk = w.kind;
  const bool infer = w.infer;
  const Env* const env = w.env;
  auto* l = static_cast<const ListExpr*>(e);
  const Type* elem = nullptr;
  if (tk == TypeKind::List) elem = T->elem;
  else if (tk == TypeKind::Any) elem = any_type();
  else if (!infer) return mismatch(e, T, "a list");
  Value v = make(VK::List, e->span);
  v.items = std::make_shared<std::vector<Value>>();
  v.items->reserve(l->items.size());
  SizeTally size;
  for (const Expr* item : l->items) {
    Value x = eval(item, elem, env);
    v.items->push_back(elem ? coerce(std::move(x), elem, item->span) : std::move(x));
    // An item in error (reported) makes the list one too, rather than a
    // short list that a chain of lets doubles past the bound again.
    if (v.items->back().kind == VK::Poison) return Value::poison(e->span);
    if (!size.add(value_size(v.items->back()))) return report_too_large(*sink_, e->span, "this list");
  }
  size.seal(v);
  return v;
}

Value Checker::eval_block(const Expr* e, const Want& w) {
  const Type* const T = w.type;
  const bool infer = w.infer;
  const Env* const env = w.env;
  auto* r = static_cast<const RecordExpr*>(e);
  std::vector<MemberRef> members;
  members.reserve(r->block->members.size());
  for (const auto& m : r->block->members) members.push_back(MemberRef{&m, 0, env});
  if (!infer) note_expected(r->block->span, T);
  return eval_members(members, infer ? any_type() : T, e->span, r->block->has_error);
}

}  // namespace claw::sema::detail
