#include "runtime/sim/selectors.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace claw::sim {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// Splits at commas that are not inside parentheses.
std::vector<std::string_view> split_terms(std::string_view text) {
  std::vector<std::string_view> out;
  int depth = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || (text[i] == ',' && depth == 0)) {
      out.push_back(trim(text.substr(start, i - start)));
      start = i + 1;
    } else if (text[i] == '(') {
      ++depth;
    } else if (text[i] == ')') {
      --depth;
    }
  }
  return out;
}

bool valid_label_key(std::string_view key) {
  if (key.empty() || key.size() > 317) return false;
  return std::ranges::all_of(key, [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' || c == '/';
  });
}

std::expected<LabelRequirement, std::string> parse_set_term(std::string_view term, std::size_t at, bool in) {
  LabelRequirement r;
  r.key = std::string(trim(term.substr(0, at)));
  r.op = in ? LabelRequirement::Op::In : LabelRequirement::Op::NotIn;
  std::string_view rest = trim(term.substr(at + (in ? 2 : 5)));
  if (rest.size() < 2 || rest.front() != '(' || rest.back() != ')') {
    return std::unexpected(fmt::format("unable to parse requirement: found '{}', expected: '('", rest));
  }
  rest = rest.substr(1, rest.size() - 2);
  std::size_t start = 0;
  for (std::size_t i = 0; i <= rest.size(); ++i) {
    if (i == rest.size() || rest[i] == ',') {
      r.values.emplace_back(trim(rest.substr(start, i - start)));
      start = i + 1;
    }
  }
  return r;
}

std::expected<LabelRequirement, std::string> parse_label_term(std::string_view term) {
  LabelRequirement r;
  if (term.starts_with('!')) {
    r.key = std::string(trim(term.substr(1)));
    r.op = LabelRequirement::Op::DoesNotExist;
  } else if (std::size_t p = term.find(" notin "); p != std::string_view::npos) {
    return parse_set_term(term, p + 1, false);
  } else if (std::size_t q = term.find(" in "); q != std::string_view::npos) {
    return parse_set_term(term, q + 1, true);
  } else if (std::size_t ne = term.find("!="); ne != std::string_view::npos) {
    r.key = std::string(trim(term.substr(0, ne)));
    r.op = LabelRequirement::Op::NotEquals;
    r.values.emplace_back(trim(term.substr(ne + 2)));
  } else if (std::size_t eq2 = term.find("=="); eq2 != std::string_view::npos) {
    r.key = std::string(trim(term.substr(0, eq2)));
    r.values.emplace_back(trim(term.substr(eq2 + 2)));
  } else if (std::size_t eq = term.find('='); eq != std::string_view::npos) {
    r.key = std::string(trim(term.substr(0, eq)));
    r.values.emplace_back(trim(term.substr(eq + 1)));
  } else {
    r.key = std::string(term);
    r.op = LabelRequirement::Op::Exists;
  }
  if (!valid_label_key(r.key)) {
    return std::unexpected(fmt::format("unable to parse requirement: invalid label key \"{}\"", r.key));
  }
  return r;
}

}  // namespace

std::expected<LabelSelector, std::string> parse_label_selector(std::string_view text) {
  LabelSelector out;
  if (trim(text).empty()) return out;
  for (std::string_view term : split_terms(text)) {
    if (term.empty()) return std::unexpected(std::string("found '', expected: !, identifier, or 'end of string'"));
    auto r = parse_label_term(term);
    if (!r) return std::unexpected(r.error());
    out.push_back(std::move(*r));
  }
  return out;
}

bool matches(const LabelSelector& selector, const Json& labels) {
  for (const LabelRequirement& r : selector) {
    bool has = labels.is_object() && labels.contains(r.key);
    std::string value = has && labels[r.key].is_string() ? labels[r.key].get<std::string>() : "";
    bool in_values = std::ranges::find(r.values, value) != r.values.end();
    bool ok = false;
    switch (r.op) {
      case LabelRequirement::Op::Equals: ok = has && in_values; break;
      case LabelRequirement::Op::In: ok = has && in_values; break;
      case LabelRequirement::Op::NotEquals: ok = !has || !in_values; break;
      case LabelRequirement::Op::NotIn: ok = !has || !in_values; break;
      case LabelRequirement::Op::Exists: ok = has; break;
      case LabelRequirement::Op::DoesNotExist: ok = !has; break;
    }
    if (!ok) return false;
  }
  return true;
}

std::expected<FieldSelector, std::string> parse_field_selector(std::string_view text) {
  FieldSelector out;
  if (trim(text).empty()) return out;
  for (std::string_view term : split_terms(text)) {
    FieldRequirement r;
    if (std::size_t ne = term.find("!="); ne != std::string_view::npos) {
      r.field = std::string(trim(term.substr(0, ne)));
      r.equals = false;
      r.value = std::string(trim(term.substr(ne + 2)));
    } else if (std::size_t eq2 = term.find("=="); eq2 != std::string_view::npos) {
      r.field = std::string(trim(term.substr(0, eq2)));
      r.value = std::string(trim(term.substr(eq2 + 2)));
    } else if (std::size_t eq = term.find('='); eq != std::string_view::npos) {
      r.field = std::string(trim(term.substr(0, eq)));
      r.value = std::string(trim(term.substr(eq + 1)));
    } else {
      return std::unexpected(fmt::format("invalid selector: '{}'; can't understand '{}'", text, term));
    }
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<std::string> selectable_fields(std::string_view group, std::string_view kind) {
  // pkg/registry/<group>/<kind>/strategy.go: <Kind>ToSelectableFields.
  std::vector<std::string> fields = {"metadata.name", "metadata.namespace"};
  if (group.empty() && kind == "Pod") {
    for (const char* f : {"spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName",
                          "spec.hostNetwork", "status.phase", "status.podIP", "status.nominatedNodeName"}) {
      fields.emplace_back(f);
    }
  } else if (group.empty() && kind == "Secret") {
    fields.emplace_back("type");
  } else if (group.empty() && kind == "Namespace") {
    fields.emplace_back("status.phase");
  } else if (group.empty() && kind == "Node") {
    fields.emplace_back("spec.unschedulable");
  } else if (group.empty() && kind == "Event") {
    for (const char* f : {"involvedObject.kind", "involvedObject.namespace", "involvedObject.name",
                          "involvedObject.uid", "involvedObject.apiVersion", "involvedObject.resourceVersion",
                          "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type"}) {
      fields.emplace_back(f);
    }
  } else if (group == "batch" && kind == "Job") {
    fields.emplace_back("status.successful");
  } else if (group == "apps" && kind == "ReplicaSet") {
    fields.emplace_back("status.replicas");
  }
  return fields;
}

std::string field_value(const Json& object, std::string_view field) {
  const Json* node = &object;
  std::size_t start = 0;
  while (node != nullptr && start <= field.size()) {
    std::size_t dot = field.find('.', start);
    std::string part(field.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
    if (!node->is_object() || !node->contains(part)) return "";
    node = &(*node)[part];
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  if (node == nullptr) return "";
  if (node->is_string()) return node->get<std::string>();
  if (node->is_boolean()) return node->get<bool>() ? "true" : "false";
  if (node->is_number()) return node->dump();
  return "";
}

bool matches(const FieldSelector& selector, const Json& object) {
  for (const FieldRequirement& r : selector) {
    bool equal = field_value(object, r.field) == r.value;
    if (equal != r.equals) return false;
  }
  return true;
}

}  // namespace claw::sim
