#include "compiler/emit/values.h"
#include "compiler/emit/yaml_string.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <utility>

namespace claw::emit {

namespace {

using sema::Value;
using VK = Value::Kind;

std::string float_text(double f) {
  if (std::isnan(f)) return ".nan";
  if (std::isinf(f)) return f > 0 ? ".inf" : "-.inf";
  std::string t = fmt::format("{}", f);
  // Keep it a float when read back: 2.0 is "2.0", not the int 2.
  if (t.find_first_of(".eE") == std::string::npos) t += ".0";
  return t;
}

struct Writer {
  YAML::Emitter& out;
  std::vector<SecretValue>& secrets;
  std::vector<std::string> path;

  /// Whether `v` takes a place in its parent (nulls of records do not,
  /// secrets never do).
  static bool written_in_record(const Value& v) {
    return !v.is_null() && !v.bad() && v.kind != VK::SecretRef;
  }

  void note_secret(const Value& v) { secrets.push_back(SecretValue{path, v.s}); }

  void value(const Value& v) {
    switch (v.kind) {
      case VK::Poison:
      case VK::Unknown:
      case VK::Null: out << YAML::Null; return;
      case VK::Int: out << v.i; return;
      case VK::Float: out << float_text(v.f); return;
      case VK::Bool: out << (v.i != 0); return;
      case VK::String: write_yaml_string(out, v.s); return;
      case VK::Bytes: write_yaml_string(out, kube_bytes(v.i)); return;
      case VK::Cpu:
      case VK::Duration:
      case VK::Enum:
      case VK::Ref: write_yaml_string(out, sema::value_text(v)); return;
      case VK::SecretRef: out << YAML::Null; return;  // never reached: parents leave secrets out
      case VK::List: list(v); return;
      case VK::Map: map(v); return;
      case VK::Record: record(v); return;
    }
  }

  void entries(std::vector<std::pair<std::string_view, const Value*>> kv) {
    std::sort(kv.begin(), kv.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    // Secrets are noted in key order, then left out.
    std::erase_if(kv, [&](const auto& e) {
      if (e.second->kind != VK::SecretRef) return false;
      path.emplace_back(e.first);
      note_secret(*e.second);
      path.pop_back();
      return true;
    });
    if (kv.empty()) {
      out << YAML::Flow << YAML::BeginMap << YAML::EndMap;
      return;
    }
    out << YAML::BeginMap;
    for (const auto& [k, item] : kv) {
      out << YAML::Key;
      write_yaml_string(out, std::string(k));
      out << YAML::Value;
      path.emplace_back(k);
      value(*item);
      path.pop_back();
    }
    out << YAML::EndMap;
  }

  void map(const Value& v) {
    std::vector<std::pair<std::string_view, const Value*>> kv;
    if (v.keys && v.items)
      for (size_t k = 0; k < v.keys->size() && k < v.items->size(); ++k)
        if (!v.bad()) kv.emplace_back((*v.keys)[k], &(*v.items)[k]);
    entries(std::move(kv));
  }

  void record(const Value& v) {
    std::vector<std::pair<std::string_view, const Value*>> kv;
    if (v.record && v.items)
      for (size_t f = 0; f < v.record->fields.size() && f < v.items->size(); ++f) {
        const Value& item = (*v.items)[f];
        if (written_in_record(item) || item.kind == VK::SecretRef) kv.emplace_back(v.record->fields[f].name, &item);
      }
    entries(std::move(kv));
  }

  void list(const Value& v) {
    std::vector<const Value*> items;
    if (v.items)
      for (size_t k = 0; k < v.items->size(); ++k) {
        const Value& item = (*v.items)[k];
        if (item.kind == VK::SecretRef) {
          path.push_back(fmt::format("[{}]", k));
          note_secret(item);
          path.pop_back();
        } else {
          items.push_back(&item);
        }
      }
    if (items.empty()) {
      out << YAML::Flow << YAML::BeginSeq << YAML::EndSeq;
      return;
    }
    out << YAML::BeginSeq;
    for (size_t k = 0; k < items.size(); ++k) {
      path.push_back(fmt::format("[{}]", k));
      value(*items[k]);
      path.pop_back();
    }
    out << YAML::EndSeq;
  }

  void root(const Value& v) {
    if (v.kind == VK::Map) map(v);
    else if (v.kind == VK::Record) record(v);
    else out << YAML::Flow << YAML::BeginMap << YAML::EndMap;
  }
};

}  // namespace

std::string SecretValue::dotted() const {
  std::string out;
  for (const auto& p : path) {
    if (!out.empty() && !p.starts_with('[')) out += '.';
    out += p;
  }
  return out;
}

std::string kube_bytes(int64_t bytes) {
  if (bytes == 0) return "0";
  static constexpr std::array<std::pair<int64_t, const char*>, 10> units = {{
      {1LL << 50, "Pi"}, {1LL << 40, "Ti"}, {1LL << 30, "Gi"}, {1LL << 20, "Mi"}, {1LL << 10, "Ki"},
      {1000000000000000LL, "P"}, {1000000000000LL, "T"}, {1000000000LL, "G"}, {1000000LL, "M"}, {1000LL, "k"},
  }};
  // The shortest exact spelling; binary units win ties (they come first).
  std::string best = std::to_string(bytes);
  for (auto [factor, name] : units)
    if (bytes % factor == 0) {
      std::string t = fmt::format("{}{}", bytes / factor, name);
      if (t.size() < best.size()) best = std::move(t);
    }
  return best;
}

std::vector<SecretValue> values_secrets(const sema::Chart& chart) {
  std::vector<SecretValue> secrets;
  YAML::Emitter scratch;
  Writer{scratch, secrets, {}}.root(chart.values);
  return secrets;
}

std::string values_body(const sema::Chart& chart) {
  std::vector<SecretValue> secrets;
  YAML::Emitter body;
  body.SetIndent(2);
  Writer{body, secrets, {}}.root(chart.values);
  std::string text = body.c_str();
  if (text.empty() || text.back() != '\n') text += '\n';
  return text;
}

std::string values_yaml(const sema::Chart& chart) {
  std::vector<SecretValue> secrets;
  YAML::Emitter body;
  body.SetIndent(2);
  Writer{body, secrets, {}}.root(chart.values);

  YAML::Emitter head;
  head << YAML::Comment(fmt::format("Generated by claw from chart `{}` ({} {} from {}); do not edit.", chart.name,
                                    chart.chart, chart.version, chart.repo));
  for (const auto& s : secrets)
    head << YAML::Newline
         << YAML::Comment(fmt::format("{}: from secret {} (supplied at apply time)", s.dotted(), s.secret));

  std::string text = head.c_str();
  text += '\n';
  text += body.c_str();
  if (text.empty() || text.back() != '\n') text += '\n';
  return text;
}

void write_value(YAML::Emitter& out, const sema::Value& value) {
  std::vector<SecretValue> secrets;
  Writer{out, secrets, {}}.value(value);
}

}  // namespace claw::emit
