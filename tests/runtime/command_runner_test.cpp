// The real CommandRunner spawns processes: a /bin/sh script as an exec
// credential plugin would be run.
#include "runtime/cluster/command_runner.h"

#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>


using claw::cluster::Command;
using claw::cluster::ProcessRunner;

namespace {

// A fresh folder under the system's temporary folder, removed at the end.
struct TempDir {
  std::string path;
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "claw-runner-XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    path = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  std::string write(const std::string& name, const std::string& text, bool executable = false) const {
    const std::string file = path + "/" + name;
    std::ofstream(file) << text;
    if (executable) ::chmod(file.c_str(), 0755);
    return file;
  }
};

}  // namespace

TEST_CASE("command runner: a /bin/sh plugin runs with its args and env, its stdout read") {
  TempDir dir;
  const std::string script = dir.write("plugin.sh",
                                       "#!/bin/sh\n"
                                       "printf '%s|%s|%s|' \"$1\" \"$2\" \"$GREETING\"\n"
                                       "cat\n"  // stdin is empty: this must not block
                                       "echo done\n",
                                       true);
  ProcessRunner runner;
  auto got = runner.run(Command{script, {"a b", "c"}, {"GREETING=hello"}, std::chrono::seconds(20)});
  REQUIRE(got);
  CHECK(got->exit_code == 0);
  CHECK_FALSE(got->timed_out);
  CHECK(got->out == "a b|c|hello|done\n");
}

TEST_CASE("command runner: exit codes, a missing program and a timeout") {
  TempDir dir;
  ProcessRunner runner;
  const std::string fails = dir.write("fails.sh", "#!/bin/sh\necho partial\nexit 3\n", true);
  auto failed = runner.run(Command{fails, {}, {}, std::chrono::seconds(20)});
  REQUIRE(failed);
  CHECK(failed->exit_code == 3);
  CHECK(failed->out == "partial\n");

  auto missing = runner.run(Command{dir.path + "/no-such-plugin", {}, {}, std::chrono::seconds(20)});
  REQUIRE_FALSE(missing);
  CHECK(missing.error().not_found);

  const std::string hangs = dir.write("hangs.sh", "#!/bin/sh\nexec sleep 30\n", true);
  auto slow = runner.run(Command{hangs, {}, {"PATH=/usr/bin:/bin"}, std::chrono::milliseconds(200)});
  REQUIRE(slow);
  CHECK(slow->timed_out);
  CHECK(slow->exit_code == -1);

  // Stdout closed early does not end the wait: the deadline still holds.
  const std::string lingers = dir.write("lingers.sh", "#!/bin/sh\nexec >&-\nexec sleep 30\n", true);
  auto lingering = runner.run(Command{lingers, {}, {"PATH=/usr/bin:/bin"}, std::chrono::milliseconds(200)});
  REQUIRE(lingering);
  CHECK(lingering->timed_out);
}
