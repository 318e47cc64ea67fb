// make_plan and read_owned against an in-memory API (fake_api.h): what each
// declared object becomes (create on a 404, adopt when someone else's
// object has the name, update only when the server's dry-run answer
// differs from the live object), how many requests it costs (kinds and
// changes, never unchanged objects), conflicts, refusals, deletes from the
// inventory, and Secrets kept out of every dry-run.
#include "runtime/plan/make_plan.h"

#include <doctest/doctest.h>

#include <algorithm>

#include "compiler/io/filesystem.h"
#include "runtime/apply/secret_values.h"
#include "runtime/cluster/environment.h"
#include "tests/runtime/fake_api.h"

using claw::cluster::Discovery;
using claw::cluster::Request;
using claw::emit::Object;
using claw::emit::ObjectRef;
using claw::plan::Action;
using claw::plan::Inventory;
using claw::plan::LiveState;
using claw::plan::make_plan;
using claw::plan::Plan;
using claw::plan::PlanOptions;
using claw::plan::read_owned;
using claw::plan::render_path;
using claw::test::claw_labels;
using claw::test::declared;
using claw::test::FakeApi;
using claw::test::fake_discovery;
using claw::test::where_at;
using nlohmann::json;

namespace {

const std::string kProject = "home";
using Kinds = std::vector<std::pair<std::string, std::string>>;

json config_map(const std::string& name, json data, json labels = claw_labels(kProject)) {
  return {{"apiVersion", "v1"},
          {"kind", "ConfigMap"},
          {"metadata", {{"name", name}, {"namespace", "web"}, {"labels", std::move(labels)}}},
          {"data", std::move(data)}};
}

json deployment(const std::string& name, int replicas) {
  json labels = {{"app", name}};
  return {{"apiVersion", "apps/v1"},
          {"kind", "Deployment"},
          {"metadata", {{"name", name}, {"namespace", "web"}, {"labels", claw_labels(kProject)}}},
          {"spec",
           {{"replicas", replicas},
            {"selector", {{"matchLabels", labels}}},
            {"template",
             {{"metadata", {{"labels", labels}}},
              {"spec", {{"containers", {{{"name", "app"}, {"image", "nginx:1.27"}}}}}}}}}}};
}

/// The program's namespace in these tests.
const std::set<std::string> kWeb = {"web"};

/// The live state read_owned finds for `kinds` in namespace web (and the
/// inventory's).
LiveState read(FakeApi& api, const Discovery& d, const Kinds& kinds) {
  LiveState live;
  auto ok = read_owned(api.transport, d, kProject, kinds, kWeb, live);
  REQUIRE_MESSAGE(ok.has_value(), ok.error());
  return live;
}

Plan plan_of(FakeApi& api, const Discovery& d, const std::vector<Object>& objects, const LiveState& live,
             PlanOptions options = {}) {
  options.project = kProject;
  auto plan = make_plan(api.transport, d, objects, live, where_at(), options);
  if (!plan) FAIL(plan.error().front());
  return std::move(*plan);
}

const claw::plan::ObjectPlan* find(const Plan& p, const std::string& name) {
  for (const auto& o : p.objects)
    if (o.ref.name == name) return &o;
  return nullptr;
}

/// The change at `path` (as rendered), or null.
const claw::plan::FieldChange* change_at(const claw::plan::ObjectPlan& o, const std::string& path) {
  for (const auto& c : o.changes)
    if (render_path(c.path) == path) return &c;
  return nullptr;
}

std::vector<std::string> request_lines(const FakeApi& api, size_t from) {
  std::vector<std::string> out;
  for (size_t i = from; i < api.requests().size(); ++i) out.push_back(api.requests()[i].method + " " + api.requests()[i].path);
  return out;
}

void put_inventory(FakeApi& api, const Inventory& inv) { api.put(claw::plan::inventory_body(kProject, inv)); }

}  // namespace

TEST_CASE("make_plan: create on a 404, adopt someone else's object, update only what the dry-run changes") {
  FakeApi api;
  const Discovery d = fake_discovery();
  api.put(config_map("mine", {{"x", "1"}}));
  api.put(config_map("same", {{"x", "1"}}));
  json theirs = config_map("theirs", {{"x", "1"}}, json::object());
  theirs["metadata"]["managedFields"] = {{{"manager", "kubectl-client-side-apply"}, {"operation", "Update"}, {"apiVersion", "v1"}}};
  api.put(theirs);
  json helm = config_map("helms", {{"x", "1"}}, {{"app.kubernetes.io/managed-by", "Helm"}});
  api.put(helm);
  LiveState live = read(api, d, {{"v1", "ConfigMap"}});
  const size_t before = api.requests().size();

  std::vector<Object> objects = {declared(config_map("new", {{"x", "1"}}), 1), declared(config_map("theirs", {{"x", "1"}}), 2),
                                 declared(config_map("mine", {{"x", "2"}}), 3), declared(config_map("same", {{"x", "1"}}), 4),
                                 declared(config_map("helms", {{"x", "1"}}), 5)};
  Plan p = plan_of(api, d, objects, live);

  CHECK(p.project == kProject);
  CHECK(p.unchanged == 1);
  CHECK(p.objects.size() == 4);
  const auto* created = find(p, "new");
  REQUIRE(created != nullptr);
  CHECK(created->action == Action::Create);
  CHECK(created->source == "main.claw:1");
  CHECK(created->wave == 1);
  REQUIRE(change_at(*created, "data.x") != nullptr);
  CHECK_FALSE(change_at(*created, "data.x")->before.has_value());
  CHECK(change_at(*created, "data.x")->after == "1");
  CHECK(created->body == config_map("new", {{"x", "1"}}));

  const auto* adopted = find(p, "theirs");
  REQUIRE(adopted != nullptr);
  CHECK(adopted->action == Action::Adopt);
  CHECK(adopted->reason.find("kubectl-client-side-apply") != std::string::npos);
  CHECK(adopted->uid == api.get("configmaps", "web", "theirs")["metadata"]["uid"]);
  REQUIRE(change_at(*adopted, "metadata.labels[\"app.kubernetes.io/managed-by\"]") != nullptr);

  const auto* helms = find(p, "helms");
  REQUIRE(helms != nullptr);
  CHECK(helms->action == Action::Adopt);
  CHECK(helms->reason.find("managed by `Helm`") != std::string::npos);

  const auto* updated = find(p, "mine");
  REQUIRE(updated != nullptr);
  CHECK(updated->action == Action::Update);
  REQUIRE(updated->changes.size() == 1);
  CHECK(render_path(updated->changes[0].path) == "data.x");
  CHECK(updated->changes[0].before == "1");
  CHECK(updated->changes[0].after == "2");
  CHECK(updated->resource_version == api.get("configmaps", "web", "mine")["metadata"]["resourceVersion"]);
  CHECK(updated->uid == api.get("configmaps", "web", "mine")["metadata"]["uid"]);
  CHECK(updated->conflicts.empty());

  // GETs only for the objects claw does not own; dry-runs only for those
  // that exist and may differ; nothing for `same`; nothing is written.
  auto lines = request_lines(api, before);
  std::sort(lines.begin(), lines.end());
  const std::vector<std::string> want = {
      "GET /api/v1/namespaces/web/configmaps/helms",
      "GET /api/v1/namespaces/web/configmaps/new",
      "GET /api/v1/namespaces/web/configmaps/theirs",
      "PATCH /api/v1/namespaces/web/configmaps/helms?fieldManager=claw&dryRun=All",
      "PATCH /api/v1/namespaces/web/configmaps/mine?fieldManager=claw&dryRun=All",
      "PATCH /api/v1/namespaces/web/configmaps/theirs?fieldManager=claw&dryRun=All",
  };
  CHECK(lines == want);
  CHECK(api.get("configmaps", "web", "new").is_null());
  CHECK(api.get("configmaps", "web", "mine")["data"]["x"] == "1");
}

TEST_CASE("make_plan: an adopt says who manages the existing object") {
  auto managers = [](std::vector<const char*> names) {
    json fields = json::array();
    for (const char* n : names) fields.push_back({{"manager", n}, {"operation", "Update"}, {"apiVersion", "v1"}});
    return fields;
  };
  struct Case {
    const char* name;
    json labels;
    json managed_fields;
    const char* reason;
  };
  const Case cases[] = {
      {"another claw project", claw_labels("office"), nullptr, "it exists and belongs to claw project `office`"},
      {"another tool's label", {{"app.kubernetes.io/managed-by", "Helm"}}, nullptr, "it exists, managed by `Helm`"},
      {"field managers", json::object(), managers({"kubectl-edit", "kubectl-client-side-apply", "kubectl-edit"}),
       "it exists and claw did not make it (field managers: kubectl-client-side-apply, kubectl-edit)"},
      {"nothing known", nullptr, nullptr, "it exists and claw did not make it"},
  };
  for (const Case& c : cases) {
    INFO(std::string(c.name));
    FakeApi api;
    const Discovery d = fake_discovery();
    json existing = config_map("x", {{"x", "1"}});
    if (c.labels.is_null()) existing["metadata"].erase("labels");
    else existing["metadata"]["labels"] = c.labels;
    if (!c.managed_fields.is_null()) existing["metadata"]["managedFields"] = c.managed_fields;
    api.put(existing);
    LiveState live = read(api, d, {{"v1", "ConfigMap"}});
    CHECK(live.owned.empty());
    Plan p = plan_of(api, d, {declared(config_map("x", {{"x", "1"}}))}, live);
    REQUIRE(p.objects.size() == 1);
    CHECK(p.objects[0].action == Action::Adopt);
    CHECK(p.objects[0].reason == c.reason);
  }
}

TEST_CASE("make_plan: an object the dry-run leaves as it is, is unchanged") {
  // claw applied data.old before; kubectl-edit owns it too, so applying
  // without it keeps it (server-side apply removes a field only when no
  // other manager owns it): compare.h cannot tell, the dry-run can.
  FakeApi api;
  const Discovery d = fake_discovery();
  json live_cm = config_map("shared", {{"old", "a"}, {"x", "1"}});
  live_cm["metadata"]["managedFields"] = {
      {{"manager", "claw"}, {"operation", "Apply"}, {"apiVersion", "v1"}, {"fieldsType", "FieldsV1"},
       {"fieldsV1", {{"f:data", {{"f:old", json::object()}, {"f:x", json::object()}}}}}},
      {{"manager", "kubectl-edit"}, {"operation", "Update"}, {"apiVersion", "v1"}, {"fieldsType", "FieldsV1"},
       {"fieldsV1", {{"f:data", {{"f:old", json::object()}}}}}}};
  api.put(live_cm);
  LiveState live = read(api, d, {{"v1", "ConfigMap"}});
  const size_t before = api.requests().size();
  Plan p = plan_of(api, d, {declared(config_map("shared", {{"x", "1"}}))}, live);
  CHECK(p.objects.empty());
  CHECK(p.unchanged == 1);
  CHECK(request_lines(api, before) ==
        std::vector<std::string>{"PATCH /api/v1/namespaces/web/configmaps/shared?fieldManager=claw&dryRun=All"});
}

TEST_CASE("make_plan: 200 unchanged objects of 2 kinds cost no request; reading them one per kind") {
  FakeApi api;
  const Discovery d = fake_discovery();
  std::vector<Object> objects;
  for (int i = 0; i < 100; ++i) {
    json cm = config_map(fmt::format("cm-{}", i), {{"x", std::to_string(i)}});
    json deploy = deployment(fmt::format("app-{}", i), 1 + i % 3);
    objects.push_back(declared(cm));
    objects.push_back(declared(deploy));
    deploy["status"] = {{"replicas", 1}, {"observedGeneration", 1}};
    deploy["spec"]["strategy"] = {{"type", "RollingUpdate"}};  // a server default
    api.put(cm);
    api.put(deploy);
  }
  // Another project's object and an unlabelled one are not listed.
  api.put(config_map("other-project", {{"x", "1"}}, claw_labels("office")));
  api.put(config_map("unlabelled", {{"x", "1"}}, json::object()));

  LiveState live = read(api, d, {{"v1", "ConfigMap"}, {"apps/v1", "Deployment"}});
  CHECK(api.requests().size() == 3);  // the inventory and one LIST per kind
  CHECK(live.owned.size() == 200);
  CHECK(live.inventory.entries.empty());

  Plan p = plan_of(api, d, objects, live);
  CHECK(api.requests().size() == 3);  // nothing more
  CHECK(p.unchanged == 200);
  CHECK(p.objects.empty());
  CHECK_FALSE(p.has_changes());
}

TEST_CASE("make_plan: a conflict is noted and the dry-run asked again with force") {
  FakeApi api;
  const Discovery d = fake_discovery();
  json live_deploy = deployment("api", 5);
  api.put(live_deploy);
  api.conflicts["api"] = {{"kubectl-edit", ".spec.replicas"}};
  LiveState live = read(api, d, {{"apps/v1", "Deployment"}});
  const size_t before = api.requests().size();
  Plan p = plan_of(api, d, {declared(deployment("api", 2))}, live);
  CHECK(request_lines(api, before) ==
        std::vector<std::string>{"PATCH /apis/apps/v1/namespaces/web/deployments/api?fieldManager=claw&dryRun=All",
                                 "PATCH /apis/apps/v1/namespaces/web/deployments/api?fieldManager=claw&dryRun=All&force=true"});
  REQUIRE(p.objects.size() == 1);
  const auto& o = p.objects[0];
  CHECK(o.action == Action::Update);
  CHECK(o.wave == 2);
  CHECK(o.conflicts == std::vector<std::string>{"\"kubectl-edit\" using apps/v1: .spec.replicas"});
  REQUIRE(change_at(o, "spec.replicas") != nullptr);
  CHECK(change_at(o, "spec.replicas")->before == 5);
  CHECK(change_at(o, "spec.replicas")->after == 2);
}

TEST_CASE("make_plan: errors name the declaration and the object") {
  FakeApi api;
  const Discovery d = fake_discovery();
  api.put(config_map("bad", {{"x", "1"}}));
  api.invalid.insert("bad");
  LiveState live = read(api, d, {{"v1", "ConfigMap"}});
  json widget = {{"apiVersion", "example.com/v1"}, {"kind", "Widget"}, {"metadata", {{"name", "w"}, {"namespace", "web"}}}};
  std::vector<Object> objects = {declared(config_map("bad", {{"x", "2"}}), 7), declared(widget, 9),
                                 declared(config_map("fine", {{"x", "1"}}), 11)};
  const size_t before = api.requests().size();
  PlanOptions options;
  options.project = kProject;
  auto p = make_plan(api.transport, d, objects, live, where_at(), options);
  REQUIRE_FALSE(p.has_value());
  REQUIRE(p.error().size() == 2);
  const std::string& widget_error = p.error()[0].find("Widget") != std::string::npos ? p.error()[0] : p.error()[1];
  const std::string& bad_error = &widget_error == &p.error()[0] ? p.error()[1] : p.error()[0];
  CHECK(widget_error.starts_with("main.claw:9: Widget web/w: "));
  CHECK(widget_error.find("does not serve this kind") != std::string::npos);
  CHECK(bad_error.starts_with("main.claw:7: ConfigMap web/bad: "));
  CHECK(bad_error.find("ConfigMap \"bad\" is invalid") != std::string::npos);
  CHECK(bad_error.find("(422)") != std::string::npos);
  // The unknown kind was never asked for.
  for (const auto& line : request_lines(api, before)) CHECK(line.find("widget") == std::string::npos);
}

TEST_CASE("make_plan: a GET that fails is an error naming the object") {
  FakeApi api;
  const Discovery d = fake_discovery();
  LiveState live = read(api, d, {{"v1", "ConfigMap"}});
  api.intercept = [](const Request& r) -> std::optional<claw::cluster::Response> {
    if (r.method == "GET") return claw::test::status_response(403, "Forbidden", "configmaps \"new\" is forbidden");
    return std::nullopt;
  };
  PlanOptions options;
  options.project = kProject;
  auto p = make_plan(api.transport, d, {declared(config_map("new", {{"x", "1"}}), 4)}, live, where_at(), options);
  REQUIRE_FALSE(p.has_value());
  REQUIRE(p.error().size() == 1);
  CHECK(p.error()[0].starts_with("main.claw:4: ConfigMap web/new: "));
  CHECK(p.error()[0].find("is forbidden (403)") != std::string::npos);
}

TEST_CASE("make_plan: a kind a CRD of the same program defines is created without a lookup") {
  FakeApi api;
  const Discovery d = fake_discovery();
  LiveState live = read(api, d, {});
  json crd = {{"apiVersion", "apiextensions.k8s.io/v1"},
              {"kind", "CustomResourceDefinition"},
              {"metadata", {{"name", "widgets.example.com"}}},
              {"spec",
               {{"group", "example.com"},
                {"scope", "Namespaced"},
                {"names", {{"kind", "Widget"}, {"plural", "widgets"}}},
                {"versions", {{{"name", "v1"}, {"served", true}, {"storage", true}}}}}}};
  json widget = {{"apiVersion", "example.com/v1"},
                 {"kind", "Widget"},
                 {"metadata", {{"name", "w"}, {"namespace", "web"}}},
                 {"spec", {{"size", 3}}}};
  const size_t before = api.requests().size();
  Plan p = plan_of(api, d, {declared(crd, 1), declared(widget, 2)}, live);
  CHECK(request_lines(api, before) ==
        std::vector<std::string>{"GET /apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com"});
  REQUIRE(p.objects.size() == 2);
  const auto* w = find(p, "w");
  REQUIRE(w != nullptr);
  CHECK(w->action == Action::Create);
  CHECK(w->wave == 4);
  CHECK(w->source == "main.claw:2");
  CHECK(w->body == widget);
  REQUIRE(change_at(*w, "spec.size") != nullptr);
  const auto* c = find(p, "widgets.example.com");
  REQUIRE(c != nullptr);
  CHECK(c->action == Action::Create);
  CHECK(c->wave == 0);
}

TEST_CASE("make_plan: deletes only what the inventory records with that uid; kept objects say why") {
  FakeApi api;
  const Discovery d = fake_discovery();
  Inventory inv;
  json old = api.put(config_map("old", {{"x", "1"}}));
  json copied = api.put(config_map("copied", {{"x", "1"}}));
  json replaced = api.put(config_map("replaced", {{"x", "1"}}));
  json keepme = config_map("keepme", {{"x", "1"}});
  keepme["metadata"]["annotations"] = {{"claw.dev/prune", "disabled"}};
  keepme = api.put(keepme);
  json child = config_map("child", {{"x", "1"}});
  child["metadata"]["ownerReferences"] = {{{"apiVersion", "apps/v1"}, {"kind", "Deployment"}, {"name", "api"}, {"uid", "d"}}};
  child = api.put(child);
  json ns = api.put({{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", "web"}, {"labels", claw_labels(kProject)}}}});
  json pvc = api.put({{"apiVersion", "v1"},
                      {"kind", "PersistentVolumeClaim"},
                      {"metadata", {{"name", "data"}, {"namespace", "web"}, {"labels", claw_labels(kProject)}}}});
  json declared_cm = api.put(config_map("kept-declared", {{"x", "1"}}));
  for (const json* o : {&old, &replaced, &keepme, &child, &ns, &pvc, &declared_cm})
    inv.record(claw::test::ref_of_manifest(*o), (*o)["metadata"]["uid"].get<std::string>());
  inv.record(claw::test::ref_of_manifest(replaced), "uid-of-the-first-one");
  put_inventory(api, inv);

  LiveState live = read(api, d, {{"v1", "ConfigMap"}});
  // The inventory's kinds are listed too (claw plan does this next).
  auto ok = read_owned(api.transport, d, kProject, claw::plan::inventory_kinds(live.inventory), kWeb, live);
  REQUIRE_MESSAGE(ok.has_value(), ok.error());
  CHECK(live.owned.size() == 8);
  const size_t before = api.requests().size();

  auto run = [&](claw::plan::PruneOptions prune) {
    PlanOptions options;
    options.prune = prune;
    options.allow_mass_delete = true;
    return plan_of(api, d, {declared(config_map("kept-declared", {{"x", "1"}}))}, live, options);
  };
  Plan p = run({});
  CHECK(api.requests().size() == before);  // deletes cost no request to plan
  CHECK(p.unchanged == 1);
  REQUIRE(p.objects.size() == 1);
  const auto& del = p.objects[0];
  CHECK(del.ref.name == "old");
  CHECK(del.action == Action::Delete);
  CHECK(del.uid == old["metadata"]["uid"]);
  CHECK(del.resource_version == old["metadata"]["resourceVersion"]);
  CHECK(del.reason.find("inventory") != std::string::npos);
  CHECK(del.body.is_null());
  CHECK(del.source.empty());
  CHECK(del.wave == 1);

  std::map<std::string, std::string> kept;
  for (const auto& k : p.kept) kept[k.ref.display()] = k.why;
  CHECK(kept.size() == 6);
  const std::pair<const char*, const char*> want[] = {
      {"ConfigMap web/copied", "not in the inventory"},
      {"ConfigMap web/replaced", "uid differs"},
      {"ConfigMap web/keepme", "claw.dev/prune: disabled"},
      {"ConfigMap web/child", "ownerReference"},
      {"Namespace web", "--prune-namespaces"},
      {"PersistentVolumeClaim web/data", "--prune-volumes"},
  };
  for (const auto& w : want) {
    INFO(std::string(w.first));
    REQUIRE(kept.contains(w.first));
    CHECK(kept[w.first].find(w.second) != std::string::npos);
  }

  Plan all = run({true, true});
  std::set<std::string> deleted;
  for (const auto& o : all.objects)
    if (o.action == Action::Delete) deleted.insert(o.ref.display());
  CHECK(deleted == std::set<std::string>{"ConfigMap web/old", "Namespace web", "PersistentVolumeClaim web/data"});
  CHECK(all.kept.size() == 4);
}

TEST_CASE("make_plan: a mass delete is noted unless allowed") {
  FakeApi api;
  const Discovery d = fake_discovery();
  Inventory inv;
  for (const char* name : {"a", "b", "c"}) {
    json stored = api.put(config_map(name, {{"x", "1"}}));
    inv.record(claw::test::ref_of_manifest(stored), stored["metadata"]["uid"].get<std::string>());
  }
  put_inventory(api, inv);
  LiveState live = read(api, d, {{"v1", "ConfigMap"}});
  struct Case {
    std::vector<const char*> declared;
    bool allow;
    bool note;
  };
  const Case cases[] = {{{}, false, true}, {{}, true, false}, {{"a"}, false, true}, {{"a", "b"}, false, false}};
  for (const Case& c : cases) {
    CAPTURE(c.declared.size());
    CAPTURE(c.allow);
    std::vector<Object> objects;
    for (const char* name : c.declared) objects.push_back(declared(config_map(name, {{"x", "1"}})));
    PlanOptions options;
    options.allow_mass_delete = c.allow;
    Plan p = plan_of(api, d, objects, live, options);
    CHECK(p.count(Action::Delete) == 3 - c.declared.size());
    bool noted = std::any_of(p.notes.begin(), p.notes.end(),
                             [](const std::string& n) { return n.find("--allow-mass-delete") != std::string::npos; });
    CHECK(noted == c.note);
    if (c.declared.empty() && !c.allow) CHECK(p.notes[0].find("deletes 3 of the 3 objects") != std::string::npos);
  }
}

TEST_CASE("make_plan: Secrets are never sent for a dry-run, and their values never reach the plan") {
  const std::string value = "s3cret-CANARY";
  const std::string value_b64 = "czNjcmV0LUNBTkFSWQ==";  // base64 of the value
  FakeApi api;
  const Discovery d = fake_discovery();
  auto secret = [&](const std::string& name, json labels) {
    return json{{"apiVersion", "v1"},
                {"kind", "Secret"},
                {"metadata", {{"name", name}, {"namespace", "web"}, {"labels", std::move(labels)}}},
                {"type", "Opaque"}};
  };
  json owned = secret("owned", claw_labels(kProject));
  owned["data"] = {{"password", "b2xk"}};  // "old"
  api.put(owned);
  json theirs = secret("theirs", json::object());
  theirs["data"] = {{"password", "b2xk"}};
  api.put(theirs);
  LiveState live = read(api, d, {{"v1", "Secret"}});

  claw::emit::SecretSource::Item item{"password", std::string("DB_PASS"), std::nullopt, "db-pass", {}};
  auto with_source = [&](Object o) {
    o.origin = claw::emit::Origin::Secret;
    o.secret = claw::emit::SecretSource{{item}, {}, {}};
    return o;
  };
  std::vector<Object> objects = {with_source(declared(secret("new", claw_labels(kProject)))),
                                 with_source(declared(secret("owned", claw_labels(kProject)))),
                                 with_source(declared(secret("theirs", claw_labels(kProject))))};
  claw::cluster::Environment env;
  env.vars["DB_PASS"] = value;
  claw::io::MemoryFileSystem fs;
  claw::apply::ValueSources sources{env, fs, [](const claw::source::Span&) { return std::string("."); }};
  claw::apply::SecretLookup lookup = claw::apply::lookup_of({item});
  PlanOptions options;
  options.secrets = &lookup;
  options.sources = &sources;
  const size_t before = api.requests().size();
  Plan p = plan_of(api, d, objects, live, options);

  for (const auto& line : request_lines(api, before)) CHECK(line.starts_with("GET "));
  CHECK(api.count("PATCH") == 0);
  REQUIRE(p.objects.size() == 3);
  const std::pair<const char*, Action> want[] = {{"new", Action::Create}, {"owned", Action::Update}, {"theirs", Action::Adopt}};
  for (const auto& w : want) {
    INFO(std::string(w.first));
    const auto* o = find(p, w.first);
    REQUIRE(o != nullptr);
    CHECK(o->action == w.second);
    CHECK(o->sensitive);
    CHECK(o->secret.has_value());
    const auto* c = change_at(*o, "data.password");
    REQUIRE(c != nullptr);
    CHECK(c->after == std::string(claw::plan::kSensitive));
    CHECK_FALSE(o->body.contains("data"));
    std::string all = o->body.dump();
    for (const auto& ch : o->changes)
      all += render_path(ch.path) + ch.before.value_or(json()).dump() + ch.after.value_or(json()).dump();
    CHECK(all.find(value) == std::string::npos);
    CHECK(all.find(value_b64) == std::string::npos);
  }
  CHECK(find(p, "theirs")->reason.find("claw did not make it") != std::string::npos);
  for (const auto& r : api.requests()) {
    CHECK(r.body.find(value) == std::string::npos);
    CHECK(r.body.find(value_b64) == std::string::npos);
  }
}

TEST_CASE("read_owned: one request per kind and the inventory, items get apiVersion and kind") {
  FakeApi api;
  const Discovery d = fake_discovery();
  api.put(config_map("a", {{"x", "1"}}));
  api.put(deployment("api", 1));
  Inventory inv;
  inv.record(ObjectRef{"batch", "v1", "Job", "web", "migrate"}, "uid-j");
  put_inventory(api, inv);

  LiveState live;
  auto ok = read_owned(api.transport, d, kProject,
                       {{"v1", "ConfigMap"}, {"apps/v1", "Deployment"}, {"v1", "ConfigMap"}, {"example.com/v1", "Widget"}},
                       kWeb, live);
  REQUIRE_MESSAGE(ok.has_value(), ok.error());
  const std::string selector = "?labelSelector=app.kubernetes.io%2Fmanaged-by%3Dclaw%2Cclaw.dev%2Fproject%3Dhome";
  CHECK(request_lines(api, 0) == std::vector<std::string>{"GET /api/v1/namespaces/kube-system/configmaps/claw-inventory-home",
                                                          "GET /api/v1/namespaces/web/configmaps" + selector,
                                                          "GET /apis/apps/v1/namespaces/web/deployments" + selector});
  CHECK(live.inventory_read);
  REQUIRE(live.inventory.entries.size() == 1);
  CHECK(live.inventory.entries[0].uid == "uid-j");
  CHECK(claw::plan::inventory_kinds(live.inventory) == Kinds{{"batch/v1", "Job"}});
  CHECK(live.listed == std::set<std::string>{"/ConfigMap in web", "apps/Deployment in web"});
  REQUIRE(live.owned.size() == 2);
  const json& cm = live.owned.at({"", "ConfigMap", "web", "a"});
  CHECK(cm["apiVersion"] == "v1");
  CHECK(cm["kind"] == "ConfigMap");
  const json& deploy = live.owned.at({"apps", "Deployment", "web", "api"});
  CHECK(deploy["apiVersion"] == "apps/v1");
  CHECK(deploy["kind"] == "Deployment");

  // Asked again (the inventory's kinds): only what was not listed yet.
  ok = read_owned(api.transport, d, kProject, {{"v1", "ConfigMap"}, {"batch/v1", "Job"}}, kWeb, live);
  REQUIRE(ok.has_value());
  CHECK(request_lines(api, 3) == std::vector<std::string>{"GET /apis/batch/v1/namespaces/web/jobs" + selector});
}

TEST_CASE("read_owned: only the namespaces the program uses and the inventory records are listed") {
  // Issue 12 §6: listing is scoped to the kinds and namespaces the project
  // has ever used. A ConfigMap claw made in `gone` (a namespace the program
  // no longer uses) is found through the inventory; one in `elsewhere`
  // with claw's labels copied, never recorded, is not even listed.
  FakeApi api;
  const Discovery d = fake_discovery();
  auto in = [](const std::string& ns, const std::string& name) {
    json cm = config_map(name, {{"x", "1"}});
    cm["metadata"]["namespace"] = ns;
    return cm;
  };
  json old = api.put(in("gone", "old"));
  api.put(in("elsewhere", "stray"));
  api.put(config_map("here", {{"x", "1"}}));
  Inventory inv;
  inv.record(claw::test::ref_of_manifest(old), old["metadata"]["uid"].get<std::string>());
  put_inventory(api, inv);

  LiveState live;
  auto ok = read_owned(api.transport, d, kProject, {{"v1", "ConfigMap"}}, kWeb, live);
  REQUIRE_MESSAGE(ok.has_value(), ok.error());
  std::vector<std::string> paths;
  for (const auto& r : api.requests()) paths.push_back(r.path.substr(0, r.path.find('?')));
  CHECK(std::count(paths.begin(), paths.end(), "/api/v1/namespaces/web/configmaps") == 1);
  CHECK(std::count(paths.begin(), paths.end(), "/api/v1/namespaces/gone/configmaps") == 1);
  CHECK(std::none_of(paths.begin(), paths.end(), [](const std::string& p) { return p.find("elsewhere") != std::string::npos; }));
  CHECK(std::none_of(paths.begin(), paths.end(), [](const std::string& p) { return p == "/api/v1/configmaps"; }));
  CHECK(live.owned.contains({"", "ConfigMap", "web", "here"}));
  CHECK(live.owned.contains({"", "ConfigMap", "gone", "old"}));
  CHECK_FALSE(live.owned.contains({"", "ConfigMap", "elsewhere", "stray"}));
}

TEST_CASE("read_owned: errors name the kind or the inventory") {
  const Discovery d = fake_discovery();
  struct Case {
    const char* name;
    std::function<std::optional<claw::cluster::Response>(const Request&)> fault;
    const char* error;
  };
  using claw::test::json_response;
  using claw::test::status_response;
  const Case cases[] = {
      {"a LIST refused",
       [](const Request& r) -> std::optional<claw::cluster::Response> {
         if (r.path.starts_with("/apis/apps/v1/namespaces/web/deployments"))
           return status_response(403, "Forbidden", "deployments.apps is forbidden: User \"bob\" cannot list resource");
         return std::nullopt;
       },
       "listing apps/Deployment in web: deployments.apps is forbidden: User \"bob\" cannot list resource (403)"},
      {"a LIST that is not a list",
       [](const Request& r) -> std::optional<claw::cluster::Response> {
         if (r.path.starts_with("/api/v1/namespaces/web/configmaps")) return json_response(200, {{"kind", "Status"}});
         return std::nullopt;
       },
       "listing /ConfigMap in web: not a list"},
      {"the inventory unreadable",
       [](const Request& r) -> std::optional<claw::cluster::Response> {
         if (r.path.find("claw-inventory-home") != std::string::npos)
           return json_response(200, {{"data", {{"objects", "{oops"}}}});
         return std::nullopt;
       },
       "the inventory kube-system/claw-inventory-home is unreadable"},
      {"the inventory refused",
       [](const Request& r) -> std::optional<claw::cluster::Response> {
         if (r.path.find("claw-inventory-home") != std::string::npos)
           return status_response(500, "InternalError", "etcdserver: request timed out");
         return std::nullopt;
       },
       "reading the inventory kube-system/claw-inventory-home: etcdserver: request timed out (500)"},
  };
  for (const Case& c : cases) {
    INFO(std::string(c.name));
    FakeApi api;
    api.intercept = c.fault;
    LiveState live;
    auto ok = read_owned(api.transport, d, kProject, {{"v1", "ConfigMap"}, {"apps/v1", "Deployment"}}, kWeb, live);
    REQUIRE_FALSE(ok.has_value());
    CHECK(ok.error().find(c.error) != std::string::npos);
  }
}

// A bug: parse_inventory calls json::value() on whatever the GET returned;
// a body that is not a JSON object (an HTML page from a proxy, a JSON list)
// throws nlohmann::json::type_error out of read_owned instead of an error
// value.
TEST_CASE("read_owned: an inventory that is not a JSON object is an error value") {
  const Discovery d = fake_discovery();
  for (const char* body : {"<html>bad gateway</html>", "[1, 2]"}) {
    INFO(std::string(body));
    FakeApi api;
    api.intercept = [&](const Request& r) -> std::optional<claw::cluster::Response> {
      if (r.path.find("claw-inventory-home") == std::string::npos) return std::nullopt;
      claw::cluster::Response answer;
      answer.status = 200;
      answer.body = body;
      return answer;
    };
    LiveState live;
    std::expected<void, std::string> ok;
    CHECK_NOTHROW(ok = read_owned(api.transport, d, kProject, {{"v1", "ConfigMap"}}, kWeb, live));
    REQUIRE_FALSE(ok.has_value());
    CHECK(ok.error().find("the inventory kube-system/claw-inventory-home is unreadable") != std::string::npos);
  }
}

TEST_CASE("previous_from_live: each replica's place from claw.dev/placement") {
  LiveState live;
  auto put = [&](const std::string& name, std::optional<std::string> annotation) {
    json o = deployment(name, 2);
    if (annotation) o["metadata"]["annotations"] = {{"claw.dev/placement", *annotation}};
    live.owned[{"apps", "Deployment", "web", name}] = o;
  };
  put("llm", "gpu-box[0], gpu-box[1,2]");
  put("site", "panda, studio");
  put("plain", std::nullopt);
  put("garbled", "gpu-box[x]");
  auto previous = claw::plan::previous_from_live(live);
  CHECK(previous.workloads.size() == 2);
  using claw::placement::Where;
  REQUIRE(previous.workloads.contains("web/llm"));
  CHECK(previous.workloads["web/llm"] == std::map<int, Where>{{0, {"gpu-box", {0}}}, {1, {"gpu-box", {1, 2}}}});
  REQUIRE(previous.workloads.contains("web/site"));
  CHECK(previous.workloads["web/site"] == std::map<int, Where>{{0, {"panda", {}}}, {1, {"studio", {}}}});
  REQUIRE(previous.find("web/site", 1) != nullptr);
  CHECK(previous.find("web/site", 1)->machine == "studio");
  CHECK(previous.find("web/plain", 0) == nullptr);
}
