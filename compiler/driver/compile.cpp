#include "compiler/driver/compile.h"

#include <algorithm>
#include <thread>

#include "compiler/emit/output_paths.h"
#include "compiler/emit/patch.h"
#include "compiler/io/clock.h"
#include "compiler/k8s/openapi.h"

namespace claw::driver {

void Compiled::snapshot(size_t phase) {
  if (measure) rss[phase] = io::resident_bytes();
}

namespace {

/// Whether the placement `previous` made holds for the model `checked`
/// made from it: every machine and workload checked again reads as before
/// to placement, and what placement reported points into no edited file.
bool placement_holds(const Compiled& previous, const sema::CheckResult& checked) {
  const auto& again = checked.rechecked;
  if (!previous.placed || !again.incremental) return false;
  auto edited = [&](source::Span s) { return s.valid() && std::ranges::count(again.edited, s.file) > 0; };
  for (const auto& d : previous.placement_diags) {
    if (d.severity == diag::Severity::Error || edited(d.span) || (d.fix && edited(d.fix->span))) return false;
    for (const auto& n : d.notes)
      if (edited(n.span)) return false;
  }
  for (size_t i = 0; i < again.machines.size(); ++i)
    if (!placement::same_input(again.machines_before[i], checked.model.machines[again.machines[i]])) return false;
  for (size_t i = 0; i < again.workloads.size(); ++i)
    if (!placement::same_input(again.workloads_before[i], checked.model.workloads[again.workloads[i]])) return false;
  return true;
}

/// Whether the output paths `previous` checked (it got as far as placing)
/// are still sound: every machine checked again kept its name, and every
/// workload its paths.
bool output_paths_hold(const Compiled& previous, const sema::CheckResult& checked) {
  const auto& again = checked.rechecked;
  if (!previous.placed || !again.incremental) return false;
  for (size_t i = 0; i < again.machines.size(); ++i)
    if (again.machines_before[i].name != checked.model.machines[again.machines[i]].name) return false;
  for (size_t i = 0; i < again.workloads.size(); ++i)
    if (!emit::same_output_paths(again.workloads_before[i], checked.model.workloads[again.workloads[i]])) return false;
  return true;
}

/// `options` with the solver's budget the user set.
placement::Options timed(placement::Options options, const CheckOptions& o) {
  options.solver_seconds = o.placement_seconds;
  return options;
}

}  // namespace

Compiled compile(const CheckOptions& o, const io::FileSystem& fs, const Environment& env,
                 const placement::Options& place_options, bool place, Compiled* previous) {
  Compiled c;
  c.measure = o.timings;
  c.t0 = io::now_ns();
  project::LoadOptions lo;
  lo.paths = o.paths;
  lo.stdlib_dir = env.stdlib_dir;
  lo.threads = o.threads;
  lo.cache = o.cache;
  c.project = std::make_unique<project::Project>(project::load(fs, lo));
  c.t1 = io::now_ns();
  c.snapshot(0);
  if (c.project->fatal) {
    c.checked = std::make_unique<sema::CheckResult>();
  } else {
    sema::Program program = c.project->program();
    program.threads = o.threads;
    program.index = o.index;
    program.keep = o.keep;
    program.k8s_schema = k8s::openapi_path(env.stdlib_dir);
    if (o.keep && previous && previous->checked)
      c.checked = std::make_unique<sema::CheckResult>(sema::check_edit(program, std::move(*previous->checked)));
    else
      c.checked = std::make_unique<sema::CheckResult>(sema::check(program));
  }
  c.t2 = io::now_ns();
  c.snapshot(1);
  c.diags.absorb(std::move(c.project->diags));
  c.diags.absorb(std::move(c.checked->diags));
  // Two declarations writing one output file: `claw check` says so too.
  // Placement needs a sound model: it runs only when everything else
  // checked, the output paths included. With two threads the two run side
  // by side, and a placement made where the paths clash is dropped.
  const bool sound = !c.diags.has_errors() && !c.project->fatal;
  const bool check_paths = sound && !(previous && output_paths_hold(*previous, *c.checked));
  const bool take_over = place && sound && previous && !place_options.previous && place_options.allow_move.empty() &&
                         placement_holds(*previous, *c.checked);
  diag::Sink paths;
  std::unique_ptr<placement::Result> placed;
  {
    std::jthread beside;
    const bool two = o.threads != 1 && std::thread::hardware_concurrency() > 1;
    if (check_paths && two && place && !take_over)
      beside = std::jthread([&] { emit::check_output_paths(c.checked->model, paths); });
    else if (check_paths)
      emit::check_output_paths(c.checked->model, paths);
    if (place && sound && !take_over && (beside.joinable() || !paths.has_errors()))
      placed = std::make_unique<placement::Result>(placement::place(c.checked->model, timed(place_options, o)));
  }  // the paths' check is joined here
  c.diags.absorb(std::move(paths));
  if (place && !c.diags.has_errors() && !c.project->fatal) {
    if (take_over) {
      c.placed = std::move(previous->placed);
      c.placement_diags = std::move(previous->placement_diags);
      c.placement_reused = true;
    } else {
      c.placed = std::move(placed);
      c.placement_diags = c.placed->diags.all();
    }
    for (const auto& d : c.placement_diags) c.diags.report(d);
    c.placed->diags = diag::Sink{};
    emit::check_patches(c.checked->model, c.placed->placement, c.diags);
    if (!c.diags.has_errors())
      c.failover = placement::check_failover(c.checked->model, c.placed->placement, o.survive, o.placement_seconds, c.diags);
  }
  c.t3 = io::now_ns();
  c.snapshot(2);
  c.diags.sort();
  size_t warnings = 0;
  for (const auto& d : c.diags.all()) warnings += d.severity == diag::Severity::Warning;
  c.failed = c.diags.has_errors() || (o.werror && warnings > 0);
  return c;
}

}  // namespace claw::driver
