#include "runtime/sim/openapi_docs.h"

#include "runtime/sim/openapi_doc.h"
#include "runtime/sim/registry.h"

#include <fmt/format.h>
#include <openssl/evp.h>

#include <cctype>
#include <deque>
#include <set>
#include <utility>

namespace claw::sim {
namespace {

constexpr std::string_view kV2Ref = "#/definitions/";
constexpr std::string_view kV3Ref = "#/components/schemas/";
constexpr std::string_view kParamRef = "#/parameters/";

using Substitutions = std::vector<std::pair<std::string, std::string>>;

std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= s.size()) {
    std::size_t end = s.find(sep, start);
    if (end == std::string_view::npos) end = s.size();
    if (end > start) out.emplace_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

std::string capitalized(std::string s) {
  if (!s.empty()) s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
  return s;
}

// The group's labels without the `.k8s.io` suffix built-in groups carry.
std::vector<std::string> group_labels(std::string_view group) {
  if (group.ends_with(".k8s.io")) group.remove_suffix(7);
  return split(group, '.');
}

// `AppsV1`, `ExampleComV1`: the group-version part of an operationId.
std::string operation_infix(std::string_view group, std::string_view version) {
  std::string out;
  for (const std::string& label : group_labels(group)) out += capitalized(label);
  if (group.empty()) out = "Core";
  return out + capitalized(std::string(version));
}

// `apps_v1`, `exampleCom_v1`: the operations' tag.
std::string operation_tag(std::string_view group, std::string_view version) {
  std::string out;
  for (const std::string& label : group_labels(group)) out += out.empty() ? label : capitalized(label);
  if (group.empty()) out = "core";
  return fmt::format("{}_{}", out, version);
}

// `com.example.v1.Widget`: apiextensions-apiserver names a CRD kind's
// definition after its reversed group (kube-openapi util.ToRESTFriendlyName).
std::string crd_definition_name(const ResourceType& type, std::string_view kind) {
  std::vector<std::string> labels = split(type.group, '.');
  std::string out;
  for (auto it = labels.rbegin(); it != labels.rend(); ++it) out += *it + ".";
  return fmt::format("{}{}.{}", out, type.version, kind);
}

// Replaces, scanning once left to right, the first matching pattern at each
// position (so a replacement is never itself rewritten).
std::string substitute(std::string_view s, const Substitutions& subs) {
  std::string out;
  std::size_t i = 0;
  while (i < s.size()) {
    bool matched = false;
    for (const auto& [from, to] : subs) {
      if (s.substr(i).starts_with(from)) {
        out += to;
        i += from.size();
        matched = true;
        break;
      }
    }
    if (!matched) out += s[i++];
  }
  return out;
}

Json substitute_json(const Json& j, const Substitutions& subs) {
  if (j.is_string()) return substitute(j.get_ref<const std::string&>(), subs);
  if (j.is_array()) {
    Json out = Json::array();
    for (const Json& e : j) out.push_back(substitute_json(e, subs));
    return out;
  }
  if (j.is_object()) {
    Json out = Json::object();
    for (auto it = j.begin(); it != j.end(); ++it) out[substitute(it.key(), subs)] = substitute_json(*it, subs);
    return out;
  }
  return j;
}

// Points every operation's x-kubernetes-group-version-kind of `kind` at the
// CRD's group and version.
void retarget_gvk(Json& j, const ResourceType& type) {
  if (j.is_object()) {
    if (auto g = j.find("x-kubernetes-group-version-kind"); g != j.end() && g->is_object() &&
                                                            g->value("kind", "") == type.kind) {
      (*g)["group"] = type.group;
      (*g)["version"] = type.version;
    }
  }
  if (j.is_structured()) {
    for (Json& e : j) retarget_gvk(e, type);
  }
}

// The kind's schema as apiextensions-apiserver's OpenAPI builder publishes
// it (pkg/controller/openapi/builder/builder.go): the CRD's openAPIV3Schema
// with apiVersion, kind and metadata (a reference to ObjectMeta) filled in,
// tagged with its group-version-kind. The texts come from a built-in kind.
Json crd_kind_schema(const ResourceType& type) {
  const Json& deploy = builtin_definitions().at("io.k8s.api.apps.v1.Deployment").at("properties");
  Json s = type.schema ? type.schema.raw() : Json::object();
  s["type"] = "object";
  s["properties"]["apiVersion"] = deploy.at("apiVersion");
  s["properties"]["kind"] = deploy.at("kind");
  s["properties"]["metadata"] = deploy.at("metadata");
  s["x-kubernetes-group-version-kind"] = Json::array({{{"group", type.group}, {"kind", type.kind}, {"version", type.version}}});
  return s;
}

Json crd_list_schema(const ResourceType& type) {
  Json s = builtin_definitions().at("io.k8s.api.apps.v1.DeploymentList");
  s["description"] = fmt::format("{}List is a list of {}", type.kind, type.kind);
  s["properties"]["items"]["description"] =
      fmt::format("List of {}. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md", type.plural);
  s["properties"]["items"]["items"]["$ref"] = fmt::format("{}{}", kV2Ref, crd_definition_name(type, type.kind));
  s["x-kubernetes-group-version-kind"] = Json::array({{{"group", type.group}, {"kind", type.kind + "List"}, {"version", type.version}}});
  return s;
}

// The REST paths of a CRD version, made from those of a built-in kind of the
// same scope (the operations the generic registry installs are the same for
// every kind): Deployment for namespaced kinds, CustomResourceDefinition for
// cluster-scoped ones.
Json crd_paths(const Registry& registry, const ResourceType& type) {
  const ResourceType* model = type.namespaced ? registry.find("apps", "v1", "deployments")
                                              : registry.find("apiextensions.k8s.io", "v1", "customresourcedefinitions");
  if (model == nullptr) return Json::object();
  std::string model_def(model->schema.definition_name());
  std::string prefix = fmt::format("/apis/{}/{}/", model->group, model->version);
  Substitutions subs = {
      {model_def + "List", crd_definition_name(type, type.kind + "List")},
      {model_def, crd_definition_name(type, type.kind)},
      {prefix, fmt::format("/apis/{}/{}/", type.group, type.version)},
      {operation_infix(model->group, model->version), operation_infix(type.group, type.version)},
      {operation_tag(model->group, model->version), operation_tag(type.group, type.version)},
      {model->kind, type.kind},
      {model->plural, type.plural},
  };
  Json out = Json::object();
  const Json& paths = builtin_openapi().at("paths");
  for (auto it = paths.begin(); it != paths.end(); ++it) {
    if (!it.key().starts_with(prefix)) continue;
    std::vector<std::string> seg = split(it.key(), '/');
    if (std::ranges::find(seg, model->plural) == seg.end()) continue;
    std::string_view last = seg.back();
    if ((last == "status" && !type.has_subresource("status")) || (last == "scale" && !type.has_subresource("scale"))) continue;
    out[substitute(it.key(), subs)] = substitute_json(*it, subs);
  }
  retarget_gvk(out, type);
  return out;
}

// What the CRDs add to the built-in document, in its (v2) form.
struct CrdParts {
  Json paths = Json::object();
  Json definitions = Json::object();
};

CrdParts crd_parts(const Registry& registry) {
  CrdParts parts;
  for (const ApiGroup& group : registry.groups()) {
    for (const std::string& version : group.versions) {
      for (const ResourceType* type : registry.in_group_version(group.name, version)) {
        if (!type->custom) continue;
        parts.definitions[crd_definition_name(*type, type->kind)] = crd_kind_schema(*type);
        parts.definitions[crd_definition_name(*type, type->kind + "List")] = crd_list_schema(*type);
        parts.paths.update(crd_paths(registry, *type));
      }
    }
  }
  return parts;
}

// ---- OpenAPI v2 -> v3 (kube-openapi builder3 and the v2-to-v3 converter)

// A schema with `#/components/schemas/` references; a reference with
// siblings (a description) is wrapped in a one-element allOf, as v3 does.
Json v3_schema(const Json& s) {
  if (s.is_array()) {
    Json out = Json::array();
    for (const Json& e : s) out.push_back(v3_schema(e));
    return out;
  }
  if (!s.is_object()) return s;
  Json out = Json::object();
  std::string ref;
  for (auto it = s.begin(); it != s.end(); ++it) {
    if (it.key() == "$ref" && it->is_string() && it->get_ref<const std::string&>().starts_with(kV2Ref)) {
      ref = fmt::format("{}{}", kV3Ref, it->get_ref<const std::string&>().substr(kV2Ref.size()));
    } else {
      out[it.key()] = v3_schema(*it);
    }
  }
  if (ref.empty()) return out;
  if (out.empty()) return Json{{"$ref", ref}};
  out["allOf"] = Json::array({{{"$ref", ref}}});
  return out;
}

const Json& resolve_parameter(const Json& p) {
  auto ref = p.find("$ref");
  if (ref == p.end() || !ref->is_string()) return p;
  std::string_view r = ref->get_ref<const std::string&>();
  if (!r.starts_with(kParamRef)) return p;
  return builtin_openapi().at("parameters").at(std::string(r.substr(kParamRef.size())));
}

// A non-body v2 parameter, inline: {name, in, description, required, schema}.
Json v3_parameter(const Json& p2) {
  const Json& p = resolve_parameter(p2);
  Json out = {{"name", p.value("name", "")}, {"in", p.value("in", "")}};
  if (p.contains("description")) out["description"] = p["description"];
  if (p.value("required", false)) out["required"] = true;
  Json schema = Json::object();
  for (const char* key : {"type", "format", "uniqueItems", "items"}) {
    if (p.contains(key)) schema[key] = p[key];
  }
  out["schema"] = schema;
  return out;
}

Json v3_content(const Json& types, const Json& schema) {
  Json content = Json::object();
  for (const Json& t : types) content[t.get<std::string>()] = {{"schema", v3_schema(schema)}};
  return content;
}

Json v3_operation(const Json& op) {
  static const Json any = Json::array({"*/*"});
  const Json& consumes = op.contains("consumes") ? op["consumes"] : any;
  const Json& produces = op.contains("produces") ? op["produces"] : any;
  Json out = Json::object();
  for (auto it = op.begin(); it != op.end(); ++it) {
    if (it.key() == "consumes" || it.key() == "produces" || it.key() == "schemes" || it.key() == "parameters" ||
        it.key() == "responses") {
      continue;
    }
    out[it.key()] = *it;
  }
  for (const Json& p2 : op.value("parameters", Json::array())) {
    const Json& p = resolve_parameter(p2);
    if (p.value("in", "") == "body") {
      out["requestBody"] = {{"content", v3_content(consumes, p.value("schema", Json::object()))}};
      if (p.value("required", false)) out["requestBody"]["required"] = true;
    } else {
      out["parameters"].push_back(v3_parameter(p));
    }
  }
  Json responses = Json::object();
  const Json& r2 = op.contains("responses") ? op["responses"] : Json::object();
  for (auto it = r2.begin(); it != r2.end(); ++it) {
    Json r = {{"description", it->value("description", "")}};
    if (it->contains("schema")) r["content"] = v3_content(produces, (*it)["schema"]);
    responses[it.key()] = r;
  }
  out["responses"] = responses;
  return out;
}

Json v3_path(const Json& item) {
  Json out = Json::object();
  for (auto it = item.begin(); it != item.end(); ++it) {
    if (it.key() == "parameters") {
      for (const Json& p : *it) out["parameters"].push_back(v3_parameter(p));
    } else {
      out[it.key()] = v3_operation(*it);
    }
  }
  return out;
}

void collect_refs(const Json& j, std::deque<std::string>& out) {
  if (j.is_object()) {
    if (auto r = j.find("$ref"); r != j.end() && r->is_string()) {
      std::string_view ref = r->get_ref<const std::string&>();
      if (ref.starts_with(kV2Ref)) out.emplace_back(ref.substr(kV2Ref.size()));
    }
  }
  if (j.is_structured()) {
    for (const Json& e : j) collect_refs(e, out);
  }
}

// The definitions `paths` reach, directly or through other definitions.
Json reachable_definitions(const Json& paths, const CrdParts& crds) {
  const Json& defs = builtin_definitions();
  std::deque<std::string> todo;
  collect_refs(paths, todo);
  for (auto it = paths.begin(); it != paths.end(); ++it) {
    for (const Json& op : *it) {
      if (op.is_array()) {
        for (const Json& p : op) collect_refs(resolve_parameter(p), todo);
      } else if (op.is_object()) {
        for (const Json& p : op.value("parameters", Json::array())) collect_refs(resolve_parameter(p), todo);
      }
    }
  }
  Json out = Json::object();
  while (!todo.empty()) {
    std::string name = std::move(todo.front());
    todo.pop_front();
    if (out.contains(name)) continue;
    const Json* def = crds.definitions.contains(name) ? &crds.definitions[name]
                      : defs.contains(name)           ? &defs[name]
                                                      : nullptr;
    if (def == nullptr) continue;
    out[name] = *def;
    collect_refs(*def, todo);
  }
  return out;
}

std::optional<std::pair<std::string, std::string>> parse_group_version(std::string_view path) {
  std::vector<std::string> seg = split(path, '/');
  if (seg.size() == 2 && seg[0] == "api") return std::pair<std::string, std::string>{"", seg[1]};
  if (seg.size() == 3 && seg[0] == "apis") return std::pair<std::string, std::string>{seg[1], seg[2]};
  return std::nullopt;
}

Json v3_document(const Json& paths2, const CrdParts& crds) {
  const Json& base = builtin_openapi();
  Json paths = Json::object();
  for (auto it = paths2.begin(); it != paths2.end(); ++it) paths[it.key()] = v3_path(*it);
  Json schemas = Json::object();
  Json defs = reachable_definitions(paths2, crds);
  for (auto it = defs.begin(); it != defs.end(); ++it) schemas[it.key()] = v3_schema(*it);
  Json security_schemes = base.at("securityDefinitions");
  return {{"openapi", "3.0.0"},
          {"info", base.at("info")},
          {"paths", paths},
          {"components", {{"schemas", schemas}, {"securitySchemes", security_schemes}}}};
}

std::string group_version_path(std::string_view group, std::string_view version) {
  return group.empty() ? fmt::format("api/{}", version) : fmt::format("apis/{}/{}", group, version);
}

std::optional<Json> group_version_document(const Registry& registry, std::string_view path, const CrdParts& crds) {
  auto gv = parse_group_version(path);
  if (!gv || !registry.has_group_version(gv->first, gv->second)) return std::nullopt;
  std::string prefix = fmt::format("/{}/", group_version_path(gv->first, gv->second));
  Json paths2 = Json::object();
  const Json& builtin_paths = builtin_openapi().at("paths");
  for (const Json* source : {&builtin_paths, &crds.paths}) {
    for (auto it = source->begin(); it != source->end(); ++it) {
      if (it.key().starts_with(prefix)) paths2[it.key()] = *it;
    }
  }
  return v3_document(paths2, crds);
}

}  // namespace

Json openapi_v2(const Registry& registry) {
  Json doc = builtin_openapi();
  CrdParts crds = crd_parts(registry);
  doc["paths"].update(crds.paths);
  doc["definitions"].update(crds.definitions);
  return doc;
}

std::string openapi_v3_hash(const Json& document) {
  std::string text = document.dump();
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(text.data(), text.size(), digest, &size, EVP_sha512(), nullptr);
  std::string hex;
  for (unsigned int i = 0; i < size; ++i) hex += fmt::format("{:02X}", digest[i]);
  return hex;
}

Json openapi_v3_index(const Registry& registry) {
  CrdParts crds = crd_parts(registry);
  Json paths = Json::object();
  for (const ApiGroup& group : registry.groups()) {
    for (const std::string& version : group.versions) {
      std::string path = group_version_path(group.name, version);
      std::optional<Json> doc = group_version_document(registry, path, crds);
      if (!doc) continue;
      paths[path] = {{"serverRelativeURL", fmt::format("/openapi/v3/{}?hash={}", path, openapi_v3_hash(*doc))}};
    }
  }
  return {{"paths", paths}};
}

std::optional<Json> openapi_v3_group_version(const Registry& registry, std::string_view path) {
  return group_version_document(registry, path, crd_parts(registry));
}

}  // namespace claw::sim
