// The default reserve of a machine, by its size: small machines keep
// something for pods, large ones keep more for the system.
#include <doctest/doctest.h>

#include "compiler/k8s/reserve.h"

namespace {

constexpr int64_t kMiB = 1024 * 1024;
constexpr int64_t kGiB = 1024 * kMiB;

}  // namespace

TEST_CASE("the default reserve: cpu 80m + 1%, memory 330MiB + 5% + 100MiB, by machine size") {
  struct Case {
    const char* machine;
    int64_t cpu_millis, memory_bytes;
    int64_t reserved_cpu, reserved_memory;
  };
  // Worked by hand: 5% of N bytes is N / 100 * 5 (rounded down first).
  const Case cases[] = {
      {"Raspberry Pi Zero 2 (1 core, 512MiB)", 1000, 512 * kMiB, 90, 430 * kMiB + 26843545},
      {"Raspberry Pi 3 (4 cores, 1GiB)", 4000, kGiB, 120, 430 * kMiB + 53687090},
      {"Raspberry Pi 4 (4 cores, 4GiB)", 4000, 4 * kGiB, 120, 430 * kMiB + 214748360},
      {"mini PC (8 cores, 16GiB)", 8000, 16 * kGiB, 160, 430 * kMiB + 858993455},
      {"GPU server (24 cores, 128GiB)", 24000, 128 * kGiB, 320, 430 * kMiB + 6871947670},
      {"half a core", 500, 256 * kMiB, 85, 430 * kMiB + 13421770},
  };
  for (const Case& c : cases) {
    CAPTURE(c.machine);
    const auto r = claw::k8s::default_reserve(c.cpu_millis, c.memory_bytes);
    CHECK(r.cpu_millis == c.reserved_cpu);
    CHECK(r.memory_bytes == c.reserved_memory);
  }
  // A 1GiB Pi keeps more than half of its memory for pods (the old flat
  // 1GiB default left it nothing); a 256MiB machine is left nothing.
  CHECK(claw::k8s::default_reserve(4000, kGiB).memory_bytes < kGiB / 2);
  CHECK(claw::k8s::default_reserve(1000, 256 * kMiB).memory_bytes > 256 * kMiB);
  // Capacities near the 64-bit limit do not overflow.
  const auto huge = claw::k8s::default_reserve(INT64_MAX, INT64_MAX);
  CHECK(huge.cpu_millis > 0);
  CHECK(huge.memory_bytes > 0);
}
