// Saved plans (plan_file.h): everything a plan holds reads back as it was
// written, a file of another claw or layout version or a damaged one is
// refused naming what is wrong, and no secret value is ever written.
#include "runtime/plan/plan_file.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "compiler/driver/commands.h"

using claw::emit::ObjectRef;
using claw::emit::SecretSource;
using claw::plan::Action;
using claw::plan::FieldChange;
using claw::plan::FieldPath;
using claw::plan::Kept;
using claw::plan::Move;
using claw::plan::NodePlan;
using claw::plan::ObjectPlan;
using claw::plan::PathElement;
using claw::plan::Plan;
using claw::plan::plan_file_text;
using claw::plan::read_plan_file;
using nlohmann::json;

namespace {

constexpr std::string_view kCanary = "canary-51be0d-secret-value";

PathElement field(std::string name) { return PathElement{PathElement::Kind::field, std::move(name), nullptr, 0}; }

// A plan with every field set to something other than its default.
Plan full_plan() {
  Plan plan;
  plan.project = "home";
  plan.server = "https://10.0.0.1:6443";
  plan.context = "k3s";
  plan.unchanged = 7;
  ObjectPlan update;
  update.ref = ObjectRef{"apps", "v1", "Deployment", "apps", "api"};
  update.action = Action::Update;
  update.source = "infra/services/api.claw:4";
  update.changes = {
      FieldChange{{field("spec"), field("replicas")}, json(5), json(2)},
      FieldChange{{field("spec"), field("template"), field("spec"), field("containers"),
                   PathElement{PathElement::Kind::key, {}, json{{"name", "app"}}, 0}, field("image")},
                  json("nginx:1.26"), json("nginx:1.27")},
      FieldChange{{field("metadata"), field("finalizers"), PathElement{PathElement::Kind::value, {}, json("x.io/y"), 0}},
                  std::nullopt, json("x.io/y")},
      FieldChange{{field("args"), PathElement{PathElement::Kind::index, {}, nullptr, 3}}, json("--v"), std::nullopt},
      FieldChange{{field("spec"), field("nulled")}, json(1), json(nullptr)},
  };
  update.resource_version = "4711";
  update.uid = "6d2c7f0e-1111-2222-3333-444455556666";
  update.reason = "drift";
  update.conflicts = {"kubectl-scale: spec.replicas"};
  update.body = json{{"apiVersion", "apps/v1"}, {"kind", "Deployment"}, {"spec", {{"replicas", 2}}}};
  update.wave = 3;
  plan.objects.push_back(update);
  ObjectPlan secret;
  secret.ref = ObjectRef{"", "v1", "Secret", "apps", "db"};
  secret.action = Action::Create;
  secret.source = "infra/secrets.claw:2";
  secret.sensitive = true;
  secret.changes = {FieldChange{{field("data")}, std::nullopt, json("(sensitive)")}};
  secret.body = json{{"apiVersion", "v1"}, {"kind", "Secret"}, {"metadata", {{"name", "db"}}}, {"type", "Opaque"}};
  secret.secret = SecretSource{{SecretSource::Item{"password", "DB_PASSWORD", std::nullopt, "db-password", {}},
                                SecretSource::Item{"cert", std::nullopt, "certs/db.pem", "db-cert", {}}},
                               {{"auth.password", "db-password"}},
                               {{"extraEnv", R"([{"name":"A"},null])"}}};
  secret.wave = 1;
  plan.objects.push_back(secret);
  ObjectPlan gone;
  gone.ref = ObjectRef{"", "v1", "ConfigMap", "apps", "old"};
  gone.action = Action::Delete;
  gone.uid = "u-old";
  gone.resource_version = "9";
  gone.reason = "owned by claw";
  plan.objects.push_back(gone);
  ObjectPlan adopt;
  adopt.ref = ObjectRef{"", "v1", "Service", "apps", "web"};
  adopt.action = Action::Adopt;
  adopt.body = json::object();
  plan.objects.push_back(adopt);
  plan.moves = {Move{"ml/embedder", 1, "gpu-box card 0", "gpu-box card 1", "card 0 is full"}};
  plan.nodes = {NodePlan{"studio", false, {}},
                NodePlan{"gpu-box", true, {FieldChange{{field("metadata"), field("labels"), field("a/b")}, json("1"), json("2")}}}};
  plan.kept = {Kept{ObjectRef{"", "v1", "PersistentVolumeClaim", "apps", "data"}, "a volume"}};
  plan.notes = {"first", "second"};
  plan.value_sources = {SecretSource::Item{"value", std::nullopt, "/etc/claw/grafana.txt", "grafana-admin", {}}};
  return plan;
}

void check_same(const std::vector<FieldChange>& a, const std::vector<FieldChange>& b) {
  REQUIRE(a.size() == b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    REQUIRE(a[i].path.size() == b[i].path.size());
    for (size_t j = 0; j < a[i].path.size(); ++j) {
      CHECK(a[i].path[j].kind == b[i].path[j].kind);
      CHECK(a[i].path[j].name == b[i].path[j].name);
      CHECK(a[i].path[j].json == b[i].path[j].json);
      CHECK(a[i].path[j].index == b[i].path[j].index);
    }
    CHECK(a[i].before == b[i].before);
    CHECK(a[i].after == b[i].after);
  }
}

std::string saved(const Plan& plan) {
  auto text = plan_file_text(plan);
  REQUIRE(text.has_value());
  return *text;
}

}  // namespace

TEST_CASE("plan_file: every field reads back as it was written") {
  Plan plan = full_plan();
  auto read = read_plan_file(saved(plan));
  REQUIRE_MESSAGE(read.has_value(), read.error());
  const Plan& got = *read;
  CHECK(got.project == "home");
  CHECK(got.server == "https://10.0.0.1:6443");
  CHECK(got.context == "k3s");
  CHECK(got.unchanged == 7);
  REQUIRE(got.objects.size() == plan.objects.size());
  for (size_t i = 0; i < plan.objects.size(); ++i) {
    const ObjectPlan& want = plan.objects[i];
    const ObjectPlan& o = got.objects[i];
    CAPTURE(i);
    CHECK(o.ref == want.ref);
    CHECK(o.action == want.action);
    CHECK(o.source == want.source);
    CHECK(o.sensitive == want.sensitive);
    CHECK(o.resource_version == want.resource_version);
    CHECK(o.uid == want.uid);
    CHECK(o.reason == want.reason);
    CHECK(o.conflicts == want.conflicts);
    CHECK(o.body == want.body);
    CHECK(o.wave == want.wave);
    check_same(o.changes, want.changes);
    REQUIRE(o.secret.has_value() == want.secret.has_value());
    if (!o.secret) continue;
    REQUIRE(o.secret->items.size() == want.secret->items.size());
    for (size_t j = 0; j < o.secret->items.size(); ++j) {
      CHECK(o.secret->items[j].key == want.secret->items[j].key);
      CHECK(o.secret->items[j].env == want.secret->items[j].env);
      CHECK(o.secret->items[j].file == want.secret->items[j].file);
      CHECK(o.secret->items[j].secret == want.secret->items[j].secret);
    }
    CHECK(o.secret->chart_values == want.secret->chart_values);
    CHECK(o.secret->chart_lists == want.secret->chart_lists);
  }
  // The null `after` of spec.nulled is a value (set to null), not a removal.
  REQUIRE(got.objects[0].changes[4].after.has_value());
  CHECK(got.objects[0].changes[4].after->is_null());
  REQUIRE(got.moves.size() == 1);
  CHECK(got.moves[0].workload == "ml/embedder");
  CHECK(got.moves[0].replica == 1);
  CHECK(got.moves[0].from == "gpu-box card 0");
  CHECK(got.moves[0].to == "gpu-box card 1");
  CHECK(got.moves[0].reason == "card 0 is full");
  REQUIRE(got.nodes.size() == 2);
  CHECK(got.nodes[0].machine == "studio");
  CHECK_FALSE(got.nodes[0].joined);
  CHECK(got.nodes[1].joined);
  check_same(got.nodes[1].changes, plan.nodes[1].changes);
  REQUIRE(got.kept.size() == 1);
  CHECK(got.kept[0].ref == plan.kept[0].ref);
  CHECK(got.kept[0].why == "a volume");
  CHECK(got.notes == plan.notes);
  REQUIRE(got.value_sources.size() == 1);
  CHECK(got.value_sources[0].secret == "grafana-admin");
  CHECK(got.value_sources[0].key == "value");
  CHECK_FALSE(got.value_sources[0].env.has_value());
  CHECK(got.value_sources[0].file == "/etc/claw/grafana.txt");
  // Written again, the same text: nothing lost or reordered.
  CHECK(saved(got) == saved(plan));
}

TEST_CASE("plan_file: the file names its layout and the claw that wrote it") {
  json doc = json::parse(saved(full_plan()));
  CHECK(doc["claw_plan_file"] == claw::plan::kPlanFileVersion);
  CHECK(doc["claw_version"] == std::string(claw::driver::kVersion));
}

TEST_CASE("plan_file: refuses what is not a plan file of this claw, naming the field") {
  json good = json::parse(saved(full_plan()));
  auto with = [&](auto edit) {
    json doc = good;
    edit(doc);
    return doc.dump();
  };
  struct Case {
    std::string text;
    std::string error;  // a part of the message
  };
  std::vector<Case> cases = {
      {"", "not a claw plan file (not a JSON object)"},
      {"{\"claw_plan_file\": 1,", "not a claw plan file (not a JSON object)"},
      {"[1, 2]", "not a claw plan file (not a JSON object)"},
      {"{\"format_version\": 1}", "not a claw plan file (it has no claw_plan_file version)"},
      {with([](json& d) { d["claw_plan_file"] = 1; }), "plan file layout version 1 is not one this claw reads (version 2)"},
      {with([](json& d) { d["claw_plan_file"] = "1"; }), "plan file layout version \"1\" is not one this claw reads"},
      {with([](json& d) { d["claw_version"] = "0.0.9"; }), "plan file was made by claw 0.0.9, but this is claw"},
      {with([](json& d) { d.erase("claw_version"); }), "plan file was made by claw unknown"},
      {with([](json& d) { d.erase("project"); }), "plan.project: missing"},
      {with([](json& d) { d["server"] = 5; }), "plan.server: expected a string"},
      {with([](json& d) { d["unchanged"] = -1; }), "plan.unchanged: expected a whole number"},
      {with([](json& d) { d["objects"] = json::object(); }), "plan.objects: expected a list"},
      {with([](json& d) { d["objects"][1]["ref"]["kind"] = nullptr; }), "objects[1].ref.kind: expected a string"},
      {with([](json& d) { d["objects"][0]["action"] = "recreate"; }),
       "objects[0].action: expected create, update, delete, adopt or replace"},
      {with([](json& d) { d["objects"][0]["changes"][1]["path"][4] = "x:bad"; }), "objects[0].changes[1].path[4]: "},
      {with([](json& d) { d["objects"][0]["changes"][0].erase("before"), d["objects"][0]["changes"][0].erase("after"); }),
       "objects[0].changes[0]: a change needs a before or an after value"},
      {with([](json& d) { d["objects"][0]["wave"] = 1.5; }), "objects[0].wave: expected a whole number"},
      {with([](json& d) { d["objects"][1]["secret"]["items"][0]["env"] = true; }),
       "objects[1].secret.items[0].env: expected a string"},
      {with([](json& d) { d["objects"][1]["secret"]["chart_values"][0] = json::array({"a"}); }),
       "objects[1].secret.chart_values[0]: expected [value path, secret name]"},
      {with([](json& d) { d["objects"][1]["secret"]["chart_lists"][0] = json::array({"a", 1}); }),
       "objects[1].secret.chart_lists[0]: expected [value path, list as JSON]"},
      {with([](json& d) { d["moves"][0]["replica"] = "1"; }), "moves[0].replica: expected a whole number"},
      {with([](json& d) { d["nodes"][0]["joined"] = "no"; }), "nodes[0].joined: expected true or false"},
      {with([](json& d) { d["kept"][0].erase("why"); }), "kept[0].why: missing"},
      {with([](json& d) { d["notes"][1] = 2; }), "plan.notes[1]: expected a string"},
      {with([](json& d) { d.erase("value_sources"); }), "plan.value_sources: missing"},
      {with([](json& d) { d["value_sources"][0]["file"] = 7; }), "value_sources[0].file: expected a string"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.text);
    auto read = read_plan_file(c.text);
    REQUIRE_FALSE(read.has_value());
    CHECK_MESSAGE(read.error().find(c.error) != std::string::npos, read.error());
    CHECK(read.error().find("claw plan --out") != std::string::npos);
  }
}

TEST_CASE("plan_file: a secret's value is never written nor read") {
  struct Case {
    std::string what;
    json body;
  };
  std::vector<Case> cases = {
      {"data", json{{"kind", "Secret"}, {"data", {{"password", kCanary}}}}},
      {"stringData", json{{"kind", "Secret"}, {"stringData", {{"password", kCanary}}}}},
      {"empty value", json{{"kind", "Secret"}, {"data", {{"password", ""}}}}},
      {"last-applied", json{{"kind", "Secret"},
                            {"metadata",
                             {{"annotations",
                               {{"kubectl.kubernetes.io/last-applied-configuration",
                                 std::string("{\"data\":{\"p\":\"") + std::string(kCanary) + "\"}}"}}}}}}},
  };
  for (const Case& c : cases) {
    CAPTURE(c.what);
    Plan plan = full_plan();
    plan.objects[1].body = c.body;
    auto text = plan_file_text(plan);
    REQUIRE_FALSE(text.has_value());
    CHECK(text.error().find("Secret apps/db's body holds secret values") != std::string::npos);
    CHECK(text.error().find(kCanary) == std::string::npos);
    // A file made by hand with the value in it is refused on reading too.
    json doc = json::parse(saved(full_plan()));
    doc["objects"][1]["body"] = c.body;
    auto read = read_plan_file(doc.dump());
    REQUIRE_FALSE(read.has_value());
    CHECK(read.error().find("Secret apps/db's body holds secret values") != std::string::npos);
    CHECK(read.error().find(kCanary) == std::string::npos);
  }
  // A Secret with no values, or an empty map, is written.
  Plan plan = full_plan();
  plan.objects[1].body["data"] = json::object();
  CHECK(plan_file_text(plan).has_value());
  // Values of a Secret's changes are written as (sensitive), whatever the
  // plan holds, and a Secret is known by its kind even if not marked.
  plan.objects[1].sensitive = false;
  plan.objects[1].changes = {FieldChange{{field("data"), field("password")}, json(kCanary), json(kCanary)}};
  std::string text = saved(plan);
  CHECK(text.find(kCanary) == std::string::npos);
  auto read = read_plan_file(text);
  REQUIRE(read.has_value());
  CHECK(read->objects[1].changes[0].before == json("(sensitive)"));
  CHECK(read->objects[1].changes[0].after == json("(sensitive)"));
  // A ConfigMap's data is not secret.
  plan = full_plan();
  plan.objects[2].body = json{{"kind", "ConfigMap"}, {"data", {{"k", "v"}}}};
  CHECK(plan_file_text(plan).has_value());
}

TEST_CASE("plan_file: text that is not UTF-8 is refused, not changed") {
  Plan plan = full_plan();
  plan.notes = {"bad \xff byte"};
  auto text = plan_file_text(plan);
  REQUIRE_FALSE(text.has_value());
  CHECK(text.error().find("not UTF-8") != std::string::npos);
}
