// Lowering a workload's init containers and sidecars (pod_model.h).
#include <fmt/format.h>

#include <algorithm>

#include "compiler/sema/checker.h"
#include "compiler/sema/lower_read.h"
#include "compiler/sema/stdlib_enums.h"

namespace claw::sema::detail {

using namespace read;

void Checker::lower_containers(const Value& list, bool sidecar, const Workload& w, PodExtras& x) {
  if (list.kind != VK::Map) return;
  for (size_t i = 0; i < list.keys->size(); ++i) {
    const Value& c = (*list.items)[i];
    if (c.kind != VK::Record) continue;
    ExtraContainer e;
    e.name = (*list.keys)[i];
    e.sidecar = sidecar;
    e.span = c.span;
    check_container_name(e, w, x);
    e.image = str(c.field("image")).value_or("");
    e.command = strings(c.field("command"));
    e.args = strings(c.field("args"));
    lower_env_vars(c.field("env"), e.env);
    lower_env_sources(c.field("env-ref"), c.field("env-from"), e.env, e.env_refs, e.env_from);
    lower_mounts(c.field("mounts"), w, e.mounts);
    // Unset fields are nulls, whose `i` is 0: nothing requested or limited.
    if (c.field("needs").kind == VK::Record)
      e.requests = Resources{c.field("needs").field("cpu").i, c.field("needs").field("memory").i};
    if (c.field("limits").kind == VK::Record)
      e.limits = Resources{c.field("limits").field("cpu").i, c.field("limits").field("memory").i};
    e.security = lower_security(c.field("security"), false);
    e.pull = enum_of<PullPolicy>(c.field("pull"));
    x.containers.push_back(std::move(e));
  }
}

void Checker::check_container_name(const ExtraContainer& e, const Workload& w, const PodExtras& x) {
  check_k8s(k8s::kDns1123Label, e.name, e.span, "container name");
  if (e.name == w.name) {
    report(diag::Kind::DuplicateName, e.span, fmt::format("container name `{}` is the main container's", e.name))
        .hint("the main container is named after the workload: rename this one");
    return;
  }
  auto same = std::find_if(x.containers.begin(), x.containers.end(), [&](const ExtraContainer& o) { return o.name == e.name; });
  if (same != x.containers.end())
    report(diag::Kind::DuplicateName, e.span, fmt::format("`{}` names a sidecar and an init container", e.name))
        .note(same->span, "the sidecar is declared here")
        .hint("the containers of a pod need distinct names: rename one");
}

void Checker::lower_mounts(const Value& mounts, const Workload& w, std::vector<size_t>& out) {
  if (mounts.kind != VK::List) return;
  for (const Value& name : *mounts.items) {
    if (name.kind != VK::String) continue;
    auto it = std::find_if(w.volumes.begin(), w.volumes.end(), [&](const Volume& v) { return v.name == name.s; });
    if (it != w.volumes.end()) {
      out.push_back(static_cast<size_t>(it - w.volumes.begin()));
      continue;
    }
    std::vector<std::string_view> names;
    for (const auto& v : w.volumes) names.push_back(v.name);
    auto& d = report(diag::Kind::UndeclaredReference, name.span, fmt::format("`{}` has no volume named `{}`", w.name, name.s));
    if (auto sug = diag::did_you_mean(name.s, names)) d.hint(fmt::format("did you mean `{}`?", *sug));
    else d.hint("declare it on the workload: `volume NAME { at = \"/path\"; ... }`");
  }
}

}  // namespace claw::sema::detail
