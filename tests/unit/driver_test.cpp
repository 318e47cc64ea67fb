// The command line as a user meets it: exit codes, output streams, limits.
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <map>
#include <string>

#include "compiler/driver/cli.h"
#include "compiler/io/filesystem.h"
#include "compiler/io/output_mark.h"
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

Run run(const claw::io::FileSystem& fs, std::vector<std::string> args) {
  Run r{0, {}};
  r.code = claw::driver::run(args, fs, claw::driver::Environment{kStdlib}, r.console);
  return r;
}

/// How many files the memory holds under `prefix`.
size_t count_under(const claw::io::MemoryFileSystem& memory, const std::string& prefix) {
  size_t n = 0;
  for (const auto& [path, _] : memory.all()) n += path.starts_with(prefix);
  return n;
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

TEST_CASE("a usage error of `claw plan` exits 1: its 2 means changes") {
  TestFs fs;
  auto r = run(fs, {"plan", "--bogus"});
  CHECK(r.code == 1);
  CHECK(r.console.err.find("--bogus") != std::string::npos);
  CHECK(run(fs, {"plan", "--format", "xml"}).code == 1);
  CHECK(run(fs, {"apply", "--bogus"}).code == 2);
}

TEST_CASE("`claw help --help` is the program's help") {
  TestFs fs;
  auto r = run(fs, {"help", "--help"});
  CHECK(r.code == 0);
  CHECK(r.console.out.find("commands:") != std::string::npos);
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

TEST_CASE("build writes placement.json with the contract's fields") {
  TestFs fs;
  fs.memory.add("net.claw", std::string(kNet) + "service web { image = \"nginx:1.27\"; replicas = 2; needs { cpu = 250m } }\n");
  auto r = run(fs, {"build", "net.claw", "-o", "out"});
  CHECK(r.code == 0);
  CHECK(r.console.out.find("placement (2 replicas") != std::string::npos);
  auto text = fs.memory.read("out/placement.json");
  REQUIRE(text.has_value());
  auto j = nlohmann::json::parse(*text);
  REQUIRE(j["machines"].size() == 1);
  CHECK(j["machines"][0]["name"] == "box");
  CHECK(j["machines"][0]["allocatable"]["cpu_millis"] == 3880);  // 4 cores less the default 80m + 1%
  // 16GiB less the default 330MiB + 5% + 100MiB.
  CHECK(j["machines"][0]["allocatable"]["memory_bytes"] == (16LL << 30) - (430LL << 20) - 858993455);
  REQUIRE(j["placements"].size() == 2);
  for (int i = 0; i < 2; ++i) {
    const auto& p = j["placements"][i];
    CHECK(p["workload"] == "web");
    CHECK(p["kind"] == "service");
    CHECK(p["namespace"] == "default");
    CHECK(p["replica"] == i);
    CHECK(p["machine"] == "box");
    CHECK(p["gpus"].empty());
    CHECK(p["requests"]["cpu_millis"] == 250);
    CHECK(p["requests"]["memory_bytes"] == 128LL << 20);
    CHECK(p["requests"]["gpu_count"] == 0);
    CHECK(p["arch"] == nlohmann::json::array({"amd64", "arm64"}));
  }
}

TEST_CASE("build leaves the output folder alone when the program has errors") {
  TestFs fs;
  fs.memory.add("net.claw", std::string(kNet) + "service web { image = 1 }\n");
  fs.memory.add("out/earlier.txt", "from a previous build");
  auto r = run(fs, {"build", "net.claw", "-o", "out"});
  CHECK(r.code == 1);
  CHECK(fs.memory.read("out/earlier.txt").has_value());
  CHECK(!fs.memory.read("out/placement.json").has_value());
}

TEST_CASE("build replaces the whole output folder on success") {
  TestFs fs;
  fs.memory.add("net.claw", kNet);
  fs.memory.add("out/.claw-build", claw::io::format_mark({"stale.yaml"}));
  fs.memory.add("out/stale.yaml", "left over");
  CHECK(run(fs, {"build", "net.claw", "-o", "out"}).code == 0);
  CHECK(!fs.memory.read("out/stale.yaml").has_value());
  CHECK(fs.memory.read("out/placement.json").has_value());
  // The new mark lists exactly the files written.
  auto listed = claw::io::parse_mark(*fs.memory.read("out/.claw-build"));
  REQUIRE(listed.has_value());
  CHECK(listed->size() + 1 == count_under(fs.memory, "out/"));
  for (const auto& p : *listed) CHECK_MESSAGE(fs.memory.exists("out/" + p), p);
}

TEST_CASE("build says when the output folder was already up to date, and only then") {
  TestFs fs;
  fs.memory.add("net.claw", kNet);
  auto r = run(fs, {"build", "net.claw", "-o", "out"});
  CHECK(r.code == 0);
  CHECK(r.console.out.ends_with("\nwrote out/ (5 files)\n"));
  r = run(fs, {"build", "net.claw", "-o", "out"});
  CHECK(r.code == 0);
  CHECK(r.console.out.ends_with("\nalready up to date: out/ (5 files)\n"));
  // One file changed, one added by hand to a listed name, one removed: each is a write.
  fs.memory.add("out/placement.json", "{}");
  CHECK(run(fs, {"build", "net.claw", "-o", "out"}).console.out.ends_with("\nwrote out/ (5 files)\n"));
  CHECK(run(fs, {"build", "net.claw", "-o", "out"}).console.out.ends_with("\nalready up to date: out/ (5 files)\n"));
  fs.memory.add("net.claw", std::string(kNet) + "service other { image = \"nginx:1.27\" }\n");
  r = run(fs, {"build", "net.claw", "-o", "out"});
  CHECK(r.code == 0);
  CHECK(r.console.out.ends_with("\nwrote out/ (6 files)\n"));
  fs.memory.add("net.claw", kNet);
  CHECK(run(fs, {"build", "net.claw", "-o", "out"}).console.out.ends_with("\nwrote out/ (5 files)\n"));
}

TEST_CASE("build leaves alone an output folder it did not write, and a file") {
  TestFs fs;
  fs.memory.add("net.claw", kNet);
  // `-o .` or `-o infra`: the folder holds the program itself.
  auto r = run(fs, {"build", "net.claw", "-o", "."});
  CHECK(r.code == 1);
  CHECK(r.console.err ==
        "claw: error: cannot replace `.`: it holds `net.claw`, an input of this build; build into a folder outside the "
        "program, such as `out` beside it [output-failed]\n");
  CHECK(fs.memory.read("net.claw").has_value());
  CHECK(!fs.memory.read("placement.json").has_value());

  fs.memory.add("notes.txt", "mine");
  r = run(fs, {"build", "net.claw", "-o", "notes.txt"});
  CHECK(r.code == 1);
  CHECK(r.console.err ==
        "claw: error: cannot replace `notes.txt`: it is not a folder; claw build writes its output as a folder and "
        "leaves a file alone: name a new folder with `-o` [output-failed]\n");
  CHECK(*fs.memory.read("notes.txt") == "mine");
}

TEST_CASE("build output is the same bytes every time") {
  TestFs fs;
  fs.memory.add("net.claw", std::string(kNet) + "service a { image = \"a\"; replicas = 3 }\nservice b { image = \"b\" }\n");
  CHECK(run(fs, {"build", "net.claw", "-o", "one"}).code == 0);
  CHECK(run(fs, {"build", "net.claw", "-o", "two"}).code == 0);
  CHECK(*fs.memory.read("one/placement.json") == *fs.memory.read("two/placement.json"));
}

TEST_CASE("a failed write of the output tree is an error, not a partial tree") {
  struct RefusingFs final : claw::io::FileSystem {
    TestFs inner;
    std::expected<std::string, claw::io::ReadError> read_file(const std::string& p, size_t max) const override {
      return inner.read(p, max);
    }
    bool is_directory(const std::string& p) const override { return inner.is_directory(p); }
    bool exists(const std::string& p) const override { return inner.exists(p); }
    std::vector<std::string> claw_files(const std::string& d) const override { return inner.claw_files(d); }
    std::expected<void, std::string> write_file(const std::string& p, std::string_view text) const override {
      return inner.write_file(p, text);
    }
    std::unique_ptr<claw::io::TreeWriter> write_tree(const std::string& dir,
                                                     const std::vector<std::string>& = {}) const override {
      struct Refusing final : claw::io::TreeWriter {
        std::string dir;
        void put(std::string_view, std::string_view) override {}
        std::expected<claw::io::Committed, std::string> commit() override {
          return std::unexpected("cannot replace `" + dir + "`: Permission denied");
        }
      };
      auto w = std::make_unique<Refusing>();
      w->dir = dir;
      return w;
    }
  } fs;
  fs.inner.memory.add("net.claw", kNet);
  auto r = run(fs, {"build", "net.claw", "-o", "out"});
  CHECK(r.code == 1);
  CHECK(r.console.err == "claw: error: cannot replace `out`: Permission denied [output-failed]\n");
  CHECK(r.console.out.empty());
}

TEST_CASE("build refuses every output folder that holds something of the user's, and changes nothing") {
  const std::string marked = claw::io::format_mark({"placement.json", "secrets.json"});
  struct Case {
    const char* name;
    std::map<std::string, std::string> files;  // besides the program
    std::vector<std::string> args;
    const char* reason;  // a piece of the message
  };
  const Case cases[] = {
      {"the program's folder as -o", {}, {"build", "src", "-o", "src"}, "it holds `src`, an input of this build"},
      {"the program's folder with a slash", {}, {"build", "src", "-o", "src/"}, "cannot replace `src`"},
      {"-o . holding the program", {}, {"build", "src", "-o", "."}, "an input of this build"},
      {"-o . by default", {}, {"build", "-o", "."}, "cannot replace `.`"},
      {"a folder of user files", {{"docs/thesis.tex", "mine"}}, {"build", "src", "-o", "docs"},
       "such as `docs/thesis.tex`"},
      {"a committed placement.json", {{"docs/placement.json", "{}"}}, {"build", "src", "-o", "docs"},
       "it has no `.claw-build`"},
      {"an earlier output with a user file added",
       {{"out/.claw-build", marked}, {"out/placement.json", "{}"}, {"out/notes.md", "mine"}},
       {"build", "src", "-o", "out"}, "it holds `out/notes.md`, which claw build did not write"},
      {"a program inside the output folder built into it",
       {{"out/.claw-build", marked}, {"out/placement.json", "{}"}, {"out/prog/net.claw", kNet}},
       {"build", "out/prog", "-o", "out"}, "an input of this build"},
      {"-o naming an input file", {}, {"build", "src", "-o", "src/net.claw"}, "cannot replace `src/net.claw`"},
      {"an unreadable mark", {{"out/.claw-build", "from an older claw\n"}, {"out/placement.json", "{}"}},
       {"build", "src", "-o", "out"}, "is not one this claw build wrote"},
  };
  for (const auto& c : cases) {
    const std::string name = c.name;
    CAPTURE(name);
    TestFs fs;
    // The default input (no paths) is the current folder, which holds the program.
    fs.memory.add(c.args.size() == 3 ? "net.claw" : "src/net.claw", kNet);
    for (const auto& [path, text] : c.files) fs.memory.add(path, text);
    const std::map<std::string, std::string> before = fs.memory.all();
    auto r = run(fs, c.args);
    CHECK(r.code == 1);
    CHECK_MESSAGE(r.console.err.find(c.reason) != std::string::npos, r.console.err);
    CHECK(r.console.err.ends_with("[output-failed]\n"));
    CHECK(fs.memory.all() == before);  // not one file changed, added or removed
  }
}

TEST_CASE("the stdlib is an input too: an output folder holding it is refused") {
  TestFs fs;
  fs.memory.add("net.claw", kNet);
  for (const std::string& out : {kStdlib, kStdlib + "/..", kStdlib + "/"}) {
    auto r = run(fs, {"build", "net.claw", "-o", out});
    CHECK(r.code == 1);
    CHECK_MESSAGE(r.console.err.find("/core.claw`, an input of this build") != std::string::npos, r.console.err);
  }
  CHECK(fs.memory.all().size() == 1);  // nothing written
}

TEST_CASE("-o is normalised, and an empty one is an error before anything is built") {
  TestFs fs;
  fs.memory.add("net.claw", kNet);
  auto r = run(fs, {"build", "net.claw", "-o", "out/"});
  CHECK(r.code == 0);
  CHECK(r.console.out.ends_with("wrote out/ (5 files)\n"));
  CHECK(fs.memory.all().count("out/placement.json") == 1);
  for (const auto& [path, _] : fs.memory.all()) CHECK_MESSAGE(path.find("//") == std::string::npos, path);
  r = run(fs, {"build", "net.claw", "-o", "out///"});
  CHECK(r.code == 0);

  const auto before = fs.memory.all();
  r = run(fs, {"build", "net.claw", "-o", ""});
  CHECK(r.code == 1);
  CHECK(r.console.err == "claw: error: `-o` names no output folder (it is empty); name one, such as `-o out` [output-failed]\n");
  CHECK(r.console.out.empty());
  CHECK(fs.memory.all() == before);

  // `-o .` where the current folder is claw's output and the program is elsewhere.
  TestFs here;
  here.memory.add("/src/net.claw", kNet);
  r = run(here, {"build", "/src/net.claw", "-o", "elsewhere"});
  REQUIRE(r.code == 0);
  TestFs dot;
  dot.memory.add("/src/net.claw", kNet);
  for (const auto& [path, text] : here.memory.all())
    if (path.starts_with("elsewhere/")) dot.memory.add(path.substr(10), text);
  r = run(dot, {"build", "/src/net.claw", "-o", "."});
  CHECK_MESSAGE(r.code == 0, r.console.err);
  CHECK(dot.memory.exists("placement.json"));
  CHECK(dot.memory.exists("/src/net.claw"));
}
