// Hostile and broken requests: every one gets an answer with a status code
// and, for an error, a Status body — never a crash (the ASan+UBSan build
// runs this too). The cases are generated from valid requests by a seeded
// mutator, so a failure is reproducible from its seed.

#include "sim_fixture.h"

#include <doctest/doctest.h>

#include <random>

using namespace claw::sim;
using namespace claw::sim::testing;

namespace {

const std::string kDeployments = "/apis/apps/v1/namespaces/default/deployments";

// A strategic merge patch naming a field the schema lacks fails with the
// lookup error as a 500, as the real server's does (apiserver
// handlers/patch.go passes strategicpatch's error through uninterpreted).
void check_answer(const ApiResponse& r, const std::string& what, bool may_fail_500 = false) {
  INFO(what);
  CHECK(r.status >= 200);
  if (!may_fail_500) CHECK(r.status < 500);
  CHECK(r.status <= 500);
  if (r.status >= 400) {
    Json status = Json::parse(r.body, nullptr, false);
    REQUIRE_FALSE(status.is_discarded());
    CHECK(status["kind"] == "Status");
    CHECK(status["code"] == r.status);
  }
}

std::string mutate(std::string text, std::mt19937& random) {
  std::uniform_int_distribution<int> op(0, 4);
  for (int n = std::uniform_int_distribution<int>(1, 4)(random); n > 0 && !text.empty(); --n) {
    std::uniform_int_distribution<std::size_t> at(0, text.size() - 1);
    switch (op(random)) {
      case 0: text.erase(at(random)); break;  // truncate
      case 1: text[at(random)] = static_cast<char>(random() & 0xff); break;
      case 2: text.insert(at(random), "{\"x\":[1,\"\\u0000\",null,1e999]}"); break;
      case 3: text.insert(at(random), std::string(std::uniform_int_distribution<int>(1, 50)(random), '[')); break;
      default: text.insert(at(random), "\"\xff\xfe\""); break;
    }
  }
  return text;
}

}  // namespace

TEST_CASE("robustness: mutated bodies on every write verb get a 2xx or a 4xx Status") {
  const char* types[] = {"application/json", "application/merge-patch+json", "application/strategic-merge-patch+json",
                         "application/json-patch+json", "application/apply-patch+yaml"};
  for (unsigned seed = 1; seed <= 300; ++seed) {
    SimFixture f;
    REQUIRE(f.call("POST", kDeployments, deployment("web")).status == 201);
    std::mt19937 random(seed);
    std::string body = mutate(deployment("web"), random);
    std::string what = "seed " + std::to_string(seed) + ": " + body;
    check_answer(f.call("POST", kDeployments, body), what);
    check_answer(f.call("PUT", kDeployments + "/web", body), what);
    for (const char* type : types) {
      check_answer(f.call("PATCH", kDeployments + "/web", body, type, {{"fieldManager", "fuzz"}}), what,
                   std::string_view(type) == "application/strategic-merge-patch+json");
    }
  }
}

TEST_CASE("robustness: nesting deeper than the decoder's limit is refused, not recursed into") {
  SimFixture f;
  std::string deep = std::string(200000, '[') + std::string(200000, ']');
  ApiResponse r = f.call("POST", kDeployments, deep);
  CHECK(r.status == 400);
  CHECK(Json::parse(r.body)["message"].get<std::string>().find("max depth") != std::string::npos);
  std::string deep_yaml = "a: " + std::string(200000, '[');
  check_answer(f.call("PATCH", kDeployments + "/web", deep_yaml, "application/apply-patch+yaml",
                      {{"fieldManager", "x"}}),
               "deep yaml");
}

TEST_CASE("robustness: odd paths and parameters are 4xx") {
  SimFixture f;
  const char* paths[] = {"/", "/api/v2", "/apis/apps", "/apis/apps/v9/deployments", "/api/v1/namespaces/default/pods/a/b/c",
                         "/api/v1/namespaces//pods", "/apis/apps/v1/namespaces/default/deployments/web/exec",
                         "/api/v1/pods/x"};
  for (const char* p : paths) check_answer(f.call("GET", p), p);
  check_answer(f.call("GET", kDeployments, "", "", {{"labelSelector", "a in (b"}}), "selector");
  check_answer(f.call("GET", kDeployments, "", "", {{"limit", "-1"}}), "limit");
  check_answer(f.call("GET", kDeployments, "", "", {{"continue", "99999999999999999999/1"}}), "continue");
  check_answer(f.call("DELETE", kDeployments + "/web", "{not json"), "delete body");
  check_answer(f.call("POST", kDeployments, "[]"), "array body");
  check_answer(f.call("POST", kDeployments, "null"), "null body");
  check_answer(f.call("POST", kDeployments, R"({"kind":"Service","apiVersion":"v1","metadata":{"name":"x"}})"), "kind");
  check_answer(f.call("POST", kDeployments, R"({"metadata":"x"})"), "metadata string");
  check_answer(f.call("POST", kDeployments, R"({"metadata":{"name":7}})"), "name number");
}
