// What a node keeps back from its pods when the program does not say: the
// default of a machine's `reserved`.
#pragma once

#include <cstdint>

namespace claw::k8s {

/// Cpu (millicores) and memory (bytes) kept from pods.
struct Reserve {
  int64_t cpu_millis = 0;
  int64_t memory_bytes = 0;
};

/// The default reserve of a machine with this capacity, modelled on Google
/// Distributed Cloud's (GKE on-prem's) documented node reserve plus
/// kubelet's default hard eviction threshold: cpu 80m + 1% of the cores;
/// memory 330MiB + 5% of the memory + 100MiB. It scales with the machine:
/// a 1GiB Raspberry Pi 3 keeps 481MiB, a 16GiB server 1.2GiB.
Reserve default_reserve(int64_t cpu_millis, int64_t memory_bytes);

}  // namespace claw::k8s
