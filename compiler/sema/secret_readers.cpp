#include "compiler/sema/secret_readers.h"

#include <unordered_map>

#include "compiler/sema/pod_model.h"

namespace claw::sema {

namespace {

/// Whether a chart's values hold `secret("NAME")` for the secret at `id`.
void chart_reads(const Value& v, const std::unordered_map<std::string_view, size_t>& by_name,
                 std::vector<bool>& read) {
  if (v.kind == Value::Kind::SecretRef) {
    if (auto it = by_name.find(v.s); it != by_name.end()) read[it->second] = true;
    return;
  }
  if ((v.kind == Value::Kind::List || v.kind == Value::Kind::Map || v.kind == Value::Kind::Record) && v.items)
    for (const Value& item : *v.items) chart_reads(item, by_name, read);
}

/// Calls `read(id, how, what)` for each secret `w` reads, in order.
template <class F>
void each_read(const Workload& w, const std::unordered_map<std::string_view, size_t>& by_name, F&& read) {
  auto env = [&](const std::vector<EnvVar>& vars) {
    for (const EnvVar& e : vars)
      if (e.secret) read(e.secret->value, "env", e.name);
  };
  // Secrets claw does not create are named by their Kubernetes name; one
  // that names a declared secret reads it.
  auto named = [&](const std::string& name, const char* how, const std::string& what) {
    if (auto it = by_name.find(name); it != by_name.end()) read(static_cast<uint32_t>(it->second), how, what);
  };
  auto refs = [&](const std::vector<EnvRef>& env_refs, const std::vector<EnvSource>& env_from) {
    for (const EnvRef& r : env_refs)
      if (!r.config_map) named(r.source, "env-ref", r.name);
    for (const EnvSource& s : env_from)
      if (!s.config_map) named(s.source, "env-from", "");
  };
  env(w.env);
  for (const Volume& v : w.volumes)
    if (v.kind == VolumeKind::Secret) named(v.source, "volume", v.name);
  if (!w.extras) return;
  refs(w.extras->env_refs, w.extras->env_from);
  for (const ExtraContainer& c : w.extras->containers) {
    env(c.env);
    refs(c.env_refs, c.env_from);
  }
}

}  // namespace

std::vector<uint32_t> secrets_read(const Workload& w, const std::unordered_map<std::string_view, size_t>& by_name) {
  std::vector<uint32_t> out;
  each_read(w, by_name, [&](uint32_t id, const char*, const std::string&) { out.push_back(id); });
  return out;
}

std::vector<std::vector<SecretReader>> secret_readers(const Model& model) {
  std::vector<std::vector<SecretReader>> readers(model.secrets.size());
  std::unordered_map<std::string_view, size_t> by_name;
  for (size_t i = 0; i < model.secrets.size(); ++i) by_name.emplace(model.secrets[i].name, i);
  for (const Workload& w : model.workloads)
    each_read(w, by_name, [&](uint32_t id, const char* how, const std::string& what) {
      if (id < readers.size()) readers[id].push_back({&w, nullptr, how, what});
    });
  for (const Chart& c : model.charts) {
    std::vector<bool> read(model.secrets.size());
    chart_reads(c.values, by_name, read);
    chart_reads(c.extra, by_name, read);
    for (size_t i = 0; i < read.size(); ++i)
      if (read[i]) readers[i].push_back({nullptr, &c, "values", ""});
  }
  return readers;
}

}  // namespace claw::sema
