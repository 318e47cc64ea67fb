// Splitting independent work over the machine's cores: the emitters' and
// the output writer's loops over thousands of workloads and files.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

namespace claw::io {

/// Calls `fn(begin, end)` on contiguous ranges covering [0, n) from one
/// thread per core (up to 8); small `n` (below `min_parallel`) runs on the
/// calling thread alone. The ranges are handed out as threads become free,
/// several per thread, so a thread slowed by other work does not hold the
/// rest back. Each index belongs to exactly one range, so work that writes
/// only its own slots gives the same result on any machine.
template <class Fn>
void parallel_ranges(size_t n, size_t min_parallel, Fn&& fn) {
  size_t threads = n < min_parallel ? 1 : std::clamp<size_t>(std::thread::hardware_concurrency(), 1, 8);
  if (threads == 1) {
    if (n > 0) fn(size_t{0}, n);
    return;
  }
  const size_t chunk = std::max<size_t>(1, n / (8 * threads));
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t begin; (begin = next.fetch_add(chunk, std::memory_order_relaxed)) < n;) fn(begin, std::min(n, begin + chunk));
  };
  std::vector<std::thread> pool;
  for (size_t t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
}

}  // namespace claw::io
