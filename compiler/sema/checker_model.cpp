// Lowering checked values into the model, and the checks that need the
// network as a whole (clusters, k3s modes, ports, hosts, labels).
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>

#include "compiler/sema/checker.h"
#include "compiler/sema/lower_read.h"
#include "compiler/sema/stdlib_enums.h"

namespace claw::sema {

std::string_view workload_kind_name(WorkloadKind k) {
  switch (k) {
    case WorkloadKind::Service: return "service";
    case WorkloadKind::Job: return "job";
    case WorkloadKind::Cron: return "cron";
    case WorkloadKind::Daemon: return "daemon";
  }
  return "service";
}
int Machine::gpu_count() const {
  int n = 0;
  for (const auto& g : gpus) n += g.count;
  return n;
}

namespace {
bool ends_with_domain(std::string_view prefix, std::string_view domain) {
  return prefix == domain || prefix.ends_with(fmt::format(".{}", domain));
}
}  // namespace

bool kubelet_refuses_label(std::string_view key) {
  auto slash = key.find('/');
  if (slash == std::string_view::npos) return false;
  std::string_view prefix = key.substr(0, slash);
  if (!ends_with_domain(prefix, "kubernetes.io") && !ends_with_domain(prefix, "k8s.io")) return false;
  if (prefix == "kubelet.kubernetes.io" || prefix == "node.kubernetes.io") return false;
  static constexpr std::array<std::string_view, 10> kAllowed = {
      "kubernetes.io/arch",
      "kubernetes.io/hostname",
      "kubernetes.io/os",
      "beta.kubernetes.io/arch",
      "beta.kubernetes.io/os",
      "beta.kubernetes.io/instance-type",
      "topology.kubernetes.io/region",
      "topology.kubernetes.io/zone",
      "failure-domain.beta.kubernetes.io/region",
      "failure-domain.beta.kubernetes.io/zone",
  };
  return std::find(kAllowed.begin(), kAllowed.end(), key) == kAllowed.end();
}

namespace detail {
namespace {

using VK = Value::Kind;

using read::str;
using read::string_map;
using read::strings;
int64_t num(const Value& v, int64_t fallback = 0) {
  return (v.kind == VK::Int || v.kind == VK::Bytes || v.kind == VK::Cpu || v.kind == VK::Duration) ? v.i : fallback;
}
std::optional<TaintEffect> effect_of(std::string_view e) { return from_stdlib<TaintEffect>(e); }
std::vector<Taint> taints(const Value& v) {
  std::vector<Taint> out;
  if (v.kind != VK::List) return out;
  out.reserve(v.items->size());
  for (const auto& x : *v.items) {
    if (x.kind != VK::String) continue;
    std::string_view t = x.s;
    auto colon = t.rfind(':');
    auto kv = t.substr(0, colon);
    auto eq = kv.find('=');
    Taint taint{std::string(kv.substr(0, eq)), eq == std::string_view::npos ? "" : std::string(kv.substr(eq + 1)),
                effect_of(t.substr(colon + 1)).value_or(TaintEffect::NoSchedule), x.span};
    out.push_back(std::move(taint));
  }
  return out;
}
std::vector<Toleration> tolerations(const Value& v) {
  std::vector<Toleration> out;
  if (v.kind != VK::List) return out;
  out.reserve(v.items->size());
  for (const auto& x : *v.items) {
    if (x.kind != VK::String) continue;
    std::string_view t = x.s;
    auto colon = t.rfind(':');
    auto kv = colon == std::string_view::npos ? t : t.substr(0, colon);
    auto eq = kv.find('=');
    Toleration tol;
    tol.key = std::string(kv.substr(0, eq));
    if (eq != std::string_view::npos) tol.value = std::string(kv.substr(eq + 1));
    if (colon != std::string_view::npos) tol.effect = effect_of(t.substr(colon + 1));
    tol.span = x.span;
    out.push_back(std::move(tol));
  }
  return out;
}
std::optional<Probe> probe(const Value& v) {
  if (v.kind != VK::Record) return std::nullopt;
  Probe p;
  p.kind = enum_of<ProbeKind>(v.field("kind"));
  if (v.field("port").kind == VK::Int) p.port = static_cast<int>(v.field("port").i);
  p.path = str(v.field("path"));
  p.command = strings(v.field("command"));
  p.period_ms = num(v.field("period"));
  p.delay_ms = num(v.field("delay"));
  p.timeout_ms = num(v.field("timeout"));
  p.failures = static_cast<int>(num(v.field("failures"), 3));
  p.span = v.span;
  return p;
}

}  // namespace

namespace {

std::vector<uint32_t> ids_of(const Value& list, const std::unordered_map<std::string, uint32_t>& table) {
  std::vector<uint32_t> out;
  if (list.kind == VK::List)
    for (const auto& x : *list.items)
      if (x.kind == VK::Ref)
        if (auto it = table.find(x.s); it != table.end()) out.push_back(it->second);
  return out;
}

std::optional<uint32_t> ref_id(const Value& v, const std::unordered_map<std::string, uint32_t>& table) {
  if (v.kind != VK::Ref) return std::nullopt;
  auto it = table.find(v.s);
  if (it == table.end()) return std::nullopt;
  return it->second;
}

}  // namespace

namespace {

// The fields of a workload that lowering reads: the record types (service,
// job, ...) place them differently, so their positions are found once per
// type rather than once for each of thousands of declarations.
enum class WF : uint8_t {
  Namespace, Image, Arch, Command, Args, Replicas, Port, Env, Config, ConfigAt, Needs,
  Limits, Gpu, Volume, Health, Ready, On, Roles, Prefer, Avoid, Tolerate, After,
  Host, Path, Expose, Backoff, Deadline, Parallelism, Completions, Restart, Schedule, Concurrency, History,
  Placement,
};
constexpr std::string_view kWorkloadFields[] = {
    "namespace", "image", "arch", "command", "args", "replicas", "port", "env", "config", "config-at", "needs",
    "limits", "gpu", "volume", "health", "ready", "on", "roles", "prefer", "avoid", "tolerate", "after",
    "host", "path", "expose", "backoff", "deadline", "parallelism", "completions", "restart", "schedule", "concurrency", "history",
    "placement",
};

}  // namespace

const std::vector<int>& Checker::field_positions(const RecordDef* rec, std::span<const std::string_view> names) {
  for (const auto& [r, first, positions] : field_positions_)
    if (r == rec && first == names.data()) return positions;
  std::vector<int> positions;
  positions.reserve(names.size());
  for (std::string_view name : names) positions.push_back(rec ? rec->find(name) : -1);
  return std::get<2>(field_positions_.emplace_back(rec, names.data(), std::move(positions)));
}

void Checker::lower_role(const DeclInfo& info, Model& m) {
  const Value& v = info.value;
  Role r{RoleId{static_cast<uint32_t>(m.roles.size())}, info.item->name.text, info.item->name.span, {}, {}};
  if (v.kind == VK::Record) {
    r.labels = string_map(v.field("label"));
    r.taints = taints(v.field("taint"));
    for (const Taint& t : r.taints) check_taint(t);
  }
  m.roles.push_back(std::move(r));
}

void Checker::lower_machine(const DeclInfo& info, Machine& x, const Model& m) {
  const Value& v = info.value;
  x.id = MachineId{info.index};
  x.name = info.item->name.text;
  x.span = info.item->name.span;
  if (v.kind == VK::Record) {
    x.os = enum_of<Os>(v.field("os")).value_or(Os::Linux);
    x.arch = enum_of<Arch>(v.field("arch")).value_or(Arch::Amd64);
    x.capacity = Resources{num(v.field("cpu")), num(v.field("memory"))};
    lower_reserved(v, x);
    if (v.field("disk").kind == VK::Bytes) x.disk_bytes = v.field("disk").i;
    x.address = str(v.field("address"));
    for (uint32_t r : ids_of(v.field("roles"), tables_.role_names)) x.roles.push_back(RoleId{r});
    x.k3s = enum_of<K3sMode>(v.field("k3s")).value_or(K3sMode::Native);
    x.k3s_span = v.field("k3s").span;
    x.joined = v.field("joined").kind != VK::Bool || v.field("joined").i != 0;
    const Value& gpus = v.field("gpu");
    if (gpus.kind == VK::Map)
      for (size_t i = 0; i < gpus.keys->size(); ++i) {
        const Value& g = (*gpus.items)[i];
        x.gpus.push_back(GpuGroup{(*gpus.keys)[i], static_cast<int>(num(g.field("count"), 1)), num(g.field("vram")),
                                  num(g.field("reserve")), g.span});
      }
    for (RoleId r : x.roles) {
      for (auto& [k, val] : m.roles[r.value].labels) x.labels[k] = val;
      for (auto& t : m.roles[r.value].taints) x.taints.push_back(t);
    }
    for (auto& [k, val] : string_map(v.field("label"))) x.labels[k] = val;
    for (auto& t : taints(v.field("taint"))) {
      check_taint(t);
      x.taints.push_back(t);
    }
    const Value& ex = v.field("export");
    if (ex.kind == VK::Map)
      for (size_t i = 0; i < ex.keys->size(); ++i) {
        const Value& e = (*ex.items)[i];
        NfsExport nfs{(*ex.keys)[i], str(e.field("path")).value_or(""), num(e.field("size")),
                      enum_of<AccessMode>(e.field("access")).value_or(AccessMode::ReadWriteMany), {}, e.span};
        nfs.options = strings(e.field("options"));
        x.exports.push_back(std::move(nfs));
      }
    x.k3s_args = k3s_args(v.field("k3s-args"));
    check_machine_values(x, v);
  }
}

void Checker::lower_secret(const DeclInfo& info, Model& m) {
  const Value& v = info.value;
  Secret s{SecretId{static_cast<uint32_t>(m.secrets.size())}, info.item->name.text, info.item->name.span, {}, {}, "value", ""};
  if (v.kind == VK::Record) {
    s.env = str(v.field("from").field("env"));
    s.file = str(v.field("from").field("file"));
    s.key = str(v.field("key")).value_or("value");
    s.namespace_ = str(v.field("namespace")).value_or(tables_.default_namespace);
    s.namespace_written = v.field("namespace").kind == VK::String;
    check_secret_values(v);
  }
  m.secrets.push_back(std::move(s));
}

void Checker::lower_workload(const DeclInfo& info, Workload& w, const Model& m) {
  const Value& v = info.value;
  w.id = WorkloadId{info.index};
  switch (info.item->decl_kind) {
    case syntax::DeclKind::Job: w.kind = WorkloadKind::Job; break;
    case syntax::DeclKind::Cron: w.kind = WorkloadKind::Cron; break;
    case syntax::DeclKind::Daemon: w.kind = WorkloadKind::Daemon; break;
    default: w.kind = WorkloadKind::Service; break;
  }
  w.name = info.item->name.text;
  w.span = info.item->name.span;
  if (v.kind == VK::Record) {
    const std::vector<int>& at = field_positions(v.record, kWorkloadFields);
    auto field = [&](WF f) -> const Value& { return v.at(at[static_cast<size_t>(f)]); };
    w.namespace_ = str(field(WF::Namespace)).value_or(tables_.default_namespace);
    w.image = str(field(WF::Image)).value_or("");
    if (const Value& arch = field(WF::Arch); arch.kind == VK::List) {
      w.arch.reserve(arch.items->size());
      for (const auto& a : *arch.items) w.arch.push_back(enum_of<Arch>(a).value_or(Arch::Amd64));
    }
    w.command = strings(field(WF::Command));
    w.args = strings(field(WF::Args));
    w.replicas = static_cast<int>(num(field(WF::Replicas), 1));
    const Value& ports = field(WF::Port);
    if (ports.kind == VK::Map) w.ports.reserve(ports.keys->size());
    if (ports.kind == VK::Map)
      for (size_t i = 0; i < ports.keys->size(); ++i) {
        const Value& p = (*ports.items)[i];
        Port port{(*ports.keys)[i], static_cast<int>(num(p.field("port"))),
                  enum_of<Protocol>(p.field("protocol")).value_or(Protocol::Tcp), {}, p.span, {}};
        if (p.field("host").kind == VK::Int) port.host_port = static_cast<int>(p.field("host").i);
        if (p.field("node").kind == VK::Int) port.node_port = static_cast<int>(p.field("node").i);
        w.ports.push_back(std::move(port));
      }
    const Value& env = field(WF::Env);
    lower_env_vars(env, w.env);
    w.config = string_map(field(WF::Config));
    w.config_at = str(field(WF::ConfigAt)).value_or("/etc/config");
    lower_requests(field(WF::Needs), field(WF::Limits), w);
    const Value& gpu = field(WF::Gpu);
    if (gpu.kind == VK::Record) {
      GpuRequest g;
      g.count = static_cast<int>(num(gpu.field("count"), 1));
      if (gpu.field("vram").kind == VK::Bytes) g.vram_bytes = gpu.field("vram").i;
      g.share = gpu.field("share").kind == VK::Bool && gpu.field("share").i;
      g.span = gpu.span;
      w.gpu = g;
    }
    const Value& vols = field(WF::Volume);
    if (vols.kind == VK::Map)
      for (size_t i = 0; i < vols.keys->size(); ++i) {
        const Value& x = (*vols.items)[i];
        Volume vol;
        vol.name = (*vols.keys)[i];
        lower_volume(x, vol, m);
        w.volumes.push_back(std::move(vol));
      }
    if (auto p = probe(field(WF::Health))) w.health = std::make_shared<const Probe>(std::move(*p));
    if (auto p = probe(field(WF::Ready))) w.ready = std::make_shared<const Probe>(std::move(*p));
    if (auto id = ref_id(field(WF::On), tables_.machine_names)) {
      w.on = MachineId{*id};
      w.on_span = field(WF::On).span;
    }
    for (uint32_t r : ids_of(field(WF::Roles), tables_.role_names)) w.roles.push_back(RoleId{r});
    for (uint32_t r : ids_of(field(WF::Prefer), tables_.machine_names)) w.prefer.push_back(MachineId{r});
    for (uint32_t r : ids_of(field(WF::Avoid), tables_.machine_names)) w.avoid.push_back(MachineId{r});
    w.tolerations = tolerations(field(WF::Tolerate));
    const Value& after = field(WF::After);
    if (after.kind == VK::List)
      for (const auto& a : *after.items) {
        if (a.kind != VK::Ref) continue;
        if (a.s == w.name) {
          report(diag::Kind::SelfDependency, a.span, fmt::format("`{}` cannot start after itself", w.name));
          continue;
        }
        if (auto it = tables_.workload_names.find(a.s); it != tables_.workload_names.end()) w.after.push_back(WorkloadId{it->second});
      }
    w.host = str(field(WF::Host));
    w.host_span = field(WF::Host).span;
    w.path = str(field(WF::Path)).value_or("/");
    w.expose = str(field(WF::Expose));
    if (w.expose && std::none_of(w.ports.begin(), w.ports.end(), [&](const Port& p) { return p.name == *w.expose; })) {
      std::vector<std::string_view> names;
      for (const auto& p : w.ports) names.push_back(p.name);
      auto& d = report(diag::Kind::UndeclaredReference, field(WF::Expose).span,
                       fmt::format("`{}` has no port named `{}`", w.name, *w.expose));
      if (auto sug = diag::did_you_mean(*w.expose, names)) d.hint(fmt::format("did you mean `{}`?", *sug));
      else if (names.empty()) d.hint("declare the port: `port NAME = NUMBER`");
    }
    w.backoff = static_cast<int>(num(field(WF::Backoff)));
    if (field(WF::Deadline).kind == VK::Duration) w.deadline_ms = field(WF::Deadline).i;
    w.parallelism = static_cast<int>(num(field(WF::Parallelism), 1));
    w.completions = static_cast<int>(num(field(WF::Completions), 1));
    w.restart = enum_of<RestartPolicy>(field(WF::Restart)).value_or(RestartPolicy::OnFailure);
    w.schedule = str(field(WF::Schedule)).value_or("");
    w.concurrency = enum_of<ConcurrencyPolicy>(field(WF::Concurrency)).value_or(ConcurrencyPolicy::Forbid);
    w.history = static_cast<int>(num(field(WF::History), 3));
    w.placement = enum_of<PlacementPolicy>(field(WF::Placement));
    lower_extras(v, w);

    lower_exposure(v, w);
    check_workload_names(w,
                         {field(WF::Namespace), ports, env, field(WF::Config), field(WF::ConfigAt), vols,
                          field(WF::Host), field(WF::Path), field(WF::Tolerate)},
                         m);
    if (const Value& patch = v.field("patch"); patch.kind == VK::Record) lower_patch(patch, w);
  }
}

void Checker::lower_chart(const DeclInfo& info, Model& m) {
  const Value& v = info.value;
  Chart c;
  c.name = info.item->name.text;
  c.span = info.item->name.span;
  c.type = info.item->source ? info.item->source->text : "chart";
  if (v.kind == VK::Record) {
    c.repo = str(v.field("repo")).value_or("");
    c.chart = str(v.field("chart")).value_or("");
    c.version = str(v.field("version")).value_or("");
    c.namespace_ = str(v.field("namespace")).value_or(tables_.default_namespace);
    c.values = v.field("values");
    check_chart_values(c, v);
    c.extra = v.field("extra");
    check_chart_extra(c);
  }
  m.charts.push_back(std::move(c));
}

void Checker::lower_cluster(const DeclInfo& info, Model& m) {
  const Value& v = info.value;
  Cluster c;
  c.name = info.item->name.text;
  c.span = info.item->name.span;
  if (v.kind == VK::Record) {
    c.k3s_version = str(v.field("k3s")).value_or("");
    if (auto id = ref_id(v.field("server"), tables_.machine_names)) c.server = MachineId{*id};
    else c.server = MachineId{UINT32_MAX};
    const Value& net = v.field("network");
    c.network = net.kind == VK::Record ? net.record->name : "lan";
    if (net.kind == VK::Record) c.iface = str(net.field("iface"));
    c.namespace_ = tables_.default_namespace;
    c.domain = str(v.field("domain"));
    lower_k3s_settings(v, c);
    check_cluster_values(c, v);
  } else {
    c.server = MachineId{UINT32_MAX};
  }
  m.cluster = std::move(c);
}

// ------------------------------------------------------------------ network checks

void Checker::check_network(const Model& model) {
  bool user_network = !tables_.machines.empty() || !tables_.workloads.empty();
  if (tables_.clusters.size() > 1) {
    for (size_t i = 1; i < tables_.clusters.size(); ++i)
      report(diag::Kind::DuplicateCluster, tables_.clusters[i].item->name.span, "a program declares one `cluster`")
          .note(tables_.clusters[0].item->name.span, "the first is declared here");
  }
  if (tables_.clusters.empty() && user_network) {
    Span at = !tables_.machines.empty() ? tables_.machines[0].item->name.span : tables_.workloads[0].item->name.span;
    report(diag::Kind::MissingCluster, at, "no `cluster` is declared")
        .hint("add `cluster NAME { k3s = \"v1.31.4+k3s1\"; server = MACHINE }`");
  }
  // Labels on machines and roles.
  for (auto& info : tables_.machines)
    if (info.value.kind == VK::Record) check_node_labels(info.value, info.item->name.span);
  for (auto& info : tables_.roles)
    if (info.value.kind == VK::Record) check_node_labels(info.value, info.item->name.span);

  // k3s modes and GPUs per machine.
  size_t joined = 0;
  for (const auto& m : model.machines)
    if (m.joined && m.k3s != K3sMode::None && tables_.machines[m.id.value].value.kind == VK::Record) ++joined;
  for (const auto& m : model.machines) {
    if (tables_.machines[m.id.value].value.kind != VK::Record) continue;
    if (m.os == Os::Darwin && m.k3s == K3sMode::Native) {
      report(diag::Kind::K3sOnDarwin, m.k3s_span.valid() ? m.k3s_span : m.span,
             fmt::format("k3s does not run natively on macOS (`{}` is darwin)", m.name))
          .hint("set `k3s = vm` (a Linux VM such as Lima or OrbStack that joins as a node) or `k3s = k3d` (single-host only)");
    }
    if (m.joined && m.k3s == K3sMode::K3d && joined > 1) {
      bool is_server = model.cluster && model.cluster->server == m.id;
      report(diag::Kind::K3dRemoteAgents, m.k3s_span.valid() ? m.k3s_span : m.span,
             is_server ? fmt::format("`{}` runs the k3s server under k3d, which cannot take agents from other machines", m.name)
                       : fmt::format("`{}` runs k3s under k3d, which cannot join a server on another machine", m.name))
          .note(Span{}, "k3d nodes are Docker containers: agents are handed Docker-internal addresses, and flannel's VXLAN traffic cannot cross Docker Desktop's NAT")
          .hint("run the server on a Linux machine (such as clanker-001), or give the Mac `k3s = vm` (a Linux VM with its own address)");
    }
    if (!m.gpus.empty() && (m.os == Os::Darwin || m.k3s == K3sMode::K3d)) {
      report(diag::Kind::GpuUnsupported, m.gpus[0].span,
             fmt::format("NVIDIA GPUs on `{}` cannot be used by the cluster: {}", m.name,
                         m.os == Os::Darwin ? "macOS has no NVIDIA GPU passthrough" : "k3d nodes get no GPU passthrough"))
          .hint("declare the GPUs on a Linux machine with `k3s = native`");
    }
  }
  if (model.cluster && model.cluster->server.value != UINT32_MAX) {
    const Machine& s = model.machine(model.cluster->server);
    const Value& v = tables_.clusters[0].value.field("server");
    if (!s.joined || s.k3s == K3sMode::None)
      report(diag::Kind::ServerNotJoined, v.span, fmt::format("the server `{}` is not part of the cluster", s.name))
          .note(s.span, !s.joined ? "declared with `joined = false`" : "declared with `k3s = none`");
  }

  // `after` must not loop: a -> b -> a can never start. The walk keeps its
  // own stack: a chain of `after`s is as long as the program makes it.
  {
    std::vector<int> state(model.workloads.size(), 0);
    struct Frame {
      WorkloadId id;
      size_t next = 0;  // the next of its `after` entries to follow
    };
    std::vector<Frame> path;
    for (const auto& w : model.workloads) {
      if (state[w.id.value] != 0) continue;
      state[w.id.value] = 1;
      path.push_back(Frame{w.id});
      while (!path.empty()) {
        Frame& top = path.back();
        const auto& after = model.workload(top.id).after;
        if (top.next == after.size()) {
          state[top.id.value] = 2;
          path.pop_back();
          continue;
        }
        WorkloadId v = after[top.next++];
        if (state[v.value] == 0) {
          state[v.value] = 1;
          path.push_back(Frame{v});
          continue;
        }
        if (state[v.value] != 1) continue;
        WorkloadId u = top.id;
        auto start = std::find_if(path.begin(), path.end(), [&](const Frame& f) { return f.id == v; });
        const size_t length = static_cast<size_t>(path.end() - start);
        const auto shown = start + static_cast<std::ptrdiff_t>(std::min(length, diag::kMaxCycleShown));
        std::string cycle;
        for (auto it = start; it != shown; ++it) cycle += model.workload(it->id).name + " -> ";
        if (shown != path.end()) cycle += fmt::format("... ({} more) -> ", path.end() - shown);
        cycle += model.workload(v).name;
        auto& d = report(diag::Kind::DependencyCycle, model.workload(u).span, fmt::format("`after` forms a cycle: {}", cycle));
        for (auto it = start; it != shown; ++it)
          if (it->id != u) d.note(model.workload(it->id).span, fmt::format("`{}` is part of the cycle", model.workload(it->id).name));
        d.hint("remove one of the `after` entries");
      }
    }
  }

  check_exposure(model);
  check_gpu_charts(model);
}

}  // namespace detail
}  // namespace claw::sema
