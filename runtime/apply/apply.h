// Carrying out a plan: server-side apply (`fieldManager=claw`) of every
// created, updated and adopted object, wave by wave (waves.h), several
// requests at once within a wave; then the deletes, last wave first, each
// with preconditions on the uid and resourceVersion the plan saw, so that
// only the object the plan showed is deleted. The inventory (what claw
// applied, with uids) is written after every wave, so a run that stops
// part-way leaves a record from which the next `claw apply` converges.
// Secret values are read from their sources just before their request is
// made, and kept nowhere else.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "runtime/apply/lease.h"
#include "runtime/apply/secret_values.h"
#include "runtime/cluster/discovery.h"
#include "runtime/cluster/transport.h"
#include "runtime/plan/inventory.h"
#include "runtime/plan/plan.h"

namespace claw::apply {

/// What happened to one object of the plan.
struct Outcome {
  const plan::ObjectPlan* object = nullptr;
  bool done = false;
  std::string error;  // why not, when not done
};

/// Progress while applying: objects done so far, of how many, the wave
/// running, failures so far.
using ApplyProgress = std::function<void(size_t done, size_t total, int wave, size_t failed)>;

struct ApplyOptions {
  std::string project;
  bool force_conflicts = false;
  const SecretLookup* secrets = nullptr;
  const ValueSources* sources = nullptr;
  ApplyProgress progress;
  ApplyLock* lock = nullptr;  // renewed between waves when given
};

struct ApplyReport {
  std::vector<Outcome> outcomes;  // in the order applied
  std::vector<std::string> errors;  // not tied to one object (the inventory, the lock)
  size_t done() const;
  size_t failed() const;
  bool ok() const { return failed() == 0 && errors.empty(); }
};

/// Applies `plan`'s objects, recording what it made in `inventory`.
ApplyReport apply_plan(cluster::Transport& transport, const cluster::Discovery& discovery, const plan::Plan& plan,
                       plan::Inventory& inventory, const ApplyOptions& options);

/// For a saved plan: the objects that changed since it was made (another
/// resourceVersion, gone, or now present where the plan creates), each as
/// a line; empty when the plan still holds.
std::vector<std::string> stale_objects(cluster::Transport& transport, const cluster::Discovery& discovery,
                                       const plan::Plan& plan);

}  // namespace claw::apply
