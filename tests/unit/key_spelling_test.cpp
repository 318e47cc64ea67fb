// syntax::key_spelling: every key, however it is spelt, reads back as
// exactly itself when a program writes it the way a diagnostic suggests.
#include <doctest/doctest.h>
#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

#include "compiler/syntax/key_spelling.h"
#include "tests/unit/test_fs.h"

namespace {

struct Row {
  std::string key;
  bool bare;  // written without quotes
};

}  // namespace

TEST_CASE("key_spelling: bare names stay bare, every other key is quoted and reads back exactly") {
  const std::vector<Row> rows = {
      {"a", true},           {"grafana-ini", true},  {"a_b9", true},          {"x", true},
      {"service", true},     {"import", true},       {"_a", true},            {"grafana.ini", false},
      {"a/b", false},        {"true", false},        {"false", false},        {"null", false},
      {"a-", false},         {"-a", false},          {"1a", false},           {"a b", false},
      {"a\"b", false},       {"a\\b", false},        {"${x}", false},         {"a//b", false},
      {"a/*b*/", false},     {"é", false},           {"a\tb", false},         {"app.kubernetes.io/name", false},
      {"a:b", false},        {"a=b", false},         {"{", false},            {"$", false},
  };
  for (const auto& row : rows) {
    CAPTURE(row.key);
    std::string spelt = claw::syntax::key_spelling(row.key);
    CHECK((spelt == row.key) == row.bare);
    // The spelling, pasted into a program as a values key, gives the key.
    claw::testing::BuildRun b;
    b.build("cluster home { k3s = \"v1.31.4+k3s1\"; server = box }\n"
            "machine box { os = linux; arch = amd64; cpu = 4; memory = 16GiB }\n"
            "chart x { repo = \"r\"; chart = \"x\"; version = \"1\"; values { " +
            spelt + " = 1 } }\n");
    REQUIRE_MESSAGE(b.code == 0, b.console.err);
    YAML::Node v = YAML::Load(b.output("values/x.yaml"));
    REQUIRE(v.IsMap());
    REQUIRE(v.size() == 1);
    CHECK(v.begin()->first.as<std::string>() == row.key);
  }
}
