// Lowering `resource` declarations (custom resources: ServiceMonitor,
// HelmChart, ...) into the model, with the checks only they need: valid
// names, kinds, label and annotation keys (checker_names.cpp), no secrets in the spec (a custom resource is
// written out whole, so there is nowhere to leave a secret's value out), and
// no HelmChart that a chart's own HelmChart would overwrite.
#include <fmt/format.h>

#include "compiler/sema/checker.h"
#include "compiler/sema/lower_read.h"

namespace claw::sema::detail {

namespace {

using VK = Value::Kind;

using read::string_map;

// Every secret reference in a value tree, in source order.
void collect_secrets(const Value& v, std::vector<const Value*>& out) {
  if (v.kind == VK::SecretRef) {
    out.push_back(&v);
    return;
  }
  if ((v.kind == VK::List || v.kind == VK::Map || v.kind == VK::Record) && v.items)
    for (const Value& item : *v.items) collect_secrets(item, out);
}

}  // namespace

void Checker::lower_resource(const DeclInfo& info, Model& m) {
  const Value& v = info.value;
  CustomResource r;
  r.name = info.item->name.text;
  r.span = info.item->name.span;
  r.type = info.item->source ? info.item->source->text : "resource";
  if (v.kind == VK::Record) {
    auto text = [](const Value& x) { return x.kind == VK::String ? x.s : std::string(); };
    r.api_version = text(v.field("api"));
    r.kind = text(v.field("kind"));
    const Value& ns = v.field("namespace");
    r.namespace_ = ns.kind == VK::String ? ns.s : tables_.default_namespace;
    check_resource_values(r, v);
    r.labels = string_map(v.field("labels"));
    r.annotations = string_map(v.field("annotations"));
    r.spec = v.field("spec");
    if (const Value& f = v.field("fields"); f.kind == VK::Map && f.items && !f.items->empty()) r.fields = f;
    check_core_resource(r, v);
    std::vector<const Value*> secrets;
    collect_secrets(r.fields, secrets);
    collect_secrets(r.spec, secrets);
    // Every chart is installed as a HelmChart of its own name in kube-system.
    if (r.kind == "HelmChart" && r.api_version.starts_with("helm.cattle.io/") && r.namespace_ == "kube-system")
      if (auto it = tables_.chart_names.find(r.name); it != tables_.chart_names.end())
        report(diag::Kind::DuplicateName, r.span,
               fmt::format("resource `{0}` and chart `{0}` would both be HelmChart `kube-system/{0}`", r.name))
            .note(tables_.charts[it->second].item->name.span, "the chart is declared here")
            .hint("rename the resource; a chart already becomes a HelmChart object");
    for (const Value* s : secrets)
      report(diag::Kind::InlineSecret, s->span,
             fmt::format("secret `{}` cannot go into resource `{}`: the whole object is written to the manifest", s->s, r.name))
          .hint(fmt::format("refer to the Kubernetes Secret by name where the kind takes one, e.g. `{{ name = \"{}\"; key = \"value\" }}`", s->s));
  }
  m.resources.push_back(std::move(r));
}

}  // namespace claw::sema::detail
