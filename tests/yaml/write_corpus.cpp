// Writes the hostile-scalar corpus (corpus.h) through claw's real YAML
// emitters into a folder, with what each file must read back as:
//
//   claw_yaml_corpus OUT_DIR
//
// OUT_DIR/<name>.yaml are the emitters' output; OUT_DIR/expected.json says,
// for each file, how many documents it holds, their kinds, and the value
// at given paths of given documents, built from the corpus alone (JSON
// written by nlohmann::json, not by claw). check_pyyaml.py and
// check_jsyaml.mjs read every file back and compare.
#include <nlohmann/json.hpp>

#include <cstdio>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "compiler/emit/manifest_files.h"
#include "compiler/emit/manifests.h"
#include "compiler/emit/resources.h"
#include "compiler/emit/values.h"
#include "compiler/emit/yaml_doc.h"
#include "compiler/emit/yaml_writer.h"
#include "compiler/placement/placement.h"
#include "compiler/sema/model.h"
#include "tests/yaml/corpus.h"

namespace {

using json = nlohmann::json;
namespace yaml = claw::emit::yaml;
using claw::sema::Value;

/// A name unique to item `i`: keys are unique, so each corpus string can
/// be a key once.
std::string tag(size_t i) { return "s" + std::to_string(i); }

json check(int doc, json path, json expected) { return json::array({doc, std::move(path), std::move(expected)}); }

/// The yaml_doc tree: the corpus as values, keys, items and nested.
void tree_file(const std::vector<std::string>& c, std::string& text, json& expected) {
  yaml::Node root = yaml::map_node();
  json want = json::object();
  yaml::Node items = yaml::seq_node(), keys = yaml::map_node(), nested = yaml::map_node(), pairs = yaml::seq_node();
  json witems = json::array(), wkeys = json::object(), wnested = json::object(), wpairs = json::array();
  for (size_t i = 0; i < c.size(); ++i) {
    items.push_back(yaml::str(c[i]));
    witems.push_back(c[i]);
    keys[c[i]] = yaml::str(tag(i));
    wkeys[c[i]] = tag(i);
    yaml::Node inner = yaml::map_node();
    inner["v"] = yaml::str(c[i]);
    nested[tag(i)] = inner;
    wnested[tag(i)] = {{"v", c[i]}};
    yaml::Node pair = yaml::map_node();
    pair[c[i]] = yaml::str(c[i]);
    pairs.push_back(pair);
    wpairs.push_back({{c[i], c[i]}});
  }
  root["items"] = items;
  root["keys"] = keys;
  root["nested"] = nested;
  root["pairs"] = pairs;
  want = {{"items", witems}, {"keys", wkeys}, {"nested", wnested}, {"pairs", wpairs}};
  text = yaml::stream("the corpus through yaml_doc", {{root, ""}});
  expected = {{"docs", 1}, {"checks", json::array({check(0, json::array(), want)})}};
}

/// The straight writer (yaml_writer.h), as the workload emitter drives it.
void writer_file(const std::vector<std::string>& c, std::string& text, json& expected) {
  yaml::Writer y(text);
  json want = json::object();
  y.begin_map();
  y.begin_map("keys");
  for (size_t i = 0; i < c.size(); ++i) {
    y.key(c[i]);
    y.str(c[i]);
    want["keys"][c[i]] = c[i];
  }
  y.end_map();
  y.begin_seq("items");
  for (const auto& s : c) y.str(s);
  y.end_seq();
  want["items"] = c;
  y.end_map();
  expected = {{"docs", 1}, {"checks", json::array({check(0, json::array(), want)})}};
}

Value str_value(const std::string& s) {
  Value v;
  v.kind = Value::Kind::String;
  v.s = s;
  return v;
}

Value map_value(std::vector<std::string> keys, std::vector<Value> items) {
  Value v;
  v.kind = Value::Kind::Map;
  v.keys = std::make_shared<std::vector<std::string>>(std::move(keys));
  v.items = std::make_shared<std::vector<Value>>(std::move(items));
  return v;
}

Value list_value(std::vector<Value> items) {
  Value v;
  v.kind = Value::Kind::List;
  v.items = std::make_shared<std::vector<Value>>(std::move(items));
  return v;
}

/// Chart values (an untyped chart): the corpus as keys, values, list items
/// and nested maps; what values/<release>.yaml and the HelmChart's
/// valuesContent hold. The chart's repo, chart and version are hostile too
/// (they go into the values file's header comment).
claw::sema::Chart chart(const std::vector<std::string>& c, json& values) {
  std::vector<std::string> keys = {"list", "nested"};
  std::vector<Value> items;
  std::vector<Value> list;
  json wlist = json::array();
  std::vector<std::string> nkeys;
  std::vector<Value> nitems;
  json wnested = json::object();
  for (size_t i = 0; i < c.size(); ++i) {
    list.push_back(str_value(c[i]));
    wlist.push_back(c[i]);
    nkeys.push_back(tag(i));
    nitems.push_back(map_value({c[i]}, {str_value(c[i])}));
    wnested[tag(i)] = {{c[i], c[i]}};
  }
  items.push_back(list_value(std::move(list)));
  items.push_back(map_value(std::move(nkeys), std::move(nitems)));
  values = {{"list", wlist}, {"nested", wnested}};
  // The corpus as top-level keys too, beside `list` and `nested`.
  for (size_t i = 0; i < c.size(); ++i) {
    if (c[i] == "list" || c[i] == "nested") continue;
    keys.push_back(c[i]);
    items.push_back(str_value(tag(i)));
    values[c[i]] = tag(i);
  }
  claw::sema::Chart ch;
  ch.name = "corpus";
  ch.type = "chart";
  ch.repo = "https://example.com/charts\n---\nkind: Secret\n";
  ch.chart = "x\nadminPassword: hunter2";
  ch.version = "1.0\xE2\x80\xA8" "evil: true";
  ch.namespace_ = "default";
  ch.values = map_value(std::move(keys), std::move(items));
  return ch;
}

/// A service whose image, command, args, env and config are the corpus.
claw::sema::Workload workload(const std::vector<std::string>& c, json& config, json& env) {
  claw::sema::Workload w;
  w.id = claw::sema::WorkloadId{0};
  w.kind = claw::sema::WorkloadKind::Service;
  w.name = "corpus";
  w.namespace_ = "apps";
  w.image = "=";
  w.args = c;
  w.command = {"<<", "~", "yes"};
  w.config_at = "/etc/claw";
  config = json::object();
  env = json::array();
  for (size_t i = 0; i < c.size(); ++i) {
    w.config[c[i]] = c[i];
    config[c[i]] = c[i];
    w.env.push_back(claw::sema::EnvVar{c[i], c[i], std::nullopt, {}});
    env.push_back({{"name", c[i]}, {"value", c[i]}});
  }
  return w;
}

void write(const std::string& dir, const std::string& name, const std::string& text) {
  std::ofstream(dir + "/" + name, std::ios::binary) << text;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: claw_yaml_corpus OUT_DIR\n");
    return 2;
  }
  const std::string dir = argv[1];
  const std::vector<std::string> c = claw::yaml_corpus::corpus();
  json expected = json::object();
  std::string text;
  json e;

  tree_file(c, text, e);
  write(dir, "tree.yaml", text);
  expected["tree.yaml"] = e;

  text.clear();
  writer_file(c, text, e);
  write(dir, "writer.yaml", text);
  expected["writer.yaml"] = e;

  // Chart values: the values file, and the HelmChart whose valuesContent
  // must read back, as YAML in its turn, as the same values.
  claw::sema::Model model;
  json values;
  model.charts.push_back(chart(c, values));
  write(dir, "values.yaml", claw::emit::values_yaml(model.charts[0]));
  expected["values.yaml"] = {{"docs", 1}, {"checks", json::array({check(0, json::array(), values)})}};
  write(dir, "helmchart.yaml",
        claw::emit::manifest_files(std::vector{claw::emit::helm_chart_object(model, model.charts[0])}, claw::emit::nowhere())
            .begin()
            ->second);
  expected["helmchart.yaml"] = {
      {"docs", 1},
      {"kinds", {"HelmChart"}},
      {"checks", json::array({check(0, {"spec", "valuesContent"}, {{"$yaml", values}}),
                              check(0, {"spec", "chart"}, model.charts[0].chart),
                              check(0, {"spec", "repo"}, model.charts[0].repo),
                              check(0, {"spec", "version"}, model.charts[0].version)})}};

  // A workload: its ConfigMap and Deployment.
  json config, env;
  model.workloads.push_back(workload(c, config, env));
  std::string manifest;
  claw::placement::Placement placed;
  claw::emit::workload_manifests(model, placed, claw::emit::nowhere(),
                                 [&](std::string_view, std::string_view t) { manifest = std::string(t); });
  write(dir, "workload.yaml", manifest);
  json container = {"spec", "template", "spec", "containers", 0};
  auto at = [&](std::initializer_list<json> tail) {
    json p = container;
    for (const auto& t : tail) p.push_back(t);
    return p;
  };
  expected["workload.yaml"] = {
      {"docs", 2},
      {"kinds", {"ConfigMap", "Deployment"}},
      {"checks", json::array({check(0, {"data"}, config), check(1, at({"args"}), c), check(1, at({"env"}), env),
                              check(1, at({"image"}), "="), check(1, at({"command"}), {"<<", "~", "yes"})})}};

  // A custom resource: labels and annotations from the corpus, a spec of
  // corpus keys and values.
  claw::sema::CustomResource r;
  r.name = "corpus";
  r.api_version = "example.com/v1";
  r.kind = "Corpus";
  r.namespace_ = "apps";
  json annotations = json::object(), spec = json::object();
  std::vector<std::string> spec_keys;
  std::vector<Value> spec_items;
  for (size_t i = 0; i < c.size(); ++i) {
    r.annotations[c[i]] = c[i];
    annotations[c[i]] = c[i];
    spec_keys.push_back(c[i]);
    spec_items.push_back(str_value(c[i]));
    spec[c[i]] = c[i];
  }
  r.spec = map_value(std::move(spec_keys), std::move(spec_items));
  write(dir, "resource.yaml", claw::emit::resource_yaml(model, r));
  expected["resource.yaml"] = {{"docs", 1},
                               {"kinds", {"Corpus"}},
                               {"checks", json::array({check(0, {"metadata", "annotations"}, annotations),
                                                       check(0, {"spec"}, spec)})}};

  expected["corpus_size"] = c.size();
  write(dir, "expected.json", expected.dump(1));
  std::printf("wrote %zu hostile strings into %zu YAML files under %s\n", c.size(), expected.size() - 1, dir.c_str());
  return 0;
}
