// CurlTransport against a real claw-sim process (tests/runtime/sim_process.h).
#include "runtime/cluster/curl_transport.h"

#include <doctest/doctest.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "tests/runtime/sim_process.h"

using namespace claw::cluster;
using claw::test::SimProcess;
using Json = nlohmann::json;
using std::chrono::milliseconds;

namespace {

// Time that passes only when the transport sleeps: retries become due
// without waiting, and every wait asked for is recorded.
class FakeClock : public RetryClock {
 public:
  std::chrono::steady_clock::time_point now() override { return std::chrono::steady_clock::time_point() + slept; }
  std::chrono::system_clock::time_point wall_now() override { return std::chrono::system_clock::time_point() + slept; }
  void sleep_for(milliseconds d) override { slept += d; }
  milliseconds slept{0};
};

CurlOptions test_options(std::shared_ptr<RetryClock> clock = std::make_shared<FakeClock>()) {
  CurlOptions o;
  o.parallelism = 8;
  o.connect_timeout = milliseconds(5000);
  o.request_timeout = milliseconds(20'000);
  o.retry.max_attempts = 8;
  o.retry.base_delay = milliseconds(10);
  o.retry.max_delay = milliseconds(100);
  o.clock = std::move(clock);
  return o;
}

std::unique_ptr<CurlTransport> transport(const Endpoint& e, CurlOptions o = test_options()) {
  auto t = CurlTransport::create(e, std::move(o));
  REQUIRE(t.has_value());
  return std::move(*t);
}

Request get(std::string path) { return Request{"GET", std::move(path), "", "", true}; }

std::vector<Request> namespace_gets(size_t n) {
  const char* names[] = {"default", "kube-system", "kube-public", "kube-node-lease"};
  std::vector<Request> batch;
  for (size_t i = 0; i < n; ++i) batch.push_back(get(std::string("/api/v1/namespaces/") + names[i % 4]));
  return batch;
}

// Each response is the namespace its request asked for, in the batch's order.
void check_namespaces(const std::vector<Request>& batch, const std::vector<Response>& responses) {
  REQUIRE(responses.size() == batch.size());
  for (size_t i = 0; i < batch.size(); ++i) {
    CAPTURE(i);
    REQUIRE(responses[i].status == 200);
    Json doc = Json::parse(responses[i].body);
    CHECK("/api/v1/namespaces/" + doc["metadata"]["name"].get<std::string>() == batch[i].path);
  }
}

// Lines of a claw-sim --log whose status is `status` (any: -1).
int logged_with_status(const std::string& path, int status) {
  std::ifstream in(path);
  int n = 0;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && (status < 0 || Json::parse(line).value("status", 0) == status)) ++n;
  }
  return n;
}

int closed_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  close(fd);
  return ntohs(a.sin_port);
}

}  // namespace

TEST_CASE("curl transport: GET /version from claw-sim, headers lower-cased") {
  SimProcess sim;
  REQUIRE(sim.ok());
  auto t = transport(sim.endpoint());
  Response r = t->perform(get("/version"));
  CHECK(r.status == 200);
  CHECK(r.error.empty());
  CHECK(r.attempts == 1);
  CHECK(Json::parse(r.body)["gitVersion"] == "v1.31.4+k3s1");
  REQUIRE(r.headers.count("content-type") == 1);
  CHECK(r.headers.at("content-type").starts_with("application/json"));
  CHECK(t->requests_sent() == 1);
}

TEST_CASE("curl transport: a batch of 50 GETs in parallel, answered in order") {
  SimProcess sim;
  REQUIRE(sim.ok());
  auto t = transport(sim.endpoint());
  std::vector<Request> batch = namespace_gets(50);
  std::set<size_t> reported;
  auto responses = t->perform(batch, [&](size_t index, const Response& r) {
    CHECK(r.status == 200);
    reported.insert(index);
  });
  check_namespaces(batch, responses);
  CHECK(reported.size() == 50);
  CHECK(t->requests_sent() == 50);
  // The same transport serves a second batch on the connections it kept:
  // no more than `parallelism` (8) for the hundred requests.
  check_namespaces(batch, t->perform(batch));
  CHECK(t->requests_sent() == 100);
  CHECK(t->connections_opened() >= 1);
  CHECK(t->connections_opened() <= 8);
}

TEST_CASE("curl transport: POST, GET and DELETE of a ConfigMap") {
  SimProcess sim;
  REQUIRE(sim.ok());
  auto t = transport(sim.endpoint());
  const std::string path = "/api/v1/namespaces/default/configmaps";
  Json cm = {{"apiVersion", "v1"}, {"kind", "ConfigMap"}, {"metadata", {{"name", "transport-test"}}},
             {"data", {{"greeting", "hello"}}}};
  Response created = t->perform(Request{"POST", path, "application/json", cm.dump(), false});
  CHECK(created.status == 201);
  CHECK(Json::parse(created.body)["metadata"]["uid"].is_string());
  Response read = t->perform(get(path + "/transport-test"));
  CHECK(read.status == 200);
  CHECK(Json::parse(read.body)["data"]["greeting"] == "hello");
  Response deleted = t->perform(Request{"DELETE", path + "/transport-test", "", "", true});
  CHECK(deleted.status == 200);
  CHECK(t->perform(get(path + "/transport-test")).status == 404);
  // A second create of the same name is the server's 409, not retried.
  CHECK(t->perform(Request{"POST", path, "application/json", cm.dump(), false}).status == 201);
  Response again = t->perform(Request{"POST", path, "application/json", cm.dump(), false});
  CHECK(again.status == 409);
  CHECK(again.attempts == 1);
}

TEST_CASE("curl transport: without a client certificate the server answers 401") {
  SimProcess sim;
  REQUIRE(sim.ok());
  Endpoint e = sim.endpoint();
  e.client_cert_pem.clear();
  e.client_key_pem.clear();
  Response r = transport(e)->perform(get("/api/v1/namespaces"));
  CHECK(r.status == 401);
  CHECK(r.attempts == 1);
}

TEST_CASE("curl transport: a wrong CA is a clear TLS error that names no credential") {
  SimProcess sim;
  SimProcess other;
  REQUIRE(sim.ok());
  REQUIRE(other.ok());
  Endpoint e = sim.endpoint();
  e.ca_pem = other.pki("ca.crt");
  e.token = "CANARY-TOKEN";
  auto t = transport(e);
  Response r = t->perform(get("/api/v1/namespaces?labelSelector=CANARY-QUERY"));
  CHECK(r.status == 0);
  CHECK(r.attempts == 1);
  CHECK(r.error.starts_with("GET /api/v1/namespaces: "));
  CHECK(r.error.find("certificate") != std::string::npos);
  CHECK(r.error.find("certificate-authority") != std::string::npos);
  for (const char* canary : {"CANARY", "BEGIN"}) CHECK(r.error.find(canary) == std::string::npos);
  // insecure (insecure-skip-tls-verify) reaches the same server.
  e.insecure = true;
  e.token.clear();
  CHECK(transport(e)->perform(get("/version")).status == 200);
}

TEST_CASE("curl transport: tls-server-name is the name the certificate is checked against") {
  SimProcess sim;
  REQUIRE(sim.ok());
  Endpoint e = sim.endpoint();
  // claw-sim's serving certificate names DNS:localhost and IP:127.0.0.1.
  e.tls_server_name = "localhost";
  CHECK(transport(e)->perform(get("/version")).status == 200);
  e.tls_server_name = "kubernetes.example";
  Response r = transport(e)->perform(get("/version"));
  CHECK(r.status == 0);
  CHECK(r.error.find("kubernetes.example") != std::string::npos);
}

TEST_CASE("curl transport: with --fail-rate 0.3 every GET succeeds after retries, Retry-After honoured") {
  SimProcess sim({"--fail-rate", "0.3", "--seed", "1"});
  REQUIRE(sim.ok());
  auto clock = std::make_shared<FakeClock>();
  auto t = transport(sim.endpoint(), test_options(clock));
  std::vector<Request> batch = namespace_gets(50);
  auto responses = t->perform(batch);
  check_namespaces(batch, responses);
  CHECK(t->requests_sent() > 50);
  int attempts = 0;
  for (const Response& r : responses) attempts += r.attempts;
  CHECK(static_cast<uint64_t>(attempts) == t->requests_sent());
  // The sim's 429 and 503 carry Retry-After: 1, waited in full (the fake
  // clock advances only by the transport's sleeps).
  int asked_to_wait = logged_with_status(sim.log_path(), 429) + logged_with_status(sim.log_path(), 503);
  CHECK(asked_to_wait > 0);
  CHECK(clock->slept >= milliseconds(1000));
  // Every attempt reached the server and was logged by it.
  CHECK(static_cast<uint64_t>(logged_with_status(sim.log_path(), 200) + asked_to_wait +
                              logged_with_status(sim.log_path(), 500)) == t->requests_sent());
}

TEST_CASE("curl transport: dropped connections are retried for GETs") {
  SimProcess sim({"--drop-connections", "0.3", "--seed", "3"});
  REQUIRE(sim.ok());
  auto t = transport(sim.endpoint());
  std::vector<Request> batch = namespace_gets(40);
  check_namespaces(batch, t->perform(batch));
  // The sim logs each dropped request as a 500 it never sent.
  int dropped = logged_with_status(sim.log_path(), 500);
  CHECK(dropped > 0);
  CHECK(t->requests_sent() > 40);
  // Every request that reached the server is counted, libcurl's own
  // resend on a reused connection that closed early included.
  CHECK(static_cast<int>(t->requests_sent()) == logged_with_status(sim.log_path(), -1));
}

TEST_CASE("curl transport: a 5xx is retried for an idempotent request only") {
  SimProcess sim({"--fail-after", "0"});
  REQUIRE(sim.ok());
  auto t = transport(sim.endpoint());
  Json cm = {{"apiVersion", "v1"}, {"kind", "ConfigMap"}, {"metadata", {{"name", "never"}}}};
  Response create = t->perform(Request{"POST", "/api/v1/namespaces/default/configmaps", "application/json", cm.dump(),
                                       false});
  CHECK(create.status == 500);
  CHECK(create.attempts == 1);
  CHECK(t->requests_sent() == 1);
  Response read = t->perform(get("/api/v1/namespaces/default"));
  CHECK(read.status == 500);
  CHECK(read.attempts == 8);
  CHECK(t->requests_sent() == 9);
}

TEST_CASE("curl transport: a refused connection is retried, then reported with what to check") {
  Endpoint e;
  e.server = "https://127.0.0.1:" + std::to_string(closed_port());
  e.token = "CANARY-TOKEN";
  auto t = transport(e);
  Response r = t->perform(get("/version"));
  CHECK(r.status == 0);
  CHECK(r.attempts == 8);
  // Attempts were made but no request left: none is counted as sent.
  CHECK(t->requests_sent() == 0);
  CHECK(r.error.starts_with("GET /version: "));
  CHECK(r.error.find("server in the kubeconfig") != std::string::npos);
  CHECK(r.error.find("CANARY") == std::string::npos);
  Response create = t->perform(Request{"POST", "/api/v1/namespaces", "application/json", "{}", false});
  CHECK(create.attempts == 1);
}

TEST_CASE("curl transport: at most `parallelism` requests in flight") {
  SimProcess sim({"--latency", "150"});
  REQUIRE(sim.ok());
  CurlOptions o = test_options();
  o.parallelism = 4;
  auto t = transport(sim.endpoint(), o);
  std::vector<Request> batch = namespace_gets(12);
  auto start = std::chrono::steady_clock::now();
  check_namespaces(batch, t->perform(batch));
  auto elapsed = std::chrono::steady_clock::now() - start;
  // Three rounds of four at 150 ms each at least; well under twelve in a row.
  CHECK(elapsed >= milliseconds(450));
  CHECK(elapsed < milliseconds(1800));
}

TEST_CASE("curl transport: the request timeout ends an attempt, and a GET is tried again") {
  SimProcess sim({"--latency", "3000"});
  REQUIRE(sim.ok());
  CurlOptions o = test_options();
  o.request_timeout = milliseconds(300);
  o.retry.max_attempts = 2;
  auto t = transport(sim.endpoint(), o);
  Response r = t->perform(get("/version"));
  CHECK(r.status == 0);
  CHECK(r.attempts == 2);
  CHECK(r.error.starts_with("GET /version: "));
  CHECK(r.error.find("timed out") != std::string::npos);
}

TEST_CASE("curl transport: the environment's proxies are not used; proxy-url is") {
  SimProcess sim;
  REQUIRE(sim.ok());
  const std::string nowhere = "http://127.0.0.1:" + std::to_string(closed_port());
  const char* names[] = {"https_proxy", "HTTPS_PROXY", "http_proxy", "all_proxy", "ALL_PROXY"};
  for (const char* name : names) setenv(name, nowhere.c_str(), 1);
  Response direct = transport(sim.endpoint())->perform(get("/version"));
  for (const char* name : names) unsetenv(name);
  CHECK(direct.status == 200);
  Endpoint e = sim.endpoint();
  e.proxy_url = nowhere;
  CurlOptions o = test_options();
  o.retry.max_attempts = 1;
  Response proxied = transport(e, o)->perform(get("/version"));
  CHECK(proxied.status == 0);
  // The proxy's port, not the server's, was tried.
  CHECK(proxied.error.find("port " + nowhere.substr(nowhere.rfind(':') + 1)) != std::string::npos);
  CHECK(proxied.error.find("proxy-url") != std::string::npos);
}
