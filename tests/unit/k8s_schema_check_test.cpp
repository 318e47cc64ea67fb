// Values of core kinds' fields and of patches against the official
// Kubernetes schema: for each schema type (string, integer, boolean,
// int-or-string, quantity, map, list, object), values it takes and values it
// refuses, each in a whole program checked by `claw check`. A refused value
// fails with exactly one diagnostic of the expected code; a taken one passes
// clean. The types were read from the Kubernetes API reference (ServiceSpec,
// ServicePort, ResourceRequirements, PodSpec).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "compiler/driver/cli.h"
#include "tests/unit/test_fs.h"

namespace {

const std::string kNet =
    "cluster home { k3s = \"v1.31.4+k3s1\"; server = box }\n"
    "machine box { os = linux; arch = amd64; cpu = 8; memory = 32GiB }\n";

struct Case {
  std::string where;  // a program with `@` for the members under test
  std::string members;
  std::string code;  // "" when the program must check clean
};

struct Run {
  int code;
  std::string err;
};

Run check(const std::string& program) {
  claw::testing::TestFileSystem fs;
  fs.memory.add("net.claw", program);
  claw::driver::Console console;
  int code = claw::driver::run({"check", "net.claw"}, fs, claw::driver::Environment{claw::testing::stdlib_dir()}, console);
  return {code, console.err};
}

size_t count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t p = text.find(what); p != std::string::npos; p = text.find(what, p + 1)) ++n;
  return n;
}

TEST_CASE("schema types take their values and refuse the others") {
  const std::string service = "resource s { api = \"v1\"; kind = \"Service\"; spec { @ } }\n";
  const std::string limits = "service w { image = \"a:1\"; patch.container.resources.limits { @ } }\n";
  const std::string pod = "service w { image = \"a:1\"; patch.pod { @ } }\n";
  const std::string map = "resource c { api = \"v1\"; kind = \"ConfigMap\"; @ }\n";
  const Case cases[] = {
      // string
      {service, "type = \"NodePort\"", ""},
      {service, "type = 3", "type-mismatch"},
      {service, "type = Nodeport", "unknown-name"},
      {service, "type = NodePort", "type-mismatch"},  // claw's own enum value, not text
      // integer
      {service, "ports = [{ port = 80 }]", ""},
      {service, "ports = [{ port = \"80\" }]", "type-mismatch"},
      {service, "ports = [{ port = 1.5 }]", "type-mismatch"},
      {pod, "terminationGracePeriodSeconds = 30", ""},
      {pod, "terminationGracePeriodSeconds = 30s", "type-mismatch"},
      // boolean
      {service, "publishNotReadyAddresses = true", ""},
      {service, "publishNotReadyAddresses = \"true\"", "type-mismatch"},
      // int-or-string
      {service, "ports = [{ port = 80; targetPort = 8080 }]", ""},
      {service, "ports = [{ port = 80; targetPort = \"http\" }]", ""},
      {service, "ports = [{ port = 80; targetPort = true }]", "type-mismatch"},
      // quantity
      {limits, "cpu = 2", ""},
      {limits, "cpu = 500m", ""},
      {limits, "memory = \"1Gi\"", ""},
      {limits, "memory = \"1.5e9\"", ""},
      {limits, "cpu = \"+2.5\"", ""},
      {limits, "memory = 1GiB", "type-mismatch"},  // kept as written in an open value: `1GiB`, no Kubernetes quantity
      {limits, "memory = \"1 Gi\"", "type-mismatch"},
      {limits, "memory = \"Gi\"", "type-mismatch"},
      {limits, "memory = \"1e\"", "type-mismatch"},
      {limits, "cpu = \"500m\"", ""},
      {limits, "cpu = true", "type-mismatch"},
      {limits, "cpu = 30s", "type-mismatch"},
      // map of strings
      {service, "selector = { app = \"web\" }", ""},
      {service, "selector = { app = 1 }", "type-mismatch"},
      {service, "selector = [\"web\"]", "type-mismatch"},
      {map, "data { a = \"1\"; \"b.conf\" = \"x\" }", ""},
      {map, "binaryData = \"x\"", "type-mismatch"},
      // list of strings
      {service, "clusterIPs = [\"10.43.0.10\"]", ""},
      {service, "clusterIPs = \"10.43.0.10\"", "type-mismatch"},
      {service, "clusterIPs = [1]", "type-mismatch"},
      // object, and a list item's required fields
      {service, "sessionAffinityConfig.clientIP.timeoutSeconds = 60", ""},
      {service, "sessionAffinityConfig = \"ClientIP\"", "type-mismatch"},
      {service, "ports = [{ name = \"http\" }]", "missing-field"},
      {pod, "dnsConfig.options = [{ name = \"ndots\" }]", ""},
      {pod, "dnsConfig.option = [{ name = \"ndots\" }]", "unknown-field"},
      // a block merged into claw's object needs no required field
      {pod, "securityContext.seccompProfile.localhostProfile = \"p.json\"", ""},
      {"service w { image = \"a:1\"; patch.object.spec.strategy.rollingUpdate.maxSurge = \"50%\" }\n", "", ""},
  };
  for (const auto& c : cases) {
    std::string program = c.where;
    if (auto at = program.find('@'); at != std::string::npos) program.replace(at, 1, c.members);
    CAPTURE(program);
    Run r = check(kNet + program);
    CAPTURE(r.err);
    if (c.code.empty()) {
      CHECK(r.code == 0);
      CHECK(r.err.empty());
    } else {
      CHECK(r.code == 1);
      CHECK(count(r.err, "[" + c.code + "]") == 1);
      CHECK(count(r.err, ": error: ") == 1);
    }
  }
}

}  // namespace
