// The stdlib contract: a stdlib edited out of step with the C++ code (a
// field renamed or retyped, an enum value dropped or added) is a
// `stdlib-contract` error at the stdlib's declaration, and the stdlib that
// ships with claw meets it.
#include <doctest/doctest.h>

#include <string>
#include <string_view>

#include "compiler/diag/render.h"
#include "compiler/io/filesystem.h"
#include "compiler/project/load.h"
#include "compiler/sema/check.h"
#include "tests/unit/claw_inputs.h"

namespace {

using namespace claw;

struct Result {
  std::string contract;  // the stdlib-contract diagnostics, rendered
  bool other_errors = false;
};

/// Checks an empty network against stdlib/core.claw with `from` replaced
/// by `to` (nothing replaced when `from` is empty).
Result check_with_stdlib(std::string_view from, std::string_view to) {
  std::string core = testing::read_file(testing::kRoot / "stdlib" / "core.claw");
  if (!from.empty()) {
    size_t at = core.find(from);
    REQUIRE_MESSAGE(at != std::string::npos, "the stdlib no longer has: " << from);
    core.replace(at, from.size(), to);
  }
  io::MemoryFileSystem fs;
  fs.add("std/core.claw", core);
  fs.add("net.claw", "");
  project::LoadOptions options;
  options.paths = {"net.claw"};
  options.stdlib_dir = "std";
  project::Project project = project::load(fs, options);
  REQUIRE(!project.fatal);
  sema::CheckResult checked = sema::check(project.program());
  Result out;
  for (const auto& d : checked.diags.all()) {
    if (d.kind == diag::Kind::StdlibContract) out.contract += diag::render_text(project.sources, d);
    else if (d.severity == diag::Severity::Error) out.other_errors = true;
  }
  return out;
}

TEST_CASE("stdlib contract: the shipped stdlib meets it") {
  Result r = check_with_stdlib("", "");
  CHECK(r.contract.empty());
  CHECK(!r.other_errors);
}

TEST_CASE("stdlib contract: an edited stdlib is reported at the edit") {
  struct Case {
    std::string_view name, from, to;
    std::string_view message;  // the error's message
    std::string_view where;    // the line of the stdlib it points at
  };
  const Case cases[] = {
      {"renamed field", "  protocol: protocol = TCP\n", "  proto: protocol = TCP\n",
       "error: stdlib type `port` has no field `protocol` [stdlib-contract]", "type port(port) {"},
      {"missing enum value", "enum protocol { TCP, UDP }", "enum protocol { TCP }",
       "error: stdlib enum `protocol` has no value `UDP` [stdlib-contract]", "enum protocol { TCP }"},
      {"extra enum value", "enum protocol { TCP, UDP }", "enum protocol { TCP, UDP, SCTP }",
       "error: stdlib enum `protocol` has a value `SCTP` that claw does not know [stdlib-contract]",
       "enum protocol { TCP, UDP, SCTP }"},
      {"renamed enum value", "enum restart-policy { OnFailure, Never }", "enum restart-policy { OnFailure, Nope }",
       "error: stdlib enum `restart-policy` has no value `Never` [stdlib-contract]",
       "enum restart-policy { OnFailure, Nope }"},
      {"value dropped from a pass-through enum", "enum pull-policy { Always, IfNotPresent, Never }",
       "enum pull-policy { Always, IfNotPresent }",
       "error: stdlib enum `pull-policy` has no value `Never` [stdlib-contract]", "enum pull-policy { Always, IfNotPresent }"},
      {"retyped field", "  restart: restart-policy = OnFailure\n", "  restart: string = \"OnFailure\"\n",
       "error: stdlib field `job.restart` is `string`, but claw reads it as enum `restart-policy` [stdlib-contract]",
       "restart: string = \"OnFailure\""},
      {"field of another enum", "  access: access-mode = ReadWriteMany\n", "  access: protocol = TCP\n",
       "error: stdlib field `export.access` is `protocol`, but claw reads it as enum `access-mode` [stdlib-contract]",
       "access: protocol = TCP"},
      {"list of another enum", "  arch: [arch] = [amd64, arm64]", "  arch: [os] = [linux]",
       "error: stdlib field `workload.arch` is `[os]`, but claw reads it as a list of enum `arch` [stdlib-contract]",
       "arch: [os] = [linux]"},
      {"renamed schema field", "  concurrency: concurrency-policy = Forbid\n", "",
       "error: stdlib type `cron` has no field `concurrency` [stdlib-contract]", "type cron : job {"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    Result r = check_with_stdlib(c.from, c.to);
    CAPTURE(r.contract);
    CHECK(r.contract.find(c.message) != std::string::npos);
    // The error names the stdlib file and shows the declaration at fault.
    CHECK(r.contract.starts_with("std/core.claw:"));
    CHECK(r.contract.find(c.where) != std::string::npos);
  }
}

}  // namespace
