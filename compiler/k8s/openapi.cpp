#include "compiler/k8s/openapi.h"

#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>

namespace claw::k8s {

namespace {

using json = nlohmann::json;

SchemaType::Kind scalar_kind(std::string_view name, bool& ok) {
  using K = SchemaType::Kind;
  ok = true;
  if (name == "string") return K::String;
  if (name == "integer") return K::Integer;
  if (name == "number") return K::Number;
  if (name == "boolean") return K::Boolean;
  if (name == "int-or-string") return K::IntOrString;
  if (name == "quantity") return K::Quantity;
  if (name == "any") return K::Any;
  ok = false;
  return K::Any;
}

}  // namespace

const SchemaType* SchemaDef::field(std::string_view field_name) const {
  auto it = fields.find(field_name);
  return it == fields.end() ? nullptr : &it->second;
}

std::string_view SchemaDef::short_name() const {
  std::string_view n = name;
  size_t dot = n.rfind('.');
  return dot == std::string_view::npos ? n : n.substr(dot + 1);
}

std::unique_ptr<OpenApi> OpenApi::parse(std::string_view text, std::string& error) {
  auto out = std::make_unique<OpenApi>();
  json doc = json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("defs") || !doc.contains("kinds")) {
    error = "not a compact Kubernetes schema";
    return nullptr;
  }
  // Every type first, so that fields can point at any of them.
  for (const auto& [name, d] : doc["defs"].items()) out->defs_[name].name = name;
  OpenApi& api = *out;
  // Reads one TYPE (see openapi_compact.py) into t.
  auto read = [&](auto& self, const json& j, SchemaType& t) -> bool {
    using K = SchemaType::Kind;
    if (j.is_string()) {
      const std::string& s = j.get_ref<const std::string&>();
      if (s.starts_with("#")) {
        auto it = api.defs_.find(s.substr(1));
        if (it == api.defs_.end()) return false;
        t.kind = K::Object;
        t.def = &it->second;
        return true;
      }
      bool ok = false;
      t.kind = scalar_kind(s, ok);
      return ok;
    }
    if (!j.is_object()) return false;
    bool list = j.contains("list");
    if (!list && !j.contains("map")) return false;
    t.kind = list ? K::List : K::Map;
    SchemaType& elem = api.elems_.emplace_back();
    if (!self(self, j[list ? "list" : "map"], elem)) return false;
    t.elem = &elem;
    if (list && j.contains("key") && j["key"].is_string()) t.merge_key = j["key"].get<std::string>();
    return true;
  };
  for (const auto& [name, d] : doc["defs"].items()) {
    SchemaDef& def = out->defs_[name];
    if (!d.is_object() || !d.contains("p") || !d["p"].is_object()) {
      error = "a type without fields: " + name;
      return nullptr;
    }
    for (const auto& [field, t] : d["p"].items())
      if (!read(read, t, def.fields[field])) {
        error = "an unreadable type at " + name + "." + field;
        return nullptr;
      }
    if (d.contains("r"))
      for (const auto& r : d["r"])
        if (r.is_string()) def.required.push_back(r.get<std::string>());
  }
  for (const auto& k : doc["kinds"]) {
    if (!k.is_array() || k.size() != 4 || !k[0].is_string() || !k[1].is_string() || !k[2].is_string() || !k[3].is_boolean()) {
      error = "an unreadable kind";
      return nullptr;
    }
    const SchemaDef* def = out->def(k[2].get<std::string>());
    if (!def) {
      error = "a kind without its type: " + k[1].get<std::string>();
      return nullptr;
    }
    out->kinds_.push_back({k[0].get<std::string>(), k[1].get<std::string>(), def, k[3].get<bool>()});
  }
  return out;
}

const OpenApi* OpenApi::load(const std::string& path, std::string& error) {
  // One schema per process (claw reads one stdlib): loaded by the first
  // checker thread that needs it, then read by all.
  static std::mutex mu;
  static std::map<std::string, std::unique_ptr<OpenApi>> loaded;
  static std::map<std::string, std::string> failed;
  std::lock_guard lock(mu);
  if (auto it = loaded.find(path); it != loaded.end()) return it->second.get();
  if (auto it = failed.find(path); it != failed.end()) {
    error = it->second;
    return nullptr;
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  if (in) text << in.rdbuf();
  std::unique_ptr<OpenApi> api;
  if (!in) error = "cannot read it";
  else api = parse(text.str(), error);
  if (!api) {
    failed[path] = error;
    return nullptr;
  }
  return loaded.emplace(path, std::move(api)).first->second.get();
}

const SchemaKind* OpenApi::kind(std::string_view api_version, std::string_view kind) const {
  for (const auto& k : kinds_)
    if (k.kind == kind && k.api_version == api_version) return &k;
  return nullptr;
}

const SchemaKind* OpenApi::stable_kind(std::string_view kind) const {
  // Kinds are sorted by apiVersion: the last stable one is the newest (v2 after v1).
  const SchemaKind* found = nullptr;
  for (const auto& k : kinds_)
    if (k.kind == kind && k.api_version.find("alpha") == std::string::npos && k.api_version.find("beta") == std::string::npos)
      found = &k;
  return found;
}

bool OpenApi::serves(std::string_view api_version) const {
  for (const auto& k : kinds_)
    if (k.api_version == api_version) return true;
  return false;
}

const SchemaDef* OpenApi::def(std::string_view name) const {
  auto it = defs_.find(std::string(name));
  return it == defs_.end() ? nullptr : &it->second;
}

std::string openapi_path(std::string_view stdlib_dir) {
  std::string out(stdlib_dir);
  if (!out.empty() && out.back() != '/') out += '/';
  return out + "k8s/openapi.json";
}

bool may_be_core_api(std::string_view api_version) {
  size_t slash = api_version.find('/');
  if (slash == std::string_view::npos) return true;
  std::string_view group = api_version.substr(0, slash);
  return group.find('.') == std::string_view::npos || group.ends_with(".k8s.io");
}

}  // namespace claw::k8s
