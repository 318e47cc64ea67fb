#include "compiler/emit/secret_objects.h"

#include "compiler/emit/manifests.h"
#include "compiler/emit/tree_json.h"
#include "compiler/emit/values.h"
#include "compiler/sema/object_names.h"

namespace claw::emit {

namespace {

Object secret_object(const sema::Model& model, Origin origin, const std::string& namespace_, const std::string& name,
                     source::Span span) {
  Object o;
  o.ref = {"", "v1", "Secret", namespace_, name};
  o.origin = origin;
  o.owner = name;
  o.span = span;
  Tree& y = o.body;
  y.begin_map();
  y.str("apiVersion", "v1");
  y.str("kind", "Secret");
  y.begin_map("metadata");
  y.begin_map("labels");
  const yaml::Node labels = managed_labels(model, name);
  for (const auto& [k, v] : labels.entries) {
    y.key(k);
    y.str(v.scalar);
  }
  y.end_map();
  y.str("name", name);
  y.str("namespace", namespace_);
  y.end_map();
  y.str("type", "Opaque");
  y.end_map();
  o.secret.emplace();
  return o;
}

}  // namespace

std::set<std::string> secret_namespaces(const sema::Secret& s, const std::vector<sema::SecretReader>& readers) {
  std::set<std::string> namespaces;
  if (s.namespace_written) namespaces.insert(s.namespace_);
  for (const auto& r : readers)
    if (r.workload) namespaces.insert(r.workload->namespace_);
  return namespaces;
}

std::vector<Object> secret_objects(const sema::Model& model, const std::vector<sema::Chart>& charts) {
  std::vector<Object> out;
  const auto readers = sema::secret_readers(model);
  for (const auto& s : model.secrets)
    for (const auto& ns : secret_namespaces(s, readers[s.id.value])) {
      Object& o = out.emplace_back(secret_object(model, Origin::Secret, ns, s.name, s.span));
      o.secret->items.push_back({s.key, s.env, s.file, s.name, s.span});
    }
  for (const auto& c : charts) {
    auto paths = values_secrets(c);
    if (paths.empty()) continue;
    Object& o = out.emplace_back(
        secret_object(model, Origin::ValuesSecret, std::string(sema::kHelmChartNamespace), values_secret_name(c), c.span));
    o.owner = c.name;
    for (const auto& p : paths) o.secret->chart_values.emplace_back(p.dotted(), p.secret);
    for (const auto& l : values_secret_lists(c)) o.secret->chart_lists.emplace_back(l.dotted(), to_json(yaml::tree_of(l.value)).dump());
  }
  return out;
}

}  // namespace claw::emit
