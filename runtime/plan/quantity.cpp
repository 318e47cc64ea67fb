// Every rule here follows k8s.io/apimachinery pkg/api/resource (1.31):
// quantity.go (the grammar in the Quantity comment, parseQuantityString,
// ParseQuantity, RoundUp, UnmarshalJSON) and suffix.go (the suffixes).
#include "runtime/plan/quantity.h"

#include <array>
#include <charconv>
#include <utility>

namespace claw::plan {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool all_zero(std::string_view d) { return d.find_first_not_of('0') == std::string_view::npos; }

// Drops leading zeros and moves trailing zeros into the exponent.
Quantity normalised(bool negative, std::string digits, std::int64_t exp10) {
  std::size_t first = digits.find_first_not_of('0');
  if (first == std::string::npos) return Quantity{};
  digits.erase(0, first);
  std::size_t last = digits.find_last_not_of('0');
  exp10 += static_cast<std::int64_t>(digits.size() - 1 - last);
  digits.resize(last + 1);
  return Quantity{negative, std::move(digits), exp10};
}

void double_digits(std::string& d) {
  int carry = 0;
  for (auto it = d.rbegin(); it != d.rend(); ++it) {
    int v = (*it - '0') * 2 + carry;
    *it = static_cast<char>('0' + v % 10);
    carry = v / 10;
  }
  if (carry != 0) d.insert(d.begin(), static_cast<char>('0' + carry));
}

void increment_digits(std::string& d) {
  for (auto it = d.rbegin(); it != d.rend(); ++it) {
    if (*it != '9') {
      ++*it;
      return;
    }
    *it = '0';
  }
  d.insert(d.begin(), '1');
}

// The parts of a quantity string: sign, integer digits, fraction digits and
// the suffix text (parseQuantityString). nullopt on ErrFormatWrong.
struct Parts {
  bool positive = true;
  std::string_view num, denom, suffix;
};

std::optional<Parts> split(std::string_view s) {
  Parts p;
  std::size_t pos = 0;
  if (pos < s.size() && (s[pos] == '-' || s[pos] == '+')) p.positive = s[pos++] == '+';
  std::size_t start = pos;
  while (pos < s.size() && is_digit(s[pos])) ++pos;
  p.num = s.substr(start, pos - start);
  if (pos < s.size() && s[pos] == '.') {
    start = ++pos;
    while (pos < s.size() && is_digit(s[pos])) ++pos;
    p.denom = s.substr(start, pos - start);
  }
  // No digits at all is zero: "if we stripped all numerator positions,
  // always return 0" (parseQuantityString), so `Gi` is 0.
  // The suffix: suffix letters, then an optional sign and digits (e/E<int>).
  start = pos;
  constexpr std::string_view letters = "eEinumkKMGTP";
  while (pos < s.size() && letters.find(s[pos]) != std::string_view::npos) ++pos;
  if (pos < s.size() && (s[pos] == '-' || s[pos] == '+')) ++pos;
  while (pos < s.size() && is_digit(s[pos])) ++pos;
  if (pos != s.size()) return std::nullopt;
  p.suffix = s.substr(start);
  return p;
}

// A suffix's base (10 or 2) and exponent (suffix.go interpret): decimal SI,
// binary SI, or e/E followed by an int32 (strconv.ParseInt accepts a sign).
struct Suffix {
  int base = 10;
  std::int64_t exponent = 0;
};

std::optional<Suffix> interpret(std::string_view s) {
  static constexpr std::array<std::pair<std::string_view, int>, 10> decimal = {{
      {"n", -9}, {"u", -6}, {"m", -3}, {"", 0}, {"k", 3}, {"M", 6}, {"G", 9}, {"T", 12}, {"P", 15}, {"E", 18}}};
  static constexpr std::array<std::pair<std::string_view, int>, 6> binary = {{
      {"Ki", 10}, {"Mi", 20}, {"Gi", 30}, {"Ti", 40}, {"Pi", 50}, {"Ei", 60}}};
  for (const auto& d : decimal)
    if (s == d.first) return Suffix{10, d.second};
  for (const auto& b : binary)
    if (s == b.first) return Suffix{2, b.second};
  if (s.size() < 2 || (s[0] != 'e' && s[0] != 'E')) return std::nullopt;
  std::string_view digits = s.substr(1);
  if (digits[0] == '+') digits.remove_prefix(1);
  std::int32_t exp = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), exp);
  if (ec != std::errc() || end != digits.data() + digits.size() || digits.empty()) return std::nullopt;
  return Suffix{10, exp};
}

// Binary quantities beyond int64 are capped at its maximum (quantity.go
// ParseQuantity: "the max is 2^63-1" for BinarySI).
constexpr std::string_view kMaxInt64 = "9223372036854775807";

bool above_max_int64(const Quantity& q) {
  if (q.exp10 < 0) {
    // Only integral parts can exceed it; a fraction cannot add a digit.
    auto frac = static_cast<std::size_t>(-q.exp10);
    if (frac >= q.digits.size()) return false;
    std::string whole = q.digits.substr(0, q.digits.size() - frac);
    return whole.size() > kMaxInt64.size() || (whole.size() == kMaxInt64.size() && whole >= kMaxInt64);
  }
  std::size_t size = q.digits.size() + static_cast<std::size_t>(q.exp10);
  if (size != kMaxInt64.size()) return size > kMaxInt64.size();
  return q.digits + std::string(static_cast<std::size_t>(q.exp10), '0') > kMaxInt64;
}

}  // namespace

Quantity round_up(Quantity q, std::int64_t scale) {
  if (q.exp10 >= scale || q.digits == "0") return q;
  auto drop = static_cast<std::uint64_t>(scale - q.exp10);
  // Every dropped digit is part of a normalised non-zero value, so the
  // rounding is inexact and the kept magnitude grows by one unit.
  std::string kept = drop >= q.digits.size() ? std::string("0") : q.digits.substr(0, q.digits.size() - drop);
  increment_digits(kept);
  return normalised(q.negative, std::move(kept), scale);
}

std::optional<Quantity> parse_quantity(std::string_view text) {
  if (text.empty()) return std::nullopt;
  std::optional<Parts> p = split(text);
  if (!p) return std::nullopt;
  std::optional<Suffix> suffix = interpret(p->suffix);
  if (!suffix) return std::nullopt;
  std::string digits = std::string(p->num) + std::string(p->denom);
  std::int64_t exp10 = -static_cast<std::int64_t>(p->denom.size());
  if (suffix->base == 10) {
    exp10 += suffix->exponent;
  } else if (!all_zero(digits)) {
    for (std::int64_t i = 0; i < suffix->exponent; ++i) double_digits(digits);
  }
  Quantity q = normalised(!p->positive, std::move(digits), exp10);
  // "if you want some resources, you should get some resources": values
  // finer than nano round up (ParseQuantity, RoundUp(Nano)).
  q = round_up(std::move(q), -9);
  if (suffix->base == 2 && above_max_int64(q)) q = normalised(q.negative, std::string(kMaxInt64), 0);
  return q;
}

std::optional<Quantity> quantity_of(const nlohmann::json& value) {
  if (value.is_number_integer() || value.is_number_unsigned()) return parse_quantity(value.dump());
  if (value.is_number_float()) {
    // A JSON number unmarshals from its text; nlohmann keeps only the double,
    // whose shortest round-trip text is the number as written for any
    // literal a person types (`0.5`, `1.25`).
    return parse_quantity(value.dump());
  }
  if (!value.is_string()) return std::nullopt;
  const auto& s = value.get_ref<const std::string&>();
  constexpr std::string_view space = " \t\n\v\f\r";
  std::size_t b = s.find_first_not_of(space);
  if (b == std::string::npos) return std::nullopt;
  return parse_quantity(std::string_view(s).substr(b, s.find_last_not_of(space) - b + 1));
}

}  // namespace claw::plan
