// What the expression handlers share: making values, and the reports
// several of them make.
#include "compiler/sema/eval_support.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <memory>

#include "compiler/sema/arith.h"
#include "compiler/sema/limits.h"
#include "compiler/sema/quantity_text.h"

namespace claw::sema::detail {

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

// Reports `what` (a string, a list, a block) that passed kMaxValueSize at the
// expression that made it.
Value report_too_large(diag::Sink& sink, Span at, std::string_view what) {
  sink.report(diag::Kind::ValueTooLarge, at, fmt::format("{} is larger than {} MiB, the most a value may be", what, kMaxValueSize >> 20))
      .hint("a Kubernetes object holds at most about 1.5 MiB; a value this large usually comes from lets that repeat one another");
  return Value::poison(at);
}

}  // namespace claw::sema::detail
