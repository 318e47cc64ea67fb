#include "compiler/emit/manifests.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <set>
#include <utility>
#include <vector>

#include "compiler/emit/values.h"
#include "compiler/emit/yaml_doc.h"
#include "compiler/io/parallel.h"

namespace claw::emit {

namespace {

using sema::Model;
using sema::Workload;
using sema::WorkloadKind;

using yaml::Document;
using yaml::map_node;
using yaml::Node;
using yaml::num;
using yaml::seq_node;
using yaml::stream;
using yaml::str;
using yaml::strs;

int64_t seconds(int64_t ms) { return (ms + 999) / 1000; }

std::string_view kind_word(WorkloadKind k) { return sema::workload_kind_name(k); }

/// The claim a namespace's pods mount an NFS export through.
std::string nfs_claim_name(const sema::Machine& m, const std::string& export_name) {
  return fmt::format("nfs-{}-{}", m.name, export_name);
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
  o["metadata"] = m;
  return o;
}

struct Emitter {
  const Model& model;
  const placement::Placement& placement;
  const Where& where;

  Node labels(const Workload& w) const { return managed_labels(model, w.name); }

  Node selector(const Workload& w) const {
    Node l = map_node();
    l["app.kubernetes.io/name"] = str(w.name);
    return l;
  }

  Node object(const char* api, const char* kind, const Workload& w, const std::string& name) const {
    return object_node(model, api, kind, name, w.namespace_, w.name);
  }

  /// Per workload, the names of the machines placement chose, sorted.
  std::vector<std::vector<std::string>> placed_on = [this] {
    std::vector<std::vector<std::string>> on(model.workloads.size());
    for (const auto& a : placement.assignments)
      if (a.workload.value < on.size()) on[a.workload.value].push_back(model.machine(a.machine).name);
    for (auto& names : on) {
      std::sort(names.begin(), names.end());
      names.erase(std::unique(names.begin(), names.end()), names.end());
    }
    return on;
  }();

  const std::vector<std::string>& machines(const Workload& w) const { return placed_on[w.id.value]; }

  static bool sized(const Workload& w) {
    return std::any_of(w.volumes.begin(), w.volumes.end(), [](const sema::Volume& v) { return v.size_bytes.has_value(); });
  }

  static std::string claim_name(const Workload& w, const sema::Volume& v) { return w.name + "-" + v.name; }
  static std::string headless_name(const Workload& w) { return w.name + "-pods"; }

  /// A Service's ports: each container port by name.
  static Node service_ports(const Workload& w) {
    Node ports = seq_node();
    for (const auto& p : w.ports) {
      Node n = map_node();
      n["name"] = str(p.name);
      n["port"] = num(p.port);
      n["targetPort"] = str(p.name);
      n["protocol"] = str(p.protocol.empty() ? "TCP" : p.protocol);
      ports.push_back(n);
    }
    return ports;
  }

  Node resources(const Workload& w) const {
    Node r = map_node();
    Node req = map_node();
    if (w.requests.cpu_millis > 0) req["cpu"] = str(kube_cpu(w.requests.cpu_millis));
    if (w.requests.memory_bytes > 0) req["memory"] = str(kube_bytes(w.requests.memory_bytes));
    if (req.size() > 0) r["requests"] = req;
    Node lim = map_node();
    if (w.limits) {
      if (w.limits->cpu_millis > 0) lim["cpu"] = str(kube_cpu(w.limits->cpu_millis));
      if (w.limits->memory_bytes > 0) lim["memory"] = str(kube_bytes(w.limits->memory_bytes));
    }
    // With `share`, the device plugin advertises each card's time-slicing
    // replicas as the same `nvidia.com/gpu` resource.
    if (w.gpu) lim["nvidia.com/gpu"] = num(w.gpu->count);
    if (lim.size() > 0) r["limits"] = lim;
    return r;
  }

  Node probe(const Workload& w, const sema::Probe& p) const {
    Node n = map_node();
    std::optional<int> port = p.port;
    if (!port && !w.ports.empty()) port = w.ports.front().port;
    if (p.kind == "http") {
      Node h = map_node();
      h["path"] = str(p.path.value_or("/"));
      if (port) h["port"] = num(*port);
      n["httpGet"] = h;
    } else if (p.kind == "tcp") {
      Node t = map_node();
      if (port) t["port"] = num(*port);
      n["tcpSocket"] = t;
    } else if (p.kind == "grpc") {
      Node g = map_node();
      if (port) g["port"] = num(*port);
      n["grpc"] = g;
    } else {
      Node e = map_node();
      e["command"] = strs(p.command);
      n["exec"] = e;
    }
    if (p.period_ms > 0) n["periodSeconds"] = num(std::max<int64_t>(1, seconds(p.period_ms)));
    if (p.delay_ms > 0) n["initialDelaySeconds"] = num(seconds(p.delay_ms));
    if (p.timeout_ms > 0) n["timeoutSeconds"] = num(std::max<int64_t>(1, seconds(p.timeout_ms)));
    n["failureThreshold"] = num(p.failures);
    return n;
  }

  Node container(const Workload& w) const {
    Node c = map_node();
    c["name"] = str(w.name);
    c["image"] = str(w.image);
    if (!w.command.empty()) c["command"] = strs(w.command);
    if (!w.args.empty()) c["args"] = strs(w.args);
    if (!w.ports.empty()) {
      Node ports = seq_node();
      for (const auto& p : w.ports) {
        Node n = map_node();
        n["name"] = str(p.name);
        n["containerPort"] = num(p.port);
        n["protocol"] = str(p.protocol.empty() ? "TCP" : p.protocol);
        if (p.host_port) n["hostPort"] = num(*p.host_port);
        ports.push_back(n);
      }
      c["ports"] = ports;
    }
    if (!w.env.empty()) {
      Node env = seq_node();
      for (const auto& e : w.env) {
        Node n = map_node();
        n["name"] = str(e.name);
        if (e.secret) {
          const auto& s = model.secret(*e.secret);
          Node ref = map_node();
          ref["name"] = str(s.name);
          ref["key"] = str(s.key);
          Node from = map_node();
          from["secretKeyRef"] = ref;
          n["valueFrom"] = from;
        } else {
          n["value"] = str(e.value.value_or(""));
        }
        env.push_back(n);
      }
      c["env"] = env;
    }
    Node res = resources(w);
    if (res.size() > 0) c["resources"] = res;
    if (w.health) c["livenessProbe"] = probe(w, *w.health);
    if (w.ready) c["readinessProbe"] = probe(w, *w.ready);
    Node mounts = seq_node();
    for (const auto& v : w.volumes) {
      Node m = map_node();
      m["name"] = str(v.name);
      m["mountPath"] = str(v.mount_path);
      if (v.read_only) m["readOnly"] = Node(true);
      mounts.push_back(m);
    }
    if (!w.config.empty()) {
      Node m = map_node();
      m["name"] = str("claw-config");
      m["mountPath"] = str(w.config_at);
      m["readOnly"] = Node(true);
      mounts.push_back(m);
    }
    if (mounts.size() > 0) c["volumeMounts"] = mounts;
    return c;
  }

  /// The pod volumes; sized volumes of a StatefulSet come from its claim
  /// templates instead.
  Node volumes(const Workload& w, bool stateful) const {
    Node vols = seq_node();
    for (const auto& v : w.volumes) {
      if (v.size_bytes && stateful) continue;
      Node n = map_node();
      n["name"] = str(v.name);
      if (v.nfs_machine) {
        Node claim = map_node();
        claim["claimName"] = str(nfs_claim_name(model.machine(*v.nfs_machine), v.nfs_export.value_or("")));
        if (v.read_only) claim["readOnly"] = Node(true);
        n["persistentVolumeClaim"] = claim;
      } else if (v.size_bytes) {
        Node claim = map_node();
        claim["claimName"] = str(claim_name(w, v));
        n["persistentVolumeClaim"] = claim;
      } else {
        n["emptyDir"] = map_node();
      }
      vols.push_back(n);
    }
    if (!w.config.empty()) {
      Node n = map_node();
      n["name"] = str("claw-config");
      Node cm = map_node();
      cm["name"] = str(w.name + "-config");
      n["configMap"] = cm;
      vols.push_back(n);
    }
    return vols;
  }

  Node pod_spec(const Workload& w, bool stateful) const {
    Node spec = map_node();
    Node containers = seq_node();
    containers.push_back(container(w));
    spec["containers"] = containers;
    Node vols = volumes(w, stateful);
    if (vols.size() > 0) spec["volumes"] = vols;
    if (w.kind == WorkloadKind::Job || w.kind == WorkloadKind::Cron)
      spec["restartPolicy"] = str(w.restart.empty() ? "OnFailure" : w.restart);
    if (!w.tolerations.empty()) {
      Node tols = seq_node();
      for (const auto& t : w.tolerations) {
        Node n = map_node();
        n["key"] = str(t.key);
        if (t.value) {
          n["operator"] = str("Equal");
          n["value"] = str(*t.value);
        } else {
          n["operator"] = str("Exists");
        }
        if (t.effect) n["effect"] = str(std::string(sema::taint_effect_name(*t.effect)));
        tols.push_back(n);
      }
      spec["tolerations"] = tols;
    }
    if (w.gpu) spec["runtimeClassName"] = str("nvidia");
    const std::vector<std::string>& placed = machines(w);
    if (!placed.empty()) {
      Node expr = map_node();
      expr["key"] = str("kubernetes.io/hostname");
      expr["operator"] = str("In");
      expr["values"] = strs(placed);
      Node exprs = seq_node();
      exprs.push_back(expr);
      Node term = map_node();
      term["matchExpressions"] = exprs;
      Node terms = seq_node();
      terms.push_back(term);
      Node required = map_node();
      required["nodeSelectorTerms"] = terms;
      Node node_affinity = map_node();
      node_affinity["requiredDuringSchedulingIgnoredDuringExecution"] = required;
      Node affinity = map_node();
      affinity["nodeAffinity"] = node_affinity;
      spec["affinity"] = affinity;
    }
    // Spread the replicas over the machines placement chose. ScheduleAnyway:
    // placement may have packed replicas unevenly on purpose, and the
    // affinity above already holds them to its machines.
    if (w.kind == WorkloadKind::Service && w.replicas > 1 && placed.size() > 1) {
      Node c = map_node();
      c["maxSkew"] = num(1);
      c["topologyKey"] = str("kubernetes.io/hostname");
      c["whenUnsatisfiable"] = str("ScheduleAnyway");
      Node sel = map_node();
      sel["matchLabels"] = selector(w);
      c["labelSelector"] = sel;
      Node cs = seq_node();
      cs.push_back(c);
      spec["topologySpreadConstraints"] = cs;
    }
    return spec;
  }

  Node template_(const Workload& w, bool stateful) const {
    Node t = map_node();
    Node m = map_node();
    m["labels"] = labels(w);
    t["metadata"] = m;
    t["spec"] = pod_spec(w, stateful);
    return t;
  }

  Node claim_spec(const sema::Volume& v) const {
    Node spec = map_node();
    Node modes = seq_node();
    modes.push_back(str(v.access.empty() ? "ReadWriteOnce" : v.access));
    spec["accessModes"] = modes;
    Node req = map_node();
    req["storage"] = str(kube_bytes(*v.size_bytes));
    Node res = map_node();
    res["requests"] = req;
    spec["resources"] = res;
    return spec;
  }

  Node job_spec(const Workload& w) const {
    Node s = map_node();
    s["backoffLimit"] = num(w.backoff);
    if (w.deadline_ms) s["activeDeadlineSeconds"] = num(std::max<int64_t>(1, seconds(*w.deadline_ms)));
    s["parallelism"] = num(w.parallelism);
    s["completions"] = num(w.completions);
    s["template"] = template_(w, false);
    return s;
  }

  std::vector<Document> documents(const Workload& w) const {
    std::vector<Document> docs;
    const std::string source = where(w.span);
    if (!w.config.empty()) {
      Node cm = object("v1", "ConfigMap", w, w.name + "-config");
      Node data = map_node();
      for (const auto& [k, v] : w.config) data[k] = str(v);
      cm["data"] = data;
      docs.push_back({cm, source});
    }
    bool stateful = w.kind == WorkloadKind::Service && sized(w);
    // Sized volumes outside a StatefulSet get a claim of their own.
    if (!stateful)
      for (const auto& v : w.volumes)
        if (v.size_bytes) {
          Node pvc = object("v1", "PersistentVolumeClaim", w, claim_name(w, v));
          pvc["spec"] = claim_spec(v);
          docs.push_back({pvc, where(v.span)});
        }
    if (!w.ports.empty() && w.kind != WorkloadKind::Job && w.kind != WorkloadKind::Cron) {
      Node svc = object("v1", "Service", w, w.name);
      Node spec = map_node();
      spec["type"] = str("ClusterIP");
      spec["selector"] = selector(w);
      Node ports = service_ports(w);
      spec["ports"] = ports;
      svc["spec"] = spec;
      docs.push_back({svc, where(w.ports.front().span)});
    }
    // A StatefulSet's pods get stable DNS names through a headless Service
    // named by its `serviceName`.
    if (stateful) {
      Node svc = object("v1", "Service", w, headless_name(w));
      Node spec = map_node();
      spec["clusterIP"] = str("None");
      spec["selector"] = selector(w);
      spec["publishNotReadyAddresses"] = Node(true);
      Node ports = service_ports(w);
      if (ports.size() > 0) spec["ports"] = ports;
      svc["spec"] = spec;
      docs.push_back({svc, source});
    }
    switch (w.kind) {
      case WorkloadKind::Service: {
        Node d = object("apps/v1", stateful ? "StatefulSet" : "Deployment", w, w.name);
        Node spec = map_node();
        spec["replicas"] = num(w.replicas);
        Node sel = map_node();
        sel["matchLabels"] = selector(w);
        spec["selector"] = sel;
        spec["template"] = template_(w, stateful);
        // Whole GPUs cannot be shared with a surge pod during a rolling
        // update: the old pod goes first.
        if (!stateful && w.gpu) {
          Node strategy = map_node();
          strategy["type"] = str("Recreate");
          spec["strategy"] = strategy;
        }
        if (stateful) {
          spec["serviceName"] = str(headless_name(w));
          Node claims = seq_node();
          for (const auto& v : w.volumes)
            if (v.size_bytes) {
              Node c = map_node();
              Node m = map_node();
              m["name"] = str(v.name);
              c["metadata"] = m;
              c["spec"] = claim_spec(v);
              claims.push_back(c);
            }
          spec["volumeClaimTemplates"] = claims;
        }
        d["spec"] = spec;
        docs.push_back({d, source});
        break;
      }
      case WorkloadKind::Daemon: {
        Node d = object("apps/v1", "DaemonSet", w, w.name);
        Node spec = map_node();
        Node sel = map_node();
        sel["matchLabels"] = selector(w);
        spec["selector"] = sel;
        spec["template"] = template_(w, false);
        d["spec"] = spec;
        docs.push_back({d, source});
        break;
      }
      case WorkloadKind::Job: {
        Node d = object("batch/v1", "Job", w, w.name);
        d["spec"] = job_spec(w);
        docs.push_back({d, source});
        break;
      }
      case WorkloadKind::Cron: {
        Node d = object("batch/v1", "CronJob", w, w.name);
        Node spec = map_node();
        spec["schedule"] = str(w.schedule);
        spec["concurrencyPolicy"] = str(w.concurrency.empty() ? "Forbid" : w.concurrency);
        spec["successfulJobsHistoryLimit"] = num(w.history);
        spec["failedJobsHistoryLimit"] = num(w.history);
        Node jt = map_node();
        jt["spec"] = job_spec(w);
        spec["jobTemplate"] = jt;
        d["spec"] = spec;
        docs.push_back({d, source});
        break;
      }
    }
    if (w.host && !w.ports.empty()) {
      const sema::Port* port = &w.ports.front();
      if (w.expose)
        for (const auto& p : w.ports)
          if (p.name == *w.expose) port = &p;
      Node ing = object("networking.k8s.io/v1", "Ingress", w, w.name);
      Node spec = map_node();
      spec["ingressClassName"] = str("traefik");
      Node pn = map_node();
      pn["name"] = str(port->name);
      Node service = map_node();
      service["name"] = str(w.name);
      service["port"] = pn;
      Node backend = map_node();
      backend["service"] = service;
      Node path = map_node();
      path["path"] = str(w.path.empty() ? "/" : w.path);
      path["pathType"] = str("Prefix");
      path["backend"] = backend;
      Node paths = seq_node();
      paths.push_back(path);
      Node http = map_node();
      http["paths"] = paths;
      Node rule = map_node();
      rule["host"] = str(*w.host);
      rule["http"] = http;
      Node rules = seq_node();
      rules.push_back(rule);
      spec["rules"] = rules;
      ing["spec"] = spec;
      docs.push_back({ing, where(w.host_span.valid() ? w.host_span : w.span)});
    }
    return docs;
  }
};

bool builtin_namespace(const std::string& ns) {
  return ns.empty() || ns == "default" || ns == "kube-system" || ns == "kube-public" || ns == "kube-node-lease";
}


/// The PersistentVolume and PersistentVolumeClaim of each NFS export, per
/// namespace whose pods mount it: a PV is bound to one claim, and a claim
/// serves only its namespace.
void nfs_volumes(const Model& model, const Where& where, std::map<std::string, std::string>& files) {
  std::map<std::pair<uint32_t, std::string>, std::set<std::string>> used;  // (machine, export) -> namespaces
  for (const auto& w : model.workloads)
    for (const auto& v : w.volumes)
      if (v.nfs_machine && v.nfs_export) used[{v.nfs_machine->value, *v.nfs_export}].insert(w.namespace_);
  std::vector<Document> pvs;
  std::map<std::string, std::vector<Document>> claims;  // namespace -> PVCs
  for (const auto& [key, namespaces] : used) {
    const sema::Machine& m = model.machines[key.first];
    auto e = std::find_if(m.exports.begin(), m.exports.end(), [&](const sema::NfsExport& x) { return x.name == key.second; });
    if (e == m.exports.end()) continue;
    for (const auto& ns : namespaces) {
      std::string claim = nfs_claim_name(m, e->name);
      std::string volume = fmt::format("{}-{}", claim, ns);
      Node modes = strs({e->access});
      Node storage = map_node();
      storage["storage"] = str(kube_bytes(e->size_bytes));

      Node pv = object_node(model, "v1", "PersistentVolume", volume, "", volume);
      Node spec = map_node();
      spec["capacity"] = storage;
      spec["accessModes"] = modes;
      Node nfs = map_node();
      nfs["server"] = str(m.address.value_or(m.name));
      nfs["path"] = str(e->path);
      if (e->access == "ReadOnlyMany") nfs["readOnly"] = Node(true);
      spec["nfs"] = nfs;
      spec["persistentVolumeReclaimPolicy"] = str("Retain");
      spec["storageClassName"] = str("");
      Node ref = map_node();
      ref["namespace"] = str(ns);
      ref["name"] = str(claim);
      spec["claimRef"] = ref;
      pv["spec"] = spec;
      pvs.push_back({pv, where(e->span)});

      Node pvc = object_node(model, "v1", "PersistentVolumeClaim", claim, ns, claim);
      Node cspec = map_node();
      cspec["accessModes"] = modes;
      Node res = map_node();
      res["requests"] = storage;
      cspec["resources"] = res;
      cspec["storageClassName"] = str("");
      cspec["volumeName"] = str(volume);
      pvc["spec"] = cspec;
      claims[ns].push_back({pvc, where(e->span)});
    }
  }
  if (!pvs.empty())
    files["manifests/cluster/nfs.persistentvolumes.yaml"] =
        stream("Generated by claw: the NFS exports the network's pods mount, one volume per namespace; do not edit.", pvs);
  for (const auto& [ns, docs] : claims)
    files[fmt::format("manifests/{}/nfs.persistentvolumeclaims.yaml", ns)] =
        stream("Generated by claw: claims on the NFS exports this namespace's pods mount; do not edit.", docs);
}

}  // namespace

Node managed_labels(const Model& model, const std::string& name) {
  Node l = map_node();
  l["app.kubernetes.io/name"] = str(name);
  l["app.kubernetes.io/managed-by"] = str("claw");
  if (model.cluster) l["claw.dev/project"] = str(model.cluster->name);
  return l;
}

std::string kube_cpu(int64_t millis) {
  if (millis % 1000 == 0) return std::to_string(millis / 1000);
  return fmt::format("{}m", millis);
}

std::string helm_chart_yaml(const sema::Model& model, const sema::Chart& chart, const Where& where) {
  Node o = object_node(model, "helm.cattle.io/v1", "HelmChart", chart.name, "kube-system", chart.name);
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
  return stream(fmt::format("Generated by claw from chart `{}`: k3s's helm-controller installs it; do not edit.", chart.name),
                {{o, where(chart.span)}});
}

std::string values_secret_name(const sema::Chart& chart) { return chart.name + "-claw-values"; }

std::map<std::string, std::string> manifests(const sema::Model& model, const placement::Placement& placement, const Where& where) {
  std::map<std::string, std::string> files;
  Emitter e{model, placement, where};
  std::set<std::string> namespaces;
  // Workloads are independent: large programs emit on every core, each
  // text into its own slot, so the result does not depend on the threads.
  std::vector<std::string> texts(model.workloads.size());
  auto emit_range = [&](size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) {
      const Workload& w = model.workloads[i];
      texts[i] = stream(fmt::format("Generated by claw from {} `{}`; do not edit.", kind_word(w.kind), w.name), e.documents(w));
    }
  };
  io::parallel_ranges(texts.size(), 512, emit_range);
  for (size_t i = 0; i < texts.size(); ++i) {
    const Workload& w = model.workloads[i];
    namespaces.insert(w.namespace_);
    files.emplace(fmt::format("manifests/{}/{}.yaml", w.namespace_, w.name), std::move(texts[i]));
  }
  nfs_volumes(model, where, files);
  for (const auto& s : model.secrets) namespaces.insert(s.namespace_);
  for (const auto& c : model.charts) namespaces.insert(c.namespace_);
  for (const auto& r : model.resources) namespaces.insert(r.namespace_);
  std::vector<Document> ns_docs;
  for (const auto& ns : namespaces) {
    if (builtin_namespace(ns)) continue;
    ns_docs.push_back({object_node(model, "v1", "Namespace", ns, "", ns), ""});
  }
  if (!ns_docs.empty())
    files["manifests/cluster/namespaces.yaml"] = stream("Generated by claw: the namespaces the network uses; do not edit.", ns_docs);
  bool gpus = std::any_of(model.machines.begin(), model.machines.end(), [](const sema::Machine& m) { return !m.gpus.empty(); });
  if (gpus) {
    Node rc = object_node(model, "node.k8s.io/v1", "RuntimeClass", "nvidia", "", "nvidia");
    rc["handler"] = str("nvidia");
    files["manifests/cluster/runtimeclass-nvidia.yaml"] =
        stream("Generated by claw: k3s's NVIDIA runtime, for GPU pods (runtimeClassName: nvidia); do not edit.", {{rc, ""}});
  }
  return files;
}

}  // namespace claw::emit
