#pragma once
// The field-level changes between a live object and what the server says
// it would become (the result of a dry-run apply): what `claw plan` shows
// under `~ update`. Server-set fields are left out, quantities compared by
// value, list items matched by their schema keys, Secret values never
// copied.

#include "runtime/plan/fields_v1.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace claw::plan {

/// One changed field: absent `before` means added, absent `after` removed.
struct FieldChange {
  FieldPath path;
  std::optional<nlohmann::json> before, after;
};

/// Whether objects of `group` and `kind` are Secrets (core/v1 Secret): the
/// kind whose values a plan never shows nor reads in bulk.
inline bool is_core_secret(std::string_view group, std::string_view kind) { return group.empty() && kind == "Secret"; }

/// The text shown for a Secret's value in place of the value.
inline constexpr std::string_view kSensitive = "(sensitive)";

/// A path as people read it: `spec.template.spec.containers[name=app].image`,
/// `metadata.labels["app.kubernetes.io/name"]`, `spec.ports[port=80,protocol=TCP]`,
/// `metadata.finalizers[=example.com/x]`, `args[0]`.
std::string render_path(const FieldPath& path);

/// The changes from `before` (the live object) to `after` (the dry-run
/// result), in field order: an added or removed map, list item or field
/// is one change holding its whole value; items of a keyed list that only
/// moved are one change at the list, its values the item keys in order.
/// For a Secret (core/v1) every value under `data` and `stringData` (and
/// kubectl's last-applied annotation) is kSensitive, never the value.
std::vector<FieldChange> diff(const nlohmann::json& before, const nlohmann::json& after);

/// Replaces, in changes of an object of `kind` (core/v1 "Secret" only),
/// every value under `data` and `stringData` and the kubectl
/// last-applied-configuration annotation with kSensitive: for callers that
/// build FieldChanges of a Secret themselves.
void redact_sensitive(std::string_view api_version, std::string_view kind, std::vector<FieldChange>& changes);

/// A Secret's value at `path` as it may be shown: kSensitive under `data`,
/// `stringData` and the last-applied annotation (a map there keeps its
/// keys), the value itself elsewhere (labels, type), as `kubectl diff`
/// masks only a Secret's data. What every view of a plan (text, JSON, the
/// plan file) applies to a Secret's changes.
nlohmann::json secret_shown(FieldPath path, const nlohmann::json& value);

}  // namespace claw::plan
