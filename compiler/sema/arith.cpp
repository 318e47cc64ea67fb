#include "compiler/sema/arith.h"

#include <cmath>
#include <limits>

namespace claw::sema {

std::optional<int64_t> checked_add(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_add_overflow(a, b, &r)) return std::nullopt;
  return r;
}

std::optional<int64_t> checked_sub(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_sub_overflow(a, b, &r)) return std::nullopt;
  return r;
}

std::optional<int64_t> checked_mul(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_mul_overflow(a, b, &r)) return std::nullopt;
  return r;
}

std::optional<int64_t> checked_neg(int64_t a) { return checked_sub(0, a); }

std::optional<int64_t> checked_div(int64_t a, int64_t b) {
  if (b == 0 || (a == std::numeric_limits<int64_t>::min() && b == -1)) return std::nullopt;
  return a / b;
}

std::optional<int64_t> checked_div_round(int64_t a, int64_t b) {
  auto q = checked_div(a, b);
  if (!q) return q;
  // |remainder| < |b|, so neither magnitude below overflows as unsigned.
  int64_t rem = a % b;
  uint64_t r = rem < 0 ? 0 - static_cast<uint64_t>(rem) : static_cast<uint64_t>(rem);
  uint64_t d = b < 0 ? 0 - static_cast<uint64_t>(b) : static_cast<uint64_t>(b);
  if (r < d - r) return q;  // below a half
  return checked_add(*q, (a < 0) != (b < 0) ? -1 : 1);
}

std::optional<int64_t> checked_round(double x) {
  // 2^63 is exactly representable; every double below it in magnitude fits.
  constexpr double kLimit = 9223372036854775808.0;
  if (!std::isfinite(x)) return std::nullopt;
  double r = std::round(x);
  if (r >= kLimit || r < -kLimit) return std::nullopt;
  return static_cast<int64_t>(r);
}

}  // namespace claw::sema
