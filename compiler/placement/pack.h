// A depth-first search by counts, for the tight instances the exact
// solver's branch and bound wanders on: those whose only placements fill
// machines exactly, where the linear relaxation is no guide. It places the
// workloads one at a time, largest first, deciding per machine how many
// replicas of the workload go there (most first), and backs out of any
// branch where the replicas left cannot fit in the room left (see
// room_suffices in pack.cpp). It only finds placements: it never says that
// none exists, so the solver still decides what it does not place.
#pragma once

#include <cstddef>
#include <vector>

#include "compiler/placement/fit.h"
#include "compiler/placement/solve.h"

namespace claw::placement {

struct PackOptions {
  /// The search's budget, in units of work (one machine looked at for one
  /// workload): a count rather than a time, so that the same instance
  /// always gives the same answer. About a second at the default, which is
  /// placement's at `--placement-seconds 10` (Options::solver_seconds
  /// scales it).
  size_t work_limit = 300'000'000;
  /// Above this many (workload, candidate machine) pairs the search is not
  /// tried: its depth grows with them.
  size_t max_pairs = 20'000;
};

/// A placement of every item on top of what `base` holds (Verdict::Placed,
/// checked with holds()), or Verdict::Unknown when the budget ran out or
/// the search found none.
Solved pack(const State& base, const std::vector<Item>& items, const PackOptions& options = {});

}  // namespace claw::placement
