#include "compiler/emit/resources.h"

#include <fmt/format.h>

#include "compiler/emit/manifest_files.h"
#include "compiler/emit/manifests.h"
#include "compiler/emit/output_paths.h"
#include "compiler/emit/values.h"
#include "compiler/emit/yaml_doc.h"

namespace claw::emit {

namespace {

yaml::Node string_map(const std::map<std::string, std::string>& m) {
  yaml::Node out = yaml::map_node();
  for (const auto& [k, v] : m) out[k] = yaml::str(v);
  return out;
}

}  // namespace

Object resource_object(const sema::Model& model, const sema::CustomResource& r) {
  // The declaration's labels, then claw's, which win on a clash.
  yaml::Node labels = string_map(r.labels);
  yaml::Node managed = managed_labels(model, r.name);
  for (auto& [k, v] : managed.entries) labels[k] = std::move(v);

  yaml::Node o = yaml::map_node();
  o["apiVersion"] = yaml::str(r.api_version);
  o["kind"] = yaml::str(r.kind);
  yaml::Node meta = yaml::map_node();
  if (!r.annotations.empty()) meta["annotations"] = string_map(r.annotations);
  meta["labels"] = labels;
  meta["name"] = yaml::str(r.name);
  if (r.namespaced) meta["namespace"] = yaml::str(r.namespace_);
  o["metadata"] = meta;
  if (!r.spec.is_null()) o["spec"] = value_node(r.spec);
  if (r.fields.kind == sema::Value::Kind::Map)
    for (size_t i = 0; i < r.fields.keys->size(); ++i) o[(*r.fields.keys)[i]] = value_node((*r.fields.items)[i]);
  Object out;
  auto [group, version] = split_api_version(r.api_version);
  out.ref = {std::move(group), std::move(version), r.kind, r.namespaced ? r.namespace_ : std::string(), r.name};
  out.origin = Origin::Resource;
  out.owner = r.name;
  out.span = r.span;
  out.body = yaml::tree_of(o);
  return out;
}

std::string resource_yaml(const sema::Model& model, const sema::CustomResource& r, const Where& where) {
  std::string text;
  Object o = resource_object(model, r);
  append_manifest(text, std::span<const Object>(&o, 1), where);
  return text;
}

std::map<std::string, std::string> resource_manifests(const sema::Model& model, const Where& where) {
  std::vector<Object> objects;
  for (const auto& r : model.resources) objects.push_back(resource_object(model, r));
  return manifest_files(objects, where);
}

}  // namespace claw::emit
