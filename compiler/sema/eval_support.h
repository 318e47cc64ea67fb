// What Checker::eval and its handlers (handle_*.cpp) share: making values,
// and the reports several kinds of expression make. Private to sema/.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "compiler/diag/diagnostic.h"
#include "compiler/sema/limits.h"
#include "compiler/sema/value.h"

namespace claw::sema::detail {

using VK = Value::Kind;

/// "a number", "a string", ...: a value's kind, for a message.
std::string_view describe_value(const Value& v);
/// A value of `kind` at `span`, its parts unset.
Value make(VK kind, Span span);
/// An empty map with room for `size` entries.
Value make_map(Span span, size_t size);
/// What is wrong with a cron schedule, or "" when it is valid.
std::string schedule_problem(std::string_view s);
/// Reports that `what` does not fit in 64 bits; poison at `at`.
Value report_overflow(diag::Sink& sink, Span at, std::string_view what);
/// `v`, or poison and a report when the quantity is negative.
Value report_if_negative(diag::Sink& sink, Value v, Span at);
/// Reports `what`, larger than kMaxValueSize, at `at`; poison.
Value report_too_large(diag::Sink& sink, Span at, std::string_view what);

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

}  // namespace claw::sema::detail
