#pragma once
// The one path every write takes (create, update, patch, apply, status):
// admission, system fields, defaulting, validation, managedFields, then the
// store — or, with dryRun=All, everything but the store.

#include "runtime/sim/api_request.h"
#include "runtime/sim/sim_state.h"
#include "runtime/sim/status.h"

#include <expected>
#include <string>

namespace claw::sim {

struct WriteContext {
  std::string manager;      // fieldManager, or the client's name from its User-Agent
  std::string operation = "Update";  // "Apply" when the object's managedFields are already set
  std::string subresource;  // "" or "status"
  bool dry_run = false;
};

struct WriteResult {
  Json object;
  bool created = false;
  std::vector<std::string> warnings;
};

// Stores `candidate` as the new state of `key` (`old` is the stored object,
// nullptr on create); returns what the client gets back.
std::expected<WriteResult, ApiError> commit_write(SimState& sim, const ResourceType& type, const ObjectKey& key,
                                                  const Json* old, Json candidate, const WriteContext& ctx);

// Removes an object now (its finalizers are empty): store, events, CRD kinds.
void remove_object(SimState& sim, const ObjectKey& key, const Json& object);

// What a fresh cluster holds before anyone writes: the four system
// namespaces, the `kubernetes` Service and the CRDs k3s installs. Existing
// objects are kept (a restarted sim).
void bootstrap(SimState& sim);

// Adds one Node per machine (claw build's placement.json), replacing any.
void register_nodes(SimState& sim, const std::vector<Json>& nodes);

// The manager name a request writes as: fieldManager, else the User-Agent's
// first word ("kubectl/v1.32.4 (linux/amd64) ..." -> "kubectl").
std::string manager_of(const ApiRequest& request);

// Validation levels of `fieldValidation` (default Warn).
enum class FieldValidation { Ignore, Warn, Strict };

}  // namespace claw::sim
