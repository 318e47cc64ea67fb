// Node reconciliation (runtime/plan/nodes.h, runtime/apply/node_apply.h):
// the labels and taints a program declares for its machines against live
// Nodes shaped as a k3s server returns them, the merge patches that fix
// them, and the 409 re-read; then the whole loop against claw-sim.
#include "runtime/plan/nodes.h"

#include <doctest/doctest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "compiler/emit/placement_json.h"
#include "compiler/placement/placement.h"
#include "compiler/project/load.h"
#include "compiler/sema/check.h"
#include "runtime/apply/node_apply.h"
#include "runtime/cluster/curl_transport.h"
#include "runtime/cluster/fake_transport.h"
#include "tests/runtime/sim_process.h"
#include "tests/unit/test_fs.h"

namespace {

using namespace claw;
using nlohmann::json;
using plan::DesiredNode;
using plan::FieldChange;
using plan::NodePlan;

// ------------------------------------------------------------------ helpers

/// A program loaded from `fs`, checked and placed.
struct Compiled {
  project::Project project;
  sema::CheckResult checked;
  placement::Result placed;

  Compiled(const io::FileSystem& fs, std::vector<std::string> paths)
      : project([&] {
          project::LoadOptions options;
          options.paths = std::move(paths);
          options.stdlib_dir = testing::stdlib_dir();
          return project::load(fs, options);
        }()),
        checked(sema::check(project.program())),
        placed(placement::place(checked.model)) {}

  bool clean() const { return !project.diags.has_errors() && !checked.diags.has_errors() && !placed.diags.has_errors(); }
};

/// A Node as the API returns it: kubelet's and k3s' own labels plus `labels`,
/// `annotations`, `taints` (omitted when empty, as the Go struct's omitempty).
json node(const std::string& name, std::map<std::string, std::string> labels, json taints = json::array(),
          std::map<std::string, std::string> annotations = {}, const std::string& rv = "41") {
  labels.emplace("kubernetes.io/hostname", name);
  labels.emplace("kubernetes.io/os", "linux");
  labels.emplace("node.kubernetes.io/instance-type", "k3s");
  json n = {{"apiVersion", "v1"},
            {"kind", "Node"},
            {"metadata", {{"name", name}, {"resourceVersion", rv}, {"uid", "3f9c2f7e-0b1e-4c1e-9d7a-5b8f8f0e1a01"},
                          {"labels", labels}}},
            {"spec", {{"podCIDR", "10.42.0.0/24"}, {"providerID", "k3s://" + name}}},
            {"status", {{"nodeInfo", {{"kubeletVersion", "v1.31.4+k3s1"}}}}}};
  if (!annotations.empty()) n["metadata"]["annotations"] = annotations;
  if (!taints.empty()) n["spec"]["taints"] = std::move(taints);
  return n;
}

json node_list(std::vector<json> nodes) {
  return {{"apiVersion", "v1"}, {"kind", "NodeList"}, {"metadata", {{"resourceVersion", "77"}}}, {"items", nodes}};
}

json taint(const std::string& key, const std::string& value, const std::string& effect) {
  json t = {{"key", key}, {"effect", effect}};
  if (!value.empty()) t["value"] = value;
  return t;
}

/// A change as one line: `path: before -> after`, `-` for absent.
std::string shown(const FieldChange& c) {
  return plan::render_path(c.path) + ": " + (c.before ? c.before->dump() : "-") + " -> " +
         (c.after ? c.after->dump() : "-");
}

std::vector<std::string> shown(const std::vector<FieldChange>& changes) {
  std::vector<std::string> out;
  for (const FieldChange& c : changes) out.push_back(shown(c));
  return out;
}

/// The changes plan_nodes finds for one machine against one live Node.
std::vector<std::string> changes_of(const DesiredNode& d, const json& live) {
  std::vector<NodePlan> plans = plan::plan_nodes(std::span<const DesiredNode>(&d, 1), node_list({live}));
  if (plans.empty()) return {};
  REQUIRE(plans.size() == 1);
  CHECK(plans[0].machine == d.name);
  CHECK(plans[0].joined);
  return shown(plans[0].changes);
}

const json kDedicated = taint("dedicated", "media", "NoSchedule");
// Taints others put on a node: `kubectl cordon` (the node lifecycle
// controller's node.kubernetes.io/unschedulable) and a not-ready kubelet
// (node.kubernetes.io/not-ready, NoExecute, with timeAdded), from
// k8s.io/api core/v1 well_known_taints.go.
const json kCordoned = taint("node.kubernetes.io/unschedulable", "", "NoSchedule");
const json kNotReady = {{"key", "node.kubernetes.io/not-ready"}, {"effect", "NoExecute"}, {"timeAdded", "2026-12-01T10:00:00Z"}};

const std::string kLabelsRecord = "metadata.annotations[\"claw.dev/labels\"]";
const std::string kTaintsRecord = "metadata.annotations[\"claw.dev/taints\"]";

}  // namespace

// ------------------------------------------------------------------ desired

TEST_CASE("nodes: desired labels are the join script's, taints the machine's and its roles'") {
  testing::TestFileSystem fs;
  fs.memory.add("net.claw", R"(cluster home { k3s = "v1.31.4+k3s1"; server = box }
role storage { label "claw.dev/tier" = "storage"; label "node-role.kubernetes.io/storage" = "true"; taint "node-role=storage:NoSchedule" }
machine box { os = linux; arch = amd64; cpu = 8; memory = 32GiB; label "zone" = "attic"; taint "dedicated=media:NoSchedule"; taint "dedicated=media:NoSchedule" }
machine nas { os = linux; arch = amd64; cpu = 4; memory = 8GiB; roles = [storage]; taint "backup:PreferNoSchedule" }
machine gpu-a { os = linux; arch = amd64; cpu = 16; memory = 64GiB; gpu "RTX" x 1 { vram = 24GiB } }
machine gpu-b { os = linux; arch = amd64; cpu = 16; memory = 64GiB; gpu "L4" x 1 { vram = 24GiB }; label "gpu" = "l4" }
machine spare { os = linux; arch = amd64; cpu = 4; memory = 8GiB; joined = false }
machine laptop { os = linux; arch = amd64; cpu = 4; memory = 8GiB; k3s = none }
service a { image = "a:1"; on = gpu-a; gpu { vram = 4GiB; share = true } }
service b { image = "b:1"; on = gpu-a; gpu { vram = 4GiB; share = true } }
service c { image = "c:1"; on = gpu-b; gpu { vram = 4GiB } }
)");
  Compiled c(fs, {"net.claw"});
  REQUIRE(c.clean());
  std::vector<DesiredNode> desired = plan::desired_nodes(c.checked.model, c.placed.placement);
  // Not nodes: `spare` (joined = false) and `laptop` (k3s = none). gpu-a
  // carries two sharing replicas on one card: time-sliced-2, chosen by the
  // device plugin's config label; both GPU machines get
  // nvidia.com/gpu.present. The node-role label kubelet refuses is among
  // them: claw sets it through the API. A taint declared twice is one taint.
  struct Want {
    std::string name;
    std::map<std::string, std::string> labels;
    std::vector<json> taints;
  };
  const std::vector<Want> want = {
      {"box", {{"zone", "attic"}}, {kDedicated}},
      {"nas",
       {{"claw.dev/tier", "storage"}, {"node-role.kubernetes.io/storage", "true"}},
       {taint("node-role", "storage", "NoSchedule"), taint("backup", "", "PreferNoSchedule")}},
      {"gpu-a", {{"nvidia.com/gpu.present", "true"}, {"nvidia.com/device-plugin.config", "time-sliced-2"}}, {}},
      {"gpu-b", {{"nvidia.com/gpu.present", "true"}, {"gpu", "l4"}}, {}},
  };
  REQUIRE(desired.size() == want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    CAPTURE(want[i].name);
    CHECK(desired[i].name == want[i].name);
    CHECK(desired[i].labels == want[i].labels);
    std::vector<std::string> got, expected;
    for (const json& t : desired[i].taints) got.push_back(t.dump());
    for (const json& t : want[i].taints) expected.push_back(t.dump());
    CHECK(got == expected);
  }
}

TEST_CASE("nodes: the desired labels of infra/ are those its placement.json gives each node") {
  io::DiskFileSystem fs;
  Compiled c(fs, {std::string(CLAW_SOURCE_DIR) + "/infra"});
  REQUIRE(c.clean());
  json placement = json::parse(emit::placement_json(c.checked.model, c.placed.placement,
                                                    emit::time_slicing(c.checked.model, c.placed.placement)));
  std::vector<DesiredNode> desired = plan::desired_nodes(c.checked.model, c.placed.placement);
  size_t nodes = 0;
  for (const json& m : placement["machines"]) {
    if (!m["joined"].get<bool>() || m["k3s"] == "none") continue;
    CAPTURE(m["name"]);
    REQUIRE(nodes < desired.size());
    const DesiredNode& d = desired[nodes++];
    CHECK(d.name == m["name"]);
    CHECK(json(d.labels) == m["labels"]);
    CHECK(json(d.taints).size() == m["taints"].size());
  }
  CHECK(nodes == desired.size());
  CHECK(nodes == 5);  // studio, panda, clanker-001, three-body, gpu-box
}

// ------------------------------------------------------------------ plan

TEST_CASE("nodes: label changes are claw's labels only") {
  struct Case {
    const char* what;
    std::map<std::string, std::string> declared;
    std::map<std::string, std::string> live;
    std::map<std::string, std::string> annotations;
    std::vector<std::string> changes;
  };
  const std::string zone = "[\"zone\"]";
  const std::vector<Case> cases = {
      {"added, and recorded", {{"zone", "attic"}}, {}, {},
       {"metadata.labels.zone: - -> \"attic\"", kLabelsRecord + ": - -> \"[\\\"zone\\\"]\""}},
      {"changed by someone else", {{"zone", "attic"}}, {{"zone", "cellar"}}, {{"claw.dev/labels", zone}},
       {"metadata.labels.zone: \"cellar\" -> \"attic\""}},
      {"no longer declared: removed, as recorded", {}, {{"zone", "attic"}}, {{"claw.dev/labels", zone}},
       {"metadata.labels.zone: \"attic\" -> -", kLabelsRecord + ": \"[\\\"zone\\\"]\" -> -"}},
      {"no longer declared and already gone", {}, {}, {{"claw.dev/labels", zone}},
       {kLabelsRecord + ": \"[\\\"zone\\\"]\" -> -"}},
      {"foreign labels are neither shown nor removed", {{"zone", "attic"}},
       {{"zone", "attic"}, {"team", "ml"}, {"topology.kubernetes.io/zone", "eu"}}, {{"claw.dev/labels", zone}}, {}},
      {"a label claw never recorded is not claw's", {}, {{"team", "ml"}}, {}, {}},
      {"a label set by the join script is recorded, not changed", {{"zone", "attic"}}, {{"zone", "attic"}}, {},
       {kLabelsRecord + ": - -> \"[\\\"zone\\\"]\""}},
      {"node-role labels, refused by kubelet, are set through the API",
       {{"node-role.kubernetes.io/storage", "true"}, {"zone", "attic"}}, {{"zone", "attic"}}, {{"claw.dev/labels", zone}},
       {"metadata.labels[\"node-role.kubernetes.io/storage\"]: - -> \"true\"",
        kLabelsRecord + ": \"[\\\"zone\\\"]\" -> \"[\\\"node-role.kubernetes.io/storage\\\",\\\"zone\\\"]\""}},
      {"an unreadable record names nothing", {{"zone", "attic"}}, {{"zone", "attic"}, {"old", "x"}},
       {{"claw.dev/labels", "old,zone"}}, {kLabelsRecord + ": \"old,zone\" -> \"[\\\"zone\\\"]\""}},
  };
  for (const Case& c : cases) {
    CAPTURE(c.what);
    DesiredNode d{"box", c.declared, {}};
    CHECK(changes_of(d, node("box", c.live, json::array(), c.annotations)) == c.changes);
  }
}

TEST_CASE("nodes: taint changes are claw's taints only, named by key and effect") {
  struct Case {
    const char* what;
    std::vector<json> declared;
    json live;
    std::string record;  // claw.dev/taints on the live Node; empty: none
    std::vector<std::string> changes;
  };
  const std::string dedicated = "[\"dedicated:NoSchedule\"]";
  const std::string path = "spec.taints[effect=NoSchedule,key=dedicated]";
  const std::string media = kDedicated.dump();
  const std::vector<Case> cases = {
      {"added, and recorded", {kDedicated}, json::array(), "",
       {path + ": - -> " + media, kTaintsRecord + ": - -> \"[\\\"dedicated:NoSchedule\\\"]\""}},
      {"value changed", {kDedicated}, json::array({taint("dedicated", "books", "NoSchedule")}), dedicated,
       {path + ": " + taint("dedicated", "books", "NoSchedule").dump() + " -> " + media}},
      {"same key, other effect: another taint, kept", {kDedicated}, json::array({taint("dedicated", "media", "NoExecute")}),
       dedicated, {path + ": - -> " + media}},
      {"no longer declared: removed, as recorded", {}, json::array({kDedicated}), dedicated,
       {path + ": " + media + " -> -", kTaintsRecord + ": \"[\\\"dedicated:NoSchedule\\\"]\" -> -"}},
      {"foreign taints kept, unchanged", {kDedicated}, json::array({kCordoned, kDedicated, kNotReady}), dedicated, {}},
      {"a foreign taint no longer declared is not removed", {}, json::array({kCordoned}), "", {}},
      {"timeAdded is the server's",
       {taint("maintenance", "", "NoExecute")},
       json::array({{{"key", "maintenance"}, {"effect", "NoExecute"}, {"timeAdded", "2026-12-01T10:00:00Z"}}}),
       "[\"maintenance:NoExecute\"]",
       {}},
      {"an empty value is an omitted value", {taint("backup", "", "PreferNoSchedule")},
       json::array({{{"key", "backup"}, {"value", ""}, {"effect", "PreferNoSchedule"}}}), "[\"backup:PreferNoSchedule\"]",
       {}},
  };
  for (const Case& c : cases) {
    CAPTURE(c.what);
    std::map<std::string, std::string> annotations;
    if (!c.record.empty()) annotations["claw.dev/taints"] = c.record;
    DesiredNode d{"box", {}, c.declared};
    CHECK(changes_of(d, node("box", {}, c.live, annotations)) == c.changes);
  }
}

TEST_CASE("nodes: a machine without a Node has not joined; matching nodes are left out") {
  std::vector<DesiredNode> desired = {{"box", {{"zone", "attic"}}, {}}, {"nas", {}, {}}, {"gpu-box", {}, {}}};
  json list = node_list({node("box", {{"zone", "attic"}}, json::array(), {{"claw.dev/labels", "[\"zone\"]"}}),
                         node("gpu-box", {})});
  std::vector<NodePlan> plans = plan::plan_nodes(desired, list);
  REQUIRE(plans.size() == 1);
  CHECK(plans[0].machine == "nas");
  CHECK_FALSE(plans[0].joined);
  CHECK(plans[0].changes.empty());
  plan::Plan p;
  p.nodes = plans;
  CHECK_FALSE(p.has_changes());  // a machine not joined is shown, not applied
  CHECK(plan::plan_nodes(desired, json::object()).size() == 3);  // no items: none joined
}

// ------------------------------------------------------------------ requests

namespace {

/// The requests for one machine against one live Node.
std::vector<cluster::Request> requests_for(const DesiredNode& d, const json& live) {
  json list = node_list({live});
  std::vector<NodePlan> plans = plan::plan_nodes(std::span<const DesiredNode>(&d, 1), list);
  auto requests = apply::node_requests(plans, list);
  REQUIRE_MESSAGE(requests.has_value(), requests.error());
  return *requests;
}

}  // namespace

TEST_CASE("nodes: each Node that differs gets one merge patch of claw's fields and its resourceVersion") {
  struct Case {
    const char* what;
    DesiredNode declared;
    json live;
    json body;  // the merge patch; null: no request
  };
  const std::vector<Case> cases = {
      {"label added and recorded", {"box", {{"zone", "attic"}}, {}}, node("box", {{"team", "ml"}}),
       {{"metadata", {{"labels", {{"zone", "attic"}}}, {"annotations", {{"claw.dev/labels", "[\"zone\"]"}}},
                      {"resourceVersion", "41"}}}}},
      {"label removed: null, and the record removed", {"box", {}, {}},
       node("box", {{"zone", "attic"}, {"team", "ml"}}, json::array(), {{"claw.dev/labels", "[\"zone\"]"}}),
       {{"metadata", {{"labels", {{"zone", nullptr}}}, {"annotations", {{"claw.dev/labels", nullptr}}},
                      {"resourceVersion", "41"}}}}},
      {"taint changed: the whole list, foreign taints kept in place", {"box", {}, {kDedicated}},
       node("box", {}, json::array({kCordoned, taint("dedicated", "books", "NoSchedule"), kNotReady}),
            {{"claw.dev/taints", "[\"dedicated:NoSchedule\"]"}}, "9001"),
       {{"metadata", {{"resourceVersion", "9001"}}}, {"spec", {{"taints", json::array({kCordoned, kDedicated, kNotReady})}}}}},
      {"taint added after the foreign ones", {"box", {}, {kDedicated}},
       node("box", {}, json::array({kCordoned}), {{"claw.dev/taints", "[\"dedicated:NoSchedule\"]"}}),
       {{"metadata", {{"resourceVersion", "41"}}}, {"spec", {{"taints", json::array({kCordoned, kDedicated})}}}}},
      {"last taint removed: the list removed", {"box", {}, {}},
       node("box", {}, json::array({kDedicated}), {{"claw.dev/taints", "[\"dedicated:NoSchedule\"]"}}),
       {{"metadata", {{"annotations", {{"claw.dev/taints", nullptr}}}, {"resourceVersion", "41"}}},
        {"spec", {{"taints", nullptr}}}}},
      {"nothing to change: no request", {"box", {{"zone", "attic"}}, {}},
       node("box", {{"zone", "attic"}}, json::array(), {{"claw.dev/labels", "[\"zone\"]"}}), nullptr},
  };
  for (const Case& c : cases) {
    CAPTURE(c.what);
    std::vector<cluster::Request> requests = requests_for(c.declared, c.live);
    if (c.body.is_null()) {
      CHECK(requests.empty());
      continue;
    }
    REQUIRE(requests.size() == 1);
    CHECK(requests[0].method == "PATCH");
    CHECK(requests[0].path == "/api/v1/nodes/box?fieldManager=claw");
    CHECK(requests[0].content_type == "application/merge-patch+json");
    CHECK(requests[0].idempotent);
    json body = json::parse(requests[0].body);
    CHECK(body == c.body);
    // The patch applied as the server applies a merge patch (RFC 7386)
    // leaves nothing to change.
    json patched = c.live;
    patched.merge_patch(body);
    CHECK(plan::plan_nodes(std::span<const DesiredNode>(&c.declared, 1), node_list({patched})).empty());
  }
}

TEST_CASE("nodes: a plan is re-applied to the Node as it is now, and refused when it is gone or not a node's") {
  DesiredNode d{"box", {{"zone", "attic"}}, {}};
  json before = node("box", {});
  std::vector<NodePlan> plans = plan::plan_nodes(std::span<const DesiredNode>(&d, 1), node_list({before}));
  REQUIRE(plans.size() == 1);
  // Someone else set the label meanwhile: only the record is still missing.
  json now = node("box", {{"zone", "attic"}}, json::array(), {}, "42");
  auto requests = apply::node_requests(plans, node_list({now}));
  REQUIRE(requests.has_value());
  REQUIRE(requests->size() == 1);
  CHECK(json::parse((*requests)[0].body) ==
        json{{"metadata", {{"annotations", {{"claw.dev/labels", "[\"zone\"]"}}}, {"resourceVersion", "42"}}}});

  auto gone = apply::node_requests(plans, node_list({}));
  REQUIRE_FALSE(gone.has_value());
  CHECK(gone.error() == "machine `box`: its Node is no longer in the cluster; run `claw plan` again");

  NodePlan odd{"box", true, {FieldChange{{plan::PathElement{plan::PathElement::Kind::field, "spec", nullptr, 0},
                                          plan::PathElement{plan::PathElement::Kind::field, "unschedulable", nullptr, 0}},
                                         std::nullopt, json(true)}}};
  auto refused = apply::node_requests(std::span<const NodePlan>(&odd, 1), node_list({before}));
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error() == "machine `box`: `spec.unschedulable` is not a node label, taint or annotation");
}

// ------------------------------------------------------------------ apply

namespace {

cluster::Response answer(int status, json body) { return cluster::Response{status, body.dump(), {}, "", 1}; }

json conflict_status(const std::string& name) {
  // The Status kube-apiserver answers a stale write with (store.go,
  // OptimisticLockErrorMsg).
  return {{"kind", "Status"}, {"apiVersion", "v1"}, {"status", "Failure"},
          {"message", "Operation cannot be fulfilled on nodes \"" + name +
                          "\": the object has been modified; please apply your changes to the latest version and try again"},
          {"reason", "Conflict"}, {"details", {{"name", name}, {"kind", "nodes"}}}, {"code", 409}};
}

}  // namespace

TEST_CASE("nodes: a 409 re-reads the Nodes and patches what still differs") {
  DesiredNode d{"box", {{"zone", "attic"}}, {}};
  std::vector<NodePlan> plans = plan::plan_nodes(std::span<const DesiredNode>(&d, 1), node_list({node("box", {})}));
  int lists = 0, patches = 0;
  cluster::FakeTransport t([&](const cluster::Request& r) {
    if (r.method == "GET") {
      ++lists;  // the Node changed between the two reads (a kubelet update)
      return answer(200, node_list({node("box", {}, json::array(), {}, lists == 1 ? "41" : "42")}));
    }
    ++patches;
    json body = json::parse(r.body);
    if (body["metadata"]["resourceVersion"] == "41") return answer(409, conflict_status("box"));
    return answer(200, node("box", {{"zone", "attic"}}, json::array(), {{"claw.dev/labels", "[\"zone\"]"}}, "43"));
  });
  apply::NodeApplyReport report = apply::apply_nodes(t, plans);
  CHECK(report.ok());
  CHECK(report.patched == std::vector<std::string>{"box"});
  CHECK(lists == 2);
  CHECK(patches == 2);
}

TEST_CASE("nodes: apply_nodes reports what failed, and gives up on endless conflicts") {
  std::vector<DesiredNode> desired = {{"box", {{"zone", "attic"}}, {}}, {"nas", {{"zone", "cellar"}}, {}}};
  json list = node_list({node("box", {}), node("nas", {})});
  std::vector<NodePlan> plans = plan::plan_nodes(desired, list);
  REQUIRE(plans.size() == 2);

  SUBCASE("one Node refused: the other patched, the refusal reported once") {
    cluster::FakeTransport t([&](const cluster::Request& r) {
      if (r.method == "GET") return answer(200, list);
      if (r.path.starts_with("/api/v1/nodes/box"))
        return answer(422, {{"kind", "Status"}, {"code", 422}, {"message", "Node \"box\" is invalid: metadata.labels: Invalid value"}});
      return answer(200, node("nas", {{"zone", "cellar"}}));
    });
    apply::NodeApplyReport report = apply::apply_nodes(t, plans);
    CHECK(report.patched == std::vector<std::string>{"nas"});
    CHECK(report.errors ==
          std::vector<std::string>{"Node `box`: HTTP 422: Node \"box\" is invalid: metadata.labels: Invalid value"});
    CHECK(t.requests().size() == 3);
  }
  SUBCASE("always 409: gives up after the rounds allowed") {
    cluster::FakeTransport t([&](const cluster::Request& r) {
      return r.method == "GET" ? answer(200, list) : answer(409, conflict_status("box"));
    });
    apply::NodeApplyReport report = apply::apply_nodes(t, plans, 3);
    CHECK(report.patched.empty());
    CHECK(report.errors == std::vector<std::string>{"the Nodes kept changing while claw patched them (409 Conflict in 3 "
                                                    "rounds); run `claw apply` again"});
    CHECK(t.requests().size() == 9);  // 3 × (LIST + 2 PATCH)
  }
  SUBCASE("the LIST fails: nothing patched") {
    cluster::FakeTransport t([&](const cluster::Request&) { return cluster::Response{0, "", {}, "Connection refused", 4}; });
    apply::NodeApplyReport report = apply::apply_nodes(t, plans);
    CHECK(report.patched.empty());
    CHECK(report.errors == std::vector<std::string>{"reading the Nodes (GET /api/v1/nodes): Connection refused"});
  }
}

// ------------------------------------------------------------------ claw-sim

namespace {

/// A temporary folder, removed with everything in it.
struct TempDir {
  std::string path;
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "claw-nodes-test-XXXXXX").string();
    if (mkdtemp(tmpl.data())) path = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    if (!path.empty()) std::filesystem::remove_all(path, ec);
  }
};

json list_nodes(cluster::Transport& t) {
  cluster::Response r = t.perform(plan::node_list_request());
  REQUIRE_MESSAGE(r.status == 200, r.error << r.body);
  return json::parse(r.body);
}

void patch_node(cluster::Transport& t, const std::string& name, const json& patch) {
  cluster::Response r =
      t.perform(cluster::Request{"PATCH", "/api/v1/nodes/" + name, "application/merge-patch+json", patch.dump(), true});
  REQUIRE_MESSAGE(r.status == 200, r.body);
}

}  // namespace

TEST_CASE("nodes: against claw-sim, a label and a taint changed by hand are planned, fixed, then nothing is left") {
  io::DiskFileSystem fs;
  Compiled c(fs, {std::string(CLAW_SOURCE_DIR) + "/infra"});
  REQUIRE(c.clean());
  TempDir dir;
  REQUIRE(!dir.path.empty());
  const std::string placement_path = dir.path + "/placement.json";
  std::ofstream(placement_path) << emit::placement_json(c.checked.model, c.placed.placement,
                                                        emit::time_slicing(c.checked.model, c.placed.placement));
  test::SimProcess sim({"--nodes", placement_path});
  REQUIRE(sim.ok());
  auto made = cluster::CurlTransport::create(sim.endpoint(), cluster::CurlOptions{});
  REQUIRE(made.has_value());
  cluster::Transport& t = **made;

  // The sim's Nodes carry what the join scripts set: only claw's records
  // are missing, on every node.
  std::vector<NodePlan> first = plan::plan_nodes(c.checked.model, c.placed.placement, list_nodes(t));
  REQUIRE(first.size() == 2);  // the machines that declare labels or taints: three-body, gpu-box
  for (const NodePlan& p : first) {
    CAPTURE(p.machine);
    CHECK(p.joined);
    for (const FieldChange& change : p.changes) {
      CHECK(plan::render_path(change.path).starts_with("metadata.annotations[\"claw.dev/"));
      CHECK_FALSE(change.before.has_value());
    }
  }
  REQUIRE(apply::apply_nodes(t, first).ok());

  // Someone relabels the NAS, drops its taint and cordons it.
  patch_node(t, "three-body",
             {{"metadata", {{"labels", {{"node-role", "compute"}, {"team", "ml"}}}}},
              {"spec", {{"taints", json::array({kCordoned})}}}});
  const json read = list_nodes(t);
  std::vector<NodePlan> drift = plan::plan_nodes(c.checked.model, c.placed.placement, read);
  REQUIRE(drift.size() == 1);
  CHECK(drift[0].machine == "three-body");
  CHECK(shown(drift[0].changes) ==
        std::vector<std::string>{"metadata.labels.node-role: \"compute\" -> \"storage\"",
                                 "spec.taints[effect=NoSchedule,key=node-role]: - -> " +
                                     taint("node-role", "storage", "NoSchedule").dump()});

  // A patch made from that read is refused once the Node changed since.
  auto stale = apply::node_requests(drift, read);
  REQUIRE(stale.has_value());
  REQUIRE(stale->size() == 1);
  patch_node(t, "three-body", {{"metadata", {{"labels", {{"owner", "ops"}}}}}});
  CHECK(t.perform(stale->front()).status == 409);

  apply::NodeApplyReport report = apply::apply_nodes(t, drift);
  CHECK(report.ok());
  CHECK(report.patched == std::vector<std::string>{"three-body"});
  CHECK(plan::plan_nodes(c.checked.model, c.placed.placement, list_nodes(t)).empty());

  // The foreign label and taint are still there.
  const json after = list_nodes(t);
  const json* nas = plan::find_node(after, "three-body");
  REQUIRE(nas != nullptr);
  CHECK((*nas)["metadata"]["labels"]["team"] == "ml");
  CHECK((*nas)["metadata"]["labels"]["owner"] == "ops");
  CHECK((*nas)["spec"]["taints"] == json::array({kCordoned, taint("node-role", "storage", "NoSchedule")}));
}
