#include "runtime/cluster/retry_policy.h"

#include <doctest/doctest.h>

#include <random>
#include <string>

using namespace claw::cluster;
using std::chrono::milliseconds;

namespace {

// 1994-11-06T08:47:37Z: two minutes before RFC 9110's example date.
std::chrono::system_clock::time_point example_now() {
  return std::chrono::system_clock::from_time_t(784111657);
}

RetryOptions options() {
  RetryOptions o;
  o.max_attempts = 4;
  o.base_delay = milliseconds(100);
  o.max_delay = milliseconds(1000);
  o.max_retry_after = milliseconds(30'000);
  return o;
}

}  // namespace

TEST_CASE("retry policy: Retry-After as delay-seconds or any of the three HTTP-date forms") {
  struct Case {
    const char* value;
    std::optional<milliseconds> want;
  };
  const Case cases[] = {
      {"0", milliseconds(0)},
      {"1", milliseconds(1000)},
      {" 120 ", milliseconds(120'000)},
      // RFC 9110 §5.6.7's example date, in its three forms, two minutes ahead.
      {"Sun, 06 Nov 1994 08:49:37 GMT", milliseconds(120'000)},
      {"Sunday, 06-Nov-94 08:49:37 GMT", milliseconds(120'000)},
      {"Sun Nov  6 08:49:37 1994", milliseconds(120'000)},
      // A date already past asks for no wait.
      {"Sun, 06 Nov 1994 08:00:00 GMT", milliseconds(0)},
      {"-1", std::nullopt},
      {"1.5", std::nullopt},
      {"soon", std::nullopt},
      {"", std::nullopt},
      {"Sun, 06 Nov 1994 08:49:37 PST", std::nullopt},
      {"Sun, 06 Foo 1994 08:49:37 GMT", std::nullopt},
  };
  for (const Case& c : cases) {
    CAPTURE(c.value);
    CHECK(parse_retry_after(c.value, example_now()) == c.want);
  }
}

TEST_CASE("retry policy: what is retried, by status, fault and idempotency") {
  struct Case {
    const char* name;
    int status;
    Fault fault;
    bool idempotent;
    bool retry;
  };
  const Case cases[] = {
      {"429 GET", 429, Fault::none, true, true},
      {"429 create (not processed)", 429, Fault::none, false, true},
      {"500 GET", 500, Fault::none, true, true},
      {"502 GET", 502, Fault::none, true, true},
      {"503 GET", 503, Fault::none, true, true},
      {"504 GET", 504, Fault::none, true, true},
      {"500 create", 500, Fault::none, false, false},
      {"503 create", 503, Fault::none, false, false},
      {"501 GET", 501, Fault::none, true, false},
      {"404 GET", 404, Fault::none, true, false},
      {"409 GET", 409, Fault::none, true, false},
      {"200 GET", 200, Fault::none, true, false},
      {"refused GET", 0, Fault::refused, true, true},
      {"reset GET", 0, Fault::reset, true, true},
      {"timeout GET", 0, Fault::timeout, true, true},
      {"got nothing GET", 0, Fault::got_nothing, true, true},
      {"reset create", 0, Fault::reset, false, false},
      {"got nothing create", 0, Fault::got_nothing, false, false},
      {"bad certificate GET", 0, Fault::other, true, false},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    AttemptOutcome outcome{1, c.status, "", c.fault, c.idempotent};
    CHECK(decide_retry(outcome, options(), example_now(), 0.5).retry == c.retry);
  }
}

TEST_CASE("retry policy: Retry-After is honoured and capped; without it the backoff applies") {
  RetryOptions o = options();
  AttemptOutcome outcome{1, 429, "3", Fault::none, true};
  CHECK(decide_retry(outcome, o, example_now(), 0.99).delay == milliseconds(3000));
  outcome.retry_after = "Sun, 06 Nov 1994 08:49:37 GMT";
  CHECK(decide_retry(outcome, o, example_now(), 0.99).delay == milliseconds(30'000));
  outcome.retry_after = "99999999999999999999999";
  CHECK(decide_retry(outcome, o, example_now(), 0.0).delay == milliseconds(30'000));
  outcome.retry_after = "";
  CHECK(decide_retry(outcome, o, example_now(), 0.5).delay == milliseconds(50));
  outcome.retry_after = "garbage";
  CHECK(decide_retry(outcome, o, example_now(), 0.5).delay == milliseconds(50));
  // A 503 with Retry-After waits as asked too (client-go's checkWait).
  AttemptOutcome unavailable{2, 503, "2", Fault::none, true};
  CHECK(decide_retry(unavailable, o, example_now(), 0.0).delay == milliseconds(2000));
}

TEST_CASE("retry policy: no retry once max_attempts attempts were made") {
  RetryOptions o = options();
  for (int attempt = 1; attempt <= 6; ++attempt) {
    CAPTURE(attempt);
    AttemptOutcome outcome{attempt, 503, "", Fault::none, true};
    CHECK(decide_retry(outcome, o, example_now(), 0.5).retry == (attempt < 4));
  }
}

TEST_CASE("retry policy: exponential ceilings, capped, with full jitter below them") {
  RetryOptions o = options();
  // Ceilings 100, 200, 400, 800, then 1000 (max_delay) ms.
  const int64_t ceilings[] = {100, 200, 400, 800, 1000, 1000};
  for (int attempt = 1; attempt <= 6; ++attempt) {
    CAPTURE(attempt);
    CHECK(backoff_delay(attempt, o, 0.0) == milliseconds(0));
    CHECK(backoff_delay(attempt, o, 0.5) == milliseconds(ceilings[attempt - 1] / 2));
  }
  std::mt19937_64 rng(1);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  int64_t smallest = 1'000'000, largest = -1;
  for (int i = 0; i < 1000; ++i) {
    int64_t d = backoff_delay(3, o, uniform(rng)).count();
    smallest = std::min(smallest, d);
    largest = std::max(largest, d);
  }
  CHECK(smallest >= 0);
  CHECK(largest < 400);
  // Full jitter spreads the delays over the whole range, not near the ceiling.
  CHECK(smallest < 40);
  CHECK(largest > 360);
}
