// Calls of the builtin functions (sema/handle_call.cpp): what each builds,
// and the errors for an unknown function or arguments that do not fit.
#include <doctest/doctest.h>

#include <string>
#include <string_view>
#include <vector>

#include "compiler/diag/render.h"
#include "compiler/io/filesystem.h"
#include "compiler/project/load.h"
#include "compiler/sema/builtin_functions.h"
#include "compiler/sema/check.h"
#include "tests/unit/claw_inputs.h"

namespace {

using namespace claw;

constexpr std::string_view kNetwork = R"(cluster home { k3s = "v1.31.4+k3s1"; server = box }
machine box { os = linux; arch = amd64; cpu = 4; memory = 16GiB }
secret db-pass { from = env("DB_PASS"); namespace = "default" }
)";

struct Checked {
  std::string diags;  // every diagnostic, rendered
  sema::Model model;
};

Checked check(std::string_view workload) {
  io::MemoryFileSystem fs;
  fs.add("std/core.claw", testing::read_file(testing::kRoot / "stdlib" / "core.claw"));
  fs.add("net.claw", std::string(kNetwork) + std::string(workload) + "\n");
  project::LoadOptions options;
  options.paths = {"net.claw"};
  options.stdlib_dir = "std";
  project::Project project = project::load(fs, options);
  REQUIRE(!project.fatal);
  sema::CheckResult result = sema::check(project.program());
  Checked out;
  for (const auto& d : result.diags.all()) out.diags += diag::render_text(project.sources, d);
  out.model = std::move(result.model);
  return out;
}

TEST_CASE("handle_call: the builtin functions, in the documented order") {
  std::vector<std::string_view> names;
  for (const auto& f : sema::builtin_functions()) {
    names.push_back(f.name);
    CHECK(f.signature.starts_with(std::string(f.name) + "("));
  }
  CHECK(names == std::vector<std::string_view>{"tcp", "http", "grpc", "exec", "secret", "env", "file"});
}

TEST_CASE("handle_call: a call that does not fit is reported") {
  struct Case {
    std::string_view workload, message, hint;
  };
  const Case cases[] = {
      {R"(service a { image = "a:1"; health = htp("/", 80) })", "error: unknown function `htp` [unknown-function]",
       "hint: did you mean `http`?"},
      {R"(service a { image = "a:1"; health = probe(80) })", "error: unknown function `probe` [unknown-function]",
       "hint: the functions are tcp, http, grpc, exec, secret, env and file"},
      {R"(service a { image = "a:1"; health = http("/healthz") })",
       "error: `http` takes two arguments: the path and the port, e.g. http(\"/healthz\", 8080) [bad-arguments]", ""},
      {R"(service a { image = "a:1"; health = exec() })",
       "error: `exec` takes the command, e.g. exec([\"redis-cli\", \"ping\"]) [bad-arguments]", ""},
      {R"(service a { image = "a:1"; health = grpc(port = 9000) })", "error: `grpc` takes no named arguments [bad-arguments]",
       ""},
      {R"(service a { image = "a:1"; env.P = secret(db-pas) })", "error: no secret named `db-pas` is declared",
       "hint: did you mean `db-pass`?"},
      {R"(service a { image = "a:1"; env.P = secret(1) })", "error: `secret` takes the name of a declared secret", ""},
      {R"(secret b { from = file("/a", "/b") })", "error: `file` takes one argument: the file's path [bad-arguments]", ""},
  };
  for (const Case& c : cases) {
    CAPTURE(c.workload);
    Checked r = check(c.workload);
    CAPTURE(r.diags);
    CHECK(r.diags.find(c.message) != std::string::npos);
    CHECK(r.diags.find(c.hint) != std::string::npos);
  }
}

TEST_CASE("handle_call: probes built by tcp, http, grpc and exec") {
  Checked r = check(R"(service a { image = "a:1"; port web = 8080; health = http("/healthz", 8080); ready = exec("true", "x") }
service b { image = "b:1"; port api = 9000; health = grpc(9000); ready = tcp(9000) })");
  REQUIRE(r.diags.find("error") == std::string::npos);
  REQUIRE(r.model.workloads.size() == 2);
  const sema::Workload& a = r.model.workloads[0];
  const sema::Workload& b = r.model.workloads[1];
  REQUIRE((a.health && a.ready && b.health && b.ready));
  CHECK(a.health->kind == sema::ProbeKind::Http);
  CHECK(a.health->path == "/healthz");
  CHECK(a.health->port == 8080);
  CHECK(a.ready->kind == sema::ProbeKind::Exec);
  CHECK(a.ready->command == std::vector<std::string>{"true", "x"});
  CHECK(b.health->kind == sema::ProbeKind::Grpc);
  CHECK(b.health->port == 9000);
  CHECK(b.ready->kind == sema::ProbeKind::Tcp);
  CHECK(b.ready->port == 9000);
}

}  // namespace
