// Lowering a workload's rarely used pod settings (pod_model.h), with the
// checks they need, and what a pod asks the scheduler for.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>

#include "compiler/sema/checker.h"
#include "compiler/sema/lower_read.h"
#include "compiler/sema/pod_model.h"
#include "compiler/sema/stdlib_enums.h"

namespace claw::sema {

bool Security::any_container_field() const {
  return user || group || non_root || privileged || read_only_root || escalation || !cap_add.empty() || !cap_drop.empty();
}

Resources pod_requests(const Workload& w) {
  if (!w.extras) return w.requests;
  Resources sidecars, init;
  for (const ExtraContainer& c : w.extras->containers) {
    if (c.sidecar) {
      sidecars.cpu_millis += c.requests.cpu_millis;
      sidecars.memory_bytes += c.requests.memory_bytes;
    } else {
      init.cpu_millis = std::max(init.cpu_millis, sidecars.cpu_millis + c.requests.cpu_millis);
      init.memory_bytes = std::max(init.memory_bytes, sidecars.memory_bytes + c.requests.memory_bytes);
    }
  }
  return Resources{std::max(w.requests.cpu_millis + sidecars.cpu_millis, init.cpu_millis),
                   std::max(w.requests.memory_bytes + sidecars.memory_bytes, init.memory_bytes)};
}

namespace detail {

using namespace read;

namespace {

/// Whether `tz` has the shape of a tz database name: "Europe/Berlin",
/// "America/Argentina/Salta", "Etc/GMT+2", or one word such as "UTC" or
/// "EST5EDT"; not an offset ("+02:00", "UTC+2") nor lower case.
bool plausible_time_zone(std::string_view tz) {
  size_t parts = 0, start = 0;
  bool signs = false;
  while (true) {
    size_t slash = tz.find('/', start);
    std::string_view part = tz.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    if (part.empty() || !std::isupper(static_cast<unsigned char>(part[0]))) return false;
    for (char c : part) {
      if (c == '+' || c == '-') signs = true;
      else if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
    }
    ++parts;
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return parts <= 3 && (parts > 1 || !signs);
}


// The fields lower_extras reads, found once per record type.
enum class XF : uint8_t {
  TolerateAll, EnvRef, EnvFrom, Security, Init, Sidecar, OnStart, OnStop, Workdir, ServiceAccount, Pull,
  PullSecrets, Labels, Annotations, PodAnnotations, Timezone,
};
constexpr std::string_view kExtrasFields[] = {
    "tolerate-all", "env-ref", "env-from", "security", "init", "sidecar", "on-start", "on-stop", "workdir",
    "service-account", "pull", "pull-secrets", "labels", "annotations", "pod-annotations", "timezone",
};

/// The labels claw sets itself on a workload's objects (emit's managed labels).
constexpr std::array<std::string_view, 3> kManagedLabelKeys = {"app.kubernetes.io/managed-by", "app.kubernetes.io/name",
                                                               "claw.dev/project"};

}  // namespace

std::optional<Security> Checker::lower_security(const Value& s, bool pod_level) {
  if (s.kind != VK::Record) return std::nullopt;
  Security x;
  x.user = int_of(s.field("user"));
  x.group = int_of(s.field("group"));
  x.fs_group = int_of(s.field("fs-group"));
  x.non_root = bool_of(s.field("non-root"));
  x.privileged = bool_of(s.field("privileged"));
  x.read_only_root = bool_of(s.field("read-only-root"));
  x.escalation = bool_of(s.field("escalation"));
  x.cap_add = strings(s.field("cap-add"));
  x.cap_drop = strings(s.field("cap-drop"));
  if (x.fs_group && !pod_level)
    report(diag::Kind::MisplacedField, s.field("fs-group").span, "`fs-group` is the pod's, not one container's")
        .hint("set `security { fs-group = ... }` on the workload itself");
  if (x.privileged == true && x.escalation == false)
    report(diag::Kind::MisplacedField, s.field("escalation").span,
           "a privileged container cannot forbid privilege escalation")
        .hint("drop `escalation = false` or `privileged = true`");
  return x;
}

std::optional<Probe> Checker::lower_hook(const Value& v, std::string_view field, const Workload& w) {
  if (v.kind != VK::Record) return std::nullopt;
  Probe p;
  p.kind = enum_of<ProbeKind>(v.field("kind"));
  if (v.field("port").kind == VK::Int) p.port = static_cast<int>(v.field("port").i);
  p.path = str(v.field("path"));
  p.command = strings(v.field("command"));
  p.span = v.span;
  if (p.kind != ProbeKind::Exec && p.kind != ProbeKind::Http) {
    report(diag::Kind::MisplacedField, v.span,
           fmt::format("`{}` takes `exec([...])` or `http(path, port)`, not `{}`", field,
                       p.kind ? probe_kind_name(*p.kind) : std::string_view()))
        .hint("a lifecycle hook runs a command or sends an HTTP GET");
    return std::nullopt;
  }
  // As for probes, an HTTP hook without a port goes to the first port.
  if (p.kind == ProbeKind::Http && !p.port && !w.ports.empty()) p.port = w.ports.front().port;
  if (p.kind == ProbeKind::Http && !p.port) {
    report(diag::Kind::MissingField, v.span, fmt::format("`{}` sends an HTTP GET but names no port", field))
        .hint(fmt::format("write `{} = http(\"/path\", PORT)`, or declare a `port` on the workload", field));
    return std::nullopt;
  }
  return p;
}

void Checker::lower_env_vars(const Value& env, std::vector<EnvVar>& out) {
  if (env.kind != VK::Map) return;
  out.reserve(out.size() + env.keys->size());
  for (size_t i = 0; i < env.keys->size(); ++i) {
    const Value& e = (*env.items)[i];
    EnvVar var{(*env.keys)[i], {}, {}, e.span};
    if (e.kind == VK::SecretRef) {
      if (auto it = tables_.secret_names.find(e.s); it != tables_.secret_names.end()) var.secret = SecretId{it->second};
    } else if (e.kind == VK::String) {
      var.value = e.s;
    }
    out.push_back(std::move(var));
  }
}

/// Which of `secret` and `config-map` a key-ref or env-source names: false
/// (and reported) unless exactly one.
bool Checker::one_source(const Value& r, std::string_view what, std::string& name, bool& config_map) {
  bool s = set(r.field("secret")), c = set(r.field("config-map"));
  if (s == c) {
    report(diag::Kind::ExclusiveFields, r.span,
           s ? fmt::format("{} names both a Secret and a ConfigMap", what) : fmt::format("{} names no Secret or ConfigMap", what))
        .hint("set exactly one of `secret = \"NAME\"` and `config-map = \"NAME\"`");
    return false;
  }
  config_map = c;
  name = str(r.field(c ? "config-map" : "secret")).value_or("");
  check_k8s(k8s::kDns1123Subdomain, r.field(c ? "config-map" : "secret"), c ? "ConfigMap name" : "Secret name");
  return true;
}

void Checker::lower_env_sources(const Value& refs, const Value& from, const std::vector<EnvVar>& env,
                                std::vector<EnvRef>& out_refs, std::vector<EnvSource>& out_from) {
  if (refs.kind == VK::Map)
    for (size_t i = 0; i < refs.keys->size(); ++i) {
      const Value& r = (*refs.items)[i];
      if (r.kind != VK::Record) continue;
      EnvRef e;
      e.name = (*refs.keys)[i];
      e.span = r.span;
      e.key = str(r.field("key")).value_or("");
      check_k8s(k8s::kEnvVarName, e.name, r.span, "environment variable name");
      check_k8s(k8s::kConfigMapKey, r.field("key"));
      if (!one_source(r, fmt::format("`env-ref {}`", e.name), e.source, e.config_map)) continue;
      if (std::any_of(env.begin(), env.end(), [&](const EnvVar& ev) { return ev.name == e.name; }))
        report(diag::Kind::DuplicateField, r.span, fmt::format("`{}` is set in both `env` and `env-ref`", e.name))
            .hint("a variable takes one value: drop one of them");
      out_refs.push_back(std::move(e));
    }
  if (from.kind == VK::List)
    for (const Value& r : *from.items) {
      if (r.kind != VK::Record) continue;
      EnvSource s;
      s.prefix = str(r.field("prefix"));
      if (one_source(r, "an `env-from` entry", s.source, s.config_map)) out_from.push_back(std::move(s));
    }
}

void Checker::check_shared_claims(const Workload& w) {
  if (w.on) return;  // every pod on one machine
  const bool daemon = w.kind == WorkloadKind::Daemon;
  const int pods = w.kind == WorkloadKind::Service ? w.replicas : std::max(1, w.parallelism);
  if (daemon ? tables_.machines.size() < 2 : pods < 2) return;
  const std::string who = daemon ? fmt::format("the pods of daemon `{}` (one per machine)", w.name)
                                 : fmt::format("the {} {} of `{}`", pods,
                                               w.kind == WorkloadKind::Service ? "replicas" : "parallel pods", w.name);
  for (const Volume& vol : w.volumes) {
    // A service's `size` volume is a claim per replica; anywhere else it is one claim.
    bool one_claim = vol.kind == VolumeKind::Shared || (vol.kind == VolumeKind::PerReplica && w.kind != WorkloadKind::Service);
    if (!one_claim || vol.access != AccessMode::ReadWriteOnce) continue;
    report(diag::Kind::SharedClaimReadWriteOnce, vol.span,
           fmt::format("{} share volume `{}`, a ReadWriteOnce claim that one machine at a time can mount", who, vol.name))
        .note(Span{}, "pods placed on other machines stay pending (on k3s, local-path claims are bound to one node)")
        .hint(daemon ? "set `access = ReadWriteMany` with a storage class that provides it, or use `host-path` for "
                       "per-node storage"
                     : "set `access = ReadWriteMany` with a storage class that provides it, pin the workload with "
                       "`on`, or use `size` on a service for a claim per replica");
  }
}

void Checker::lower_labels(const Value& labels, const Workload& w, PodExtras& x) {
  x.labels = string_map(labels);
  check_keys(k8s::kQualifiedName, labels, "label key", w.span);
  if (labels.kind != VK::Map) return;
  for (size_t i = 0; i < labels.keys->size(); ++i) {
    const std::string& key = (*labels.keys)[i];
    check_k8s(k8s::kLabelValue, (*labels.items)[i], "label value");
    if (std::find(kManagedLabelKeys.begin(), kManagedLabelKeys.end(), key) != kManagedLabelKeys.end())
      report(diag::Kind::LabelClash, (*labels.items)[i].span, fmt::format("label `{}` is claw's own", key))
          .hint(key == "app.kubernetes.io/name"
                    ? "claw selects the workload's pods by `app.kubernetes.io/name`: choose another key"
                    : "claw sets it on every object it writes: choose another key");
  }
}

void Checker::lower_extras(const Value& v, Workload& w) {
  check_shared_claims(w);
  const std::vector<int>& at = field_positions(v.record, kExtrasFields);
  // Read once: this runs for every workload, and most set none of these.
  std::array<const Value*, std::size(kExtrasFields)> fields;
  for (size_t i = 0; i < fields.size(); ++i) fields[i] = &v.at(at[i]);
  auto field = [&](XF f) -> const Value& { return *fields[static_cast<size_t>(f)]; };
  auto empty = [](const Value& x) {
    return !set(x) || ((x.kind == VK::Map || x.kind == VK::List) && x.items && x.items->empty()) ||
           (x.kind == VK::Bool && !x.i);
  };
  bool any = false;
  for (size_t i = 0; i < std::size(kExtrasFields); ++i)
    if (!empty(field(static_cast<XF>(i)))) any = true;
  if (!any) return;
  w.tolerate_all = field(XF::TolerateAll).kind == VK::Bool && field(XF::TolerateAll).i;
  auto x = std::make_shared<PodExtras>();

  lower_env_sources(field(XF::EnvRef), field(XF::EnvFrom), w.env, x->env_refs, x->env_from);
  x->security = lower_security(field(XF::Security), true);

  lower_containers(field(XF::Sidecar), true, w, *x);
  lower_containers(field(XF::Init), false, w, *x);
  x->on_start = lower_hook(field(XF::OnStart), "on-start", w);
  x->on_stop = lower_hook(field(XF::OnStop), "on-stop", w);
  x->workdir = str(field(XF::Workdir));
  if (x->workdir) check_k8s(k8s::kMountPath, field(XF::Workdir), "working directory", diag::Kind::InvalidPath);
  x->service_account = str(field(XF::ServiceAccount));
  if (x->service_account) check_k8s(k8s::kDns1123Subdomain, field(XF::ServiceAccount), "ServiceAccount name");
  x->pull = enum_of<PullPolicy>(field(XF::Pull));
  x->pull_secrets = strings(field(XF::PullSecrets));
  if (const Value& ps = field(XF::PullSecrets); ps.kind == VK::List)
    for (const Value& s : *ps.items) check_k8s(k8s::kDns1123Subdomain, s, "Secret name");
  lower_labels(field(XF::Labels), w, *x);
  x->annotations = string_map(field(XF::Annotations));
  check_keys(k8s::kQualifiedName, field(XF::Annotations), "annotation key", w.span);
  x->pod_annotations = string_map(field(XF::PodAnnotations));
  check_keys(k8s::kQualifiedName, field(XF::PodAnnotations), "annotation key", w.span);
  x->time_zone = str(field(XF::Timezone));
  if (x->time_zone && !plausible_time_zone(*x->time_zone))
    report(diag::Kind::BadTimeZone, field(XF::Timezone).span, fmt::format("`{}` is not an IANA time zone", *x->time_zone))
        .hint("write a name of the tz database, such as \"Europe/Berlin\", \"America/New_York\" or \"UTC\"");
  w.extras = std::move(x);
}

}  // namespace detail
}  // namespace claw::sema
