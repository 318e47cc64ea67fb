// The real Transport: HTTPS to the API server through libcurl, one multi
// handle for the transport's life (connections kept and reused, HTTP/2
// multiplexed where the server offers it), at most `parallelism` requests
// in flight, and failed attempts retried by retry_policy.h inside the same
// loop, so a request waiting to be retried never holds up the others.
// Credentials stay in memory and in libcurl; no message carries them.
#pragma once

#include <chrono>
#include <cstdint>
#include <expected>
#include <memory>
#include <string>

#include "runtime/cluster/endpoint.h"
#include "runtime/cluster/retry_policy.h"
#include "runtime/cluster/transport.h"

namespace claw::cluster {

/// Time as the retry scheduler sees it: the real one, or a fake in tests.
class RetryClock {
 public:
  virtual ~RetryClock() = default;
  /// Monotonic now, for when a retry is due.
  virtual std::chrono::steady_clock::time_point now() = 0;
  /// Calendar now, for a Retry-After given as an HTTP-date.
  virtual std::chrono::system_clock::time_point wall_now() = 0;
  /// Waits `d` when no request is in flight and a retry is due later.
  virtual void sleep_for(std::chrono::milliseconds d) = 0;
};

/// The process's real clocks and sleep.
std::shared_ptr<RetryClock> system_retry_clock();

struct CurlOptions {
  /// Requests in flight at once.
  size_t parallelism = 32;
  std::chrono::milliseconds connect_timeout{10'000};
  /// The whole exchange of one attempt (client-go has no default; kubectl's
  /// --request-timeout is 0, unlimited); 0 means no limit.
  std::chrono::milliseconds request_timeout{60'000};
  RetryOptions retry;
  /// Seeds the backoff's jitter.
  uint64_t seed = 1;
  /// The User-Agent header; the caller gives `claw/<version>`.
  std::string user_agent = "claw";
  /// Null: system_retry_clock().
  std::shared_ptr<RetryClock> clock;
};

class CurlTransport : public Transport {
 public:
  /// A transport to `endpoint`, or why one cannot be made (a server URL
  /// libcurl cannot parse, libcurl failing to start).
  static std::expected<std::unique_ptr<CurlTransport>, std::string> create(const Endpoint& endpoint,
                                                                           CurlOptions options = {});
  ~CurlTransport() override;
  CurlTransport(const CurlTransport&) = delete;
  CurlTransport& operator=(const CurlTransport&) = delete;

  /// Performs the batch as Transport says; calls from several threads are
  /// serialised (one batch at a time).
  std::vector<Response> perform(std::span<const Request> batch, const OnResponse& on_response = {}) override;
  using Transport::perform;
  /// HTTP requests that went out on a connection, retries and libcurl's
  /// own resends included; an attempt whose connection failed is not one.
  uint64_t requests_sent() const override;
  /// Connections opened so far (each reused one counted once).
  uint64_t connections_opened() const;

  struct Impl;

 private:
  explicit CurlTransport(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace claw::cluster
