// The real CommandRunner spawns processes: a /bin/sh script as an exec
// credential plugin, end to end through load_cluster_access.
#include "runtime/cluster/command_runner.h"

#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "compiler/io/filesystem.h"
#include "runtime/cluster/kubeconfig.h"

using claw::cluster::Command;
using claw::cluster::Environment;
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

TEST_CASE("command runner: an exec plugin script gives load_cluster_access its token") {
  TempDir dir;
  // The script checks it got KUBERNETES_EXEC_INFO and the stanza's env.
  const std::string script = dir.write(
      "plugin.sh",
      "#!/bin/sh\n"
      "case \"$KUBERNETES_EXEC_INFO\" in *'\"apiVersion\":\"client.authentication.k8s.io/v1\"'*) ;; *) exit 9 ;; esac\n"
      "printf '{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\","
      "\"status\":{\"token\":\"%s-%s\"}}' \"$TOKEN_PREFIX\" \"$1\"\n",
      true);
  // A relative command holding a '/' resolves against the kubeconfig's folder.
  const std::string config = dir.write("kubeconfig",
                                       "current-context: c\n"
                                       "clusters: [{name: c, cluster: {server: 'https://127.0.0.1:6443'}}]\n"
                                       "contexts: [{name: c, context: {cluster: c, user: u}}]\n"
                                       "users:\n- name: u\n  user:\n    exec:\n"
                                       "      apiVersion: client.authentication.k8s.io/v1\n"
                                       "      interactiveMode: Never\n"
                                       "      command: ./plugin.sh\n      args: [abc]\n"
                                       "      env: [{name: TOKEN_PREFIX, value: tok}]\n");
  claw::io::DiskFileSystem disk;
  ProcessRunner runner;
  claw::cluster::KubeconfigOptions options;
  options.kubeconfig = config;
  auto got = claw::cluster::load_cluster_access(options, Environment::current(), disk, runner);
  REQUIRE_MESSAGE(got, got.error());
  CHECK(got->endpoint.token == "tok-abc");
  CHECK(script == dir.path + "/plugin.sh");
}
