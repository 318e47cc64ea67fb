#include "runtime/cluster/retry_policy.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>
#include <ctime>
#include <limits>
#include <string>

namespace claw::cluster {
namespace {

using std::chrono::milliseconds;

constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

int month_index(const char* name) {
  for (size_t i = 0; i < kMonths.size(); ++i) {
    if (kMonths[i] == name) return static_cast<int>(i);
  }
  return -1;
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// delay-seconds = 1*DIGIT (RFC 9110 §10.2.3); a value too large for 64
// bits is as good as infinite (the caller caps it).
milliseconds parse_seconds(std::string_view s) {
  uint64_t seconds = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), seconds);
  (void)end;
  constexpr uint64_t kMax = std::numeric_limits<int64_t>::max() / 1000;
  if (ec == std::errc::result_out_of_range || seconds > kMax) return milliseconds(static_cast<int64_t>(kMax) * 1000);
  return milliseconds(static_cast<int64_t>(seconds) * 1000);
}

// The three HTTP-date forms a recipient must accept (RFC 9110 §5.6.7):
// IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT", the obsolete RFC 850
// "Sunday, 06-Nov-94 08:49:37 GMT" and asctime "Sun Nov  6 08:49:37 1994".
std::optional<std::tm> parse_http_date(const std::string& s) {
  std::tm tm{};
  char weekday[16] = {}, month[4] = {}, zone[4] = {};
  int day = 0, year = 0, consumed = 0;
  if (std::sscanf(s.c_str(), "%3[A-Za-z], %2d %3[A-Za-z] %4d %2d:%2d:%2d %3[A-Z]%n", weekday, &day, month, &year,
                  &tm.tm_hour, &tm.tm_min, &tm.tm_sec, zone, &consumed) == 8 &&
      consumed == static_cast<int>(s.size())) {
  } else if (std::sscanf(s.c_str(), "%15[A-Za-z], %2d-%3[A-Za-z]-%2d %2d:%2d:%2d %3[A-Z]%n", weekday, &day, month,
                         &year, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, zone, &consumed) == 8 &&
             consumed == static_cast<int>(s.size())) {
    year += year < 70 ? 2000 : 1900;
  } else if (std::sscanf(s.c_str(), "%3[A-Za-z] %3[A-Za-z] %2d %2d:%2d:%2d %4d%n", weekday, month, &day, &tm.tm_hour,
                         &tm.tm_min, &tm.tm_sec, &year, &consumed) == 7 &&
             consumed == static_cast<int>(s.size())) {
    zone[0] = 'G', zone[1] = 'M', zone[2] = 'T';
  } else {
    return std::nullopt;
  }
  int mon = month_index(month);
  if (mon < 0 || std::string_view(zone) != "GMT" || day < 1 || day > 31 || tm.tm_hour > 23 || tm.tm_min > 59 ||
      tm.tm_sec > 60) {
    return std::nullopt;
  }
  tm.tm_mday = day;
  tm.tm_mon = mon;
  tm.tm_year = year - 1900;
  return tm;
}

bool retryable_status(int status) { return status == 500 || status == 502 || status == 503 || status == 504; }

bool retryable_fault(Fault fault) {
  return fault == Fault::refused || fault == Fault::reset || fault == Fault::timeout || fault == Fault::got_nothing;
}

}  // namespace

std::optional<milliseconds> parse_retry_after(std::string_view value, std::chrono::system_clock::time_point now) {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  if (all_digits(value)) return parse_seconds(value);
  std::optional<std::tm> tm = parse_http_date(std::string(value));
  if (!tm) return std::nullopt;
  auto when = std::chrono::system_clock::from_time_t(timegm(&*tm));
  if (when <= now) return milliseconds(0);
  return std::chrono::duration_cast<milliseconds>(when - now);
}

milliseconds backoff_delay(int attempt, const RetryOptions& options, double jitter) {
  int64_t ceiling = options.base_delay.count();
  for (int i = 1; i < attempt && ceiling < options.max_delay.count(); ++i) ceiling *= 2;
  ceiling = std::min(ceiling, options.max_delay.count());
  double u = std::clamp(jitter, 0.0, 1.0);
  return milliseconds(static_cast<int64_t>(u * static_cast<double>(ceiling)));
}

RetryDecision decide_retry(const AttemptOutcome& outcome, const RetryOptions& options,
                           std::chrono::system_clock::time_point now, double jitter) {
  if (outcome.attempt >= options.max_attempts) return {};
  const bool too_many = outcome.status == 429;
  const bool retryable = too_many || (outcome.idempotent && (retryable_status(outcome.status) ||
                                                             (outcome.status == 0 && retryable_fault(outcome.fault))));
  if (!retryable) return {};
  // client-go's checkWait waits exactly as long as Retry-After says; here
  // that wait is capped so a hostile or confused server cannot stall a run.
  if (outcome.status != 0 && !outcome.retry_after.empty()) {
    if (std::optional<milliseconds> wait = parse_retry_after(outcome.retry_after, now)) {
      return {true, std::min(*wait, options.max_retry_after)};
    }
  }
  return {true, backoff_delay(outcome.attempt, options, jitter)};
}

}  // namespace claw::cluster
