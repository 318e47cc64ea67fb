// Sources: kubernetes staging/src/k8s.io/apiextensions-apiserver/pkg/registry/
// customresource/tableconvertor/tableconvertor.go (columns, cellForJSONValue)
// and pkg/apis/apiextensions/v1/helpers.go (serveDefaultColumnsIfEmpty);
// JSONPath semantics of k8s.io/client-go/util/jsonpath with AllowMissingKeys.

#include "runtime/sim/table_crd.h"

#include <fmt/format.h>

#include <cstdlib>
#include <variant>

namespace claw::sim {
namespace {

struct Field { std::string name; };
struct Index { long long i; };
struct Wildcard {};
struct Filter {
  std::vector<std::string> left;  // @.a.b
  bool equal = true;              // == or !=
  Json right;                     // a string, number or boolean literal
};
using Step = std::variant<Field, Index, Wildcard, Filter>;

bool ident_char(char c) { return c != '.' && c != '[' && c != ']' && c != ' ' && c != '=' && c != '!' && c != ')'; }

// `.a.b` fields after `@` inside a filter.
std::optional<std::vector<std::string>> parse_fields(std::string_view text, std::size_t& pos) {
  std::vector<std::string> out;
  while (pos < text.size() && text[pos] == '.') {
    std::size_t start = ++pos;
    while (pos < text.size() && ident_char(text[pos])) ++pos;
    if (pos == start) return std::nullopt;
    out.emplace_back(text.substr(start, pos - start));
  }
  return out;
}

std::optional<Json> parse_literal(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  if (text.size() >= 2 && (text.front() == '"' || text.front() == '\'') && text.back() == text.front()) {
    return Json(std::string(text.substr(1, text.size() - 2)));
  }
  if (text == "true") return Json(true);
  if (text == "false") return Json(false);
  Json number = Json::parse(text, nullptr, false);
  if (number.is_number()) return number;
  return std::nullopt;
}

std::optional<Step> parse_bracket(std::string_view inner) {
  if (inner == "*") return Wildcard{};
  if (inner.size() >= 2 && (inner.front() == '\'' || inner.front() == '"') && inner.back() == inner.front()) {
    return Field{std::string(inner.substr(1, inner.size() - 2))};
  }
  if (inner.starts_with("?(") && inner.ends_with(")")) {
    std::string_view expr = inner.substr(2, inner.size() - 3);
    std::size_t pos = 0;
    while (pos < expr.size() && expr[pos] == ' ') ++pos;
    if (pos >= expr.size() || expr[pos] != '@') return std::nullopt;
    ++pos;
    auto left = parse_fields(expr, pos);
    if (!left) return std::nullopt;
    while (pos < expr.size() && expr[pos] == ' ') ++pos;
    Filter f;
    f.left = *left;
    if (expr.substr(pos, 2) == "==") f.equal = true;
    else if (expr.substr(pos, 2) == "!=") f.equal = false;
    else return std::nullopt;
    auto right = parse_literal(expr.substr(pos + 2));
    if (!right) return std::nullopt;
    f.right = *right;
    return f;
  }
  char* end = nullptr;
  std::string digits(inner);
  long long i = std::strtoll(digits.c_str(), &end, 10);
  if (digits.empty() || end != digits.c_str() + digits.size()) return std::nullopt;
  return Index{i};
}

std::optional<std::vector<Step>> parse_path(std::string_view path) {
  if (path.size() >= 2 && path.front() == '{' && path.back() == '}') path = path.substr(1, path.size() - 2);
  std::vector<Step> steps;
  std::size_t pos = 0;
  while (pos < path.size()) {
    if (path[pos] == '.') {
      std::size_t start = ++pos;
      while (pos < path.size() && path[pos] != '.' && path[pos] != '[') {
        if (path[pos] == '\\' && pos + 1 < path.size()) ++pos;
        ++pos;
      }
      std::string name;
      for (std::size_t i = start; i < pos; ++i) {
        if (path[i] == '\\' && i + 1 < pos) ++i;
        name += path[i];
      }
      if (name.empty()) {
        if (pos == path.size() && steps.empty()) break;  // "." alone: the object itself
        return std::nullopt;
      }
      if (name == "*") steps.emplace_back(Wildcard{});
      else steps.emplace_back(Field{name});
    } else if (path[pos] == '[') {
      int depth = 0;
      std::size_t end = pos;
      char quote = 0;
      for (; end < path.size(); ++end) {
        char c = path[end];
        if (quote != 0) {
          if (c == quote) quote = 0;
        } else if (c == '"' || c == '\'') {
          quote = c;
        } else if (c == '[') {
          ++depth;
        } else if (c == ']' && --depth == 0) {
          break;
        }
      }
      if (end == path.size()) return std::nullopt;
      auto step = parse_bracket(path.substr(pos + 1, end - pos - 1));
      if (!step) return std::nullopt;
      steps.push_back(*step);
      pos = end + 1;
    } else {
      return std::nullopt;
    }
  }
  return steps;
}

const Json* walk(const Json& node, const std::vector<std::string>& fields) {
  const Json* cur = &node;
  for (const std::string& f : fields) {
    if (!cur->is_object()) return nullptr;
    auto it = cur->find(f);
    if (it == cur->end()) return nullptr;
    cur = &*it;
  }
  return cur;
}

void apply(const Step& step, const Json& node, std::vector<const Json*>& out) {
  if (const auto* f = std::get_if<Field>(&step)) {
    if (node.is_object()) {
      if (auto it = node.find(f->name); it != node.end()) out.push_back(&*it);
    }
  } else if (const auto* ix = std::get_if<Index>(&step)) {
    if (!node.is_array()) return;
    long long i = ix->i < 0 ? ix->i + static_cast<long long>(node.size()) : ix->i;
    if (i >= 0 && i < static_cast<long long>(node.size())) out.push_back(&node[static_cast<std::size_t>(i)]);
  } else if (std::holds_alternative<Wildcard>(step)) {
    if (node.is_array() || node.is_object()) {
      for (const Json& v : node) out.push_back(&v);
    }
  } else if (const auto* flt = std::get_if<Filter>(&step)) {
    if (!node.is_array()) return;
    for (const Json& v : node) {
      const Json* left = walk(v, flt->left);
      if (left == nullptr) continue;
      bool same = *left == flt->right;
      if (same == flt->equal) out.push_back(&v);
    }
  }
}

// jsonpath's text for a value: strings raw, everything else as JSON.
Json text_cell(const Json& v) {
  if (v.is_null()) return nullptr;
  if (v.is_string()) return v;
  return v.dump();
}

// cellForJSONValue.
Json typed_cell(std::string_view type, const Json& v, TimePoint now) {
  if (type == "integer" && v.is_number()) return v.is_number_float() ? Json(static_cast<long long>(v.get<double>())) : v;
  if (type == "number" && v.is_number()) return Json(v.get<double>());
  if (type == "boolean" && v.is_boolean()) return v;
  if (type == "date" && v.is_string()) {
    std::string text = v.get<std::string>();
    if (text.empty() || text == "null") return "<unknown>";  // metav1.Time's zero value
    if (!parse_rfc3339(text)) return "<invalid>";
    return age_since(text, now);
  }
  return nullptr;
}

}  // namespace

std::optional<std::vector<const Json*>> eval_json_path(std::string_view path, const Json& object) {
  auto steps = parse_path(path);
  if (!steps) return std::nullopt;
  std::vector<const Json*> current{&object};
  for (const Step& step : *steps) {
    std::vector<const Json*> next;
    for (const Json* node : current) apply(step, *node, next);
    current = std::move(next);
  }
  return current;
}

std::optional<Printer> crd_printer(const Json& printer_columns) {
  Json columns = printer_columns.is_array() ? printer_columns : Json::array();
  if (columns.empty()) {
    columns = Json::array({{{"name", "Age"}, {"type", "date"}, {"description", object_meta_doc("creationTimestamp")},
                            {"jsonPath", ".metadata.creationTimestamp"}}});
  }
  Json defs = Json::array({{{"name", "Name"}, {"type", "string"}, {"format", "name"},
                            {"description", object_meta_doc("name")}, {"priority", 0}}});
  std::vector<std::pair<std::string, std::string>> paths;  // type, jsonPath
  for (const Json& c : columns) {
    std::string path = c.value("jsonPath", "");
    if (!parse_path(path)) return std::nullopt;
    std::string description = c.value("description", "");
    if (description.empty()) description = fmt::format("Custom resource definition column (in JSONPath format): {}", path);
    defs.push_back({{"name", c.value("name", "")}, {"type", c.value("type", "")}, {"format", c.value("format", "")},
                    {"description", description}, {"priority", c.value("priority", 0)}});
    paths.emplace_back(c.value("type", ""), path);
  }
  return Printer{defs, [paths](const Json& object, TimePoint now) {
                   Json cells = Json::array({object.value("/metadata/name"_json_pointer, std::string())});
                   for (const auto& [type, path] : paths) {
                     auto found = eval_json_path(path, object);
                     if (!found || found->empty()) {
                       cells.push_back(nullptr);
                       continue;
                     }
                     const Json& v = *found->front();
                     cells.push_back(type == "string" ? text_cell(v) : typed_cell(type, v, now));
                   }
                   return Json{{"cells", cells}};
                 }};
}

}  // namespace claw::sim
