// Entry point of the placement phase: the checked model in, a machine (and
// for GPU work, the cards) for every replica out — or, for every workload no
// machine can run, a diagnostic that explains each candidate's refusal.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/diag/diagnostic.h"
#include "compiler/placement/previous.h"
#include "compiler/sema/model.h"

namespace claw::placement {

/// A GPU card of a machine: the machine's GPU groups flattened in order, so
/// card indices are stable (group 0's cards first).
struct Card {
  int index = 0;
  std::string model;
  int64_t vram_bytes = 0;
  int64_t reserve_bytes = 0;  // kept free for the driver
};

/// One replica's place. Daemons get one replica per machine they run on.
struct Assignment {
  sema::WorkloadId workload;
  int replica = 0;
  sema::MachineId machine;
  std::vector<int> cards;  // card indices on the machine; empty without GPU work
};

/// What one machine has left and gives, after reservations and placements.
struct MachineUse {
  int64_t cpu_allocatable = 0, memory_allocatable = 0;  // capacity minus reservations
  int64_t cpu_used = 0, memory_used = 0;
  std::vector<int64_t> vram_used;    // per card, including shared workloads
  std::vector<int> exclusive_users;  // per card: replicas holding it whole (0 or 1)
  std::vector<int> shared_users;     // per card: sharing replicas packed on it
};

/// A replica that runs somewhere else than the previous placement had it
/// (another machine, or other cards), and why in words.
struct Move {
  sema::WorkloadId workload;
  int replica = 0;
  Where from, to;
  std::string reason;  // "machine `panda` is no longer declared"
};

/// How a placement was found: by the depth-first search of small
/// instances, which is exact (finds a placement whenever one exists, within
/// its step bound); by the one-pass heuristic of large ones; or, when those
/// found none, by the exact solver (solve.h).
enum class Search : uint8_t { Exact, Heuristic, Solver };

/// The name placement.json and the placement table use: "exact",
/// "heuristic", "solver".
std::string_view search_name(Search s);

struct Placement {
  std::vector<Assignment> assignments;  // ordered by workload, then replica
  std::vector<Move> moves;              // against Options::previous; ordered by workload, then replica
  std::vector<std::vector<Card>> cards;  // per machine
  std::vector<MachineUse> use;           // per machine
  /// Which path found the placement (or, when none was found, ran last).
  Search search = Search::Heuristic;
};

struct Options {
  /// Up to this many replicas a depth-first search runs first (it finds
  /// the placement a small network has had so far); above it, a greedy
  /// heuristic. When either finds no placement and no bound proves there is
  /// none, the search by counts (pack.h) tries, then the exact solver
  /// (solve.h) decides.
  size_t exact_limit = 60;
  /// Bound on the depth-first search's steps: past it, the solver takes over.
  size_t step_limit = 100'000;
  /// The exact paths' time budget: the solver's, and, in proportion, the
  /// search by counts' work (PackOptions::work_limit at 10 s; none at 0).
  /// Past it without a placement, placement says it could not decide,
  /// never that the network does not fit.
  double solver_seconds = 10;
  /// Whether the search by counts runs before the solver; off only to test
  /// the solver behind it.
  bool count_search = true;
  /// Whether the greedy pass's left-outs are repaired and a local search
  /// lowers the peak utilisation after the fast paths (placement.cpp,
  /// Placer::repair and Placer::improve); off only to measure them.
  bool local_search = true;
  /// For tests and benchmarks only: skip the fast paths and let the solver
  /// minimise the peak utilisation to optimality within `solver_seconds`.
  bool reference = false;
  /// For tests only: skip the fast paths and the bounds; the solver decides
  /// as it does when they fail (any placement, which the local search then
  /// evens out).
  bool solver_only = false;
  /// The placement running now, kept wherever it still holds (see
  /// previous.h); null: solve from scratch.
  const Previous* previous = nullptr;
  /// Workloads (by name, or "namespace/name") that may leave the machine
  /// holding their local volume data.
  std::set<std::string> allow_move;
};

struct Result {
  Placement placement;
  diag::Sink diags;
};

/// Places every replica of every workload of `model`, keeping those that
/// `options.previous` names where they are when that still holds.
/// Deterministic: the same model and previous placement always give the same
/// placement.
Result place(const sema::Model& model, const Options& options = {});

/// Whether place() reads the same of workload `a` as of `b` (its demand,
/// constraints, host ports, local volumes): whatever else differs, a
/// placement of a model with one is a placement of it with the other,
/// diagnostics aside (they point at spans). Kept next to what place() reads.
bool same_input(const sema::Workload& a, const sema::Workload& b);
/// Whether place() reads the same of machine `a` as of `b`.
bool same_input(const sema::Machine& a, const sema::Machine& b);

/// The cards of a machine, flattened from its GPU groups.
std::vector<Card> cards_of(const sema::Machine& machine);

}  // namespace claw::placement
