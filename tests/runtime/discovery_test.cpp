// Discovery against claw-sim (aggregated and legacy documents) and against
// a FakeTransport serving documents shaped as kube-apiserver's.
#include "runtime/cluster/discovery.h"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "runtime/cluster/curl_transport.h"
#include "runtime/cluster/fake_transport.h"
#include "tests/runtime/sim_process.h"

using namespace claw::cluster;
using claw::test::SimProcess;
using Json = nlohmann::json;

namespace {

// Passes requests on without their Accept header: the server then answers
// with the legacy documents, as to a client older than aggregated discovery.
class LegacyOnly : public Transport {
 public:
  explicit LegacyOnly(Transport& inner) : inner_(inner) {}
  std::vector<Response> perform(std::span<const Request> batch, const OnResponse& on_response = {}) override {
    std::vector<Request> plain(batch.begin(), batch.end());
    for (Request& r : plain) r.accept.clear();
    return inner_.perform(plain, on_response);
  }
  using Transport::perform;
  uint64_t requests_sent() const override { return inner_.requests_sent(); }

 private:
  Transport& inner_;
};

std::unique_ptr<CurlTransport> sim_transport(const SimProcess& sim) {
  auto t = CurlTransport::create(sim.endpoint());
  REQUIRE(t.has_value());
  return std::move(*t);
}

Response json_response(const Json& doc, std::string content_type = "application/json") {
  Response r;
  r.status = 200;
  r.body = doc.dump();
  r.headers["content-type"] = std::move(content_type);
  return r;
}

Response status_response(int code, const std::string& reason, const std::string& message) {
  Response r;
  r.status = code;
  r.body = Json{{"kind", "Status"}, {"apiVersion", "v1"}, {"status", "Failure"}, {"message", message},
                {"reason", reason}, {"code", code}}
               .dump();
  r.headers["content-type"] = "application/json";
  return r;
}

// Legacy documents as kube-apiserver 1.31 writes them (meta/v1 APIVersions,
// APIGroupList, APIResourceList), trimmed to a few kinds; metrics.k8s.io
// is an aggregated API server that is down (503), as after a failed
// metrics-server.
Response legacy_server(const Request& r) {
  if (r.path == "/api") {
    return json_response({{"kind", "APIVersions"}, {"versions", {"v1"}},
                          {"serverAddressByClientCIDRs", {{{"clientCIDR", "0.0.0.0/0"}, {"serverAddress", "10.0.0.5:6443"}}}}});
  }
  if (r.path == "/apis") {
    return json_response(
        {{"kind", "APIGroupList"},
         {"apiVersion", "v1"},
         {"groups",
          {{{"name", "apps"},
            {"versions", {{{"groupVersion", "apps/v1"}, {"version", "v1"}}}},
            {"preferredVersion", {{"groupVersion", "apps/v1"}, {"version", "v1"}}}},
           {{"name", "metrics.k8s.io"},
            {"versions", {{{"groupVersion", "metrics.k8s.io/v1beta1"}, {"version", "v1beta1"}}}},
            {"preferredVersion", {{"groupVersion", "metrics.k8s.io/v1beta1"}, {"version", "v1beta1"}}}}}}});
  }
  if (r.path == "/api/v1") {
    return json_response(
        {{"kind", "APIResourceList"},
         {"groupVersion", "v1"},
         {"resources",
          {{{"name", "namespaces"}, {"singularName", "namespace"}, {"namespaced", false}, {"kind", "Namespace"},
            {"verbs", {"create", "delete", "get", "list", "patch", "update", "watch"}}},
           {{"name", "pods"}, {"singularName", "pod"}, {"namespaced", true}, {"kind", "Pod"},
            {"verbs", {"create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"}}},
           {{"name", "pods/status"}, {"singularName", ""}, {"namespaced", true}, {"kind", "Pod"},
            {"verbs", {"get", "patch", "update"}}},
           {{"name", "pods/eviction"}, {"singularName", ""}, {"namespaced", true}, {"group", "policy"},
            {"version", "v1"}, {"kind", "Eviction"}, {"verbs", {"create"}}}}}});
  }
  if (r.path == "/apis/apps/v1") {
    return json_response({{"kind", "APIResourceList"},
                          {"apiVersion", "v1"},
                          {"groupVersion", "apps/v1"},
                          {"resources",
                           {{{"name", "deployments"}, {"singularName", "deployment"}, {"namespaced", true},
                             {"kind", "Deployment"}, {"verbs", {"create", "get", "list", "patch"}}},
                            {{"name", "deployments/scale"}, {"singularName", ""}, {"namespaced", true},
                             {"group", "autoscaling"}, {"version", "v1"}, {"kind", "Scale"},
                             {"verbs", {"get", "patch", "update"}}}}}});
  }
  if (r.path == "/apis/metrics.k8s.io/v1beta1") {
    return status_response(503, "ServiceUnavailable", "the server is currently unable to handle the request");
  }
  return status_response(404, "NotFound", "the server could not find the requested resource");
}

std::set<std::string> kinds_and_paths(const Discovery& d) {
  std::set<std::string> out;
  for (const ResourceInfo& r : d.resources()) {
    out.insert(r.api_version() + " " + r.kind + " " + collection_path(r, "ns") + (r.allows("patch") ? " patch" : ""));
  }
  return out;
}

}  // namespace

TEST_CASE("discovery: paths of core, group, namespaced and cluster kinds, names escaped") {
  const ResourceInfo pod{"", "v1", "Pod", "pods", true, {}};
  const ResourceInfo ns{"", "v1", "Namespace", "namespaces", false, {}};
  const ResourceInfo deploy{"apps", "v1", "Deployment", "deployments", true, {}};
  const ResourceInfo crd{"apiextensions.k8s.io", "v1", "CustomResourceDefinition", "customresourcedefinitions", false,
                         {}};
  struct Case {
    std::string got;
    const char* want;
  };
  const Case cases[] = {
      {collection_path(pod, "web"), "/api/v1/namespaces/web/pods"},
      {collection_path(pod, ""), "/api/v1/pods"},
      {collection_path(ns, "web"), "/api/v1/namespaces"},
      {collection_path(deploy, "web"), "/apis/apps/v1/namespaces/web/deployments"},
      {collection_path(crd, ""), "/apis/apiextensions.k8s.io/v1/customresourcedefinitions"},
      {object_path(pod, "web", "api-0"), "/api/v1/namespaces/web/pods/api-0"},
      {object_path(ns, "", "web"), "/api/v1/namespaces/web"},
      {object_path(deploy, "web", "a b/c?d#e%f"), "/apis/apps/v1/namespaces/web/deployments/a%20b%2Fc%3Fd%23e%25f"},
      {object_path(crd, "", "helmcharts.helm.cattle.io"),
       "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/helmcharts.helm.cattle.io"},
      {object_path(ns, "", ".."), "/api/v1/namespaces/%2E%2E"},
      {object_path(ns, "", "."), "/api/v1/namespaces/%2E"},
  };
  for (const Case& c : cases) CHECK(c.got == c.want);
  CHECK(pod.api_version() == "v1");
  CHECK(deploy.api_version() == "apps/v1");
}

TEST_CASE("discovery: claw-sim's aggregated documents, two requests") {
  SimProcess sim;
  REQUIRE(sim.ok());
  auto t = sim_transport(sim);
  auto d = Discovery::load(*t);
  REQUIRE_MESSAGE(d.has_value(), d.error());
  CHECK(d->aggregated());
  CHECK(t->requests_sent() == 2);
  CHECK(d->unavailable().empty());
  struct Case {
    const char* api_version;
    const char* kind;
    const char* resource;
    bool namespaced;
  };
  const Case cases[] = {
      {"v1", "Namespace", "namespaces", false},       {"v1", "ConfigMap", "configmaps", true},
      {"v1", "Node", "nodes", false},                 {"apps/v1", "Deployment", "deployments", true},
      {"apps/v1", "StatefulSet", "statefulsets", true}, {"networking.k8s.io/v1", "Ingress", "ingresses", true},
      {"coordination.k8s.io/v1", "Lease", "leases", true},
      {"apiextensions.k8s.io/v1", "CustomResourceDefinition", "customresourcedefinitions", false},
      // A kind a k3s CRD adds.
      {"helm.cattle.io/v1", "HelmChart", "helmcharts", true},
  };
  for (const Case& c : cases) {
    CAPTURE(c.kind);
    auto info = d->find(c.api_version, c.kind);
    REQUIRE_MESSAGE(info.has_value(), info.error());
    CHECK((*info)->resource == c.resource);
    CHECK((*info)->namespaced == c.namespaced);
    CHECK((*info)->allows("patch"));
    // The path discovery gives is one the server lists.
    CHECK(t->perform(Request{"GET", collection_path(**info, "kube-system"), "", "", true}).status == 200);
  }
  auto unknown = d->find("example.com/v1", "Widget");
  REQUIRE_FALSE(unknown.has_value());
  CHECK(unknown.error() == "apiVersion example.com/v1, kind Widget: the server does not serve this kind; is the CRD installed?");
  auto misspelt = d->find("apps/v1", "Deploymnet");
  REQUIRE_FALSE(misspelt.has_value());
  CHECK(misspelt.error().find("serves apps/v1 but no kind Deploymnet") != std::string::npos);
}

TEST_CASE("discovery: claw-sim's legacy documents give the same kinds and paths as its aggregated ones") {
  SimProcess sim;
  REQUIRE(sim.ok());
  auto t = sim_transport(sim);
  auto aggregated = Discovery::load(*t);
  REQUIRE(aggregated.has_value());
  uint64_t before = t->requests_sent();
  LegacyOnly legacy_transport(*t);
  auto legacy = Discovery::load(legacy_transport);
  REQUIRE_MESSAGE(legacy.has_value(), legacy.error());
  CHECK_FALSE(legacy->aggregated());
  // /api and /apis, then one request per group-version.
  CHECK(t->requests_sent() - before > 10);
  CHECK(kinds_and_paths(*legacy) == kinds_and_paths(*aggregated));
  CHECK(kinds_and_paths(*legacy).size() > 50);
}

TEST_CASE("discovery: legacy documents from a FakeTransport, a failed group-version kept apart") {
  FakeTransport t(legacy_server);
  auto d = Discovery::load(t);
  REQUIRE_MESSAGE(d.has_value(), d.error());
  CHECK_FALSE(d->aggregated());
  // The roots are asked for with the aggregated Accept header first.
  REQUIRE(t.requests().size() == 5);
  CHECK(t.requests()[0].path == "/api");
  CHECK(t.requests()[0].accept == kAggregatedDiscoveryAccept);
  CHECK(t.requests()[1].path == "/apis");
  CHECK(t.requests()[1].accept == kAggregatedDiscoveryAccept);
  std::set<std::string> later;
  for (size_t i = 2; i < t.requests().size(); ++i) later.insert(t.requests()[i].path);
  CHECK(later == std::set<std::string>{"/api/v1", "/apis/apps/v1", "/apis/metrics.k8s.io/v1beta1"});
  // Subresources (pods/status, pods/eviction, deployments/scale) are not kinds.
  CHECK(kinds_and_paths(*d) == std::set<std::string>{"v1 Namespace /api/v1/namespaces patch",
                                                    "v1 Pod /api/v1/namespaces/ns/pods patch",
                                                    "apps/v1 Deployment /apis/apps/v1/namespaces/ns/deployments patch"});
  auto pod = d->find("v1", "Pod");
  REQUIRE(pod.has_value());
  CHECK((*pod)->allows("deletecollection"));
  CHECK_FALSE((*pod)->allows("deletecollections"));
  CHECK_FALSE(d->find("policy/v1", "Eviction").has_value());
  REQUIRE(d->unavailable().count("metrics.k8s.io/v1beta1") == 1);
  auto metrics = d->find("metrics.k8s.io/v1beta1", "PodMetrics");
  REQUIRE_FALSE(metrics.has_value());
  CHECK(metrics.error().find("metrics.k8s.io/v1beta1") != std::string::npos);
  CHECK(metrics.error().find("HTTP 503") != std::string::npos);
}

TEST_CASE("discovery: an aggregated document's stale group-version and kindless resource are left out") {
  const std::string type = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";
  auto list = [](Json items) {
    return Json{{"kind", "APIGroupDiscoveryList"}, {"apiVersion", "apidiscovery.k8s.io/v2"}, {"items", items}};
  };
  FakeTransport t([&](const Request& r) {
    if (r.path == "/api") {
      return json_response(
          list({{{"metadata", {{"name", ""}}},
                 {"versions",
                  {{{"version", "v1"},
                    {"freshness", "Current"},
                    {"resources",
                     {{{"resource", "services"}, {"responseKind", {{"group", ""}, {"version", "v1"}, {"kind", "Service"}}},
                       {"scope", "Namespaced"}, {"verbs", {"get", "patch"}}},
                      {{"resource", "oddities"}, {"scope", "Cluster"}, {"verbs", {"get"}}}}}}}}}}),
          type);
    }
    return json_response(list({{{"metadata", {{"name", "metrics.k8s.io"}}},
                                {"versions", {{{"version", "v1beta1"}, {"freshness", "Stale"}, {"resources", Json::array()}}}}}}),
                         type);
  });
  auto d = Discovery::load(t);
  REQUIRE_MESSAGE(d.has_value(), d.error());
  CHECK(d->aggregated());
  CHECK(t.requests_sent() == 2);
  CHECK(kinds_and_paths(*d) == std::set<std::string>{"v1 Service /api/v1/namespaces/ns/services patch"});
  CHECK(d->unavailable().count("metrics.k8s.io/v1beta1") == 1);
}

TEST_CASE("discovery: a server that refuses the credentials is one clear error") {
  FakeTransport t([](const Request&) { return status_response(401, "Unauthorized", "Unauthorized"); });
  auto d = Discovery::load(t);
  REQUIRE_FALSE(d.has_value());
  CHECK(d.error() ==
        "reading the server's API discovery: GET /api: HTTP 401 Unauthorized; check the user's credentials in the kubeconfig");
}
