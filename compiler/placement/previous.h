// The placement a cluster runs now, as an input to the next one.
//
// Design: placement is stable. `place()` is given the previous placement
// (from `claw.lock` for `claw build`, from the live objects' node affinity
// for `claw plan` / `claw apply`) and first keeps every replica it names
// where it is, when that still holds: the machine is still declared and
// joined, the workload's constraints (pinning, arch, taints and
// tolerations, roles, avoid, GPU count, model and VRAM) still allow it, and
// its cpu, memory and the same GPU cards are still free once the daemons
// and the replicas kept before it are counted (replicas holding local data
// first, then in workload and replica order). A replica whose cards are no
// longer free but whose machine still has room keeps the machine and gets
// other cards. Only the rest — new workloads, new replicas, and those whose
// place no longer holds — are solved for, by the exact search or the
// heuristic as before, around the kept ones. When the rest cannot be placed
// around them, the solve is redone keeping only the replicas with local
// data, and the others that move say whom they made room for. Every replica
// that changes machine or cards is reported as a `Move` with the reason in
// words. A replica holding local data (a `size` or `shared` volume on the
// default or `local-path` storage class, or a `host-path` volume: on k3s
// both live on one node's disk) must not change machine: that is an error
// at the workload unless its name is given to `--allow-move`. Workloads are
// matched by namespace and name, never by their position in the program,
// so adding or reordering declarations moves nothing. Daemons run on every
// machine that can run them and are not part of the previous placement.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/sema/model.h"

namespace claw::placement {

/// Where one replica runs: a machine by name, and the GPU cards it holds.
struct Where {
  std::string machine;
  std::vector<int> cards;  // card indices on the machine, ascending; empty without GPU work

  bool operator==(const Where&) const = default;
};

/// The placement a cluster runs now, keyed by workload (namespace/name) and
/// replica; independent of where it was read from.
struct Previous {
  /// "<namespace>/<name>" -> replica index -> where it runs.
  std::map<std::string, std::map<int, Where>> workloads;

  /// Where replica `replica` of the workload `key` ran, or null if it did not.
  const Where* find(const std::string& key, int replica) const;
};

/// The key a workload has in a `Previous`: "<namespace>/<name>".
std::string workload_key(const sema::Workload& w);

/// The first volume of `w` whose data lives on one node's disk (a `size` or
/// `shared` claim of the default or `local-path` storage class, or a
/// `host-path`), or null when it has none.
const sema::Volume* local_volume(const sema::Workload& w);

}  // namespace claw::placement
