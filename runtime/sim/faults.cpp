#include "runtime/sim/faults.h"

#include <fmt/format.h>

namespace claw::sim {

FaultInjector::FaultInjector(FaultOptions options) : options_(options), random_(options.seed) {}

bool FaultInjector::active() const {
  return options_.fail_rate > 0 || options_.latency_ms > 0 || options_.drop_rate > 0 || options_.fail_after >= 0;
}

FaultDecision FaultInjector::next() {
  std::lock_guard lock(mutex_);
  FaultDecision d;
  d.delay_ms = options_.latency_ms;
  ++served_;
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  double drop_roll = unit(random_);
  double fail_roll = unit(random_);
  std::uint64_t which = random_() % 3;
  if (options_.fail_after >= 0 && served_ > options_.fail_after) {
    d.error = ApiError{500, "InternalError",
                       fmt::format("Internal error occurred: claw-sim fails every request after the {}th (--fail-after)",
                                   options_.fail_after),
                       Json::object()};
    return d;
  }
  if (drop_roll < options_.drop_rate) {
    d.drop = true;
    return d;
  }
  if (fail_roll < options_.fail_rate) {
    // The three transient answers a real server gives under load.
    if (which == 0) {
      d.error = ApiError{500, "InternalError", "Internal error occurred: injected by claw-sim (--fail-rate)",
                         Json::object()};
    } else if (which == 1) {
      d.error = ApiError{503, "ServiceUnavailable", "the server is currently unable to handle the request",
                         Json::object(), 1};
    } else {
      d.error = ApiError{429, "TooManyRequests", "Too many requests, please try again later.", Json::object(), 1};
    }
  }
  return d;
}

}  // namespace claw::sim
