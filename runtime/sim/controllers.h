#pragma once
// The controllers a test of a rollout needs, reduced to what the API shows:
// workload and Job status (ready after SimOptions::ready_after), namespace
// finalization, and garbage collection by ownerReferences and the
// foregroundDeletion/orphan finalizers.

#include "runtime/sim/sim_state.h"

namespace claw::sim {

// One pass of every controller; takes the state's lock itself. The server
// calls it every 100 ms, tests after moving a FakeClock.
void reconcile(SimState& sim);

}  // namespace claw::sim
