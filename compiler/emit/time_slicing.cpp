#include "compiler/emit/time_slicing.h"

#include <fmt/format.h>

#include <algorithm>
#include <memory>

namespace claw::emit {

namespace {

using sema::Value;

Value string_value(std::string s) {
  Value v;
  v.kind = Value::Kind::String;
  v.s = std::move(s);
  return v;
}

Value map_value(std::vector<std::pair<std::string, Value>> entries) {
  Value v;
  v.kind = Value::Kind::Map;
  v.keys = std::make_shared<std::vector<std::string>>();
  v.items = std::make_shared<std::vector<Value>>();
  for (auto& [k, item] : entries) {
    v.keys->push_back(k);
    v.items->push_back(std::move(item));
  }
  return v;
}

}  // namespace

std::map<std::string, std::string> TimeSlicing::node_labels(const std::string& machine) const {
  auto it = machine_config.find(machine);
  if (it == machine_config.end() || it->second == default_config) return {};
  return {{kDevicePluginConfigLabel, it->second}};
}

TimeSlicing time_slicing(const sema::Model& model, const placement::Placement& placement) {
  TimeSlicing out;
  bool shared = false;
  for (const auto& m : model.machines) {
    if (m.gpus.empty() || m.id.value >= placement.use.size()) continue;
    const auto& users = placement.use[m.id.value].shared_users;
    int most = users.empty() ? 0 : *std::max_element(users.begin(), users.end());
    bool sliced = most >= 2;
    std::string name = sliced ? fmt::format("time-sliced-{}", most) : "exclusive";
    shared = shared || sliced;
    out.configs[name] = sliced ? most : 1;
    out.machine_config[m.name] = name;
  }
  if (!shared) return {};
  // The default: the config most GPU machines use; ties go to `exclusive`,
  // then to the first name.
  std::map<std::string, int> uses;
  for (const auto& [machine, config] : out.machine_config) ++uses[config];
  int best = -1;
  for (const auto& [config, n] : uses)
    if (n > best || (n == best && config == "exclusive")) {
      best = n;
      out.default_config = config;
    }
  return out;
}

std::string time_slicing_config(int replicas) {
  if (replicas < 2) return "version: v1\n";
  return fmt::format(
      "version: v1\n"
      "sharing:\n"
      "  timeSlicing:\n"
      "    resources:\n"
      "      - name: nvidia.com/gpu\n"
      "        replicas: {}\n",
      replicas);
}

sema::Chart with_time_slicing(const sema::Chart& chart, const TimeSlicing& slicing) {
  if (slicing.empty() || chart.type != "nvidia-device-plugin") return chart;
  const Value& values = chart.values;
  if (values.kind != Value::Kind::Record || !values.record || !values.items) return chart;
  const auto& fields = values.record->fields;
  auto at = std::find_if(fields.begin(), fields.end(), [](const auto& f) { return f.name == "config"; });
  if (at == fields.end()) return chart;
  size_t index = static_cast<size_t>(at - fields.begin());
  if (index >= values.items->size() || !(*values.items)[index].is_null()) return chart;

  std::vector<std::pair<std::string, Value>> configs;
  for (const auto& [name, replicas] : slicing.configs) configs.emplace_back(name, string_value(time_slicing_config(replicas)));
  sema::Chart out = chart;
  out.values.items = std::make_shared<std::vector<Value>>(*values.items);
  (*out.values.items)[index] =
      map_value({{"default", string_value(slicing.default_config)}, {"map", map_value(std::move(configs))}});
  return out;
}

}  // namespace claw::emit
