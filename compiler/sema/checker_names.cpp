// Holding every string that becomes a Kubernetes name, key or path, or a
// value k3s reads, to the rule for it (compiler/k8s/), at the place it was
// written: a name the API server or k3s would refuse or misread is a
// diagnostic here rather than a failed apply.
#include <fmt/format.h>

#include <map>
#include <unordered_map>
#include <unordered_set>

#include "compiler/k8s/k3s.h"
#include "compiler/sema/checker.h"
#include "compiler/sema/exposure.h"
#include "compiler/sema/object_names.h"
#include "compiler/sema/secret_readers.h"

namespace claw::sema::detail {

namespace {

using VK = Value::Kind;

}  // namespace

bool Checker::check_k8s(const k8s::Rule& rule, std::string_view value, Span at, std::string_view what,
                        diag::Kind kind) {
  std::string problem = rule.problem(value);
  if (problem.empty()) return true;
  if (what.empty()) what = rule.what;
  std::string message = value.empty() ? fmt::format("an empty string is not a valid {}", what)
                                      : fmt::format("`{}` is not a valid {}: {}", value, what, problem);
  report(kind, at, std::move(message)).hint(std::string(rule.hint));
  return false;
}

bool Checker::check_k8s(const k8s::Rule& rule, const Value& v, std::string_view what, diag::Kind kind) {
  if (v.kind != VK::String) return true;
  return check_k8s(rule, v.s, v.span, what, kind);
}

void Checker::check_keys(const k8s::Rule& rule, const Value& map, std::string_view what, Span fallback,
                         diag::Kind kind) {
  if (map.kind != VK::Map || !map.keys) return;
  for (size_t i = 0; i < map.keys->size(); ++i) check_k8s(rule, (*map.keys)[i], key_span(map, i, fallback), what, kind);
}

// ------------------------------------------------------------------ workloads

void Checker::check_workload_names(const Workload& w, const WorkloadStrings& v, const Model& m) {
  check_k8s(k8s::kDns1123Label, v.namespace_, "namespace");
  check_keys(k8s::kPortName, v.ports, "port name", w.span);
  check_keys(k8s::kEnvVarName, v.env, "environment variable name", w.span);
  check_keys(k8s::kConfigMapKey, v.config, "config file name", w.span);
  check_keys(k8s::kDns1123Label, v.volumes, "volume name", w.span);
  check_k8s(k8s::kIngressHost, v.host);
  check_k8s(k8s::kIngressPath, v.path, {}, diag::Kind::InvalidPath);
  for (const Toleration& t : w.tolerations) {
    if (!check_k8s(k8s::kQualifiedName, t.key, t.span, "toleration key", diag::Kind::BadTaint)) continue;
    if (t.value) check_k8s(k8s::kLabelValue, *t.value, t.span, "toleration value", diag::Kind::BadTaint);
  }
  check_mounts(w, v);
  check_derived_names(w, v.volumes, m);
}

void Checker::check_mounts(const Workload& w, const WorkloadStrings& v) {
  // Each mount path, with what is mounted there (described) and where.
  std::map<std::string_view, std::pair<std::string, Span>> mounts;
  auto mount = [&](std::string_view path, std::string what, Span at) {
    auto [it, fresh] = mounts.emplace(path, std::make_pair(what, at));
    if (!fresh)
      report(diag::Kind::DuplicateMountPath, at,
             fmt::format("`{}` mounts {} at `{}`, where {} is already mounted", w.name, what, path, it->second.first))
          .note(it->second.second, fmt::format("{} is mounted here", it->second.first))
          .hint("a container mounts one volume at a path; give each its own `at`");
  };
  const Value& vols = v.volumes;
  for (size_t i = 0; vols.kind == VK::Map && vols.keys && i < vols.keys->size(); ++i) {
    const Value& at = (*vols.items)[i].field("at");
    if (at.kind != VK::String || !check_k8s(k8s::kMountPath, at, {}, diag::Kind::InvalidPath)) continue;
    mount(at.s, fmt::format("volume `{}`", (*vols.keys)[i]), at.span);
  }
  if (!w.config.empty()) {
    for (size_t i = 0; vols.kind == VK::Map && vols.keys && i < vols.keys->size(); ++i)
      if ((*vols.keys)[i] == kConfigVolume)
        report(diag::Kind::InvalidName, key_span(vols, i, w.span),
               fmt::format("volume name `{}` is taken by the volume of `{}`'s config files", kConfigVolume, w.name))
            .hint("rename the volume");
    Span at = v.config_at.kind == VK::String ? v.config_at.span : w.span;
    if (check_k8s(k8s::kMountPath, w.config_at, at, "mount path for `config-at`", diag::Kind::InvalidPath))
      mount(w.config_at, "its config files (`config-at`)", at);
  }
}

void Checker::check_derived_names(const Workload& w, const Value& vols, const Model& m) {
  bool has_service = !w.ports.empty() && w.kind != WorkloadKind::Job && w.kind != WorkloadKind::Cron;
  if (has_service) check_k8s(k8s::kDns1035Label, w.name, w.span, "Service name");
  if (is_stateful(w)) {
    std::string headless = headless_service_name(w.name);
    if (!k8s::kDns1035Label.problem(headless).empty()) {
      report(diag::Kind::InvalidName, w.span,
             fmt::format("`{}`, the headless Service of StatefulSet `{}`, is not a valid Service name: {}", headless,
                         w.name, k8s::kDns1035Label.problem(headless)))
          .hint(fmt::format("a service with a sized volume becomes a StatefulSet; its name is at most {} characters",
                            k8s::kStatefulSetNameMax));
    } else if (w.name.size() > k8s::kStatefulSetNameMax) {
      report(diag::Kind::InvalidName, w.span,
             fmt::format("`{}` is {} characters long, too long for a StatefulSet: its pods' label "
                         "`controller-revision-hash: {}-<hash>` would pass 63 characters",
                         w.name, w.name.size(), w.name))
          .hint(fmt::format("a service with a sized volume becomes a StatefulSet; its name is at most {} characters",
                            k8s::kStatefulSetNameMax));
    }
  }
  if (w.kind == WorkloadKind::Cron && w.name.size() > k8s::kCronJobNameMax)
    report(diag::Kind::InvalidName, w.span,
           fmt::format("`{}` is {} characters long, too long for a CronJob: the Jobs it makes are named `{}-<time>`",
                       w.name, w.name.size(), w.name))
        .hint(fmt::format("a cron's name is at most {} characters", k8s::kCronJobNameMax));
  for (size_t i = 0; i < w.volumes.size(); ++i) {
    const Volume& vol = w.volumes[i];
    // A namespace or export name that is itself invalid was reported where
    // it was written.
    if (!vol.nfs_machine || !vol.nfs_export || !k8s::kDns1123Label.problem(w.namespace_).empty() ||
        !k8s::kDns1123Label.problem(*vol.nfs_export).empty())
      continue;
    // Lowering keeps the volumes in the map's order.
    Span at = vols.kind == VK::Map && vols.items && i < vols.items->size() ? (*vols.items)[i].field("nfs").span : vol.span;
    std::string claim = nfs_claim_name(m.machine(*vol.nfs_machine).name, *vol.nfs_export);
    std::string pv = nfs_volume_name(claim, w.namespace_);
    if (auto p = k8s::kDns1123Label.problem(pv); !p.empty())
      report(diag::Kind::InvalidName, at,
             fmt::format("`{}`, the PersistentVolume of NFS export `{}.{}` in namespace `{}`, is not a valid "
                         "Kubernetes name: {}",
                         pv, m.machine(*vol.nfs_machine).name, *vol.nfs_export, w.namespace_, p))
          .hint("the volume is named `nfs-<machine>-<export>-<namespace>`, at most 63 characters: shorten one of them");
  }
}

// ------------------------------------------------------------------ machines and roles

void Checker::check_machine_values(const Machine& x, const Value& v) {
  bool node = x.joined && x.k3s != K3sMode::None;
  check_k8s(node ? k8s::kNodeIp : k8s::kHostAddress, v.field("address"), {}, diag::Kind::InvalidK3sValue);
  const Value& ex = v.field("export");
  check_keys(k8s::kDns1123Label, ex, "NFS export name", x.span);
  for (size_t i = 0; ex.kind == VK::Map && ex.items && i < ex.items->size(); ++i)
    check_k8s(k8s::kNfsPath, (*ex.items)[i].field("path"), {}, diag::Kind::InvalidPath);
  for (const NfsExport& e : x.exports) {
    std::string claim = nfs_claim_name(x.name, e.name);
    if (auto p = k8s::kDns1123Label.problem(claim); !p.empty() && k8s::kDns1123Label.problem(e.name).empty())
      report(diag::Kind::InvalidName, e.span,
             fmt::format("`{}`, the claim on NFS export `{}.{}`, is not a valid Kubernetes name: {}", claim, x.name,
                         e.name, p))
          .hint("the claim is named `nfs-<machine>-<export>`, at most 63 characters: shorten one of them");
  }
}

void Checker::check_node_labels(const Value& v, Span fallback) {
  const Value& labels = v.field("label");
  if (labels.kind != VK::Map || !labels.keys) return;
  for (size_t i = 0; i < labels.keys->size(); ++i) {
    const std::string& key = (*labels.keys)[i];
    Span at = key_span(labels, i, fallback);
    if (!check_k8s(k8s::kQualifiedName, key, at, "label key", diag::Kind::BadLabelKey)) continue;
    check_k8s(k8s::kLabelValue, (*labels.items)[i], "label value");
    if (!kubelet_refuses_label(key)) continue;
    std::string prefix = key.substr(0, key.find('/'));
    if (key.starts_with("node-role.kubernetes.io/")) {
      report(diag::Kind::NodeRoleLabel, at,
             fmt::format("`{}` is applied through the API after the node joins, not with --node-label", key))
          .hint("kubelet refuses to register with node-role labels; claw sets them when it applies");
    } else {
      report(diag::Kind::RestrictedNodeLabel, at,
             fmt::format("kubelet refuses the label `{}`: the `{}` prefix is reserved", key, prefix))
          .hint("use your own prefix, e.g. `claw.dev/...`, or one of node.kubernetes.io/, kubelet.kubernetes.io/");
    }
  }
}

void Checker::check_taint(const Taint& t) {
  if (check_k8s(k8s::kQualifiedName, t.key, t.span, "taint key", diag::Kind::BadTaint))
    check_k8s(k8s::kLabelValue, t.value, t.span, "taint value", diag::Kind::BadTaint);
}

// ------------------------------------------------------------------ objects

namespace {

/// What made an object: "the headless Service of" `name`, or "the claim
/// of volume" `name` "of" `of`, at `at`.
struct Owner {
  std::string_view role;
  std::string_view name;
  Span at;
  std::string_view of = {};
  std::string text() const {
    return of.empty() ? fmt::format("{} `{}`", role, name) : fmt::format("{} `{}` of `{}`", role, name, of);
  }
};

/// Calls `add(namespace, kind, name, owner, shared)` for each object `w`
/// makes whose name could clash (`shared`: a namespace's NFS claim, which
/// its workloads share). Workload names are unique: a controller can meet
/// only a resource's object, so it is named only when `resources`.
template <class Add>
void objects_of(const Workload& w, const Model& m, bool resources, Add&& add) {
  if (resources) add(w.namespace_, controller_kind(w), w.name, {"the controller of", w.name, w.span}, false);
  if (has_service(w)) add(w.namespace_, "Service", service_name(w), {"the Service of", w.name, w.span}, false);
  bool stateful = is_stateful(w);
  if (stateful) add(w.namespace_, "Service", headless_service_name(w.name), {"the headless Service of", w.name, w.span}, false);
  if (!w.config.empty()) add(w.namespace_, "ConfigMap", config_map_name(w.name), {"the ConfigMap of", w.name, w.span}, false);
  if (w.exposure)
    for (const Ingress& ing : w.exposure->ingresses) add(w.namespace_, "Ingress", ing.name, {"the Ingress of", w.name, ing.span}, false);
  for (const Volume& v : w.volumes) {
    if (stateful && v.kind == VolumeKind::PerReplica) {
      for (int i = 0; i < w.replicas; ++i)
        add(w.namespace_, "PersistentVolumeClaim", stateful_claim_name(w.name, v.name, i),
            {"a claim of volume", v.name, v.span, w.name}, false);
    } else if (v.size_bytes) {
      add(w.namespace_, "PersistentVolumeClaim", claim_name(w.name, v.name), {"the claim of volume", v.name, v.span, w.name}, false);
    } else if (v.nfs_machine && v.nfs_export) {
      const std::string& server = m.machine(*v.nfs_machine).name;
      add(w.namespace_, "PersistentVolumeClaim", nfs_claim_name(server, *v.nfs_export),
          {"the claim on NFS export", *v.nfs_export, v.span, server}, true);
    }
  }
}

}  // namespace

std::string object_names_key(const Workload& w, const Model& m,
                             const std::unordered_map<std::string_view, size_t>& secrets_by_name) {
  std::string key;
  objects_of(w, m, !m.resources.empty(), [&](std::string_view ns, std::string_view kind, std::string_view name, Owner, bool) {
    key.append(ns).append(1, '/').append(kind).append(1, '/').append(name).append(1, '\n');
  });
  for (uint32_t id : secrets_read(w, secrets_by_name)) key += fmt::format("secret {}\n", id);
  return key;
}

void Checker::check_object_names(const Model& m) {
  // By "namespace/kind/name" (neither holds a `/`: both were checked).
  std::unordered_map<std::string, Owner> seen;
  seen.reserve(m.workloads.size() * 3);
  std::string key;
  auto add = [&](std::string_view ns, std::string_view kind, std::string_view name, Owner owner) {
    key.clear();
    key.append(ns).append(1, '/').append(kind).append(1, '/').append(name);
    auto [it, fresh] = seen.try_emplace(key, owner);
    if (fresh) return;
    const Owner& first = it->second;
    report(diag::Kind::DuplicateName, owner.at,
           fmt::format("{} would be {} `{}/{}`, as {} already is", owner.text(), kind, ns, name, first.text()))
        .note(first.at, fmt::format("{} comes from here", first.text()))
        .hint("Kubernetes holds one object of a kind by a name in a namespace; rename one of them");
  };
  std::unordered_set<std::string> nfs_claims;  // shared by a namespace's workloads: added once
  bool resources = !m.resources.empty();
  for (const Workload& w : m.workloads)
    objects_of(w, m, resources, [&](std::string_view ns, std::string_view kind, std::string_view name, Owner owner, bool shared) {
      if (!shared || nfs_claims.insert(fmt::format("{}/{}", ns, name)).second) add(ns, kind, name, owner);
    });
  // A secret is made in its namespace when written, and in each namespace
  // whose workloads read it (as secrets.json lists them): once per place.
  std::unordered_set<std::string> secret_copies;
  auto add_secret = [&](const Secret& s, const std::string& ns) {
    if (secret_copies.insert(fmt::format("{}/{}", ns, s.id.value)).second) add(ns, "Secret", s.name, {"secret", s.name, s.span});
  };
  for (const Secret& s : m.secrets)
    if (s.namespace_written) add_secret(s, s.namespace_);
  const auto readers = secret_readers(m);
  for (const Secret& s : m.secrets) {
    for (const SecretReader& r : readers[s.id.value])
      if (r.workload) add_secret(s, r.workload->namespace_);
    // Made nowhere: a secret nothing reads, with no namespace of its own.
    if (readers[s.id.value].empty() && !s.namespace_written)
      report(diag::Kind::UnreadSecret, s.span, fmt::format("secret `{}` is read by nothing, so claw creates it nowhere", s.name))
          .hint(fmt::format("read it with `secret(\"{}\")` in an env value or chart value, or give it a `namespace` to have it "
                            "created there for use outside claw",
                            s.name));
  }
  for (const Chart& c : m.charts)
    add(kHelmChartNamespace, "Secret", chart_values_secret_name(c.name), {"the values Secret of chart", c.name, c.span});
  // A HelmChart resource that a chart's own would replace is reported by
  // lower_resource.
  for (const CustomResource& r : m.resources)
    if (!r.kind.empty() && r.kind != "HelmChart") add(r.namespace_, r.kind, r.name, {"resource", r.name, r.span});
}

// ------------------------------------------------------------------ the rest

void Checker::check_cluster_values(const Cluster& c, const Value& v) {
  if (auto p = k8s::kLabelValue.problem(c.name); !p.empty())
    report(diag::Kind::InvalidName, c.span, fmt::format("`{}` cannot name the cluster: {}", c.name, p))
        .hint(fmt::format("every object carries the cluster's name as the label value `claw.dev/project`; {}",
                          k8s::kLabelValue.hint));
  check_k8s(k8s::kK3sVersion, v.field("k3s"), {}, diag::Kind::InvalidK3sValue);
  check_k8s(k8s::kDns1123Label, v.field("namespace"), "namespace");
  check_k8s(k8s::kDns1123Subdomain, v.field("domain"), "domain");
  const Value& net = v.field("network");
  if (net.kind == VK::Record) check_k8s(k8s::kInterfaceName, net.field("iface"), {}, diag::Kind::InvalidK3sValue);
}

void Checker::check_secret_values(const Value& v) {
  check_k8s(k8s::kConfigMapKey, v.field("key"), "secret key");
  check_k8s(k8s::kDns1123Label, v.field("namespace"), "namespace");
}

void Checker::check_chart_values(const Chart& c, const Value& v) {
  check_k8s(k8s::kDns1123Label, v.field("namespace"), "namespace");
  if (c.name.size() > k8s::kHelmReleaseNameMax)
    report(diag::Kind::InvalidName, c.span,
           fmt::format("`{}` is {} characters long, too long for a Helm release: k3s installs the chart as release "
                       "`{}`, and Helm refuses names over {}",
                       c.name, c.name.size(), c.name, k8s::kHelmReleaseNameMax))
        .hint(fmt::format("a chart's name is at most {} characters", k8s::kHelmReleaseNameMax));
}

void Checker::check_resource_values(const CustomResource& r, const Value& v) {
  check_k8s(k8s::kApiVersion, v.field("api"));
  check_k8s(k8s::kKind, v.field("kind"));
  check_k8s(k8s::kDns1123Label, v.field("namespace"), "namespace");
  const Value& labels = v.field("labels");
  for (size_t i = 0; labels.kind == VK::Map && labels.keys && i < labels.keys->size(); ++i)
    if (check_k8s(k8s::kQualifiedName, (*labels.keys)[i], key_span(labels, i, r.span), "label key",
                  diag::Kind::BadLabelKey))
      check_k8s(k8s::kLabelValue, (*labels.items)[i], "label value");
  check_annotations(v.field("annotations"), r.span, fmt::format("resource `{}`", r.name));
}

}  // namespace claw::sema::detail
