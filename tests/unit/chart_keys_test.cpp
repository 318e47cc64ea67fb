// The stdlib's chart schemas against the charts themselves: every key path a
// schema declares must be a key of the chart's values.yaml (the key lists
// in tests/charts/, extracted from the chart at the version named there), or
// lie under a key the chart leaves open (an empty map or null, marked
// `PATH.*`). A schema key the chart does not read is a value that silently
// does nothing, like `grafana-ini` for `grafana.ini`.
#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "compiler/project/load.h"
#include "compiler/sema/check.h"
#include "compiler/syntax/key_spelling.h"
#include "tests/unit/claw_inputs.h"
#include "tests/unit/test_fs.h"

namespace {

using namespace claw;

/// The key list of a chart: its non-comment lines.
std::set<std::string> chart_keys(const std::string& file) {
  std::set<std::string> keys;
  std::istringstream in(testing::read_file(testing::kRoot / "tests/charts" / file));
  for (std::string line; std::getline(in, line);)
    if (!line.empty() && !line.starts_with('#')) keys.insert(line);
  return keys;
}

/// Every field path of `rec` and of the records under it, spelt as the key
/// lists spell them.
void schema_paths(const sema::RecordDef* rec, const std::string& at, std::vector<std::string>& out) {
  for (const auto& f : rec->fields) {
    std::string path = (at.empty() ? "" : at + ".") + syntax::key_spelling(f.name);
    out.push_back(path);
    if (f.type && f.type->kind == sema::TypeKind::Record && f.type->record) schema_paths(f.type->record, path, out);
  }
}

/// Whether the chart has `path`, or leaves a key above it open.
bool chart_has(const std::set<std::string>& keys, const std::string& path) {
  if (keys.contains(path)) return true;
  for (size_t dot = path.find('.'); dot != std::string::npos; dot = path.find('.', dot + 1))
    if (keys.contains(path.substr(0, dot) + ".*")) return true;
  return false;
}

/// The key paths the values schema of stdlib chart type `type` declares.
std::vector<std::string> declared_paths(const std::string& type) {
  testing::TestFileSystem fs;
  fs.memory.add("net.claw", "import \"std/charts/" + type +
                                "\"\n"
                                "cluster home { k3s = \"v1.31.4+k3s1\"; server = box }\n"
                                "machine box { os = linux; arch = amd64; cpu = 4; memory = 16GiB }\n"
                                "chart x = " + type + " { version = \"1\" }\n");
  project::LoadOptions options;
  options.paths = {"net.claw"};
  options.stdlib_dir = testing::stdlib_dir();
  project::Project project = project::load(fs, options);
  sema::CheckResult checked = sema::check(project.program());
  REQUIRE(!checked.diags.has_errors());
  REQUIRE(checked.model.charts.size() == 1);
  const sema::Value& values = checked.model.charts[0].values;
  REQUIRE(values.kind == sema::Value::Kind::Record);
  std::vector<std::string> out;
  schema_paths(values.record, "", out);
  return out;
}

}  // namespace

TEST_CASE("chart schemas: every key the stdlib declares is a key of the chart") {
  struct Chart {
    std::string type, keys;
    size_t at_least;               // paths the schema declares (guards against an empty walk)
    std::vector<std::string> has;  // paths the walk must find
  };
  const std::vector<Chart> charts = {
      {"kube-prometheus-stack", "kube-prometheus-stack.keys", 40,
       {"grafana.\"grafana.ini\"", "prometheus.prometheusSpec.retention", "grafana.resources.limits.memory"}},
      {"nvidia-device-plugin", "nvidia-device-plugin.keys", 15, {"config.map", "gfd.enabled", "runtimeClassName"}},
  };
  for (const auto& c : charts) {
    CAPTURE(c.type);
    std::set<std::string> keys = chart_keys(c.keys);
    REQUIRE(keys.size() > 50);
    // The check can fail: a key the chart does not have is not found.
    CHECK(!chart_has(keys, "grafana.grafana-ini"));
    CHECK(!chart_has(keys, "prometheus.prometheusSpec.retension"));
    std::vector<std::string> paths = declared_paths(c.type);
    CHECK(paths.size() >= c.at_least);
    for (const auto& p : c.has) CHECK_MESSAGE(std::find(paths.begin(), paths.end(), p) != paths.end(), p);
    for (const auto& p : paths) CHECK_MESSAGE(chart_has(keys, p), c.type, " declares `", p, "`, a key the chart does not have");
  }
}
