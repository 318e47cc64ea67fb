// Golden tests: each file under tests/golden/ is one case in a txtar-like
// format: a comment, then `-- NAME --` sections. `args` holds the command
// line, `stdout`, `stderr` and `exit` hold what claw must print and return,
// and every other section is an input file.
// CLAW_UPDATE_GOLDEN=1 rewrites the expected sections from what claw does;
// review the diff like code.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include "compiler/diag/diagnostic.h"
#include "compiler/driver/cli.h"
#include "tests/unit/golden_case.h"
#include "tests/unit/test_fs.h"

namespace {

namespace fs = std::filesystem;
using claw::testing::GoldenCase;

std::vector<std::string> split_args(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

std::vector<fs::path> golden_files() {
  std::vector<fs::path> out;
  for (auto& e : fs::recursive_directory_iterator(fs::path(CLAW_SOURCE_DIR) / "tests" / "golden"))
    if (e.path().extension() == ".txtar") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

struct Outcome {
  std::string out, err;
  int exit;
};

Outcome run_case(const GoldenCase& c) {
  std::string stdlib = claw::testing::stdlib_dir();
  claw::testing::TestFileSystem gfs;
  // Every section but the command and the expectations is an input file.
  for (const auto& [name, text] : c.sections)
    if (name != "args" && name != "stdout" && name != "stderr" && name != "exit") gfs.memory.add(name, text);
  claw::driver::Console console;
  int code = claw::driver::run(split_args(c.section("args")), gfs, claw::driver::Environment{stdlib}, console);
  return Outcome{console.out, console.err, code};
}

}  // namespace

TEST_CASE("golden cases") {
  auto files = golden_files();
  CHECK(files.size() >= 40);
  bool update = std::getenv("CLAW_UPDATE_GOLDEN") != nullptr;
  for (const auto& path : files) {
    CAPTURE(path.string());
    GoldenCase c = GoldenCase::read(path.string());
    REQUIRE_MESSAGE(c.has("args"), "a golden case needs an `args` section");
    Outcome got = run_case(c);
    if (update) {
      c.set("stdout", got.out, /*keep_if_empty=*/false);
      c.set("stderr", got.err, false);
      c.set("exit", std::to_string(got.exit) + "\n", true);
      c.write(path.string());
      continue;
    }
    CHECK(got.out == c.section("stdout"));
    CHECK(got.err == c.section("stderr"));
    CHECK(std::to_string(got.exit) + "\n" == c.section("exit"));
    // A fail_ case must fail; any other case must pass.
    bool fail = path.filename().string().starts_with("fail_");
    bool failed = got.exit != 0;
    CHECK(failed == fail);
  }
}

// The emitters over every program the goldens hold: each case that checks
// clean also builds, and every file it writes reads back (YAML through
// yaml-cpp, JSON through nlohmann) — many small, odd programs beside the
// examples' whole-tree goldens. Under the sanitizer build this is also the
// emitters' crash test.
TEST_CASE("every golden program that checks clean builds, and its output reads back") {
  size_t built = 0;
  for (const auto& path : golden_files()) {
    GoldenCase c = GoldenCase::read(path.string());
    auto args = split_args(c.section("args"));
    if (args.empty() || args[0] != "check" || c.section("exit") != "0\n") continue;
    CAPTURE(path.string());
    claw::testing::TestFileSystem gfs;
    for (const auto& [name, text] : c.sections)
      if (name != "args" && name != "stdout" && name != "stderr" && name != "exit") gfs.memory.add(name, text);
    std::vector<std::string> build = {"build"};
    for (size_t i = 1; i < args.size(); ++i)
      if (!args[i].starts_with("-")) build.push_back(args[i]);
    build.insert(build.end(), {"-o", "out"});
    claw::driver::Console console;
    int code = claw::driver::run(build, gfs, claw::driver::Environment{claw::testing::stdlib_dir()}, console);
    REQUIRE_MESSAGE(code == 0, console.err);
    ++built;
    size_t outputs = 0;
    for (const auto& [file, text] : gfs.memory.all()) {
      if (!file.starts_with("out/")) continue;
      CAPTURE(file);
      ++outputs;
      if (file.ends_with(".yaml")) CHECK_NOTHROW((void)YAML::LoadAll(text));
      else if (file.ends_with(".json")) CHECK(nlohmann::json::accept(text));
      else if (file == "out/.claw-build") CHECK(claw::io::parse_mark(text).has_value());
      else if (file.ends_with(".html")) CHECK(text.starts_with("<!DOCTYPE html>\n"));
      else CHECK(file.ends_with(".sh"));
    }
    CHECK(outputs >= 2);  // placement.json and secrets.json at the least
  }
  CHECK(built >= 15);  // 16 clean programs when this was written
}

// Kinds that only arise from the environment rather than from program text
// (unreadable or oversized files, bytes that are not text) are exercised by
// the named unit tests instead; everything else needs a golden case.
TEST_CASE("every diagnostic kind is exercised") {
  const std::set<std::string> by_unit_tests = {
      "file-too-large",   // robustness_test.cpp
      "file-binary",      // robustness_test.cpp
      "file-not-utf8",    // robustness_test.cpp
      "too-many-errors",  // driver_test.cpp
      "output-failed",    // driver_test.cpp (a filesystem that refuses the write)
      "secret-source",    // tests/runtime/e2e/plan_apply.py, case secrets (an unset variable at plan time)
      "stdlib-contract",  // stdlib_contract_test.cpp (a stdlib edited out of step with claw)
  };
  std::string all;
  for (const auto& path : golden_files()) {
    GoldenCase c = GoldenCase::read(path.string());
    all += c.section("stderr") + c.section("stdout");
  }
  for (size_t k = 0; k < claw::diag::kind_count(); ++k) {
    std::string code(claw::diag::kind_code(static_cast<claw::diag::Kind>(k)));
    if (by_unit_tests.count(code)) continue;
    CAPTURE(code);
    bool covered = all.find("[" + code + "]") != std::string::npos || all.find("\"" + code + "\"") != std::string::npos;
    CHECK_MESSAGE(covered, "no golden case under tests/golden/ produces this diagnostic kind");
  }
}
