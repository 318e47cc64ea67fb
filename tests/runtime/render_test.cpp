// render_text and plan_json (render.h): the plan as `claw plan` shows it to
// people and to tools. The expected texts are written by hand from the
// layout render.h promises (terraform-plan style blocks, a summary line).
#include "runtime/plan/render.h"

#include <doctest/doctest.h>

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "runtime/plan/plan_file.h"

using claw::cluster::Environment;
using claw::emit::ObjectRef;
using claw::plan::Action;
using claw::plan::FieldChange;
using claw::plan::FieldPath;
using claw::plan::Kept;
using claw::plan::Move;
using claw::plan::NodePlan;
using claw::plan::ObjectPlan;
using claw::plan::PathElement;
using claw::plan::Plan;
using claw::plan::RenderOptions;
using nlohmann::json;

namespace {

constexpr std::string_view kCanary = "canary-7f3a9c-secret-value";

PathElement field(std::string name) { return PathElement{PathElement::Kind::field, std::move(name), nullptr, 0}; }
PathElement key(json k) { return PathElement{PathElement::Kind::key, {}, std::move(k), 0}; }

FieldPath path(std::initializer_list<std::string> names) {
  FieldPath out;
  for (const std::string& n : names) out.push_back(field(n));
  return out;
}

FieldChange change(FieldPath p, std::optional<json> before, std::optional<json> after) {
  return FieldChange{std::move(p), std::move(before), std::move(after)};
}

ObjectRef deployment(std::string ns, std::string name) { return ObjectRef{"apps", "v1", "Deployment", ns, name}; }
ObjectRef core(std::string kind, std::string ns, std::string name) { return ObjectRef{"", "v1", kind, ns, name}; }

ObjectPlan object(Action action, ObjectRef ref, std::string source, std::vector<FieldChange> changes = {}) {
  ObjectPlan o;
  o.action = action;
  o.ref = std::move(ref);
  o.source = std::move(source);
  o.changes = std::move(changes);
  return o;
}

// One object of each action, given out of display order.
Plan four_actions() {
  Plan plan;
  plan.project = "home";
  plan.unchanged = 3;
  ObjectPlan adopt = object(Action::Adopt, core("Service", "apps", "web"), "infra/services/web.claw:20",
                            {change(path({"spec", "type"}), json("NodePort"), json("ClusterIP"))});
  adopt.reason = "made by kubectl-client-side-apply, not by claw";
  plan.objects.push_back(adopt);
  ObjectPlan gone = object(Action::Delete, core("ConfigMap", "apps", "old"), "");
  gone.reason = "owned by claw (uid 1234)";
  plan.objects.push_back(gone);
  plan.objects.push_back(object(Action::Update, deployment("apps", "api"), "infra/services/api.claw:4",
                                {change(path({"spec", "replicas"}), json(2), json(3)),
                                 change(path({"spec", "paused"}), json(true), std::nullopt)}));
  plan.objects.push_back(object(Action::Create, deployment("apps", "web"), "infra/services/web.claw:12",
                                {change(path({"metadata", "labels", "app.kubernetes.io/name"}), std::nullopt, json("web"))}));
  plan.objects.push_back(object(Action::Create, deployment("apps", "db"), "infra/services/db.claw:1"));
  return plan;
}

}  // namespace

TEST_CASE("render: one block per object, by action then ref, and the summary") {
  std::string expected =
      "+ create Deployment apps/db  (infra/services/db.claw:1)\n"
      "\n"
      "+ create Deployment apps/web  (infra/services/web.claw:12)\n"
      "    + metadata.labels[\"app.kubernetes.io/name\"]: \"web\"\n"
      "\n"
      "~ update Deployment apps/api  (infra/services/api.claw:4)\n"
      "    ~ spec.replicas: 2 → 3\n"
      "    - spec.paused: true\n"
      "\n"
      "- delete ConfigMap apps/old\n"
      "    # owned by claw (uid 1234)\n"
      "\n"
      "! adopt Service apps/web  (infra/services/web.claw:20)\n"
      "    # made by kubectl-client-side-apply, not by claw\n"
      "    ~ spec.type: \"NodePort\" → \"ClusterIP\"\n"
      "\n"
      "Plan: 2 to create, 1 to update, 1 to delete, 1 to adopt; 3 unchanged.\n";
  CHECK(claw::plan::render_text(four_actions(), RenderOptions{}) == expected);
}

TEST_CASE("render: conflicts name their managers and the flag that overrides them") {
  Plan plan;
  ObjectPlan o = object(Action::Update, deployment("apps", "api"), "infra/services/api.claw:4",
                        {change(path({"spec", "replicas"}), json(5), json(2))});
  o.conflicts = {"kubectl-scale: spec.replicas", "kubectl-edit: spec.template.spec.containers[name=app].image"};
  plan.objects.push_back(o);
  std::string expected =
      "~ update Deployment apps/api  (infra/services/api.claw:4)\n"
      "    ~ spec.replicas: 5 → 2\n"
      "    ! conflict with kubectl-scale: spec.replicas\n"
      "    ! conflict with kubectl-edit: spec.template.spec.containers[name=app].image\n"
      "    # other field managers own these fields: apply with --force-conflicts to take them over\n"
      "\n"
      "Plan: 0 to create, 1 to update, 0 to delete, 0 to adopt; 0 unchanged.\n";
  CHECK(claw::plan::render_text(plan, RenderOptions{}) == expected);
}

TEST_CASE("render: moves, Nodes, kept objects and notes after the objects") {
  Plan plan;
  plan.unchanged = 12;
  plan.moves = {Move{"apps/qdrant", 0, "panda", "studio", "panda left the program"},
                Move{"ml/embedder", 1, "gpu-box card 0", "gpu-box card 1", ""},
                Move{"ml/embedder", 0, "gpu-box card 1", "gpu-box card 0", "card 1 is full"}};
  plan.nodes = {NodePlan{"studio", false, {}}, NodePlan{"panda", true, {}},
                NodePlan{"gpu-box", true,
                         {change(path({"metadata", "labels", "claw.dev/gpu"}), std::nullopt, json("true")),
                          change(path({"spec", "taints"}), json::array({json{{"key", "x"}}}), std::nullopt)}}};
  plan.kept = {Kept{core("PersistentVolumeClaim", "apps", "data"), "a volume: --prune-volumes deletes it"},
               Kept{core("ConfigMap", "apps", "made"), "made by a controller (has an ownerReference)"}};
  plan.notes = {"machine studio has not joined: its workloads cannot start", "second note"};
  std::string expected =
      "Placement moves:\n"
      "  ~ apps/qdrant replica 0: panda → studio (panda left the program)\n"
      "  ~ ml/embedder replica 0: gpu-box card 1 → gpu-box card 0 (card 1 is full)\n"
      "  ~ ml/embedder replica 1: gpu-box card 0 → gpu-box card 1\n"
      "\n"
      "Nodes:\n"
      "  ~ machine gpu-box\n"
      "      + metadata.labels[\"claw.dev/gpu\"]: \"true\"\n"
      "      - spec.taints: [{\"key\":\"x\"}]\n"
      "  ! machine studio has not joined the cluster\n"
      "\n"
      "Kept (no longer declared, not deleted):\n"
      "  ConfigMap apps/made: made by a controller (has an ownerReference)\n"
      "  PersistentVolumeClaim apps/data: a volume: --prune-volumes deletes it\n"
      "\n"
      "Notes:\n"
      "  machine studio has not joined: its workloads cannot start\n"
      "  second note\n"
      "\n"
      "Plan: 0 to create, 0 to update, 0 to delete, 0 to adopt, 1 node to update; 12 unchanged.\n";
  CHECK(claw::plan::render_text(plan, RenderOptions{}) == expected);
}

TEST_CASE("render: no changes") {
  struct Case {
    size_t unchanged;
    std::string text;
  };
  std::vector<Case> cases = {
      {36, "No changes. The cluster matches the program (36 objects).\n"},
      {1, "No changes. The cluster matches the program (1 object).\n"},
      {0, "No changes. The cluster matches the program (0 objects).\n"},
  };
  for (const Case& c : cases) {
    Plan plan;
    plan.unchanged = c.unchanged;
    CAPTURE(c.unchanged);
    CHECK(claw::plan::render_text(plan, RenderOptions{}) == c.text);
  }
  // A machine that has not joined is shown, but is nothing apply changes.
  Plan plan;
  plan.unchanged = 2;
  plan.nodes = {NodePlan{"studio", false, {}}};
  CHECK(claw::plan::render_text(plan, RenderOptions{}) ==
        "Nodes:\n  ! machine studio has not joined the cluster\n\n"
        "No changes. The cluster matches the program (2 objects).\n");
}

TEST_CASE("render: colour only when asked, with ANSI codes per action") {
  Plan plan = four_actions();
  std::string plain = claw::plan::render_text(plan, RenderOptions{false});
  CHECK(plain.find('\x1b') == std::string::npos);

  Plan small;
  small.objects.push_back(object(Action::Update, deployment("apps", "api"), "a.claw:4",
                                 {change(path({"spec", "replicas"}), json(2), json(3)),
                                  change(path({"spec", "x"}), std::nullopt, json(1)),
                                  change(path({"spec", "y"}), json(1), std::nullopt)}));
  small.objects.push_back(object(Action::Delete, core("ConfigMap", "apps", "old"), ""));
  small.objects.push_back(object(Action::Adopt, core("Service", "apps", "web"), ""));
  small.objects.back().conflicts = {"kubectl: spec.type"};
  std::string expected =
      "\x1b[33m~ update\x1b[0m \x1b[1mDeployment apps/api\x1b[0m  (a.claw:4)\n"
      "    \x1b[33m~\x1b[0m spec.replicas: 2 → 3\n"
      "    \x1b[32m+\x1b[0m spec.x: 1\n"
      "    \x1b[31m-\x1b[0m spec.y: 1\n"
      "\n"
      "\x1b[31m- delete\x1b[0m \x1b[1mConfigMap apps/old\x1b[0m\n"
      "\n"
      "\x1b[35m! adopt\x1b[0m \x1b[1mService apps/web\x1b[0m\n"
      "    \x1b[36m!\x1b[0m conflict with kubectl: spec.type\n"
      "    # other field managers own these fields: apply with --force-conflicts to take them over\n"
      "\n"
      "\x1b[1mPlan: 0 to create, 1 to update, 1 to delete, 1 to adopt; 0 unchanged.\x1b[0m\n";
  CHECK(claw::plan::render_text(small, RenderOptions{true}) == expected);
  Plan create;
  create.objects.push_back(object(Action::Create, core("Namespace", "", "apps"), ""));
  CHECK(claw::plan::render_text(create, RenderOptions{true}).starts_with("\x1b[32m+ create\x1b[0m \x1b[1mNamespace apps"));
}

TEST_CASE("render: no line ends in a space, and the text is the same every time") {
  Plan plan = four_actions();
  plan.objects[0].source.clear();
  plan.kept = {Kept{core("ConfigMap", "a", "b"), ""}};
  plan.moves = {Move{"a/b", 0, "x", "y", ""}};
  std::string text = claw::plan::render_text(plan, RenderOptions{});
  CHECK(text.find(" \n") == std::string::npos);
  CHECK(text.ends_with(".\n"));
  CHECK(claw::plan::render_text(plan, RenderOptions{}) == text);
}

TEST_CASE("render: colour_wanted on a terminal only, never with NO_COLOR or TERM=dumb") {
  struct Case {
    bool terminal;
    std::map<std::string, std::string> vars;
    bool color;
  };
  std::vector<Case> cases = {
      {true, {{"TERM", "xterm-256color"}}, true},
      {false, {{"TERM", "xterm-256color"}}, false},
      {true, {{"TERM", "xterm"}, {"NO_COLOR", "1"}}, false},
      {true, {{"TERM", "xterm"}, {"NO_COLOR", "0"}}, false},  // any value
      {true, {{"TERM", "xterm"}, {"NO_COLOR", ""}}, true},    // empty: as if unset
      {true, {{"TERM", "dumb"}}, false},
      {true, {}, false},  // no TERM: nothing says the terminal takes escapes
  };
  for (const Case& c : cases) {
    CAPTURE(c.terminal);
    CAPTURE(c.vars.size());
    CHECK(claw::plan::color_wanted(c.terminal, Environment{c.vars}) == c.color);
  }
  int fds[2];
  REQUIRE(pipe(fds) == 0);
  CHECK_FALSE(claw::plan::use_color(fds[1], Environment{{{"TERM", "xterm"}}}));
  close(fds[0]);
  close(fds[1]);
  // A pseudo-terminal is a terminal.
  int master = posix_openpt(O_RDWR | O_NOCTTY);
  REQUIRE(master >= 0);
  REQUIRE(grantpt(master) == 0);
  REQUIRE(unlockpt(master) == 0);
  int tty = open(ptsname(master), O_RDWR | O_NOCTTY);
  REQUIRE(tty >= 0);
  CHECK(claw::plan::use_color(tty, Environment{{{"TERM", "xterm"}}}));
  CHECK_FALSE(claw::plan::use_color(tty, Environment{{{"TERM", "xterm"}, {"NO_COLOR", "1"}}}));
  close(tty);
  close(master);
}

TEST_CASE("render: long values are cut, control characters escaped") {
  json list = json::array();
  for (int i = 0; i < 20; ++i) list.push_back("abcdef");
  json map = json::object();
  for (int i = 0; i < 10; ++i) map["key" + std::to_string(i)] = "value-" + std::to_string(i);
  struct Case {
    json value;
    std::string shown;
  };
  std::vector<Case> cases = {
      {json(3), "3"},
      {json("nginx:1.27"), "\"nginx:1.27\""},
      {json::array({1, 2}), "[1,2]"},
      {list, "[\"abcdef\",\"abcdef\",\"abcdef\",\"abcdef\",\"abcdef\",\"abcdef\",\"abcdef\",… (20 items)"},
      {map, "{\"key0\":\"value-0\",\"key1\":\"value-1\",\"key2\":\"value-2\",… (10 keys)"},
      {json::array({std::string(80, 'y')}), "[\"" + std::string(62, 'y') + "… (1 item)"},
      {json(std::string(70, 'x')), "\"" + std::string(63, 'x') + "…"},
      {json("a\x1b[31mb"), "\"a\\u001b[31mb\""},
      {json("a\u0085b\u2028c"), "\"a\\u0085b\\u2028c\""},
  };
  for (const Case& c : cases) {
    CAPTURE(c.shown);
    CHECK(claw::plan::shown_value(c.value) == c.shown);
  }
  Plan plan;
  ObjectPlan o = object(Action::Delete, core("ConfigMap", "a", "b"), "");
  o.reason = "x\x1b[2Jy";
  plan.objects.push_back(o);
  plan.notes = {"line\nbreak"};
  std::string text = claw::plan::render_text(plan, RenderOptions{});
  CHECK(text.find('\x1b') == std::string::npos);
  CHECK(text.find("# x\\x1B[2Jy\n") != std::string::npos);
  CHECK(text.find("  line\\nbreak\n") != std::string::npos);
}

TEST_CASE("render: a Secret's values are never shown, whatever the plan holds") {
  // As kubectl diff masks a Secret's data and not its labels or type
  // (k8s.io/kubectl pkg/cmd/diff: NewMasker), with the last-applied
  // annotation (a copy of the whole object) masked too.
  Plan plan;
  ObjectPlan s = object(
      Action::Update, core("Secret", "apps", "db"), "infra/secrets.claw:3",
      {change(path({"data"}), json{{"password", kCanary}}, json{{"password", "(sensitive)"}}),
       change({field("stringData"), field("token")}, std::nullopt, json(kCanary)),
       change(path({"metadata", "annotations", "kubectl.kubernetes.io/last-applied-configuration"}), json(kCanary),
              std::nullopt),
       change(path({"metadata"}), std::nullopt,
              json{{"annotations", {{"kubectl.kubernetes.io/last-applied-configuration", kCanary}}}}),
       change(path({"metadata", "labels", "team"}), json("web"), json("ml")),
       change(path({"type"}), json("Opaque"), json("kubernetes.io/tls"))});
  s.sensitive = true;
  plan.objects.push_back(s);
  std::string expected =
      "~ update Secret apps/db  (infra/secrets.claw:3)\n"
      "    ~ data: {\"password\":\"(sensitive)\"} → {\"password\":\"(sensitive)\"}\n"
      "    + stringData.token: (sensitive)\n"
      "    - metadata.annotations[\"kubectl.kubernetes.io/last-applied-configuration\"]: (sensitive)\n"
      "    + metadata: {\"annotations\":{\"kubectl.kubernetes.io/last-applied-configuratio… (1 key)\n"
      "    ~ metadata.labels.team: \"web\" → \"ml\"\n"
      "    ~ type: \"Opaque\" → \"kubernetes.io/tls\"\n"
      "\n"
      "Plan: 0 to create, 1 to update, 0 to delete, 0 to adopt; 0 unchanged.\n";
  CHECK(claw::plan::render_text(plan, RenderOptions{}) == expected);
  CHECK(claw::plan::render_text(plan, RenderOptions{true}).find(kCanary) == std::string::npos);
  std::string dumped = claw::plan::plan_json(plan).dump();
  CHECK(dumped.find(kCanary) == std::string::npos);
  CHECK(claw::plan::plan_json(plan)["objects"][0]["changes"][1]["after"] == "(sensitive)");
  CHECK(claw::plan::plan_json(plan)["objects"][0]["changes"][4]["after"] == "ml");
  auto file = claw::plan::plan_file_text(plan);
  REQUIRE(file.has_value());
  CHECK(file->find(kCanary) == std::string::npos);
  CHECK(file->find("kubernetes.io/tls") != std::string::npos);
}

TEST_CASE("render: plan_json, the documented schema") {
  Plan plan = four_actions();
  plan.project = "home";
  plan.server = "https://127.0.0.1:6443";
  plan.context = "default";
  plan.objects[2].resource_version = "42";
  plan.objects[2].uid = "u-1";
  plan.objects[2].wave = 3;
  plan.objects[2].conflicts = {"kubectl-scale: spec.replicas"};
  plan.objects[2].changes[0].path.push_back(key(json{{"name", "app"}}));
  plan.moves = {Move{"ml/embedder", 1, "gpu-box card 0", "gpu-box card 1", "why"}};
  plan.nodes = {NodePlan{"studio", false, {}},
                NodePlan{"gpu", true, {change(path({"metadata", "labels", "a"}), json("1"), json("2"))}}};
  plan.kept = {Kept{core("PersistentVolumeClaim", "apps", "data"), "a volume"}};
  plan.notes = {"note"};
  json expected = json::parse(R"J({
    "format_version": 1, "project": "home", "server": "https://127.0.0.1:6443", "context": "default",
    "summary": {"create": 2, "update": 1, "delete": 1, "adopt": 1, "replace": 0, "unchanged": 3, "nodes_to_update": 1,
                "changes": true},
    "objects": [
      {"action": "create", "ref": {"group": "apps", "version": "v1", "kind": "Deployment", "namespace": "apps",
       "name": "db"}, "source": "infra/services/db.claw:1", "sensitive": false, "reason": "",
       "resource_version": "", "generation": 0, "uid": "", "wave": 0, "conflicts": [], "changes": []},
      {"action": "create", "ref": {"group": "apps", "version": "v1", "kind": "Deployment", "namespace": "apps",
       "name": "web"}, "source": "infra/services/web.claw:12", "sensitive": false, "reason": "",
       "resource_version": "", "generation": 0, "uid": "", "wave": 0, "conflicts": [],
       "changes": [{"path": "metadata.labels[\"app.kubernetes.io/name\"]", "after": "web"}]},
      {"action": "update", "ref": {"group": "apps", "version": "v1", "kind": "Deployment", "namespace": "apps",
       "name": "api"}, "source": "infra/services/api.claw:4", "sensitive": false, "reason": "",
       "resource_version": "42", "generation": 0, "uid": "u-1", "wave": 3, "conflicts": ["kubectl-scale: spec.replicas"],
       "changes": [{"path": "spec.replicas[name=app]", "before": 2, "after": 3},
                   {"path": "spec.paused", "before": true}]},
      {"action": "delete", "ref": {"group": "", "version": "v1", "kind": "ConfigMap", "namespace": "apps",
       "name": "old"}, "source": "", "sensitive": false, "reason": "owned by claw (uid 1234)",
       "resource_version": "", "generation": 0, "uid": "", "wave": 0, "conflicts": [], "changes": []},
      {"action": "adopt", "ref": {"group": "", "version": "v1", "kind": "Service", "namespace": "apps",
       "name": "web"}, "source": "infra/services/web.claw:20", "sensitive": false,
       "reason": "made by kubectl-client-side-apply, not by claw",
       "resource_version": "", "generation": 0, "uid": "", "wave": 0, "conflicts": [],
       "changes": [{"path": "spec.type", "before": "NodePort", "after": "ClusterIP"}]}
    ],
    "moves": [{"workload": "ml/embedder", "replica": 1, "from": "gpu-box card 0", "to": "gpu-box card 1",
               "reason": "why"}],
    "nodes": [{"machine": "gpu", "joined": true,
               "changes": [{"path": "metadata.labels.a", "before": "1", "after": "2"}]},
              {"machine": "studio", "joined": false, "changes": []}],
    "kept": [{"ref": {"group": "", "version": "v1", "kind": "PersistentVolumeClaim", "namespace": "apps",
              "name": "data"}, "why": "a volume"}],
    "notes": ["note"]
  })J");
  json got = claw::plan::plan_json(plan);
  CHECK(got == expected);
  CHECK(json::parse(got.dump()) == expected);
  CHECK(claw::plan::plan_json(Plan{})["summary"]["changes"] == false);
}

TEST_CASE("render: a Secret is known by its flag, its core/v1 kind or its sources") {
  struct Case {
    std::string what;
    ObjectPlan object;
    bool secret;
  };
  ObjectPlan flagged = object(Action::Update, core("ConfigMap", "a", "b"), "");
  flagged.sensitive = true;
  ObjectPlan sourced = object(Action::Create, core("ConfigMap", "a", "b"), "");
  sourced.secret = claw::emit::SecretSource{};
  std::vector<Case> cases = {
      {"flag", flagged, true},
      {"kind", object(Action::Update, core("Secret", "a", "b"), ""), true},
      {"sources", sourced, true},
      {"a ConfigMap", object(Action::Update, core("ConfigMap", "a", "b"), ""), false},
      {"a Secret kind of another group", object(Action::Update, ObjectRef{"x.io", "v1", "Secret", "a", "b"}, ""), false},
  };
  for (Case& c : cases) {
    CAPTURE(c.what);
    CHECK(claw::plan::secret_like(c.object) == c.secret);
    c.object.changes = {change(path({"data", "k"}), json(kCanary), json(kCanary))};
    Plan plan;
    plan.objects.push_back(c.object);
    bool hidden = claw::plan::render_text(plan, RenderOptions{}).find(kCanary) == std::string::npos &&
                  claw::plan::plan_json(plan).dump().find(kCanary) == std::string::npos;
    CHECK(hidden == c.secret);
  }
}
