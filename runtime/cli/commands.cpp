#include "runtime/cli/commands.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "compiler/diag/render.h"
#include "compiler/driver/commands.h"
#include "compiler/emit/output_tree.h"
#include "compiler/emit/provenance.h"
#include "compiler/io/filesystem.h"
#include "compiler/placement/annotation.h"
#include "compiler/placement/placement.h"
#include "runtime/apply/apply.h"
#include "runtime/apply/lease.h"
#include "runtime/apply/node_apply.h"
#include "runtime/apply/secret_values.h"
#include "runtime/apply/wait.h"
#include "runtime/apply/waves.h"
#include "runtime/cluster/command_runner.h"
#include "runtime/cluster/curl_transport.h"
#include "runtime/cluster/discovery.h"
#include "runtime/cluster/environment.h"
#include "runtime/cluster/kubeconfig.h"
#include "runtime/plan/make_plan.h"
#include "runtime/plan/nodes.h"
#include "runtime/plan/plan_file.h"
#include "runtime/plan/prune.h"
#include "runtime/plan/render.h"

namespace claw::runtime {

namespace {

using driver::Console;
using nlohmann::json;

int fail(Console& console, const std::string& message) {
  console.err += fmt::format("claw: error: {}\n", message);
  return 1;
}

/// A connection to the cluster: credentials, transport, kinds.
struct Session {
  cluster::ClusterAccess access;
  std::unique_ptr<cluster::CurlTransport> transport;
  cluster::Discovery discovery;
};

std::expected<Session, std::string> connect(const driver::ClusterOptions& o, const cluster::Environment& env,
                                            const io::FileSystem& fs) {
  cluster::KubeconfigOptions ko;
  ko.kubeconfig = o.kubeconfig;
  ko.context = o.context;
  cluster::ProcessRunner runner;
  auto access = cluster::load_cluster_access(ko, env, fs, runner);
  if (!access) return std::unexpected(access.error());
  cluster::CurlOptions co;
  co.parallelism = std::max(1u, o.parallelism);
  co.user_agent = fmt::format("claw/{}", driver::kVersion);
  auto transport = cluster::CurlTransport::create(access->endpoint, co);
  if (!transport) return std::unexpected(transport.error());
  auto discovery = cluster::Discovery::load(**transport);
  if (!discovery) return std::unexpected(discovery.error());
  return Session{std::move(*access), std::move(*transport), std::move(*discovery)};
}

/// The workload kinds whose live objects record where replicas run.
const std::vector<std::pair<std::string, std::string>> kPlacedKinds = {
    {"apps/v1", "Deployment"}, {"apps/v1", "StatefulSet"}, {"batch/v1", "Job"}, {"batch/v1", "CronJob"}};

/// Everything a plan was made from, kept for apply.
struct Prepared {
  explicit Prepared(Session& s) : session(s) {}
  Session& session;  // the caller's: it outlives the plan, and the Lease taken through it
  plan::LiveState live;
  std::unique_ptr<placement::Result> placed;
  std::vector<emit::Object> objects;
  plan::Plan plan;
  apply::SecretLookup lookup;
  std::unique_ptr<apply::ValueSources> sources;
};

/// Hands what a plan was made from to the process's exit instead of
/// freeing it: the live objects of a large project are hundreds of
/// thousands of small allocations, a tenth of a no-change plan's time to
/// free one by one just before the process ends (compilers skip freeing
/// their trees at exit for the same reason). Kept reachable from a static
/// pointer, which outlives static destructors, so leak checkers do not
/// report it (a static container would be destroyed before they look);
/// volatile, so that the store the program never reads is made.
void leave_to_exit(Prepared&& p) {
  [[maybe_unused]] static const Prepared* volatile kept = nullptr;
  kept = new Prepared(std::move(p));
}

/// Connects, reads what the project owns, places the program keeping what
/// runs now, and makes the plan; on error, prints why and returns nothing.
std::optional<Prepared> prepare(const driver::ClusterOptions& o, const driver::CheckedProgram& program, Session& session,
                                const cluster::Environment& env, const io::FileSystem& fs, Console& console) {
  const sema::Model& model = program.model;
  Prepared p(session);
  const std::string project = model.cluster->name;
  // The controllers first, where the workloads are: placement keeps what runs.
  std::set<std::string> workload_namespaces;
  for (const auto& w : model.workloads) workload_namespaces.insert(w.namespace_);
  if (auto read = plan::read_owned(*p.session.transport, p.session.discovery, project, kPlacedKinds, workload_namespaces,
                                   p.live);
      !read) {
    fail(console, read.error());
    return std::nullopt;
  }
  // Placement keeps every replica where it runs now while it still can;
  // a workload the cluster does not run yet starts where claw.lock puts it.
  placement::Previous previous = plan::previous_from_live(p.live);
  if (program.locked)
    for (const auto& [key, replicas] : program.locked->workloads) previous.workloads.try_emplace(key, replicas);
  placement::Options po;
  po.previous = &previous;
  po.allow_move.insert(o.allow_move.begin(), o.allow_move.end());
  p.placed = std::make_unique<placement::Result>(placement::place(model, po));
  p.placed->diags.sort();
  for (const auto& d : p.placed->diags.all()) console.err += diag::render_text(program.sources, d, diag::TextStyle{console.color});
  if (p.placed->diags.has_errors()) return std::nullopt;
  p.objects = emit::program_objects(model, p.placed->placement);

  p.lookup = apply::lookup_of(apply::declared_secrets(model));
  p.sources = std::make_unique<apply::ValueSources>(apply::ValueSources{env, fs, apply::declaration_folder(program.sources)});
  const emit::Where where = emit::where_in(program.sources);
  if (auto errors = apply::check_secret_sources(p.objects, p.lookup, *p.sources); !errors.empty()) {
    // At the declaration, as the checker's diagnostics are: the line and a caret.
    for (const auto& e : errors)
      console.err += diag::render_text(program.sources, diag::make(diag::Kind::SecretSource, e.span, e.message),
                                       diag::TextStyle{console.color});
    return std::nullopt;
  }

  std::set<std::pair<std::string, std::string>> kinds;
  std::set<std::string> namespaces;
  for (const auto& obj : p.objects) {
    kinds.insert({obj.ref.api_version(), obj.ref.kind});
    namespaces.insert(obj.ref.namespace_);
  }
  for (const auto& k : plan::inventory_kinds(p.live.inventory)) kinds.insert(k);
  if (auto read = plan::read_owned(*p.session.transport, p.session.discovery, project, {kinds.begin(), kinds.end()},
                                   namespaces, p.live);
      !read) {
    fail(console, read.error());
    return std::nullopt;
  }
  plan::PlanOptions plan_options;
  plan_options.project = project;
  plan_options.prune = {o.prune_volumes, o.prune_namespaces};
  plan_options.allow_mass_delete = o.allow_mass_delete;
  plan_options.secrets = &p.lookup;
  plan_options.sources = p.sources.get();
  auto made = plan::make_plan(*p.session.transport, p.session.discovery, p.objects, p.live, where, plan_options);
  if (!made) {
    for (const auto& e : made.error()) console.err += fmt::format("claw: error: {}\n", e);
    return std::nullopt;
  }
  p.plan = std::move(*made);
  // The secrets the chart values Secrets read, for a saved plan.
  std::set<std::string> charted;
  for (const auto& x : p.plan.objects)
    if (x.secret)
      for (const auto& [path, name] : x.secret->chart_values) charted.insert(name);
  for (const auto& name : charted)
    if (const auto* item = p.lookup(name)) p.plan.value_sources.push_back(*item);
  // A Secret's file is named relative to its declaration's folder: made
  // absolute here, so a saved plan reads it from wherever it is applied.
  const apply::FolderOf folder = apply::declaration_folder(program.sources);
  auto make_absolute = [&](emit::SecretSource::Item& item) {
    if (!item.file || item.file->starts_with('/')) return;
    std::error_code ec;
    auto absolute = std::filesystem::absolute(io::join_path(folder(item.span), *item.file), ec);
    if (!ec) item.file = absolute.lexically_normal().string();
  };
  for (auto& x : p.plan.objects)
    if (x.secret)
      for (auto& item : x.secret->items) make_absolute(item);
  for (auto& item : p.plan.value_sources) make_absolute(item);
  p.plan.server = p.session.access.endpoint.server;
  p.plan.context = p.session.access.context;
  for (const auto& m : p.placed->placement.moves)
    p.plan.moves.push_back({placement::workload_key(model.workload(m.workload)), m.replica, placement::describe(m.from),
                            placement::describe(m.to), m.reason});
  auto nodes = p.session.transport->perform(plan::node_list_request());
  if (nodes.status != 200) {
    fail(console, fmt::format("listing the Nodes: HTTP {} {}", nodes.status, nodes.error));
    return std::nullopt;
  }
  p.plan.nodes = plan::plan_nodes(model, p.placed->placement, json::parse(nodes.body, nullptr, false));
  for (const auto& n : p.plan.nodes)
    if (!n.joined)
      p.plan.notes.push_back(fmt::format("machine `{}` has not joined the cluster: run its join script (join/{}.sh)", n.machine, n.machine));
  return p;
}

void write_out(Console& console, bool to_stdout, const std::string& text) {
  if (to_stdout) {
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
  } else {
    console.out += text;
  }
}

/// Asks on the terminal; true only for `yes`.
bool confirmed(const plan::Plan& plan) {
  std::fprintf(stderr, "\nApply these changes to %s (context %s)?\n  Only 'yes' will be accepted: ", plan.server.c_str(),
               plan.context.c_str());
  std::fflush(stderr);
  std::string answer;
  if (!std::getline(std::cin, answer)) return false;
  return answer == "yes";
}

/// A progress line on a terminal (stderr), rewritten in place.
apply::ApplyProgress progress_display(bool terminal) {
  if (!terminal) return {};
  return [](size_t done, size_t total, int wave, size_t failed) {
    std::fprintf(stderr, "\r\x1b[Kapplying: %zu/%zu objects, wave %d of %d%s", done, total, wave + 1, apply::kWaves,
                 failed ? fmt::format(", {} failed", failed).c_str() : "");
    std::fflush(stderr);
  };
}

/// The project's name, or an error when the program has no cluster.
std::optional<std::string> project_of(const driver::CheckedProgram& program, Console& console) {
  if (program.model.cluster) return program.model.cluster->name;
  fail(console, "`claw plan` and `claw apply` need a `cluster` declaration: its name names the project in the cluster");
  return std::nullopt;
}

/// The project's Lease, held from before the cluster is read until the
/// apply ends (as terraform locks before planning), released however the
/// apply ends.
class HeldLock {
 public:
  HeldLock(cluster::Transport& transport, const std::string& project, const cluster::Environment& env)
      : lock_(transport, options(project, env)) {}
  ~HeldLock() {
    if (lock_.held()) (void)lock_.release();
  }
  std::expected<void, apply::LockError> acquire() { return lock_.acquire(); }
  apply::ApplyLock& lock() { return lock_; }

 private:
  static apply::LockOptions options(const std::string& project, const cluster::Environment& env) {
    apply::LockOptions lo;
    lo.project = project;
    lo.identity = apply::this_process_identity(env);
    return lo;
  }
  apply::ApplyLock lock_;
};

int run_apply(const driver::ClusterOptions& o, Session& session, apply::ApplyLock& lock, const plan::Plan& plan,
              plan::Inventory inventory, const apply::SecretLookup& lookup, const apply::ValueSources& sources,
              Console& console) {
  const size_t owned = static_cast<size_t>(std::count_if(plan.objects.begin(), plan.objects.end(), [](const auto& x) {
                         return x.action == plan::Action::Update || x.action == plan::Action::Delete;
                       })) + plan.unchanged;
  if (plan::mass_delete(plan.count(plan::Action::Delete), owned) && !o.allow_mass_delete)
    return fail(console, fmt::format("the plan deletes {} of the {} objects claw owns; pass --allow-mass-delete if that is meant",
                                     plan.count(plan::Action::Delete), owned));
  if (!o.yes) {
    if (!isatty(STDIN_FILENO))
      return fail(console, "not on a terminal: pass --yes to apply without being asked");
    if (!confirmed(plan)) return fail(console, "apply cancelled");
  }
  apply::ApplyOptions ao;
  ao.project = plan.project;
  ao.force_conflicts = o.force_conflicts;
  ao.secrets = &lookup;
  ao.sources = &sources;
  const bool terminal = isatty(STDERR_FILENO);
  ao.progress = progress_display(terminal);
  ao.lock = &lock;
  apply::ApplyReport report = apply::apply_plan(*session.transport, session.discovery, plan, inventory, ao);
  if (terminal && !plan.objects.empty()) std::fprintf(stderr, "\r\x1b[K");
  apply::NodeApplyReport nodes = apply::apply_nodes(*session.transport, plan.nodes);

  std::string text;
  for (const auto& out : report.outcomes)
    if (!out.done)
      text += fmt::format("  failed: {} {}{}{}: {}\n", plan::action_word(out.object->action), out.object->ref.display(),
                          out.object->source.empty() ? "" : " at ", out.object->source, out.error);
  for (const auto& e : report.errors) text += fmt::format("  failed: {}\n", e);
  for (const auto& e : nodes.errors) text += fmt::format("  failed: {}\n", e);
  text += fmt::format("Applied {} of {} changes{}{}.\n", report.done(), plan.objects.size(),
                      nodes.patched.empty() ? "" : fmt::format(", {} node(s) updated", nodes.patched.size()),
                      report.ok() ? "" : fmt::format("; {} failed (run `claw apply` again once fixed: it converges)", report.failed()));
  int code = report.ok() && nodes.ok() ? 0 : 1;
  if (o.wait && code == 0) {
    std::vector<emit::ObjectRef> refs;
    for (const auto& x : plan.objects)
      if (x.action != plan::Action::Delete) refs.push_back(x.ref);
    apply::WaitOptions wo;
    wo.timeout = std::chrono::seconds(o.timeout_seconds);
    wo.label_selector = plan::ownership_selector(plan.project);
    auto clock = apply::system_wait_clock();
    auto waited = apply::wait_ready(*session.transport, session.discovery, refs, wo, *clock, [&](const apply::WaitReport&) {
      (void)lock.renew_if_due();
    });
    if (waited.all_ready()) {
      text += "All rollouts are ready.\n";
    } else {
      text += waited.describe_problems();
      code = 1;
    }
  }
  if (auto released = lock.release(); !released) text += fmt::format("warning: {}\n", released.error().message);
  console.out += text;
  return code;
}

}  // namespace

int Commands::plan(const driver::ClusterOptions& o, const driver::CheckedProgram& program, Console& console) {
  const cluster::Environment env = cluster::Environment::current();
  io::DiskFileSystem fs;
  if (!project_of(program, console)) return 1;
  auto session = connect(o, env, fs);
  if (!session) return fail(console, session.error());
  auto prepared = prepare(o, program, *session, env, fs, console);
  if (!prepared) return 1;
  const plan::Plan& plan = prepared->plan;
  if (!o.out.empty()) {
    auto text = plan::plan_file_text(plan);
    if (!text) return fail(console, text.error());
    if (auto written = fs.write_file(o.out, *text); !written) return fail(console, written.error());
  }
  if (o.format == "json") {
    console.out += plan::plan_json(plan).dump(2) + "\n";
  } else {
    console.out += plan::render_text(plan, {plan::use_color(STDOUT_FILENO, env)});
    if (!o.out.empty()) console.out += fmt::format("Saved the plan to {}: `claw apply {}` applies exactly it.\n", o.out, o.out);
  }
  const int code = plan.has_changes() ? 2 : 0;
  leave_to_exit(std::move(*prepared));
  return code;
}

int Commands::apply(const driver::ClusterOptions& o, const driver::CheckedProgram* program, Console& console) {
  const cluster::Environment env = cluster::Environment::current();
  io::DiskFileSystem fs;
  if (!program) {
    // A saved plan, applied exactly, or refused when the cluster changed.
    auto text = fs.read(o.plan_file, 64 << 20);
    if (!text) return fail(console, fmt::format("{}: cannot read the plan: {}", o.plan_file, text.error().message));
    auto plan = plan::read_plan_file(*text);
    if (!plan) return fail(console, fmt::format("{}: {}", o.plan_file, plan.error()));
    auto session = connect(o, env, fs);
    if (!session) return fail(console, session.error());
    if (session->access.endpoint.server != plan->server)
      return fail(console, fmt::format("{}: the plan was made for {}, and the kubeconfig points at {}", o.plan_file, plan->server,
                                       session->access.endpoint.server));
    HeldLock held(*session->transport, plan->project, env);
    if (auto got = held.acquire(); !got) return fail(console, got.error().message);
    if (auto stale = apply::stale_objects(*session->transport, session->discovery, *plan); !stale.empty()) {
      std::string list;
      for (const auto& s : stale) list += "\n  " + s;
      return fail(console, fmt::format("{}: the cluster changed since the plan was made; run `claw plan` again:{}", o.plan_file, list));
    }
    plan::LiveState live;
    if (auto read = plan::read_owned(*session->transport, session->discovery, plan->project, {}, {}, live); !read)
      return fail(console, read.error());
    // The Secrets' sources as the plan recorded them, read from here.
    std::vector<emit::SecretSource::Item> items = plan->value_sources;
    for (const auto& x : plan->objects)
      if (x.secret)
        for (const auto& item : x.secret->items) items.push_back(item);
    apply::SecretLookup lookup = apply::lookup_of(items);
    apply::ValueSources sources{env, fs, [](const source::Span&) { return std::string("."); }};
    write_out(console, false, plan::render_text(*plan, {plan::use_color(STDOUT_FILENO, env)}));
    return run_apply(o, *session, held.lock(), *plan, live.inventory, lookup, sources, console);
  }
  auto project = project_of(*program, console);
  if (!project) return 1;
  auto session = connect(o, env, fs);
  if (!session) return fail(console, session.error());
  cluster::Transport& transport = *session->transport;
  HeldLock held(transport, *project, env);
  if (auto got = held.acquire(); !got) return fail(console, got.error().message);
  auto prepared = prepare(o, *program, *session, env, fs, console);
  if (!prepared) return 1;
  const plan::Plan& plan = prepared->plan;
  // Shown before the question, so it goes out now.
  write_out(console, !o.yes, plan::render_text(plan, {plan::use_color(STDOUT_FILENO, env)}));
  if (!plan.has_changes()) return 0;
  return run_apply(o, prepared->session, held.lock(), plan, prepared->live.inventory, prepared->lookup, *prepared->sources,
                   console);
}

}  // namespace claw::runtime
