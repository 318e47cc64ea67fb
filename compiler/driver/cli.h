// The `claw` command line: one table of subcommands, run against a
// filesystem and a console, so tests drive it without a process.
#pragma once

#include <expected>
#include <functional>
#include <string>
#include <vector>

#include "compiler/io/filesystem.h"
#include "compiler/placement/previous.h"
#include "compiler/sema/model.h"
#include "compiler/source/source.h"

namespace claw::lsp {
class ByteStream;
}

namespace claw::driver {

/// Where a command writes: standard output and standard error.
struct Console {
  std::string out;
  std::string err;
  bool color = false;
};

/// The options of `claw plan` and `claw apply` (`claw help plan`).
struct ClusterOptions {
  std::vector<std::string> paths;
  std::string kubeconfig, context;
  std::string format = "text";  // plan: text or json
  std::string out;              // plan: save the plan to this file
  std::string plan_file;        // apply: the saved plan to apply
  std::vector<std::string> allow_move;
  bool yes = false, force_conflicts = false, wait = false;
  bool allow_mass_delete = false, prune_volumes = false, prune_namespaces = false;
  unsigned timeout_seconds = 300;
  unsigned parallelism = 16;
};

/// A program that checked clean, for a cluster command: the runtime places
/// it itself, keeping what runs now (placement/previous.h).
struct CheckedProgram {
  const sema::Model& model;
  const source::SourceManager& sources;
  /// The placement `claw.lock` beside the program records, when there is
  /// one: where a workload the cluster does not run yet is kept first, so
  /// that the first apply places what `claw build` showed.
  const placement::Previous* locked = nullptr;
};

/// `claw plan` and `claw apply`, once the program checked: the runtime's
/// side (runtime/commands.h), handed to run() by the executable.
class ClusterCommands {
 public:
  virtual ~ClusterCommands() = default;
  /// Exit 0 no changes, 2 changes, 1 errors.
  virtual int plan(const ClusterOptions& options, const CheckedProgram& program, Console& console) = 0;
  /// `program` is null when a saved plan is applied. Exit 0 applied, 1 errors.
  virtual int apply(const ClusterOptions& options, const CheckedProgram* program, Console& console) = 0;
};

struct Environment {
  std::string stdlib_dir;  // where the stdlib lives
  /// The cluster commands; null in tests of the compiler alone.
  ClusterCommands* cluster = nullptr;
  /// False in the executable: a command's syntax trees and model are left
  /// for the process exit to reclaim instead of being freed piece by piece
  /// (as clang's -disable-free does). Tests keep it true so leak checks hold.
  bool free_memory = true;
  /// All of standard input, for `claw fmt -`; null where there is none.
  std::function<std::expected<std::string, std::string>()> read_stdin = nullptr;
  /// The streams `claw lsp` speaks the protocol on (the executable's standard
  /// input and output, unbuffered); null where there are none.
  lsp::ByteStream* stdio = nullptr;
};

/// Runs `claw ARGS...` (args exclude the program name) and returns the exit
/// code: 0 clean, 1 errors, 2 usage error.
int run(const std::vector<std::string>& args, const io::FileSystem& fs, const Environment& env, Console& console);

}  // namespace claw::driver
