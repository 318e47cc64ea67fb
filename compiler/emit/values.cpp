#include "compiler/emit/values.h"
#include "compiler/emit/safe_text.h"
#include "compiler/emit/yaml_doc.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
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

/// Builds the YAML tree of a value tree, noting the secrets it leaves out
/// and the lists it leaves out because they hold secrets.
struct Writer {
  std::vector<SecretValue>& secrets;
  std::vector<std::string> path;
  /// Chart values: a list holding a secret is left out whole (and noted
  /// in `lists` when given); elsewhere only the secret is left out.
  bool move_lists = false;
  std::vector<SecretList>* lists = nullptr;
  /// Inside a list that goes to the values Secret whole: secrets become
  /// nulls in place, so that every item keeps its index.
  bool moving = false;

  static bool holds_secret(const Value& v) {
    if (v.kind == VK::SecretRef) return true;
    if (v.items)
      for (const auto& item : *v.items)
        if (holds_secret(item)) return true;
    return false;
  }

  /// Whether `v` takes a place in its parent (nulls of records do not,
  /// secrets never do).
  static bool written_in_record(const Value& v) {
    return !v.is_null() && !v.bad() && v.kind != VK::SecretRef;
  }

  void note_secret(const Value& v) { secrets.push_back(SecretValue{path, v.s}); }

  yaml::Node value(const Value& v) {
    switch (v.kind) {
      case VK::Poison:
      case VK::Unknown:
      case VK::Null:
      case VK::SecretRef: return yaml::Node();  // secrets never reach here: parents leave them out
      case VK::Int: return yaml::Node::plain(std::to_string(v.i));
      case VK::Float: return yaml::Node::plain(float_text(v.f));
      case VK::Bool: return yaml::Node(v.i != 0);
      case VK::String: return yaml::str(v.s);
      case VK::Bytes: return yaml::str(kube_bytes(v.i));
      case VK::Cpu:
      case VK::Duration:
      case VK::Enum:
      case VK::Ref: return yaml::str(sema::value_text(v));
      case VK::List: return list(v);
      case VK::Map: return map(v);
      case VK::Record: return record(v);
    }
    return yaml::Node();
  }

  /// A key, its value, and the `extra` values merged under it (or null).
  struct Entry {
    std::string_view key;
    const Value* item;
    const Value* extra;
  };

  yaml::Node entries(std::vector<Entry> kv) {
    std::sort(kv.begin(), kv.end(), [](const Entry& a, const Entry& b) { return a.key < b.key; });
    yaml::Node out = yaml::map_node();
    for (const auto& [k, item, extra] : kv) {
      path.emplace_back(k);
      // Secrets are noted in key order, then left out; so is a list
      // holding one, set whole by the values Secret.
      if (item->kind == VK::SecretRef) {
        note_secret(*item);
      } else if (move_lists && !moving && item->kind == VK::List && holds_secret(*item)) {
        moving = true;
        yaml::Node whole = list(*item);
        moving = false;
        if (lists) lists->push_back(SecretList{path, std::move(whole)});
      } else {
        out.entries.emplace_back(std::string(k), item->kind == VK::Record ? record(*item, extra) : value(*item));
      }
      path.pop_back();
    }
    return out;
  }

  yaml::Node map(const Value& v) {
    std::vector<Entry> kv;
    if (v.keys && v.items)
      for (size_t k = 0; k < v.keys->size() && k < v.items->size(); ++k)
        if (!v.bad()) kv.push_back({(*v.keys)[k], &(*v.items)[k], nullptr});
    return entries(std::move(kv));
  }

  /// A record's fields, with `extra` (a Map of keys the record does not
  /// have, and of fields that are records themselves: sema allows no
  /// other) merged in.
  yaml::Node record(const Value& v, const Value* extra = nullptr) {
    std::vector<Entry> kv;
    bool merge = extra && extra->kind == VK::Map && extra->keys && extra->items;
    if (v.record && v.items)
      for (size_t f = 0; f < v.record->fields.size() && f < v.items->size(); ++f) {
        const Value& item = (*v.items)[f];
        const std::string& name = v.record->fields[f].name;
        const Value* under = merge ? extra->entry(name) : nullptr;
        if (written_in_record(item) || item.kind == VK::SecretRef) kv.push_back({name, &item, under});
        else if (under) kv.push_back({name, under, nullptr});
      }
    if (merge && v.record)
      for (size_t k = 0; k < extra->keys->size() && k < extra->items->size(); ++k)
        if (v.record->find((*extra->keys)[k]) < 0) kv.push_back({(*extra->keys)[k], &(*extra->items)[k], nullptr});
    return entries(std::move(kv));
  }

  yaml::Node list(const Value& v) {
    yaml::Node out = yaml::seq_node();
    if (!v.items) return out;
    size_t written = 0;
    for (size_t k = 0; k < v.items->size(); ++k) {
      const Value& item = (*v.items)[k];
      if (moving) {
        path.push_back(fmt::format("[{}]", k));
        if (item.kind == VK::SecretRef) note_secret(item);
        out.items.push_back(item.kind == VK::SecretRef ? yaml::Node() : value(item));
        path.pop_back();
        continue;
      }
      if (item.kind == VK::SecretRef) {
        path.push_back(fmt::format("[{}]", k));
        note_secret(item);
        path.pop_back();
        continue;
      }
      path.push_back(fmt::format("[{}]", written++));
      out.items.push_back(value(item));
      path.pop_back();
    }
    return out;
  }

  yaml::Node root(const Value& v, const Value& extra) {
    if (v.kind == VK::Map) return map(v);
    if (v.kind == VK::Record) return record(v, &extra);
    return yaml::map_node();
  }
};

}  // namespace

namespace {

/// `grafana.adminPassword`, `a.list[0]`.
std::string dotted_path(const std::vector<std::string>& path) {
  std::string out;
  for (const auto& p : path) {
    if (!out.empty() && !p.starts_with('[')) out += '.';
    out += p;
  }
  return out;
}

}  // namespace

std::string SecretValue::dotted() const { return dotted_path(path); }

std::string SecretList::dotted() const { return dotted_path(path); }

std::string kube_bytes(int64_t bytes) {
  if (bytes == 0) return "0";
  static constexpr std::array<std::pair<int64_t, std::string_view>, 10> units = {{
      {1LL << 50, "Pi"}, {1LL << 40, "Ti"}, {1LL << 30, "Gi"}, {1LL << 20, "Mi"}, {1LL << 10, "Ki"},
      {1000000000000000LL, "P"}, {1000000000000LL, "T"}, {1000000000LL, "G"}, {1000000LL, "M"}, {1000LL, "k"},
  }};
  auto decimal = [](char* buf, int64_t v) { return static_cast<size_t>(std::to_chars(buf, buf + 24, v).ptr - buf); };
  char buf[24];
  // The shortest exact spelling; binary units win ties (they come first).
  int64_t best = bytes;
  std::string_view best_unit;
  size_t best_size = decimal(buf, bytes);
  for (auto [factor, name] : units)
    if (bytes % factor == 0) {
      if (size_t size = decimal(buf, bytes / factor) + name.size(); size < best_size) {
        best = bytes / factor;
        best_unit = name;
        best_size = size;
      }
    }
  std::string out(buf, decimal(buf, best));
  out += best_unit;
  return out;
}

namespace {

/// The writer of a chart's values.
Writer chart_writer(std::vector<SecretValue>& secrets, std::vector<SecretList>* lists) {
  Writer w{secrets, {}};
  w.move_lists = true;
  w.lists = lists;
  return w;
}

}  // namespace

std::vector<SecretValue> values_secrets(const sema::Chart& chart) {
  std::vector<SecretValue> secrets;
  (void)chart_writer(secrets, nullptr).root(chart.values, chart.extra);
  return secrets;
}

std::vector<SecretList> values_secret_lists(const sema::Chart& chart) {
  std::vector<SecretValue> secrets;
  std::vector<SecretList> lists;
  (void)chart_writer(secrets, &lists).root(chart.values, chart.extra);
  return lists;
}

std::string values_body(const sema::Chart& chart) {
  std::vector<SecretValue> secrets;
  std::string text;
  yaml::append(text, chart_writer(secrets, nullptr).root(chart.values, chart.extra));
  return text;
}

std::string values_yaml(const sema::Chart& chart) {
  std::vector<SecretValue> secrets;
  std::vector<SecretList> lists;
  yaml::Node body = chart_writer(secrets, &lists).root(chart.values, chart.extra);
  // The chart's fields and the values' keys are the program's text: each
  // comment stays one line whatever they hold.
  std::string text;
  append_comment(text, fmt::format("Generated by claw from chart `{}` ({} {} from {}); do not edit.", chart.name,
                                   chart.chart, chart.version, chart.repo));
  for (const auto& l : lists)
    append_comment(text, fmt::format("{}: holds secrets, so the whole list is set at apply time (Helm replaces lists)",
                                     l.dotted()));
  for (const auto& s : secrets)
    append_comment(text, fmt::format("{}: from secret {} (supplied at apply time)", s.dotted(), s.secret));
  yaml::append(text, body);
  return text;
}

yaml::Node value_node(const sema::Value& value) {
  std::vector<SecretValue> secrets;
  return Writer{secrets, {}}.value(value);
}

}  // namespace claw::emit
