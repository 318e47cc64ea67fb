#include "compiler/sema/value.h"

#include <fmt/format.h>

#include <algorithm>

namespace claw::sema {

std::string_view ref_kind_name(RefKind kind) {
  switch (kind) {
    case RefKind::Cluster: return "cluster";
    case RefKind::Machine: return "machine";
    case RefKind::Role: return "role";
    case RefKind::Workload: return "workload";
    case RefKind::Chart: return "chart";
    case RefKind::Secret: return "secret";
    case RefKind::Resource: return "resource";
  }
  return "declaration";
}

int EnumDef::find(std::string_view value) const {
  for (size_t i = 0; i < values.size(); ++i)
    if (values[i] == value) return static_cast<int>(i);
  return -1;
}

namespace {
// Length and the first and last characters: enough to tell a record's few
// dozen field names apart, and cheaper than reading every character.
size_t name_hash(std::string_view s) {
  if (s.empty()) return 0;
  return (s.size() * 31 + static_cast<unsigned char>(s.front())) * 31 + static_cast<unsigned char>(s.back());
}
}  // namespace

int RecordDef::find(std::string_view field) const {
  if (slots_.empty()) return -1;
  size_t mask = slots_.size() - 1;
  for (size_t i = name_hash(field) & mask;; i = (i + 1) & mask) {
    int at = slots_[i];
    if (at < 0) return -1;
    if (fields[static_cast<size_t>(at)].name == field) return at;
  }
}

void RecordDef::index_fields() {
  size_t size = 8;
  while (size < fields.size() * 4) size *= 2;
  slots_.assign(size, -1);
  for (size_t f = 0; f < fields.size(); ++f) {
    // A later field of the same name (an override) is the one found.
    size_t i = name_hash(fields[f].name) & (size - 1);
    while (slots_[i] >= 0 && fields[static_cast<size_t>(slots_[i])].name != fields[f].name) i = (i + 1) & (size - 1);
    slots_[i] = static_cast<int>(f);
  }
}

bool RecordDef::is_a(const RecordDef* ancestor) const {
  for (const RecordDef* r = this; r; r = r->parent)
    if (r == ancestor) return true;
  return false;
}

std::string type_name(const Type* t) {
  if (!t) return "?";
  std::string base;
  switch (t->kind) {
    case TypeKind::Error: base = "<error>"; break;
    case TypeKind::Any: base = "any"; break;
    case TypeKind::Int:
      base = "int";
      if (t->lo || t->hi)
        base += fmt::format("({}..{})", t->lo ? std::to_string(*t->lo) : "", t->hi ? std::to_string(*t->hi) : "");
      break;
    case TypeKind::Float: base = "float"; break;
    case TypeKind::Bool: base = "bool"; break;
    case TypeKind::String: base = "string"; break;
    case TypeKind::Bytes: base = "bytes"; break;
    case TypeKind::Cpu: base = "cpu"; break;
    case TypeKind::Duration: base = "duration"; break;
    case TypeKind::Taint: base = "taint"; break;
    case TypeKind::Toleration: base = "toleration"; break;
    case TypeKind::Schedule: base = "schedule"; break;
    case TypeKind::EnvValue: base = "env-value"; break;
    case TypeKind::Enum: base = t->enum_def->name; break;
    case TypeKind::List: base = fmt::format("[{}]", type_name(t->elem)); break;
    case TypeKind::Map: base = fmt::format("{{string: {}}}", type_name(t->elem)); break;
    case TypeKind::Record: base = t->record->name; break;
    case TypeKind::Ref: base = std::string(ref_kind_name(t->ref)); break;
    case TypeKind::SecretRef: base = "secret(...)"; break;
  }
  return t->optional ? base + "?" : base;
}

const Value& Value::field(std::string_view name) const {
  return kind == Kind::Record && record ? at(record->find(name)) : at(-1);
}

const Value& Value::at(int position) const {
  static const Value null_value;
  if (kind != Kind::Record || !items || position < 0 || static_cast<size_t>(position) >= items->size()) return null_value;
  return (*items)[static_cast<size_t>(position)];
}

const Value* Value::entry(std::string_view key) const {
  if (kind != Kind::Map || !keys) return nullptr;
  for (size_t k = 0; k < keys->size(); ++k)
    if ((*keys)[k] == key) return &(*items)[k];
  return nullptr;
}

namespace {
std::string scaled(int64_t v, std::initializer_list<std::pair<int64_t, const char*>> units, const char* base) {
  for (auto [factor, name] : units)
    if (v != 0 && v % factor == 0) return fmt::format("{}{}", v / factor, name);
  return fmt::format("{}{}", v, base);
}
}  // namespace

std::string value_text(const Value& v) {
  switch (v.kind) {
    case Value::Kind::Int: return std::to_string(v.i);
    case Value::Kind::Float: return fmt::format("{}", v.f);
    case Value::Kind::Bool: return v.i ? "true" : "false";
    case Value::Kind::String: return v.s;
    case Value::Kind::Bytes:
      return scaled(v.i, {{1LL << 50, "PiB"}, {1LL << 40, "TiB"}, {1LL << 30, "GiB"}, {1LL << 20, "MiB"}, {1LL << 10, "KiB"}}, "B");
    case Value::Kind::Cpu: return v.i % 1000 == 0 ? std::to_string(v.i / 1000) : fmt::format("{}m", v.i);
    case Value::Kind::Duration:
      return scaled(v.i, {{86400000, "d"}, {3600000, "h"}, {60000, "m"}, {1000, "s"}}, "ms");
    case Value::Kind::Enum: return std::string(v.enum_name());
    case Value::Kind::Ref: return v.s;
    case Value::Kind::SecretRef: return fmt::format("secret(\"{}\")", v.s);
    case Value::Kind::Null: return "null";
    default: return "";
  }
}

uint64_t value_size(const Value& v) {
  if (v.kind == Value::Kind::List || v.kind == Value::Kind::Map || v.kind == Value::Kind::Record)
    return static_cast<uint64_t>(v.i);
  return 1 + v.s.size();
}

void seal_size(Value& v) {
  uint64_t total = 1;
  if (v.items)
    for (const Value& x : *v.items) total = size_sum(total, value_size(x));
  if (v.keys)
    for (const std::string& k : *v.keys) total = size_sum(total, k.size());
  v.i = static_cast<int64_t>(std::min<uint64_t>(total, INT64_MAX));
}

Span key_span(const Value& map, size_t i, Span fallback) {
  return map.key_spans && i < map.key_spans->size() ? (*map.key_spans)[i] : fallback;
}

}  // namespace claw::sema
