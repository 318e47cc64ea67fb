// Tight placement instances for testing and benchmarking placement against a
// reference: seeded, deterministic sema::Model values at 85-100% of capacity
// (mixed arch, taints and tolerations, roles, pins, avoids, multi-card GPU
// machines with mixed card sizes, whole and shared cards), and a checker of
// a placement written from the Model alone, independent of claw's placement
// code. Used by placement_tight_test.cpp and tests/bench/placement_bench.cpp.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "compiler/placement/placement.h"
#include "compiler/sema/model.h"

namespace claw::tight {

/// How big an instance is, in replicas: Small 10-60, Large 60-400.
enum class Size { Small, Large };

/// How an instance is made.
/// Planted: a placement is built first, then every machine is sized around
/// it, so it is feasible by construction (the witness says how).
/// Perturbed: a planted instance then made a little harder (a machine
/// shrunk, a replica added, a request raised): feasible or not, near the
/// boundary, so only a reference can tell.
enum class Kind { Planted, Perturbed };

struct GenOptions {
  Size size = Size::Small;
  Kind kind = Kind::Planted;
  /// Whether GPU workloads may ask for shared cards (`share = true`).
  bool shared_cards = false;
};

/// One generated instance; `witness` is a complete valid placement of
/// `model` for Planted instances (empty for Perturbed ones).
struct Instance {
  sema::Model model;
  std::vector<placement::Assignment> witness;
};

/// The instance of `seed` under `options`: the same arguments always give
/// the same instance, on every platform.
Instance generate(uint32_t seed, const GenOptions& options);

/// How many replicas `model` asks to place (services' replicas, jobs'
/// parallelism).
int total_replicas(const sema::Model& model);

/// Every hard constraint `assignments` break in `model` (arch, taints, roles,
/// pins, avoids, cpu and memory after reservations, cards: existing,
/// distinct, big enough, exclusive or shared within VRAM), and, when
/// `complete`, any replica not placed exactly once; "" when none. Written
/// from the Model alone.
std::string violations(const sema::Model& model, const std::vector<placement::Assignment>& assignments, bool complete);

/// The highest fraction of any machine's allocatable cpu or memory, or of any
/// card's usable VRAM, that `assignments` use (a whole card counts as full).
double peak_fraction(const sema::Model& model, const std::vector<placement::Assignment>& assignments);

/// `model` in a minimal text form, one line per machine and per workload,
/// for a failing test to print.
std::string describe(const sema::Model& model);

}  // namespace claw::tight
