#include "compiler/emit/pod_extras.h"

#include <algorithm>

#include "compiler/emit/manifests.h"
#include "compiler/emit/pod_volumes.h"
#include "compiler/emit/values.h"
#include "compiler/sema/pod_model.h"

namespace claw::emit::pod {

using Writer = Tree;

namespace {

const sema::PodExtras* extras(const sema::Workload& w) { return w.extras.get(); }

void strings(Writer& y, yaml::PlainKey key, const std::vector<std::string>& items) {
  y.begin_seq(key);
  for (const auto& s : items) y.str(s);
  y.end_seq();
}

void string_map(Writer& y, yaml::PlainKey key, const std::map<std::string, std::string>& m) {
  if (m.empty()) return;
  y.begin_map(key);
  for (const auto& [k, v] : m) {
    y.key(k);
    y.str(v);
  }
  y.end_map();
}

void handler(Writer& y, yaml::PlainKey key, const sema::Probe& p) {
  y.begin_map(key);
  if (p.kind == "exec") {
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

void security_context(Writer& y, const sema::Security& s) {
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

void resources(Writer& y, const sema::Resources& req, const std::optional<sema::Resources>& lim) {
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

void ref_items(Writer& y, const std::vector<sema::EnvRef>& refs) {
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

void from_list(Writer& y, const std::vector<sema::EnvSource>& from) {
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

void env_var(Writer& y, const sema::Model& model, const sema::EnvVar& e) {
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

void extra_container(Writer& y, const sema::Model& model, const sema::Workload& w, const sema::ExtraContainer& c) {
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
  if (c.pull) y.str("imagePullPolicy", *c.pull);
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

void env_refs(Writer& y, const sema::Workload& w) {
  if (extras(w)) ref_items(y, extras(w)->env_refs);
}

void env_from(Writer& y, const sema::Workload& w) {
  if (extras(w)) from_list(y, extras(w)->env_from);
}

void pull_policy(Writer& y, const sema::Workload& w) {
  if (extras(w) && extras(w)->pull) y.str("imagePullPolicy", *extras(w)->pull);
}

void lifecycle(Writer& y, const sema::Workload& w) {
  if (!extras(w) || (!extras(w)->on_start && !extras(w)->on_stop)) return;
  y.begin_map("lifecycle");
  if (extras(w)->on_start) handler(y, "postStart", *extras(w)->on_start);
  if (extras(w)->on_stop) handler(y, "preStop", *extras(w)->on_stop);
  y.end_map();
}

void security(Writer& y, const sema::Workload& w) {
  if (extras(w) && extras(w)->security) security_context(y, *extras(w)->security);
}

void working_dir(Writer& y, const sema::Workload& w) {
  if (extras(w) && extras(w)->workdir) y.str("workingDir", *extras(w)->workdir);
}

void pull_secrets(Writer& y, const sema::Workload& w) {
  if (!extras(w) || extras(w)->pull_secrets.empty()) return;
  y.begin_seq("imagePullSecrets");
  for (const auto& s : extras(w)->pull_secrets) {
    y.begin_map();
    y.str("name", s);
    y.end_map();
  }
  y.end_seq();
}

void init_containers(Writer& y, const sema::Model& model, const sema::Workload& w) {
  if (!extras(w) || extras(w)->containers.empty()) return;
  y.begin_seq("initContainers");
  for (const auto& c : extras(w)->containers) extra_container(y, model, w, c);
  y.end_seq();
}

void pod_security(Writer& y, const sema::Workload& w) {
  if (!extras(w) || !extras(w)->security || !extras(w)->security->fs_group) return;
  y.begin_map("securityContext");
  y.num("fsGroup", *extras(w)->security->fs_group);
  y.end_map();
}

void service_account(Writer& y, const sema::Workload& w) {
  if (extras(w) && extras(w)->service_account) y.str("serviceAccountName", *extras(w)->service_account);
}

void tolerate_all(Writer& y, const sema::Workload& w) {
  if (!w.tolerate_all) return;
  y.begin_map();
  y.str("operator", "Exists");
  y.end_map();
}

void annotations(Writer& y, const sema::Workload& w) {
  if (extras(w)) string_map(y, "annotations", extras(w)->annotations);
}

void pod_annotations(Writer& y, const sema::Workload& w) {
  if (extras(w)) string_map(y, "annotations", extras(w)->pod_annotations);
}

bool has_labels(const sema::Workload& w) { return extras(w) && !extras(w)->labels.empty(); }

void merged_labels(Writer& y, const sema::Workload& w,
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

void time_zone(Writer& y, const sema::Workload& w) {
  if (extras(w) && extras(w)->time_zone) y.str("timeZone", *extras(w)->time_zone);
}

}  // namespace claw::emit::pod
