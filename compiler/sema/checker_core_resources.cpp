// `resource` declarations of core Kubernetes kinds (ConfigMap, Role,
// ServiceAccount, ...): their block's keys other than the `resource`
// record's fields are the object's own top-level fields (`data`, `rules`),
// and the whole body is held to the official schema (k8s/openapi.h), which
// also says whether the kind lives in a namespace.
#include <fmt/format.h>

#include "compiler/sema/checker.h"
#include "compiler/sema/k8s_schema_check.h"

namespace claw::sema::detail {

namespace {

using VK = Value::Kind;

// The top-level fields claw writes itself, from the record's own fields.
bool claw_writes(std::string_view field) { return field == "apiVersion" || field == "kind" || field == "metadata"; }

bool empty_map(const Value& v) { return v.kind == VK::Map && (!v.items || v.items->empty()); }

}  // namespace

void Checker::open_resource_schema() {
  // The stdlib's `resource` type names its open field `fields`; a stdlib
  // without one keeps resources closed (every other key unknown).
  if (const RecordDef* rec = schema_for(syntax::DeclKind::Resource)) {
    int at = rec->find("fields");
    if (at >= 0 && rec->fields[static_cast<size_t>(at)].type->kind == TypeKind::Map)
      const_cast<RecordDef*>(rec)->rest = at;  // the tables own it; only its schema flag changes
  }
}

const k8s::OpenApi* Checker::openapi(Span at) {
  std::string error;
  const k8s::OpenApi* api = k8s::OpenApi::load(program_.k8s_schema, error);
  if (!api)
    report(diag::Kind::FileUnreadable, at,
           fmt::format("the Kubernetes schema `{}` cannot be read: {}", program_.k8s_schema, error))
        .hint("it ships with claw, in the stdlib folder as k8s/openapi.json; reinstall claw or set CLAW_STDLIB");
  return api;
}

void Checker::check_core_resource(CustomResource& r, const Value& v) {
  if (r.type != "resource" || !k8s::may_be_core_api(r.api_version)) return;
  // Names already refused (checker_names.cpp) are not looked up.
  if (!k8s::kApiVersion.problem(r.api_version).empty() || !k8s::kKind.problem(r.kind).empty()) return;
  const k8s::OpenApi* api = openapi(r.span);
  if (!api) return;
  const k8s::SchemaKind* kind = api->kind(r.api_version, r.kind);
  // A group the schema does not serve is a custom resource's (Gateway
  // API's gateway.networking.k8s.io, snapshot.storage.k8s.io): as written.
  if (!kind && !api->serves(r.api_version)) return;
  if (!kind) {
    // A core kind under another apiVersion (`v1` Deployment) is a slip; any
    // other kind in a core group is one the API does not serve.
    auto& d = report(diag::Kind::UnknownType, v.field("kind").span,
                     fmt::format("Kubernetes serves no kind `{}` in `{}`", r.kind, r.api_version));
    if (const k8s::SchemaKind* elsewhere = api->stable_kind(r.kind))
      d.hint(fmt::format("`{}` is in `{}`: write `api = \"{}\"`", r.kind, elsewhere->api_version, elsewhere->api_version));
    return;
  }
  const k8s::SchemaDef& def = *kind->def;
  r.namespaced = kind->namespaced;
  if (!r.namespaced) {
    if (const Value& ns = v.field("namespace"); ns.kind == VK::String)
      report(diag::Kind::UnknownField, ns.span, fmt::format("`{}` is cluster-scoped: it takes no namespace", r.kind))
          .hint("remove `namespace`");
    r.namespace_.clear();
  }
  const Value& fields = r.fields;
  if (fields.kind == VK::Map)
    for (size_t i = 0; i < fields.keys->size(); ++i)
      if (claw_writes((*fields.keys)[i]))
        report(diag::Kind::UnknownField, (*fields.key_spans)[i],
               fmt::format("`{}` is written by claw from the resource's own fields", (*fields.keys)[i]))
            .hint("set `api`, `kind`, `namespace`, `labels` and `annotations` instead");
  // The object's fields, claw's own left out (reported above).
  Value own = fields;
  if (fields.kind == VK::Map) {
    own.keys = std::make_shared<std::vector<std::string>>();
    own.items = std::make_shared<std::vector<Value>>();
    own.key_spans = std::make_shared<std::vector<Span>>();
    for (size_t i = 0; i < fields.keys->size(); ++i)
      if (!claw_writes((*fields.keys)[i])) {
        own.keys->push_back((*fields.keys)[i]);
        own.items->push_back((*fields.items)[i]);
        own.key_spans->push_back((*fields.key_spans)[i]);
      }
    check_k8s_fields(own, def, r.span, r.kind, false, *sink_);
  }
  // `spec` is a field of the record: held to the kind's spec, or refused
  // (unless empty, as the record's default is) by a kind without one.
  if (const k8s::SchemaType* spec = def.field("spec")) {
    check_k8s_value(r.spec, *spec, fmt::format("{}.spec", r.kind), true, *sink_);
  } else if (!r.spec.is_null() && !empty_map(r.spec)) {
    std::string own_fields;
    for (const auto& [name, _] : def.fields)
      if (!claw_writes(name)) own_fields += (own_fields.empty() ? "`" : ", `") + name + "`";
    report(diag::Kind::UnknownField, r.spec.span, fmt::format("`{}` has no `spec`", r.kind))
        .hint(fmt::format("write its fields ({}) directly in the resource block", own_fields));
  }
  if (!def.field("spec")) r.spec = Value();
  for (const auto& req : def.required) {
    if (claw_writes(req) || (req == "spec" && !r.spec.is_null())) continue;
    if (own.kind != VK::Map || !own.entry(req))
      report(diag::Kind::MissingField, r.span,
             fmt::format("missing field `{}` in resource `{}`: the Kubernetes schema requires it of a `{}`", req, r.name, r.kind));
  }
}

}  // namespace claw::sema::detail
