#include "compiler/k8s/reserve.h"

namespace claw::k8s {
namespace {

constexpr int64_t kMiB = 1024 * 1024;
constexpr int64_t kBaseCpuMillis = 80;
constexpr int64_t kCpuPercent = 1;
constexpr int64_t kBaseMemory = 330 * kMiB;
constexpr int64_t kMemoryPercent = 5;
constexpr int64_t kEvictionThreshold = 100 * kMiB;  // kubelet's `memory.available<100Mi`

}  // namespace

Reserve default_reserve(int64_t cpu_millis, int64_t memory_bytes) {
  // Divided first: capacities near the 64-bit limit must not overflow.
  return Reserve{kBaseCpuMillis + cpu_millis / 100 * kCpuPercent,
                 kBaseMemory + memory_bytes / 100 * kMemoryPercent + kEvictionThreshold};
}

}  // namespace claw::k8s
