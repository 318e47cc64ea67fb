// A saved plan (`claw plan --out plan.json`, read back by `claw apply
// plan.json`): everything apply needs to carry the plan out exactly —
// bodies, resourceVersions and uids, waves, the sources of Secrets — and
// never a secret's value. JSON, keys:
//   {"claw_plan_file": 1, "claw_version", "project", "server", "context",
//    "unchanged", "objects": [{"ref", "action", "source", "sensitive",
//    "resource_version", "uid", "reason", "conflicts", "wave", "body",
//    "secret"?: {"items": [{"key", "secret", "env"?, "file"?}],
//                "chart_values": [[path, secret]]},
//    "changes": [{"path": [fieldsV1 steps], "before"?, "after"?}]}],
//    "moves", "nodes", "kept", "notes"}
// Field paths are kept as fieldsV1 steps (fields_v1.h encode), so they
// read back exactly. A secret source's declaration span is not kept (it
// points into sources a later run has not loaded).
#pragma once

#include <expected>
#include <string>
#include <string_view>

#include "runtime/plan/plan.h"

namespace claw::plan {

/// The version of the plan file layout this claw writes and reads.
inline constexpr int kPlanFileVersion = 2;

/// The text of a plan file for `plan`; an error naming the object when a
/// Secret's body holds values under `data` or `stringData` (or kubectl's
/// last-applied copy of them): such a plan is never written. Changes of a
/// Secret are written as kSensitive whatever the plan holds.
std::expected<std::string, std::string> plan_file_text(const Plan& plan);

/// The plan saved in `text`; an error saying what is wrong and what to do
/// when the text is not a plan file, was written by another version of
/// claw or of the layout, is malformed (naming the field), or holds a
/// secret's value. The caller puts the file's path in front of it.
std::expected<Plan, std::string> read_plan_file(std::string_view text);

}  // namespace claw::plan
