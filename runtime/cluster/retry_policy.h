// When a failed request is sent again, and after how long: pure functions
// of the attempt's outcome, the request's idempotency and the options, so
// the transport (curl_transport.h) and its tests share one rule.
//
// What is retried follows client-go (k8s.io/client-go/rest/request.go and
// with_retry.go): `checkWait` makes a 429 (and a 5xx carrying Retry-After)
// wait and retry; `IsRetryableError` retries a connection reset or an early
// EOF only for GET, since a write may already have been applied. claw widens
// "GET" to any request marked idempotent (transport.h) and retries
// 500/502/503/504 and connection faults for those only (client-go would
// also resend a create on a 5xx carrying Retry-After, but a 504 timeout may
// have been applied, so claw does not); a 429 means the
// server did not process the request (kube-apiserver's max-in-flight and
// priority-and-fairness filters answer it before any handler), so it is
// retried for every request.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace claw::cluster {

/// Why an attempt got no HTTP response, as far as retrying is concerned.
enum class Fault {
  none,         // an HTTP response came
  refused,      // the connection could not be opened
  reset,        // the connection broke while sending or receiving (TLS read/write included)
  timeout,      // the connect or request timeout passed
  got_nothing,  // the server closed the connection without a response
  other,        // anything else (bad certificate, bad URL, ...): never retried
};

/// Limits of retrying; the defaults suit a real cluster.
struct RetryOptions {
  /// Attempts in all, the first included (client-go's default is 10 retries).
  int max_attempts = 6;
  /// The backoff's first ceiling; doubled per attempt up to `max_delay`.
  std::chrono::milliseconds base_delay{200};
  std::chrono::milliseconds max_delay{10'000};
  /// The longest wait a server's Retry-After may ask for.
  std::chrono::milliseconds max_retry_after{30'000};
};

/// One finished attempt as the policy sees it.
struct AttemptOutcome {
  int attempt = 1;  // 1 for the first
  int status = 0;   // 0 when no response came
  std::string_view retry_after;  // the Retry-After header's value, empty when absent
  Fault fault = Fault::none;
  bool idempotent = true;
};

struct RetryDecision {
  bool retry = false;
  std::chrono::milliseconds delay{0};
};

/// Whether to send the request again and after how long; `now` reads an
/// HTTP-date Retry-After, `jitter` is a number drawn uniformly from [0, 1).
RetryDecision decide_retry(const AttemptOutcome& outcome, const RetryOptions& options,
                           std::chrono::system_clock::time_point now, double jitter);

/// The wait a Retry-After value asks for: delay-seconds or an HTTP-date
/// (RFC 9110 §10.2.3), a date in the past being 0; nullopt when malformed.
std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view value,
                                                           std::chrono::system_clock::time_point now);

/// Exponential backoff with full jitter: `jitter` × min(max_delay,
/// base_delay × 2^(attempt-1)).
std::chrono::milliseconds backoff_delay(int attempt, const RetryOptions& options, double jitter);

}  // namespace claw::cluster
