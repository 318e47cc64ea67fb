#include "compiler/emit/secrets_json.h"

#include <nlohmann/json.hpp>

#include <set>
#include <utility>
#include <vector>

#include "compiler/emit/manifests.h"
#include "compiler/emit/secret_objects.h"
#include "compiler/emit/values.h"
#include "compiler/sema/secret_readers.h"

namespace claw::emit {

std::string secrets_json(const sema::Model& model, const Where& where) {
  using nlohmann::json;
  // Each chart's secret values, found once.
  std::vector<std::vector<SecretValue>> chart_secrets;
  for (const auto& c : model.charts) chart_secrets.push_back(values_secrets(c));
  const auto readers = sema::secret_readers(model);
  json secrets = json::array();
  for (const auto& s : model.secrets) {
    // Where it is made: its own namespace when written, and every namespace
    // of a workload that reads it (a Secret is read in its own namespace);
    // nowhere else. Charts read it through their values Secret.
    const std::set<std::string> namespaces = secret_namespaces(s, readers[s.id.value]);
    json used_by = json::array();
    for (const auto& r : readers[s.id.value]) {
      if (r.workload) {
        const sema::Workload& w = *r.workload;
        json use = {{"kind", std::string(sema::workload_kind_name(w.kind))}, {"name", w.name}, {"namespace", w.namespace_}};
        if (!r.what.empty()) use[r.how] = r.what;
        else use["env_from"] = true;
        used_by.push_back(std::move(use));
      }
    }
    for (size_t c = 0; c < model.charts.size(); ++c)
      for (const auto& p : chart_secrets[c])
        if (p.secret == s.name) used_by.push_back({{"kind", "chart"}, {"name", model.charts[c].name}, {"values", p.dotted()}});
    json from = json::object();
    if (s.env) from["env"] = *s.env;
    if (s.file) from["file"] = *s.file;
    secrets.push_back({{"name", s.name},
                       {"namespaces", json(std::vector<std::string>(namespaces.begin(), namespaces.end()))},
                       {"key", s.key},
                       {"from", from},
                       {"source", where(s.span)},
                       {"used_by", used_by}});
  }
  json values = json::array();
  for (size_t i = 0; i < model.charts.size(); ++i) {
    const auto& c = model.charts[i];
    const auto& paths = chart_secrets[i];
    if (paths.empty()) continue;
    json list = json::array();
    for (const auto& p : paths) list.push_back({{"path", p.dotted()}, {"secret", p.secret}});
    values.push_back({{"name", values_secret_name(c)},
                      {"namespace", "kube-system"},
                      {"key", "values.yaml"},
                      {"chart", c.name},
                      {"values", list}});
  }
  json out = {{"secrets", secrets}, {"values_secrets", values}};
  return out.dump(2) + "\n";
}

}  // namespace claw::emit
