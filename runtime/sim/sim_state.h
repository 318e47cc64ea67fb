#pragma once
// What one running sim holds: the served kinds, the objects, the clock and
// the options; the handlers are free functions over it. One mutex guards it
// (the sim is a test server: simple and obviously race-free beats fast).

#include "runtime/sim/clock.h"
#include "runtime/sim/registry.h"
#include "runtime/sim/store.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>

namespace claw::sim {

struct SimOptions {
  // How long after a change a workload reports all replicas ready.
  std::chrono::milliseconds ready_after{500};
  // Workloads (by name, or namespace/name) that never become ready.
  std::set<std::string> never_ready;
};

// When a workload's current generation was first seen (its rollout
// becomes ready SimOptions::ready_after later) and its template revision.
struct RolloutClock {
  std::int64_t generation = 0;
  std::chrono::system_clock::time_point since;
  std::size_t template_hash = 0;
  int revision = 0;
};

// What the controllers still have to look at (controllers.cpp).
struct ControllerQueue {
  std::uint64_t seen = 0;            // changes up to this resourceVersion are queued
  std::set<ObjectKey> workloads;     // not yet ready or complete
  std::set<std::string> namespaces;  // terminating
  std::set<ObjectKey> crds;          // to establish
  bool collect = false;              // something was deleted or has owners: collect garbage
};

class SimState {
 public:
  SimState(std::unique_ptr<StateFiles> files, const Clock& clock, SimOptions options);

  Registry registry;
  ObjectStore store;
  const Clock& clock;
  SimOptions options;

  std::mutex mutex;
  std::condition_variable changed;  // notified after every stored change
  std::atomic<bool> stopping{false};
  // host:port the server listens on, for /api's serverAddressByClientCIDRs.
  std::string address = "127.0.0.1:6443";

  // The controllers' memory (controllers.cpp).
  std::map<ObjectKey, RolloutClock> rollouts;
  ControllerQueue queue;

  // OpenAPI documents, rebuilt when the set of CRDs changes.
  std::map<std::string, std::string> openapi_cache;
};

// The store key of an object as stored (its apiVersion's group and the
// registry's plural for its kind), or nullopt for an unknown kind.
std::optional<ObjectKey> key_of(const Registry& registry, const Json& object);

}  // namespace claw::sim
