// One compilation as `claw check`, `claw build` and `claw lsp` run it:
// load, check, the output-path check and, when all that is clean, placement.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "compiler/diag/diagnostic.h"
#include "compiler/driver/cli.h"
#include "compiler/io/filesystem.h"
#include "compiler/placement/failover.h"
#include "compiler/placement/placement.h"
#include "compiler/project/load.h"
#include "compiler/sema/check.h"

namespace claw::driver {

/// The options of `claw check` and `claw build` (`claw help check`), and
/// what the language server asks of a compilation.
struct CheckOptions {
  std::vector<std::string> paths;
  std::string format = "text";
  bool werror = false;
  bool timings = false;
  bool summary = false;
  unsigned threads = 0;
  std::string out_dir = "out";  // build only
  std::vector<std::string> allow_move;  // build only
  bool no_lock = false;                 // build only
  /// The exact placement solver's time budget (`--placement-seconds`).
  double placement_seconds = placement::Options{}.solver_seconds;
  std::optional<int> survive;           // `--survive N`: machines the failover proof loses at once
  bool index = false;                   // build sema's position index (the language server's)
  project::ParseCache* cache = nullptr;  // parses kept from the last compilation (the language server's)
  bool keep = false;  // keep what compiling an edit of the program may take over (with `index` and `cache`)
};

/// Everything one compilation produced, kept together for the views.
struct Compiled {
  std::unique_ptr<project::Project> project;
  std::unique_ptr<sema::CheckResult> checked;
  std::unique_ptr<placement::Result> placed;  // null when checking failed
  bool placement_reused = false;  // taken over from the previous compilation: its input did not change
  std::vector<diag::Diagnostic> placement_diags;  // what placement reported (also in `diags`)
  placement::FailoverReport failover;  // the failover proof of the placement (empty when nothing fails over)
  diag::Sink diags;
  bool failed = false;
  uint64_t t0 = 0, t1 = 0, t2 = 0, t3 = 0;
  uint64_t emit_ns = 0, write_ns = 0;  // build only
  // Resident bytes after each phase (with --timings only): load, check,
  // place, emit, write.
  std::array<uint64_t, 5> rss{};
  bool measure = false;
  void snapshot(size_t phase);
};

/// Loads, checks and (when `place` and all else is clean) places the
/// program `o.paths` names; diagnostics sorted; nothing printed. With
/// `previous`, a compilation of the program before an edit made with
/// `o.keep` (and the same cache), what the edit cannot change is taken
/// over from it (sema::check_edit, and placement when no workload's input
/// changed); `previous` is consumed. The result is the same either way.
Compiled compile(const CheckOptions& o, const io::FileSystem& fs, const Environment& env,
                 const placement::Options& place_options = {}, bool place = true, Compiled* previous = nullptr);

}  // namespace claw::driver
