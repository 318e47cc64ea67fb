#pragma once
// The cheap first pass of `claw plan`: which declared objects may differ
// from their live version and so need a server-side dry-run apply to learn
// what would change. Strict in one direction: "same" is said only when a
// server-side apply of the declared object would change nothing.

#include <nlohmann/json.hpp>

namespace claw::plan {

/// False only when applying `declared` (server-side, field manager claw)
/// would leave `live` unchanged: every field `declared` sets has the same
/// value in `live` (compared canonically: quantities by value, list items
/// by their schema keys; `live` may hold more, such as defaults, status and
/// other managers' fields), and every field that live's `claw` Apply entry
/// in metadata.managedFields owns is still declared (a field claw set before
/// and no longer declares is removed by the next apply).
bool may_differ(const nlohmann::json& declared, const nlohmann::json& live);

}  // namespace claw::plan
