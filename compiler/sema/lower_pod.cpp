// Lowering a workload's volumes (each of one explicit kind) and its rarely
// used pod settings (pod_model.h), with the checks they need.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>

#include "compiler/sema/checker.h"
#include "compiler/sema/pod_model.h"

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
namespace {

using VK = Value::Kind;

std::optional<std::string> str(const Value& v) {
  if (v.kind == VK::String) return v.s;
  return std::nullopt;
}
std::optional<int64_t> int_of(const Value& v) {
  if (v.kind == VK::Int) return v.i;
  return std::nullopt;
}
std::optional<bool> bool_of(const Value& v) {
  if (v.kind == VK::Bool) return v.i != 0;
  return std::nullopt;
}
std::vector<std::string> strings(const Value& v) {
  std::vector<std::string> out;
  if (v.kind == VK::List)
    for (const auto& x : *v.items)
      if (x.kind == VK::String) out.push_back(x.s);
  return out;
}
std::map<std::string, std::string> string_map(const Value& v) {
  std::map<std::string, std::string> out;
  if (v.kind == VK::Map)
    for (size_t i = 0; i < v.keys->size(); ++i)
      if ((*v.items)[i].kind == VK::String) out[(*v.keys)[i]] = (*v.items)[i].s;
  return out;
}
bool set(const Value& v) { return !v.is_null() && v.kind != VK::Poison && v.kind != VK::Unknown; }

/// The fields of `volume` that name its kind, in the order of VolumeKind.
constexpr std::array<std::string_view, 8> kVolumeKinds = {"size", "shared", "claim", "host-path",
                                                          "temp", "nfs",    "secret", "config-map"};
constexpr std::string_view kVolumeKindList =
    "`size` (a claim per replica), `shared` (one claim for all replicas), `claim` (an existing claim), "
    "`host-path`, `temp` (emptyDir), `nfs`, `secret` or `config-map`";

/// Each field that applies to some kinds only, and those kinds.
struct KindField {
  std::string_view field;
  std::vector<VolumeKind> kinds;
  std::string_view kinds_text;
};
const std::vector<KindField>& kind_fields() {
  static const std::vector<KindField> fields = {
      {"host-type", {VolumeKind::HostPath}, "`host-path`"},
      {"key", {VolumeKind::Secret, VolumeKind::ConfigMap}, "`secret` and `config-map`"},
      {"keys", {VolumeKind::Secret, VolumeKind::ConfigMap}, "`secret` and `config-map`"},
      {"mode", {VolumeKind::Secret, VolumeKind::ConfigMap}, "`secret` and `config-map`"},
      {"class", {VolumeKind::PerReplica, VolumeKind::Shared}, "`size` and `shared`"},
      {"access", {VolumeKind::PerReplica, VolumeKind::Shared}, "`size` and `shared`"},
  };
  return fields;
}

/// A file mode written in octal ("0400", "644"), or nothing.
std::optional<int> parse_file_mode(std::string_view text) {
  if (text.size() < 3 || text.size() > 4) return std::nullopt;
  if (text.size() == 4 && text[0] != '0') return std::nullopt;
  int mode = 0;
  for (char c : text) {
    if (c < '0' || c > '7') return std::nullopt;
    mode = mode * 8 + (c - '0');
  }
  return mode;
}

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

}  // namespace

void Checker::lower_volume(const Value& x, Volume& vol, const Model& m) {
  vol.mount_path = str(x.field("at")).value_or("");
  vol.access = std::string(x.field("access").enum_name());
  vol.read_only = x.field("readonly").kind == VK::Bool && x.field("readonly").i;
  vol.span = x.span;
  vol.sub_path = str(x.field("sub-path"));
  std::vector<size_t> named;
  for (size_t k = 0; k < kVolumeKinds.size(); ++k) {
    if (x.field(kVolumeKinds[k]).bad()) return;  // reported where it was written
    if (set(x.field(kVolumeKinds[k]))) named.push_back(k);
  }
  if (named.empty()) {
    report(diag::Kind::VolumeKind, x.span, fmt::format("volume `{}` does not say what it is", vol.name))
        .hint(fmt::format("set one of {}", kVolumeKindList));
    vol.kind = VolumeKind::Temp;  // not emitted: the program has an error
    return;
  }
  if (named.size() > 1) {
    auto& d = report(diag::Kind::VolumeKind, x.field(kVolumeKinds[named[1]]).span,
                     fmt::format("volume `{}` is both `{}` and `{}`", vol.name, kVolumeKinds[named[0]], kVolumeKinds[named[1]]));
    d.note(x.field(kVolumeKinds[named[0]]).span, fmt::format("`{}` is set here", kVolumeKinds[named[0]]));
    d.hint("a volume is one kind: declare a volume for each");
  }
  vol.kind = static_cast<VolumeKind>(named[0]);
  for (const KindField& f : kind_fields()) {
    const Value& fv = x.field(f.field);
    if (!set(fv) || std::find(f.kinds.begin(), f.kinds.end(), vol.kind) != f.kinds.end()) continue;
    // `access` has a default: only a value that differs from it was written.
    if (f.field == "access" && fv.enum_name() == "ReadWriteOnce") continue;
    if (f.field == "keys" && fv.kind == VK::Map && fv.keys->empty()) continue;
    report(diag::Kind::MisplacedField, fv.span,
           fmt::format("`{}` does not apply to a `{}` volume", f.field, kVolumeKinds[static_cast<size_t>(vol.kind)]))
        .hint(fmt::format("`{}` applies to {} volumes", f.field, f.kinds_text));
  }
  switch (vol.kind) {
    case VolumeKind::PerReplica:
    case VolumeKind::Shared: {
      const Value& size = x.field(vol.kind == VolumeKind::Shared ? "shared" : "size");
      if (size.kind == VK::Bytes) vol.size_bytes = size.i;
      vol.storage_class = str(x.field("class")).value_or("");
      if (!vol.storage_class.empty()) check_k8s(k8s::kDns1123Subdomain, x.field("class"), "storage class name");
      break;
    }
    case VolumeKind::Claim:
      vol.source = str(x.field("claim")).value_or("");
      check_k8s(k8s::kDns1123Subdomain, x.field("claim"), "claim name");
      break;
    case VolumeKind::HostPath:
      vol.source = str(x.field("host-path")).value_or("");
      vol.host_type = std::string(x.field("host-type").enum_name());
      check_k8s(k8s::kNfsPath, x.field("host-path"), "host path", diag::Kind::InvalidPath);
      break;
    case VolumeKind::Temp: {
      const Value& t = x.field("temp");
      vol.memory = t.field("memory").kind == VK::Bool && t.field("memory").i;
      if (t.field("limit").kind == VK::Bytes) vol.limit_bytes = t.field("limit").i;
      break;
    }
    case VolumeKind::Secret:
    case VolumeKind::ConfigMap: {
      const Value& src = x.field(vol.kind == VolumeKind::Secret ? "secret" : "config-map");
      vol.source = str(src).value_or("");
      check_k8s(k8s::kDns1123Subdomain, src, vol.kind == VolumeKind::Secret ? "Secret name" : "ConfigMap name");
      vol.key = str(x.field("key"));
      if (vol.key) check_k8s(k8s::kConfigMapKey, x.field("key"));
      const Value& keys = x.field("keys");
      if (keys.kind == VK::Map)
        for (size_t i = 0; i < keys.keys->size(); ++i)
          if ((*keys.items)[i].kind == VK::String) vol.items.emplace_back((*keys.keys)[i], (*keys.items)[i].s);
      if (vol.key && vol.sub_path)
        report(diag::Kind::MisplacedField, x.field("sub-path").span, "`key` and `sub-path` cannot both be set")
            .hint("`key` already mounts that one file by sub-path");
      if (vol.key && !vol.items.empty())
        report(diag::Kind::MisplacedField, x.field("key").span, "`key` and `keys` cannot both be set")
            .hint("`key` mounts one key as the file `at`; `keys` mounts several under the folder `at`");
      if (auto mode = str(x.field("mode"))) {
        vol.mode = parse_file_mode(*mode);
        if (!vol.mode)
          report(diag::Kind::BadFileMode, x.field("mode").span, fmt::format("`{}` is not a file mode", *mode))
              .hint("write the mode in octal, as chmod takes it: \"0400\", \"0644\" or \"0755\"");
      }
      break;
    }
    case VolumeKind::Nfs: {
      const Value& nv = x.field("nfs");
      std::string nfs = str(nv).value_or("");
      if (auto colon = nfs.find(':'); colon != std::string::npos) {
        vol.source = nfs.substr(0, colon);
        vol.nfs_path = nfs.substr(colon + 1);
        if (vol.source.empty())
          report(diag::Kind::UndeclaredReference, nv.span, fmt::format("`{}` names no NFS server", nfs))
              .hint("write \"SERVER:/PATH\", e.g. \"nas.lan:/volume1/media\"");
        else
          check_k8s(k8s::kNfsPath, vol.nfs_path, nv.span, "NFS path", diag::Kind::InvalidPath);
        break;
      }
      auto dot = nfs.find('.');
      std::string mach = nfs.substr(0, dot);
      std::string exp = dot == std::string::npos ? "" : nfs.substr(dot + 1);
      auto it = tables_.machine_names.find(mach);
      const Machine* target = it == tables_.machine_names.end() ? nullptr : &m.machines[it->second];
      bool ok = target && std::any_of(target->exports.begin(), target->exports.end(),
                                      [&](const NfsExport& e) { return e.name == exp; });
      if (!ok) {
        auto& d = report(diag::Kind::UndeclaredReference, nv.span, fmt::format("no NFS export `{}` is declared", nfs));
        if (!target) d.hint("write \"MACHINE.EXPORT\", naming a machine with an `export` block, or \"SERVER:/PATH\"");
        else if (target->exports.empty()) d.hint(fmt::format("`{}` declares no `export`", mach));
        else d.hint(fmt::format("`{}` exports: {}", mach, [&] {
          std::string l;
          for (auto& e : target->exports) l += (l.empty() ? "" : ", ") + e.name;
          return l;
        }()));
      } else {
        vol.nfs_machine = target->id;
        vol.nfs_export = exp;
      }
      break;
    }
  }
}

namespace {

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
  p.kind = std::string(v.field("kind").enum_name());
  if (v.field("port").kind == VK::Int) p.port = static_cast<int>(v.field("port").i);
  p.path = str(v.field("path"));
  p.command = strings(v.field("command"));
  p.span = v.span;
  if (p.kind != "exec" && p.kind != "http") {
    report(diag::Kind::MisplacedField, v.span, fmt::format("`{}` takes `exec([...])` or `http(path, port)`, not `{}`", field, p.kind))
        .hint("a lifecycle hook runs a command or sends an HTTP GET");
    return std::nullopt;
  }
  // As for probes, an HTTP hook without a port goes to the first port.
  if (p.kind == "http" && !p.port && !w.ports.empty()) p.port = w.ports.front().port;
  if (p.kind == "http" && !p.port) {
    report(diag::Kind::MissingField, v.span, fmt::format("`{}` sends an HTTP GET but names no port", field))
        .hint(fmt::format("write `{} = http(\"/path\", PORT)`, or declare a `port` on the workload", field));
    return std::nullopt;
  }
  return p;
}

void Checker::lower_env_vars(const Value& env, std::vector<EnvVar>& out) {
  if (env.kind != VK::Map) return;
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
  if (w.kind != WorkloadKind::Service || w.replicas < 2 || w.on) return;
  for (const Volume& vol : w.volumes)
    if (vol.kind == VolumeKind::Shared && vol.access == "ReadWriteOnce")
      report(diag::Kind::SharedClaimReadWriteOnce, vol.span,
             fmt::format("the {} replicas of `{}` share volume `{}`, a ReadWriteOnce claim that one machine at a time can mount",
                         w.replicas, w.name, vol.name))
          .note(Span{}, "replicas placed on other machines stay pending (on k3s, local-path claims are bound to one node)")
          .hint("set `access = ReadWriteMany` with a storage class that provides it, pin the service with `on`, or use "
                "`size` for a claim per replica");
}

void Checker::lower_extras(const Value& v, Workload& w) {
  check_shared_claims(w);
  const std::vector<int>& at = field_positions(v.record, kExtrasFields);
  auto field = [&](XF f) -> const Value& { return v.at(at[static_cast<size_t>(f)]); };
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

  for (XF which : {XF::Sidecar, XF::Init}) {
    const Value& list = field(which);
    if (list.kind != VK::Map) continue;
    for (size_t i = 0; i < list.keys->size(); ++i) {
      const Value& c = (*list.items)[i];
      if (c.kind != VK::Record) continue;
      ExtraContainer e;
      e.name = (*list.keys)[i];
      e.sidecar = which == XF::Sidecar;
      e.span = c.span;
      check_k8s(k8s::kDns1123Label, e.name, c.span, "container name");
      if (e.name == w.name)
        report(diag::Kind::DuplicateName, c.span, fmt::format("container name `{}` is the main container's", e.name))
            .hint("the main container is named after the workload: rename this one");
      else if (auto same = std::find_if(x->containers.begin(), x->containers.end(),
                                        [&](const ExtraContainer& o) { return o.name == e.name; });
               same != x->containers.end())
        report(diag::Kind::DuplicateName, c.span, fmt::format("`{}` names a sidecar and an init container", e.name))
            .note(same->span, "the sidecar is declared here")
            .hint("the containers of a pod need distinct names: rename one");
      e.image = str(c.field("image")).value_or("");
      e.command = strings(c.field("command"));
      e.args = strings(c.field("args"));
      lower_env_vars(c.field("env"), e.env);
      lower_env_sources(c.field("env-ref"), c.field("env-from"), e.env, e.env_refs, e.env_from);
      const Value& mounts = c.field("mounts");
      if (mounts.kind == VK::List)
        for (const Value& mname : *mounts.items) {
          if (mname.kind != VK::String) continue;
          auto it = std::find_if(w.volumes.begin(), w.volumes.end(), [&](const Volume& vol) { return vol.name == mname.s; });
          if (it != w.volumes.end()) {
            e.mounts.push_back(static_cast<size_t>(it - w.volumes.begin()));
            continue;
          }
          std::vector<std::string_view> names;
          for (const auto& vol : w.volumes) names.push_back(vol.name);
          auto& d = report(diag::Kind::UndeclaredReference, mname.span, fmt::format("`{}` has no volume named `{}`", w.name, mname.s));
          if (auto sug = diag::did_you_mean(mname.s, names)) d.hint(fmt::format("did you mean `{}`?", *sug));
          else d.hint("declare it on the workload: `volume NAME { at = \"/path\"; ... }`");
        }
      if (c.field("needs").kind == VK::Record)
        e.requests = Resources{c.field("needs").field("cpu").i, c.field("needs").field("memory").i};
      if (c.field("limits").kind == VK::Record)
        e.limits = Resources{c.field("limits").field("cpu").i, c.field("limits").field("memory").i};
      e.security = lower_security(c.field("security"), false);
      if (auto p = c.field("pull").enum_name(); !p.empty()) e.pull = std::string(p);
      x->containers.push_back(std::move(e));
    }
  }
  x->on_start = lower_hook(field(XF::OnStart), "on-start", w);
  x->on_stop = lower_hook(field(XF::OnStop), "on-stop", w);
  x->workdir = str(field(XF::Workdir));
  if (x->workdir) check_k8s(k8s::kMountPath, field(XF::Workdir), "working directory", diag::Kind::InvalidPath);
  x->service_account = str(field(XF::ServiceAccount));
  if (x->service_account) check_k8s(k8s::kDns1123Subdomain, field(XF::ServiceAccount), "ServiceAccount name");
  if (auto p = field(XF::Pull).enum_name(); !p.empty()) x->pull = std::string(p);
  x->pull_secrets = strings(field(XF::PullSecrets));
  if (const Value& ps = field(XF::PullSecrets); ps.kind == VK::List)
    for (const Value& s : *ps.items) check_k8s(k8s::kDns1123Subdomain, s, "Secret name");
  x->labels = string_map(field(XF::Labels));
  check_keys(k8s::kQualifiedName, field(XF::Labels), "label key", w.span);
  if (const Value& labels = field(XF::Labels); labels.kind == VK::Map)
    for (size_t i = 0; i < labels.keys->size(); ++i) {
      const std::string& key = (*labels.keys)[i];
      check_k8s(k8s::kLabelValue, (*labels.items)[i], "label value");
      if (std::find(kManagedLabelKeys.begin(), kManagedLabelKeys.end(), key) != kManagedLabelKeys.end())
        report(diag::Kind::LabelClash, (*labels.items)[i].span, fmt::format("label `{}` is claw's own", key))
            .hint(key == "app.kubernetes.io/name"
                      ? "claw selects the workload's pods by `app.kubernetes.io/name`: choose another key"
                      : "claw sets it on every object it writes: choose another key");
    }
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
