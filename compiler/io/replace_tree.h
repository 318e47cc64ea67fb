// DiskFileSystem::write_tree's work: writing a whole output tree so that
// `dir` is only ever the old tree or the new one, doing as little to the
// disk as the change between them needs.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "compiler/io/filesystem.h"

namespace claw::io {

/// A writer that makes `dir` hold exactly the files put, when the policy
/// (why_not_replace) allows it given `inputs`:
/// - `dir` is resolved first: a symbolic link is followed, and the folder
///   it leads to is what is replaced (the link stays); a link to nothing,
///   and `/`, are refused;
/// - builds into one folder are serialised: the writer holds an exclusive
///   flock(2) on the folder's parent from its creation until it is
///   dropped, so a second writer of the same folder (in any process) waits;
///   it first removes the staging folders of builds that died (sweep_stale);
/// - a file the tree at `dir` already holds byte for byte is only noted;
///   any other is written at once into a staging folder beside `dir` (same
///   filesystem), created when the first such file comes;
/// - on commit, when every file was already there and `dir` holds nothing
///   else, `dir` is left untouched; otherwise the unchanged files are
///   hard-linked from the old tree into the staging folder, which is
///   renamed into place, and the old tree is deleted.
/// On failure, or when dropped without commit, `dir` is left as it was and
/// the staging folder is removed; so it is when the process is interrupted
/// (the writer is registered with abandon_all while it lives).
std::unique_ptr<TreeWriter> disk_tree_writer(const std::string& dir, const std::vector<std::string>& inputs);

}  // namespace claw::io
