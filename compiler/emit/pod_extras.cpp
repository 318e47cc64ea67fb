#include "compiler/emit/pod_extras.h"

#include <algorithm>

#include "compiler/emit/manifests.h"
#include "compiler/emit/pod_volumes.h"
#include "compiler/emit/values.h"
#include "compiler/emit/yaml_writer.h"
#include "compiler/sema/pod_model.h"

namespace claw::emit::pod {

namespace {

const sema::PodExtras* extras(const sema::Workload& w) { return w.extras.get(); }

template <class Y>
void strings(Y& y, yaml::PlainKey key, const std::vector<std::string>& items) {
  y.begin_seq(key);
  for (const auto& s : items) y.str(s);
  y.end_seq();
}

template <class Y>
void string_map(Y& y, yaml::PlainKey key, const std::map<std::string, std::string>& m) {
  if (m.empty()) return;
  y.begin_map(key);
  for (const auto& [k, v] : m) {
    y.key(k);
    y.str(v);
  }
  y.end_map();
}

template <class Y>
void handler(Y& y, yaml::PlainKey key, const sema::Probe& p) {
  y.begin_map(key);
  if (p.kind == sema::ProbeKind::Exec) {
    y.begin_map("exec");
    strings(y, "command", p.command);
    y.end_map();
  } else {
    y.begin_map("httpGet");
    y.str("path", p.path ? std::string_view(*p.path) : "/");
    if (p.port) y.num("port", *p.port);
    y.end_map();
  }
  y.end_map();
}

template <class Y>
void security_context(Y& y, const sema::Security& s) {
  if (!s.any_container_field()) return;
  y.begin_map("securityContext");
  if (s.escalation) y.boolean("allowPrivilegeEscalation", *s.escalation);
  if (!s.cap_add.empty() || !s.cap_drop.empty()) {
    y.begin_map("capabilities");
    if (!s.cap_add.empty()) strings(y, "add", s.cap_add);
    if (!s.cap_drop.empty()) strings(y, "drop", s.cap_drop);
    y.end_map();
  }
  if (s.privileged) y.boolean("privileged", *s.privileged);
  if (s.read_only_root) y.boolean("readOnlyRootFilesystem", *s.read_only_root);
  if (s.group) y.num("runAsGroup", *s.group);
  if (s.non_root) y.boolean("runAsNonRoot", *s.non_root);
  if (s.user) y.num("runAsUser", *s.user);
  y.end_map();
}

template <class Y>
void resources(Y& y, const sema::Resources& req, const std::optional<sema::Resources>& lim) {
  bool limit_cpu = lim && lim->cpu_millis > 0, limit_memory = lim && lim->memory_bytes > 0;
  bool request_cpu = req.cpu_millis > 0, request_memory = req.memory_bytes > 0;
  if (!limit_cpu && !limit_memory && !request_cpu && !request_memory) return;
  y.begin_map("resources");
  if (limit_cpu || limit_memory) {
    y.begin_map("limits");
    if (limit_cpu) y.str("cpu", kube_cpu(lim->cpu_millis));
    if (limit_memory) y.str("memory", kube_bytes(lim->memory_bytes));
    y.end_map();
  }
  if (request_cpu || request_memory) {
    y.begin_map("requests");
    if (request_cpu) y.str("cpu", kube_cpu(req.cpu_millis));
    if (request_memory) y.str("memory", kube_bytes(req.memory_bytes));
    y.end_map();
  }
  y.end_map();
}

template <class Y>
void ref_items(Y& y, const std::vector<sema::EnvRef>& refs) {
  for (const auto& r : refs) {
    y.begin_map();
    y.str("name", r.name);
    y.begin_map("valueFrom");
    y.begin_map(r.config_map ? yaml::PlainKey("configMapKeyRef") : yaml::PlainKey("secretKeyRef"));
    y.str("key", r.key);
    y.str("name", r.source);
    y.end_map();
    y.end_map();
    y.end_map();
  }
}

template <class Y>
void from_list(Y& y, const std::vector<sema::EnvSource>& from) {
  if (from.empty()) return;
  y.begin_seq("envFrom");
  for (const auto& s : from) {
    y.begin_map();
    if (s.config_map) {
      y.begin_map("configMapRef");
      y.str("name", s.source);
      y.end_map();
    }
    if (s.prefix) y.str("prefix", *s.prefix);
    if (!s.config_map) {
      y.begin_map("secretRef");
      y.str("name", s.source);
      y.end_map();
    }
    y.end_map();
  }
  y.end_seq();
}

}  // namespace

template <class Y>
void env_var(Y& y, const sema::Model& model, const sema::EnvVar& e) {
  y.begin_map();
  y.str("name", e.name);
  if (e.secret) {
    const auto& s = model.secret(*e.secret);
    y.begin_map("valueFrom");
    y.begin_map("secretKeyRef");
    y.str("key", s.key);
    y.str("name", s.name);
    y.end_map();
    y.end_map();
  } else {
    y.str("value", e.value ? std::string_view(*e.value) : "");
  }
  y.end_map();
}

namespace {

template <class Y>
void extra_container(Y& y, const sema::Model& model, const sema::Workload& w, const sema::ExtraContainer& c) {
  y.begin_map();
  if (!c.args.empty()) strings(y, "args", c.args);
  if (!c.command.empty()) strings(y, "command", c.command);
  if (!c.env.empty() || !c.env_refs.empty()) {
    y.begin_seq("env");
    for (const auto& e : c.env) env_var(y, model, e);
    ref_items(y, c.env_refs);
    y.end_seq();
  }
  from_list(y, c.env_from);
  y.str("image", c.image);
  if (c.pull) y.str("imagePullPolicy", sema::pull_policy_name(*c.pull));
  y.str("name", c.name);
  resources(y, c.requests, c.limits);
  if (c.sidecar) y.str("restartPolicy", "Always");
  if (c.security) security_context(y, *c.security);
  if (!c.mounts.empty()) {
    y.begin_seq("volumeMounts");
    for (size_t i : c.mounts) volume_mount(y, w.volumes[i]);
    y.end_seq();
  }
  y.end_map();
}

}  // namespace

bool has_env_refs(const sema::Workload& w) { return extras(w) && !extras(w)->env_refs.empty(); }

template <class Y>
void env_refs(Y& y, const sema::Workload& w) {
  if (extras(w)) ref_items(y, extras(w)->env_refs);
}

template <class Y>
void env_from(Y& y, const sema::Workload& w) {
  if (extras(w)) from_list(y, extras(w)->env_from);
}

template <class Y>
void pull_policy(Y& y, const sema::Workload& w) {
  if (extras(w) && extras(w)->pull) y.str("imagePullPolicy", sema::pull_policy_name(*extras(w)->pull));
}

template <class Y>
void lifecycle(Y& y, const sema::Workload& w) {
  if (!extras(w) || (!extras(w)->on_start && !extras(w)->on_stop)) return;
  y.begin_map("lifecycle");
  if (extras(w)->on_start) handler(y, "postStart", *extras(w)->on_start);
  if (extras(w)->on_stop) handler(y, "preStop", *extras(w)->on_stop);
  y.end_map();
}

template <class Y>
void security(Y& y, const sema::Workload& w) {
  if (extras(w) && extras(w)->security) security_context(y, *extras(w)->security);
}

template <class Y>
void working_dir(Y& y, const sema::Workload& w) {
  if (extras(w) && extras(w)->workdir) y.str("workingDir", *extras(w)->workdir);
}

template <class Y>
void pull_secrets(Y& y, const sema::Workload& w) {
  if (!extras(w) || extras(w)->pull_secrets.empty()) return;
  y.begin_seq("imagePullSecrets");
  for (const auto& s : extras(w)->pull_secrets) {
    y.begin_map();
    y.str("name", s);
    y.end_map();
  }
  y.end_seq();
}

template <class Y>
void init_containers(Y& y, const sema::Model& model, const sema::Workload& w) {
  if (!extras(w) || extras(w)->containers.empty()) return;
  y.begin_seq("initContainers");
  for (const auto& c : extras(w)->containers) extra_container(y, model, w, c);
  y.end_seq();
}

template <class Y>
void pod_security(Y& y, const sema::Workload& w) {
  if (!extras(w) || !extras(w)->security || !extras(w)->security->fs_group) return;
  y.begin_map("securityContext");
  y.num("fsGroup", *extras(w)->security->fs_group);
  y.end_map();
}

template <class Y>
void service_account(Y& y, const sema::Workload& w) {
  if (extras(w) && extras(w)->service_account) y.str("serviceAccountName", *extras(w)->service_account);
}

template <class Y>
void tolerate_all(Y& y, const sema::Workload& w) {
  if (!w.tolerate_all) return;
  y.begin_map();
  y.str("operator", "Exists");
  y.end_map();
}

template <class Y>
void annotations(Y& y, const sema::Workload& w) {
  if (extras(w)) string_map(y, "annotations", extras(w)->annotations);
}

template <class Y>
void pod_annotations(Y& y, const sema::Workload& w) {
  if (extras(w)) string_map(y, "annotations", extras(w)->pod_annotations);
}

bool has_labels(const sema::Workload& w) { return extras(w) && !extras(w)->labels.empty(); }

template <class Y>
void merged_labels(Y& y, const sema::Workload& w,
                   const std::vector<std::pair<std::string_view, std::string_view>>& managed) {
  std::vector<std::pair<std::string_view, std::string_view>> all = managed;
  for (const auto& label : extras(w)->labels)  // not a structured binding: clang 14 cannot capture one
    if (std::none_of(managed.begin(), managed.end(), [&](const auto& m) { return m.first == label.first; }))
      all.emplace_back(label.first, label.second);
  std::sort(all.begin(), all.end());
  for (const auto& [k, v] : all) {
    y.key(k);
    y.str(v);
  }
}

template <class Y>
void time_zone(Y& y, const sema::Workload& w) {
  if (extras(w) && extras(w)->time_zone) y.str("timeZone", *extras(w)->time_zone);
}

// The two writers the emitters write into.
template void env_var(Tree&, const sema::Model&, const sema::EnvVar&);
template void env_refs(Tree&, const sema::Workload&);
template void env_from(Tree&, const sema::Workload&);
template void pull_policy(Tree&, const sema::Workload&);
template void lifecycle(Tree&, const sema::Workload&);
template void security(Tree&, const sema::Workload&);
template void working_dir(Tree&, const sema::Workload&);
template void pull_secrets(Tree&, const sema::Workload&);
template void init_containers(Tree&, const sema::Model&, const sema::Workload&);
template void pod_security(Tree&, const sema::Workload&);
template void service_account(Tree&, const sema::Workload&);
template void tolerate_all(Tree&, const sema::Workload&);
template void annotations(Tree&, const sema::Workload&);
template void pod_annotations(Tree&, const sema::Workload&);
template void merged_labels(Tree&, const sema::Workload&, const std::vector<std::pair<std::string_view, std::string_view>>&);
template void time_zone(Tree&, const sema::Workload&);
template void env_var(yaml::Writer&, const sema::Model&, const sema::EnvVar&);
template void env_refs(yaml::Writer&, const sema::Workload&);
template void env_from(yaml::Writer&, const sema::Workload&);
template void pull_policy(yaml::Writer&, const sema::Workload&);
template void lifecycle(yaml::Writer&, const sema::Workload&);
template void security(yaml::Writer&, const sema::Workload&);
template void working_dir(yaml::Writer&, const sema::Workload&);
template void pull_secrets(yaml::Writer&, const sema::Workload&);
template void init_containers(yaml::Writer&, const sema::Model&, const sema::Workload&);
template void pod_security(yaml::Writer&, const sema::Workload&);
template void service_account(yaml::Writer&, const sema::Workload&);
template void tolerate_all(yaml::Writer&, const sema::Workload&);
template void annotations(yaml::Writer&, const sema::Workload&);
template void pod_annotations(yaml::Writer&, const sema::Workload&);
template void merged_labels(yaml::Writer&, const sema::Workload&, const std::vector<std::pair<std::string_view, std::string_view>>&);
template void time_zone(yaml::Writer&, const sema::Workload&);

}  // namespace claw::emit::pod
