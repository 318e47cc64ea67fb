// Splitting independent work over the machine's cores: the emitters' and
// the output writer's loops over thousands of workloads and files.
#pragma once

#include <algorithm>
#include <cstddef>
#include <thread>
#include <vector>

namespace claw::io {

/// Calls `fn(begin, end)` on contiguous ranges covering [0, n), one range per
/// thread (up to 8, one per core); small `n` (below `min_parallel`) runs on
/// the calling thread alone. Each index belongs to exactly one range, so
/// work that writes only its own slots gives the same result on any machine.
template <class Fn>
void parallel_ranges(size_t n, size_t min_parallel, Fn&& fn) {
  size_t threads = n < min_parallel ? 1 : std::clamp<size_t>(std::thread::hardware_concurrency(), 1, 8);
  std::vector<std::thread> pool;
  for (size_t t = 1; t < threads; ++t) pool.emplace_back([&fn, n, t, threads] { fn(n * t / threads, n * (t + 1) / threads); });
  fn(size_t{0}, n / threads);
  for (auto& t : pool) t.join();
}

}  // namespace claw::io
