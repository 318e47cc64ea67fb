// Every rule here follows k8s.io/apimachinery pkg/api/resource: quantity.go
// (parseQuantityString, ParseQuantity, RoundUp, CanonicalizeBytes),
// suffix.go (interpret, constructBytes) and amount.go (AsCanonicalBytes,
// AsCanonicalBase1024Bytes). Values are kept as exact decimals: a digit
// string times a power of ten, as inf.Dec keeps them.
#include "runtime/sim/quantity.h"

#include <charconv>
#include <cstdint>
#include <string_view>

namespace claw::sim {
namespace {

enum class Format { DecimalSI, BinarySI, DecimalExponent };

// An exact value: (-1)^negative * digits * 10^exp10.
struct Quantity {
  bool negative = false;
  std::string digits = "0";
  std::int64_t exp10 = 0;
  Format format = Format::DecimalSI;
  // The input text, kept when ParseQuantity's int64 fast path finds it
  // already canonical (quantity.go: `s: str`); String() then returns it.
  std::optional<std::string> verbatim;
  std::int64_t int_scale = 0;  // the int64Amount scale of the fast path
};

bool is_digit(char c) { return c >= '0' && c <= '9'; }

void strip_leading_zeros(std::string& d) {
  std::size_t i = d.find_first_not_of('0');
  if (i == std::string::npos) d.assign(1, '0');
  else d.erase(0, i);
}

bool is_zero(std::string_view d) { return d.find_first_not_of('0') == std::string_view::npos; }

void double_digits(std::string& d) {
  int carry = 0;
  for (auto it = d.rbegin(); it != d.rend(); ++it) {
    int v = (*it - '0') * 2 + carry;
    *it = char('0' + v % 10);
    carry = v / 10;
  }
  if (carry) d.insert(d.begin(), char('0' + carry));
}

void increment_digits(std::string& d) {
  for (auto it = d.rbegin(); it != d.rend(); ++it) {
    if (*it != '9') { ++*it; return; }
    *it = '0';
  }
  d.insert(d.begin(), '1');
}

// Compares two digit strings without leading zeros.
int compare_digits(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  return a.compare(b) < 0 ? -1 : (a == b ? 0 : 1);
}

// Rounds the magnitude away from zero to 10^scale (inf.RoundUp).
void round_up_to(Quantity& q, std::int64_t scale) {
  if (q.exp10 >= scale) return;
  auto drop = static_cast<std::size_t>(scale - q.exp10);
  bool inexact;
  if (drop >= q.digits.size()) {
    inexact = !is_zero(q.digits);
    q.digits.assign(1, inexact ? '1' : '0');
  } else {
    std::size_t keep = q.digits.size() - drop;
    inexact = !is_zero(std::string_view(q.digits).substr(keep));
    q.digits.erase(keep);
    if (inexact) increment_digits(q.digits);
  }
  strip_leading_zeros(q.digits);
  q.exp10 = scale;
}

// The scanned parts of a quantity string (quantity.go parseQuantityString).
struct Scanned {
  bool positive = true;
  std::string_view value, num, denom, suffix;
};

std::optional<Scanned> scan(std::string_view s) {
  Scanned r;
  std::size_t pos = 0, end = s.size();
  if (pos < end && (s[0] == '-' || s[0] == '+')) {
    r.positive = s[0] == '+';
    ++pos;
  }
  while (pos < end && s[pos] == '0') ++pos;
  if (pos >= end) {
    r.num = r.value = "0";
    return r;
  }
  std::size_t i = pos;
  while (i < end && is_digit(s[i])) ++i;
  r.num = s.substr(pos, i - pos);
  if (i >= end) {
    r.value = s;
    return r;
  }
  pos = i;
  if (r.num.empty()) r.num = "0";
  if (s[pos] == '.') {
    ++pos;
    i = pos;
    while (i < end && is_digit(s[i])) ++i;
    r.denom = s.substr(pos, i - pos);
    if (i >= end) {
      r.value = s;
      return r;
    }
    pos = i;
  }
  r.value = s.substr(0, pos);
  std::size_t suffix_start = pos;
  constexpr std::string_view suffix_chars = "eEinumkKMGTP";
  while (pos < end && suffix_chars.find(s[pos]) != std::string_view::npos) ++pos;
  if (pos < end && (s[pos] == '-' || s[pos] == '+')) ++pos;
  while (pos < end && is_digit(s[pos])) ++pos;
  if (pos < end) return std::nullopt;  // ErrFormatWrong
  r.suffix = s.substr(suffix_start);
  return r;
}

struct Suffix {
  int base;            // 10 or 2
  std::int64_t exponent;
  Format format;
};

// suffix.go interpret: decimal SI, then binary SI, then e/E<int32>.
std::optional<Suffix> interpret(std::string_view s) {
  static constexpr std::pair<std::string_view, int> decimal[] = {
      {"n", -9}, {"u", -6}, {"m", -3}, {"", 0}, {"k", 3}, {"M", 6},
      {"G", 9},  {"T", 12}, {"P", 15}, {"E", 18}};
  static constexpr std::pair<std::string_view, int> binary[] = {
      {"Ki", 10}, {"Mi", 20}, {"Gi", 30}, {"Ti", 40}, {"Pi", 50}, {"Ei", 60}};
  for (auto [text, exp] : decimal)
    if (s == text) return Suffix{10, exp, Format::DecimalSI};
  for (auto [text, exp] : binary)
    if (s == text) return Suffix{2, exp, Format::BinarySI};
  if (s.size() > 1 && (s[0] == 'e' || s[0] == 'E')) {
    std::string_view digits = s.substr(1);
    if (digits[0] == '+') digits.remove_prefix(1);  // strconv.ParseInt takes "+3"
    std::int32_t exp = 0;
    auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), exp);
    if (ec == std::errc() && p == digits.data() + digits.size() && !digits.empty())
      return Suffix{10, exp, Format::DecimalExponent};
  }
  return std::nullopt;
}

constexpr std::string_view kMaxInt64 = "9223372036854775807";

// ParseQuantity's int64 fast path: the value when it applies, and whether
// the input is kept verbatim because it is already canonical.
bool fast_path(const Scanned& p, const Suffix& suf, std::string_view str, Quantity& q) {
  std::int64_t precision = 0, scale = 0, mantissa = 1;
  if (suf.base == 10) {
    scale = suf.exponent;
    precision = 18 - std::int64_t(p.num.size() + p.denom.size());
  } else if (p.denom.empty()) {
    mantissa = std::int64_t{1} << suf.exponent;
    precision = 15 - std::int64_t(p.num.size()) - suf.exponent * 3 / 10 - 1;
  } else {
    precision = -1;
  }
  if (precision < 0) return false;
  scale -= std::int64_t(p.denom.size());
  if (scale < -9) return false;
  std::string shifted = std::string(p.num) + std::string(p.denom);
  std::int64_t value = 0;
  auto [ptr, ec] = std::from_chars(shifted.data(), shifted.data() + shifted.size(), value);
  if (ec != std::errc() || ptr != shifted.data() + shifted.size()) return false;
  std::int64_t result = 0;
  if (__builtin_mul_overflow(value, mantissa, &result)) return false;
  q.digits = std::to_string(result);
  q.exp10 = scale;
  q.int_scale = scale;
  q.format = suf.format;
  bool canonical = suf.base == 2
      ? (suf.exponent % 10 == 0 && (value & 0x07) != 0)
      : (scale % 3 == 0 && !shifted.ends_with("000") && shifted[0] != '0');
  if (canonical) q.verbatim = std::string(str);
  return true;
}

// The integer and fractional digits of a value.
std::pair<std::string, std::string> split_point(const Quantity& q) {
  if (q.exp10 >= 0) return {q.digits + std::string(std::size_t(q.exp10), '0'), ""};
  auto frac = std::size_t(-q.exp10);
  if (frac >= q.digits.size()) return {"0", std::string(frac - q.digits.size(), '0') + q.digits};
  std::string whole = q.digits.substr(0, q.digits.size() - frac);
  strip_leading_zeros(whole);
  return {whole, q.digits.substr(q.digits.size() - frac)};
}

bool above_max_int64(const Quantity& q) {
  auto [whole, frac] = split_point(q);
  int c = compare_digits(whole, std::string(kMaxInt64));
  return c > 0 || (c == 0 && !is_zero(frac));
}

bool below_one(const Quantity& q) { return split_point(q).first == "0"; }

// ParseQuantity.
std::optional<Quantity> parse(std::string_view str) {
  if (str.empty()) return std::nullopt;
  if (str == "0") return Quantity{false, "0", 0, Format::DecimalSI, std::string(str), 0};
  auto p = scan(str);
  if (!p) return std::nullopt;
  auto suf = interpret(p->suffix);
  if (!suf) return std::nullopt;
  Quantity q;
  q.negative = !p->positive;
  if (fast_path(*p, *suf, str, q)) {
    if (is_zero(q.digits)) q.negative = false;
    return q;
  }
  q.format = suf->format;
  q.digits = std::string(p->num) + std::string(p->denom);
  strip_leading_zeros(q.digits);
  q.exp10 = -std::int64_t(p->denom.size());
  if (suf->base == 10) {
    q.exp10 += suf->exponent;
  } else {
    for (std::int64_t i = 0; i < suf->exponent; ++i) double_digits(q.digits);
  }
  // Non-zero values round up to nano ("if you want some resources, you
  // should get some resources").
  if (!is_zero(q.digits)) round_up_to(q, -9);
  if (q.format == Format::BinarySI) {
    if (above_max_int64(q)) {
      q.digits = std::string(kMaxInt64);  // binary quantities are capped
      q.exp10 = 0;
    }
    if (!is_zero(q.digits) && below_one(q)) q.format = Format::DecimalSI;
  }
  if (is_zero(q.digits)) q.negative = false;
  return q;
}

std::string decimal_suffix(std::int64_t exp, Format format) {
  if (format == Format::DecimalSI) {
    switch (exp) {
      case -9: return "n";
      case -6: return "u";
      case -3: return "m";
      case 0: return "";
      case 3: return "k";
      case 6: return "M";
      case 9: return "G";
      case 12: return "T";
      case 15: return "P";
      case 18: return "E";
      default: break;  // beyond "E": exponent notation, as newer releases do
    }
  }
  if (exp == 0) return std::string();
  std::string text(1, 'e');
  text += std::to_string(exp);
  return text;
}

// CanonicalizeBytes for a non-zero value.
std::string canonical_text(Quantity q) {
  std::string sign = q.negative ? "-" : "";
  // Move factors of ten into the exponent.
  std::size_t zeros = q.digits.size() - 1 - q.digits.find_last_not_of('0');
  q.digits.resize(q.digits.size() - zeros);
  q.exp10 += std::int64_t(zeros);
  Format format = q.format;
  if (format == Format::BinarySI) {
    bool integral = q.exp10 >= 0;
    std::string whole = q.digits + std::string(integral ? std::size_t(q.exp10) : 0, '0');
    if (!integral || compare_digits(whole, "1024") < 0) {
      format = Format::DecimalSI;  // small or fractional: no rounding, shown as DecimalSI
    } else {
      std::uint64_t v = std::stoull(whole);
      int times = 0;
      while (v >= 1024 && v % 1024 == 0 && times < 6) { v /= 1024; ++times; }
      static constexpr std::string_view suffixes[] = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
      return sign + std::to_string(v) + std::string(suffixes[times]);
    }
  }
  // Lower the exponent to a multiple of three.
  while (q.exp10 % 3 != 0) {
    q.digits.push_back('0');
    --q.exp10;
  }
  return sign + q.digits + decimal_suffix(q.exp10, format);
}

std::string to_string(const Quantity& q) {
  if (q.verbatim) return *q.verbatim;
  if (is_zero(q.digits)) return "0";
  return canonical_text(q);
}

// The text a JSON value unmarshals from (Quantity.UnmarshalJSON trims
// surrounding whitespace inside the quotes).
std::optional<std::string> input_text(const Json& value) {
  if (value.is_string()) {
    const std::string& s = value.get_ref<const std::string&>();
    constexpr std::string_view space = " \t\n\v\f\r";
    std::size_t b = s.find_first_not_of(space);
    if (b == std::string::npos) return std::string();
    return s.substr(b, s.find_last_not_of(space) - b + 1);
  }
  if (value.is_number()) return value.dump();
  return std::nullopt;
}

}  // namespace

std::optional<std::string> canonical_quantity(const Json& value) {
  auto text = input_text(value);
  if (!text) return std::nullopt;
  auto q = parse(*text);
  if (!q) return std::nullopt;
  return to_string(*q);
}

std::optional<std::string> canonical_resource_quantity(const Json& value) {
  auto text = input_text(value);
  if (!text) return std::nullopt;
  auto q = parse(*text);
  if (!q) return std::nullopt;
  // Quantity.RoundUp(-3): keeps the string when the int64 scale is already
  // at least milli, else rounds away from zero and drops it.
  bool keeps = q->verbatim && q->int_scale >= -3;
  if (!keeps && q->exp10 < -3) {
    q->verbatim.reset();
    round_up_to(*q, -3);
    if (is_zero(q->digits)) q->negative = false;
  }
  return to_string(*q);
}

}  // namespace claw::sim
