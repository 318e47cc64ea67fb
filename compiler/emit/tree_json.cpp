#include "compiler/emit/tree_json.h"

#include <charconv>
#include <cstdint>
#include <string_view>

namespace claw::emit {

namespace {

/// A plain scalar as YAML 1.2's core schema reads it (yaml.org/spec/1.2.2
/// 10.3.2): the forms claw writes plain are numbers, booleans and null.
nlohmann::json plain_value(std::string_view s) {
  if (s == "true" || s == "True" || s == "TRUE") return true;
  if (s == "false" || s == "False" || s == "FALSE") return false;
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return nullptr;
  std::string_view digits = s.starts_with('+') ? s.substr(1) : s;
  int64_t i = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), i);
  if (ec == std::errc() && end == digits.data() + digits.size()) return i;
  double d = 0;
  auto [dend, dec] = std::from_chars(digits.data(), digits.data() + digits.size(), d);
  if (dec == std::errc() && dend == digits.data() + digits.size()) return d;
  return std::string(s);
}

}  // namespace

nlohmann::json to_json(const Tree& tree, size_t index) {
  if (tree.empty()) return nullptr;
  const Tree::Node& n = tree.node(index);
  switch (n.kind) {
    case Tree::Kind::Null: return nullptr;
    case Tree::Kind::Str: return std::string(tree.text(n));
    case Tree::Kind::Plain: return plain_value(tree.text(n));
    case Tree::Kind::Map: {
      nlohmann::json out = nlohmann::json::object();
      tree.for_each_child(index, [&](size_t c) { out[std::string(tree.key(tree.node(c)))] = to_json(tree, c); });
      return out;
    }
    case Tree::Kind::Seq: {
      nlohmann::json out = nlohmann::json::array();
      tree.for_each_child(index, [&](size_t c) { out.push_back(to_json(tree, c)); });
      return out;
    }
  }
  return nullptr;
}

}  // namespace claw::emit
