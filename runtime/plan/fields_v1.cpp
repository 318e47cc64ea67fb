// Follows sigs.k8s.io/structured-merge-diff/v4 fieldpath/serialize.go
// (the trie, `.` for a member with children) and serialize-pe.go (the
// four step prefixes), and k8s.io/apimachinery pkg/apis/meta/v1 types.go
// ManagedFieldsEntry (manager, operation, subresource, fieldsType FieldsV1).
#include "runtime/plan/fields_v1.h"

#include <charconv>

namespace claw::plan {
namespace {

using nlohmann::json;

std::expected<json, std::string> parse_json(std::string_view text, std::string_view step) {
  json out = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (out.is_discarded()) return std::unexpected("fieldsV1 step `" + std::string(step) + "` holds invalid JSON");
  return out;
}

// Adds the members of `node` below `prefix` to `out`.
std::expected<void, std::string> collect(const json& node, std::vector<std::string>& prefix, FieldSet& out) {
  if (!node.is_object()) return std::unexpected("fieldsV1 node below `" + (prefix.empty() ? "." : prefix.back()) + "` is not an object");
  for (const auto& [text, child] : node.items()) {
    if (text == ".") {
      out.insert(prefix);
      continue;
    }
    std::expected<PathElement, std::string> step = decode(text);
    if (!step) return std::unexpected(step.error());
    prefix.push_back(encode(*step));
    if (child.is_object() && child.empty()) out.insert(prefix);
    else if (auto r = collect(child, prefix, out); !r) return r;
    prefix.pop_back();
  }
  return {};
}

// The string member `key` of `object`, "" when absent or not a string.
std::string_view string_member(const json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? std::string_view(it->get_ref<const std::string&>()) : std::string_view();
}

}  // namespace

std::string encode(const PathElement& element) {
  switch (element.kind) {
    case PathElement::Kind::field: return "f:" + element.name;
    case PathElement::Kind::key: return "k:" + element.json.dump();
    case PathElement::Kind::value: return "v:" + element.json.dump();
    case PathElement::Kind::index: return "i:" + std::to_string(element.index);
  }
  return {};
}

std::expected<PathElement, std::string> decode(std::string_view text) {
  if (text.size() < 2 || text[1] != ':') return std::unexpected("fieldsV1 step `" + std::string(text) + "` has no kind prefix (f:, k:, v:, i:)");
  std::string_view rest = text.substr(2);
  PathElement e;
  switch (text[0]) {
    case 'f':
      e.kind = PathElement::Kind::field;
      e.name = std::string(rest);
      return e;
    case 'k':
    case 'v': {
      auto j = parse_json(rest, text);
      if (!j) return std::unexpected(j.error());
      if (text[0] == 'k' && !j->is_object()) return std::unexpected("fieldsV1 step `" + std::string(text) + "` is not a JSON object of key fields");
      e.kind = text[0] == 'k' ? PathElement::Kind::key : PathElement::Kind::value;
      e.json = std::move(*j);
      return e;
    }
    case 'i': {
      auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), e.index);
      if (ec != std::errc() || end != rest.data() + rest.size() || rest.empty()) return std::unexpected("fieldsV1 step `" + std::string(text) + "` has no index");
      e.kind = PathElement::Kind::index;
      return e;
    }
    default: return std::unexpected("fieldsV1 step `" + std::string(text) + "` has an unknown kind prefix");
  }
}

std::expected<FieldSet, std::string> parse_fields_v1(const json& fields_v1) {
  FieldSet out;
  std::vector<std::string> prefix;
  if (auto r = collect(fields_v1, prefix, out); !r) return std::unexpected(r.error());
  return out;
}

const json* applied_fields(const json& live, std::string_view manager) {
  if (!live.is_object()) return nullptr;
  auto meta = live.find("metadata");
  if (meta == live.end() || !meta->is_object()) return nullptr;
  auto entries = meta->find("managedFields");
  if (entries == meta->end() || !entries->is_array()) return nullptr;
  for (const json& e : *entries) {
    if (!e.is_object()) continue;
    if (string_member(e, "manager") != manager || string_member(e, "operation") != "Apply") continue;
    if (!string_member(e, "subresource").empty()) continue;
    auto fields = e.find("fieldsV1");
    if (fields != e.end()) return &*fields;
  }
  return nullptr;
}

}  // namespace claw::plan
