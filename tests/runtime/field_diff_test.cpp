// diff between live objects and the server's dry-run apply results
// (plan_fixtures.h): only the fields the apply would change, nothing the
// server sets itself, and never a Secret's value.
#include "runtime/plan/field_diff.h"

#include "tests/runtime/plan_fixtures.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using claw::plan::diff;
using claw::plan::FieldChange;
using claw::plan::FieldPath;
using claw::plan::kSensitive;
using claw::plan::PathElement;
using claw::plan::redact_sensitive;
using claw::plan::render_path;
using claw::plan::test::fixture;
using nlohmann::json;

namespace {

// A change as text: `path: before -> after`, `-` for an absent side.
std::string text(const FieldChange& c) {
  return render_path(c.path) + ": " + (c.before ? c.before->dump() : "-") + " -> " + (c.after ? c.after->dump() : "-");
}

std::vector<std::string> texts(const std::vector<FieldChange>& changes) {
  std::vector<std::string> out;
  for (const FieldChange& c : changes) out.push_back(text(c));
  return out;
}

json& container(json& o) { return o["spec"]["template"]["spec"]["containers"][0]; }

PathElement field(const char* name) { return PathElement{PathElement::Kind::field, name, nullptr, 0}; }

}  // namespace

TEST_CASE("field_diff: drift made with kubectl, reverted by the dry-run") {
  struct Case {
    const char *live, *dry_run;
    std::vector<std::string> changes;
  };
  const Case cases[] = {
      {"deployment.live-image-edited", "deployment.dryrun-image",
       {"spec.template.spec.containers[name=embedder].image: \"ghcr.io/joelhooks/embedding-worker:0.4-hotfix\" -> "
        "\"ghcr.io/joelhooks/embedding-worker:0.3\""}},
      {"deployment.live-scaled", "deployment.dryrun-scale", {"spec.replicas: 5 -> 2"}},
      {"deployment.live", "deployment.dryrun-env-added",
       {"spec.template.spec.containers[name=embedder].env[name=LOG_LEVEL]: - -> "
        "{\"name\":\"LOG_LEVEL\",\"value\":\"debug\"}"}},
      {"deployment.live", "deployment.live", {}},
  };
  for (const Case& c : cases) {
    const std::string live = c.live;
    CAPTURE(live);
    json before = fixture(c.live), after = fixture(c.dry_run);
    REQUIRE(before.is_object());
    REQUIRE(after.is_object());
    CHECK(texts(diff(before, after)) == c.changes);
  }
}

TEST_CASE("field_diff: server-set fields are not changes") {
  json live = fixture("deployment.live");
  json after = live;
  after["metadata"]["resourceVersion"] = "999";
  after["metadata"]["generation"] = 7;
  after["metadata"]["uid"] = "00000000-0000-0000-0000-000000000000";
  after["metadata"]["creationTimestamp"] = "2030-01-01T00:00:00Z";
  after["metadata"]["selfLink"] = "/apis/apps/v1/namespaces/joelclaw/deployments/embedder";
  after["metadata"]["managedFields"] = json::array();
  after["metadata"]["annotations"]["deployment.kubernetes.io/revision"] = "2";
  after["status"] = {{"replicas", 9}};
  CHECK(texts(diff(live, after)).empty());
  // Nor inside a map that appears or goes as a whole.
  json no_annotations = live;
  no_annotations["metadata"].erase("annotations");
  CHECK(texts(diff(no_annotations, after)).empty());
  CHECK(texts(diff(after, no_annotations)).empty());
  // Only those: another annotation is a change.
  after["metadata"]["annotations"]["example.com/note"] = "x";
  CHECK(texts(diff(live, after)) == std::vector<std::string>{"metadata.annotations[\"example.com/note\"]: - -> \"x\""});
  CHECK(texts(diff(no_annotations, after)) ==
        std::vector<std::string>{"metadata.annotations: - -> {\"example.com/note\":\"x\"}"});
}

TEST_CASE("field_diff: quantities compare by value, int-or-string by type") {
  json live = fixture("deployment.live");
  json after = live;
  container(after)["resources"]["limits"]["memory"] = "16384Mi";
  container(after)["resources"]["limits"]["cpu"] = "4000m";
  container(after)["resources"]["requests"]["cpu"] = 2;
  CHECK(texts(diff(live, after)).empty());
  container(after)["resources"]["requests"]["memory"] = "8G";
  CHECK(texts(diff(live, after)) ==
        std::vector<std::string>{"spec.template.spec.containers[name=embedder].resources.requests.memory: \"8Gi\" -> \"8G\""});

  json svc = fixture("service.live");
  json svc_after = svc;
  svc["spec"]["ports"][0]["targetPort"] = 8080;
  svc_after["spec"]["ports"][0]["targetPort"] = "8080";
  CHECK(texts(diff(svc, svc_after)) ==
        std::vector<std::string>{"spec.ports[port=8080,protocol=TCP].targetPort: 8080 -> \"8080\""});
}

TEST_CASE("field_diff: list items by key, by value, by position") {
  json live = fixture("deployment.live");
  SUBCASE("a container added and one reordered") {
    json before = live, after = live;
    json sidecar = {{"name", "sidecar"}, {"image", "busybox:1.36"}};
    before["spec"]["template"]["spec"]["containers"].push_back(sidecar);
    after["spec"]["template"]["spec"]["containers"].insert(after["spec"]["template"]["spec"]["containers"].begin(),
                                                           sidecar);
    CHECK(texts(diff(before, after)) ==
          std::vector<std::string>{"spec.template.spec.containers: [{\"name\":\"embedder\"},{\"name\":\"sidecar\"}] -> "
                                   "[{\"name\":\"sidecar\"},{\"name\":\"embedder\"}]"});
  }
  SUBCASE("one env value changed is one change, not the whole list") {
    json after = live;
    container(after)["env"][1]["value"] = "512";
    CHECK(texts(diff(live, after)) ==
          std::vector<std::string>{"spec.template.spec.containers[name=embedder].env[name=BATCH_SIZE].value: \"256\" -> \"512\""});
  }
  SUBCASE("a finalizer added, a set list") {
    json after = live;
    after["metadata"]["finalizers"] = {"example.com/keep"};
    json before = live;
    before["metadata"]["finalizers"] = json::array();
    CHECK(texts(diff(before, after)) ==
          std::vector<std::string>{"metadata.finalizers[=example.com/keep]: - -> \"example.com/keep\""});
  }
  SUBCASE("an atomic list by position") {
    json before = live, after = live;
    container(before)["args"] = {"--port", "8080"};
    container(after)["args"] = {"--port", "9090", "--verbose"};
    CHECK(texts(diff(before, after)) == std::vector<std::string>{
                                            "spec.template.spec.containers[name=embedder].args[1]: \"8080\" -> \"9090\"",
                                            "spec.template.spec.containers[name=embedder].args[2]: - -> \"--verbose\""});
  }
  SUBCASE("a field removed") {
    json after = live;
    after["spec"]["template"]["spec"].erase("runtimeClassName");
    CHECK(texts(diff(live, after)) == std::vector<std::string>{"spec.template.spec.runtimeClassName: \"nvidia\" -> -"});
  }
}

TEST_CASE("field_diff: a Secret's values are never copied") {
  json live = fixture("secret.live"), dry_run = fixture("secret.dryrun-rotated");
  const std::vector<FieldChange> changes = diff(live, dry_run);
  const std::string s(kSensitive);
  CHECK(texts(changes) == std::vector<std::string>{"data.signing-key: \"" + s + "\" -> \"" + s + "\"",
                                                   "data.webhook-key: - -> \"" + s + "\""});
  // No value, in clear or base64, reaches the result.
  std::string all;
  for (const FieldChange& c : changes) all += text(c);
  for (const auto& [k, v] : dry_run["data"].items()) CHECK(all.find(v.get<std::string>()) == std::string::npos);
  for (const auto& [k, v] : live["data"].items()) CHECK(all.find(v.get<std::string>()) == std::string::npos);
  CHECK(all.find("CANARY") == std::string::npos);

  SUBCASE("a whole data map and kubectl's last-applied copy keep only their keys") {
    json before = live, after = live;
    before.erase("data");
    after["metadata"]["annotations"] = {{"kubectl.kubernetes.io/last-applied-configuration", "{\"data\":{\"k\":\"CANARY\"}}"},
                                        {"note", "kept"}};
    std::vector<FieldChange> added = diff(before, after);
    CHECK(texts(added) ==
          std::vector<std::string>{"data: - -> {\"event-key\":\"" + s + "\",\"signing-key\":\"" + s + "\"}",
                                   "metadata.annotations: - -> {\"kubectl.kubernetes.io/last-applied-configuration\":\"" + s +
                                       "\",\"note\":\"kept\"}"});
  }
  SUBCASE("not a Secret: values shown") {
    json cm_before = {{"apiVersion", "v1"}, {"kind", "ConfigMap"}, {"data", {{"k", "a"}}}};
    json cm_after = {{"apiVersion", "v1"}, {"kind", "ConfigMap"}, {"data", {{"k", "b"}}}};
    CHECK(texts(diff(cm_before, cm_after)) == std::vector<std::string>{"data.k: \"a\" -> \"b\""});
  }
}

TEST_CASE("field_diff: redact_sensitive hides values of changes made elsewhere") {
  std::vector<FieldChange> changes = {
      {{field("data"), field("token")}, json("Q0FOQVJZ"), json("Q0FOQVJa")},
      {{field("stringData")}, std::nullopt, json({{"password", "CANARY"}})},
      {{field("metadata"), field("labels"), field("app")}, json("a"), json("b")},
  };
  std::vector<FieldChange> config_map = changes;
  redact_sensitive("v1", "ConfigMap", config_map);
  CHECK(texts(config_map) == texts(changes));
  redact_sensitive("v1", "Secret", changes);
  const std::string s(kSensitive);
  CHECK(texts(changes) == std::vector<std::string>{"data.token: \"" + s + "\" -> \"" + s + "\"",
                                                   "stringData: - -> {\"password\":\"" + s + "\"}",
                                                   "metadata.labels.app: \"a\" -> \"b\""});
  std::vector<FieldChange> custom = {{{field("data")}, std::nullopt, json({{"k", "v"}})}};
  redact_sensitive("example.com/v1", "Secret", custom);  // another group's Secret kind is not core/v1
  CHECK(text(custom[0]) == "data: - -> {\"k\":\"v\"}");
}

TEST_CASE("field_diff: paths as people read them") {
  struct Case {
    FieldPath path;
    const char* text;
  };
  const Case cases[] = {
      {{field("spec"), field("replicas")}, "spec.replicas"},
      {{field("metadata"), field("labels"), field("app.kubernetes.io/name")}, "metadata.labels[\"app.kubernetes.io/name\"]"},
      {{field("spec"), field("ports"), PathElement{PathElement::Kind::key, "", json({{"port", 80}, {"protocol", "TCP"}}), 0},
        field("targetPort")},
       "spec.ports[port=80,protocol=TCP].targetPort"},
      {{field("metadata"), field("finalizers"), PathElement{PathElement::Kind::value, "", json("example.com/x"), 0}},
       "metadata.finalizers[=example.com/x]"},
      {{field("args"), PathElement{PathElement::Kind::index, "", nullptr, 3}}, "args[3]"},
      {{field("data"), field("tls.crt")}, "data[\"tls.crt\"]"},
      {{field("data"), field("my-key_1")}, "data.my-key_1"},
      {{}, ""},
  };
  for (const Case& c : cases) CHECK(render_path(c.path) == c.text);
}
