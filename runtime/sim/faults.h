#pragma once
// Fault injection for tests of retries and half-finished applies: every
// decision comes from one seeded generator, in request order, so a run with
// the same seed and the same requests fails the same way.

#include "runtime/sim/status.h"

#include <cstdint>
#include <mutex>
#include <optional>
#include <random>

namespace claw::sim {

struct FaultOptions {
  double fail_rate = 0;     // share of requests answered 500, 503 or 429
  int latency_ms = 0;       // added before every answer
  double drop_rate = 0;     // share of connections closed without an answer
  long fail_after = -1;     // every request after the N-th fails (500); -1 = never
  std::uint64_t seed = 1;
};

struct FaultDecision {
  int delay_ms = 0;
  bool drop = false;
  std::optional<ApiError> error;
};

class FaultInjector {
 public:
  explicit FaultInjector(FaultOptions options);
  // What happens to the next request; thread-safe.
  FaultDecision next();
  bool active() const;

 private:
  FaultOptions options_;
  std::mutex mutex_;
  std::mt19937_64 random_;
  long served_ = 0;
};

}  // namespace claw::sim
