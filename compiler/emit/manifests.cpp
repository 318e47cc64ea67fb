#include "compiler/emit/manifests.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <iterator>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "compiler/emit/ingress.h"
#include "compiler/emit/manifest_files.h"
#include "compiler/emit/output_paths.h"
#include "compiler/emit/patch.h"
#include "compiler/emit/pod_extras.h"
#include "compiler/emit/pod_volumes.h"
#include "compiler/emit/safe_text.h"
#include "compiler/emit/values.h"
#include "compiler/emit/yaml_doc.h"
#include "compiler/emit/yaml_writer.h"
#include "compiler/io/parallel.h"
#include "compiler/placement/annotation.h"
#include "compiler/placement/failover.h"
#include "compiler/placement/fit.h"
#include "compiler/placement/previous.h"
#include "compiler/sema/pod_model.h"
#include "compiler/sema/exposure.h"
#include "compiler/sema/object_names.h"

namespace claw::emit {

namespace {

using sema::Model;
using sema::Workload;
using sema::WorkloadKind;

using yaml::Document;
using yaml::map_node;
using yaml::Node;
using yaml::seq_node;
using yaml::stream;
using yaml::str;
using yaml::strs;

int64_t seconds(int64_t ms) { return (ms + 999) / 1000; }

/// The managed labels (managed_labels), key and value, in key order: one
/// list for the objects built as trees and those written straight.
template <class Fn>
void for_each_managed_label(const Model& model, std::string_view name, Fn&& fn) {
  fn("app.kubernetes.io/managed-by", "claw");
  fn("app.kubernetes.io/name", name);
  if (model.cluster) fn("claw.dev/project", model.cluster->name);
}

/// An object's apiVersion, kind and metadata: its name, its namespace
/// (none for cluster-scoped kinds) and the managed labels, named
/// `label_name` (a workload's objects all carry the workload's name).
Node object_node(const Model& model, const char* api, const char* kind, const std::string& name,
                 const std::string& namespace_, const std::string& label_name) {
  Node o = map_node();
  o["apiVersion"] = str(api);
  o["kind"] = str(kind);
  Node m = map_node();
  m["name"] = str(name);
  if (!namespace_.empty()) m["namespace"] = str(namespace_);
  m["labels"] = managed_labels(model, label_name);
  o["metadata"] = std::move(m);
  return o;
}

template <class W>
void strs(W& y, yaml::PlainKey key, const std::vector<std::string>& items) {
  y.begin_seq(key);
  for (const auto& s : items) y.str(s);
  y.end_seq();
}

std::string_view protocol(const sema::Port& p) { return sema::protocol_name(p.protocol); }

/// What made a workload's objects: its kind.
Origin workload_origin(const Workload& w) {
  switch (w.kind) {
    case WorkloadKind::Service: return Origin::Service;
    case WorkloadKind::Daemon: return Origin::Daemon;
    case WorkloadKind::Job: return Origin::Job;
    case WorkloadKind::Cron: return Origin::Cron;
  }
  return Origin::Service;
}

/// Where the emitter puts a workload's objects as the object list (plan,
/// apply): each a new Object at the end of `list`, its body a tree.
struct ObjectList {
  std::vector<Object>& list;

  /// A new object `name` of `w` made from `span`; returns its empty body.
  Tree& start(source::Span span, std::string_view api, std::string_view kind, const Workload& w, std::string_view name) {
    Object& o = add_object(list);
    set_ref(o.ref, api, kind, w.namespace_, name);
    o.origin = workload_origin(w);
    o.owner.assign(w.name);
    o.span = span;
    return o.body;
  }
};

/// Where the emitter writes a workload's objects straight as the YAML
/// documents of its file (`claw build`), building no tree: each after a
/// `---` and its `# source:` comment.
struct YamlFile {
  std::string& text;
  const Where& where;
  yaml::Writer writer{text};
  /// The last span looked up, and its comment: most of a file's objects
  /// come from the workload's own span.
  source::Span last_span{};
  std::string last_source{};

  /// Starts the next document, made from `span`; returns the writer to
  /// write its body with.
  yaml::Writer& start(source::Span span, std::string_view, std::string_view, const Workload&, std::string_view) {
    if (last_source.empty() || !(span == last_span)) {
      last_span = span;
      last_source = where(span);
    }
    yaml::document_start(text, last_source);
    return writer;
  }
};

/// A workload's objects, each written by one definition into either sink:
/// as trees into the object list (ObjectList), or straight into their
/// file's text (YamlFile), since their shape is fixed and thousands of them
/// are a large build's bulk. `W`, what a body is written with, is Tree or
/// yaml::Writer, which take the same calls. Every map's keys are written
/// in sorted order, as yaml_doc's trees are.
struct Emitter {
  const Model& model;
  const placement::Placement& placement;

  /// Per workload, the names of the machines placement chose, sorted.
  std::vector<std::vector<std::string_view>> placed_on = [this] {
    std::vector<std::vector<std::string_view>> on(model.workloads.size());
    for (const auto& a : placement.assignments)
      if (a.workload.value < on.size()) on[a.workload.value].push_back(model.machine(a.machine).name);
    for (auto& names : on) {
      std::sort(names.begin(), names.end());
      names.erase(std::unique(names.begin(), names.end()), names.end());
    }
    return on;
  }();

  const std::vector<std::string_view>& machines(const Workload& w) const { return placed_on[w.id.value]; }

  /// Per workload, where each replica runs, in replica order.
  std::vector<std::vector<placement::Where>> replicas = [this] {
    std::vector<std::vector<placement::Where>> out(model.workloads.size());
    for (const auto& a : placement.assignments)
      if (a.workload.value < out.size()) out[a.workload.value].push_back({model.machine(a.machine).name, a.cards});
    return out;
  }();

  /// The controller's annotations: the workload's own and, but for a
  /// daemon (which runs wherever it may), where placement put each replica.
  template <class W>
  void controller_annotations(W& y, const Workload& w) const {
    const auto* own = w.extras ? &w.extras->annotations : nullptr;
    const auto& placed = replicas[w.id.value];
    const bool record = w.kind != WorkloadKind::Daemon && !placed.empty();
    if (!record) {
      pod::annotations(y, w);
      return;
    }
    if (!own || own->empty()) {
      y.begin_map("annotations");
      y.key(placement::kPlacementAnnotation);
      y.str(placement::placement_annotation(placed));
      y.end_map();
      return;
    }
    std::map<std::string, std::string> all = own ? *own : std::map<std::string, std::string>{};
    all[std::string(placement::kPlacementAnnotation)] = placement::placement_annotation(placed);
    y.begin_map("annotations");
    for (const auto& [k, v] : all) {
      y.key(k);
      y.str(v);
    }
    y.end_map();
  }

  static std::string claim_name(const Workload& w, const sema::Volume& v) { return sema::claim_name(w.name, v.name); }
  static std::string headless_name(const Workload& w) { return sema::headless_service_name(w.name); }

  template <class W>
  void labels(W& y, const Workload& w) const {
    y.begin_map("labels");
    if (pod::has_labels(w)) {
      std::vector<std::pair<std::string_view, std::string_view>> managed;
      for_each_managed_label(model, w.name, [&](yaml::PlainKey k, std::string_view v) { managed.emplace_back(k.text(), v); });
      pod::merged_labels(y, w, managed);
    } else {
      for_each_managed_label(model, w.name, [&](yaml::PlainKey k, std::string_view v) { y.str(k, v); });
    }
    y.end_map();
  }

  template <class W>
  static void selector(W& y, yaml::PlainKey key, const Workload& w) {
    y.begin_map(key);
    y.str("app.kubernetes.io/name", w.name);
    y.end_map();
  }

  template <class W>
  void metadata(W& y, const Workload& w, std::string_view name, bool controller = false) const {
    y.begin_map("metadata");
    if (controller) controller_annotations(y, w);
    labels(y, w);
    y.str("name", name);
    if (!w.namespace_.empty()) y.str("namespace", w.namespace_);
    y.end_map();
  }

  /// Starts an object of `w` in `out` (ObjectList or YamlFile) from
  /// `span`, open at the root with its apiVersion, kind and metadata
  /// written; the caller writes the keys after `metadata` and closes the
  /// root map.
  template <class Out>
  auto& object(Out& out, source::Span span, std::string_view api, std::string_view kind, const Workload& w,
               std::string_view name, bool controller = false) const {
    auto& y = out.start(span, api, kind, w, name);
    y.begin_map();
    y.str("apiVersion", api);
    y.str("kind", kind);
    metadata(y, w, name, controller);
    return y;
  }

  /// A Service's ports: each container port by name.
  template <class W>
  static void service_ports(W& y, const Workload& w) {
    y.begin_seq("ports");
    for (const auto& p : w.ports) {
      y.begin_map();
      y.str("name", p.name);
      if (p.node_port) y.num("nodePort", *p.node_port);
      y.num("port", p.port);
      y.str("protocol", protocol(p));
      y.str("targetPort", p.name);
      y.end_map();
    }
    y.end_seq();
  }

  template <class W>
  static void resources(W& y, const Workload& w) {
    bool request_cpu = w.requests.cpu_millis > 0, request_memory = w.requests.memory_bytes > 0;
    bool limit_cpu = w.limits && w.limits->cpu_millis > 0, limit_memory = w.limits && w.limits->memory_bytes > 0;
    bool limits = limit_cpu || limit_memory || w.gpu, requests = request_cpu || request_memory;
    if (!limits && !requests) return;
    y.begin_map("resources");
    if (limits) {
      y.begin_map("limits");
      if (limit_cpu) y.str("cpu", kube_cpu(w.limits->cpu_millis));
      if (limit_memory) y.str("memory", kube_bytes(w.limits->memory_bytes));
      // With `share`, the device plugin advertises each card's time-slicing
      // replicas as the same `nvidia.com/gpu` resource.
      if (w.gpu) y.num("nvidia.com/gpu", w.gpu->count);
      y.end_map();
    }
    if (requests) {
      y.begin_map("requests");
      if (request_cpu) y.str("cpu", kube_cpu(w.requests.cpu_millis));
      if (request_memory) y.str("memory", kube_bytes(w.requests.memory_bytes));
      y.end_map();
    }
    y.end_map();
  }

  template <class W>
  static void probe(W& y, yaml::PlainKey key, const Workload& w, const sema::Probe& p) {
    std::optional<int> port = p.port;
    if (!port && !w.ports.empty()) port = w.ports.front().port;
    bool http = p.kind == sema::ProbeKind::Http, tcp = p.kind == sema::ProbeKind::Tcp, grpc = p.kind == sema::ProbeKind::Grpc;
    auto port_only = [&](yaml::PlainKey k) {
      y.begin_map(k);
      if (port) y.num("port", *port);
      y.end_map();
    };
    y.begin_map(key);
    if (!http && !tcp && !grpc) {
      y.begin_map("exec");
      strs(y, "command", p.command);
      y.end_map();
    }
    y.num("failureThreshold", p.failures);
    if (grpc) port_only("grpc");
    if (http) {
      y.begin_map("httpGet");
      y.str("path", p.path ? std::string_view(*p.path) : "/");
      if (port) y.num("port", *port);
      y.end_map();
    }
    if (p.delay_ms > 0) y.num("initialDelaySeconds", seconds(p.delay_ms));
    if (p.period_ms > 0) y.num("periodSeconds", std::max<int64_t>(1, seconds(p.period_ms)));
    if (tcp) port_only("tcpSocket");
    if (p.timeout_ms > 0) y.num("timeoutSeconds", std::max<int64_t>(1, seconds(p.timeout_ms)));
    y.end_map();
  }

  template <class W>
  void env(W& y, const Workload& w) const {
    y.begin_seq("env");
    for (const auto& e : w.env) pod::env_var(y, model, e);
    pod::env_refs(y, w);
    y.end_seq();
  }

  template <class W>
  static void volume_mounts(W& y, const Workload& w) {
    if (w.volumes.empty() && w.config.empty()) return;
    y.begin_seq("volumeMounts");
    for (const auto& v : w.volumes) volume_mount(y, v);
    if (!w.config.empty()) {
      y.begin_map();
      y.str("mountPath", w.config_at);
      y.str("name", sema::kConfigVolume);
      y.boolean("readOnly", true);
      y.end_map();
    }
    y.end_seq();
  }

  template <class W>
  void container(W& y, const Workload& w) const {
    y.begin_map();
    if (!w.args.empty()) strs(y, "args", w.args);
    if (!w.command.empty()) strs(y, "command", w.command);
    if (!w.env.empty() || pod::has_env_refs(w)) env(y, w);
    pod::env_from(y, w);
    y.str("image", w.image);
    pod::pull_policy(y, w);
    pod::lifecycle(y, w);
    if (w.health) probe(y, "livenessProbe", w, *w.health);
    y.str("name", w.name);
    if (!w.ports.empty()) {
      y.begin_seq("ports");
      for (const auto& p : w.ports) {
        y.begin_map();
        y.num("containerPort", p.port);
        if (p.host_port) y.num("hostPort", *p.host_port);
        y.str("name", p.name);
        y.str("protocol", protocol(p));
        y.end_map();
      }
      y.end_seq();
    }
    if (w.ready) probe(y, "readinessProbe", w, *w.ready);
    resources(y, w);
    pod::security(y, w);
    volume_mounts(y, w);
    pod::working_dir(y, w);
    y.end_map();
  }

  /// The pod volumes; sized volumes of a StatefulSet come from its claim
  /// templates instead.
  template <class W>
  void volumes(W& y, const Workload& w, bool stateful) const {
    bool any = !w.config.empty() ||
               std::any_of(w.volumes.begin(), w.volumes.end(), [&](const sema::Volume& v) { return is_pod_volume(w, v, stateful); });
    if (!any) return;
    y.begin_seq("volumes");
    for (const auto& v : w.volumes)
      if (is_pod_volume(w, v, stateful)) pod_volume(y, model, w, v);
    if (!w.config.empty()) {
      y.begin_map();
      y.begin_map("configMap");
      y.str("name", sema::config_map_name(w.name));
      y.end_map();
      y.str("name", sema::kConfigVolume);
      y.end_map();
    }
    y.end_seq();
  }

  /// `kubernetes.io/hostname` In `names`, as a node selector term's
  /// matchExpressions.
  template <class W>
  static void hostname_in(W& y, const std::vector<std::string_view>& names) {
    y.begin_seq("matchExpressions");
    y.begin_map();
    y.str("key", "kubernetes.io/hostname");
    y.str("operator", "In");
    y.begin_seq("values");
    for (auto name : names) y.str(name);
    y.end_seq();
    y.end_map();
    y.end_seq();
  }

  /// The node affinity: a pinned workload requires the machines placement
  /// chose. A `failover` one requires only the machines its constraints allow
  /// (failover.h proves they have room) and prefers the chosen ones with the
  /// highest weight, 100 (PreferredSchedulingTerm: weight in 1-100) — but
  /// for one whose volume data lives on its machine's disk, which a pod
  /// elsewhere would not find (previous.h: local_volume).
  template <class W>
  void affinity(W& y, const Workload& w, const std::vector<std::string_view>& placed) const {
    const bool moves = placement::fails_over(model, w) && !placement::local_volume(w);
    y.begin_map("affinity");
    y.begin_map("nodeAffinity");
    if (moves) {
      y.begin_seq("preferredDuringSchedulingIgnoredDuringExecution");
      y.begin_map();
      y.begin_map("preference");
      hostname_in(y, placed);
      y.end_map();
      y.num("weight", 100);
      y.end_map();
      y.end_seq();
    }
    y.begin_map("requiredDuringSchedulingIgnoredDuringExecution");
    y.begin_seq("nodeSelectorTerms");
    y.begin_map();
    hostname_in(y, moves ? allowed(w) : placed);
    y.end_map();
    y.end_seq();
    y.end_map();
    y.end_map();
    y.end_map();
  }

  /// The machines `w`'s constraints allow, sorted by name.
  std::vector<std::string_view> allowed(const Workload& w) const {
    std::vector<std::string_view> names;
    const placement::Need need = placement::need_of(w);
    for (const auto& m : model.machines)
      if (placement::can_run(model, m, placement.cards[m.id.value], w, need, nullptr)) names.push_back(m.name);
    std::sort(names.begin(), names.end());
    return names;
  }

  template <class W>
  static void tolerations(W& y, const Workload& w) {
    y.begin_seq("tolerations");
    pod::tolerate_all(y, w);
    for (const auto& t : w.tolerations) {
      y.begin_map();
      if (t.effect) y.str("effect", sema::taint_effect_name(*t.effect));
      y.str("key", t.key);
      y.str("operator", t.value ? "Equal" : "Exists");
      if (t.value) y.str("value", *t.value);
      y.end_map();
    }
    y.end_seq();
  }

  template <class W>
  void pod_spec(W& y, const Workload& w, bool stateful) const {
    const std::vector<std::string_view>& placed = machines(w);
    y.begin_map("spec");
    if (!placed.empty()) affinity(y, w, placed);
    y.begin_seq("containers");
    container(y, w);
    y.end_seq();
    if (auto dns = sema::dns_policy(w); !dns.empty()) y.str("dnsPolicy", dns);
    if (sema::host_network(w)) y.boolean("hostNetwork", true);
    pod::pull_secrets(y, w);
    pod::init_containers(y, model, w);
    if (w.kind == WorkloadKind::Job || w.kind == WorkloadKind::Cron)
      y.str("restartPolicy", sema::restart_policy_name(w.restart));
    if (w.gpu) y.str("runtimeClassName", "nvidia");
    pod::pod_security(y, w);
    pod::service_account(y, w);
    if (!w.tolerations.empty() || w.tolerate_all) tolerations(y, w);
    // Spread the replicas over the machines placement chose. ScheduleAnyway:
    // placement may have packed replicas unevenly on purpose, and the
    // affinity above already holds them to (or, failing over, prefers) its machines.
    if (w.kind == WorkloadKind::Service && w.replicas > 1 && placed.size() > 1) {
      y.begin_seq("topologySpreadConstraints");
      y.begin_map();
      y.begin_map("labelSelector");
      selector(y, "matchLabels", w);
      y.end_map();
      y.num("maxSkew", 1);
      y.str("topologyKey", "kubernetes.io/hostname");
      y.str("whenUnsatisfiable", "ScheduleAnyway");
      y.end_map();
      y.end_seq();
    }
    volumes(y, w, stateful);
    y.end_map();
  }

  template <class W>
  void template_(W& y, const Workload& w, bool stateful) const {
    y.begin_map("template");
    y.begin_map("metadata");
    pod::pod_annotations(y, w);
    labels(y, w);
    y.end_map();
    pod_spec(y, w, stateful);
    y.end_map();
  }

  template <class W>
  static void claim_spec(W& y, const sema::Volume& v) {
    y.begin_map("spec");
    y.begin_seq("accessModes");
    y.str(sema::access_mode_name(v.access.value_or(sema::AccessMode::ReadWriteOnce)));
    y.end_seq();
    y.begin_map("resources");
    y.begin_map("requests");
    y.str("storage", kube_bytes(*v.size_bytes));
    y.end_map();
    y.end_map();
    if (!v.storage_class.empty()) y.str("storageClassName", v.storage_class);
    y.end_map();
  }

  template <class W>
  void job_spec(W& y, const Workload& w) const {
    y.begin_map("spec");
    if (w.deadline_ms) y.num("activeDeadlineSeconds", std::max<int64_t>(1, seconds(*w.deadline_ms)));
    y.num("backoffLimit", w.backoff);
    y.num("completions", w.completions);
    y.num("parallelism", w.parallelism);
    template_(y, w, false);
    y.end_map();
  }

  template <class Out>
  void config_map(Out& out, const Workload& w) const {
    const std::string name = sema::config_map_name(w.name);
    auto& y = out.start(w.span, "v1", "ConfigMap", w, name);
    y.begin_map();
    y.str("apiVersion", "v1");
    y.begin_map("data");
    for (const auto& [k, v] : w.config) {
      y.key(k);
      y.str(v);
    }
    y.end_map();
    y.str("kind", "ConfigMap");
    metadata(y, w, name);
    y.end_map();
  }

  /// The Service in front of the pods; a StatefulSet's pods also get stable
  /// DNS names through a headless Service named by its `serviceName`.
  template <class Out>
  void services(Out& out, const Workload& w, bool stateful) const {
    if (!w.ports.empty() && w.kind != WorkloadKind::Job && w.kind != WorkloadKind::Cron) {
      auto& y = object(out, w.ports.front().span, "v1", "Service", w, sema::service_name(w));
      y.begin_map("spec");
      service_ports(y, w);
      selector(y, "selector", w);
      y.str("type", sema::service_type(w));
      y.end_map();
      y.end_map();
    }
    if (stateful) {
      auto& y = object(out, w.span, "v1", "Service", w, headless_name(w));
      y.begin_map("spec");
      y.str("clusterIP", "None");
      if (!w.ports.empty()) service_ports(y, w);
      y.boolean("publishNotReadyAddresses", true);
      selector(y, "selector", w);
      y.end_map();
      y.end_map();
    }
  }

  template <class Out>
  void controller(Out& out, const Workload& w, bool stateful) const {
    switch (w.kind) {
      case WorkloadKind::Service:
      {
        auto& y = object(out, w.span, "apps/v1", stateful ? "StatefulSet" : "Deployment", w, w.name, true);
        y.begin_map("spec");
        y.num("replicas", w.replicas);
        y.begin_map("selector");
        selector(y, "matchLabels", w);
        y.end_map();
        if (stateful) y.str("serviceName", headless_name(w));
        // Whole GPUs cannot be shared with a surge pod during a rolling
        // update: the old pod goes first.
        if (!stateful && w.gpu) {
          y.begin_map("strategy");
          y.str("type", "Recreate");
          y.end_map();
        }
        template_(y, w, stateful);
        if (stateful) {
          y.begin_seq("volumeClaimTemplates");
          for (const auto& v : w.volumes)
            if (v.kind == sema::VolumeKind::PerReplica) {
              y.begin_map();
              y.begin_map("metadata");
              y.str("name", v.name);
              y.end_map();
              claim_spec(y, v);
              y.end_map();
            }
          y.end_seq();
        }
        y.end_map();
        y.end_map();
        break;
      }
      case WorkloadKind::Daemon: {
        auto& y = object(out, w.span, "apps/v1", "DaemonSet", w, w.name, true);
        y.begin_map("spec");
        y.begin_map("selector");
        selector(y, "matchLabels", w);
        y.end_map();
        template_(y, w, false);
        y.end_map();
        y.end_map();
        break;
      }
      case WorkloadKind::Job: {
        auto& y = object(out, w.span, "batch/v1", "Job", w, w.name, true);
        job_spec(y, w);
        y.end_map();
        break;
      }
      case WorkloadKind::Cron: {
        auto& y = object(out, w.span, "batch/v1", "CronJob", w, w.name, true);
        y.begin_map("spec");
        y.str("concurrencyPolicy", sema::concurrency_policy_name(w.concurrency));
        y.num("failedJobsHistoryLimit", w.history);
        y.begin_map("jobTemplate");
        job_spec(y, w);
        y.end_map();
        y.str("schedule", w.schedule);
        y.num("successfulJobsHistoryLimit", w.history);
        pod::time_zone(y, w);
        y.end_map();
        y.end_map();
        break;
      }
    }
  }

  /// The workload's objects but its Ingresses, in order: its ConfigMap,
  /// claims, Services and controller (unpatched).
  template <class Out>
  void own_objects(Out& out, const Workload& w) const {
    if (!w.config.empty()) config_map(out, w);
    bool stateful = sema::is_stateful(w);
    // Shared volumes, and sized ones outside a StatefulSet, get a claim of their own.
    for (const auto& v : w.volumes)
      if (has_own_claim(v, stateful)) {
        auto& y = object(out, v.span, "v1", "PersistentVolumeClaim", w, claim_name(w, v));
        claim_spec(y, v);
        y.end_map();
      }
    services(out, w, stateful);
    controller(out, w, stateful);
  }

  /// The workload's objects: its ConfigMap, claims, Services, controller
  /// (with its patch merged) and Ingresses, in that order.
  void objects(std::vector<Object>& out, const Workload& w) const {
    ObjectList list{out};
    own_objects(list, w);
    if (w.patch) out.back().body = patch_tree(out.back().body, w);
    ingress_objects(out, model, w, workload_origin(w));
  }

  /// Appends `w`'s file to `text`: written straight, building no tree,
  /// unless a patch (merged into a tree) or Ingresses (emitted as trees)
  /// make it go through the object list; `scratch` is left empty.
  void file(std::string& text, const Where& where, const Workload& w, std::vector<Object>& scratch) const {
    if (w.patch || (w.exposure && !w.exposure->ingresses.empty())) {
      objects(scratch, w);
      append_manifest(text, scratch, where);
      recycle(scratch);
      return;
    }
    append_comment(text, manifest_header(workload_origin(w), w.name));
    YamlFile out{text, where};
    own_objects(out, w);
  }
};

bool builtin_namespace(const std::string& ns) {
  return ns.empty() || ns == "default" || ns == "kube-system" || ns == "kube-public" || ns == "kube-node-lease";
}

/// An object of the cluster's (a Namespace, the RuntimeClass, an NFS
/// volume or claim), its body built as a tree.
Object cluster_object(Origin origin, const char* api, const char* kind, const std::string& name,
                      const std::string& namespace_, const Node& body, source::Span span) {
  Object o;
  auto [group, version] = split_api_version(api);
  o.ref = {std::move(group), std::move(version), kind, namespace_, name};
  o.origin = origin;
  o.owner = name;
  o.span = span;
  o.body = yaml::tree_of(body);
  return o;
}

/// The PersistentVolume and PersistentVolumeClaim of each NFS export, per
/// namespace whose pods mount it: a PV is bound to one claim, and a claim
/// serves only its namespace. All the volumes, then the claims by namespace.
void nfs_volumes(const Model& model, std::vector<Object>& out) {
  std::map<std::pair<uint32_t, std::string>, std::set<std::string>> used;  // (machine, export) -> namespaces
  for (const auto& w : model.workloads)
    for (const auto& v : w.volumes)
      if (v.nfs_machine && v.nfs_export) used[{v.nfs_machine->value, *v.nfs_export}].insert(w.namespace_);
  std::vector<Object> pvs;
  std::map<std::string, std::vector<Object>> claims;  // namespace -> PVCs
  for (const auto& [key, namespaces] : used) {
    const sema::Machine& m = model.machines[key.first];
    const std::string& export_name = key.second;  // clang 14 cannot capture a structured binding
    auto e = std::find_if(m.exports.begin(), m.exports.end(), [&](const sema::NfsExport& x) { return x.name == export_name; });
    if (e == m.exports.end()) continue;
    for (const auto& ns : namespaces) {
      std::string claim = sema::nfs_claim_name(m.name, e->name);
      std::string volume = sema::nfs_volume_name(claim, ns);
      Node modes = strs({std::string(sema::access_mode_name(e->access))});
      Node storage = map_node();
      storage["storage"] = str(kube_bytes(e->size_bytes));

      Node pv = object_node(model, "v1", "PersistentVolume", volume, "", volume);
      Node spec = map_node();
      spec["capacity"] = storage;
      spec["accessModes"] = modes;
      Node nfs = map_node();
      nfs["server"] = str(m.address.value_or(m.name));
      nfs["path"] = str(e->path);
      if (e->access == sema::AccessMode::ReadOnlyMany) nfs["readOnly"] = Node(true);
      spec["nfs"] = nfs;
      spec["persistentVolumeReclaimPolicy"] = str("Retain");
      spec["storageClassName"] = str("");
      if (!e->options.empty()) spec["mountOptions"] = strs(e->options);
      Node ref = map_node();
      ref["namespace"] = str(ns);
      ref["name"] = str(claim);
      spec["claimRef"] = ref;
      pv["spec"] = spec;
      pvs.push_back(cluster_object(Origin::NfsVolume, "v1", "PersistentVolume", volume, "", pv, e->span));

      Node pvc = object_node(model, "v1", "PersistentVolumeClaim", claim, ns, claim);
      Node cspec = map_node();
      cspec["accessModes"] = modes;
      Node res = map_node();
      res["requests"] = storage;
      cspec["resources"] = res;
      cspec["storageClassName"] = str("");
      cspec["volumeName"] = str(volume);
      pvc["spec"] = cspec;
      claims[ns].push_back(cluster_object(Origin::NfsClaim, "v1", "PersistentVolumeClaim", claim, ns, pvc, e->span));
    }
  }
  for (auto& o : pvs) out.push_back(std::move(o));
  for (auto& [ns, list] : claims)
    for (auto& o : list) out.push_back(std::move(o));
}

}  // namespace

void write_managed_labels(Tree& y, const Model& model, std::string_view name) {
  y.begin_map("labels");
  for_each_managed_label(model, name, [&](yaml::PlainKey k, std::string_view v) { y.str(k, v); });
  y.end_map();
}

Node managed_labels(const Model& model, const std::string& name) {
  Node l = map_node();
  for_each_managed_label(model, name,
                         [&](yaml::PlainKey k, std::string_view v) { l.entries.emplace_back(k.text(), str(std::string(v))); });
  return l;
}

std::string kube_cpu(int64_t millis) {
  char buf[24];
  bool cores = millis % 1000 == 0;
  std::string out(buf, static_cast<size_t>(std::to_chars(buf, buf + sizeof buf, cores ? millis / 1000 : millis).ptr - buf));
  if (!cores) out += 'm';
  return out;
}

Object helm_chart_object(const sema::Model& model, const sema::Chart& chart) {
  Node o = object_node(model, "helm.cattle.io/v1", "HelmChart", chart.name, std::string(sema::kHelmChartNamespace),
                       chart.name);
  Node spec = map_node();
  // An OCI repository names the chart by URL, with no `repo`.
  if (chart.repo.starts_with("oci://")) {
    spec["chart"] = str(chart.repo + "/" + chart.chart);
  } else {
    spec["chart"] = str(chart.chart);
    if (!chart.repo.empty()) spec["repo"] = str(chart.repo);
  }
  if (!chart.version.empty()) spec["version"] = str(chart.version);
  spec["targetNamespace"] = str(chart.namespace_.empty() ? "default" : chart.namespace_);
  spec["valuesContent"] = str(values_body(chart));
  if (!values_secrets(chart).empty()) {
    Node secret = map_node();
    secret["name"] = str(values_secret_name(chart));
    secret["keys"] = strs({"values.yaml"});
    Node list = seq_node();
    list.push_back(secret);
    spec["valuesSecrets"] = list;
  }
  o["spec"] = spec;
  Object out;
  out.ref = {"helm.cattle.io", "v1", "HelmChart", std::string(sema::kHelmChartNamespace), chart.name};
  out.origin = Origin::HelmChart;
  out.owner = chart.name;
  out.span = chart.span;
  out.body = yaml::tree_of(o);
  return out;
}

std::string values_secret_name(const sema::Chart& chart) { return sema::chart_values_secret_name(chart.name); }

std::vector<std::vector<Object>> workload_objects(const sema::Model& model, const placement::Placement& placement) {
  // One emitter for all: it indexes the placement once.
  Emitter e{model, placement};
  std::vector<std::vector<Object>> out(model.workloads.size());
  io::parallel_ranges(model.workloads.size(), 256, [&](size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) e.objects(out[i], model.workloads[i]);
  });
  return out;
}

void workload_manifests(const sema::Model& model, const placement::Placement& placement, const Where& where,
                        const FileSink& put) {
  Emitter e{model, placement};
  // Workloads are independent: large programs emit on every core, each
  // file written into a buffer of its thread's and handed on at once.
  io::parallel_ranges(model.workloads.size(), 512, [&](size_t begin, size_t end) {
    std::string text;
    std::vector<Object> scratch;
    for (size_t i = begin; i < end; ++i) {
      const Workload& w = model.workloads[i];
      text.clear();
      e.file(text, where, w, scratch);
      put(workload_path(w.namespace_, w.name), text);
    }
  });
}

std::map<uint32_t, Tree> unpatched_controllers(const sema::Model& model, const placement::Placement& placement) {
  Emitter e{model, placement};
  std::map<uint32_t, Tree> docs;
  std::vector<Object> objects;
  for (const auto& w : model.workloads)
    if (w.patch) {
      objects.clear();
      ObjectList list{objects};
      e.controller(list, w, sema::is_stateful(w));
      docs[w.id.value] = std::move(objects.back().body);
    }
  return docs;
}

std::vector<Object> cluster_objects(const sema::Model& model) {
  std::vector<Object> out;
  // Each namespace, from the first declaration that uses it.
  std::map<std::string, source::Span> namespaces;
  for (const auto& w : model.workloads) namespaces.emplace(w.namespace_, w.span);
  for (const auto& s : model.secrets)
    if (s.namespace_written) namespaces.emplace(s.namespace_, s.span);
  for (const auto& c : model.charts) namespaces.emplace(c.namespace_, c.span);
  for (const auto& r : model.resources) namespaces.emplace(r.namespace_, r.span);
  for (const auto& [ns, span] : namespaces) {
    if (builtin_namespace(ns)) continue;
    out.push_back(cluster_object(Origin::Namespace, "v1", "Namespace", ns, "",
                                 object_node(model, "v1", "Namespace", ns, "", ns), span));
  }
  // The GPU Operator makes its own `nvidia` RuntimeClass; else it comes
  // from the first machine with GPUs.
  auto gpu = std::find_if(model.machines.begin(), model.machines.end(), [](const sema::Machine& m) { return !m.gpus.empty(); });
  if (gpu != model.machines.end() && !(model.cluster && model.cluster->gpu_operator)) {
    Node rc = object_node(model, "node.k8s.io/v1", "RuntimeClass", "nvidia", "", "nvidia");
    rc["handler"] = str("nvidia");
    out.push_back(cluster_object(Origin::RuntimeClass, "node.k8s.io/v1", "RuntimeClass", "nvidia", "", rc, gpu->span));
  }
  nfs_volumes(model, out);
  return out;
}

}  // namespace claw::emit
