// The command line as a user meets it: exit codes, output streams, limits.
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <string>

#include "compiler/driver/cli.h"
#include "compiler/io/filesystem.h"
#include "tests/unit/test_fs.h"

namespace {

const std::string kStdlib = claw::testing::stdlib_dir();
const char* kNet =
    "cluster home { k3s = \"v1.31.4+k3s1\"; server = box }\n"
    "machine box { os = linux; arch = amd64; cpu = 4; memory = 16GiB }\n";

using TestFs = claw::testing::TestFileSystem;

struct Run {
  int code;
  claw::driver::Console console;
};

Run run(const TestFs& fs, std::vector<std::string> args) {
  Run r{0, {}};
  r.code = claw::driver::run(args, fs, claw::driver::Environment{kStdlib}, r.console);
  return r;
}

size_t count(const std::string& s, const std::string& what) {
  size_t n = 0;
  for (size_t p = s.find(what); p != std::string::npos; p = s.find(what, p + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("a clean program prints nothing and exits 0") {
  TestFs fs;
  fs.memory.add("net.claw", kNet);
  auto r = run(fs, {"check", "net.claw"});
  CHECK(r.code == 0);
  CHECK(r.console.out.empty());
  CHECK(r.console.err.empty());
}

TEST_CASE("usage errors exit 2") {
  TestFs fs;
  CHECK(run(fs, {}).code == 2);
  CHECK(run(fs, {"frobnicate"}).code == 2);
  auto r = run(fs, {"check", "--format", "xml", "net.claw"});
  CHECK(r.code == 2);
  CHECK(r.console.err.find("--format") != std::string::npos);
}

TEST_CASE("past 200 diagnostics the rest are counted, not printed") {
  TestFs fs;
  std::string text = kNet;
  for (int i = 0; i < 250; ++i) text += "service s" + std::to_string(i) + " { imgae = \"x\" }\n";
  fs.memory.add("net.claw", text);
  auto r = run(fs, {"check", "net.claw"});
  CHECK(r.code == 1);
  // One error per service: the misspelt field (the missing `image` it
  // explains is not reported again).
  CHECK(count(r.console.err, "[unknown-field]") == 200);
  CHECK(count(r.console.err, "[missing-field]") == 0);
  CHECK(r.console.err.find("50 more not shown [too-many-errors]") != std::string::npos);
  CHECK(r.console.err.find("250 errors") != std::string::npos);
}

TEST_CASE("--format json prints every diagnostic as an object on stdout") {
  TestFs fs;
  fs.memory.add("net.claw", std::string(kNet) + "service web { image = \"nginx\"; replicas = -1 }\n");
  auto r = run(fs, {"check", "--format", "json", "net.claw"});
  CHECK(r.code == 1);
  CHECK(r.console.err.empty());
  auto j = nlohmann::json::parse(r.console.out);
  REQUIRE(j.is_array());
  REQUIRE(j.size() == 1);
  CHECK(j[0]["code"] == "out-of-range");
  CHECK(j[0]["severity"] == "error");
  CHECK(j[0]["file"] == "net.claw");
  CHECK(j[0]["line"] == 3);
  CHECK(j[0]["column"] == 43);  // the `-` of -1
  CHECK(j[0]["end_column"] == 45);
  CHECK(j[0]["hints"].size() == 1);
}

TEST_CASE("warnings pass unless --werror") {
  TestFs fs;
  fs.memory.add("net.claw", std::string(kNet) + "template unused() service { image = \"x\" }\n");
  CHECK(run(fs, {"check", "net.claw"}).code == 0);
  CHECK(run(fs, {"check", "--werror", "net.claw"}).code == 1);
}

TEST_CASE("diagnostics do not depend on the order files are found in") {
  TestFs a, b;
  std::string one = std::string(kNet) + "service x { image = 1 }\n";
  std::string two = "service y { image = \"y\"; replicas = 9999 }\n";
  a.memory.add("net/a.claw", one);
  a.memory.add("net/b.claw", two);
  b.memory.add("net/b.claw", two);
  b.memory.add("net/a.claw", one);
  auto ra = run(a, {"check", "net"});
  auto rb = run(b, {"check", "net"});
  CHECK(ra.code == 1);
  CHECK(ra.console.err == rb.console.err);
  // And one parser thread gives the same result as several.
  auto rj = run(a, {"check", "-j", "1", "net"});
  CHECK(rj.console.err == ra.console.err);
}

TEST_CASE("--timings reports every phase") {
  TestFs fs;
  fs.memory.add("net.claw", kNet);
  auto r = run(fs, {"check", "--timings", "net.claw"});
  CHECK(r.code == 0);
  for (const char* key : {"files=1 ", "lex_ms=", "parse_ms=", "build_ms=", "check_ms=", "total_ms="})
    CHECK_MESSAGE(r.console.err.find(key) != std::string::npos, key);
}
