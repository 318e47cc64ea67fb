#pragma once
// Server-side apply and the managedFields bookkeeping of every other write,
// as the real API server does them (k8s.io/apimachinery
// pkg/util/managedfields/internal: fieldmanager.go, structuredmerge.go,
// managedfieldsupdater.go, skipnonapplied.go, stripmeta.go, conflict.go; and
// sigs.k8s.io/structured-merge-diff merge/update.go).

#include "runtime/sim/json_schema.h"
#include "runtime/sim/status.h"

#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace claw::sim {

// Who writes, through which API version and subresource, and when.
struct WriteOrigin {
  std::string manager;
  std::string api_version;  // "apps/v1"
  std::string time;         // RFC 3339, "2026-12-05T04:00:00Z"
  std::string subresource;  // "" or "status"
  // The kind has a status subresource, so writes to the main resource do
  // not own `status` (false for a CRD without one: status is plain data).
  bool status_subresource = true;
};

// One field another manager owns that an apply would change.
struct FieldConflict {
  std::string manager;
  std::string operation;  // "Apply" or "Update"
  std::string api_version;
  std::string subresource;
  std::string path;  // ".spec.replicas", ".spec.template.spec.containers[name=\"app\"].image"
};

// The 400 a real server answers before merging an apply configuration:
// an apiVersion other than the endpoint's, or metadata.managedFields set
// (internal/structuredmerge.go Apply); nullopt when the body may be applied.
std::optional<ApiError> check_apply_config(const Json& config, std::string_view api_version);

// Server-side apply of `config` onto `live` (nullptr: the object does not
// exist yet): the merged object with metadata.managedFields updated, or the
// conflicts when `force` is false. `config` must not carry managedFields.
// An apply that changes nothing returns `live` unchanged, managedFields
// included.
std::expected<Json, std::vector<FieldConflict>> server_side_apply(const Json* live, const Json& config,
                                                                  SchemaView schema, const WriteOrigin& origin,
                                                                  bool force);

// Records a non-apply write (create, update, patch, status write) in
// after.metadata.managedFields: the manager's Update entry gains the fields
// that changed from `before` (nullptr on create), other managers lose them,
// removed fields leave every manager, empty entries are dropped.
void record_update(const Json* before, Json& after, SchemaView schema, const WriteOrigin& origin);

// The 409 message: `Apply failed with 1 conflict: conflict with "m" using
// apps/v1: .spec.replicas`, or the grouped form for several conflicts.
std::string conflict_message(const std::vector<FieldConflict>& conflicts);

// The Status causes of a conflict error, one FieldManagerConflict per field.
std::vector<Cause> conflict_causes(const std::vector<FieldConflict>& conflicts);

}  // namespace claw::sim
