// Monotonic time for the phase timings (`--timings`) and nothing else: no
// result ever depends on it.
#pragma once

#include <chrono>
#include <cstdint>

namespace claw::io {

/// Nanoseconds on a monotonic clock.
inline uint64_t now_ns() {
  return static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch()).count());
}

}  // namespace claw::io
