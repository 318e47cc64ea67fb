#include "compiler/io/clock.h"
#include "compiler/driver/cli.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <map>
#include <memory>
#include <optional>

#include "compiler/diag/render.h"
#include "compiler/driver/commands.h"
#include "compiler/driver/compile.h"
#include "compiler/driver/explain_text.h"
#include "compiler/driver/fmt_command.h"
#include "compiler/driver/moves_text.h"
#include "compiler/driver/project_root.h"
#include "compiler/driver/placement_table.h"
#include "compiler/emit/output_paths.h"
#include "compiler/emit/output_tree.h"
#include "compiler/emit/patch.h"
#include "compiler/emit/provenance.h"
#include "compiler/k8s/openapi.h"
#include "compiler/lsp/server.h"
#include "compiler/placement/explain.h"
#include "compiler/placement/lock_file.h"
#include "compiler/placement/placement.h"
#include "compiler/driver/summary.h"
#include "compiler/project/load.h"
#include "compiler/sema/check.h"

namespace claw::driver {
namespace {

/// Where `claw.lock` is: in the program's root folder.
std::string lock_path(const io::FileSystem& fs, const CheckOptions& o) {
  return io::join_path(project_root(fs, o.paths), std::string(placement::kLockName));
}

/// Reads `claw.lock` beside the program into `lock` (left empty with
/// `--no-lock` or without a lock); false, with the error printed, when it
/// cannot be read.
bool read_lock_beside(const CheckOptions& o, const io::FileSystem& fs, Console& console, std::optional<placement::Lock>& lock) {
  if (o.no_lock) return true;
  auto read = placement::read_lock(fs, lock_path(fs, o));
  if (!read) {
    console.err += fmt::format("claw: error: {} [{}]\n", read.error(), diag::kind_code(diag::Kind::OutputFailed));
    return false;
  }
  lock = std::move(*read);
  return true;
}

/// Per machine, the failover proof's verdict on losing it, for network.html;
/// empty when the proof lost more than one machine at once, or nothing.
std::vector<emit::MachineVerdict> machine_verdicts(const sema::Model& model, const placement::FailoverReport& report) {
  std::vector<emit::MachineVerdict> out;
  if (report.survive != 1 || report.losses.empty()) return out;
  for (const auto& m : model.machines) {
    const placement::Loss* loss = placement::loss_of(report, m.id);
    out.push_back(loss ? emit::MachineVerdict{loss->verdict == placement::Verdict::Placed, placement::loss_summary(model, *loss)}
                       : emit::MachineVerdict{true, "nothing on it would move"});
  }
  return out;
}


/// Diagnostics as `claw check` prints them: text on stderr, or JSON on stdout.
void print_list(const CheckOptions& o, const source::SourceManager& sources, const std::vector<diag::Diagnostic>& diags,
                Console& console) {
  if (o.format == "json") {
    console.out += diag::render_json(sources, diags);
    return;
  }
  // Past this many, further errors are mostly noise.
  constexpr size_t kMaxShown = 200;
  size_t shown = 0;
  for (const auto& d : diags) {
    if (shown++ == kMaxShown) {
      console.err += fmt::format("claw: error: too many diagnostics; {} more not shown [{}]\n", diags.size() - kMaxShown,
                                 diag::kind_code(diag::Kind::TooManyErrors));
      break;
    }
    console.err += diag::render_text(sources, d, diag::TextStyle{console.color});
  }
  if (auto s = diag::summary_line(diags); !s.empty()) console.err += s + "\n";
}

void print_diagnostics(const CheckOptions& o, const Compiled& c, Console& console) {
  print_list(o, c.project->sources, c.diags.all(), console);
}

void print_timings(const Compiled& c, Console& console) {
  const auto& s = c.project->stats;
  console.err += fmt::format(
      "timings: files={} bytes={} lines={} tokens={} lex_ms={:.1f} parse_ms={:.1f} build_ms={:.1f} load_ms={:.1f} "
      "check_ms={:.1f} place_ms={:.1f} emit_ms={:.1f} write_ms={:.1f} total_ms={:.1f} threads={}\n",
      s.files, s.bytes, s.lines, s.tokens, s.lex_ns / 1e6, s.parse_ns / 1e6, s.build_ns / 1e6, (c.t1 - c.t0) / 1e6,
      (c.t2 - c.t1) / 1e6, (c.t3 - c.t2) / 1e6, c.emit_ns / 1e6, c.write_ns / 1e6, (io::now_ns() - c.t0) / 1e6, s.threads);
  // Resident memory after each phase that ran, in MiB.
  static constexpr const char* kPhases[] = {"load", "check", "place", "emit", "write"};
  std::string rss;
  for (size_t i = 0; i < c.rss.size(); ++i)
    if (c.rss[i] != 0) rss += fmt::format("{}{}={:.1f}", rss.empty() ? "" : " ", kPhases[i], c.rss[i] / 1048576.0);
  if (!rss.empty()) console.err += fmt::format("resident_mib: {}\n", rss);
  if (c.checked && c.checked->stats.shared > 0) {
    const sema::CheckStats& k = c.checked->stats;
    console.err += fmt::format("checking: {} declarations on two threads, {} by the second, {} set aside and checked again in order\n",
                               k.shared, k.by_worker, k.rechecked);
  }
}

// Reclaimed by the process exit; see Environment::free_memory.
void maybe_keep(Compiled& c, const Environment& env) {
  if (env.free_memory) return;
  (void)c.project.release();
  (void)c.checked.release();
  (void)c.placed.release();
}

int run_check(const CheckOptions& o, const io::FileSystem& fs, const Environment& env, Console& console) {
  Compiled c = compile(o, fs, env);
  print_diagnostics(o, c, console);
  if (o.summary && !c.failed) console.out += network_summary(c.checked->model);
  if (o.timings) print_timings(c, console);
  maybe_keep(c, env);
  return c.failed ? 1 : 0;
}

/// The output folder as `-o` names it, trailing slashes dropped (`out/` is
/// `out`, as shell completion writes it), or nothing when it names none.
std::optional<std::string> output_folder(std::string given) {
  while (given.size() > 1 && given.back() == '/') given.pop_back();
  if (given.empty()) return std::nullopt;
  return given;
}

/// The build's inputs, which the output tree may not replace: the files
/// and folders given (the current folder when none) and every file read,
/// the stdlib's by where they are (they are shown as std/...).
std::vector<std::string> build_inputs(const CheckOptions& o, const Compiled& c, const Environment& env) {
  std::vector<std::string> inputs = o.paths.empty() ? std::vector<std::string>{"."} : o.paths;
  const project::Project& p = *c.project;
  for (size_t i = 0; i < p.files.size(); ++i) {
    if (!p.files[i]) continue;
    const std::string& path = p.sources.file(p.files[i]->id).path();
    const bool stdlib = i < p.is_stdlib.size() && p.is_stdlib[i] && path.starts_with("std/");
    inputs.push_back(stdlib ? io::join_path(env.stdlib_dir, path.substr(4)) : path);
  }
  return inputs;
}

void output_error(const std::string& why, Console& console) {
  console.err += fmt::format("claw: error: {} [{}]\n", why, diag::kind_code(diag::Kind::OutputFailed));
}

/// Writes the placement as the project's lock, if it changed from `was`
/// (the lock read before the build, if any); an error message when it could
/// not be written.
bool write_project_lock(const std::string& path, const std::optional<placement::Lock>& was, const Compiled& c,
                        const io::FileSystem& fs, Console& console) {
  placement::Previous now = placement::previous_of(c.checked->model, c.placed->placement);
  // A program with nothing to place needs no lock, unless it has one.
  if (now.workloads.empty() && !was) return true;
  std::string text = placement::lock_text(now);
  if (was && was->text == text) return true;
  auto written = placement::write_lock(fs, path, text);
  if (!written) output_error(written.error(), console);
  return written.has_value();
}

int run_build(CheckOptions o, const io::FileSystem& fs, const Environment& env, Console& console) {
  auto out_dir = output_folder(o.out_dir);
  if (!out_dir) {
    output_error("`-o` names no output folder (it is empty); name one, such as `-o out`", console);
    return 1;
  }
  o.out_dir = *out_dir;
  // The placement running now, from the lock beside the program.
  std::optional<placement::Lock> lock;
  if (!read_lock_beside(o, fs, console, lock)) return 1;
  placement::Options place_options;
  place_options.previous = lock ? &lock->previous : nullptr;
  place_options.allow_move.insert(o.allow_move.begin(), o.allow_move.end());
  Compiled c = compile(o, fs, env, place_options);
  print_diagnostics(o, c, console);
  // Placement ran, so the model is sound: a misspelt --allow-move is said
  // even when placement refused the move the user meant.
  if (c.placed) {
    if (std::string unknown = unknown_allow_move(c.checked->model, o.allow_move); !unknown.empty()) {
      console.err += unknown;
      maybe_keep(c, env);
      return 1;
    }
  }
  int code = c.failed ? 1 : 0;
  if (!c.failed) {
    // The files are written as they are made, beside the output folder,
    // which is replaced at once when all are there, or not at all.
    const uint64_t t_emit = io::now_ns();
    const sema::Model& model = c.checked->model;
    const placement::Placement& placed = c.placed->placement;
    const emit::Where where = emit::where_in(c.project->sources);
    std::unique_ptr<io::TreeWriter> tree = fs.write_tree(o.out_dir, build_inputs(o, c, env));
    emit::write_output_tree(
        model, placed, where, [&](std::string_view path, std::string_view text) { tree->put(path, text); },
        machine_verdicts(model, c.failover));
    uint64_t t4 = io::now_ns();
    c.emit_ns = t4 - t_emit;
    c.snapshot(3);
    auto written = tree->commit();
    c.write_ns = io::now_ns() - t4;
    c.snapshot(4);
    if (!written) {
      output_error(written.error(), console);
      code = 1;
    } else if (!o.no_lock && !write_project_lock(lock_path(fs, o), lock, c, fs, console)) {
      code = 1;
    } else if (o.format != "json") {
      console.out += placement_table(c.checked->model, c.placed->placement);
      console.out += moves_text(c.checked->model, c.placed->placement);
      const size_t n = written->files;
      console.out += fmt::format("\n{} {}{} ({} file{})\n", written->unchanged ? "already up to date:" : "wrote", o.out_dir,
                                 o.out_dir.ends_with('/') ? "" : "/", n, n == 1 ? "" : "s");
    }
  }
  if (o.timings) print_timings(c, console);
  maybe_keep(c, env);
  return code;
}

/// A usage error: the message, where to look, exit code 2 (1 for `claw
/// plan`, whose 2 means "changes", as `terraform plan -detailed-exitcode`).
int usage_error(const std::string& message, Console& console, int code = 2) {
  console.err += fmt::format("claw: error: {}\n", message);
  console.err += "run `claw help` for usage\n";
  return code;
}

/// What placement said of workload `w` (at its name, `on`, `gpu` block,
/// ports or tolerations): the part of `claw check`'s output about it.
std::vector<diag::Diagnostic> diagnostics_of(const sema::Workload& w, const std::vector<diag::Diagnostic>& diags) {
  std::vector<source::Span> spans{w.span, w.on_span};
  if (w.gpu) spans.push_back(w.gpu->span);
  for (const auto& p : w.ports) spans.push_back(p.span);
  for (const auto& t : w.tolerations) spans.push_back(t.span);
  std::vector<diag::Diagnostic> out;
  for (const auto& d : diags)
    if (d.span.valid() && std::find(spans.begin(), spans.end(), d.span) != spans.end()) out.push_back(d);
  return out;
}

/// `claw explain NAME`'s error for a name that is no workload, or more than one.
std::string unknown_workload(const sema::Model& model, const std::string& name, size_t matches) {
  std::vector<std::string> keys;
  for (const auto& w : model.workloads) keys.push_back(placement::workload_key(w));
  if (matches > 1) {
    std::string list;
    for (const auto& w : model.workloads)
      if (w.name == name) list += fmt::format("{}`{}`", list.empty() ? "" : ", ", placement::workload_key(w));
    return fmt::format("`{}` names {} workloads, in several namespaces: {}; name one as namespace/name", name, matches, list);
  }
  std::vector<std::string_view> candidates;
  for (size_t i = 0; i < model.workloads.size(); ++i) {
    candidates.push_back(model.workloads[i].name);
    candidates.push_back(keys[i]);
  }
  std::string out = fmt::format("`{}` names no workload of the program", name);
  if (auto close = diag::did_you_mean(name, candidates)) out += fmt::format("; did you mean `{}`?", *close);
  return out;
}

/// `claw explain NAME [PATH ...]`: why each replica of the workload runs
/// where `claw build` places it (claw.lock read, never written), or, when
/// it does not fit, what `claw check` says of it.
int run_explain(const std::string& name, const CheckOptions& o, const io::FileSystem& fs, const Environment& env,
                Console& console) {
  std::optional<placement::Lock> lock;
  if (!read_lock_beside(o, fs, console, lock)) return 1;
  placement::Options place_options;
  place_options.previous = lock ? &lock->previous : nullptr;
  Compiled c = compile(o, fs, env, place_options);
  int code = 1;
  if (!c.placed) {
    print_diagnostics(o, c, console);  // the program does not check: nothing was placed
  } else if (auto found = placement::find_workloads(c.checked->model, name); found.size() != 1) {
    code = usage_error(unknown_workload(c.checked->model, name, found.size()), console);
  } else {
    const sema::Workload& w = c.checked->model.workload(found.front());
    const std::vector<diag::Diagnostic> mine = diagnostics_of(w, c.placement_diags);
    if (!mine.empty()) print_list(o, c.project->sources, mine, console);
    if (std::any_of(mine.begin(), mine.end(), [](const diag::Diagnostic& d) { return d.severity == diag::Severity::Error; })) {
      code = 1;
    } else if (c.failed) {
      print_diagnostics(o, c, console);
      console.err += "claw: error: the program does not place as a whole; fix the errors above to explain its placement\n";
    } else {
      code = 0;
      const placement::Explanation e = placement::explain(c.checked->model, c.placed->placement, w.id, place_options.previous);
      console.out += o.format == "json" ? explain_json(c.checked->model, e) : explain_text(c.checked->model, e);
    }
  }
  maybe_keep(c, env);
  return code;
}

/// `claw plan` / `claw apply`: check the program (not placed: the runtime
/// places it against what the cluster runs), then hand it to the runtime.
int run_cluster(bool apply, ClusterOptions o, const io::FileSystem& fs, const Environment& env, Console& console) {
  if (!env.cluster) {
    console.err += "claw: error: this claw was built without cluster support\n";
    return 1;
  }
  // `claw apply plan.json`: a saved plan, applied without the program.
  if (apply && o.paths.size() == 1 && o.paths[0].ends_with(".json") && !fs.is_directory(o.paths[0])) {
    o.plan_file = o.paths[0];
    return env.cluster->apply(o, nullptr, console);
  }
  CheckOptions check;
  check.paths = o.paths;
  // The lock beside the program (claw build's placement), for what the
  // cluster does not run yet. The check places afresh: feasibility only.
  const std::string lock_path = io::join_path(project_root(fs, o.paths), std::string(placement::kLockName));
  auto lock = placement::read_lock(fs, lock_path);
  if (!lock) {
    console.err += fmt::format("claw: error: {} [{}]\n", lock.error(), diag::kind_code(diag::Kind::OutputFailed));
    return 1;
  }
  Compiled c = compile(check, fs, env, {}, false);
  print_diagnostics(check, c, console);
  int code = 1;
  if (!c.failed) {
    if (std::string unknown = unknown_allow_move(c.checked->model, o.allow_move); !unknown.empty()) {
      console.err += unknown;
      maybe_keep(c, env);
      return 1;
    }
    CheckedProgram program{c.checked->model, c.project->sources, *lock ? &(*lock)->previous : nullptr};
    code = apply ? env.cluster->apply(o, &program, console) : env.cluster->plan(o, program, console);
  }
  maybe_keep(c, env);
  return code;
}

/// The flags `claw plan` and `claw apply` share.
void cluster_flags(CLI::App* cmd, ClusterOptions& o) {
  cmd->add_option("paths", o.paths, "files or folders of the program (apply: or a plan saved with `plan --out`)");
  cmd->add_option("--kubeconfig", o.kubeconfig, "the kubeconfig file (default: $KUBECONFIG, else ~/.kube/config)");
  cmd->add_option("--context", o.context, "the kubeconfig context (default: its current-context)");
  cmd->add_option("--allow-move", o.allow_move, "let workload NAME leave the machine holding its local volume data (repeatable)")
      ->type_name("NAME")
      ->allow_extra_args(false);
  cmd->add_flag("--allow-mass-delete", o.allow_mass_delete, "allow deleting more than half of the objects claw owns");
  cmd->add_flag("--prune-volumes", o.prune_volumes, "allow deleting PersistentVolumeClaims and PersistentVolumes (their data)");
  cmd->add_flag("--prune-namespaces", o.prune_namespaces, "allow deleting Namespaces and CustomResourceDefinitions");
  cmd->add_option("--parallel", o.parallelism, "requests in flight at once (default: 16)");
}

/// `--survive N` of `claw check` and `claw build`.
void survive_flag(CLI::App* cmd, CheckOptions& o) {
  cmd->add_option("--survive", o.survive,
                  "prove that the `failover` workloads fit on the others when any N machines are lost at once "
                  "(default: the cluster's `survive`, else 1); a failing proof is then an error")
      ->type_name("N")
      ->check(CLI::Range(0, 8));
}

/// `claw help [CMD]`: the program's help, or one command's.
int run_help(CLI::App& app, const std::vector<std::string>& args, Console& console) {
  if (args.size() > 2) return usage_error("`claw help` takes at most one command", console);
  if (args.size() == 1 || args[1] == "--help" || args[1] == "-h") {
    console.out += app.help();
    return 0;
  }
  std::vector<std::string> names;
  for (const CLI::App* sub : app.get_subcommands({})) names.push_back(sub->get_name());
  if (auto known = find_command(names, args[1]); !known) return usage_error(unknown_command(names, args[1]), console);
  console.out += app.get_subcommand(args[1])->help("claw");
  return 0;
}

}  // namespace

int run(const std::vector<std::string>& args, const io::FileSystem& fs, const Environment& env, Console& console) {
  CLI::App app{"claw: a typed language for k3s networks", "claw"};
  app.require_subcommand(1);
  app.set_help_all_flag("--help-all", "all subcommands' help");
  app.set_version_flag("--version", fmt::format("claw {}", kVersion), "print claw's version and exit");
  app.footer("commands: `claw help CMD` for one command's options; exit codes: 0 clean, 1 errors (or warnings with "
             "--werror), 2 usage error");

  CheckOptions check;
  auto* cmd = app.add_subcommand("check", "type-check a program: files or folders (recursively); default: the current folder");
  cmd->add_option("paths", check.paths, "files or folders");
  cmd->add_option("--format", check.format, "diagnostics as `text` (default) or `json`")->check(CLI::IsMember({"text", "json"}));
  cmd->add_flag("--werror", check.werror, "treat warnings as errors");
  cmd->add_flag("--timings", check.timings, "print where the time went (stderr)");
  cmd->add_flag("--summary", check.summary, "print a summary of the network when it checks clean");
  cmd->add_option("--placement-seconds", check.placement_seconds,
                  "time the exact placement solver may take when the fast paths find no placement (default: 10)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("-j,--jobs", check.threads, "threads for parsing and checking (default: one per core)");
  survive_flag(cmd, check);

  CheckOptions build;
  auto* bcmd = app.add_subcommand("build", "check, place every workload, and write the output tree");
  bcmd->add_option("paths", build.paths, "files or folders");
  bcmd->add_option("-o,--out", build.out_dir, "the output folder, replaced as a whole (default: out)");
  bcmd->add_option("--format", build.format, "diagnostics as `text` (default) or `json`")->check(CLI::IsMember({"text", "json"}));
  bcmd->add_flag("--werror", build.werror, "treat warnings as errors");
  bcmd->add_flag("--timings", build.timings, "print where the time went (stderr)");
  bcmd->add_option("-j,--jobs", build.threads, "threads for parsing and checking (default: one per core)");
  bcmd->add_option("--allow-move", build.allow_move,
                   "let workload NAME leave the machine holding its local volume data (repeatable)")
      ->type_name("NAME")
      ->allow_extra_args(false);
  bcmd->add_option("--placement-seconds", build.placement_seconds,
                   "time the exact placement solver may take when the fast paths find no placement (default: 10)")
      ->check(CLI::NonNegativeNumber);
  bcmd->add_flag("--no-lock", build.no_lock, "neither read nor write claw.lock: place every workload afresh");
  survive_flag(bcmd, build);

  ClusterOptions plan;
  auto* pcmd = app.add_subcommand(
      "plan", "show what `claw apply` would change in the cluster; exit 0 none, 2 changes, 1 errors (usage errors too)");
  cluster_flags(pcmd, plan);
  pcmd->add_option("--format", plan.format, "the plan as `text` (default) or `json`")->check(CLI::IsMember({"text", "json"}));
  pcmd->add_option("--out", plan.out, "save the plan to FILE, for `claw apply FILE`")->type_name("FILE");

  ClusterOptions apply;
  auto* acmd = app.add_subcommand("apply", "change the cluster to match the program (or a saved plan), after confirmation");
  cluster_flags(acmd, apply);
  acmd->add_flag("-y,--yes", apply.yes, "apply without asking (required when not on a terminal)");
  acmd->add_flag("--force-conflicts", apply.force_conflicts, "take over fields another field manager owns");
  acmd->add_flag("--wait", apply.wait, "wait until rollouts are ready and Jobs complete");
  acmd->add_option("--timeout", apply.timeout_seconds, "seconds --wait waits (default: 300)");

  FmtOptions fmt_options;
  auto* fcmd = app.add_subcommand(
      "fmt", "lay out .claw files canonically: print them, or rewrite (-w) or list (--check) those that change");
  fcmd->add_option("paths", fmt_options.paths, "files or folders (recursively); `-`: standard input; default: the current folder");
  fcmd->add_flag("-w,--write", fmt_options.write, "rewrite each file that changes, in place, instead of printing it");
  fcmd->add_flag("--check", fmt_options.check, "list the files that would change and exit 1 if any would; change nothing");

  CheckOptions explain;
  std::string explain_name;
  auto* ecmd = app.add_subcommand("explain", "say why each replica of workload NAME runs where `claw build` places it, and not elsewhere");
  ecmd->add_option("name", explain_name, "the workload: NAME, or NAMESPACE/NAME")->required();
  ecmd->add_option("paths", explain.paths, "files or folders of the program (default: the current folder)");
  ecmd->add_option("--format", explain.format, "the explanation as `text` (default) or `json`")->check(CLI::IsMember({"text", "json"}));
  ecmd->add_option("-j,--jobs", explain.threads, "threads for parsing and checking (default: one per core)");
  ecmd->add_flag("--no-lock", explain.no_lock, "do not read claw.lock: explain a placement made afresh");

  bool lsp_stdio = false;
  auto* lcmd = app.add_subcommand("lsp", "run the language server on standard input and output (LSP 3.17), for editors");
  lcmd->add_flag("--stdio", lsp_stdio, "speak over standard input and output (the default and only transport)");

  app.add_subcommand("help", "print this help, or a command's: `claw help build`")->allow_extras();

  // What CLI11 would call a missing subcommand is a command named wrongly,
  // or none at all; `help` and `--version` need no parse.
  std::vector<std::string> names;
  for (const CLI::App* sub : app.get_subcommands({})) names.push_back(sub->get_name());
  if (args.empty()) return usage_error(fmt::format("no command given; the commands are {}", command_list(names)), console);
  if (args[0] == "--version") {
    console.out += fmt::format("claw {}\n", kVersion);
    return 0;
  }
  if (!args[0].starts_with("-") && !find_command(names, args[0])) return usage_error(unknown_command(names, args[0]), console);
  if (args[0] == "help") return run_help(app, args, console);

  std::vector<std::string> reversed(args.rbegin(), args.rend());
  try {
    app.parse(reversed);
  } catch (const CLI::CallForHelp&) {
    console.out += app.help();
    return 0;
  } catch (const CLI::CallForVersion&) {
    console.out += fmt::format("claw {}\n", kVersion);
    return 0;
  } catch (const CLI::CallForAllHelp&) {
    console.out += app.help("", CLI::AppFormatMode::All);
    return 0;
  } catch (const CLI::ParseError& e) {
    return usage_error(e.what(), console, args[0] == "plan" ? 1 : 2);
  }
  if (cmd->parsed()) {
    if (cmd->get_option("--help")->count() > 0) {
      console.out += cmd->help();
      return 0;
    }
    return run_check(check, fs, env, console);
  }
  if (bcmd->parsed()) return run_build(build, fs, env, console);
  if (pcmd->parsed()) return run_cluster(false, plan, fs, env, console);
  if (acmd->parsed()) return run_cluster(true, apply, fs, env, console);
  if (ecmd->parsed()) return run_explain(explain_name, explain, fs, env, console);
  if (fcmd->parsed()) return run_fmt(fmt_options, fs, env, console);
  if (lcmd->parsed()) {
    if (!env.stdio) {
      console.err += "claw: error: `claw lsp` needs standard input and output, which this run has none of\n";
      return 1;
    }
    return lsp::serve(*env.stdio, fs, env);
  }
  return 2;
}

}  // namespace claw::driver
