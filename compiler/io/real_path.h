// Where a path really leads on disk, for comparing the output folder with
// the build's inputs.
#pragma once

#include <expected>
#include <string>

namespace claw::io {

/// The absolute path `path` names with every symbolic link and `.`/`..`
/// resolved, as far as it exists; the components past the longest existing
/// prefix are appended as written (with `.` and `..` applied). Fails with
/// an errno value when a component cannot be looked at (EACCES, ELOOP) or
/// one that exists is not a folder but has more after it (ENOTDIR).
std::expected<std::string, int> real_path(const std::string& path);

/// The reason for an errno value, in the house style (lowercase).
std::string reason(int err);

}  // namespace claw::io
