// The apply lock against an in-memory Lease answering as kube-apiserver
// does (AlreadyExists on a second create, Conflict on a stale
// resourceVersion or a failed delete precondition), with a fake clock; and
// against a real claw-sim process.
#include "runtime/apply/lease.h"

#include <doctest/doctest.h>
#include <unistd.h>

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>

#include "runtime/cluster/curl_transport.h"
#include "runtime/cluster/fake_transport.h"
#include "tests/runtime/sim_process.h"

using namespace claw::apply;
using claw::cluster::FakeTransport;
using claw::cluster::Request;
using claw::cluster::Response;
using claw::test::SimProcess;
using Json = nlohmann::json;
namespace chr = std::chrono;

namespace {

const std::string kCollection = "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases";
const std::string kPath = kCollection + "/claw-home";
const std::string kAlice = "alice@laptop pid 4242 aaaaaa";
const std::string kBob = "bob@desk pid 7 bbbbbb";
const std::string kCarol = "carol@tower pid 99 cccccc";

// 2026-12-05T12:01:03Z.
const WallTime kT0 = chr::sys_days(chr::year(2026) / 12 / 5) + chr::hours(12) + chr::minutes(1) + chr::seconds(3);

class FakeClock : public LeaseClock {
 public:
  explicit FakeClock(WallTime start) : t(start) {}
  WallTime now() override { return t; }
  WallTime t;
};

Response status_error(int code, const std::string& reason, const std::string& message) {
  Json s = {{"apiVersion", "v1"}, {"kind", "Status"}, {"status", "Failure"},
            {"reason", reason},   {"code", code},      {"message", message}};
  return Response{code, s.dump(), {}, "", 1};
}

// One Lease, kube-system/claw-home, kept as kube-apiserver keeps it: a
// create of an existing name is 409 AlreadyExists; an update must carry
// the current resourceVersion (Lease's strategy allows no unconditional
// update) or gets 409 Conflict; a delete's uid and resourceVersion
// preconditions must match or it gets 409 Conflict.
struct LeaseServer {
  std::optional<Json> lease;
  int next_rv = 100;
  int next_uid = 1;
  /// Answers a request in place of the server, nothing changed (a lost or refused request).
  std::function<std::optional<Response>(const Request&)> before;
  /// Changes the answer of a request the server carried out (its answer lost).
  std::function<void(const Request&, Response&)> after;

  Response handle(const Request& r) {
    if (before)
      if (auto answer = before(r)) return *answer;
    Response response = answer(r);
    if (after) after(r, response);
    return response;
  }

  // Another client writes the lease directly (a racing apply).
  void put_holder(const std::string& holder, WallTime renewed, int64_t transitions = 0, int seconds = 60) {
    Json l = lease.value_or(Json{{"apiVersion", "coordination.k8s.io/v1"},
                                 {"kind", "Lease"},
                                 {"metadata", {{"name", "claw-home"}, {"namespace", "kube-system"},
                                               {"uid", "uid-" + std::to_string(next_uid++)}}}});
    l["spec"] = {{"holderIdentity", holder},
                 {"leaseDurationSeconds", seconds},
                 {"acquireTime", format_micro_time(renewed)},
                 {"renewTime", format_micro_time(renewed)},
                 {"leaseTransitions", transitions}};
    l["metadata"]["resourceVersion"] = std::to_string(next_rv++);
    lease = l;
  }
  std::string holder() const { return lease ? (*lease)["spec"].value("holderIdentity", "") : "(none)"; }

 private:
  Response object(int code) { return Response{code, lease->dump(), {}, "", 1}; }
  Response not_found() { return status_error(404, "NotFound", "leases.coordination.k8s.io \"claw-home\" not found"); }
  Response conflict() {
    return status_error(409, "Conflict",
                        "Operation cannot be fulfilled on leases.coordination.k8s.io \"claw-home\": the object has been "
                        "modified; please apply your changes to the latest version and try again");
  }

  Response answer(const Request& r) {
    if (r.method == "POST" && r.path == kCollection) return create(Json::parse(r.body));
    if (r.path != kPath) return not_found();
    if (r.method == "GET") return lease ? object(200) : not_found();
    if (r.method == "PUT") return update(Json::parse(r.body));
    if (r.method == "DELETE") return remove(Json::parse(r.body));
    return status_error(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
  }
  Response create(Json body) {
    if (lease) return status_error(409, "AlreadyExists", "leases.coordination.k8s.io \"claw-home\" already exists");
    body["metadata"]["uid"] = "uid-" + std::to_string(next_uid++);
    body["metadata"]["resourceVersion"] = std::to_string(next_rv++);
    lease = body;
    return object(201);
  }
  Response update(Json body) {
    if (!lease) return not_found();
    if (body["metadata"].value("resourceVersion", "") != (*lease)["metadata"]["resourceVersion"]) return conflict();
    body["metadata"]["uid"] = (*lease)["metadata"]["uid"];
    body["metadata"]["resourceVersion"] = std::to_string(next_rv++);
    lease = body;
    return object(200);
  }
  Response remove(const Json& options) {
    if (!lease) return not_found();
    const Json& pre = options.at("preconditions");
    if (pre.value("uid", "") != (*lease)["metadata"]["uid"] ||
        pre.value("resourceVersion", "") != (*lease)["metadata"]["resourceVersion"])
      return conflict();
    Response r = object(200);
    lease.reset();
    return r;
  }
};

struct Fixture {
  LeaseServer server;
  FakeTransport transport{[this](const Request& r) { return server.handle(r); }};
  std::shared_ptr<FakeClock> clock = std::make_shared<FakeClock>(kT0);

  ApplyLock lock(const std::string& identity) { return ApplyLock(transport, {"home", identity, chr::seconds(60), clock}); }
  // "GET POST ..." of the requests sent since `from`.
  std::string methods(size_t from = 0) const {
    std::string s;
    for (size_t i = from; i < transport.requests().size(); ++i) s += (s.empty() ? "" : " ") + transport.requests()[i].method;
    return s;
  }
  Json body(size_t i) const { return Json::parse(transport.requests().at(i).body); }
  Json spec() const { return (*server.lease)["spec"]; }
};

}  // namespace

TEST_CASE("lease: MicroTime is written in UTC with six fraction digits, truncated") {
  struct Case {
    WallTime t;
    std::string text;
  };
  const Case cases[] = {
      {kT0, "2026-12-05T12:01:03.000000Z"},
      {kT0 + chr::microseconds(123456), "2026-12-05T12:01:03.123456Z"},
      {kT0 + chr::nanoseconds(1234999), "2026-12-05T12:01:03.001234Z"},  // Go's Format truncates
      {WallTime(), "1970-01-01T00:00:00.000000Z"},
      {chr::sys_days(chr::year(2024) / 2 / 29) + chr::hours(23) + chr::minutes(59) + chr::seconds(59),
       "2024-02-29T23:59:59.000000Z"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.text);
    CHECK(format_micro_time(c.t) == c.text);
  }
}

TEST_CASE("lease: RFC 3339 times are read as kube-apiserver writes them, others refused") {
  struct Case {
    std::string text;
    std::optional<WallTime> t;
  };
  const Case cases[] = {
      {"2026-12-05T12:01:03.000000Z", kT0},
      {"2026-12-05T12:01:03Z", kT0},  // metav1.Time: no fraction
      {"2026-12-05T14:01:03.5+02:00", kT0 + chr::milliseconds(500)},
      {"2026-12-05T07:01:03.123456789-05:00", kT0 + chr::microseconds(123456)},
      {"", std::nullopt},
      {"2026-12-05 12:01:03Z", std::nullopt},
      {"2026-12-05T12:01:03", std::nullopt},
      {"2026-12-05T12:01:03.Z", std::nullopt},
      {"2026-13-05T12:01:03Z", std::nullopt},
      {"2026-02-30T12:01:03Z", std::nullopt},
      {"2026-12-05T24:01:03Z", std::nullopt},
      {"2026-12-05T12:01:03+0200", std::nullopt},
      {"2026-12-05T12:01:03Zjunk", std::nullopt},
  };
  for (const Case& c : cases) {
    CAPTURE(c.text);
    CHECK(parse_micro_time(c.text) == c.t);
  }
}

TEST_CASE("lease: the name is claw-<project>, a valid DNS subdomain for any project name") {
  CHECK(lease_name("home") == "claw-home");
  CHECK(lease_name("Home_Lab.v2") == "claw-home-lab.v2");
  CHECK(lease_name("") == "claw");
  const std::regex subdomain("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  for (const char* project : {"home", "Home_Lab.v2", "A", "x-1_Y", ""}) CHECK(std::regex_match(lease_name(project), subdomain));
}

TEST_CASE("lease: the holder identity says who, where, which process") {
  CHECK(holder_identity("alice", "laptop", 4242, "3fa9c1") == "alice@laptop pid 4242 3fa9c1");
  claw::cluster::Environment env;
  env.vars["USER"] = "alice";
  std::string id = this_process_identity(env);
  CHECK(std::regex_match(id, std::regex("alice@.+ pid " + std::to_string(getpid()) + " [0-9a-f]{6}")));
  CHECK(this_process_identity(env) != id);  // two applies of one user and process differ
  env.vars = {{"LOGNAME", "bob"}};
  CHECK(this_process_identity(env).starts_with("bob@"));
}

TEST_CASE("lease: free when it has no holder, no renewTime, or renewTime + duration has come") {
  struct Case {
    const char* what;
    LeaseRecord record;
    WallTime now;
    bool free;
  };
  LeaseRecord held{kBob, chr::seconds(60), kT0, kT0, 0};
  LeaseRecord released = held;
  released.holder.clear();
  LeaseRecord unrenewed = held;
  unrenewed.renewed.reset();
  const Case cases[] = {
      {"just renewed", held, kT0, false},
      {"a microsecond before expiry", held, kT0 + chr::seconds(60) - chr::microseconds(1), false},
      {"at expiry", held, kT0 + chr::seconds(60), true},
      {"after expiry", held, kT0 + chr::seconds(61), true},
      {"released by its holder", released, kT0, true},
      {"never renewed", unrenewed, kT0, true},
  };
  for (const Case& c : cases) {
    CAPTURE(c.what);
    CHECK(lease_free(c.record, c.now) == c.free);
  }
}

TEST_CASE("lease: acquire creates the Lease, release deletes it on uid and resourceVersion") {
  Fixture f;
  ApplyLock lock = f.lock(kAlice);
  CHECK(lock.name() == "claw-home");
  REQUIRE(lock.acquire().has_value());
  CHECK(lock.held());
  CHECK(f.methods() == "GET POST");
  CHECK(f.transport.requests()[1].path == kCollection);
  CHECK_FALSE(f.transport.requests()[1].idempotent);
  Json sent = f.body(1);
  CHECK(sent["apiVersion"] == "coordination.k8s.io/v1");
  CHECK(sent["kind"] == "Lease");
  CHECK(sent["metadata"] == Json{{"name", "claw-home"}, {"namespace", "kube-system"}});
  CHECK(sent["spec"] == Json{{"holderIdentity", kAlice},
                             {"leaseDurationSeconds", 60},
                             {"acquireTime", "2026-12-05T12:01:03.000000Z"},
                             {"renewTime", "2026-12-05T12:01:03.000000Z"},
                             {"leaseTransitions", 0}});
  Json meta = (*f.server.lease)["metadata"];

  REQUIRE(lock.release().has_value());
  CHECK_FALSE(lock.held());
  CHECK_FALSE(f.server.lease.has_value());
  CHECK(f.methods(2) == "DELETE");
  CHECK(f.transport.requests()[2].path == kPath);
  CHECK(f.body(2)["preconditions"] == Json{{"uid", meta["uid"]}, {"resourceVersion", meta["resourceVersion"]}});
  // Released twice: nothing more is sent.
  CHECK(lock.release().has_value());
  CHECK(f.transport.requests().size() == 3);
}

TEST_CASE("lease: a second apply fails fast, naming the holder, since when and until when") {
  Fixture f;
  ApplyLock alice = f.lock(kAlice);
  REQUIRE(alice.acquire().has_value());
  f.clock->t = kT0 + chr::seconds(10);
  ApplyLock bob = f.lock(kBob);
  size_t before = f.transport.requests().size();
  auto got = bob.acquire();
  REQUIRE_FALSE(got.has_value());
  CHECK(got.error().kind == LockError::Kind::Held);
  CHECK(got.error().message ==
        "another claw apply is running: alice@laptop pid 4242 aaaaaa, since 12:01:03 UTC, lease expires 12:02:03 UTC "
        "(in 50s); wait, or if it crashed run again after expiry (Lease kube-system/claw-home)");
  CHECK(f.methods(before) == "GET");
  CHECK_FALSE(bob.held());
  CHECK(f.server.holder() == kAlice);
}

TEST_CASE("lease: an expired lease is taken over with its resourceVersion, the transition counted") {
  Fixture f;
  f.server.put_holder(kBob, kT0, 3);
  std::string rv = (*f.server.lease)["metadata"]["resourceVersion"];
  f.clock->t = kT0 + chr::seconds(60);
  ApplyLock alice = f.lock(kAlice);
  REQUIRE(alice.acquire().has_value());
  CHECK(f.methods() == "GET PUT");
  CHECK(f.transport.requests()[1].path == kPath);
  CHECK(f.body(1)["metadata"]["resourceVersion"] == rv);
  CHECK(f.spec() == Json{{"holderIdentity", kAlice},
                         {"leaseDurationSeconds", 60},
                         {"acquireTime", "2026-12-05T12:02:03.000000Z"},
                         {"renewTime", "2026-12-05T12:02:03.000000Z"},
                         {"leaseTransitions", 4}});
}

TEST_CASE("lease: a lease its holder released (holder emptied) is taken at once") {
  Fixture f;
  f.server.put_holder("", kT0, 2);
  ApplyLock alice = f.lock(kAlice);
  REQUIRE(alice.acquire().has_value());
  CHECK(f.server.holder() == kAlice);
  CHECK(f.spec()["leaseTransitions"] == 3);
}

TEST_CASE("lease: losing the race to create reports the winner") {
  Fixture f;
  f.server.before = [&](const Request& r) -> std::optional<Response> {
    if (r.method == "POST") f.server.put_holder(kBob, kT0);
    return std::nullopt;
  };
  ApplyLock alice = f.lock(kAlice);
  auto got = alice.acquire();
  REQUIRE_FALSE(got.has_value());
  CHECK(got.error().kind == LockError::Kind::Held);
  CHECK(got.error().message.starts_with("another claw apply is running: " + kBob + ", since 12:01:03 UTC"));
  CHECK(f.methods() == "GET POST GET");
  CHECK(f.server.holder() == kBob);
}

TEST_CASE("lease: losing the race to take over an expired lease reports the winner") {
  Fixture f;
  f.server.put_holder(kBob, kT0);
  f.clock->t = kT0 + chr::seconds(90);
  f.server.before = [&](const Request& r) -> std::optional<Response> {
    if (r.method == "PUT") f.server.put_holder(kCarol, kT0 + chr::seconds(89), 1);
    return std::nullopt;
  };
  ApplyLock alice = f.lock(kAlice);
  auto got = alice.acquire();
  REQUIRE_FALSE(got.has_value());
  CHECK(got.error().kind == LockError::Kind::Held);
  CHECK(got.error().message.find(kCarol + ", since 12:02:32 UTC, lease expires 12:03:32 UTC (in 59s)") !=
        std::string::npos);
  CHECK(f.methods() == "GET PUT GET");
  CHECK(f.server.holder() == kCarol);
}

TEST_CASE("lease: a create whose answer was lost is read back: ours, or made again") {
  SUBCASE("made: the lease read back names us, and no second create is sent") {
    Fixture f;
    f.server.after = [](const Request& r, Response& answer) {
      if (r.method == "POST") answer = Response{0, "", {}, "Recv failure: Connection reset by peer", 1};
    };
    ApplyLock alice = f.lock(kAlice);
    REQUIRE(alice.acquire().has_value());
    CHECK(alice.held());
    CHECK(f.methods() == "GET POST GET");
    CHECK(f.server.holder() == kAlice);
    // Held for real: releasing deletes it.
    REQUIRE(alice.release().has_value());
    CHECK_FALSE(f.server.lease.has_value());
  }
  SUBCASE("not made: the lease is still absent, and is created again") {
    Fixture f;
    int posts = 0;
    f.server.before = [&](const Request& r) -> std::optional<Response> {
      if (r.method == "POST" && posts++ == 0) return status_error(503, "ServiceUnavailable", "etcdserver: leader changed");
      return std::nullopt;
    };
    ApplyLock alice = f.lock(kAlice);
    REQUIRE(alice.acquire().has_value());
    CHECK(f.methods() == "GET POST GET POST");
    CHECK(f.server.holder() == kAlice);
  }
}

TEST_CASE("lease: renew writes renewTime only, and renew_if_due waits a third of the duration") {
  Fixture f;
  ApplyLock alice = f.lock(kAlice);
  REQUIRE(alice.acquire().has_value());
  f.clock->t = kT0 + chr::seconds(30);
  REQUIRE(alice.renew().has_value());
  CHECK(f.methods() == "GET POST PUT");
  CHECK(f.spec() == Json{{"holderIdentity", kAlice},
                         {"leaseDurationSeconds", 60},
                         {"acquireTime", "2026-12-05T12:01:03.000000Z"},
                         {"renewTime", "2026-12-05T12:01:33.000000Z"},
                         {"leaseTransitions", 0}});
  f.clock->t = kT0 + chr::seconds(49);
  REQUIRE(alice.renew_if_due().has_value());
  CHECK(f.transport.requests().size() == 3);
  f.clock->t = kT0 + chr::seconds(50);
  REQUIRE(alice.renew_if_due().has_value());
  CHECK(f.transport.requests().size() == 4);
  CHECK(f.spec()["renewTime"] == "2026-12-05T12:01:53.000000Z");
}

TEST_CASE("lease: a renewal whose answer was lost is retried on the lease read back") {
  Fixture f;
  ApplyLock alice = f.lock(kAlice);
  REQUIRE(alice.acquire().has_value());
  int puts = 0;
  f.server.after = [&](const Request& r, Response& answer) {
    if (r.method == "PUT" && puts++ == 0) answer = Response{0, "", {}, "Empty reply from server", 1};
  };
  f.clock->t = kT0 + chr::seconds(20);
  REQUIRE(alice.renew().has_value());
  // The resend meets the resourceVersion our lost write made: 409, read, write again.
  CHECK(f.methods(2) == "PUT PUT GET PUT");
  CHECK(f.server.holder() == kAlice);
  REQUIRE(alice.release().has_value());
  CHECK_FALSE(f.server.lease.has_value());
}

TEST_CASE("lease: a holder whose lease was taken over is told so, and never deletes the new holder's") {
  Fixture f;
  ApplyLock alice = f.lock(kAlice);
  REQUIRE(alice.acquire().has_value());
  f.clock->t = kT0 + chr::seconds(75);
  ApplyLock bob = f.lock(kBob);
  REQUIRE(bob.acquire().has_value());
  size_t before = f.transport.requests().size();

  SUBCASE("release") {
    auto released = alice.release();
    REQUIRE_FALSE(released.has_value());
    CHECK(released.error().kind == LockError::Kind::Lost);
    CHECK(released.error().message.find("taken over by " + kBob + " at 12:02:18 UTC") != std::string::npos);
    CHECK(f.methods(before) == "DELETE GET");
  }
  SUBCASE("renew, then release") {
    auto renewed = alice.renew();
    REQUIRE_FALSE(renewed.has_value());
    CHECK(renewed.error().kind == LockError::Kind::Lost);
    CHECK(renewed.error().message.find(kBob) != std::string::npos);
    CHECK_FALSE(alice.held());
    CHECK(alice.release().has_value());  // nothing held, nothing sent
    CHECK(f.methods(before) == "PUT GET");
  }
  CHECK(f.server.holder() == kBob);
  CHECK(bob.held());
}

TEST_CASE("lease: a deleted lease is reported as lost on renew") {
  Fixture f;
  ApplyLock alice = f.lock(kAlice);
  REQUIRE(alice.acquire().has_value());
  f.server.lease.reset();
  auto renewed = alice.renew();
  REQUIRE_FALSE(renewed.has_value());
  CHECK(renewed.error().kind == LockError::Kind::Lost);
  CHECK(renewed.error().message.find("was deleted") != std::string::npos);
}

TEST_CASE("lease: refusals and silence are reported with the lease and what to do") {
  struct Case {
    const char* what;
    Response answer;
    std::vector<std::string> expected;
  };
  const Case cases[] = {
      {"forbidden",
       status_error(403, "Forbidden",
                    "leases.coordination.k8s.io \"claw-home\" is forbidden: User \"dev\" cannot get resource "
                    "\"leases\" in API group \"coordination.k8s.io\" in the namespace \"kube-system\""),
       {"the apply lock (Lease kube-system/claw-home): GET answered HTTP 403: leases.coordination.k8s.io",
        "cannot get resource", "needs get, create, update and delete on leases (coordination.k8s.io) in kube-system"}},
      {"no answer",
       Response{0, "", {}, "Failed to connect to 127.0.0.1 port 6443: Connection refused", 6},
       {"the apply lock (Lease kube-system/claw-home): GET got no answer: Failed to connect"}},
      {"not JSON", Response{200, "<html>proxy</html>", {}, "", 1}, {"GET answered HTTP 200"}},
  };
  for (const Case& c : cases) {
    CAPTURE(c.what);
    FakeTransport transport([&](const Request&) { return c.answer; });
    ApplyLock lock(transport, {"home", kAlice, chr::seconds(60), std::make_shared<FakeClock>(kT0)});
    auto got = lock.acquire();
    REQUIRE_FALSE(got.has_value());
    CHECK(got.error().kind == LockError::Kind::Failed);
    for (const std::string& part : c.expected) CHECK(got.error().message.find(part) != std::string::npos);
    CHECK(transport.requests().size() == 1);
  }
}

TEST_CASE("lease: against claw-sim, a second apply fails naming the first; after release it can go") {
  SimProcess sim;
  REQUIRE(sim.ok());
  auto first_transport = claw::cluster::CurlTransport::create(sim.endpoint());
  auto second_transport = claw::cluster::CurlTransport::create(sim.endpoint());
  REQUIRE(first_transport.has_value());
  REQUIRE(second_transport.has_value());
  ApplyLock first(**first_transport, {"home", kAlice, chr::seconds(60), nullptr});
  ApplyLock second(**second_transport, {"home", kBob, chr::seconds(60), nullptr});

  REQUIRE(first.acquire().has_value());
  auto refused = second.acquire();
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().kind == LockError::Kind::Held);
  CHECK(refused.error().message.starts_with("another claw apply is running: " + kAlice + ", since "));
  REQUIRE(first.renew().has_value());

  REQUIRE(first.release().has_value());
  CHECK((*first_transport)->perform(Request{"GET", kPath, "", "", true}).status == 404);
  REQUIRE(second.acquire().has_value());
  Response live = (*second_transport)->perform(Request{"GET", kPath, "", "", true});
  REQUIRE(live.status == 200);
  CHECK(Json::parse(live.body)["spec"]["holderIdentity"] == kBob);
  REQUIRE(second.release().has_value());
}

TEST_CASE("lease: against claw-sim, an expired lease is taken over and the old holder cannot delete it") {
  SimProcess sim;
  REQUIRE(sim.ok());
  auto transport = claw::cluster::CurlTransport::create(sim.endpoint());
  REQUIRE(transport.has_value());
  ApplyLock first(**transport, {"home", kAlice, chr::seconds(60), nullptr});
  REQUIRE(first.acquire().has_value());
  // The second apply's clock is past the first's expiry.
  auto later = std::make_shared<FakeClock>(chr::system_clock::now() + chr::seconds(61));
  ApplyLock second(**transport, {"home", kBob, chr::seconds(60), later});
  REQUIRE(second.acquire().has_value());

  auto released = first.release();
  REQUIRE_FALSE(released.has_value());
  CHECK(released.error().kind == LockError::Kind::Lost);
  Response live = (*transport)->perform(Request{"GET", kPath, "", "", true});
  REQUIRE(live.status == 200);
  Json lease = Json::parse(live.body);
  CHECK(lease["spec"]["holderIdentity"] == kBob);
  CHECK(lease["spec"]["leaseTransitions"] == 1);
  REQUIRE(second.release().has_value());
}
