// The stdlib contract (stdlib_contract.h): the table of what the C++ code
// reads of the stdlib by name, and its check.
#include "compiler/sema/stdlib_contract.h"

#include <fmt/format.h>

#include <algorithm>

namespace claw::sema {

namespace {

using TK = TypeKind;

// Each row is read by name in the file named before it; a field read in
// several places is listed once. The kinds are those of stdlib/core.claw.
constexpr StdlibField kFields[] = {
    // checker_model.cpp: machines, with their exports
    {"machine", "os", TK::Enum, "os"},
    {"machine", "arch", TK::Enum, "arch"},
    {"machine", "k3s", TK::Enum, "k3s-mode"},
    {"machine", "cpu", TK::Cpu},
    {"machine", "memory", TK::Bytes},
    {"machine", "disk", TK::Bytes},
    {"machine", "address", TK::String},
    {"machine", "roles", TK::List},
    {"machine", "joined", TK::Bool},
    {"machine", "gpu", TK::Map},
    {"machine", "label", TK::Map},
    {"machine", "taint", TK::List},
    {"machine", "export", TK::Map},
    {"machine", "k3s-args", TK::List},
    {"export", "path", TK::String},
    {"export", "size", TK::Bytes},
    {"export", "access", TK::Enum, "access-mode"},
    {"export", "options", TK::List},
    {"role", "label", TK::Map},
    {"role", "taint", TK::List},
    // checker_model.cpp: kWorkloadFields, on the record that declares each
    {"workload", "namespace", TK::String},
    {"workload", "image", TK::String},
    {"workload", "arch", TK::List, "arch"},
    {"workload", "command", TK::List},
    {"workload", "args", TK::List},
    {"workload", "env", TK::Map},
    {"workload", "config", TK::Map},
    {"workload", "config-at", TK::String},
    {"workload", "needs", TK::Record},
    {"workload", "limits", TK::Record},
    {"workload", "gpu", TK::Record},
    {"workload", "volume", TK::Map},
    {"workload", "on", TK::Ref},
    {"workload", "roles", TK::List},
    {"workload", "prefer", TK::List},
    {"workload", "avoid", TK::List},
    {"workload", "tolerate", TK::List},
    {"workload", "after", TK::List},
    {"service", "replicas", TK::Int},
    {"service", "port", TK::Map},
    {"service", "health", TK::Record},
    {"service", "ready", TK::Record},
    {"service", "host", TK::String},
    {"service", "path", TK::String},
    {"service", "expose", TK::String},
    {"daemon", "port", TK::Map},
    {"daemon", "health", TK::Record},
    {"job", "backoff", TK::Int},
    {"job", "deadline", TK::Duration},
    {"job", "parallelism", TK::Int},
    {"job", "completions", TK::Int},
    {"job", "restart", TK::Enum, "restart-policy"},
    {"cron", "schedule", TK::Schedule},
    {"cron", "concurrency", TK::Enum, "concurrency-policy"},
    {"cron", "history", TK::Int},
    {"port", "port", TK::Int},
    {"port", "protocol", TK::Enum, "protocol"},
    {"port", "host", TK::Int},
    {"port", "node", TK::Int},
    // checker_model.cpp (probes), lower_pod.cpp (hooks), handle_call.cpp (tcp, http, grpc, exec)
    {"probe", "kind", TK::Enum, "probe-kind"},
    {"probe", "port", TK::Int},
    {"probe", "path", TK::String},
    {"probe", "command", TK::List},
    {"probe", "period", TK::Duration},
    {"probe", "delay", TK::Duration},
    {"probe", "timeout", TK::Duration},
    {"probe", "failures", TK::Int},
    // lower_pod.cpp: kExtrasFields
    {"workload", "tolerate-all", TK::Bool},
    {"workload", "env-ref", TK::Map},
    {"workload", "env-from", TK::List},
    {"workload", "security", TK::Record},
    {"workload", "init", TK::Map},
    {"workload", "sidecar", TK::Map},
    {"workload", "on-start", TK::Record},
    {"workload", "on-stop", TK::Record},
    {"workload", "workdir", TK::String},
    {"workload", "service-account", TK::String},
    {"workload", "pull", TK::Enum, "pull-policy"},
    {"workload", "pull-secrets", TK::List},
    {"workload", "labels", TK::Map},
    {"workload", "annotations", TK::Map},
    {"workload", "pod-annotations", TK::Map},
    {"cron", "timezone", TK::String},
    // lower_volumes.cpp: kVolumeKinds and the fields of some kinds only
    {"volume", "at", TK::String},
    {"volume", "size", TK::Bytes},
    {"volume", "shared", TK::Bytes},
    {"volume", "claim", TK::String},
    {"volume", "host-path", TK::String},
    {"volume", "temp", TK::Record},
    {"volume", "nfs", TK::String},
    {"volume", "secret", TK::String},
    {"volume", "config-map", TK::String},
    {"volume", "host-type", TK::Enum, "host-path-type"},
    {"volume", "key", TK::String},
    {"volume", "keys", TK::Map},
    {"volume", "mode", TK::String},
    {"volume", "class", TK::String},
    {"volume", "access", TK::Enum, "access-mode"},
    {"volume", "readonly", TK::Bool},
    {"volume", "sub-path", TK::String},
    {"temp-dir", "memory", TK::Bool},
    {"temp-dir", "limit", TK::Bytes},
    // lower_exposure.cpp: kExposureFields, ingresses
    {"service", "service-name", TK::String},
    {"service", "service-type", TK::Enum, "service-type"},
    {"service", "ingress", TK::Map},
    {"daemon", "service-name", TK::String},
    {"daemon", "service-type", TK::Enum, "service-type"},
    {"workload", "host-network", TK::Bool},
    {"workload", "dns-policy", TK::Enum, "dns-policy"},
    {"ingress", "hosts", TK::List},
    {"ingress", "class", TK::String},
    {"ingress", "route", TK::Map},
    {"ingress", "tls", TK::Record},
    {"ingress", "annotations", TK::Map},
    {"ingress-route", "port", TK::String},
    {"ingress-route", "match", TK::Enum, "path-type"},
    {"ingress-tls", "secret", TK::String},
    {"ingress-tls", "issuer", TK::String},
    // checker_model.cpp, lower_exposure.cpp, checker_names.cpp: the cluster
    {"cluster", "k3s", TK::String},
    {"cluster", "server", TK::Ref},
    {"cluster", "network", TK::Record},
    {"cluster", "namespace", TK::String},
    {"cluster", "domain", TK::String},
    {"cluster", "ingress-class", TK::String},
    {"cluster", "disable", TK::List, "k3s-component"},
    {"cluster", "data-dir", TK::String},
    {"cluster", "server-args", TK::List},
    {"cluster", "gpu", TK::Enum, "gpu-stack"},
    {"cluster", "placement", TK::Enum, "placement-policy"},
    {"cluster", "survive", TK::Int},
    {"service", "placement", TK::Enum, "placement-policy"},
    {"job", "placement", TK::Enum, "placement-policy"},
    {"network", "iface", TK::String},
    // lower_resources.cpp, checker_model.cpp: requests, limits, reserves, GPUs
    {"machine", "reserved", TK::Record},
    {"reserve", "cpu", TK::Cpu},
    {"reserve", "memory", TK::Bytes},
    {"resources", "cpu", TK::Cpu},
    {"resources", "memory", TK::Bytes},
    {"need", "cpu", TK::Cpu},
    {"need", "memory", TK::Bytes},
    {"limit", "cpu", TK::Cpu},
    {"limit", "memory", TK::Bytes},
    {"gpu", "count", TK::Int},
    {"gpu", "vram", TK::Bytes},
    {"gpu", "reserve", TK::Bytes},
    {"gpu-request", "count", TK::Int},
    {"gpu-request", "vram", TK::Bytes},
    {"gpu-request", "share", TK::Bool},
    // lower_containers.cpp, lower_pod.cpp: extra containers, env sources, security
    {"container", "image", TK::String},
    {"container", "command", TK::List},
    {"container", "args", TK::List},
    {"container", "env", TK::Map},
    {"container", "env-ref", TK::Map},
    {"container", "env-from", TK::List},
    {"container", "mounts", TK::List},
    {"container", "needs", TK::Record},
    {"container", "limits", TK::Record},
    {"container", "security", TK::Record},
    {"container", "pull", TK::Enum, "pull-policy"},
    {"container-resources", "cpu", TK::Cpu},
    {"container-resources", "memory", TK::Bytes},
    {"key-ref", "secret", TK::String},
    {"key-ref", "config-map", TK::String},
    {"key-ref", "key", TK::String},
    {"env-source", "secret", TK::String},
    {"env-source", "config-map", TK::String},
    {"env-source", "prefix", TK::String},
    {"security", "user", TK::Int},
    {"security", "group", TK::Int},
    {"security", "fs-group", TK::Int},
    {"security", "non-root", TK::Bool},
    {"security", "privileged", TK::Bool},
    {"security", "read-only-root", TK::Bool},
    {"security", "escalation", TK::Bool},
    {"security", "cap-add", TK::List},
    {"security", "cap-drop", TK::List},
    // checker_patch.cpp
    {"workload", "patch", TK::Record},
    {"workload-patch", "pod", TK::Any},
    {"workload-patch", "container", TK::Any},
    {"workload-patch", "object", TK::Any},
    // checker_model.cpp: charts and secrets; handle_call.cpp: env and file
    {"chart", "repo", TK::String},
    {"chart", "chart", TK::String},
    {"chart", "version", TK::String},
    {"chart", "namespace", TK::String},
    {"chart", "values", TK::Any},
    {"chart", "extra", TK::Map},
    {"secret", "from", TK::Record},
    {"secret", "key", TK::String},
    {"secret", "namespace", TK::String},
    {"secret-source", "env", TK::String},
    {"secret-source", "file", TK::String},
    // checker_resources.cpp
    {"resource", "api", TK::String},
    {"resource", "kind", TK::String},
    {"resource", "namespace", TK::String},
    {"resource", "labels", TK::Map},
    {"resource", "annotations", TK::Map},
    {"resource", "spec", TK::Any},
    {"resource", "fields", TK::Map},
};

// Checker::find_schemas: the record type of each declaration kind, in the
// order of syntax::DeclKind.
constexpr std::string_view kSchemas[] = {"cluster", "machine", "role",  "service", "job",
                                         "cron",    "daemon",  "chart", "secret",  "resource"};

/// The stdlib's enum or record `name`, when it is one of `kind`.
const Type* find(const std::unordered_map<std::string, const Type*>& types, std::string_view name, TypeKind kind) {
  auto it = types.find(std::string(name));
  return it == types.end() || it->second->kind != kind ? nullptr : it->second;
}

constexpr std::string_view kHint =
    "stdlib/core.claw and this claw disagree: use the stdlib that came with claw (or set CLAW_STDLIB to it)";

/// Reports the differences between one stdlib enum and its C++ counterpart.
bool check_enum(const std::unordered_map<std::string, const Type*>& types, const StdlibEnumRow& row, source::Span fallback,
                diag::Sink& sink) {
  const Type* t = find(types, row.name, TK::Enum);
  if (!t) {
    sink.report(diag::Kind::StdlibContract, fallback, fmt::format("the stdlib declares no enum `{}`", row.name))
        .hint(std::string(kHint));
    return false;
  }
  const EnumDef& def = *t->enum_def;
  bool ok = true;
  for (std::string_view value : row.values)
    if (def.find(value) < 0) {
      sink.report(diag::Kind::StdlibContract, def.span, fmt::format("stdlib enum `{}` has no value `{}`", row.name, value))
          .hint(std::string(kHint));
      ok = false;
    }
  for (const std::string& value : def.values)
    if (std::find(row.values.begin(), row.values.end(), value) == row.values.end()) {
      sink.report(diag::Kind::StdlibContract, def.span,
                  fmt::format("stdlib enum `{}` has a value `{}` that claw does not know", row.name, value))
          .hint(std::string(kHint));
      ok = false;
    }
  return ok;
}

/// What claw reads a field as, for messages.
std::string_view kind_text(TypeKind kind) {
  switch (kind) {
    case TK::Int: return "an int";
    case TK::Bool: return "a bool";
    case TK::String: return "a string";
    case TK::Bytes: return "bytes";
    case TK::Cpu: return "cpu";
    case TK::Duration: return "a duration";
    case TK::Schedule: return "a schedule";
    case TK::Enum: return "an enum";
    case TK::List: return "a list";
    case TK::Map: return "a map";
    case TK::Record: return "a record";
    case TK::Ref: return "a reference to a declaration";
    case TK::Any: return "any value";
    default: return "another type";
  }
}

/// The enum of a field's type, or of its list's elements.
const EnumDef* enum_of_type(const Type* t) {
  if (t->kind == TK::List && t->elem) t = t->elem;
  return t->kind == TK::Enum ? t->enum_def : nullptr;
}

/// Reports one field that is missing from its record or typed otherwise.
bool check_field(const std::unordered_map<std::string, const Type*>& types, const StdlibField& f, source::Span fallback,
                 diag::Sink& sink) {
  const Type* rec = find(types, f.record, TK::Record);
  if (!rec) return false;  // reported once, by the caller
  int at = rec->record->find(f.field);
  if (at < 0) {
    sink.report(diag::Kind::StdlibContract, rec->record->span.valid() ? rec->record->span : fallback,
                fmt::format("stdlib type `{}` has no field `{}`", f.record, f.field))
        .hint(std::string(kHint));
    return false;
  }
  const FieldDef& def = rec->record->fields[static_cast<size_t>(at)];
  const EnumDef* e = def.type ? enum_of_type(def.type) : nullptr;
  bool kind_ok = def.type && def.type->kind == f.kind;
  bool enum_ok = f.enum_name.empty() || (e && e->name == f.enum_name);
  if (kind_ok && enum_ok) return true;
  std::string want = f.enum_name.empty()  ? std::string(kind_text(f.kind))
                     : f.kind == TK::List ? fmt::format("a list of enum `{}`", f.enum_name)
                                          : fmt::format("enum `{}`", f.enum_name);
  sink.report(diag::Kind::StdlibContract, def.span,
              fmt::format("stdlib field `{}.{}` is `{}`, but claw reads it as {}", f.record, f.field,
                          def.type ? type_name(def.type) : "?", want))
      .hint(std::string(kHint));
  return false;
}

}  // namespace

std::span<const StdlibField> stdlib_fields() { return kFields; }

source::Span prelude_span(const Program& program) {
  for (size_t i = 0; i < program.files.size() && i < program.is_stdlib.size(); ++i)
    if (program.is_stdlib[i] && program.files[i]) return source::Span{program.files[i]->id, 0, 0};
  return {};
}
std::span<const std::string_view> stdlib_schemas() { return kSchemas; }

bool check_stdlib_contract(const std::unordered_map<std::string, const Type*>& types,
                           std::span<const StdlibEnumRow> enums, std::span<const StdlibField> fields,
                           source::Span fallback, diag::Sink& sink) {
  bool ok = true;
  for (const StdlibEnumRow& row : enums) ok = check_enum(types, row, fallback, sink) && ok;
  std::vector<std::string_view> missing;
  auto record_missing = [&](std::string_view name) {
    if (find(types, name, TK::Record) || std::find(missing.begin(), missing.end(), name) != missing.end()) return;
    missing.push_back(name);
    sink.report(diag::Kind::StdlibContract, fallback, fmt::format("the stdlib declares no type `{}`", name))
        .hint(std::string(kHint));
    ok = false;
  };
  for (std::string_view name : kSchemas) record_missing(name);
  for (const StdlibField& f : fields) {
    record_missing(f.record);
    ok = check_field(types, f, fallback, sink) && ok;
  }
  return ok;
}

}  // namespace claw::sema
