// The exact placement solver: an integer program of the whole instance,
// solved by CBC (COIN-OR branch and cut, Debian's coinor-libcbc-dev). It is
// complete: it finds a placement whenever one exists, and says "infeasible"
// only when the branch and bound proved that none does. The fast paths of
// placement.cpp come first; this is their fallback and the tests' reference.
#pragma once

#include <utility>
#include <vector>

#include "compiler/placement/fit.h"
#include "compiler/sema/model.h"

namespace claw::placement {

/// One replica to place, with the machines that could ever run it.
struct Item {
  sema::WorkloadId workload;
  int replica = 0;
  Need need;
  std::vector<sema::MachineId> candidates;
  /// Soft preferences, read by the objective only: machines the workload
  /// prefers (empty: none), and whether each candidate has a
  /// PreferNoSchedule taint the workload does not tolerate.
  std::vector<sema::MachineId> prefer;
  std::vector<sema::MachineId> soft_tainted;
};

enum class Verdict {
  Placed,      // `where` holds a placement of every item
  Infeasible,  // proven: no placement of every item exists
  Unknown,     // the time budget ran out before either was found
};

struct Solved {
  Verdict verdict = Verdict::Unknown;
  /// Per item, in the order given: the machine and the card indices.
  std::vector<std::pair<sema::MachineId, std::vector<int>>> where;
};

struct SolveOptions {
  double seconds = 10;  // the budget; past it, the best placement found or Unknown (0: Unknown at once)
  /// 0: minimise the peak to optimality; above it, stop once the peak is
  /// proven within this fraction of the best possible.
  double gap = 0.02;
  /// Whether the objective minimises the peak; false: any placement, by the
  /// soft preferences (a feasibility question, which CBC answers far sooner
  /// on tight instances: the peak's rows make its relaxation spread every
  /// workload evenly, far from any whole placement).
  bool minimise_peak = true;
  /// Once a first placement is found, how many more branch-and-bound nodes
  /// may improve it (a count, for determinism; the local search after the
  /// solver improves it further); negative: until the gap or the budget.
  long settle_nodes = 200;
  /// Above this many integer variables the program is not built (Unknown):
  /// its memory, not its time, would be the limit.
  size_t max_variables = 400'000;
};

/// Places every item on top of what `base` already holds. The objective:
/// minimise the highest cpu, memory or VRAM fraction of any machine
/// (`peak_utilisation`), then, by small weights, replicas of one workload
/// sharing a machine, replicas off their preferred machines and on machines
/// with a PreferNoSchedule taint they do not tolerate.
/// A "placed" answer is returned only when it holds (below); one that does
/// not is returned as Unknown.
Solved solve_exact(const State& base, const std::vector<Item>& items, const SolveOptions& options = {});

/// Whether `solved` is a placement of every item of `items`, in order, on
/// one of its candidates, within what `base` leaves: cpu, memory, and
/// distinct cards each big enough, whole or shared as asked.
bool holds(const State& base, const std::vector<Item>& items, const Solved& solved);

/// The objective's main term for a finished placement: the highest cpu,
/// memory or VRAM (over each machine's usable VRAM) fraction of any machine.
double peak_utilisation(const std::vector<MachineUse>& use, const std::vector<std::vector<Card>>& cards);
double peak_utilisation(const Placement& p);

}  // namespace claw::placement
