// Claw's default placement against the reference (the exact solver, with a
// generous budget, optimising the objective) on one tight instance: the
// verdicts, the times, the peaks, and whatever the independent checker finds
// wrong. Shared by placement_tight_test.cpp and tests/bench/placement_bench.cpp.
#pragma once

#include <string>

#include "compiler/placement/placement.h"
#include "tests/unit/placement_tight_gen.h"

namespace claw::tight {

/// What a run of place() concluded: every replica placed, proven
/// impossible (a placement-infeasible error), or neither (another error,
/// such as the solver's time budget running out).
enum class Verdict { Placed, Infeasible, Unknown };

/// "placed", "infeasible", "unknown".
std::string verdict_name(Verdict v);

/// The verdict of `result`.
Verdict verdict_of(const placement::Result& result);

/// One run of place() on an instance.
struct Outcome {
  Verdict verdict = Verdict::Unknown;
  double seconds = 0;        // wall-clock time of place()
  double peak = 0;           // the objective of the placement, when placed
  std::string violation;     // what the independent checker finds wrong; "" when nothing
  std::string search;        // Placement::search: which path placed it
  std::string diagnostics;   // every diagnostic's message and notes, for a failure to print
};

/// Runs place() on `model` with `options`, timing it and checking what it
/// returns with violations() (complete when it says Placed).
Outcome run(const sema::Model& model, const placement::Options& options);

/// The reference's options: no fast path, solved exactly and optimally
/// within `seconds`.
placement::Options reference_options(double seconds);

/// Why claw's outcome and the reference's disagree in a way the issue
/// forbids, for an instance with `witness` (empty: none known); "" when they
/// do not. Claw must place whatever the reference places or a witness
/// proves feasible, must not place what the reference proves impossible,
/// and must place only validly.
std::string disagreement(const Outcome& claw, const Outcome& reference, bool has_witness);

}  // namespace claw::tight
