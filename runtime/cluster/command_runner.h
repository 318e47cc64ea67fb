// Running a program and reading what it prints: the seam behind exec
// credential plugins. The real runner spawns a process (posix_spawn, a pipe
// for stdout, a timeout); tests use FakeCommandRunner (fake_command_runner.h).
#pragma once

#include <chrono>
#include <expected>
#include <string>
#include <vector>

namespace claw::cluster {

struct Command {
  /// A path, or a name looked up on the PATH of the running process (as
  /// Go's os/exec does).
  std::string program;
  std::vector<std::string> args;
  /// The whole environment of the child, `NAME=VALUE` each.
  std::vector<std::string> env;
  /// How long the program may run before it is killed.
  std::chrono::milliseconds timeout{std::chrono::minutes(1)};
};

/// How a program that ran ended. Its stderr goes to claw's stderr, as
/// client-go passes an exec plugin's stderr through; its stdin is empty.
struct CommandResult {
  /// The exit status; -1 when a signal ended it or it was killed on timeout.
  int exit_code = 0;
  bool timed_out = false;
  /// Everything it wrote to stdout.
  std::string out;
};

/// Why a program could not be run at all.
struct CommandError {
  /// The program was not found (or is not executable).
  bool not_found = false;
  std::string message;
};

class CommandRunner {
 public:
  virtual ~CommandRunner() = default;
  /// Runs `command` to its end (or its timeout) and returns how it ended.
  virtual std::expected<CommandResult, CommandError> run(const Command& command) = 0;
};

/// The real runner: spawns a child process.
class ProcessRunner final : public CommandRunner {
 public:
  std::expected<CommandResult, CommandError> run(const Command& command) override;
};

}  // namespace claw::cluster
