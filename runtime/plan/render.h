// How a plan is shown: as text for people (`claw plan`), in the spirit of
// `terraform plan`, and as JSON for tools (`claw plan --format json`).
// Neither ever shows a Secret's value: every value of a secret_like object
// is shown as kSensitive, whatever the plan holds.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "runtime/cluster/environment.h"
#include "runtime/plan/plan.h"

namespace claw::plan {

/// A plan's entries in the order both forms show them: objects by action
/// (create, update, delete, adopt) then ref; moves by workload and
/// replica; Nodes by machine; kept objects by ref. Notes keep their order.
struct DisplayOrder {
  std::vector<const ObjectPlan*> objects;
  std::vector<const Move*> moves;
  std::vector<const NodePlan*> nodes;
  std::vector<const Kept*> kept;
};

/// The display order of `plan`'s entries (pointers into `plan`).
DisplayOrder display_order(const Plan& plan);

/// The number of joined machines whose Node would change.
size_t nodes_to_update(const Plan& plan);

/// Whether `o`'s values are never shown nor saved: it is marked
/// sensitive, is a core/v1 Secret, or has a Secret's sources.
bool secret_like(const ObjectPlan& o);

/// How render_text writes.
struct RenderOptions {
  /// ANSI colours and bold (use_color decides it for a stream).
  bool color = false;
};

/// Whether output to a stream should be coloured: only to a terminal, and
/// never when NO_COLOR is set non-empty or TERM is unset or `dumb`.
bool color_wanted(bool terminal, const cluster::Environment& env);

/// color_wanted for file descriptor `fd` (a terminal when isatty says so).
bool use_color(int fd, const cluster::Environment& env);

/// The plan as people read it: one block per object (create, update,
/// delete, adopt; each by ref), its field changes and conflicts, then
/// placement moves, Nodes, kept objects, notes and a summary line. Every
/// line ends in a line break and none in a space; the same plan always
/// gives the same text.
std::string render_text(const Plan& plan, const RenderOptions& options);

/// The summary line without colour: `Plan: 2 to create, 1 to update,
/// 0 to delete, 1 to adopt; 3 unchanged.`, or `No changes. The cluster
/// matches the program (36 objects).`
std::string summary_line(const Plan& plan);

/// A value as a field line shows it: compact JSON, a long one shortened
/// with `…` (a map or list then says how many entries it holds), control
/// characters escaped.
std::string shown_value(const nlohmann::json& value);

/// The JSON form of an object's identity: `{"group", "version", "kind",
/// "namespace", "name"}` (empty strings kept), as plan_json and plan files
/// write it.
nlohmann::json ref_json(const emit::ObjectRef& ref);

/// The schema version plan_json writes (`format_version`).
inline constexpr int kPlanJsonVersion = 1;

/// The plan for tools (`claw plan --format json`), format_version 1:
///   {"format_version": 1, "project", "server", "context",
///    "summary": {"create", "update", "delete", "adopt", "unchanged",
///                "nodes_to_update", "changes": bool},
///    "objects": [{"action": "create"|"update"|"delete"|"adopt",
///                 "ref": ref_json, "source", "sensitive": bool, "reason",
///                 "resource_version", "uid", "wave",
///                 "conflicts": [string],
///                 "changes": [{"path": render_path, "before"?, "after"?}]}],
///    "moves": [{"workload", "replica", "from", "to", "reason"}],
///    "nodes": [{"machine", "joined": bool, "changes": [...]}],
///    "kept": [{"ref": ref_json, "why"}],
///    "notes": [string]}
/// in render_text's order; `before`/`after` are absent when the field is
/// added/removed, and every value of a sensitive object is "(sensitive)".
nlohmann::json plan_json(const Plan& plan);

}  // namespace claw::plan
