// A workload's `patch`: the fields of its pod spec, container and
// controller object that claw does not model, checked against the official
// Kubernetes schema (k8s/openapi.h) as partial objects, and kept in the
// model for the emitters to merge (emit/patch.h).
#include <fmt/format.h>

#include "compiler/sema/checker.h"
#include "compiler/sema/k8s_schema_check.h"
#include "compiler/sema/object_names.h"

namespace claw::sema::detail {

void Checker::lower_patch(const Value& v, Workload& w) {
  WorkloadPatch p{v.field("pod"), v.field("container"), v.field("object"), v.span};
  if (p.pod.is_null() && p.container.is_null() && p.object.is_null()) return;
  const k8s::OpenApi* api = openapi(v.span);
  if (!api) return;
  std::string_view kind = controller_kind(w);
  struct Part {
    const Value& value;
    const k8s::SchemaDef* def;
    std::string_view where;
  };
  const k8s::SchemaKind* controller = api->kind(kind == "Job" || kind == "CronJob" ? "batch/v1" : "apps/v1", kind);
  const Part parts[] = {
      {p.pod, api->def("io.k8s.api.core.v1.PodSpec"), "patch.pod"},
      {p.container, api->def("io.k8s.api.core.v1.Container"), "patch.container"},
      {p.object, controller ? controller->def : nullptr, "patch.object"},
  };
  for (const Part& part : parts) {
    if (part.value.is_null() || part.value.bad() || !part.def) continue;
    if (part.value.kind != Value::Kind::Map) {
      report(diag::Kind::TypeMismatch, part.value.span, fmt::format("`{}` takes a block of fields", part.where));
      continue;
    }
    check_k8s_fields(part.value, *part.def, part.value.span, part.where, false, *sink_);
  }
  w.patch = std::make_shared<const WorkloadPatch>(std::move(p));
}

}  // namespace claw::sema::detail

namespace claw::sema::detail {

void Checker::hint_patch_field(diag::Diagnostic& d, std::string_view key, const RecordDef& rec) {
  const RecordDef* r = &rec;
  while (r && r->name != "workload") r = r->parent;
  if (!r) return;
  std::string error;
  const k8s::OpenApi* api = k8s::OpenApi::load(program_.k8s_schema, error);
  if (!api) return;
  struct Part {
    const char* def;
    const char* what;
    const char* block;
  };
  static constexpr Part kParts[] = {
      {"io.k8s.api.core.v1.PodSpec", "the pod spec", "pod"},
      {"io.k8s.api.core.v1.Container", "the container", "container"},
  };
  for (const auto& p : kParts)
    if (const k8s::SchemaDef* def = api->def(p.def); def && def->field(key)) {
      d.hint(fmt::format("`{}` is a Kubernetes field of {}, which claw does not model: set it with `patch {{ {} {{ {} = ... }} }}`",
                         key, p.what, p.block, key));
      return;
    }
}

}  // namespace claw::sema::detail
