#include "compiler/io/clock.h"
#include "compiler/driver/cli.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <chrono>
#include <memory>

#include "compiler/diag/render.h"
#include "compiler/placement/placement.h"
#include "compiler/driver/summary.h"
#include "compiler/project/load.h"
#include "compiler/sema/check.h"

namespace claw::driver {
namespace {

struct CheckOptions {
  std::vector<std::string> paths;
  std::string format = "text";
  bool werror = false;
  bool timings = false;
  bool summary = false;
  unsigned threads = 0;
};

int run_check(const CheckOptions& o, const io::FileSystem& fs, const Environment& env, Console& console) {
  uint64_t t0 = io::now_ns();
  project::LoadOptions lo;
  lo.paths = o.paths;
  lo.stdlib_dir = env.stdlib_dir;
  lo.threads = o.threads;
  auto proj_owner = std::make_unique<project::Project>(project::load(fs, lo));
  project::Project& proj = *proj_owner;
  uint64_t t1 = io::now_ns();
  auto checked_owner =
      std::make_unique<sema::CheckResult>(proj.fatal ? sema::CheckResult{} : sema::check(proj.program()));
  sema::CheckResult& checked = *checked_owner;
  uint64_t t2 = io::now_ns();
  if (!env.free_memory) {
    // Reclaimed by the process exit; see Environment::free_memory.
    (void)proj_owner.release();
    (void)checked_owner.release();
  }

  diag::Sink all;
  all.absorb(std::move(proj.diags));
  all.absorb(std::move(checked.diags));
  // Placement needs a sound model: it runs only when everything else checked.
  if (!all.has_errors() && !proj.fatal) {
    placement::Result placed = placement::place(checked.model);
    all.absorb(std::move(placed.diags));
  }
  uint64_t t3 = io::now_ns();
  all.sort();
  // Past this many, further errors are mostly noise.
  constexpr size_t kMaxShown = 200;
  auto& diags = all.all();
  size_t errors = 0, warnings = 0;
  for (const auto& d : diags) {
    errors += d.severity == diag::Severity::Error;
    warnings += d.severity == diag::Severity::Warning;
  }
  if (o.format == "json") {
    console.out += diag::render_json(proj.sources, diags);
  } else {
    size_t shown = 0;
    for (const auto& d : diags) {
      if (shown++ == kMaxShown) {
        console.err += fmt::format("claw: error: too many diagnostics; {} more not shown [{}]\n", diags.size() - kMaxShown,
                                   diag::kind_code(diag::Kind::TooManyErrors));
        break;
      }
      console.err += diag::render_text(proj.sources, d, diag::TextStyle{console.color});
    }
    if (auto s = diag::summary_line(diags); !s.empty()) console.err += s + "\n";
  }
  bool failed = errors > 0 || (o.werror && warnings > 0);
  if (o.summary && !failed) console.out += network_summary(checked.model);
  if (o.timings) {
    const auto& s = proj.stats;
    console.err += fmt::format(
        "timings: files={} bytes={} lines={} tokens={} lex_ms={:.1f} parse_ms={:.1f} build_ms={:.1f} load_ms={:.1f} "
        "check_ms={:.1f} place_ms={:.1f} total_ms={:.1f} threads={}\n",
        s.files, s.bytes, s.lines, s.tokens, s.lex_ns / 1e6, s.parse_ns / 1e6, s.build_ns / 1e6, (t1 - t0) / 1e6,
        (t2 - t1) / 1e6, (t3 - t2) / 1e6, (io::now_ns() - t0) / 1e6, s.threads);
  }
  return failed ? 1 : 0;
}

}  // namespace

int run(const std::vector<std::string>& args, const io::FileSystem& fs, const Environment& env, Console& console) {
  CLI::App app{"claw: a typed language for k3s networks", "claw"};
  app.require_subcommand(1);
  app.set_help_all_flag("--help-all", "all subcommands' help");

  CheckOptions check;
  auto* cmd = app.add_subcommand("check", "type-check a program: files or folders (recursively); default: the current folder");
  cmd->add_option("paths", check.paths, "files or folders");
  cmd->add_option("--format", check.format, "diagnostics as `text` (default) or `json`")->check(CLI::IsMember({"text", "json"}));
  cmd->add_flag("--werror", check.werror, "treat warnings as errors");
  cmd->add_flag("--timings", check.timings, "print where the time went (stderr)");
  cmd->add_flag("--summary", check.summary, "print a summary of the network when it checks clean");
  cmd->add_option("-j,--jobs", check.threads, "parser threads (default: one per core)");

  std::vector<std::string> reversed(args.rbegin(), args.rend());
  try {
    app.parse(reversed);
  } catch (const CLI::CallForHelp&) {
    console.out += app.help();
    return 0;
  } catch (const CLI::CallForAllHelp&) {
    console.out += app.help("", CLI::AppFormatMode::All);
    return 0;
  } catch (const CLI::ParseError& e) {
    console.err += fmt::format("claw: error: {}\n", e.what());
    console.err += "run `claw --help` for usage\n";
    return 2;
  }
  if (cmd->parsed()) {
    if (cmd->get_option("--help")->count() > 0) {
      console.out += cmd->help();
      return 0;
    }
    return run_check(check, fs, env, console);
  }
  return 2;
}

}  // namespace claw::driver
