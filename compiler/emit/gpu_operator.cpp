#include "compiler/emit/gpu_operator.h"

#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <optional>

#include "compiler/emit/manifests.h"
#include "compiler/emit/yaml_doc.h"

namespace claw::emit {

namespace {

using sema::Value;

bool uses_operator(const sema::Model& model) { return model.cluster && model.cluster->gpu_operator; }

bool is_operator_chart(const sema::Chart& c) { return c.chart == "gpu-operator"; }

Value string_value(std::string s) {
  Value v;
  v.kind = Value::Kind::String;
  v.s = std::move(s);
  return v;
}

/// `map` (a Map value) with `key` set to `item`, appended.
Value with_entry(const Value& map, std::string key, Value item) {
  Value out = map;
  out.keys = std::make_shared<std::vector<std::string>>(map.keys ? *map.keys : std::vector<std::string>{});
  out.items = std::make_shared<std::vector<Value>>(map.items ? *map.items : std::vector<Value>{});
  out.key_spans.reset();
  out.keys->push_back(std::move(key));
  out.items->push_back(std::move(item));
  return out;
}

Value empty_map() {
  Value v;
  v.kind = Value::Kind::Map;
  return v;
}

}  // namespace

std::optional<Object> operator_slicing_object(const sema::Model& model, const TimeSlicing& slicing) {
  if (!uses_operator(model) || slicing.empty()) return std::nullopt;
  auto chart = std::find_if(model.charts.begin(), model.charts.end(), is_operator_chart);
  std::string ns = chart != model.charts.end() ? chart->namespace_ : std::string(kGpuOperatorNamespace);
  std::string name(kOperatorSlicingConfigMap);
  yaml::Node cm = yaml::map_node();
  cm["apiVersion"] = yaml::str("v1");
  cm["kind"] = yaml::str("ConfigMap");
  yaml::Node meta = yaml::map_node();
  meta["name"] = yaml::str(name);
  meta["namespace"] = yaml::str(ns);
  meta["labels"] = managed_labels(model, name);
  cm["metadata"] = std::move(meta);
  yaml::Node data = yaml::map_node();
  for (const auto& [config, replicas] : slicing.configs) data[config] = yaml::str(time_slicing_config(replicas));
  cm["data"] = std::move(data);
  Object o;
  o.ref = {"", "v1", "ConfigMap", ns, name};
  o.origin = Origin::OperatorSlicing;
  o.owner = name;
  o.span = chart != model.charts.end() ? chart->span : model.cluster->span;
  o.body = yaml::tree_of(cm);
  return o;
}

sema::Chart with_operator_time_slicing(const sema::Model& model, const sema::Chart& chart, const TimeSlicing& slicing) {
  if (!uses_operator(model) || slicing.empty() || !is_operator_chart(chart)) return chart;
  const Value& values = chart.values;
  if (values.kind != Value::Kind::Map) return chart;  // a typed schema would name its own field
  const Value* plugin = values.entry("devicePlugin");
  if (plugin && (plugin->kind != Value::Kind::Map || plugin->entry("config"))) return chart;  // the program's own
  Value config = with_entry(with_entry(empty_map(), "name", string_value(std::string(kOperatorSlicingConfigMap))),
                            "default", string_value(slicing.default_config));
  sema::Chart out = chart;
  if (plugin) {
    Value new_plugin = with_entry(*plugin, "config", std::move(config));
    out.values = values;
    out.values.items = std::make_shared<std::vector<Value>>(*values.items);
    auto at = std::find(values.keys->begin(), values.keys->end(), "devicePlugin") - values.keys->begin();
    (*out.values.items)[static_cast<size_t>(at)] = std::move(new_plugin);
  } else {
    out.values = with_entry(values, "devicePlugin", with_entry(empty_map(), "config", std::move(config)));
  }
  return out;
}

}  // namespace claw::emit
