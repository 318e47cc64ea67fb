// Why each replica of a workload runs where it runs, against a final
// placement: the constraints its machine meets, what it takes there, why it
// beat the next best machine, and why every other machine does not hold it.
// Data only; driver/explain_text.h writes it as text or JSON.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/placement/placement.h"
#include "compiler/placement/previous.h"
#include "compiler/sema/model.h"

namespace claw::placement {

/// What decided against a machine for one replica: the first of the
/// placement ranking's keys (placement.cpp `ranked()`) where it differs.
enum class Lost : uint8_t {
  Constraint,  // a hard constraint fails there (can_run)
  NoRoom,      // it could run it, but the final placement leaves too little there
  Preferred,   // the workload `prefer`s the chosen machine and not this one
  Spread,      // it runs more of the workload's other replicas than the chosen one
  SoftTaint,   // it has more PreferNoSchedule taints the workload does not tolerate
  Peak,        // its peak cpu/memory use with the replica would be higher
  Order,       // equal on every count; the chosen machine is declared first
  Better,      // it ranks ahead: the search settled this replica before the rest (or the lock kept it)
};

/// The name of a `Lost` as JSON writes it: "constraint", "no-room", ...
std::string_view lost_name(Lost lost);

/// Another machine, and why it does not hold the replica, in words with the arithmetic.
struct Other {
  sema::MachineId machine;
  Lost lost = Lost::Constraint;
  std::string why;
};

/// What a replica takes of cpu or memory where it runs, and what the
/// machine had left for it (the final placement without this replica).
struct Take {
  std::string resource;  // "cpu" (millicores) or "memory" (bytes)
  int64_t need = 0, left = 0, allocatable = 0;
};

/// One card a replica holds: whole, or a share of its VRAM.
struct CardTake {
  int card = 0;
  std::string model;
  bool shared = false;
  int64_t vram = 0;         // what the replica takes of the card (a whole card: all it has usable)
  int64_t free_before = 0;  // the card's VRAM free without this replica
  int sharers = 0;          // sharing replicas on the card, this one included (0 for a whole card)
};

/// Why one replica runs where it runs.
struct ReplicaWhy {
  int replica = 0;
  sema::MachineId machine;
  std::vector<int> cards;
  std::vector<std::string> met;     // the hard constraints the machine meets, in words
  std::vector<Take> takes;          // cpu, then memory
  std::vector<CardTake> card_takes;  // the cards it holds, ascending
  std::string other_cards;          // the machine's other cards and their state, "" without GPU work
  bool kept = false;                // claw.lock had it here, and it still holds
  double peak = 0;                  // the machine's peak cpu/memory fraction in the final placement
  std::optional<sema::MachineId> runner_up;  // the best other machine that could hold it
  std::string won;                  // why here rather than `runner_up`, or why there was no choice
  std::vector<Other> others;        // every other joined machine, in declaration order
};

/// Why each replica of one workload runs where it runs; no replicas when
/// the placement has none (the workload did not fit: its diagnostic says why).
struct Explanation {
  sema::WorkloadId workload;
  std::string need;  // describe_need's words
  std::vector<ReplicaWhy> replicas;
};

/// The workloads `name` names: "namespace/name", or a bare name (several
/// when workloads of that name live in several namespaces).
std::vector<sema::WorkloadId> find_workloads(const sema::Model& model, std::string_view name);

/// Why each replica of `workload` runs where `placed` puts it, judged
/// against the final placement; `previous` (claw.lock's placement, may be
/// null) tells which replicas were kept where they were.
Explanation explain(const sema::Model& model, const Placement& placed, sema::WorkloadId workload,
                    const Previous* previous = nullptr);

}  // namespace claw::placement
