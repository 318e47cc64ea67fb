// look_up (lookup.h) against a FakeTransport holding a few objects: which
// requests it makes (a LIST per kind and namespace from kListFrom objects,
// GETs below that and for Secrets) and what it concludes from the answers.
#include "runtime/plan/lookup.h"

#include <doctest/doctest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "runtime/cluster/fake_transport.h"

using claw::cluster::FakeTransport;
using claw::cluster::Request;
using claw::cluster::ResourceInfo;
using claw::cluster::Response;
using claw::plan::Found;
using claw::plan::kListFrom;
using claw::plan::look_up;
using claw::plan::Wanted;
using Json = nlohmann::json;

namespace {

ResourceInfo core(std::string kind, std::string resource, std::vector<std::string> verbs = {"get", "list", "patch"}) {
  ResourceInfo info;
  info.version = "v1";
  info.kind = std::move(kind);
  info.resource = std::move(resource);
  info.namespaced = true;
  info.verbs = std::move(verbs);
  return info;
}

/// A server holding objects at their paths (as kube-apiserver lays them
/// out: /api/v1/namespaces/NS/RESOURCE/NAME), answering GETs of one object
/// and LISTs of a collection; `refuse_lists` answers every LIST 403.
struct Server {
  std::map<std::string, Json> objects;  // path -> object
  bool refuse_lists = false;
  std::set<std::string> failing;  // paths answered 500

  void add(const std::string& ns, const std::string& resource, const std::string& kind, const std::string& name) {
    objects["/api/v1/namespaces/" + ns + "/" + resource + "/" + name] =
        Json{{"apiVersion", "v1"}, {"kind", kind}, {"metadata", {{"name", name}, {"namespace", ns}}}};
  }

  Response answer(const Request& r) {
    if (failing.contains(r.path)) return {500, R"({"kind":"Status","message":"etcd is sad","code":500})", {}, "", 1};
    if (auto it = objects.find(r.path); it != objects.end()) return {200, it->second.dump(), {}, "", 1};
    // A collection: every object under it, as a list's items without apiVersion and kind.
    Json items = Json::array();
    std::string kind;
    for (const auto& [path, obj] : objects)
      if (path.starts_with(r.path + "/") && path.find('/', r.path.size() + 1) == std::string::npos) {
        Json item = obj;
        kind = item["kind"];
        item.erase("apiVersion");
        item.erase("kind");
        items.push_back(item);
      }
    bool collection = r.path.ends_with("/configmaps") || r.path.ends_with("/secrets");
    if (collection) {
      if (refuse_lists) return {403, R"({"kind":"Status","message":"configmaps is forbidden","code":403})", {}, "", 1};
      return {200, Json{{"apiVersion", "v1"}, {"kind", "ConfigMapList"}, {"items", items}}.dump(), {}, "", 1};
    }
    return {404, R"({"kind":"Status","message":"not found","code":404})", {}, "", 1};
  }
};

size_t count_method_path(const std::vector<Request>& requests, const std::string& suffix) {
  size_t n = 0;
  for (const auto& r : requests) n += r.path.ends_with(suffix);
  return n;
}

}  // namespace

TEST_CASE("lookup: many objects of a kind and namespace are one LIST; few are GETs") {
  Server server;
  for (int i = 0; i < 3; ++i) server.add("a", "configmaps", "ConfigMap", "cm-" + std::to_string(i));
  server.add("b", "configmaps", "ConfigMap", "there");
  FakeTransport transport([&](const Request& r) { return server.answer(r); });
  ResourceInfo cm = core("ConfigMap", "configmaps");
  std::vector<std::string> names;
  for (size_t i = 0; i < kListFrom + 2; ++i) names.push_back("cm-" + std::to_string(i));
  std::vector<Wanted> wanted;
  for (const auto& n : names) wanted.push_back({&cm, "a", n});
  wanted.push_back({&cm, "b", "there"});
  wanted.push_back({&cm, "b", "missing"});

  auto found = look_up(transport, wanted);
  REQUIRE(found.size() == wanted.size());
  for (size_t i = 0; i < names.size(); ++i) {
    CAPTURE(names[i]);
    CHECK(found[i].state == (i < 3 ? Found::State::Present : Found::State::Absent));
  }
  // Items of a LIST get the list's apiVersion and kind back.
  CHECK(found[0].object["kind"] == "ConfigMap");
  CHECK(found[0].object["apiVersion"] == "v1");
  CHECK(found[0].object["metadata"]["name"] == "cm-0");
  CHECK(found[names.size()].state == Found::State::Present);
  CHECK(found[names.size() + 1].state == Found::State::Absent);
  // One LIST for namespace a, two GETs for namespace b.
  REQUIRE(transport.requests().size() == 3);
  CHECK(count_method_path(transport.requests(), "/namespaces/a/configmaps") == 1);
  CHECK(count_method_path(transport.requests(), "/namespaces/b/configmaps/there") == 1);
  CHECK(count_method_path(transport.requests(), "/namespaces/b/configmaps/missing") == 1);
}

TEST_CASE("lookup: Secrets are read one by one, never listed") {
  Server server;
  server.add("a", "secrets", "Secret", "s-1");
  FakeTransport transport([&](const Request& r) { return server.answer(r); });
  ResourceInfo secret = core("Secret", "secrets");
  std::vector<std::string> names;
  for (size_t i = 0; i < kListFrom * 2; ++i) names.push_back("s-" + std::to_string(i));
  std::vector<Wanted> wanted;
  for (const auto& n : names) wanted.push_back({&secret, "a", n});
  auto found = look_up(transport, wanted);
  CHECK(transport.requests().size() == names.size());
  CHECK(count_method_path(transport.requests(), "/namespaces/a/secrets") == 0);
  CHECK(found[1].state == Found::State::Present);
  CHECK(found[0].state == Found::State::Absent);
}

TEST_CASE("lookup: a LIST refused (or a kind that cannot be listed) falls back to GETs") {
  Server server;
  server.refuse_lists = true;
  server.add("a", "configmaps", "ConfigMap", "cm-1");
  FakeTransport transport([&](const Request& r) { return server.answer(r); });
  ResourceInfo cm = core("ConfigMap", "configmaps");
  std::vector<Wanted> wanted;
  std::vector<std::string> names;
  for (size_t i = 0; i < kListFrom; ++i) names.push_back("cm-" + std::to_string(i));
  for (const auto& n : names) wanted.push_back({&cm, "a", n});
  auto found = look_up(transport, wanted);
  CHECK(transport.requests().size() == 1 + names.size());
  CHECK(found[1].state == Found::State::Present);
  CHECK(found[2].state == Found::State::Absent);

  FakeTransport plain([&](const Request& r) { return server.answer(r); });
  ResourceInfo no_list = core("ConfigMap", "configmaps", {"get", "patch"});
  std::vector<Wanted> unlisted;
  for (const auto& n : names) unlisted.push_back({&no_list, "a", n});
  look_up(plain, unlisted);
  CHECK(plain.requests().size() == names.size());
  CHECK(count_method_path(plain.requests(), "/namespaces/a/configmaps") == 0);
}

TEST_CASE("lookup: a GET the server fails is Failed, with the server's message") {
  Server server;
  server.failing.insert("/api/v1/namespaces/a/configmaps/bad");
  FakeTransport transport([&](const Request& r) { return server.answer(r); });
  ResourceInfo cm = core("ConfigMap", "configmaps");
  std::vector<Wanted> wanted = {{&cm, "a", "bad"}, {&cm, "a", "fine"}};
  auto found = look_up(transport, wanted);
  CHECK(found[0].state == Found::State::Failed);
  CHECK(found[0].error.find("etcd is sad") != std::string::npos);
  CHECK(found[1].state == Found::State::Absent);
}
