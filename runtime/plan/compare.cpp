// Sources: server-side apply semantics, kubernetes.io/docs/reference/
// using-api/server-side-apply/ ("Field management": a field changed by an
// Update moves to that manager; an applier's fields it no longer sends are
// removed, "Merge strategy" for list types); the list keys and quantities
// of field_rules.cpp; core/v1 Secret (`stringData` "is merged into the
// data field on write ... never output when reading from the API").
#include "runtime/plan/compare.h"

#include "runtime/plan/field_rules.h"
#include "runtime/plan/fields_v1.h"

#include <map>
#include <string>
#include <vector>

namespace claw::plan {
namespace {

using nlohmann::json;
using Steps = std::vector<std::string>;

// What a walk knows about the object: its type, for the schema tables, and
// the paths claw's last apply owns (nullptr: compare values exactly).
struct Walk {
  std::string group, kind;
  const FieldSet* owned = nullptr;
};

std::string member_path(const std::string& parent, const std::string& name) {
  return parent.empty() ? name : parent + "." + name;
}

bool covers(const Walk& w, const json& declared, const json& live, const std::string& path, ScalarRule rule,
            Steps& steps);

// Whether `a` and `b` are equal up to canonical forms (both directions).
bool equal(const Walk& w, const json& a, const json& b, const std::string& path, ScalarRule rule) {
  Walk exact{w.group, w.kind, nullptr};
  Steps steps;
  return covers(exact, a, b, path, rule, steps) && covers(exact, b, a, path, rule, steps);
}

bool covers_object(const Walk& w, const json& declared, const json& live, const std::string& path, Steps& steps) {
  if (!live.is_object()) return false;
  for (const auto& [name, value] : declared.items()) {
    auto it = live.find(name);
    if (value.is_null()) {
      // A declared null unsets the field.
      if (it != live.end() && !it->is_null()) return false;
      continue;
    }
    if (it == live.end()) {
      // An empty list is not written back (Go omits an empty slice); any
      // other missing value is a difference.
      if (value.is_array() && value.empty()) continue;
      return false;
    }
    steps.push_back("f:" + name);
    bool ok = covers(w, value, *it, member_path(path, name), scalar_rule(w.group, w.kind, path, name), steps);
    steps.pop_back();
    if (!ok) return false;
  }
  return true;
}

// An atomic list is replaced whole by an apply: same length, items by
// position. Live items may hold server defaults only while claw still owns
// the list: any other writer's change takes its ownership away, so without
// it the lists must be equal.
bool covers_atomic(const Walk& w, const json& declared, const json& live, const std::string& path, Steps& steps) {
  if (declared.size() != live.size()) return false;
  const bool owned = w.owned != nullptr && w.owned->contains(steps);
  for (std::size_t i = 0; i < declared.size(); ++i) {
    steps.push_back("i:" + std::to_string(i));
    bool ok = owned ? covers(w, declared[i], live[i], path + "[]", ScalarRule::exact, steps)
                    : equal(w, declared[i], live[i], path + "[]", ScalarRule::exact);
    steps.pop_back();
    if (!ok) return false;
  }
  return true;
}

// A map-type list: each declared item has exactly one live item with its
// key, covering it, and the declared items keep their live order.
bool covers_keyed(const Walk& w, const ListRule& rule, const json& declared, const json& live,
                  const std::string& path, Steps& steps) {
  std::map<std::string, std::vector<std::size_t>> live_by_key;
  for (std::size_t i = 0; i < live.size(); ++i) live_by_key[item_key(rule, live[i]).dump()].push_back(i);
  std::size_t last = 0;
  bool first = true;
  for (const json& item : declared) {
    json key = item_key(rule, item);
    auto it = live_by_key.find(key.dump());
    if (key.is_null() || it == live_by_key.end() || it->second.size() != 1) return false;
    std::size_t at = it->second.front();
    if (!first && at <= last) return false;
    first = false;
    last = at;
    steps.push_back("k:" + key.dump());
    bool ok = covers(w, item, live[at], path + "[]", ScalarRule::exact, steps);
    steps.pop_back();
    if (!ok) return false;
  }
  return true;
}

bool covers_set(const json& declared, const json& live) {
  for (const json& v : declared) {
    bool found = false;
    for (const json& l : live) found = found || l == v;
    if (!found) return false;
  }
  return true;
}

bool covers_list(const Walk& w, const json& declared, const json& live, const std::string& path, Steps& steps) {
  if (!live.is_array()) return false;
  ListRule rule = list_rule(w.group, w.kind, path);
  switch (rule.type) {
    case ListType::map: return covers_keyed(w, rule, declared, live, path, steps);
    case ListType::set: return covers_set(declared, live);
    case ListType::atomic: return covers_atomic(w, declared, live, path, steps);
  }
  return false;
}

bool covers(const Walk& w, const json& declared, const json& live, const std::string& path, ScalarRule rule,
            Steps& steps) {
  if (declared.is_object()) return covers_object(w, declared, live, path, steps);
  if (declared.is_array()) return covers_list(w, declared, live, path, steps);
  return same_scalar(rule, declared, live);
}

// Whether `node` still declares the path `steps[i..]` (schema path `path`).
bool declares(const Walk& w, const json& node, const Steps& steps, std::size_t i, const std::string& path) {
  if (i == steps.size()) return !node.is_null();
  std::expected<PathElement, std::string> step = decode(steps[i]);
  if (!step) return false;
  switch (step->kind) {
    case PathElement::Kind::field: {
      if (!node.is_object()) return false;
      auto it = node.find(step->name);
      return it != node.end() && declares(w, *it, steps, i + 1, member_path(path, step->name));
    }
    case PathElement::Kind::index:
      return node.is_array() && step->index < node.size() && declares(w, node[step->index], steps, i + 1, path + "[]");
    case PathElement::Kind::key:
    case PathElement::Kind::value: {
      if (!node.is_array()) return false;
      ListRule rule = list_rule(w.group, w.kind, path);
      for (const json& item : node) {
        const json& id = step->kind == PathElement::Kind::key ? item_key(rule, item) : item;
        if (id == step->json) return declares(w, item, steps, i + 1, path + "[]");
      }
      return false;
    }
  }
  return false;
}

std::string base64(const std::string& bytes) {
  static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) v |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    if (i + 2 < bytes.size()) v |= static_cast<unsigned char>(bytes[i + 2]);
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    out += i + 1 < bytes.size() ? alphabet[(v >> 6) & 63] : '=';
    out += i + 2 < bytes.size() ? alphabet[v & 63] : '=';
  }
  return out;
}

// A Secret as the server stores it: `stringData` merged into `data`
// (base64, Go's []byte JSON form), and itself dropped.
json stored_secret(const json& declared) {
  auto sd = declared.find("stringData");
  if (sd == declared.end() || !sd->is_object()) return declared;
  json out = declared;
  if (!out.contains("data") || !out["data"].is_object()) out["data"] = json::object();
  for (const auto& [k, v] : sd->items()) {
    if (!v.is_string()) return declared;  // not a valid Secret: let the dry-run say so
    out["data"][k] = base64(v.get<std::string>());
  }
  out.erase("stringData");
  return out;
}

std::string string_member(const json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

bool may_differ(const json& declared, const json& live) {
  if (!declared.is_object() || !live.is_object()) return true;
  Walk w{api_group(string_member(declared, "apiVersion")), string_member(declared, "kind"), nullptr};
  FieldSet owned;
  if (const json* fields = applied_fields(live, kClawManager)) {
    std::expected<FieldSet, std::string> parsed = parse_fields_v1(*fields);
    if (!parsed) return true;
    owned = std::move(*parsed);
    w.owned = &owned;
  }
  const bool secret = w.group.empty() && w.kind == "Secret";
  Steps steps;
  if (!covers(w, secret ? stored_secret(declared) : declared, live, "", ScalarRule::exact, steps)) return true;
  for (const Steps& path : owned) {
    if (!declares(w, declared, path, 0, "")) return true;
  }
  return false;
}

}  // namespace claw::plan
