#pragma once
// Whole-file writes that a crash or kill never leaves half done: the text
// goes to a temporary file beside the target, is flushed to disk, and
// replaces the target with one rename.

#include <filesystem>
#include <string_view>

namespace claw::sim {

// Whether a write waits for the disk: certificates and keys do; the object
// store, which writes on every API write, only renames (a killed process
// still never leaves a torn file; a power loss may lose the last writes).
enum class Durability { synced, renamed };

// Replaces `file` with `content`, created with permission bits `mode`
// (0600 for secrets); throws std::runtime_error naming the file and the
// system error when any step fails, leaving the old file in place.
void write_file_atomic(const std::filesystem::path& file, std::string_view content, unsigned mode,
                       Durability durability = Durability::synced);

}  // namespace claw::sim
