// The object list (emit/object.h): what `claw build` writes and what
// `claw plan` / `claw apply` send are one list. Checked on infra/: every
// object has an identity, a source, a body whose JSON means what its YAML
// file says; the manifest files are exactly those objects written; the
// Secrets carry their sources and no values.
#include <doctest/doctest.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "compiler/emit/manifest_files.h"
#include "compiler/emit/output_paths.h"
#include "compiler/emit/output_tree.h"
#include "compiler/emit/tree_json.h"
#include "compiler/emit/yaml_writer.h"
#include "compiler/placement/annotation.h"
#include "compiler/placement/placement.h"
#include "compiler/project/load.h"
#include "compiler/sema/check.h"
#include "tests/unit/claw_inputs.h"
#include "tests/unit/test_fs.h"

namespace {

using namespace claw;
using nlohmann::json;

struct Infra {
  testing::TestFileSystem fs;
  project::Project project;
  sema::CheckResult checked;
  placement::Result placed;
  Infra()
      : project([&] {
          project::LoadOptions lo;
          for (const auto& e : std::filesystem::recursive_directory_iterator(testing::kRoot / "infra"))
            if (e.path().extension() == ".claw") {
              std::string path = "infra/" + std::filesystem::relative(e.path(), testing::kRoot / "infra").generic_string();
              fs.memory.add(path, testing::read_file(e.path()));
              lo.paths.push_back(path);
            }
          lo.stdlib_dir = testing::stdlib_dir();
          return project::load(fs, lo);
        }()),
        checked(sema::check(project.program())),
        placed(placement::place(checked.model)) {}
};

/// YAML as yaml-cpp reads it, as JSON: an independent reader of the files.
json yaml_to_json(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Map: {
      json out = json::object();
      for (const auto& kv : n) out[kv.first.Scalar()] = yaml_to_json(kv.second);
      return out;
    }
    case YAML::NodeType::Sequence: {
      json out = json::array();
      for (const auto& item : n) out.push_back(yaml_to_json(item));
      return out;
    }
    case YAML::NodeType::Scalar: {
      if (n.Tag() == "!") return n.Scalar();  // quoted: text
      const std::string& s = n.Scalar();
      if (s == "true" || s == "false") return s == "true";
      try {
        size_t used = 0;
        long long i = std::stoll(s, &used);
        if (used == s.size()) return i;
      } catch (...) {
      }
      return s;
    }
    default: return nullptr;
  }
}

}  // namespace

TEST_CASE("tree: built in document order, read by key, written as the YAML writer writes") {
  emit::Tree t;
  t.begin_map();
  t.str("apiVersion", "v1");
  t.begin_map("metadata");
  t.str("name", "web");
  t.end_map();
  t.begin_seq("ports");
  t.begin_map();
  t.num("port", 80);
  t.str("targetPort", "80");
  t.end_map();
  t.end_seq();
  t.key("weird key: yes");
  t.boolean(true);
  t.end_map();
  CHECK(t.text(t.node(t.at({"metadata", "name"}))) == "web");
  CHECK(t.at({"metadata", "namespace"}) == emit::Tree::npos);
  CHECK(t.at({"spec"}) == emit::Tree::npos);

  std::string direct;
  emit::yaml::Writer w(direct);
  w.begin_map();
  w.str("apiVersion", "v1");
  w.begin_map("metadata");
  w.str("name", "web");
  w.end_map();
  w.begin_seq("ports");
  w.begin_map();
  w.num("port", 80);
  w.str("targetPort", "80");
  w.end_map();
  w.end_seq();
  w.key("weird key: yes");
  w.boolean(true);
  w.end_map();
  std::string from_tree;
  emit::yaml::write_tree(from_tree, t);
  CHECK(from_tree == direct);

  // Text stays text, a number a number: `targetPort: "80"` is a port name.
  CHECK(emit::to_json(t) == json::parse(R"({"apiVersion":"v1","metadata":{"name":"web"},
      "ports":[{"port":80,"targetPort":"80"}],"weird key: yes":true})"));
  emit::Tree copy;
  copy.append(t);
  std::string again;
  emit::yaml::write_tree(again, copy);
  CHECK(again == direct);
}

TEST_CASE("objects: infra/'s objects have one identity each, a source, and the files are them written") {
  Infra infra;
  REQUIRE_FALSE(infra.checked.diags.has_errors());
  const auto& model = infra.checked.model;
  const auto objects = emit::program_objects(model, infra.placed.placement);
  REQUIRE(objects.size() > 30);

  std::set<emit::ObjectRef> refs;
  for (const auto& o : objects) {
    INFO(o.ref.display());
    CHECK(refs.insert(o.ref).second);
    CHECK(o.span.valid());
    // The body says what the ref says.
    json body = emit::to_json(o.body);
    CHECK(body["apiVersion"] == o.ref.api_version());
    CHECK(body["kind"] == o.ref.kind);
    CHECK(body["metadata"]["name"] == o.ref.name);
    CHECK(body["metadata"].value("namespace", "") == o.ref.namespace_);
    CHECK(body["metadata"]["labels"]["app.kubernetes.io/managed-by"] == "claw");
    CHECK(body["metadata"]["labels"]["claw.dev/project"] == model.cluster->name);
  }

  // The manifest files `claw build` writes are these objects, file by file:
  // yaml-cpp reads each file's documents back as the objects' JSON.
  std::map<std::string, std::vector<json>> by_file;
  for (const auto& o : objects)
    if (emit::written_to_files(o.origin)) by_file[emit::manifest_path(o)].push_back(emit::to_json(o.body));
  size_t files = 0;
  for (const auto& [path, bodies] : by_file) {
    INFO(path);
    auto golden = testing::kRoot / "tests/golden/build/infra" / path;
    REQUIRE(std::filesystem::exists(golden));
    std::vector<json> read;
    for (const auto& doc : YAML::LoadAll(testing::read_file(golden))) read.push_back(yaml_to_json(doc));
    CHECK(read == bodies);
    ++files;
  }
  size_t golden_manifests = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(testing::kRoot / "tests/golden/build/infra/manifests"))
    golden_manifests += e.is_regular_file();
  CHECK(files == golden_manifests);
}

TEST_CASE("objects: Secrets carry where their values come from, never a value") {
  Infra infra;
  const auto objects = emit::program_objects(infra.checked.model, infra.placed.placement);
  size_t secrets = 0, values_secrets = 0;
  for (const auto& o : objects) {
    if (o.origin != emit::Origin::Secret && o.origin != emit::Origin::ValuesSecret) {
      CHECK_FALSE(o.secret.has_value());
      continue;
    }
    INFO(o.ref.display());
    REQUIRE(o.secret.has_value());
    CHECK(o.ref.kind == "Secret");
    CHECK_FALSE(emit::written_to_files(o.origin));
    json body = emit::to_json(o.body);
    CHECK_FALSE(body.contains("data"));
    CHECK_FALSE(body.contains("stringData"));
    if (o.origin == emit::Origin::Secret) {
      ++secrets;
      REQUIRE(o.secret->items.size() == 1);
      CHECK((o.secret->items[0].env.has_value() || o.secret->items[0].file.has_value()));
    } else {
      ++values_secrets;
      CHECK(o.ref.namespace_ == "kube-system");
      CHECK_FALSE(o.secret->chart_values.empty());
    }
  }
  // infra/secrets.claw: the inngest signing key is read in joelclaw; the
  // Grafana password through the monitoring chart's values Secret.
  CHECK(secrets >= 1);
  CHECK(values_secrets == 1);
}

TEST_CASE("placement annotation: written and read back, refused when not claw's") {
  using placement::Where;
  const std::vector<std::vector<Where>> cases = {
      {{"panda", {}}},
      {{"gpu-box", {0}}, {"gpu-box", {1}}},
      {{"gpu-box", {0, 1}}},
      {{"node-1", {}}, {"node-2", {}}, {"node-1", {}}},
  };
  for (const auto& replicas : cases) {
    std::string text = placement::placement_annotation(replicas);
    INFO(text);
    auto back = placement::parse_placement_annotation(text);
    REQUIRE(back.has_value());
    CHECK(*back == replicas);
  }
  CHECK(placement::placement_annotation({{"gpu-box", {0}}, {"gpu-box", {1}}}) == "gpu-box[0], gpu-box[1]");
  for (const char* bad : {"gpu-box[", "gpu-box[]", "gpu-box[x]", "[0]", "a, , b", "gpu-box[-1]"}) {
    INFO(bad);
    CHECK_FALSE(placement::parse_placement_annotation(bad).has_value());
  }
  CHECK(placement::describe({"gpu-box", {1}}) == "gpu-box card 1");
  CHECK(placement::describe({"gpu-box", {0, 1}}) == "gpu-box cards 0, 1");
  CHECK(placement::describe({"panda", {}}) == "panda");
}
