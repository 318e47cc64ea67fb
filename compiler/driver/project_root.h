// Where a project's root folder is, for the files kept beside its program
// (claw.lock).
#pragma once

#include <string>
#include <vector>

#include "compiler/io/filesystem.h"

namespace claw::driver {

/// The project's root folder for the paths a command was given: the
/// deepest folder holding them all (a folder given counts as itself, a file
/// as the folder it is in); "." when none is given.
std::string project_root(const io::FileSystem& fs, const std::vector<std::string>& paths);

}  // namespace claw::driver
