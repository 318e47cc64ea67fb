// Kubernetes protobuf request bodies. The captured bodies in tests/sim/protobuf/*.hex are the bytes
// kubectl 1.32 POSTed for the command on their first line; the expected *.json next to them is what the
// same command prints with --dry-run=client -o json (kubectl's own JSON encoding of the same object),
// without the `creationTimestamp: null` a zero metav1.Time marshals to. `auth can-i`, `create token` and
// `auth whoami` have no --dry-run: their expected JSON is written from the Go types' JSON tags.
#include "runtime/sim/proto_values.h"
#include "runtime/sim/protobuf.h"

#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>

using namespace claw::sim;

namespace {

const Registry& registry() {
  static const Registry r = Registry::builtin();
  return r;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string data_path(const std::string& name) { return std::string(CLAW_SOURCE_DIR) + "/tests/sim/protobuf/" + name; }

// The bytes of a .hex file (lines starting with '#' are comments).
std::string read_hex(const std::string& name) {
  std::istringstream lines(read_text(data_path(name)));
  std::string line, bytes;
  while (std::getline(lines, line)) {
    if (line.starts_with("#")) continue;
    for (std::size_t i = 0; i + 1 < line.size(); i += 2) bytes += static_cast<char>(std::stoi(line.substr(i, 2), nullptr, 16));
  }
  return bytes;
}

// A tiny protobuf writer for hand-made bodies.
std::string varint(std::uint64_t value) {
  std::string out;
  while (value >= 0x80) {
    out += static_cast<char>((value & 0x7f) | 0x80);
    value >>= 7;
  }
  return out + static_cast<char>(value);
}
std::string num(std::uint32_t field, std::uint64_t value) { return varint(field << 3) + varint(value); }
std::string len(std::uint32_t field, const std::string& bytes) { return varint((field << 3) | 2) + varint(bytes.size()) + bytes; }
std::string entry(const std::string& key, const std::string& value) { return len(1, key) + len(2, value); }

// "k8s\0" + runtime.Unknown{typeMeta{apiVersion, kind}, raw}.
std::string body(const std::string& api_version, const std::string& kind, const std::string& raw) {
  return std::string("k8s\0", 4) + len(1, len(1, api_version) + len(2, kind)) + len(2, raw);
}

Json decoded(const std::string& bytes) {
  auto result = decode_kubernetes_protobuf(bytes, registry());
  REQUIRE_MESSAGE(result.has_value(), result.error());
  return *result;
}

}  // namespace

TEST_CASE("protobuf: the bodies kubectl 1.32's create commands send decode to the object they mean") {
  for (std::string name :
       {"namespace", "configmap", "secret", "dockerregistry", "serviceaccount", "deployment", "deployment0", "service",
        "nodeport", "externalname", "job", "cronjob", "role", "rolebinding", "clusterrole", "ingress", "pdb",
        "priorityclass", "quota", "cani", "token", "whoami"}) {
    CAPTURE(name);
    auto expected = Json::parse(read_text(data_path(name + ".json")));
    CHECK(decoded(read_hex(name + ".hex")) == expected);
  }
}

TEST_CASE("protobuf: zero values follow Go's JSON tags: omitempty drops them, pointers and plain tags keep them") {
  auto meta = len(1, len(1, "x"));
  struct Case {
    std::string api_version, kind, raw;
    Json expected;
  };
  const Case cases[] = {
      // ServiceAccount.automountServiceAccountToken is a *bool: false is a choice.
      {"v1", "ServiceAccount", meta + num(4, 0),
       {{"apiVersion", "v1"}, {"kind", "ServiceAccount"}, {"metadata", {{"name", "x"}}},
        {"automountServiceAccountToken", false}}},
      // ConfigMap.immutable *bool true; binaryData is map<string, bytes>: base64.
      {"v1", "ConfigMap", meta + len(3, entry("bin", std::string("\x00\xff", 2))) + num(4, 1),
       {{"apiVersion", "v1"}, {"kind", "ConfigMap"}, {"metadata", {{"name", "x"}}},
        {"binaryData", {{"bin", "AP8="}}}, {"immutable", true}}},
      // ControllerRevision.revision is `json:"revision"` (no omitempty): 0 stays; RawExtension is JSON.
      {"apps/v1", "ControllerRevision", meta + len(2, len(1, R"({"spec":{"a":1}})")) + num(3, 0),
       {{"apiVersion", "apps/v1"}, {"kind", "ControllerRevision"}, {"metadata", {{"name", "x"}}},
        {"data", {{"spec", {{"a", 1}}}}}, {"revision", 0}}},
      // Event.count is `json:"count,omitempty"`: 0 goes; a zero Time is null and goes; 7 stays.
      {"v1", "Event", meta + num(8, 0) + len(6, "") + len(3, "Started"),
       {{"apiVersion", "v1"}, {"kind", "Event"}, {"metadata", {{"name", "x"}}}, {"reason", "Started"}}},
      // policy/v1 Eviction, the body of the pods/eviction subresource (kubectl drain):
      // DeleteOptions.gracePeriodSeconds is a *int64, so 0 (delete now) stays.
      {"policy/v1", "Eviction", len(1, len(1, "p") + len(3, "team")) + len(2, num(1, 0) + len(4, "Foreground")),
       {{"apiVersion", "policy/v1"}, {"kind", "Eviction"}, {"metadata", {{"name", "p"}, {"namespace", "team"}}},
        {"deleteOptions", {{"gracePeriodSeconds", 0}, {"propagationPolicy", "Foreground"}}}}},
      // ObjectMeta.generation int64 omitempty (0 dropped, 7 kept), deletionGracePeriodSeconds *int64 0 kept.
      {"v1", "Namespace", len(1, len(1, "x") + num(7, 0) + num(10, 0) + num(7, 7)),
       {{"apiVersion", "v1"}, {"kind", "Namespace"},
        {"metadata", {{"name", "x"}, {"generation", 7}, {"deletionGracePeriodSeconds", 0}}}}},
  };
  for (const auto& c : cases) {
    CAPTURE(c.kind);
    CHECK(decoded(body(c.api_version, c.kind, c.raw)) == c.expected);
  }
}

TEST_CASE("protobuf: apimachinery's hand-written messages decode to their JSON forms") {
  // Time{seconds = 1, nanos = 2}: RFC 3339 in UTC, seconds only (time_proto.go drops nanos).
  auto time = [](std::int64_t s, std::int64_t n) { return num(1, static_cast<std::uint64_t>(s)) + num(2, static_cast<std::uint64_t>(n)); };
  auto event = decoded(body("v1", "Event",
                            len(1, len(1, "e")) + len(6, time(1700000000, 999999999)) + len(7, time(0, 0)) +
                                len(10, time(1700000000, 123456789))));
  CHECK(event["firstTimestamp"] == "2023-11-14T22:13:20Z");
  CHECK(event["lastTimestamp"] == "1970-01-01T00:00:00Z");  // explicit zero seconds is the epoch, not the zero time
  CHECK(event["eventTime"] == "2023-11-14T22:13:20.123456Z");  // MicroTime: microseconds

  // IntOrString{type = 1 (string), strVal = 3}; Quantity{string = 1}; FieldsV1{Raw = 1}.
  auto service = decoded(body("v1", "Service", len(2, len(1, num(3, 80) + len(4, num(1, 1) + len(3, "http"))))));
  CHECK(service["spec"]["ports"] == Json::parse(R"([{"port":80,"targetPort":"http"}])"));
  auto quota = decoded(body("v1", "ResourceQuota",
                            len(2, len(1, entry("cpu", len(1, "500m"))) + len(1, entry("pods", "")))));
  CHECK(quota["spec"]["hard"] == Json::parse(R"({"cpu":"500m","pods":"0"})"));
  auto managed = decoded(body("v1", "Namespace",
                              len(1, len(17, len(1, "kubectl") + len(6, "FieldsV1") + len(7, len(1, R"({"f:x":{}})"))))));
  CHECK(managed["metadata"]["managedFields"] ==
        Json::parse(R"([{"manager":"kubectl","fieldsType":"FieldsV1","fieldsV1":{"f:x":{}}}])"));
}

TEST_CASE("protobuf: unknown fields are skipped, repeated fields accumulate, negative int32 round-trips") {
  auto raw = len(1, len(1, "x") + len(14, "a") + len(14, "b") + len(99, "junk") + num(98, 5)) + len(2, len(1, "kubernetes"));
  auto ns = decoded(body("v1", "Namespace", raw));
  CHECK(ns == Json::parse(R"({"apiVersion":"v1","kind":"Namespace","metadata":{"name":"x","finalizers":["a","b"]},
                              "spec":{"finalizers":["kubernetes"]}})"));
  auto lease = decoded(body("coordination.k8s.io/v1", "Lease", len(2, num(2, static_cast<std::uint64_t>(-1)))));
  CHECK(lease["spec"]["leaseDurationSeconds"] == -1);
}

TEST_CASE("protobuf: hostile or foreign bodies are a message, never a crash") {
  auto good = body("v1", "Namespace", len(1, len(1, "x")));
  struct Case {
    const char* what;
    std::string bytes;
  };
  const Case cases[] = {
      {"empty body", ""},
      {"JSON instead of protobuf", R"({"kind":"Namespace"})"},
      {"truncated varint", std::string("k8s\0", 4) + "\x0a\x80"},
      {"length beyond the buffer", std::string("k8s\0", 4) + "\x12\x7f\x0a"},
      {"body cut in half", good.substr(0, good.size() / 2)},
      {"varint longer than 10 bytes", std::string("k8s\0", 4) + std::string(11, '\xff')},
      {"group wire type", std::string("k8s\0", 4) + "\x0b"},
      {"field number 0", std::string("k8s\0", 4) + "\x02\x00"},
      {"no kind", std::string("k8s\0", 4) + len(2, "")},
      {"unknown kind", body("v1", "Frobnicator", "")},
      {"unknown version", body("apps/v9", "Deployment", "")},
      {"a k3s CRD kind", body("helm.cattle.io/v1", "HelmChart", "")},
      {"string field sent as varint", body("v1", "Namespace", len(1, num(1, 5)))},
      {"message field sent as varint", body("v1", "Namespace", num(1, 5))},
      {"nested length beyond its parent", body("v1", "Namespace", std::string("\x0a\x05\x0a\x09", 4) + "x")},
      {"RawExtension that is not JSON", body("apps/v1", "ControllerRevision", len(2, len(1, "{nope")))},
      {"Time beyond year 9999", body("v1", "Event", len(6, num(1, 1ULL << 40)))},
  };
  for (const auto& c : cases) {
    CAPTURE(c.what);
    auto result = decode_kubernetes_protobuf(c.bytes, registry());
    CHECK_FALSE(result.has_value());
    if (!result) CHECK_FALSE(result.error().empty());
  }
  auto invalid_utf8 = decoded(body("v1", "Namespace", len(1, len(1, "a\xff"))));
  CHECK(invalid_utf8["metadata"]["name"] == "a\xef\xbf\xbd");  // Go's JSON writes U+FFFD
}

TEST_CASE("protobuf: every truncation and byte change of a captured body decodes or fails cleanly") {
  for (std::string name : {"deployment", "service", "secret", "ingress"}) {
    CAPTURE(name);
    auto original = read_hex(name + ".hex");
    std::size_t decoded_count = 0;
    auto try_body = [&](const std::string& bytes) {
      auto result = decode_kubernetes_protobuf(bytes, registry());
      if (result) {
        ++decoded_count;
        CHECK_NOTHROW((void)result->dump());  // strings are valid UTF-8
      } else {
        CHECK_FALSE(result.error().empty());
      }
    };
    for (std::size_t cut = 0; cut < original.size(); ++cut) try_body(original.substr(0, cut));
    for (std::size_t i = 4; i < original.size(); ++i)
      for (unsigned char value : {0x00, 0x7f, 0x80, 0xff}) {
        auto changed = original;
        changed[i] = static_cast<char>(value);
        try_body(changed);
      }
    CHECK(decoded_count > 0);
  }
}

TEST_CASE("protobuf: Go duration strings") {
  struct Case {
    std::int64_t nanos;
    const char* text;
  };
  // Expected values from Go's time/time_test.go durationTests.
  const Case cases[] = {{0, "0s"},
                        {1, "1ns"},
                        {1100, "1.1\u00b5s"},
                        {2200000, "2.2ms"},
                        {3300000000, "3.3s"},
                        {4 * 60'000'000'000LL + 5'000'000'000LL, "4m5s"},
                        {4 * 60'000'000'000LL + 5'001'000'000LL, "4m5.001s"},
                        {5 * 3'600'000'000'000LL + 6 * 60'000'000'000LL + 7'001'000'000LL, "5h6m7.001s"},
                        {8 * 60'000'000'000LL + 1, "8m0.000000001s"},
                        {-1, "-1ns"},
                        {INT64_MAX, "2562047h47m16.854775807s"},
                        {INT64_MIN, "-2562047h47m16.854775808s"}};
  for (const auto& c : cases) {
    CAPTURE(c.nanos);
    CHECK(proto::go_duration_string(c.nanos) == c.text);
  }
}

TEST_CASE("protobuf: base64 as Go's encoding/json writes []byte") {
  const std::pair<std::string, std::string> cases[] = {
      {"", ""}, {"f", "Zg=="}, {"fo", "Zm8="}, {"foo", "Zm9v"}, {"foob", "Zm9vYg=="}, {"\xff\xfe", "//4="}};
  for (const auto& [in, out] : cases) CHECK(proto::base64_encode(in) == out);
}
