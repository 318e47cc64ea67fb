#include "runtime/sim/body.h"

#include "runtime/sim/proto_values.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <regex>

namespace claw::sim {
namespace {

Json scalar_to_json(const YAML::Node& node) {
  const std::string& text = node.Scalar();
  if (node.Tag() == "!") return text;  // quoted: always a string
  static const std::regex integer(R"([-+]?[0-9]+)");
  static const std::regex floating(R"([-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?)");
  if (text == "null" || text == "Null" || text == "NULL" || text == "~" || text.empty()) return nullptr;
  if (text == "true" || text == "True" || text == "TRUE") return true;
  if (text == "false" || text == "False" || text == "FALSE") return false;
  if (std::regex_match(text, integer)) {
    try {
      return std::stoll(text);
    } catch (...) {
      return text;
    }
  }
  if (std::regex_match(text, floating)) return std::stod(text);
  return text;
}

Json yaml_to_json(const YAML::Node& node, int depth) {
  if (depth > 200) throw std::runtime_error("the YAML document nests too deeply");
  switch (node.Type()) {
    case YAML::NodeType::Map: {
      Json out = Json::object();
      for (const auto& kv : node) out[kv.first.as<std::string>()] = yaml_to_json(kv.second, depth + 1);
      return out;
    }
    case YAML::NodeType::Sequence: {
      Json out = Json::array();
      for (const auto& item : node) out.push_back(yaml_to_json(item, depth + 1));
      return out;
    }
    case YAML::NodeType::Scalar:
      return scalar_to_json(node);
    default:
      return nullptr;
  }
}

// The deepest nesting of brackets outside quoted strings: JSON (and flow
// YAML) deeper than the API server's decoder accepts is refused before it
// is parsed, so no recursion over a hostile body can exhaust the stack.
std::size_t bracket_depth(std::string_view text) {
  std::size_t depth = 0, deepest = 0;
  char quote = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quote != 0) {
      if (c == '\\') {
        ++i;
      } else if (c == quote) {
        quote = 0;
      }
    } else if (c == '"') {
      quote = c;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

// sigs.k8s.io/json's limit (internal/golang/encoding/json: maxNestingDepth).
constexpr std::size_t kMaxDepth = 10000;

}  // namespace

std::expected<Json, std::string> parse_body(std::string_view text, bool allow_yaml) {
  if (bracket_depth(text) > kMaxDepth) {
    return std::unexpected(std::string("json: exceeded max depth of 10000"));
  }
  std::string clean = proto::valid_utf8(text);
  if (clean != text) text = clean;
  Json parsed = Json::parse(text, nullptr, false);
  if (!parsed.is_discarded()) return parsed;
  if (!allow_yaml) {
    try {
      Json ignored = Json::parse(text);
    } catch (const Json::exception& e) {
      return std::unexpected(std::string("json parse error: ") + e.what());
    }
    return std::unexpected(std::string("json parse error"));
  }
  try {
    return yaml_to_json(YAML::Load(std::string(text)), 0);
  } catch (const std::exception& e) {
    return std::unexpected(std::string("error converting YAML to JSON: ") + e.what());
  }
}

std::string media_type(std::string_view content_type) {
  std::string out(content_type.substr(0, content_type.find(';')));
  while (!out.empty() && std::isspace(static_cast<unsigned char>(out.back()))) out.pop_back();
  std::ranges::transform(out, out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace claw::sim
