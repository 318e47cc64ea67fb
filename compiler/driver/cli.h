// The `claw` command line: one table of subcommands, run against a
// filesystem and a console, so tests drive it without a process.
#pragma once

#include <string>
#include <vector>

#include "compiler/io/filesystem.h"

namespace claw::driver {

/// Where a command writes: standard output and standard error.
struct Console {
  std::string out;
  std::string err;
  bool color = false;
};

struct Environment {
  std::string stdlib_dir;  // where the stdlib lives
  /// False in the executable: a command's syntax trees and model are left
  /// for the process exit to reclaim instead of being freed piece by piece
  /// (as clang's -disable-free does). Tests keep it true so leak checks hold.
  bool free_memory = true;
};

/// Runs `claw ARGS...` (args exclude the program name) and returns the exit
/// code: 0 clean, 1 errors, 2 usage error.
int run(const std::vector<std::string>& args, const io::FileSystem& fs, const Environment& env, Console& console);

}  // namespace claw::driver
