#include "runtime/sim/go_values.h"
#include "runtime/sim/registry.h"
#include "runtime/sim/strategic_merge.h"

#include <doctest/doctest.h>

#include <string>

using namespace claw::sim;

namespace {

const Registry& registry() {
  static const Registry r = Registry::builtin();
  return r;
}

// The schema a case runs against: a kind's root, or one of its parts.
SchemaView schema_for(std::string_view which) {
  SchemaView pod = registry().find("", "v1", "pods")->schema;
  if (which == "pod") return pod;
  if (which == "podspec") return pod.property("spec");
  if (which == "meta") return pod.property("metadata");
  if (which == "deployment") return registry().find("apps", "v1", "deployments")->schema;
  if (which == "pdb") return registry().find("policy", "v1", "poddisruptionbudgets")->schema;
  if (which == "service") return registry().find("", "v1", "services")->schema;
  return {};
}

struct Case {
  const char* name;
  const char* schema;
  const char* current;
  const char* patch;
  const char* result;
};

}  // namespace

// Three-way cases of k8s.io/apimachinery pkg/util/strategicpatch/patch_test.go
// (strategicMergePatchRawTestCases: Current + ThreeWay -> Result), with the
// test struct's fields mapped onto real fields of the same patch strategy:
// mergingList (merge, key name) -> PodSpec.containers, mergingIntList (merge,
// primitives) -> ObjectMeta.finalizers, retainKeysMergingList (merge,retainKeys,
// key name) -> PodSpec.volumes, nonMergingList -> PodSpec.tolerations.
TEST_CASE("smp: upstream three-way cases give the upstream results") {
  const Case cases[] = {
      {"delete items in lists of scalars", "meta", R"({"finalizers":[1,2,3,4]})",
       R"({"$setElementOrder/finalizers":[1,2],"$deleteFromPrimitiveList/finalizers":[3]})",
       R"({"finalizers":[1,2,4]})"},
      {"add and delete items in lists of scalars", "meta", R"({"finalizers":[1,2,3,4]})",
       R"({"$setElementOrder/finalizers":[1,2,4],"$deleteFromPrimitiveList/finalizers":[3]})",
       R"({"finalizers":[1,2,4]})"},
      {"merge lists of scalars", "meta", R"({"finalizers":[1,2,4]})",
       R"({"$setElementOrder/finalizers":[1,2,3],"finalizers":[3]})", R"({"finalizers":[1,2,3,4]})"},
      {"merge lists of maps", "podspec", R"({"containers":[{"name":1,"other":"a"},{"name":2,"value":2,"other":"b"}]})",
       R"({"$setElementOrder/containers":[{"name":4},{"name":1},{"name":2},{"name":3}],
           "containers":[{"name":4,"value":4},{"name":3,"value":3}]})",
       R"({"containers":[{"name":4,"value":4},{"name":1,"other":"a"},{"name":2,"value":2,"other":"b"},
                         {"name":3,"value":3}]})"},
      {"delete map from merging list", "podspec", R"({"containers":[{"name":1},{"name":2,"other":"b"}]})",
       R"({"$setElementOrder/containers":[{"name":2}],"containers":[{"name":1,"$patch":"delete"}]})",
       R"({"containers":[{"name":2,"other":"b"}]})"},
      {"add an item in a list and preserve order", "podspec",
       R"({"containers":[{"name":1,"other":"a"},{"name":2,"value":2,"other":"b"}]})",
       R"({"$setElementOrder/containers":[{"name":3},{"name":1},{"name":2}],"containers":[{"name":3,"value":3}]})",
       R"({"containers":[{"name":3,"value":3},{"name":1,"other":"a"},{"name":2,"value":2,"other":"b"}]})"},
      {"delete an item in a list and preserve order", "podspec",
       R"({"containers":[{"name":1,"other":"a"},{"name":2,"value":2,"other":"b"},{"name":3,"value":3}]})",
       R"({"$setElementOrder/containers":[{"name":2},{"name":1}],"containers":[{"name":3,"$patch":"delete"}]})",
       R"({"containers":[{"name":2,"value":2,"other":"b"},{"name":1,"other":"a"}]})"},
      {"set elements order in a list with server-only items", "podspec",
       R"({"containers":[{"name":1,"other":"a"},{"name":3,"value":3},{"name":4,"value":4},{"name":2,"value":2},
                         {"name":9}]})",
       R"({"$setElementOrder/containers":[{"name":4},{"name":2},{"name":3},{"name":1}]})",
       R"({"containers":[{"name":4,"value":4},{"name":2,"value":2},{"name":3,"value":3},{"name":1,"other":"a"},
                         {"name":9}]})"},
      {"set elements order in a list with server-only items 2", "podspec",
       R"({"containers":[{"name":1,"other":"a"},{"name":2,"value":2},{"name":9},{"name":3,"value":3},
                         {"name":4,"value":4}]})",
       R"({"$setElementOrder/containers":[{"name":2},{"name":1},{"name":4},{"name":3}]})",
       R"({"containers":[{"name":2,"value":2},{"name":1,"other":"a"},{"name":9},{"name":4,"value":4},
                         {"name":3,"value":3}]})"},
      {"retainKeys list of maps clears a field", "podspec",
       R"({"volumes":[{"name":"bar"},{"name":"foo","value":"a","other":"x"}]})",
       R"({"$setElementOrder/volumes":[{"name":"bar"},{"name":"foo"}],
           "volumes":[{"$retainKeys":["name","value"],"name":"foo"}]})",
       R"({"volumes":[{"name":"bar"},{"name":"foo","value":"a"}]})"},
      // retainKeysMap (patchStrategy retainKeys) -> DeploymentSpec.strategy; the
      // nested-list cases put `$retainKeys` on ObjectMeta and PodSpec, which the
      // directive allows on any map.
      {"retainKeys map should clear defaulted field", "deployment", R"({"spec":{"strategy":{"value":"foo"}}})",
       R"({"spec":{"strategy":{"$retainKeys":["other"],"other":"bar"}}})", R"({"spec":{"strategy":{"other":"bar"}}})"},
      {"retainKeys map adds a field and clear a field", "deployment",
       R"({"spec":{"strategy":{"name":"foo","other":"a"}}})",
       R"({"spec":{"strategy":{"$retainKeys":["name","value"],"value":"bar"}}})",
       R"({"spec":{"strategy":{"name":"foo","value":"bar"}}})"},
      {"retainKeys map adds an item in nested merging int list", "pod",
       R"({"metadata":{"name":"foo","finalizers":[1,2,3]}})",
       R"({"metadata":{"$setElementOrder/finalizers":[1,2,4],"$retainKeys":["finalizers","name"],"finalizers":[4]}})",
       R"({"metadata":{"name":"foo","finalizers":[1,2,4,3]}})"},
      {"retainKeys map changes an item in nested merging list", "pod",
       R"({"spec":{"hostname":"foo","containers":[{"name":"a"},{"name":"b","value":"foo"},{"name":"x"}]}})",
       R"({"spec":{"$retainKeys":["containers","hostname"],"$setElementOrder/containers":[{"name":"a"},{"name":"b"}],
                   "containers":[{"name":"b","value":"bar"}]}})",
       R"({"spec":{"hostname":"foo","containers":[{"name":"a"},{"name":"b","value":"bar"},{"name":"x"}]}})"},
      {"delete and reorder in one list, reorder in another", "pod",
       R"({"spec":{"containers":[{"name":"a","value":"a"},{"name":"b","value":"b"}],
                   "initContainers":[{"name":"c","value":"c"},{"name":"d","value":"d"}]}})",
       R"({"spec":{"$setElementOrder/containers":[{"name":"b"}],
                   "$setElementOrder/initContainers":[{"name":"d"},{"name":"c"}],
                   "containers":[{"$patch":"delete","name":"a"}]}})",
       R"({"spec":{"containers":[{"name":"b","value":"b"}],
                   "initContainers":[{"name":"d","value":"d"},{"name":"c","value":"c"}]}})"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    auto got = strategic_merge_patch(Json::parse(c.current), Json::parse(c.patch), schema_for(c.schema));
    REQUIRE_MESSAGE(got.has_value(), got.error());
    CHECK(got->dump() == Json::parse(c.result).dump());
  }
}

// The rules of patch.go mergeMap / mergeSlice on the real kinds.
TEST_CASE("smp: merge rules follow each field's patch strategy") {
  const Case cases[] = {
      {"maps merge, null deletes, unknown nulls are dropped", "pod",
       R"({"metadata":{"labels":{"a":"1","b":"2"}}})", R"({"metadata":{"labels":{"b":null,"c":"3","d":null}}})",
       R"({"metadata":{"labels":{"a":"1","c":"3"}}})"},
      {"containers merge by name, env by name", "pod",
       R"({"spec":{"containers":[{"name":"app","image":"a:1","env":[{"name":"A","value":"1"},{"name":"B","value":"2"}]},
                                 {"name":"side","image":"s:1"}]}})",
       R"({"spec":{"containers":[{"name":"app","env":[{"name":"B","value":"3"}]}]}})",
       R"({"spec":{"containers":[{"name":"app","image":"a:1","env":[{"name":"A","value":"1"},{"name":"B","value":"3"}]},
                                 {"name":"side","image":"s:1"}]}})"},
      {"a new list item comes before the server-only ones (mergeSortedSlice)", "podspec",
       R"({"containers":[{"name":"app","ports":[{"containerPort":80}]}]})",
       R"({"containers":[{"name":"app","ports":[{"containerPort":443}]}]})",
       R"({"containers":[{"name":"app","ports":[{"containerPort":443},{"containerPort":80}]}]})"},
      {"ports merge by containerPort", "podspec",
       R"({"containers":[{"name":"app","ports":[{"containerPort":80,"name":"http"},{"containerPort":443}]}]})",
       R"({"containers":[{"name":"app","ports":[{"containerPort":80,"name":"web"}]}]})",
       R"({"containers":[{"name":"app","ports":[{"containerPort":80,"name":"web"},{"containerPort":443}]}]})"},
      {"lists without a strategy are replaced", "podspec",
       R"({"tolerations":[{"key":"a"},{"key":"b"}],"containers":[{"name":"c","args":["x","y"]}]})",
       R"({"tolerations":[{"key":"c"}],"containers":[{"name":"c","args":["z"]}]})",
       R"({"tolerations":[{"key":"c"}],"containers":[{"name":"c","args":["z"]}]})"},
      {"$patch: replace on a merging list", "podspec",
       R"({"containers":[{"name":"a"},{"name":"b"}]})", R"({"containers":[{"name":"c"},{"$patch":"replace"}]})",
       R"({"containers":[{"name":"c"}]})"},
      {"$patch: replace on a map", "pod", R"({"metadata":{"labels":{"a":"1"}}})",
       R"({"metadata":{"labels":{"$patch":"replace","b":"2"}}})", R"({"metadata":{"labels":{"b":"2"}}})"},
      {"$patch: delete on a map leaves an empty map", "pod", R"({"metadata":{"labels":{"a":"1"}}})",
       R"({"metadata":{"labels":{"$patch":"delete"}}})", R"({"metadata":{"labels":{}}})"},
      {"directives are removed from values the original lacks", "pod", R"({"spec":{}})",
       R"({"spec":{"containers":[{"name":"a"},{"name":"b","$patch":"delete"}],"nodeSelector":{"x":null,"y":"1"}}})",
       R"({"spec":{"containers":[{"name":"a"}],"nodeSelector":{"y":"1"}}})"},
      {"primitive merge lists are unions", "meta", R"({"finalizers":["a","b"]})", R"({"finalizers":["b","c"]})",
       R"({"finalizers":["a","b","c"]})"},
      {"$deleteFromPrimitiveList removes values", "meta", R"({"finalizers":["a","b","c"]})",
       R"({"$deleteFromPrimitiveList/finalizers":["b","x"]})", R"({"finalizers":["a","c"]})"},
      {"strategy retainKeys clears the other union members", "deployment",
       R"({"spec":{"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":"25%","maxUnavailable":"25%"}}}})",
       R"({"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate"}}})",
       R"({"spec":{"strategy":{"type":"Recreate"}}})"},
      {"volume source switched with retainKeys", "podspec",
       R"({"volumes":[{"name":"data","emptyDir":{}},{"name":"other","emptyDir":{}}]})",
       R"({"$setElementOrder/volumes":[{"name":"data"},{"name":"other"}],
           "volumes":[{"$retainKeys":["configMap","name"],"configMap":{"name":"c"},"name":"data"}]})",
       R"({"volumes":[{"name":"data","configMap":{"name":"c"}},{"name":"other","emptyDir":{}}]})"},
      {"service ports merge by port", "service",
       R"({"spec":{"ports":[{"port":80,"targetPort":8080},{"port":443,"targetPort":8443}]}})",
       R"({"spec":{"ports":[{"port":443,"targetPort":9443}]}})",
       R"({"spec":{"ports":[{"port":80,"targetPort":8080},{"port":443,"targetPort":9443}]}})"},
      {"PodDisruptionBudget selector has strategy replace", "pdb",
       R"({"spec":{"selector":{"matchLabels":{"a":"1"}},"minAvailable":1}})",
       R"({"spec":{"selector":{"matchLabels":{"b":"2"}}}})",
       R"({"spec":{"selector":{"matchLabels":{"b":"2"}},"minAvailable":1}})"},
      {"types that differ are replaced", "pod", R"({"metadata":{"labels":{"a":"1"}}})",
       R"({"metadata":{"labels":"x"}})", R"({"metadata":{"labels":"x"}})"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    auto got = strategic_merge_patch(Json::parse(c.current), Json::parse(c.patch), schema_for(c.schema));
    REQUIRE_MESSAGE(got.has_value(), got.error());
    CHECK(got->dump() == Json::parse(c.result).dump());
  }
}

// Patches kubectl 1.32.4 really sent: each was captured with `kubectl apply
// --validate=false` (and `kubectl set image`) against a stub server that
// records the PATCH body; the last-applied annotation's value is shortened.
// The expected objects follow patch.go for the live object shown.
TEST_CASE("smp: kubectl apply three-way patches on a Deployment") {
  const Case cases[] = {
      {"apply: a container's image changes and an env entry is dropped", "deployment",
       R"({"apiVersion":"apps/v1","kind":"Deployment",
           "metadata":{"name":"web","namespace":"default","annotations":{"deployment.kubernetes.io/revision":"1",
             "kubectl.kubernetes.io/last-applied-configuration":"old"}},
           "spec":{"replicas":2,"template":{"spec":{"containers":[
             {"name":"nginx","image":"nginx:1.25","env":[{"name":"A","value":"1"},{"name":"B","value":"2"}],
              "terminationMessagePath":"/dev/termination-log"},
             {"name":"sidecar","image":"busybox"}]}}}})",
       R"({"metadata":{"annotations":{"kubectl.kubernetes.io/last-applied-configuration":"new"}},
           "spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"nginx"},{"name":"sidecar"}],
             "containers":[{"$setElementOrder/env":[{"name":"A"}],"env":[{"$patch":"delete","name":"B"}],
                            "image":"nginx:1.26","name":"nginx"}]}}}})",
       R"({"apiVersion":"apps/v1","kind":"Deployment",
           "metadata":{"name":"web","namespace":"default","annotations":{"deployment.kubernetes.io/revision":"1",
             "kubectl.kubernetes.io/last-applied-configuration":"new"}},
           "spec":{"replicas":2,"template":{"spec":{"containers":[
             {"name":"nginx","image":"nginx:1.26","env":[{"name":"A","value":"1"}],
              "terminationMessagePath":"/dev/termination-log"},
             {"name":"sidecar","image":"busybox"}]}}}})"},
      {"apply: strategy to Recreate, a port added, a volume's source switched", "deployment",
       R"({"metadata":{"name":"web","annotations":{"kubectl.kubernetes.io/last-applied-configuration":"old"}},
           "spec":{"replicas":1,"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":"25%","maxUnavailable":"25%"}},
             "template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.25",
                                                "ports":[{"containerPort":80,"protocol":"TCP"}]}],
                                 "volumes":[{"name":"data","emptyDir":{}}]}}}})",
       R"({"metadata":{"annotations":{"kubectl.kubernetes.io/last-applied-configuration":"new"}},
           "spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate"},
             "template":{"spec":{"$setElementOrder/containers":[{"name":"nginx"}],
               "$setElementOrder/volumes":[{"name":"data"}],
               "containers":[{"$setElementOrder/ports":[{"containerPort":80},{"containerPort":443}],
                              "name":"nginx","ports":[{"containerPort":443}]}],
               "volumes":[{"$retainKeys":["configMap","name"],"configMap":{"name":"cfg"},"emptyDir":null,
                           "name":"data"}]}}}})",
       R"({"metadata":{"name":"web","annotations":{"kubectl.kubernetes.io/last-applied-configuration":"new"}},
           "spec":{"replicas":1,"strategy":{"type":"Recreate"},
             "template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.25",
                                                "ports":[{"containerPort":80,"protocol":"TCP"},{"containerPort":443}]}],
                                 "volumes":[{"name":"data","configMap":{"name":"cfg"}}]}}}})"},
      {"set image", "deployment",
       R"({"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.25"},{"name":"b","image":"b"}]}}}})",
       R"({"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"nginx"}],
                                       "containers":[{"image":"nginx:1.27","name":"nginx"}]}}}})",
       R"({"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.27"},{"name":"b","image":"b"}]}}}})"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    auto got = strategic_merge_patch(Json::parse(c.current), Json::parse(c.patch), schema_for(c.schema));
    REQUIRE_MESSAGE(got.has_value(), got.error());
    CHECK(got->dump() == Json::parse(c.result).dump());
  }
}

TEST_CASE("smp: bad patches fail with the real messages and statuses") {
  struct Bad {
    const char* name;
    const char* current;
    const char* patch;
    const char* message;
    int code;
  };
  const Bad cases[] = {
      {"$patch: merge in a list", R"({"spec":{"containers":[{"name":"a"}]}})",
       R"({"spec":{"containers":[{"$patch":"merge"}]}})", "merging lists cannot yet be specified in the patch", 500},
      {"unknown map directive", R"({"metadata":{"labels":{"a":"1"}}})",
       R"({"metadata":{"labels":{"$patch":"bogus"}}})", "unknown patch type: bogus in map: map[$patch:bogus]", 500},
      {"item without its merge key", R"({"spec":{"containers":[{"name":"a"}]}})",
       R"({"spec":{"containers":[{"image":"x"}]}})", "map: map[image:x] does not contain declared merge key: name",
       500},
      {"$retainKeys that is not a list", R"({"spec":{"volumes":[{"name":"v"}]}})",
       R"({"spec":{"volumes":[{"name":"v","$retainKeys":"name"}]}})", "invalid patch format of retainKeys", 400},
      {"a field missing from $retainKeys", R"({"spec":{"volumes":[{"name":"v"}]}})",
       R"({"spec":{"volumes":[{"name":"v","emptyDir":{},"$retainKeys":["name"]}]}})",
       "invalid patch format of retainKeys", 400},
      {"$setElementOrder without a field", R"({"spec":{}})", R"({"spec":{"$setElementOrder":[]}})",
       "invalid patch format of setElementOrder list", 400},
      {"$deleteFromPrimitiveList without a field", R"({"metadata":{}})",
       R"({"metadata":{"$deleteFromPrimitiveListfinalizers":["a"]}})", "invalid patch format of primitive list", 400},
      {"lists of lists", R"({"metadata":{"finalizers":[["a"]]}})", R"({"metadata":{"finalizers":[["b"]]}})",
       "lists of lists are not supported", 422},
      {"unknown field held by both sides", R"({"spec":{"bogus":{"a":1}}})", R"({"spec":{"bogus":{"a":2}}})",
       "unable to find api field in struct PodSpec for the json field \"bogus\"", 500},
      {"patch order differs from $setElementOrder", R"({"spec":{"containers":[{"name":"a"},{"name":"b"}]}})",
       R"({"spec":{"$setElementOrder/containers":[{"name":"a"}],"containers":[{"name":"b","image":"x"}]}})",
       "The order in patch list:\n[map[image:x name:b]]\n doesn't match $setElementOrder list:\n[map[name:a]]\n", 500},
  };
  for (const Bad& c : cases) {
    CAPTURE(c.name);
    auto got = strategic_merge_patch(Json::parse(c.current), Json::parse(c.patch), schema_for("pod"));
    REQUIRE_FALSE(got.has_value());
    CHECK(got.error() == c.message);
    ApiError status = strategic_merge_error(got.error());
    CHECK(status.code == c.code);
  }
}

TEST_CASE("smp: the statuses of strategic merge errors") {
  ApiError bad = strategic_merge_error("invalid patch format of retainKeys");
  CHECK(bad.reason == "BadRequest");
  CHECK(bad.message == "invalid patch format of retainKeys");
  ApiError lists = strategic_merge_error("lists of lists are not supported");
  CHECK(lists.reason == "Invalid");
  CHECK(lists.message == "the server rejected our request due to an error in our request");
  ApiError other = strategic_merge_error("merging lists cannot yet be specified in the patch");
  CHECK(other.reason.empty());
  CHECK(other.message == "merging lists cannot yet be specified in the patch");

  auto list_body = decode_strategic_patch(Json::parse("[1]"));
  REQUIRE_FALSE(list_body.has_value());
  CHECK(list_body.error().code == 400);
  CHECK(list_body.error().message == "json: cannot unmarshal array into Go value of type map[string]interface {}");
  CHECK(decode_strategic_patch(Json::parse("null")).value() == Json::object());
}

// Error messages print decoded values with Go's fmt `%v` (fmt/print.go;
// floats by strconv's shortest `%g`, exponent from 1e+06 on).
TEST_CASE("smp: values in messages print as Go's %v") {
  CHECK(go_value_string(Json::parse(R"({"b":[1,"x",null,true],"a":{}})")) == "map[a:map[] b:[1 x <nil> true]]");
  CHECK(go_value_string(Json(1000000.0)) == "1e+06");
  CHECK(go_value_string(Json(123456.0)) == "123456");
  CHECK(go_value_string(Json(0.5)) == "0.5");
  CHECK(go_value_string(Json(0.00001)) == "1e-05");
  CHECK(go_value_string(Json(-7)) == "-7");
  CHECK(go_type_name(Json::array()) == "[]interface {}");
  CHECK(go_type_name(Json(1.5)) == "float64");
  CHECK(go_type_name(Json(2)) == "int64");
  CHECK_FALSE(go_equal(Json(1), Json(1.0)));
  CHECK(go_equal(Json(1), Json(1u)));
}
