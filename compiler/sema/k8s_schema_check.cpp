#include "compiler/sema/k8s_schema_check.h"

#include <fmt/format.h>

namespace claw::sema {

namespace {

using VK = Value::Kind;
using K = k8s::SchemaType::Kind;

/// How a message names a schema type.
std::string schema_type_name(const k8s::SchemaType& t) {
  switch (t.kind) {
    case K::String: return "a string";
    case K::Integer: return "an integer";
    case K::Number: return "a number";
    case K::Boolean: return "a boolean";
    case K::IntOrString: return "an integer or a string";
    case K::Quantity: return "a quantity (`1Gi`, `500m`, a number)";
    case K::Any: return "any value";
    case K::Object: return fmt::format("a `{}` block", t.def ? t.def->short_name() : "object");
    case K::Map: return "a block of named entries";
    case K::List: return "a list";
  }
  return "a value";
}

std::string_view value_kind_name(const Value& v) {
  switch (v.kind) {
    case VK::Int: return "an integer";
    case VK::Float: return "a number";
    case VK::Bool: return "a boolean";
    case VK::String: return "a string";
    case VK::Bytes: return "a byte size";
    case VK::Cpu: return "a cpu quantity";
    case VK::Duration: return "a duration";
    case VK::List: return "a list";
    case VK::Map: case VK::Record: return "a block";
    case VK::SecretRef: return "a secret";
    case VK::Enum: return "a bare enum value (quote it to write text)";
    default: return "a value";
  }
}

bool fits_scalar(const Value& v, K kind) {
  switch (kind) {
    case K::String: return v.kind == VK::String;
    case K::Integer: return v.kind == VK::Int;
    case K::Number: return v.kind == VK::Int || v.kind == VK::Float;
    case K::Boolean: return v.kind == VK::Bool;
    case K::IntOrString: return v.kind == VK::Int || v.kind == VK::String;
    case K::Quantity:
      return v.kind == VK::String || v.kind == VK::Int || v.kind == VK::Float || v.kind == VK::Bytes || v.kind == VK::Cpu;
    default: return true;
  }
}

/// Whether `s` is a quantity as Kubernetes parses one (resource.Quantity):
/// a signed decimal number, then a binary suffix (Ki..Ei), a decimal one
/// (n, u, m, k, M, G, T, P, E) or a decimal exponent (e3, E-2).
bool kube_quantity(std::string_view s) {
  size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  size_t digits = 0;
  auto run = [&] {
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++digits;
  };
  run();
  if (i < s.size() && s[i] == '.') ++i, run();
  if (digits == 0) return false;
  std::string_view suffix = s.substr(i);
  if (suffix.empty()) return true;
  for (std::string_view ok : {"Ki", "Mi", "Gi", "Ti", "Pi", "Ei", "n", "u", "m", "k", "M", "G", "T", "P", "E"})
    if (suffix == ok) return true;
  if (suffix[0] != 'e' && suffix[0] != 'E') return false;
  size_t j = 1;
  if (j < suffix.size() && (suffix[j] == '+' || suffix[j] == '-')) ++j;
  if (j == suffix.size()) return false;
  for (; j < suffix.size(); ++j)
    if (suffix[j] < '0' || suffix[j] > '9') return false;
  return true;
}

/// `where`, with the type's own name when that says more: `Service.spec` (ServiceSpec).
std::string place(std::string_view where, const k8s::SchemaDef& def) {
  if (where == def.short_name()) return fmt::format("`{}`", where);
  return fmt::format("`{}` ({})", where, def.short_name());
}

}  // namespace

void check_k8s_fields(const Value& map, const k8s::SchemaDef& def, Span owner, std::string_view where, bool complete,
                      diag::Sink& sink) {
  if (map.kind != VK::Map || !map.keys || !map.items) return;
  for (size_t i = 0; i < map.keys->size(); ++i) {
    const std::string& key = (*map.keys)[i];
    Span at = map.key_spans && i < map.key_spans->size() ? (*map.key_spans)[i] : (*map.items)[i].span;
    const k8s::SchemaType* t = def.field(key);
    if (!t) {
      std::vector<std::string_view> names;
      for (const auto& [name, _] : def.fields) names.push_back(name);
      auto& d = sink.report(diag::Kind::UnknownField, at,
                            fmt::format("unknown field `{}` in {}", key, place(where, def)));
      if (auto s = diag::did_you_mean(key, names)) {
        d.hint(fmt::format("did you mean `{}`?", *s));
        d.fixit(at, *s);
      } else {
        std::string all;
        for (auto n : names) all += (all.empty() ? "`" : ", `") + std::string(n) + "`";
        d.hint(fmt::format("`{}` has the fields {}", def.short_name(), all));
      }
      continue;
    }
    check_k8s_value((*map.items)[i], *t, fmt::format("{}.{}", where, key), complete, sink);
  }
  if (!complete) return;
  for (const auto& r : def.required)
    if (!map.entry(r))
      sink.report(diag::Kind::MissingField, owner,
                  fmt::format("missing field `{}` in {}: the Kubernetes schema requires it", r, place(where, def)));
}

void check_k8s_value(const Value& v, const k8s::SchemaType& t, std::string_view where, bool complete, diag::Sink& sink) {
  if (v.bad() || v.kind == VK::Null || t.kind == K::Any) return;
  // A secret is reported where it is read (a resource cannot hold one).
  if (v.kind == VK::SecretRef) return;
  auto mismatch = [&] {
    sink.report(diag::Kind::TypeMismatch, v.span,
                fmt::format("`{}` takes {}, found {}", where, schema_type_name(t), value_kind_name(v)));
  };
  switch (t.kind) {
    case K::Object:
      if (v.kind != VK::Map) return mismatch();
      if (t.def) check_k8s_fields(v, *t.def, v.span, where, complete, sink);
      return;
    case K::Map:
      if (v.kind != VK::Map) return mismatch();
      for (size_t i = 0; i < v.items->size(); ++i)
        check_k8s_value((*v.items)[i], *t.elem, fmt::format("{}.{}", where, (*v.keys)[i]), complete, sink);
      return;
    case K::List:
      if (v.kind != VK::List) return mismatch();
      for (size_t i = 0; i < v.items->size(); ++i)
        check_k8s_value((*v.items)[i], *t.elem, fmt::format("{}[{}]", where, i), true, sink);
      return;
    default:
      if (!fits_scalar(v, t.kind)) return mismatch();
      // A quantity written in claw's units is kept as written in an open
      // value (`1GiB`): Kubernetes would refuse it.
      if (t.kind == K::Quantity && v.kind == VK::String && !kube_quantity(v.s)) {
        std::string_view s = v.s;
        std::string fix = s.ends_with("iB") ? std::string(s.substr(0, s.size() - 1)) : std::string();
        auto& d = sink.report(diag::Kind::TypeMismatch, v.span,
                              fmt::format("`{}` takes a Kubernetes quantity, and `{}` is none", where, s));
        if (!fix.empty() && kube_quantity(fix)) d.hint(fmt::format("Kubernetes spells it `\"{}\"`", fix));
        else d.hint("a quantity is a number with an optional suffix: `\"2\"`, `\"500m\"`, `\"1Gi\"`, `\"1G\"`");
      }
  }
}

}  // namespace claw::sema
