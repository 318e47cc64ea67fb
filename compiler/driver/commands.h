// The command line's words: claw's version, and naming a command that
// does not exist (a did-you-mean, or the list of those that do).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace claw::driver {

/// claw's version, the CMake project's (`claw --version` prints it).
extern const std::string_view kVersion;

/// `given` when it is one of the command `names`, else nothing.
std::optional<std::string> find_command(const std::vector<std::string>& names, std::string_view given);

/// "`a`, `b` and `c`": the commands, for a message.
std::string command_list(const std::vector<std::string>& names);

/// The message for an unknown command: the closest one as a did-you-mean,
/// or, when none is close, every command there is.
std::string unknown_command(const std::vector<std::string>& names, std::string_view given);

}  // namespace claw::driver
