#include "runtime/sim/nodes.h"
#include "runtime/sim/registry.h"

#include <doctest/doctest.h>

#include <fstream>

using namespace claw::sim;

namespace {

constexpr const char* kNow = "2026-01-02T03:04:05Z";

Json golden_placement(const char* example) {
  std::ifstream in(std::string(CLAW_SOURCE_DIR) + "/tests/golden/build/" + example + "/placement.json");
  return Json::parse(in);
}

const Json* find_node(const std::vector<Json>& nodes, std::string_view name) {
  for (const Json& n : nodes)
    if (n["metadata"]["name"] == name) return &n;
  return nullptr;
}

// One machine as compiler/emit/placement_json.cpp writes it.
Json machine(std::string name, int64_t cpu_millis, int64_t memory_bytes) {
  return {{"allocatable", {{"cpu_millis", cpu_millis}, {"memory_bytes", memory_bytes}}},
          {"arch", "amd64"},
          {"capacity", {{"cpu_millis", cpu_millis}, {"memory_bytes", memory_bytes}}},
          {"gpus", Json::array()},
          {"joined", true},
          {"k3s", "native"},
          {"labels", Json::object()},
          {"name", std::move(name)},
          {"os", "linux"},
          {"taints", Json::array()}};
}

Json placement_of(std::vector<Json> machines) {
  return {{"machines", machines}, {"placements", Json::array()}, {"search", "exact"}};
}

// Every key of `value` is a property (or map key) its schema knows.
void check_known_fields(const Json& value, const SchemaView& schema, const std::string& path) {
  if (!schema) return;
  if (value.is_object()) {
    for (const auto& [key, child] : value.items()) {
      if (schema.has_properties()) {
        SchemaView prop = schema.property(key);
        const std::string field = path + "." + key;
        CAPTURE(field);
        CHECK(static_cast<bool>(prop));
        check_known_fields(child, prop, path + "." + key);
      } else if (schema.is_map()) {
        check_known_fields(child, schema.map_values(), path + "." + key);
      }
    }
  } else if (value.is_array()) {
    for (const Json& item : value) check_known_fields(item, schema.items(), path + "[]");
  }
}

}  // namespace

TEST_CASE("nodes: every joined machine of the GPU example becomes a Ready node") {
  std::vector<Json> nodes = nodes_from_placement(golden_placement("gpu"), kNow);
  REQUIRE(nodes.size() == 3);
  CHECK(nodes[0]["metadata"]["name"] == "head");
  CHECK(nodes[1]["metadata"]["name"] == "big-gpu");
  CHECK(nodes[2]["metadata"]["name"] == "small-gpu");
  for (const Json& n : nodes) {
    CHECK(n["apiVersion"] == "v1");
    CHECK(n["kind"] == "Node");
    const Json& ready = n["status"]["conditions"].back();
    CHECK(ready["type"] == "Ready");
    CHECK(ready["status"] == "True");
    CHECK(ready["reason"] == "KubeletReady");
    CHECK(ready["lastHeartbeatTime"] == kNow);
    CHECK(n["status"]["nodeInfo"]["kubeletVersion"] == "v1.31.4+k3s1");
    CHECK(n["status"]["nodeInfo"]["containerRuntimeVersion"].get<std::string>().starts_with("containerd://"));
    CHECK(n["spec"]["providerID"] == "k3s://" + n["metadata"]["name"].get<std::string>());
  }
}

TEST_CASE("nodes: capacity and allocatable are quantities as kubelet reports them") {
  std::vector<Json> nodes = nodes_from_placement(golden_placement("gpu"), kNow);
  struct Case { const char* node; const char* field; const char* cpu; const char* memory; const char* gpu; };
  // memory: bytes floored to KiB, then the largest exact power-of-1024 suffix.
  const Case cases[] = {
      {"head", "capacity", "8", "32Gi", nullptr},
      {"head", "allocatable", "7840m", "31436390Ki", nullptr},
      {"big-gpu", "capacity", "24", "128Gi", "2"},
      {"big-gpu", "allocatable", "23680m", "127066521Ki", "2"},
      // One card, time-sliced for two sharers: advertised twice.
      {"small-gpu", "capacity", "16", "64Gi", "2"},
      {"small-gpu", "allocatable", "15760m", "63313100Ki", "2"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.node);
    CAPTURE(c.field);
    const Json& list = find_node(nodes, c.node)->at("status").at(c.field);
    CHECK(list["cpu"] == c.cpu);
    CHECK(list["memory"] == c.memory);
    CHECK(list["pods"] == "110");
    if (c.gpu) CHECK(list["nvidia.com/gpu"] == c.gpu);
    else CHECK_FALSE(list.contains("nvidia.com/gpu"));
  }
}

TEST_CASE("nodes: CPU and memory amounts take their canonical quantity forms") {
  struct Case { int64_t cpu_millis; int64_t memory_bytes; const char* cpu; const char* memory; };
  const Case cases[] = {
      {1000, 1024, "1", "1Ki"},
      {500, 1536, "500m", "1Ki"},           // a partial KiB is dropped
      {1000000, 1048576, "1k", "1Mi"},      // 1000 cores is `1k` (DecimalSI)
      {2500, 1073741824 + 1024, "2500m", "1048577Ki"},
      {0, 1000, "0", "0"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.cpu_millis);
    CAPTURE(c.memory_bytes);
    Json status = nodes_from_placement(placement_of({machine("m", c.cpu_millis, c.memory_bytes)}), kNow)[0]["status"];
    CHECK(status["capacity"]["cpu"] == c.cpu);
    CHECK(status["capacity"]["memory"] == c.memory);
  }
}

TEST_CASE("nodes: labels are the machine's plus those kubelet and k3s set") {
  std::vector<Json> nodes = nodes_from_placement(golden_placement("infra"), kNow);
  const Json* studio = find_node(nodes, "studio");   // darwin, k3s in a VM
  const Json* three_body = find_node(nodes, "three-body");
  REQUIRE(studio);
  REQUIRE(three_body);
  Json expected_studio = {{"beta.kubernetes.io/arch", "arm64"},
                          {"beta.kubernetes.io/instance-type", "k3s"},
                          {"beta.kubernetes.io/os", "linux"},
                          {"kubernetes.io/arch", "arm64"},
                          {"kubernetes.io/hostname", "studio"},
                          {"kubernetes.io/os", "linux"},
                          {"node.kubernetes.io/instance-type", "k3s"}};
  CHECK((*studio)["metadata"]["labels"] == expected_studio);
  CHECK((*studio)["status"]["nodeInfo"]["operatingSystem"] == "linux");
  CHECK((*studio)["status"]["nodeInfo"]["architecture"] == "arm64");
  CHECK((*three_body)["metadata"]["labels"]["node-role"] == "storage");
  CHECK((*three_body)["metadata"]["labels"]["kubernetes.io/hostname"] == "three-body");
  CHECK_FALSE((*three_body)["metadata"]["labels"].contains("node-role.kubernetes.io/control-plane"));
}

TEST_CASE("nodes: a server gets the control-plane and master roles; well-known labels win") {
  Json server = machine("srv", 4000, 1 << 30);
  server["server"] = true;
  server["labels"] = {{"kubernetes.io/hostname", "spoofed"}, {"tier", "infra"}};
  std::vector<Json> nodes = nodes_from_placement(placement_of({server, machine("agent", 4000, 1 << 30)}), kNow);
  REQUIRE(nodes.size() == 2);
  const Json& labels = nodes[0]["metadata"]["labels"];
  CHECK(labels["node-role.kubernetes.io/control-plane"] == "true");
  CHECK(labels["node-role.kubernetes.io/master"] == "true");
  CHECK(labels["kubernetes.io/hostname"] == "srv");
  CHECK(labels["tier"] == "infra");
  CHECK_FALSE(nodes[1]["metadata"]["labels"].contains("node-role.kubernetes.io/master"));
  // Each node its own /24 of 10.42.0.0/16.
  CHECK(nodes[0]["spec"]["podCIDR"] == "10.42.0.0/24");
  CHECK(nodes[1]["spec"]["podCIDRs"] == Json::array({"10.42.1.0/24"}));
}

TEST_CASE("nodes: taints are copied, an empty value left out") {
  Json m = machine("m", 1000, 1 << 30);
  m["taints"] = Json::array({{{"effect", "NoSchedule"}, {"key", "nvidia.com/gpu"}, {"value", "present"}},
                             {{"effect", "NoExecute"}, {"key", "CriticalAddonsOnly"}, {"value", ""}}});
  Json spec = nodes_from_placement(placement_of({m}), kNow)[0]["spec"];
  Json expected = Json::array({{{"key", "nvidia.com/gpu"}, {"value", "present"}, {"effect", "NoSchedule"}},
                               {{"key", "CriticalAddonsOnly"}, {"effect", "NoExecute"}}});
  CHECK(spec["taints"] == expected);
  CHECK_FALSE(nodes_from_placement(placement_of({machine("n", 1000, 1 << 30)}), kNow)[0]["spec"].contains("taints"));
}

TEST_CASE("nodes: machines that never join get no node") {
  Json left_out = machine("left-out", 1000, 1 << 30);
  left_out["joined"] = false;
  Json no_k3s = machine("no-k3s", 1000, 1 << 30);
  no_k3s["k3s"] = "none";
  std::vector<Json> nodes = nodes_from_placement(placement_of({left_out, machine("in", 1000, 1 << 30), no_k3s}), kNow);
  REQUIRE(nodes.size() == 1);
  CHECK(nodes[0]["metadata"]["name"] == "in");
  // The infra example's four machines with `joined: false` are left out.
  std::vector<Json> infra = nodes_from_placement(golden_placement("infra"), kNow);
  CHECK(find_node(infra, "nightmare-router") == nullptr);
  CHECK(find_node(infra, "gpu-box") != nullptr);
}

TEST_CASE("nodes: every field is one the Node schema knows") {
  Registry registry = Registry::builtin();
  const ResourceType* node_type = registry.find("", "v1", "nodes");
  REQUIRE(node_type != nullptr);
  for (const char* example : {"gpu", "infra"})
    for (const Json& n : nodes_from_placement(golden_placement(example), kNow)) check_known_fields(n, node_type->schema, "");
}

TEST_CASE("nodes: a malformed placement.json is an error naming the field") {
  struct Case { const char* what; Json placement; const char* message; };
  auto with = [](const char* key, Json value) {
    Json m = machine("m", 1000, 1 << 30);
    m[key] = std::move(value);
    return placement_of({m});
  };
  Json no_name = machine("m", 1000, 1 << 30);
  no_name.erase("name");
  Json negative = machine("m", 1000, 1 << 30);
  negative["capacity"]["cpu_millis"] = -1;
  Json bad_taint = machine("m", 1000, 1 << 30);
  bad_taint["taints"] = Json::array({{{"effect", "Sometimes"}, {"key", "k"}, {"value", ""}}});
  const Case cases[] = {
      {"not an object", Json::array(), "expected an object"},
      {"no machines", Json::object(), "placement.machines: missing"},
      {"machines not a list", Json{{"machines", 3}}, "placement.machines: expected an array"},
      {"a machine not an object", Json{{"machines", {1}}}, "machines[0]: expected an object"},
      {"no name", placement_of({no_name}), "machines[0].name: missing"},
      {"negative cpu", placement_of({negative}), "machines[0].capacity.cpu_millis: expected a non-negative integer"},
      {"cpu as text", with("allocatable", {{"cpu_millis", "1"}, {"memory_bytes", 1}}),
       "machines[0].allocatable.cpu_millis: expected a non-negative integer"},
      {"unknown os", with("os", "plan9"), "machines[0].os: `plan9` is not one of `linux`, `darwin`"},
      {"unknown effect", placement_of({bad_taint}), "machines[0].taints[0].effect: `Sometimes` is not one of"},
      {"label not text", with("labels", {{"a", 1}}), "machines[0].labels.a: expected a string"},
      {"gpus not a list", with("gpus", 2), "machines[0].gpus: expected an array"},
      {"joined not a bool", with("joined", "yes"), "machines[0].joined: expected true or false"},
      {"duplicate name", placement_of({machine("a", 1, 1), machine("a", 1, 1)}), "machines[1].name: `a` appears twice"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.what);
    CHECK_THROWS_WITH_AS(nodes_from_placement(c.placement, kNow), doctest::Contains(c.message), PlacementError);
  }
}
