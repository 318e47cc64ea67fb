// Making a plan: reading what a project owns in the cluster, and comparing
// the program's objects with it.
//
// Requests grow with the number of kinds and the number of changes, never
// with the number of unchanged objects:
// - one LIST per kind and namespace, selected by claw's ownership labels
//   (`app.kubernetes.io/managed-by=claw,claw.dev/project=<project>`), for
//   the kinds declared and the kinds the inventory records, in the
//   namespaces the program uses and those the inventory records (one LIST
//   for a cluster-scoped kind): never a kind or a namespace the project
//   never used;
// - one GET of the inventory, one LIST of Nodes;
// - per declared object not among the owned ones, one GET (is it there,
//   made by someone else? then it is an adopt, else a create), or one
//   LIST of its kind and namespace when many are (lookup.h);
// - per object that may differ (compare.h), one dry-run server-side apply;
//   the change shown is the live object against the server's answer.
// Secrets are compared locally (their values never leave the process).
#pragma once

#include <expected>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include <nlohmann/json.hpp>

#include "compiler/emit/object.h"
#include "compiler/emit/provenance.h"
#include "compiler/placement/previous.h"
#include "runtime/apply/secret_values.h"
#include "runtime/cluster/discovery.h"
#include "runtime/cluster/transport.h"
#include "runtime/plan/inventory.h"
#include "runtime/plan/plan.h"
#include "runtime/plan/prune.h"

namespace claw::plan {

/// An object's identity for matching declared and live objects: group,
/// kind, namespace, name (the version is how it is read).
using ObjectKey = std::tuple<std::string, std::string, std::string, std::string>;
ObjectKey key_of(const emit::ObjectRef& ref);
/// The ref of a live object as the server returned it.
emit::ObjectRef ref_of(const nlohmann::json& live);

/// What the project owns in the cluster now.
struct LiveState {
  std::map<ObjectKey, nlohmann::json> owned;
  /// What was listed so far: `group/kind`, and ` in <namespace>` for a
  /// namespaced kind.
  std::set<std::string> listed;
  Inventory inventory;
  bool inventory_read = false;
};

/// The label selector that finds the project's objects.
std::string ownership_selector(std::string_view project);

/// Reads the inventory (once), then LISTs each of `kinds` (apiVersion,
/// kind) in each of `namespaces` (the program's) and of the inventory's,
/// what was not listed yet, in one batch.
std::expected<void, std::string> read_owned(cluster::Transport& transport, const cluster::Discovery& discovery,
                                            std::string_view project,
                                            const std::vector<std::pair<std::string, std::string>>& kinds,
                                            const std::set<std::string>& namespaces, LiveState& live);

/// The kinds the inventory records, as (apiVersion, kind).
std::vector<std::pair<std::string, std::string>> inventory_kinds(const Inventory& inventory);

/// Where each replica runs now, from the live controllers' placement
/// annotations (placement/annotation.h).
placement::Previous previous_from_live(const LiveState& live);

struct PlanOptions {
  std::string project;
  PruneOptions prune;
  bool allow_mass_delete = false;
  /// How to read a Secret's values to compare them (never shown).
  const apply::SecretLookup* secrets = nullptr;
  const apply::ValueSources* sources = nullptr;
};

/// The plan for `objects` against `live`: creates, updates (dry-run
/// confirmed), adopts, deletes (prune.h), kept objects and notes. Errors
/// name the object and its declaration (`where`).
std::expected<Plan, std::vector<std::string>> make_plan(cluster::Transport& transport, const cluster::Discovery& discovery,
                                                        const std::vector<emit::Object>& objects, const LiveState& live,
                                                        const emit::Where& where, const PlanOptions& options);

/// The server-side apply request for `body` at `path` (dry-run or not).
cluster::Request apply_request(const std::string& path, const nlohmann::json& body, bool dry_run, bool force);

/// The fields another manager owns that an apply conflicted on, from a 409
/// Status (`manager: .field`).
std::vector<std::string> conflicts_of(const nlohmann::json& status);

/// A create's changes: each field the declared object sets, as `after`.
std::vector<FieldChange> added_fields(const nlohmann::json& declared);

}  // namespace claw::plan
