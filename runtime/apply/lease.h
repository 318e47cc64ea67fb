// The apply lock: a coordination.k8s.io/v1 Lease `claw-<project>` in
// kube-system that `claw apply` takes before changing anything, renews
// between waves and releases at the end, so that two applies of one
// project never run at once and a crashed one blocks the next only until
// its lease expires. The rules are client-go's leader election
// (tools/leaderelection/leaderelection.go, tryAcquireOrRenew and release;
// resourcelock/leaselock.go): a lease is free when it has no holder or its
// renewTime + leaseDurationSeconds has passed, a takeover increments
// leaseTransitions, and every write carries the resourceVersion read, so
// that of two racing writers the server lets exactly one win (409 Conflict
// for the other).
#pragma once

#include <chrono>
#include <cstdint>
#include <expected>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "runtime/cluster/environment.h"
#include "runtime/cluster/transport.h"

namespace claw::apply {

using WallTime = std::chrono::system_clock::time_point;

/// Calendar time as the lock reads it: the real clock, or a fake in tests.
class LeaseClock {
 public:
  virtual ~LeaseClock() = default;
  /// The current time.
  virtual WallTime now() = 0;
};

/// The system's calendar clock.
std::shared_ptr<LeaseClock> system_lease_clock();

/// What a Lease's spec says about its holder (coordination/v1 LeaseSpec).
struct LeaseRecord {
  /// holderIdentity; empty when nobody holds the lease.
  std::string holder;
  /// leaseDurationSeconds; 0 when absent.
  std::chrono::seconds duration{0};
  std::optional<WallTime> acquired, renewed;
  int64_t transitions = 0;
};

/// Why the lock could not be taken, kept or given back.
struct LockError {
  enum class Kind {
    Held,    // another apply holds the lease and it has not expired
    Lost,    // we held it, and another took it over (or it was deleted)
    Failed,  // the server refused or did not answer; the message says what to do
  };
  Kind kind = Kind::Failed;
  /// For a person: names the lease, the holder when there is one, and what to do.
  std::string message;
};

struct LockOptions {
  /// The project (the `cluster` declaration's name); the lease is lease_name(project).
  std::string project;
  /// This process's holderIdentity (this_process_identity()).
  std::string identity;
  /// leaseDurationSeconds written: how long a crashed apply blocks the next.
  std::chrono::seconds duration{60};
  /// Null: system_lease_clock().
  std::shared_ptr<LeaseClock> clock;
};

/// The lease's name for `project`: `claw-` and the project lower-cased,
/// `_` as `-`, so that any valid label value (the project's rule) gives a
/// valid DNS subdomain (a Lease's name rule); `claw` for a program
/// without a cluster declaration.
std::string lease_name(std::string_view project);

/// `<user>@<host> pid <pid> <suffix>`: who holds the lock, for the message
/// another apply prints.
std::string holder_identity(std::string_view user, std::string_view host, long pid, std::string_view suffix);

/// holder_identity() of the running process: USER (else LOGNAME) from
/// `env`, the host name, the process id and six random hex digits.
std::string this_process_identity(const cluster::Environment& env);

/// `t` as a Kubernetes MicroTime: UTC, `2006-01-02T15:04:05.000000Z07:00`.
std::string format_micro_time(WallTime t);

/// An RFC 3339 time as kube-apiserver writes MicroTime and Time (fraction
/// optional, `Z` or a `±hh:mm` offset); nullopt when malformed.
std::optional<WallTime> parse_micro_time(std::string_view text);

/// The holder of a Lease object's spec.
LeaseRecord read_lease_record(const nlohmann::json& lease);

/// Whether `record` no longer holds: no holder, no renewTime, or
/// renewTime + duration not after `now` (client-go: held while
/// observedTime + leaseDuration is After now).
bool lease_free(const LeaseRecord& record, WallTime now);

/// The apply lock of one project through one transport. Not thread-safe;
/// one instance per apply.
class ApplyLock {
 public:
  /// A lock on lease_name(options.project) in kube-system; nothing is sent yet.
  ApplyLock(cluster::Transport& transport, LockOptions options);

  /// Takes the lease: creates it when absent, takes it over when free,
  /// and fails with Held (naming the holder, since when and until when)
  /// when another holds it; a lost race is re-read and reported the same way.
  std::expected<void, LockError> acquire();
  /// Writes a new renewTime; Lost when another has taken the lease over.
  std::expected<void, LockError> renew();
  /// renew() when a third of the duration has passed since the last write
  /// (client-go renews well within the duration), else nothing.
  std::expected<void, LockError> renew_if_due();
  /// Deletes the lease with preconditions on its uid and resourceVersion,
  /// so that another's lease is never deleted; Lost when another holds it
  /// by now (it is left to them). Nothing when the lock is not held.
  std::expected<void, LockError> release();

  /// Whether this instance holds the lease as far as it last saw.
  bool held() const { return !lease_.is_null(); }
  /// The lease's name (claw-<project>).
  const std::string& name() const { return name_; }

 private:
  enum class WriteOutcome { Done, Retry };
  std::expected<std::optional<nlohmann::json>, LockError> read();
  std::expected<WriteOutcome, LockError> create(WallTime now);
  std::expected<WriteOutcome, LockError> take_over(const nlohmann::json& live, WallTime now);
  std::expected<WriteOutcome, LockError> write_renewal(WallTime now);
  std::expected<WriteOutcome, LockError> delete_held();
  std::expected<WriteOutcome, LockError> after_conflict();
  nlohmann::json spec(WallTime acquired, WallTime renewed, int64_t transitions) const;
  LockError failed(const cluster::Request& request, const cluster::Response& response) const;
  LockError held_error(const LeaseRecord& record, WallTime now) const;
  LockError lost_error(const std::optional<nlohmann::json>& live) const;

  cluster::Transport& transport_;
  LockOptions options_;
  std::string name_;
  std::string path_;
  /// The lease as last written or read while we hold it; null when not held.
  nlohmann::json lease_;
  WallTime last_write_{};
};

}  // namespace claw::apply
