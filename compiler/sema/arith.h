// Checked integer arithmetic for the language's numbers and quantities: every
// operation says when its result does not fit in 64 bits rather than wrap or
// trap. The one place claw's evaluation does integer arithmetic on user values.
#pragma once

#include <cstdint>
#include <optional>

namespace claw::sema {

/// a + b, or nullopt when it overflows.
std::optional<int64_t> checked_add(int64_t a, int64_t b);
/// a - b, or nullopt when it overflows.
std::optional<int64_t> checked_sub(int64_t a, int64_t b);
/// a * b, or nullopt when it overflows.
std::optional<int64_t> checked_mul(int64_t a, int64_t b);
/// -a, or nullopt for INT64_MIN.
std::optional<int64_t> checked_neg(int64_t a);
/// a / b truncated toward zero; nullopt when b is 0 or for INT64_MIN / -1.
std::optional<int64_t> checked_div(int64_t a, int64_t b);
/// a / b rounded to the nearest integer, halves away from zero (how a
/// quantity divided by a count is rounded); nullopt as for checked_div.
std::optional<int64_t> checked_div_round(int64_t a, int64_t b);
/// x rounded to the nearest integer (halves away from zero), or nullopt when
/// x is not finite or the result does not fit.
std::optional<int64_t> checked_round(double x);

}  // namespace claw::sema
