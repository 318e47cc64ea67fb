// Sources: server-side apply semantics, kubernetes.io/docs/reference/
// using-api/server-side-apply/ ("Field management": a field changed by an
// Update moves to that manager; an applier's fields it no longer sends are
// removed; "Merge strategy" for list types); the list keys and quantities
// of field_rules.cpp; core/v1 Secret (`stringData` "is merged into the
// data field on write ... never output when reading from the API").
#include "runtime/plan/compare.h"

#include "runtime/plan/field_diff.h"
#include "runtime/plan/field_rules.h"
#include "runtime/plan/fields_v1.h"

#include <map>
#include <string>
#include <vector>

namespace claw::plan {
namespace {

using nlohmann::json;

// What a walk knows of the object: its kind's schema rules.
struct Walk {
  const KindRules* rules = nullptr;
};

// Appends a step to a schema path for the life of a scope: the walk reuses
// one string instead of building a path per field.
class PathStep {
 public:
  PathStep(std::string& path, std::string_view field) : path_(path), size_(path.size()) {
    if (!path_.empty()) path_ += '.';
    path_ += field;
  }
  explicit PathStep(std::string& path) : path_(path), size_(path.size()) { path_ += "[]"; }
  PathStep(const PathStep&) = delete;
  PathStep& operator=(const PathStep&) = delete;
  ~PathStep() { path_.resize(size_); }

 private:
  std::string& path_;
  std::size_t size_;
};

// The child of fieldsV1 trie node `trie` at step `prefix` + `text`, or nullptr.
const json* child(const json* trie, std::string_view prefix, std::string_view text) {
  if (trie == nullptr || !trie->is_object() || trie->empty()) return nullptr;
  std::string step;
  step.reserve(prefix.size() + text.size());
  step += prefix;
  step += text;
  auto it = trie->find(step);
  return it == trie->end() ? nullptr : &*it;
}

// Whether `declared` sets nothing `live` lacks or holds otherwise. `trie`
// is claw's fieldsV1 node at this place (nullptr: claw owns nothing here).
bool covers(const Walk& w, const json& declared, const json& live, std::string& path, ScalarRule rule,
            const json* trie);

// Whether `a` and `b` are equal up to canonical forms (both directions).
bool equal(const Walk& w, const json& a, const json& b, std::string& path, ScalarRule rule) {
  return covers(w, a, b, path, rule, nullptr) && covers(w, b, a, path, rule, nullptr);
}

bool covers_object(const Walk& w, const json& declared, const json& live, std::string& path, const json* trie) {
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
    const bool scalar = !value.is_object() && !value.is_array();
    const ScalarRule rule = scalar ? scalar_rule(*w.rules, path, name) : ScalarRule::exact;
    PathStep step(path, name);
    if (!covers(w, value, *it, path, rule, child(trie, "f:", name))) return false;
  }
  return true;
}

// An atomic list is replaced whole by an apply: same length, items by
// position. Live items may hold server defaults only while claw still owns
// the list (`trie` is its node): any other writer's change takes claw's
// ownership away, so without it the lists must be equal.
bool covers_atomic(const Walk& w, const json& declared, const json& live, std::string& path, const json* trie) {
  if (declared.size() != live.size()) return false;
  PathStep item(path);
  for (std::size_t i = 0; i < declared.size(); ++i) {
    bool ok = trie != nullptr ? covers(w, declared[i], live[i], path, ScalarRule::exact, nullptr)
                              : equal(w, declared[i], live[i], path, ScalarRule::exact);
    if (!ok) return false;
  }
  return true;
}

// A map-type list: each declared item has exactly one live item with its
// key, covering it, and the declared items keep their live order.
bool covers_keyed(const Walk& w, const ListRule& rule, const json& declared, const json& live, std::string& path,
                  const json* trie) {
  std::map<std::string, std::vector<std::size_t>> live_by_key;
  for (std::size_t i = 0; i < live.size(); ++i) live_by_key[item_key(rule, live[i]).dump()].push_back(i);
  PathStep item_step(path);
  std::size_t next = 0;  // the first live position the next declared item may take
  for (const json& item : declared) {
    json key = item_key(rule, item);
    if (key.is_null()) return false;
    std::string text = key.dump();
    auto it = live_by_key.find(text);
    if (it == live_by_key.end() || it->second.size() != 1 || it->second.front() < next) return false;
    next = it->second.front() + 1;
    if (!covers(w, item, live[it->second.front()], path, ScalarRule::exact, child(trie, "k:", text))) return false;
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

bool covers_list(const Walk& w, const json& declared, const json& live, std::string& path, const json* trie) {
  if (!live.is_array()) return false;
  const ListRule& rule = list_rule(*w.rules, path);
  switch (rule.type) {
    case ListType::map: return covers_keyed(w, rule, declared, live, path, trie);
    case ListType::set: return covers_set(declared, live);
    case ListType::atomic: return covers_atomic(w, declared, live, path, trie);
  }
  return false;
}

bool covers(const Walk& w, const json& declared, const json& live, std::string& path, ScalarRule rule,
            const json* trie) {
  if (declared.is_object()) return covers_object(w, declared, live, path, trie);
  if (declared.is_array()) return covers_list(w, declared, live, path, trie);
  return same_scalar(rule, declared, live);
}

// The item of list `node` that step `step` names, or nullptr.
const json* find_item(const Walk& w, const json& node, const PathElement& step, const std::string& path) {
  if (!node.is_array()) return nullptr;
  if (step.kind == PathElement::Kind::index) return step.index < node.size() ? &node[step.index] : nullptr;
  const ListRule& rule = list_rule(*w.rules, path);
  for (const json& item : node) {
    if (step.kind == PathElement::Kind::key ? item_key(rule, item) == step.json : item == step.json) return &item;
  }
  return nullptr;
}

// Whether `node` still declares every member of fieldsV1 trie node `trie`.
bool declares_all(const Walk& w, const json& node, const json& trie, std::string& path) {
  if (!trie.is_object()) return false;
  for (const auto& [text, below] : trie.items()) {
    if (text == ".") continue;  // the node itself, which the caller found
    const json* next = nullptr;
    if (text.starts_with("f:")) {
      // The common step, read without decoding.
      std::string_view name = std::string_view(text).substr(2);
      if (node.is_object()) {
        auto it = node.find(name);
        if (it != node.end()) next = &*it;
      }
      PathStep step(path, name);
      if (next == nullptr || next->is_null() || !declares_all(w, *next, below, path)) return false;
      continue;
    }
    std::expected<PathElement, std::string> step = decode(text);
    if (!step || step->kind == PathElement::Kind::field) return false;
    next = find_item(w, node, *step, path);
    PathStep item(path);
    if (next == nullptr || next->is_null() || !declares_all(w, *next, below, path)) return false;
  }
  return true;
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
  const std::string group = api_group(string_member(declared, "apiVersion")), kind = string_member(declared, "kind");
  Walk w{&kind_rules(group, kind)};
  const json* owned = applied_fields(live, kClawManager);
  std::string path;
  if (owned != nullptr && !declares_all(w, declared, *owned, path)) return true;
  const bool secret = is_core_secret(group, kind);
  return !covers(w, secret ? stored_secret(declared) : declared, live, path, ScalarRule::exact, owned);
}

}  // namespace claw::plan
