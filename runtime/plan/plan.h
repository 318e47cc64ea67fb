// A plan: what `claw apply` would change in a live cluster, object by
// object and field by field, where workloads would move, and how the
// declared machines' Nodes differ. Made by make_plan.h, shown by render.h,
// saved and read back by plan_file.h, carried out by apply/. A plan never
// holds a secret's value: a Secret's changes are shown as kSensitive and
// its values are read from their sources when it is applied.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "compiler/emit/object.h"
#include "runtime/plan/field_diff.h"

namespace claw::plan {

enum class Action : uint8_t {
  Create,  // declared, not in the cluster
  Update,  // declared and owned, and the server would change it
  Delete,  // owned, no longer declared, and safe to prune (prune.h)
  Adopt,   // declared, and an object of that name exists that claw does not own
  Replace, // declared and owned, and a field the server never changes in place differs: deleted, then created
};

/// `+`, `~`, `-`, `!`, `-/+`.
std::string_view action_symbol(Action a);
/// `create`, `update`, `delete`, `adopt`, `replace`.
std::string_view action_word(Action a);

/// One object that would change.
struct ObjectPlan {
  emit::ObjectRef ref;
  Action action = Action::Create;
  /// `infra/services/core.claw:42`: the declaration; empty for a delete.
  std::string source;
  /// Update: the fields that would change (live → dry-run result). Create
  /// and adopt: the fields claw sets, as `after` values. Delete: none.
  std::vector<FieldChange> changes;
  /// A Secret: its values are shown as kSensitive (never held here).
  bool sensitive = false;
  /// The live object's resourceVersion and uid when it exists: a saved
  /// plan is refused if the object changed since.
  std::string resource_version, uid;
  /// The live object's metadata.generation (0 when it has none): what a
  /// saved plan compares when the kind has one, since status writes by
  /// controllers move resourceVersion without changing what was planned.
  int64_t generation = 0;
  /// Why: for a delete, how claw knows it made the object; for an adopt,
  /// who manages the existing one.
  std::string reason;
  /// Fields another field manager owns that this change would take over
  /// (`manager: field path`); applying needs --force-conflicts.
  std::vector<std::string> conflicts;
  /// What apply sends: the declared object (server-side apply body), with
  /// no secret values; empty for a delete.
  nlohmann::json body;
  /// A Secret's sources, read at apply time.
  std::optional<emit::SecretSource> secret;
  /// The apply wave (apply/waves.h) this object belongs to.
  int wave = 0;
};

/// A replica that would run on another machine (or other GPU cards).
struct Move {
  std::string workload;  // `namespace/name`
  int replica = 0;
  std::string from, to;  // `gpu-box card 0`, `panda`
  std::string reason;
};

/// A declared machine's Node: whether it has joined, and the labels and
/// taints claw declares that differ from the live Node's.
struct NodePlan {
  std::string machine;
  bool joined = true;
  std::vector<FieldChange> changes;
};

/// An owned object claw will not delete although it is no longer declared,
/// and why (a volume, a namespace, made by a controller, annotated
/// `claw.dev/prune: disabled`, claw did not create this object).
struct Kept {
  emit::ObjectRef ref;
  std::string why;
};

struct Plan {
  /// The project (the `cluster` declaration's name) and the cluster it was
  /// made against (server URL and context, no credentials).
  std::string project, server, context;
  std::vector<ObjectPlan> objects;
  /// Declared objects that would not change.
  size_t unchanged = 0;
  std::vector<Move> moves;
  std::vector<NodePlan> nodes;
  std::vector<Kept> kept;
  /// Lines the user should read before applying (a mass delete refused, a
  /// machine not joined, ...).
  std::vector<std::string> notes;
  /// Where the declared secrets that this plan's chart values Secrets read
  /// come from (an environment variable or a file, never a value): a saved
  /// plan reads them when it is applied, also when their own Secret is not
  /// in the plan (unchanged, or used only by charts).
  std::vector<emit::SecretSource::Item> value_sources;

  /// Whether applying would change anything in the cluster.
  bool has_changes() const;
  /// The number of objects with action `a`.
  size_t count(Action a) const;
};

}  // namespace claw::plan
