#include "runtime/sim/json_patches.h"

#include <doctest/doctest.h>

using namespace claw::sim;

namespace {

const Json kPod = Json::parse(R"({"metadata":{"name":"p","labels":{"a":"1"}},"spec":{"containers":[{"name":"c","image":"x"}]}})");

}  // namespace

TEST_CASE("patch: a body that is not JSON is the 400 of validateAndTranscodePatch") {
  auto bad = parse_patch_body("{not json");
  REQUIRE_FALSE(bad.has_value());
  CHECK(bad.error().code == 400);
  CHECK(bad.error().reason == "BadRequest");
  CHECK(bad.error().message == "invalid JSON patch");
  CHECK(parse_patch_body(R"([{"op":"remove","path":"/a"}])").value().is_array());
}

// RFC 6902 operations (the RFC's own examples, section A) on a Pod.
TEST_CASE("patch: JSON patch operations apply in order") {
  struct Case {
    const char* name;
    const char* patch;
    const char* result;
  };
  const Case cases[] = {
      {"add a member", R"([{"op":"add","path":"/metadata/labels/b","value":"2"}])",
       R"({"metadata":{"name":"p","labels":{"a":"1","b":"2"}},"spec":{"containers":[{"name":"c","image":"x"}]}})"},
      {"add to a list end", R"([{"op":"add","path":"/spec/containers/-","value":{"name":"d"}}])",
       R"({"metadata":{"name":"p","labels":{"a":"1"}},"spec":{"containers":[{"name":"c","image":"x"},{"name":"d"}]}})"},
      {"replace, then a test that holds", R"([{"op":"replace","path":"/spec/containers/0/image","value":"y"},
                                             {"op":"test","path":"/spec/containers/0/image","value":"y"}])",
       R"({"metadata":{"name":"p","labels":{"a":"1"}},"spec":{"containers":[{"name":"c","image":"y"}]}})"},
      {"remove", R"([{"op":"remove","path":"/metadata/labels"}])",
       R"({"metadata":{"name":"p"},"spec":{"containers":[{"name":"c","image":"x"}]}})"},
      {"move and copy", R"([{"op":"copy","from":"/metadata/name","path":"/metadata/generateName"},
                           {"op":"move","from":"/metadata/labels","path":"/metadata/annotations"}])",
       R"({"metadata":{"name":"p","generateName":"p","annotations":{"a":"1"}},"spec":{"containers":[{"name":"c","image":"x"}]}})"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    auto got = apply_json_patch(kPod, Json::parse(c.patch), true);
    REQUIRE(got.has_value());
    CHECK(*got == Json::parse(c.result));
  }
  CHECK(apply_json_patch(kPod, Json(nullptr), false).value() == kPod);
}

// Where json-patch v4 (patch.go) departs from RFC 6902, the server does too.
TEST_CASE("patch: JSON patch keeps json-patch v4's departures from the RFC") {
  struct Case {
    const char* name;
    const char* patch;
    const char* result;
  };
  const Case cases[] = {
      {"replace of a missing member adds it (partialDoc.get never fails)",
       R"([{"op":"replace","path":"/metadata/labels/b","value":"2"}])",
       R"({"metadata":{"name":"p","labels":{"a":"1","b":"2"}},"spec":{"containers":[{"name":"c","image":"x"}]}})"},
      {"negative indices count from the end", R"([{"op":"replace","path":"/spec/containers/-1/image","value":"y"},
                                               {"op":"add","path":"/spec/containers/-1","value":{"name":"z"}}])",
       R"({"metadata":{"name":"p","labels":{"a":"1"}},"spec":{"containers":[{"name":"c","image":"y"},{"name":"z"}]}})"},
      {"copy from a missing member copies null", R"([{"op":"copy","from":"/metadata/uid","path":"/metadata/x"}])",
       R"({"metadata":{"name":"p","labels":{"a":"1"},"x":null},"spec":{"containers":[{"name":"c","image":"x"}]}})"},
      {"a test of a missing member with a null value holds, add without value adds null",
       R"([{"op":"test","path":"/metadata/uid","value":null},{"op":"add","path":"/metadata/y"}])",
       R"({"metadata":{"name":"p","labels":{"a":"1"},"y":null},"spec":{"containers":[{"name":"c","image":"x"}]}})"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    auto got = apply_json_patch(kPod, Json::parse(c.patch), true);
    REQUIRE(got.has_value());
    CHECK(*got == Json::parse(c.result));
  }
}

// A failing operation: apiserver applyJSPatch answers NewGenericServerResponse(422),
// whose message is the fixed one (k8s.io/apimachinery pkg/api/errors NewGenericServerResponse).
TEST_CASE("patch: a failing JSON patch operation is the generic 422") {
  const char* failing[] = {
      R"([{"op":"test","path":"/metadata/name","value":"other"}])",
      R"([{"op":"remove","path":"/metadata/annotations"}])",
      R"([{"op":"replace","path":"/spec/containers/1","value":1}])",
      R"([{"op":"remove","path":"/spec/containers/-2"}])",
      R"([{"op":"add","path":"/spec/containers/2","value":{}}])",
      R"([{"op":"add","path":"metadata","value":{}}])",
      R"([{"op":"test","path":"/metadata/annotations","value":{}}])",
      R"([{"op":"move","from":"/metadata/nothing","path":"/metadata/x"}])",
      R"([{"path":"/metadata"}])",
      R"([{"op":"add","path":"/no/such/parent","value":1}])",
      R"([{"op":"frobnicate","path":"/metadata"}])",
  };
  for (const char* p : failing) {
    CAPTURE(p);
    auto got = apply_json_patch(kPod, Json::parse(p), true);
    REQUIRE_FALSE(got.has_value());
    CHECK(got.error().code == 422);
    CHECK(got.error().reason == "Invalid");
    CHECK(got.error().message == "the server rejected our request due to an error in our request");
  }
}

TEST_CASE("patch: a JSON patch that is not a list of operations is a 400") {
  auto plain = apply_json_patch(kPod, Json::parse(R"({"op":"add"})"), false);
  REQUIRE_FALSE(plain.has_value());
  CHECK(plain.error().code == 400);
  CHECK(plain.error().message == "json: cannot unmarshal object into Go value of type jsonpatch.Patch");
  auto strict = apply_json_patch(kPod, Json::parse(R"(["x"])"), true);
  REQUIRE_FALSE(strict.has_value());
  CHECK(strict.error().message == "error decoding patch: json: cannot unmarshal string into Go value of type handlers.jsonPatchOp");
  Json many = Json::array();
  for (int i = 0; i <= 10000; ++i) many.push_back({{"op", "test"}, {"path", "/metadata/name"}, {"value", "p"}});
  auto big = apply_json_patch(kPod, many, false);
  REQUIRE_FALSE(big.has_value());
  CHECK(big.error().code == 413);
  CHECK(big.error().message ==
        "Request entity too large: The allowed maximum operations in a JSON patch is 10000, got 10001");
}

// RFC 7386 section 3's examples, plus json-patch v4's pruning of nulls.
TEST_CASE("patch: merge patch") {
  struct Case {
    const char* target;
    const char* patch;
    const char* result;
  };
  const Case cases[] = {
      {R"({"a":"b"})", R"({"a":"c"})", R"({"a":"c"})"},
      {R"({"a":"b"})", R"({"b":"c"})", R"({"a":"b","b":"c"})"},
      {R"({"a":"b"})", R"({"a":null})", R"({})"},
      {R"({"a":"b","b":"c"})", R"({"a":null})", R"({"b":"c"})"},
      {R"({"a":["b"]})", R"({"a":"c"})", R"({"a":"c"})"},
      {R"({"a":"c"})", R"({"a":["b"]})", R"({"a":["b"]})"},
      {R"({"a":{"b":"c"}})", R"({"a":{"b":"d","c":null}})", R"({"a":{"b":"d"}})"},
      {R"({"a":[{"b":"c"}]})", R"({"a":[1]})", R"({"a":[1]})"},
      {R"({"e":null})", R"({"a":1})", R"({"e":null,"a":1})"},
      {R"({})", R"({"a":{"bb":{"ccc":null}}})", R"({"a":{"bb":{}}})"},
      // json-patch v4 pruneNulls also walks into added lists.
      {R"({})", R"({"a":[{"b":null,"c":1},null]})", R"({"a":[{"c":1},null]})"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.patch);
    auto got = apply_merge_patch(Json::parse(c.target), Json::parse(c.patch), true);
    REQUIRE(got.has_value());
    CHECK(*got == Json::parse(c.result));
  }
  for (const char* bad : {"null", "\"x\"", "5", "true"}) {
    CAPTURE(bad);
    auto got = apply_merge_patch(kPod, Json::parse(bad), false);
    REQUIRE_FALSE(got.has_value());
    CHECK(got.error().code == 400);
    CHECK(got.error().message == "Invalid JSON Patch");
  }
  CHECK(apply_merge_patch(kPod, Json::parse("[1]"), false).value() == Json::parse("[1]"));
  auto strict = apply_merge_patch(kPod, Json::parse("[1]"), true);
  REQUIRE_FALSE(strict.has_value());
  CHECK(strict.error().code == 400);
  CHECK(strict.error().message ==
        "error decoding patch: json: cannot unmarshal array into Go value of type map[string]interface {}");
  CHECK(apply_merge_patch(kPod, Json(nullptr), true).error().message == "Invalid JSON Patch");
}
