// Checked arithmetic: every operation at and around the 64-bit limits, the
// expected results worked out by hand.
#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <optional>

#include "compiler/sema/arith.h"

namespace claw::sema {
namespace {

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
const std::optional<int64_t> kNone = std::nullopt;

TEST_CASE("checked add, sub, mul and neg report overflow at the limits") {
  struct Row {
    int64_t a, b;
    std::optional<int64_t> add, sub, mul;
  };
  const Row rows[] = {
      {1, 2, 3, -1, 2},
      {kMax, 0, kMax, kMax, 0},
      {kMax, 1, kNone, kMax - 1, kMax},
      {kMin, -1, kNone, kMin + 1, kNone},
      {kMin, 1, kMin + 1, kNone, kMin},
      {kMax, -1, kMax - 1, kNone, -kMax},
      {kMin, 0, kMin, kMin, 0},
      {0, kMin, kMin, kNone, 0},
      {-1, kMin, kNone, kMax, kNone},
      {1LL << 32, 1LL << 31, (1LL << 32) + (1LL << 31), 1LL << 31, kNone},  // 2^63 does not fit
      {1LL << 32, 1LL << 30, (1LL << 32) + (1LL << 30), (1LL << 32) - (1LL << 30), 1LL << 62},
      {16LL << 40, 1000000, (16LL << 40) + 1000000, (16LL << 40) - 1000000, kNone},  // 16TiB * 1000000
      {-(1LL << 32), 1LL << 31, -(1LL << 31), -(3LL << 31), kMin},
  };
  for (const auto& r : rows) {
    CAPTURE(r.a);
    CAPTURE(r.b);
    CHECK(checked_add(r.a, r.b) == r.add);
    CHECK(checked_add(r.b, r.a) == r.add);
    CHECK(checked_sub(r.a, r.b) == r.sub);
    CHECK(checked_mul(r.a, r.b) == r.mul);
    CHECK(checked_mul(r.b, r.a) == r.mul);
  }
  CHECK(checked_neg(kMin) == kNone);
  CHECK(checked_neg(kMax) == kMin + 1);
  CHECK(checked_neg(0) == 0);
  CHECK(checked_neg(-5) == 5);
}

TEST_CASE("checked division: zero, INT64_MIN / -1, truncation and rounding") {
  struct Row {
    int64_t a, b;
    std::optional<int64_t> trunc, round;
  };
  const Row rows[] = {
      {7, 2, 3, 4},      {-7, 2, -3, -4},  {7, -2, -3, -4}, {-7, -2, 3, 4},
      {5, 3, 1, 2},      {4, 3, 1, 1},     {-4, 3, -1, -1}, {6, 3, 2, 2},
      {1, 0, kNone, kNone},
      {kMin, -1, kNone, kNone},
      {kMin, 1, kMin, kMin},
      {kMin, 2, kMin / 2, kMin / 2},
      {kMax, 2, kMax / 2, kMax / 2 + 1},  // ...807 / 2 = ...403.5, rounded up
      {kMin, kMax, -1, -1},
      {kMax, kMin, 0, -1},  // -0.99999... rounds to -1
      {kMin, kMin, 1, 1},
      {3LL << 30, 2, 3LL << 29, 3LL << 29},  // 3GiB / 2
  };
  for (const auto& r : rows) {
    CAPTURE(r.a);
    CAPTURE(r.b);
    CHECK(checked_div(r.a, r.b) == r.trunc);
    CHECK(checked_div_round(r.a, r.b) == r.round);
  }
}

TEST_CASE("checked rounding of doubles refuses what does not fit") {
  CHECK(checked_round(0.5) == 1);
  CHECK(checked_round(-0.5) == -1);
  CHECK(checked_round(2.4) == 2);
  CHECK(checked_round(1.5 * 1000) == 1500);
  CHECK(checked_round(9223372036854774784.0) == 9223372036854774784LL);  // the largest double below 2^63
  CHECK(checked_round(9223372036854775808.0) == kNone);                  // 2^63
  CHECK(checked_round(-9223372036854775808.0) == kMin);
  CHECK(checked_round(-9223372036854777856.0) == kNone);  // the next double below -2^63
  CHECK(checked_round(1e300) == kNone);
  CHECK(checked_round(std::numeric_limits<double>::infinity()) == kNone);
  CHECK(checked_round(-std::numeric_limits<double>::infinity()) == kNone);
  CHECK(checked_round(std::numeric_limits<double>::quiet_NaN()) == kNone);
}

}  // namespace
}  // namespace claw::sema
