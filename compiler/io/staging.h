// The folders a build keeps beside its output folder while it replaces
// it: their names, and the sweep of those a dead build left behind.
#pragma once

#include <string>
#include <sys/types.h>

namespace claw::io {

/// The staging folder in which the process `pid` writes the new tree of
/// the output folder named `stem` (beside it).
std::string staging_name(const std::string& stem, pid_t pid);
/// Where the process `pid` moves the old tree of `stem` while it swaps.
std::string old_tree_name(const std::string& stem, pid_t pid);

/// Removes, from the folder `parent` (a real path), every staging or old
/// folder of `stem` whose process is gone, and only those provably claw's:
/// the name's pattern, a pid no process has, and the mark file inside.
/// Returns how many it removed.
size_t sweep_stale(const std::string& parent, const std::string& stem);

}  // namespace claw::io
