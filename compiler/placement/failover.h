// Failover, proven offline: for every set of `survive` machines that could
// be lost at once, whether the replicas of `failover` workloads they held
// all fit on the machines left, given what those already run. Kubernetes
// reschedules a pod only after its machine is gone and proves nothing about
// room; this says beforehand which loss would strand which workload, with
// the arithmetic.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "compiler/diag/diagnostic.h"
#include "compiler/io/clock.h"
#include "compiler/placement/fit.h"
#include "compiler/placement/placement.h"
#include "compiler/placement/solve.h"
#include "compiler/sema/model.h"

namespace claw::placement {

/// Whether `w`'s pods may run elsewhere than placement chose: a service,
/// job or cron whose `placement` (else the cluster's) is `failover`.
bool fails_over(const sema::Model& model, const sema::Workload& w);

/// Why a replica on a lost machine does not move.
enum class Stays {
  Pinned,     // its policy is `pinned`
  On,         // it fails over, but `on` pins it to the lost machine
  LocalData,  // its volume data lives on the lost machine's disk
};

/// A workload whose replicas stay down with the lost machines.
struct Down {
  sema::WorkloadId workload;
  int replicas = 0;
  Stays why = Stays::Pinned;
};

/// A failover workload whose displaced replicas do not all fit on the
/// machines left, and why on each machine that could run it.
struct Stranded {
  sema::WorkloadId workload;
  int replicas = 0;  // its replicas on the lost machines
  Need need;         // of each
  /// Per surviving machine that could run it, what it has left in words
  /// ("needs cpu 1, has 500m of 3.9 left"), in machine order.
  std::vector<std::pair<sema::MachineId, std::string>> room;
  int ineligible = 0;  // surviving machines its constraints rule out
};

/// The verdict on losing one set of machines.
struct Loss {
  std::vector<sema::MachineId> lost;  // ascending
  int moving = 0;                     // failover replicas that must find a new machine
  std::vector<Down> down;             // by workload
  /// Placed: every moving replica fits on the machines left; Infeasible:
  /// proven not; Unknown: the solver's budget ran out first.
  Verdict verdict = Verdict::Placed;
  std::vector<Stranded> stranded;  // when Infeasible or Unknown: the workloads that do not fit, by workload
  /// Each stranded workload fits alone; they do not fit all together.
  bool jointly = false;
};

/// What the proof checked.
struct FailoverReport {
  int survive = 0;                // machines lost at once
  /// Every set of `survive` joined machines that held a failover or
  /// down replica, in lexicographic order of machine ids.
  std::vector<Loss> losses;
  size_t sets = 0;                // sets of `survive` joined machines in all
  size_t checked = 0;             // how many were checked (all, unless capped or out of time)
  bool out_of_time = false;       // the budget, not the cap, stopped it
  bool complete() const { return checked == sets; }
};

/// The verdict on losing machine `m` alone (a report of `survive` 1), or
/// null when `m` held no replica that moves or stays down.
const Loss* loss_of(const FailoverReport& report, sema::MachineId m);

/// The verdict on losing `loss.lost` in one line, for views of a machine:
/// "survives its loss (2 replicas move)", "its loss strands `web`",
/// "not proven whether its loss strands `web`"; the workloads staying down
/// follow ("; `db` stays down").
std::string loss_summary(const sema::Model& model, const Loss& loss);

/// Decides whether `items` all fit on top of `base` (solve_exact, or a
/// fake in tests).
using Solver = std::function<Solved(const State& base, const std::vector<Item>& items)>;

/// The exact solver, asked for feasibility only, within `seconds` per call.
Solver exact_solver(double seconds);

struct FailoverOptions {
  int survive = 1;
  size_t max_sets = 1000;  // sets of machines checked at most; past it the proof is incomplete
  /// The whole proof's budget: past it, no further set is checked (the
  /// proof is then incomplete, and says so). `clock` reads nanoseconds.
  double seconds = 20;
  std::function<uint64_t()> clock = io::now_ns;
};

/// Checks every set of `options.survive` joined machines (up to
/// `options.max_sets`) against `placed`, a placement of `model`.
FailoverReport prove_failover(const sema::Model& model, const Placement& placed, const FailoverOptions& options,
                              const Solver& solve);

/// The stranded losses and an incomplete or undecided proof as
/// diagnostics, at the lost machines' declarations: warnings, or errors when
/// `required` (the user asked for `survive` explicitly).
void report_failover(const sema::Model& model, const FailoverReport& report, double seconds, bool required, diag::Sink& sink);

/// The proof a compilation runs after placement: `survive` from the
/// command line, else the cluster's, else 1 when any workload fails over;
/// its findings go to `sink` (errors when `survive` was asked for). Its
/// budgets follow placement's (`placement_seconds`, --placement-seconds):
/// a fifth of it per set of lost machines, twice it for the whole proof
/// (2 s and 20 s by default).
FailoverReport check_failover(const sema::Model& model, const Placement& placed, std::optional<int> flag,
                              double placement_seconds, diag::Sink& sink);

}  // namespace claw::placement
