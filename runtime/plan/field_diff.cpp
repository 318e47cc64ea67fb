#include "runtime/plan/field_diff.h"

#include "runtime/plan/field_rules.h"

#include <array>
#include <map>
#include <set>

namespace claw::plan {
namespace {

using nlohmann::json;

// Fields the API server sets itself, never a change claw makes. ObjectMeta's
// uid, resourceVersion, generation, creationTimestamp, selfLink and
// managedFields are "Populated by the system. Read-only." (k8s.io/apimachinery
// pkg/apis/meta/v1 types.go); `status` is written by controllers through the
// status subresource (API conventions, "Spec and Status"); the revision
// annotation is the Deployment controller's (pkg/controller/deployment/util
// deployment_util.go RevisionAnnotation).
constexpr std::array<std::array<std::string_view, 3>, 8> kServerSet = {{
    {"status", "", ""},
    {"metadata", "managedFields", ""},
    {"metadata", "resourceVersion", ""},
    {"metadata", "generation", ""},
    {"metadata", "uid", ""},
    {"metadata", "creationTimestamp", ""},
    {"metadata", "selfLink", ""},
    {"metadata", "annotations", "deployment.kubernetes.io/revision"},
}};

// kubectl's client-side apply copy of the whole object (a Secret's values
// included): k8s.io/api core/v1 annotation_key_constants.go LastAppliedConfigAnnotation.
constexpr std::string_view kLastApplied = "kubectl.kubernetes.io/last-applied-configuration";

bool is_field(const PathElement& e, std::string_view name) {
  return e.kind == PathElement::Kind::field && e.name == name;
}

bool server_set(const FieldPath& path) {
  for (const auto& entry : kServerSet) {
    std::size_t n = entry[2].empty() ? (entry[1].empty() ? 1 : 2) : 3;
    if (path.size() != n) continue;
    bool match = true;
    for (std::size_t i = 0; i < n; ++i) match = match && is_field(path[i], entry[i]);
    if (match) return true;
  }
  return false;
}

// Whether the value at `path` of a Secret is secret.
bool sensitive(const FieldPath& path) {
  if (!path.empty() && (is_field(path[0], "data") || is_field(path[0], "stringData"))) return true;
  return path.size() == 3 && is_field(path[0], "metadata") && is_field(path[1], "annotations") &&
         is_field(path[2], kLastApplied);
}

// A sensitive value as shown: a map keeps its keys, every value hidden.
json redacted(const json& value) {
  if (!value.is_object()) return std::string(kSensitive);
  json out = json::object();
  for (const auto& [k, v] : value.items()) out[k] = std::string(kSensitive);
  return out;
}

// A Secret's value at `path` as shown: hidden where sensitive, and a map
// holding sensitive fields (a whole `metadata` added) hides them inside.
json shown(FieldPath& path, const json& value) {
  if (sensitive(path)) return redacted(value);
  if (!value.is_object()) return value;
  json out = json::object();
  for (const auto& [k, v] : value.items()) {
    path.push_back(PathElement{PathElement::Kind::field, k, nullptr, 0});
    out[k] = shown(path, v);
    path.pop_back();
  }
  return out;
}

bool is_secret(std::string_view api_version, std::string_view kind) {
  return is_core_secret(api_group(api_version), kind);
}

struct Walk {
  const KindRules* rules = nullptr;
  bool secret = false;
  std::vector<FieldChange>* out = nullptr;
};

// `value` at `path` without the server-set fields inside it (a whole
// `metadata.annotations` added); nullopt when a map held nothing else.
std::optional<json> settable(FieldPath& path, const json& value) {
  if (!value.is_object() || value.empty() || path.size() >= 3) return value;
  json out = json::object();
  for (const auto& [k, v] : value.items()) {
    path.push_back(PathElement{PathElement::Kind::field, k, nullptr, 0});
    if (!server_set(path)) {
      if (std::optional<json> kept = settable(path, v)) out[k] = std::move(*kept);
    }
    path.pop_back();
  }
  if (out.empty()) return std::nullopt;
  return out;
}

void emit(const Walk& w, const FieldPath& path, const json* before, const json* after) {
  FieldChange c{path, std::nullopt, std::nullopt};
  if (before != nullptr) c.before = settable(c.path, *before);
  if (after != nullptr) c.after = settable(c.path, *after);
  if (!c.before && !c.after) return;
  if (w.secret && c.before) c.before = shown(c.path, *c.before);
  if (w.secret && c.after) c.after = shown(c.path, *c.after);
  w.out->push_back(std::move(c));
}

std::string member_path(const std::string& parent, const std::string& name) {
  return parent.empty() ? name : parent + "." + name;
}

void walk(const Walk& w, const json* before, const json* after, FieldPath& path, const std::string& schema,
          ScalarRule rule);

void walk_object(const Walk& w, const json& before, const json& after, FieldPath& path, const std::string& schema) {
  std::set<std::string> names;
  for (const auto& [k, v] : before.items()) names.insert(k);
  for (const auto& [k, v] : after.items()) names.insert(k);
  for (const std::string& name : names) {
    auto b = before.find(name);
    auto a = after.find(name);
    path.push_back(PathElement{PathElement::Kind::field, name, nullptr, 0});
    if (!server_set(path)) {
      walk(w, b == before.end() ? nullptr : &*b, a == after.end() ? nullptr : &*a, path, member_path(schema, name),
           scalar_rule(*w.rules, schema, name));
    }
    path.pop_back();
  }
}

// Items of a map-type list by key; empty when a key is missing or repeated,
// and the list is then compared by position.
std::map<std::string, std::size_t> by_key(const ListRule& rule, const json& list, bool& ok) {
  std::map<std::string, std::size_t> out;
  for (std::size_t i = 0; i < list.size() && ok; ++i) {
    json key = item_key(rule, list[i]);
    ok = !key.is_null() && out.emplace(key.dump(), i).second;
  }
  return out;
}

void walk_atomic(const Walk& w, const json& before, const json& after, FieldPath& path, const std::string& schema) {
  for (std::size_t i = 0; i < std::max(before.size(), after.size()); ++i) {
    path.push_back(PathElement{PathElement::Kind::index, "", nullptr, i});
    walk(w, i < before.size() ? &before[i] : nullptr, i < after.size() ? &after[i] : nullptr, path, schema + "[]",
         ScalarRule::exact);
    path.pop_back();
  }
}

// The keys, in order, of the items of `list` that the other list also has.
json common_keys(const ListRule& rule, const json& list, const std::map<std::string, std::size_t>& other) {
  json keys = json::array();
  for (const json& item : list) {
    json key = item_key(rule, item);
    if (other.contains(key.dump())) keys.push_back(std::move(key));
  }
  return keys;
}

// Items that both lists hold but in another order are a change of the list
// itself (a reordered container list changes the pod template): one change
// at the list, its values the item keys in order.
void report_order(const Walk& w, const ListRule& rule, const json& before, const json& after,
                  const std::map<std::string, std::size_t>& b_keys, const std::map<std::string, std::size_t>& a_keys,
                  const FieldPath& path) {
  json b = common_keys(rule, before, a_keys), a = common_keys(rule, after, b_keys);
  if (b != a) emit(w, path, &b, &a);
}

bool walk_keyed(const Walk& w, const ListRule& rule, const json& before, const json& after, FieldPath& path,
                const std::string& schema) {
  bool ok = true;
  auto b_keys = by_key(rule, before, ok);
  auto a_keys = by_key(rule, after, ok);
  if (!ok) return false;
  auto visit = [&](const json* b, const json* a, const json& item) {
    path.push_back(PathElement{PathElement::Kind::key, "", item_key(rule, item), 0});
    walk(w, b, a, path, schema + "[]", ScalarRule::exact);
    path.pop_back();
  };
  report_order(w, rule, before, after, b_keys, a_keys, path);
  for (const json& item : before) {
    auto it = a_keys.find(item_key(rule, item).dump());
    visit(&item, it == a_keys.end() ? nullptr : &after[it->second], item);
  }
  for (const json& item : after) {
    if (!b_keys.contains(item_key(rule, item).dump())) visit(nullptr, &item, item);
  }
  return true;
}

void walk_set(const Walk& w, const json& before, const json& after, FieldPath& path) {
  auto contains = [](const json& list, const json& v) {
    for (const json& x : list)
      if (x == v) return true;
    return false;
  };
  auto visit = [&](const json* b, const json* a) {
    path.push_back(PathElement{PathElement::Kind::value, "", b != nullptr ? *b : *a, 0});
    emit(w, path, b, a);
    path.pop_back();
  };
  for (const json& v : before)
    if (!contains(after, v)) visit(&v, nullptr);
  for (const json& v : after)
    if (!contains(before, v)) visit(nullptr, &v);
}

void walk_list(const Walk& w, const json& before, const json& after, FieldPath& path, const std::string& schema) {
  const ListRule& rule = list_rule(*w.rules, schema);
  if (rule.type == ListType::set) return walk_set(w, before, after, path);
  if (rule.type == ListType::map && walk_keyed(w, rule, before, after, path, schema)) return;
  walk_atomic(w, before, after, path, schema);
}

void walk(const Walk& w, const json* before, const json* after, FieldPath& path, const std::string& schema,
          ScalarRule rule) {
  if (before == nullptr || after == nullptr) {
    if (before != after) emit(w, path, before, after);
    return;
  }
  if (before->is_object() && after->is_object()) return walk_object(w, *before, *after, path, schema);
  if (before->is_array() && after->is_array()) return walk_list(w, *before, *after, path, schema);
  if (!same_scalar(rule, *before, *after)) emit(w, path, before, after);
}

bool identifier(const std::string& name) {
  if (name.empty() || (name[0] >= '0' && name[0] <= '9')) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string scalar_text(const json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

std::string string_member(const json& object, const char* key) {
  if (!object.is_object()) return {};
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

std::string render_path(const FieldPath& path) {
  std::string out;
  for (const PathElement& e : path) {
    switch (e.kind) {
      case PathElement::Kind::field:
        if (identifier(e.name)) {
          if (!out.empty()) out += '.';
          out += e.name;
        } else {
          out += '[';
          out += json(e.name).dump();
          out += ']';
        }
        break;
      case PathElement::Kind::key: {
        out += '[';
        bool first = true;
        for (const auto& [k, v] : e.json.items()) {
          if (!first) out += ',';
          first = false;
          out += k;
          out += '=';
          out += scalar_text(v);
        }
        out += ']';
        break;
      }
      case PathElement::Kind::value:
        out += "[=";
        out += scalar_text(e.json);
        out += ']';
        break;
      case PathElement::Kind::index:
        out += '[';
        out += std::to_string(e.index);
        out += ']';
        break;
    }
  }
  return out;
}

std::vector<FieldChange> diff(const json& before, const json& after) {
  std::vector<FieldChange> out;
  const json& typed = after.is_object() ? after : before;
  std::string api_version = string_member(typed, "apiVersion"), kind = string_member(typed, "kind");
  Walk w{&kind_rules(api_group(api_version), kind), is_secret(api_version, kind), &out};
  // An object that changed kind is all secret if either side is a Secret.
  w.secret = w.secret || is_secret(string_member(before, "apiVersion"), string_member(before, "kind"));
  FieldPath path;
  walk(w, &before, &after, path, "", ScalarRule::exact);
  return out;
}

json secret_shown(FieldPath path, const json& value) { return shown(path, value); }

void redact_sensitive(std::string_view api_version, std::string_view kind, std::vector<FieldChange>& changes) {
  if (!is_secret(api_version, kind)) return;
  for (FieldChange& c : changes) {
    if (c.before) c.before = shown(c.path, *c.before);
    if (c.after) c.after = shown(c.path, *c.after);
  }
}

}  // namespace claw::plan
