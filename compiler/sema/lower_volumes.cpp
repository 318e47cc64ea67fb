// Lowering a workload's volumes, each of exactly one explicit kind (see
// `volume` in stdlib/core.claw), with the checks their fields need.
#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "compiler/sema/checker.h"
#include "compiler/sema/lower_read.h"
#include "compiler/sema/stdlib_enums.h"

namespace claw::sema::detail {

using namespace read;

namespace {

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

}  // namespace

bool Checker::lower_volume_kind(const Value& x, Volume& vol) {
  std::vector<size_t> named;
  for (size_t k = 0; k < kVolumeKinds.size(); ++k) {
    if (x.field(kVolumeKinds[k]).bad()) return false;  // reported where it was written
    if (set(x.field(kVolumeKinds[k]))) named.push_back(k);
  }
  if (named.empty()) {
    report(diag::Kind::VolumeKind, x.span, fmt::format("volume `{}` does not say what it is", vol.name))
        .hint(fmt::format("set one of {}", kVolumeKindList));
    return false;
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
    if (f.field == "access" && enum_of<AccessMode>(fv) == AccessMode::ReadWriteOnce) continue;
    if (f.field == "keys" && fv.kind == VK::Map && fv.keys->empty()) continue;
    report(diag::Kind::MisplacedField, fv.span,
           fmt::format("`{}` does not apply to a `{}` volume", f.field, kVolumeKinds[static_cast<size_t>(vol.kind)]))
        .hint(fmt::format("`{}` applies to {} volumes", f.field, f.kinds_text));
  }
  return true;
}

void Checker::lower_volume(const Value& x, Volume& vol, const Model& m) {
  vol.mount_path = str(x.field("at")).value_or("");
  vol.access = enum_of<AccessMode>(x.field("access"));
  vol.read_only = x.field("readonly").kind == VK::Bool && x.field("readonly").i;
  vol.span = x.span;
  vol.sub_path = str(x.field("sub-path"));
  if (!lower_volume_kind(x, vol)) return;  // not emitted: the program has an error
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
      vol.host_type = enum_of<HostPathType>(x.field("host-type"));
      check_k8s(k8s::kNfsPath, x.field("host-path"), "host path", diag::Kind::InvalidPath);
      break;
    case VolumeKind::Temp: {
      const Value& t = x.field("temp");
      vol.memory = t.field("memory").kind == VK::Bool && t.field("memory").i;
      if (t.field("limit").kind == VK::Bytes) vol.limit_bytes = t.field("limit").i;
      break;
    }
    case VolumeKind::Secret:
    case VolumeKind::ConfigMap: lower_files(x, vol); break;
    case VolumeKind::Nfs: lower_nfs(x, vol, m); break;
  }
}

void Checker::lower_files(const Value& x, Volume& vol) {
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
}

void Checker::lower_nfs(const Value& x, Volume& vol, const Model& m) {
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
    return;
  }
  auto dot = nfs.find('.');
  std::string mach = nfs.substr(0, dot);
  std::string exp = dot == std::string::npos ? "" : nfs.substr(dot + 1);
  auto it = tables_.machine_names.find(mach);
  const Machine* target = it == tables_.machine_names.end() ? nullptr : &m.machines[it->second];
  if (target) machines_read_.push_back(it->second);
  bool ok = target && std::any_of(target->exports.begin(), target->exports.end(),
                                  [&](const NfsExport& e) { return e.name == exp; });
  if (ok) {
    vol.nfs_machine = target->id;
    vol.nfs_export = exp;
    return;
  }
  auto& d = report(diag::Kind::UndeclaredReference, nv.span, fmt::format("no NFS export `{}` is declared", nfs));
  if (!target) d.hint("write \"MACHINE.EXPORT\", naming a machine with an `export` block, or \"SERVER:/PATH\"");
  else if (target->exports.empty()) d.hint(fmt::format("`{}` declares no `export`", mach));
  else d.hint(fmt::format("`{}` exports: {}", mach, [&] {
    std::string l;
    for (auto& e : target->exports) l += (l.empty() ? "" : ", ") + e.name;
    return l;
  }()));
}

}  // namespace claw::sema::detail
