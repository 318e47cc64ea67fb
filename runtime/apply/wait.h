// `claw apply --wait`: reads the applied workloads back until each has
// finished rolling out (readiness.h), one of them cannot, or the time is
// up. Each round costs one LIST per kind (in the namespace the kind's
// objects share, across all namespaces when they are in several), never a
// GET per object, so a round's requests grow with kinds, not objects.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "compiler/emit/object.h"
#include "runtime/apply/readiness.h"
#include "runtime/cluster/discovery.h"
#include "runtime/cluster/transport.h"

namespace claw::apply {

/// Time as the wait loop sees it: the real clock, or a fake in tests.
class WaitClock {
 public:
  virtual ~WaitClock() = default;
  /// Monotonic now.
  virtual std::chrono::steady_clock::time_point now() = 0;
  /// Waits `d` between two rounds.
  virtual void sleep_for(std::chrono::milliseconds d) = 0;
};

/// The process's steady clock and a real sleep.
std::unique_ptr<WaitClock> system_wait_clock();

struct WaitOptions {
  /// How long to wait in all before reporting what is not ready.
  std::chrono::milliseconds timeout{std::chrono::minutes(5)};
  /// The pause between two rounds of LISTs.
  std::chrono::milliseconds poll_interval{std::chrono::seconds(2)};
  /// Added to every LIST as `labelSelector` (claw's ownership labels);
  /// empty: none.
  std::string label_selector;
};

/// One awaited object and how it stood at the last round.
struct ObjectReadiness {
  emit::ObjectRef ref;
  Readiness readiness;
};

struct WaitReport {
  /// Every object given, in the order given, as last read.
  std::vector<ObjectReadiness> objects;
  /// Rounds of LISTs made (0 when nothing had a rollout to wait for).
  int rounds = 0;
  /// The timeout passed before every object was ready.
  bool timed_out = false;

  /// Every object is ready.
  bool all_ready() const;
  /// How many objects are ready.
  size_t ready_count() const;
  /// The objects not ready (failed ones included), in the order given.
  std::vector<const ObjectReadiness*> not_ready() const;
  /// One line per object not ready, `Deployment apps/web: <reason>`, after
  /// a first line saying whether the wait timed out or a rollout failed;
  /// empty when all are ready.
  std::string describe_problems() const;
};

/// Called after each round with the report so far.
using WaitProgress = std::function<void(const WaitReport& so_far)>;

/// Polls the live state of `objects` through `transport` until every one
/// is ready, any one has failed, or `options.timeout` has passed on
/// `clock`, and reports how each stood at the end. Objects of kinds
/// without a rollout are ready at once, without a request; an object the
/// server does not return is not ready ("not found"); a kind discovery
/// does not know, or a LIST refused with a 4xx other than 429, fails its
/// objects; other LIST errors are retried in the next round.
WaitReport wait_ready(cluster::Transport& transport, const cluster::Discovery& discovery,
                      const std::vector<emit::ObjectRef>& objects, const WaitOptions& options, WaitClock& clock,
                      const WaitProgress& progress = {});

}  // namespace claw::apply
