// DiskFileSystem::write_tree's work: writing a whole output tree so that
// `dir` is only ever the old tree or the new one, doing as little to the
// disk as the change between them needs.
#pragma once

#include <memory>
#include <string>

#include "compiler/io/filesystem.h"

namespace claw::io {

/// A writer that makes `dir` hold exactly the files put:
/// - a file the tree at `dir` already holds byte for byte is only noted;
///   any other is written at once into a staging folder beside `dir` (same
///   filesystem), created when the first such file comes;
/// - on commit, when every file was already there and `dir` holds nothing
///   else, `dir` is left untouched; otherwise the unchanged files are
///   hard-linked from the old tree into the staging folder, which is
///   renamed into place, and the old tree is deleted.
/// On failure, or when dropped without commit, `dir` is left as it was and
/// the staging folder is removed.
std::unique_ptr<TreeWriter> disk_tree_writer(const std::string& dir);

}  // namespace claw::io
