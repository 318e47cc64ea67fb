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
#include "compiler/sema/field_hint.h"
#include "compiler/sema/limits.h"
#include "compiler/sema/secret_rule.h"
#include "compiler/sema/units.h"

namespace claw::sema::detail {

using namespace syntax;
using VK = Value::Kind;

namespace {

std::string_view describe_value(const Value& v) {
  switch (v.kind) {
    case VK::Int: return "a number";
    case VK::Float: return "a number";
    case VK::Bool: return "a boolean";
    case VK::String: return "a string";
    case VK::Bytes: return "a bytes quantity";
    case VK::Cpu: return "a cpu quantity";
    case VK::Duration: return "a duration";
    case VK::Enum: return "an enum value";
    case VK::List: return "a list";
    case VK::Map: return "a block";
    case VK::Record: return "a record";
    case VK::Ref: return "a reference";
    case VK::SecretRef: return "a secret reference";
    case VK::Null: return "`null`";
    default: return "a value";
  }
}

Value make(VK kind, Span span) {
  Value v;
  v.kind = kind;
  v.span = span;
  return v;
}

// An empty map with room for `size` entries. Its items, keys and key spans
// are made in one allocation, which the three share: maps are made for
// every env and config block.
Value make_map(Span span, size_t size) {
  struct Parts {
    std::vector<Value> items;
    std::vector<std::string> keys;
    std::vector<Span> key_spans;
  };
  auto parts = std::make_shared<Parts>();
  parts->items.reserve(size);
  parts->keys.reserve(size);
  parts->key_spans.reserve(size);
  Value v = make(VK::Map, span);
  v.items = std::shared_ptr<std::vector<Value>>(parts, &parts->items);
  v.keys = std::shared_ptr<std::vector<std::string>>(parts, &parts->keys);
  v.key_spans = std::shared_ptr<std::vector<Span>>(parts, &parts->key_spans);
  return v;
}

// Counts a level of evaluation (an expression, a block) while it lasts.
struct DepthGuard {
  int& d;
  explicit DepthGuard(int& depth) : d(depth) { ++d; }
  ~DepthGuard() { --d; }
};

// Up to this many labels in a group are checked for repeats directly.
constexpr size_t kFewLabels = 16;

// Groups members by key without a container per group: each member gets a
// (group, form) tag, then one counting sort lays them out contiguously.
void group_members(std::span<const MemberRef> members, bool& incomplete, Grouped& out) {
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
      out.blocks.emplace_back(g, m.block);
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

// What is wrong with a cron schedule, or "" when it is valid: five fields of
// numbers in range, `*`, lists, ranges and steps, or an @-macro.
std::string schedule_problem(std::string_view s) {
  static constexpr std::string_view kMacros[] = {"@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"};
  if (!s.empty() && s[0] == '@') {
    for (auto m : kMacros)
      if (s == m) return "";
    return fmt::format("`{}` is not a macro (@hourly, @daily, @weekly, @monthly, @yearly)", s);
  }
  struct FieldRange {
    const char* name;
    int lo, hi;
  };
  static constexpr FieldRange kFields[] = {{"minute", 0, 59}, {"hour", 0, 23}, {"day of month", 1, 31}, {"month", 1, 12}, {"day of week", 0, 7}};
  static constexpr std::string_view kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
  static constexpr std::string_view kDays[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
  std::vector<std::string_view> fields;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    size_t j = i;
    while (j < s.size() && s[j] != ' ' && s[j] != '\t') ++j;
    if (j > i) fields.push_back(s.substr(i, j - i));
    i = j;
  }
  if (fields.size() != 5) return fmt::format("it has {} field{}, not 5", fields.size(), fields.size() == 1 ? "" : "s");
  for (size_t f = 0; f < 5; ++f) {
    const auto& r = kFields[f];
    // Split on ',' then each part is `*` or `a` or `a-b`, optionally `/step`.
    size_t p = 0;
    std::string_view field = fields[f];
    while (p <= field.size()) {
      size_t q = field.find(',', p);
      if (q == std::string_view::npos) q = field.size();
      std::string_view part = field.substr(p, q - p);
      auto slash = part.find('/');
      std::string_view range = part.substr(0, slash);
      if (slash != std::string_view::npos) {
        std::string_view step = part.substr(slash + 1);
        if (step.empty() || step.find_first_not_of("0123456789") != std::string_view::npos || step == "0")
          return fmt::format("the step `{}` of the {} field is not a positive number", step, r.name);
      }
      auto value = [&](std::string_view x) -> int {
        if (!x.empty() && x.find_first_not_of("0123456789") == std::string_view::npos && x.size() < 4) {
          int v = 0;
          for (char c : x) v = v * 10 + (c - '0');
          return v;
        }
        std::string lower;
        for (char c : x) lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
        if (f == 3)
          for (int k = 0; k < 12; ++k)
            if (lower == kMonths[k]) return k + 1;
        if (f == 4)
          for (int k = 0; k < 7; ++k)
            if (lower == kDays[k]) return k;
        return -1;
      };
      if (range != "*") {
        auto dash = range.find('-');
        for (std::string_view x : {range.substr(0, dash), dash == std::string_view::npos ? std::string_view{} : range.substr(dash + 1)}) {
          if (dash == std::string_view::npos && x.data() != range.data()) continue;
          int v = value(x);
          if (v < 0) return fmt::format("`{}` is not a valid {}", x, r.name);
          if (v < r.lo || v > r.hi) return fmt::format("{} {} is out of range {}-{}", r.name, v, r.lo, r.hi);
        }
      }
      p = q + 1;
    }
  }
  return "";
}

// Reports that `what` (an expression's text, or a value) does not fit in the
// 64-bit integer a number or quantity is held in.
Value report_overflow(diag::Sink& sink, Span at, std::string_view what) {
  sink.report(diag::Kind::Overflow, at, fmt::format("`{}` overflows: the result does not fit in 64 bits", what))
      .hint("numbers are at most 9223372036854775807; bytes, millicores and milliseconds are counted in them");
  return Value::poison(at);
}

// A quantity where a size is expected: bytes, cpu and durations are never
// negative (a negative request would give a machine capacity back).
Value report_if_negative(diag::Sink& sink, Value v, Span at) {
  if (v.i >= 0) return v;
  std::string_view kind = v.kind == VK::Bytes ? "a size" : v.kind == VK::Cpu ? "a cpu quantity" : "a duration";
  sink.report(diag::Kind::OutOfRange, at, fmt::format("{} is out of range: {} cannot be negative", value_text(v), kind))
      .hint("the smallest allowed value is 0");
  return Value::poison(at);
}

// Adds up the sizes of a value's parts as they are made, so that making it
// stops as soon as it passes kMaxValueSize, not once it has taken the memory.
struct SizeTally {
  uint64_t total = 1;
  /// Whether the value is still within bounds with `n` more.
  bool add(uint64_t n) {
    total = size_sum(total, n);
    return total <= kMaxValueSize;
  }
  /// Sets an aggregate's size to the tally (see value_size).
  void seal(Value& v) const { v.i = static_cast<int64_t>(std::min<uint64_t>(total, INT64_MAX)); }
};

// Reports `what` (a string, a list, a block) that passed kMaxValueSize at the
// expression that made it.
Value report_too_large(diag::Sink& sink, Span at, std::string_view what) {
  sink.report(diag::Kind::ValueTooLarge, at, fmt::format("{} is larger than {} MiB, the most a value may be", what, kMaxValueSize >> 20))
      .hint("a Kubernetes object holds at most about 1.5 MiB; a value this large usually comes from lets that repeat one another");
  return Value::poison(at);
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
  group_members(members, incomplete, grouped);
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
    group_members(members, incomplete, grouped);
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

  auto mismatch = [&](std::string_view found) {
    report(diag::Kind::TypeMismatch, e->span, fmt::format("expected {}, found {}", type_name(T), found));
    return Value::poison(e->span);
  };

  switch (e->kind) {
    case ExprKind::Error: return Value::poison(e->span);
    case ExprKind::Int: {
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
    case ExprKind::Float: {
      Value v = make(VK::Float, e->span);
      v.f = static_cast<const FloatExpr*>(e)->value;
      if (tk == TypeKind::Bytes || tk == TypeKind::Duration) {
        report(diag::Kind::MissingUnit, e->span, fmt::format("`{}` has no unit", v.f))
            .hint(tk == TypeKind::Bytes ? "sizes are written like 1.5GiB" : "durations are written like 1.5s");
        return Value::poison(e->span);
      }
      if (tk == TypeKind::Int) return mismatch("a number with a fraction");
      return infer || tk == TypeKind::Any ? std::move(v) : coerce(std::move(v), T, e->span);
    }
    case ExprKind::Quantity: {
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
          mismatch(fmt::format("the {} quantity {}", quantity_kind_name(kinds[0]), text));
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
    case ExprKind::String: {
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
    case ExprKind::Bool: {
      Value v = make(VK::Bool, e->span);
      v.i = static_cast<const BoolExpr*>(e)->value ? 1 : 0;
      return infer || tk == TypeKind::Any ? std::move(v) : coerce(std::move(v), T, e->span);
    }
    case ExprKind::Null: {
      Value v = make(VK::Null, e->span);
      return infer || tk == TypeKind::Any ? std::move(v) : coerce(std::move(v), T, e->span);
    }
    case ExprKind::Ref: {
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
        for (const auto& en : tables_.enums)
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
      else if (auto w = did_you_mean_workload(n)) d.hint(fmt::format("did you mean the workload `{}`?", *w));
      else if (tk == TypeKind::String || tk == TypeKind::Any || tk == TypeKind::EnvValue)
        d.hint(fmt::format("if you meant the text, quote it: \"{}\"", n));
      return Value::poison(e->span);
    }
    case ExprKind::Field: {
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
    case ExprKind::Index: {
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
    case ExprKind::Call: return eval_call(static_cast<const CallExpr*>(e), T, env);
    case ExprKind::TypedRecord: {
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
        for (auto& def : tables_.records)
          if (def.is_a(T->record) && &def != T->record) kinds.push_back(def.name);
        std::sort(kinds.begin(), kinds.end());
        std::string list;
        for (auto& k : kinds) list += (list.empty() ? "" : ", ") + k;
        report(diag::Kind::TypeMismatch, r->type.span, fmt::format("`{}` is not a kind of `{}`", rec->name, T->record->name))
            .hint(list.empty() ? std::string("") : fmt::format("`{}` is one of: {}", T->record->name, list));
        return Value::poison(e->span);
      }
      if (!(infer || tk == TypeKind::Any || tk == TypeKind::Record)) return mismatch(fmt::format("a `{}` record", rec->name));
      std::vector<MemberRef> members;
      members.reserve(r->block->members.size());
      for (const auto& m : r->block->members) members.push_back(MemberRef{&m, 0, env});
      note_expected(r->block->span, nullptr, rec);
      return eval_record(members, rec, e->span, r->block->has_error);
    }
    case ExprKind::List: {
      auto* l = static_cast<const ListExpr*>(e);
      const Type* elem = nullptr;
      if (tk == TypeKind::List) elem = T->elem;
      else if (tk == TypeKind::Any) elem = any_type();
      else if (!infer) return mismatch("a list");
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
    case ExprKind::Record: {
      auto* r = static_cast<const RecordExpr*>(e);
      std::vector<MemberRef> members;
      members.reserve(r->block->members.size());
      for (const auto& m : r->block->members) members.push_back(MemberRef{&m, 0, env});
      if (!infer) note_expected(r->block->span, T);
      return eval_members(members, infer ? any_type() : T, e->span, r->block->has_error);
    }
    case ExprKind::Unary: {
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
    case ExprKind::Binary: {
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
  }
  return Value::poison(e->span);
}

}  // namespace claw::sema::detail
