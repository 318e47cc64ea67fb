// Evaluating expressions against the type they are expected to have, and
// blocks against record and map types.
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
using VK = Value::Kind;

namespace {




// Counts a level of evaluation (an expression, a block) while it lasts.
struct DepthGuard {
  int& d;
  explicit DepthGuard(int& depth) : d(depth) { ++d; }
  ~DepthGuard() { --d; }
};

// Up to this many labels in a group are checked for repeats directly.
constexpr size_t kFewLabels = 16;

// Groups members by key without a container per group: each member gets a
// (group, form) tag, then one counting sort lays them out contiguously. With
// `keep_blocks`, also notes each `key { ... }` block and its group (for the
// index).
void group_members(std::span<const MemberRef> members, bool& incomplete, Grouped& out, bool keep_blocks) {
  auto& tagged = out.tagged;
  auto& keys = out.keys;
  tagged.clear();
  keys.clear();
  out.blocks.clear();
  for (const auto& ref : members) {
    const Member& m = *ref.m;
    if (m.has_error || m.path.size() <= ref.depth) {
      incomplete = true;
      continue;
    }
    const Name& k = m.path[ref.depth];
    // Blocks are small: a linear search beats hashing every key.
    uint32_t g = 0;
    while (g < keys.size() && keys[g].first != k.text) ++g;
    if (g == keys.size()) keys.emplace_back(k.text, k.span);
    if (m.path.size() > ref.depth + 1) {
      tagged.push_back(Grouped::Tagged{g, 1, MemberRef{ref.m, ref.depth + 1, ref.env}});
    } else if (m.label) {
      tagged.push_back(Grouped::Tagged{g, 2, ref});
    } else if (m.value) {
      tagged.push_back(Grouped::Tagged{g, 0, ref});
    } else if (m.block) {
      if (keep_blocks) out.blocks.emplace_back(g, m.block);
      if (m.block->has_error) incomplete = true;
      for (const auto& inner : m.block->members) tagged.push_back(Grouped::Tagged{g, 1, MemberRef{&inner, 0, ref.env}});
      if (m.block->members.empty()) tagged.push_back(Grouped::Tagged{g, 0, ref});  // `key {}`: an empty value
    } else {
      incomplete = true;
    }
  }
  auto& start = out.start;
  start.assign(keys.size() * 3 + 1, 0);
  for (const auto& t : tagged) ++start[t.group * 3 + t.form + 1];
  for (size_t i = 1; i < start.size(); ++i) start[i] += start[i - 1];
  out.refs.resize(tagged.size(), MemberRef{nullptr, 0, nullptr});
  out.fill.assign(start.begin(), start.end() - 1);
  for (const auto& t : tagged) out.refs[out.fill[t.group * 3 + t.form]++] = t.ref;
  out.groups.clear();
  const MemberRef* base = out.refs.data();
  for (size_t g = 0; g < keys.size(); ++g) {
    auto slice = [&](size_t form) {
      return std::span<const MemberRef>(base + start[g * 3 + form], start[g * 3 + form + 1] - start[g * 3 + form]);
    };
    out.groups.push_back(Group{keys[g].first, keys[g].second, slice(0), slice(1), slice(2)});
  }
}

// The grouping buffers of one nesting level, held while its block is
// evaluated (its groups point into them).
class GroupedLease {
 public:
  explicit GroupedLease(Checker& c) : c_(c) {
    if (c_.grouped_depth_ == c_.grouped_.size()) c_.grouped_.push_back(std::make_unique<Grouped>());
    g_ = c_.grouped_[c_.grouped_depth_++].get();
  }
  ~GroupedLease() { --c_.grouped_depth_; }
  GroupedLease(const GroupedLease&) = delete;
  GroupedLease& operator=(const GroupedLease&) = delete;
  Grouped& operator*() const { return *g_; }

 private:
  Checker& c_;
  Grouped* g_;
};

// A key may be written once: `k = v`, or by paths and blocks (`k.a = 1`,
// `k { b = 2 }`, which merge), or as labelled entries; mixing forms, or two
// `k = v`, sets it twice. Reports at the second writer, noting the first.
bool set_twice(diag::Sink& sink, const Group& g, std::string_view what) {
  size_t forms = (g.assigns.empty() ? 0 : 1) + (g.subs.empty() ? 0 : 1) + (g.labelled.empty() ? 0 : 1);
  if (g.assigns.size() <= 1 && forms <= 1) return false;
  std::vector<Span> spans;
  for (auto list : {g.assigns, g.subs, g.labelled})
    for (const auto& r : list) spans.push_back(r.m->span);
  std::sort(spans.begin(), spans.end(), [](Span a, Span b) { return a.begin < b.begin; });
  sink.report(diag::Kind::DuplicateField, spans[1], fmt::format("{}`{}` is set twice", what, g.key)).note(spans[0], "first set here");
  return true;
}






}  // namespace

// ------------------------------------------------------------------ coerce

void Checker::note_group(const Grouped& grouped, size_t gi, const Type* type, const RecordDef* rec, int fi) {
  const Group& g = grouped.groups[gi];
  if (rec) {
    note_field(g.key_span, rec, fi);
    for (auto refs : {g.assigns, g.labelled})
      for (const MemberRef& r : refs) note_field(r.m->path[r.depth].span, rec, fi);
    for (const MemberRef& r : g.subs)
      if (r.depth > 0) note_field(r.m->path[r.depth - 1].span, rec, fi);
  }
  for (const auto& [at, block] : grouped.blocks)
    if (at == gi) note_expected(block->span, type);
}

Value Checker::coerce(Value v, const Type* expected, Span at) {
  if (!expected || v.bad() || expected->kind == TypeKind::Error || expected->kind == TypeKind::Any) return v;
  if (v.kind == VK::Null) {
    if (expected->optional) return v;
    report(diag::Kind::TypeMismatch, at, fmt::format("expected {}, found `null`", type_name(expected)))
        .hint("`null` is only allowed where a field is optional");
    return Value::poison(at);
  }
  auto mismatch = [&]() {
    report(diag::Kind::TypeMismatch, at, fmt::format("expected {}, found {}", type_name(expected), describe_value(v)));
    return Value::poison(at);
  };
  auto overflowed = [&](Span where, std::string_view what) { return report_overflow(*sink_, where, what); };
  auto non_negative = [&](Value x, Span where) { return report_if_negative(*sink_, std::move(x), where); };
  switch (expected->kind) {
    case TypeKind::Int:
      if (v.kind != VK::Int) return mismatch();
      if ((expected->lo && v.i < *expected->lo) || (expected->hi && v.i > *expected->hi)) {
        report(diag::Kind::OutOfRange, at,
               fmt::format("{} is out of range: expected {}", v.i, type_name(expected)))
            .hint(expected->lo && v.i < *expected->lo ? fmt::format("the smallest allowed value is {}", *expected->lo)
                                                      : fmt::format("the largest allowed value is {}", *expected->hi));
        return Value::poison(at);
      }
      return v;
    case TypeKind::Float:
      if (v.kind == VK::Int) {
        v.kind = VK::Float;
        v.f = static_cast<double>(v.i);
      }
      return v.kind == VK::Float ? v : mismatch();
    case TypeKind::Cpu:
      if (v.kind == VK::Int || v.kind == VK::Float) {
        auto millis = v.kind == VK::Int ? checked_mul(v.i, 1000) : checked_round(v.f * 1000);
        if (!millis) return overflowed(at, fmt::format("{} cores", value_text(v)));
        v.kind = VK::Cpu;
        v.i = *millis;
      }
      return v.kind == VK::Cpu ? non_negative(std::move(v), at) : mismatch();
    case TypeKind::Bytes: return v.kind == VK::Bytes ? non_negative(std::move(v), at) : mismatch();
    case TypeKind::Duration: return v.kind == VK::Duration ? non_negative(std::move(v), at) : mismatch();
    case TypeKind::Bool: return v.kind == VK::Bool ? v : mismatch();
    case TypeKind::String: case TypeKind::Taint: case TypeKind::Toleration: case TypeKind::Schedule:
      return v.kind == VK::String ? v : mismatch();
    case TypeKind::EnvValue:
      if (v.kind == VK::SecretRef || v.kind == VK::String) return v;
      if (v.kind == VK::Int || v.kind == VK::Float || v.kind == VK::Bool || v.kind == VK::Bytes || v.kind == VK::Cpu ||
          v.kind == VK::Duration || v.kind == VK::Enum || v.kind == VK::Ref) {
        Value s = make(VK::String, v.span);
        s.s = value_text(v);
        return s;
      }
      return mismatch();
    case TypeKind::SecretRef:
      if (v.kind == VK::SecretRef) return v;
      if (v.kind == VK::String) {
        report(diag::Kind::InlineSecret, at, "a secret value is written inline")
            .hint("declare `secret NAME { from = env(\"VAR\") }` and write `secret(\"NAME\")` here");
        return Value::poison(at);
      }
      return mismatch();
    case TypeKind::Enum: return v.kind == VK::Enum && v.enum_def == expected->enum_def ? v : mismatch();
    case TypeKind::Ref: return v.kind == VK::Ref && v.ref == expected->ref ? v : mismatch();
    case TypeKind::List:
      if (v.kind != VK::List) return mismatch();
      return v;
    case TypeKind::Map: return v.kind == VK::Map ? v : mismatch();
    case TypeKind::Record:
      if (v.kind == VK::Record && v.record && v.record->is_a(expected->record)) return v;
      return mismatch();
    default: return v;
  }
}

// ------------------------------------------------------------------ lets

bool Checker::fits(const Value& value, int height, Span use, std::string_view name, bool is_default) {
  if (value.bad()) return true;  // a leaf, however deep its evaluation went before it failed
  if (depth_ + height <= kMaxDepth) {
    reached_ = std::max(reached_, depth_ + height);
    return true;
  }
  report(diag::Kind::NestingTooDeep, use,
         fmt::format("{}`{}` is nested too deeply to be used here: with the `let`s it is made of, more than {} levels",
                     is_default ? "the default of " : "", name, kMaxDepth))
      .hint("flatten the structure, or shorten the chain of `let`s that builds it");
  return false;
}

Value Checker::eval_let(LetInfo& let, Span use) {
  if (let.state.load(std::memory_order_acquire) == 2)
    return fits(let.value, let.height, use, let.item->name.text, false) ? let.value : Value::poison(use);
  if (frozen_) {
    unsettled_ = true;
    return Value::poison(use);
  }
  if (let.state == 1) {
    report(diag::Kind::LetCycle, use, fmt::format("`{}` is defined in terms of itself", let.item->name.text))
        .note(let.item->name.span, "defined here");
    return Value::poison(use);
  }
  let.state = 1;
  const Type* t = let.item->type ? resolve_type(let.item->type) : nullptr;
  const syntax::LetItem* outer = current_let_;
  current_let_ = let.item;
  Value v;
  let.height = measured([&] { v = let.item->has_error ? Value::poison(let.item->span) : eval(let.item->value, t, nullptr); });
  current_let_ = outer;
  if (t) v = coerce(std::move(v), t, let.item->value ? let.item->value->span : let.item->span);
  let.value = v;
  let.state.store(2, std::memory_order_release);
  return v;
}

// Every let and every field default is evaluated once, up front, in source
// order, used or not (grammar/README.md, "Every let is checked"): so each
// one's diagnostics depend on it alone, not on whether or where it is used,
// a cycle among lets nothing uses is reported like any other, and the
// declarations, checked after, only read values already final, which lets
// a second thread check them without ever waiting for one.
void Checker::evaluate_eagerly() {
  for (const RecordDef& rec : tables_.records) {
    auto* slots = defaults_of(&rec);
    if (!slots) continue;
    for (size_t i = 0; i < rec.fields.size(); ++i)
      if (rec.fields[i].default_expr && !(*slots)[i].ready.load(std::memory_order_relaxed))
        (void)default_value(&rec, static_cast<int>(i));
  }
  for (const syntax::File* file : program_.files)
    for (const syntax::Item* item : file->items) {
      if (item->kind != syntax::ItemKind::Let) continue;
      auto* l = static_cast<const syntax::LetItem*>(item);
      auto it = tables_.lets.find(l->name.text);
      if (it == tables_.lets.end() || it->second.item != l) continue;  // a duplicate, reported by collect
      if (it->second.state.load(std::memory_order_relaxed) == 0) (void)eval_let(it->second, l->name.span);
    }
}

bool Checker::count_copy(const Value& v, Span at) {
  // Counted here and added to the shared count a megabyte at a time: every
  // use of a let counts, and two threads adding each to one counter would
  // pass its cache line back and forth.
  constexpr uint64_t kBatch = uint64_t{1} << 20;
  copied_ = size_sum(copied_, value_size(v));
  if (copied_ >= kBatch) {
    if (tables_.copied.fetch_add(copied_, std::memory_order_relaxed) + copied_ > kMaxProgramSize)
      tables_.copied_past.store(true, std::memory_order_relaxed);
    copied_ = 0;
  }
  if (!tables_.copied_past.load(std::memory_order_relaxed)) return true;
  // Past the bound every later use fails too; it is reported once, where
  // the main checker meets it, outside a trial evaluation.
  if (frozen_) unsettled_ = true;
  else if (!tables_.copied_reported.exchange(true))
    report(diag::Kind::ProgramTooLarge, at,
           fmt::format("the program's uses of lets and parameters copy more than {} GiB in all", kMaxProgramSize >> 30))
        .hint("each use copies the value: use a large value fewer times, or make it smaller");
  return false;
}

// ------------------------------------------------------------------ defaults

std::vector<DefaultSlot>* Checker::defaults_of(const RecordDef* rec) {
  auto it = tables_.default_cache.find(rec);
  return it == tables_.default_cache.end() ? nullptr : &it->second;
}

void Checker::make_default_slots() {
  for (const RecordDef& rec : tables_.records) tables_.default_cache.try_emplace(&rec, rec.fields.size());
}

Value Checker::default_value(const RecordDef* rec, int field) {
  const FieldDef& f = rec->fields[static_cast<size_t>(field)];
  DefaultSlot* slot = nullptr;
  if (auto* slots = defaults_of(rec)) slot = &(*slots)[static_cast<size_t>(field)];
  if (slot && slot->ready.load(std::memory_order_acquire))
    return fits(slot->value, slot->height, f.span, f.name, true) ? slot->value : Value::poison(f.span);
  if (frozen_) {
    unsettled_ = true;
    return Value::poison(f.span);
  }
  Value v;
  const int height = measured([&] {
    v = f.default_expr ? coerce(eval(f.default_expr, f.type, nullptr), f.type, f.default_expr->span) : make(VK::Null, f.span);
  });
  if (slot && !slot->ready.load(std::memory_order_relaxed)) {  // a default that took itself (nested) keeps the first value
    slot->value = v;
    slot->height = height;
    slot->ready.store(true, std::memory_order_release);
  }
  return v;
}

// ------------------------------------------------------------------ blocks

Value Checker::eval_record(std::span<const MemberRef> members, const RecordDef* rec, Span owner, bool incomplete) {
  GroupedLease lease(*this);
  Grouped& grouped = *lease;
  group_members(members, incomplete, grouped, recorded_ != nullptr);
  auto& groups = grouped.groups;
  Value out = make(VK::Record, owner);
  out.record = rec;
  out.items = std::make_shared<std::vector<Value>>(rec->fields.size());
  auto& set = grouped.set;
  set.assign(rec->fields.size(), 0);
  SizeTally size;
  // An open record's other keys (see RecordDef::rest), as a map: made only
  // when there are any (records are checked millions of times).
  std::optional<Value> rest;

  for (auto& g : groups) {
    int fi = rec->find(g.key);
    if (fi < 0 && rec->rest >= 0) {
      if (!rest) rest = make_map(owner, 4);
      Value v = eval_rest(g, rec->fields[static_cast<size_t>(rec->rest)].type, incomplete);
      if (v.kind == VK::Poison) incomplete = true;
      rest->keys->emplace_back(g.key);
      rest->key_spans->push_back(g.key_span);
      rest->items->push_back(std::move(v));
      continue;
    }
    if (fi < 0) {
      auto& d = report(diag::Kind::UnknownField, g.key_span, fmt::format("unknown field `{}` in `{}`", g.key, rec->name));
      hint_unknown_field(d, g.key, g.key_span, *rec);
      hint_patch_field(d, g.key, *rec);
      incomplete = true;
      continue;
    }
    const FieldDef& f = rec->fields[static_cast<size_t>(fi)];
    if (recorded_) note_group(grouped, static_cast<size_t>(&g - groups.data()), f.type, rec, fi);
    Value v;
    if (set_twice(*sink_, g, "field ")) {
      incomplete = true;
      continue;
    }
    if (!g.assigns.empty()) {
      const MemberRef& r = g.assigns[0];
      if (r.m->value) {
        v = coerce(eval(r.m->value, f.type, r.env), f.type, r.m->value->span);
      } else {
        v = eval_members({}, f.type, r.m->span, false);
      }
    } else if (!g.subs.empty()) {
      v = eval_members(g.subs, f.type, g.key_span, incomplete);
    } else {
      // Labelled members: map entries or list items.
      const Type* ft = f.type;
      if (ft->kind == TypeKind::Map) {
        Value map = make_map(g.key_span, g.labelled.size());
        SizeTally map_size;
        // Each label once: a group has a handful (`port http`, `port
        // metrics`), compared directly; a table only for many.
        auto& seen = grouped.labels;
        seen.clear();
        std::unordered_map<std::string_view, Span> many;
        for (const auto& r : g.labelled) {
          const Member& m = *r.m;
          const Span* first = nullptr;
          if (g.labelled.size() <= kFewLabels) {
            for (const auto& [label, at] : seen)
              if (label == m.label->text) first = &at;
            if (!first) seen.emplace_back(m.label->text, m.label->span);
          } else if (auto [it, fresh] = many.emplace(m.label->text, m.label->span); !fresh) {
            first = &it->second;
          }
          if (first) {
            report(diag::Kind::DuplicateField, m.label->span, fmt::format("`{} \"{}\"` is set twice", g.key, m.label->text))
                .note(*first, "first set here");
            continue;
          }
          Value item;
          if (m.value) {
            item = coerce(eval(m.value, ft->elem, r.env), ft->elem, m.value->span);
          } else if (m.block) {
            std::vector<MemberRef> inner;
            inner.reserve(m.block->members.size());
            for (const auto& c : m.block->members) inner.push_back(MemberRef{&c, 0, r.env});
            item = eval_members(inner, ft->elem, m.label->span, m.block->has_error);
          } else {
            report(diag::Kind::NotALabelledField, m.span, fmt::format("`{} {}` needs a value", g.key, m.label->text))
                .hint(fmt::format("write `{} {} = ...` or `{} {} {{ ... }}`", g.key, m.label->text, g.key, m.label->text));
            continue;
          }
          if (m.repeat) {
            if (item.kind == VK::Record && item.record->find("count") >= 0) {
              const auto& cf = item.record->fields[static_cast<size_t>(item.record->find("count"))];
              Value count = make(VK::Int, m.repeat_span);
              count.i = *m.repeat;
              count = coerce(count, cf.type, m.repeat_span);
              auto copy = std::make_shared<std::vector<Value>>(*item.items);
              (*copy)[static_cast<size_t>(item.record->find("count"))] = count;
              item.items = copy;
              seal_size(item);
            } else if (!item.bad()) {
              report(diag::Kind::NotALabelledField, m.repeat_span, fmt::format("`{}` entries have no count", g.key));
            }
          }
          if (!map_size.add(size_sum(value_size(item), m.label->text.size()))) {
            map = report_too_large(*sink_, g.key_span, fmt::format("`{}`", g.key));
            break;
          }
          map.keys->push_back(m.label->text);
          map.key_spans->push_back(m.label->span);
          map.items->push_back(std::move(item));
        }
        if (map.kind == VK::Map) map_size.seal(map);
        v = std::move(map);
      } else if (ft->kind == TypeKind::List) {
        Value list = make(VK::List, g.key_span);
        list.items = std::make_shared<std::vector<Value>>();
        SizeTally list_size;
        for (const auto& r : g.labelled) {
          const Member& m = *r.m;
          if (m.value || m.block || m.repeat) {
            report(diag::Kind::NotALabelledField, m.span, fmt::format("`{}` takes its value directly", g.key))
                .hint(fmt::format("write `{} {}`", g.key, m.label->quoted ? "\"" + m.label->text + "\"" : m.label->text));
            continue;
          }
          list.items->push_back(coerce(eval(m.label_expr, ft->elem, r.env), ft->elem, m.label->span));
          if (!list_size.add(value_size(list.items->back()))) {
            list = report_too_large(*sink_, g.key_span, fmt::format("`{}`", g.key));
            break;
          }
        }
        if (list.kind == VK::List) list_size.seal(list);
        v = std::move(list);
      } else if (ft->kind != TypeKind::Error) {
        const Member& m = *g.labelled[0].m;
        report(diag::Kind::NotALabelledField, m.label->span,
               fmt::format("`{}` takes no label: it is {}, not a map or a list", g.key, type_name(ft)))
            .hint(fmt::format("write `{} = ...`", g.key));
        v = Value::poison(m.span);
      }
    }
    if (v.kind == VK::Poison) incomplete = true;
    if (!size.add(value_size(v))) return report_too_large(*sink_, owner, fmt::format("this `{}`", rec->name));
    (*out.items)[static_cast<size_t>(fi)] = std::move(v);
    set[static_cast<size_t>(fi)] = 1;
  }

  if (rest) {
    auto at = static_cast<size_t>(rec->rest);
    if (set[at]) {
      report(diag::Kind::DuplicateField, rest->key_spans->front(),
             fmt::format("`{}` is set, and so is `{}`, which would go into it", rec->fields[at].name, rest->keys->front()))
          .hint(fmt::format("write every field directly, or every one inside `{}`", rec->fields[at].name));
    } else {
      seal_size(*rest);
      if (!size.add(value_size(*rest))) return report_too_large(*sink_, owner, fmt::format("this `{}`", rec->name));
      (*out.items)[at] = std::move(*rest);
      set[at] = 1;
    }
  }

  const std::vector<DefaultSlot>* defaults = nullptr;
  for (size_t i = 0; i < rec->fields.size(); ++i) {
    if (set[i]) continue;
    const FieldDef& f = rec->fields[i];
    if (f.default_expr) {
      if (!defaults) defaults = defaults_of(rec);
      if (defaults && (*defaults)[i].ready.load(std::memory_order_acquire)) {
        const DefaultSlot& slot = (*defaults)[i];
        // Assigned in two branches: a conditional expression would copy
        // the default into a temporary first (a third of checking's copies).
        if (fits(slot.value, slot.height, owner, f.name, true)) (*out.items)[i] = slot.value;
        else (*out.items)[i] = Value::poison(owner);
      } else {
        (*out.items)[i] = default_value(rec, static_cast<int>(i));
      }
      // A default is reported at the declaration that took it, not in the stdlib.
      (*out.items)[i].span = owner;
    } else if (f.type->optional || f.type->kind == TypeKind::Error) {
      (*out.items)[i].span = owner;  // already a null: the items were made so, and most optional fields stay unset
    } else {
      (*out.items)[i] = Value::poison(owner);
      if (!incomplete)
        report(diag::Kind::MissingField, owner, fmt::format("missing field `{}` ({}) in `{}`", f.name, type_name(f.type), rec->name))
            .note(f.span, "declared here");
    }
    if (!size.add(value_size((*out.items)[i]))) return report_too_large(*sink_, owner, fmt::format("this `{}`", rec->name));
  }
  size.seal(out);
  return out;
}

Value Checker::eval_rest(const Group& g, const Type* map_type, bool incomplete) {
  const Type* elem = map_type->elem;
  if (set_twice(*sink_, g, "field ")) return Value::poison(g.key_span);
  if (!g.labelled.empty()) {
    const Member& m = *g.labelled[0].m;
    report(diag::Kind::NotALabelledField, m.label->span, fmt::format("`{}` takes no label here", g.key))
        .hint(fmt::format("write `{} = ...`", g.key));
    return Value::poison(m.span);
  }
  if (g.assigns.empty()) return eval_members(g.subs, elem, g.key_span, incomplete);
  const MemberRef& r = g.assigns[0];
  if (!r.m->value) return eval_members({}, elem, r.m->span, false);
  return coerce(eval(r.m->value, elem, r.env), elem, r.m->value->span);
}

Value Checker::eval_members(std::span<const MemberRef> members, const Type* expected, Span owner, bool incomplete) {
  if (!expected || expected->kind == TypeKind::Error) return Value::poison(owner);
  // Each part of a path (`a.b.c = 1`) is a level, as a block is: a path is
  // as long as its file makes it, however shallow its brackets.
  DepthGuard guard(depth_);
  reached_ = std::max(reached_, depth_);
  if (depth_ > kMaxDepth) {
    report(diag::Kind::NestingTooDeep, owner, "block is nested too deeply")
        .hint("flatten the structure, or split it with `let` bindings");
    return Value::poison(owner);
  }
  if (expected->kind == TypeKind::Record) return eval_record(members, expected->record, owner, incomplete);
  if (expected->kind == TypeKind::Map || expected->kind == TypeKind::Any) {
    const Type* elem = expected->kind == TypeKind::Map ? expected->elem : any_type();
    GroupedLease lease(*this);
    Grouped& grouped = *lease;
    group_members(members, incomplete, grouped, recorded_ != nullptr);
    auto& groups = grouped.groups;
    Value map = make_map(owner, groups.size());
    SizeTally size;
    for (auto& g : groups) {
      if (recorded_) note_group(grouped, static_cast<size_t>(&g - groups.data()), elem, nullptr, -1);
      if (set_twice(*sink_, g, "")) continue;
      Value v;
      if (!g.labelled.empty()) {
        const Member& m = *g.labelled[0].m;
        report(diag::Kind::NotALabelledField, m.label->span, fmt::format("`{}` takes no label here", g.key))
            .hint(fmt::format("write `{} = ...`", g.key));
        continue;
      }
      if (!g.assigns.empty()) {
        const MemberRef& r = g.assigns[0];
        if (r.m->value) {
          v = coerce(eval(r.m->value, elem, r.env), elem, r.m->value->span);
          if (elem->kind == TypeKind::EnvValue || elem->kind == TypeKind::Any)
            v = refuse_inline_secret(g.key, r.m->value, std::move(v), elem->kind == TypeKind::EnvValue);
        } else {
          v = eval_members({}, elem, r.m->span, false);
        }
      } else {
        v = eval_members(g.subs, elem, g.key_span, incomplete);
      }
      if (!size.add(size_sum(value_size(v), g.key.size()))) return report_too_large(*sink_, owner, "this block");
      map.keys->emplace_back(g.key);
      map.key_spans->push_back(g.key_span);
      map.items->push_back(std::move(v));
    }
    size.seal(map);
    return map;
  }
  report(diag::Kind::TypeMismatch, owner, fmt::format("expected {}, found a block", type_name(expected)));
  return Value::poison(owner);
}

// ------------------------------------------------------------------ expressions

Value Checker::mismatch(const Expr* e, const Type* expected, std::string_view found) {
  report(diag::Kind::TypeMismatch, e->span, fmt::format("expected {}, found {}", type_name(expected), found));
  return Value::poison(e->span);
}

Value Checker::eval(const Expr* e, const Type* expected, const Env* env) {
  if (!e) return Value::poison(Span{});
  DepthGuard guard(depth_);
  reached_ = std::max(reached_, depth_);
  if (depth_ > kMaxDepth) {
    report(diag::Kind::NestingTooDeep, e->span, "expression is nested too deeply");
    return Value::poison(e->span);
  }
  const Type* T = expected;
  TypeKind tk = T ? T->kind : TypeKind::Any;
  bool infer = T == nullptr;
  if (tk == TypeKind::Error) return Value::poison(e->span);
  if (tk == TypeKind::Enum || tk == TypeKind::Ref || tk == TypeKind::Bool) note_expected(e->span, T);

  // A bare value where a record with a shorthand field is expected.
  if (tk == TypeKind::Record && T->record->shorthand >= 0 && e->kind != ExprKind::Record &&
      e->kind != ExprKind::TypedRecord && e->kind != ExprKind::Null) {
    const RecordDef* rec = T->record;
    const FieldDef& sf = rec->fields[static_cast<size_t>(rec->shorthand)];
    bool named = e->kind == ExprKind::Ref || e->kind == ExprKind::Call || e->kind == ExprKind::Field || e->kind == ExprKind::Index;
    Value inner = eval(e, named ? nullptr : sf.type, env);
    if (inner.bad() || (inner.kind == VK::Record && inner.record->is_a(rec))) return inner;
    inner = coerce(std::move(inner), sf.type, e->span);
    Value out = eval_record({}, rec, e->span, true);
    (*out.items)[static_cast<size_t>(rec->shorthand)] = std::move(inner);  // new, not yet shared: set in place
    seal_size(out);
    return out;
  }

  const Want want{T, tk, infer, env};

  switch (e->kind) {
    case ExprKind::Error: return Value::poison(e->span);
    case ExprKind::Int: return eval_int(e, want);
    case ExprKind::Float: return eval_float(e, want);
    case ExprKind::Quantity: return eval_quantity(e, want);
    case ExprKind::String: return eval_string(e, want);
    case ExprKind::Bool: return eval_bool(e, want);
    case ExprKind::Null: return eval_null(e, want);
    case ExprKind::Ref: return eval_ref(e, want);
    case ExprKind::Field: return eval_field(e, want);
    case ExprKind::Index: return eval_index(e, want);
    case ExprKind::Call: return eval_call(static_cast<const CallExpr*>(e), T, env);
    case ExprKind::TypedRecord: return eval_typed_record(e, want);
    case ExprKind::List: return eval_list(e, want);
    case ExprKind::Record: return eval_block(e, want);
    case ExprKind::Unary: return eval_unary(e, want);
    case ExprKind::Binary: return eval_binary(e, want);
  }
  return Value::poison(e->span);
}

}  // namespace claw::sema::detail
