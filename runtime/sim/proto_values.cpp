#include "runtime/sim/proto_values.h"

#include <fmt/format.h>

#include <array>
#include <ctime>
#include <utility>

namespace claw::sim::proto {

namespace {

// Go time/time.go fmtFrac: value / 10^precision, and the fraction as ".ddd"
// without trailing zeros (empty when it is zero).
std::pair<std::uint64_t, std::string> split_fraction(std::uint64_t value, int precision) {
  std::string digits;
  for (int i = 0; i < precision; ++i) {
    auto digit = static_cast<char>('0' + value % 10);
    if (digit != '0' || !digits.empty()) digits = std::string(1, digit) + digits;
    value /= 10;
  }
  return {value, digits.empty() ? std::string() : "." + digits};
}

}  // namespace

// Port of Duration.String in Go's time/time.go.
std::string go_duration_string(std::int64_t nanoseconds) {
  if (nanoseconds == 0) return "0s";
  std::string sign = nanoseconds < 0 ? "-" : "";
  auto u = nanoseconds < 0 ? ~static_cast<std::uint64_t>(nanoseconds) + 1 : static_cast<std::uint64_t>(nanoseconds);
  if (u < 1'000) return sign + std::to_string(u) + "ns";
  if (u < 1'000'000) {
    auto [whole, fraction] = split_fraction(u, 3);
    return sign + std::to_string(whole) + fraction + "\u00b5s";
  }
  if (u < 1'000'000'000) {
    auto [whole, fraction] = split_fraction(u, 6);
    return sign + std::to_string(whole) + fraction + "ms";
  }
  auto [seconds, fraction] = split_fraction(u, 9);
  auto text = std::to_string(seconds % 60) + fraction + "s";
  auto minutes = seconds / 60;
  if (minutes > 0) {
    text = std::to_string(minutes % 60) + "m" + text;
    if (minutes / 60 > 0) text = std::to_string(minutes / 60) + "h" + text;
  }
  return sign + text;
}

std::optional<std::string> rfc3339_utc(std::int64_t seconds, std::int64_t micros, int fraction_digits) {
  constexpr std::int64_t kMin = -62167219200;  // 0000-01-01T00:00:00Z
  constexpr std::int64_t kMax = 253402300799;  // 9999-12-31T23:59:59Z
  seconds += micros / 1'000'000;
  micros %= 1'000'000;
  if (micros < 0) {
    micros += 1'000'000;
    --seconds;
  }
  if (seconds < kMin || seconds > kMax) return std::nullopt;
  auto t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  if (gmtime_r(&t, &tm) == nullptr) return std::nullopt;
  auto text = fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                          tm.tm_hour, tm.tm_min, tm.tm_sec);
  if (fraction_digits > 0) text += fmt::format(".{:06}", micros);
  return text + "Z";
}

std::string base64_encode(std::string_view bytes) {
  static constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    std::uint32_t chunk = static_cast<std::uint8_t>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) chunk |= static_cast<std::uint8_t>(bytes[i + 1]) << 8;
    if (i + 2 < bytes.size()) chunk |= static_cast<std::uint8_t>(bytes[i + 2]);
    out += kAlphabet[(chunk >> 18) & 63];
    out += kAlphabet[(chunk >> 12) & 63];
    out += i + 1 < bytes.size() ? kAlphabet[(chunk >> 6) & 63] : '=';
    out += i + 2 < bytes.size() ? kAlphabet[chunk & 63] : '=';
  }
  return out;
}

namespace {

// The length of the valid UTF-8 sequence at text[i], or 0 (Go's utf8.DecodeRune rules:
// no overlong forms, no surrogates, nothing above U+10FFFF).
std::size_t utf8_sequence(std::string_view text, std::size_t i) {
  auto byte = [&](std::size_t k) { return static_cast<std::uint8_t>(text[k]); };
  auto lead = byte(i);
  if (lead < 0x80) return 1;
  std::size_t size = 0;
  std::uint8_t low = 0x80, high = 0xbf;
  if (lead >= 0xc2 && lead <= 0xdf) size = 2;
  else if (lead >= 0xe0 && lead <= 0xef) size = 3;
  else if (lead >= 0xf0 && lead <= 0xf4) size = 4;
  else return 0;
  if (lead == 0xe0) low = 0xa0;
  if (lead == 0xed) high = 0x9f;
  if (lead == 0xf0) low = 0x90;
  if (lead == 0xf4) high = 0x8f;
  if (i + size > text.size()) return 0;
  if (byte(i + 1) < low || byte(i + 1) > high) return 0;
  for (std::size_t k = 2; k < size; ++k)
    if (byte(i + k) < 0x80 || byte(i + k) > 0xbf) return 0;
  return size;
}

}  // namespace

std::string valid_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    auto size = utf8_sequence(text, i);
    if (size == 0) {
      out += "\uFFFD";
      ++i;
    } else {
      out.append(text.substr(i, size));
      i += size;
    }
  }
  return out;
}

}  // namespace claw::sim::proto
