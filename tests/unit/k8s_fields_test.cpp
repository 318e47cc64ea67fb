// Every field whose string becomes a Kubernetes name, key or path, or a value
// k3s reads, checked by `claw check`: for each, a program with the field set
// to each of several strings the rule refuses must fail with exactly one
// diagnostic of the expected code, and the same program with a string the
// rule takes must pass.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "compiler/driver/cli.h"
#include "tests/unit/test_fs.h"

namespace {

struct Field {
  std::string what;
  /// The program, `@` standing for the string under test.
  std::string program;
  std::string good;
  std::vector<std::string> bad;
  std::string code;
};

const std::string kCluster = "cluster home { k3s = \"v1.31.4+k3s1\"; server = box }\n";
const std::string kBox = "machine box { os = linux; arch = amd64; cpu = 8; memory = 32GiB }\n";
const std::string kNet = kCluster + kBox;
const std::string kChart = "chart c { repo = \"https://charts.example.com\"; chart = \"c\"; version = \"1.0.0\"";
const std::string kResource = "resource r { api = \"example.com/v1\"; kind = \"Thing\"";

std::string replace_at(std::string program, const std::string& value) {
  for (size_t p = program.find('@'); p != std::string::npos; p = program.find('@', p + value.size())) {
    program.replace(p, 1, value);
  }
  return program;
}

struct Run {
  int code;
  std::string err;
};

Run check(const std::string& program) {
  claw::testing::TestFileSystem fs;
  fs.memory.add("net.claw", program);
  claw::driver::Console console;
  int code = claw::driver::run({"check", "net.claw"}, fs, claw::driver::Environment{claw::testing::stdlib_dir()},
                               console);
  return {code, console.err};
}

const std::vector<std::string> kBadNames = {"team/a", "My Space", "..", "", std::string(64, 'a'), "a_b", "-a", "a-"};

std::vector<Field> fields() {
  const std::string web = "service web { image = \"nginx\"; ";
  return {
      {"a workload's namespace", kNet + web + "namespace = \"@\" }", "team-a", kBadNames, "invalid-name"},
      {"the cluster's namespace",
       "cluster home { k3s = \"v1.31.4+k3s1\"; server = box; namespace = \"@\" }\n" + kBox, "apps", kBadNames,
       "invalid-name"},
      {"a secret's namespace", kNet + "secret s { from = env(\"S\"); namespace = \"@\" }", "apps", kBadNames,
       "invalid-name"},
      {"a chart's namespace", kNet + kChart + "; namespace = \"@\" }", "apps", kBadNames, "invalid-name"},
      {"a resource's namespace", kNet + kResource + "; namespace = \"@\" }", "apps", kBadNames, "invalid-name"},
      {"a resource's kind", kNet + "resource r { api = \"example.com/v1\"; kind = \"@\" }", "Thing",
       {"a/b", "", "Thing.Kind", "1Thing", "My Thing", std::string(64, 'A')}, "invalid-name"},
      {"a resource's api", kNet + "resource r { api = \"@\"; kind = \"Thing\" }", "example.com/v1",
       {"", "v2", "a/b/c", "Example.com/v1", "example.com/1", "/v1", "example.com/"}, "invalid-name"},
      {"a resource's label key", kNet + kResource + "; labels = { \"@\" = \"x\" } }", "example.com/tier",
       {"a/b/c", "/a", "-a", "a b", std::string(64, 'a'), "Example.com/a"}, "bad-label-key"},
      {"a resource's label value", kNet + kResource + "; labels = { tier = \"@\" } }", "Front_1",
       {"-a", "a b", "a/b", std::string(64, 'a'), "a:b"}, "invalid-name"},
      {"a resource's annotation key", kNet + kResource + "; annotations = { \"@\" = \"x\" } }", "Example.com/Note",
       {"a/b/c", "-a", "a b", ""}, "bad-label-key"},
      {"an env var name", kNet + web + "env = { \"@\" = \"x\" } }", "LOG_LEVEL", {"1A", "A B", "A=B", "", "A:B"},
       "invalid-name"},
      {"a config file name", kNet + web + "config = { \"@\" = \"x\" } }", "app.conf",
       {"..", ".", "..a", "a/b", "", "a b", std::string(254, 'a')}, "invalid-name"},
      {"a secret key", kNet + "secret s { from = env(\"S\"); key = \"@\"; namespace = \"apps\" }", "password.txt", {"..", "a/b", "", "a b"},
       "invalid-name"},
      {"a port name", kNet + web + "port \"@\" = 80 }", "http",
       {"HTTP", "80", "a--b", "-a", "a-", "a_b", std::string(16, 'a')}, "invalid-name"},
      {"a volume name", kNet + web + "volume \"@\" { at = \"/data\"; temp {} } }", "data",
       {"Data", "a_b", "a.b", "-a", std::string(64, 'a')}, "invalid-name"},
      {"a mount path", kNet + web + "volume data { at = \"@\"; temp {} } }", "/data", {"data", "", "/a:b", "./data"},
       "invalid-path"},
      {"config-at", kNet + web + "config = { a = \"b\" }; config-at = \"@\" }", "/etc/app", {"etc", "", "/a:b"},
       "invalid-path"},
      {"an ingress host", kNet + web + "port http = 80; host = \"@\" }", "*.example.com",
       {"10.0.0.1", "Example.com", "a..b", "a.*.com", "a_b.com", "a.com:80", ""}, "invalid-name"},
      {"an ingress path", kNet + web + "port http = 80; host = \"a.com\"; path = \"@\" }", "/api/",
       {"api", "", "/a//b", "/a/../b", "/a/..", "/a%2fb"}, "invalid-path"},
      {"a toleration key", kNet + web + "tolerate = [\"@\"] }", "example.com/gpu", {"a/b/c", "-a", "a/"}, "bad-taint"},
      {"a toleration value", kNet + web + "tolerate = [\"k=@\"] }", "v1.2", {"-a", "a b", std::string(64, 'a')},
       "bad-taint"},
      {"a machine label key", kCluster + "machine box { os = linux; arch = amd64; cpu = 8; memory = 32GiB; label \"@\" = \"x\" }",
       "example.com/rack", {"a/b/c", "-a", "a b", "Example.com/a"}, "bad-label-key"},
      {"a machine label value", kCluster + "machine box { os = linux; arch = amd64; cpu = 8; memory = 32GiB; label rack = \"@\" }",
       "closet_1", {"-a", "a b", "a/b", std::string(64, 'a')}, "invalid-name"},
      {"a role label value", kNet + "role r { label rack = \"@\" }", "closet", {"-a", "a b"}, "invalid-name"},
      {"a machine taint key", kCluster + "machine box { os = linux; arch = amd64; cpu = 8; memory = 32GiB; taint = [\"@=v:NoSchedule\"] }",
       "example.com/dedicated", {"a/b/c", "-a", "a/", "/a"}, "bad-taint"},
      {"a role taint value", kNet + "role r { taint = [\"k=@:NoSchedule\"] }", "gpu", {"-a", "a b", std::string(64, 'a')},
       "bad-taint"},
      {"a node's address", kCluster + "machine box { os = linux; arch = amd64; cpu = 8; memory = 32GiB; address = \"@\" }",
       "100.87.1.1", {"box.lan", "100.87.1", "010.0.0.1", "", "1.2.3.4 ", "fe80::1%eth0"}, "invalid-k3s-value"},
      {"an NFS server's address",
       kNet + "machine nas { os = linux; arch = amd64; cpu = 2; memory = 4GiB; k3s = none; address = \"@\" }",
       "nas.lan", {"NAS.lan", "nas lan", "", "nas_1"}, "invalid-k3s-value"},
      {"the overlay network interface",
       "cluster home { k3s = \"v1.31.4+k3s1\"; server = box; network = lan { iface = \"@\" } }\n" + kBox, "wg0",
       {"", "a/b", "eth0:1", "eth 0", ".", "..", std::string(16, 'a')}, "invalid-k3s-value"},
      {"the k3s version", "cluster home { k3s = \"@\"; server = box }\n" + kBox, "v1.32.0-rc1+k3s1",
       {"", "latest", "1.31.4+k3s1", "v1.31.4", "v1.31.4+k3s", "v1.31+k3s1"}, "invalid-k3s-value"},
      {"an NFS export's name",
       kNet + "machine nas { os = linux; arch = amd64; cpu = 2; memory = 4GiB; export \"@\" { path = \"/m\"; size = 1TiB } }",
       "media", {"Media", "a_b", "-a", "a.b"}, "invalid-name"},
      {"an NFS export's path",
       kNet + "machine nas { os = linux; arch = amd64; cpu = 2; memory = 4GiB; export media { path = \"@\"; size = 1TiB } }",
       "/volume1/media", {"volume1", ""}, "invalid-path"},
      {"the cluster's name", "cluster @ { k3s = \"v1.31.4+k3s1\"; server = box }\n" + kBox, "home_lab",
       {"_home", "home_", std::string(64, 'h')}, "invalid-name"},
      {"a declaration's name", kNet + "service @ { image = \"nginx\" }", "web-1", {"web_1", "Web", "_web", std::string(64, 'w')},
       "invalid-name"},
  };
}

}  // namespace

TEST_CASE("every Kubernetes name, key and path and every k3s value in a program is checked") {
  for (const Field& f : fields()) {
    CAPTURE(f.what);
    Run ok = check(replace_at(f.program, f.good));
    CAPTURE(ok.err);
    CHECK(ok.code == 0);
    for (const std::string& bad : f.bad) {
      CAPTURE(bad);
      Run r = check(replace_at(f.program, bad));
      CAPTURE(r.err);
      CHECK(r.code == 1);
      CHECK(r.err.find("[" + f.code + "]") != std::string::npos);
      CHECK(r.err.find("\n1 error\n") != std::string::npos);
      CHECK(r.err.find("= hint: ") != std::string::npos);
    }
  }
}

TEST_CASE("derived names: a StatefulSet's and a CronJob's limits, a chart's release, NFS volume names") {
  const std::string n52(52, 'a'), n53(53, 'a'), n54(54, 'a');
  const std::string sts = " { image = \"db\"; volume data { at = \"/data\"; size = 1GiB } }";
  CHECK(check(kNet + "service " + n52 + sts).code == 0);
  Run long_sts = check(kNet + "service " + n53 + sts);
  CHECK(long_sts.code == 1);
  CHECK(long_sts.err.find("too long for a StatefulSet") != std::string::npos);
  // Without a sized volume it is a Deployment, which takes the name.
  CHECK(check(kNet + "service " + n53 + " { image = \"db\" }").code == 0);

  const std::string cron = " { image = \"x\"; schedule = \"0 3 * * *\" }";
  CHECK(check(kNet + "cron " + n52 + cron).code == 0);
  Run long_cron = check(kNet + "cron " + n53 + cron);
  CHECK(long_cron.code == 1);
  CHECK(long_cron.err.find("too long for a CronJob") != std::string::npos);
  CHECK(check(kNet + "job " + n53 + " { image = \"x\" }").code == 0);

  CHECK(check(kNet + "chart " + n53 + kChart.substr(7) + " }").code == 0);
  Run long_chart = check(kNet + "chart " + n54 + kChart.substr(7) + " }");
  CHECK(long_chart.code == 1);
  CHECK(long_chart.err.find("too long for a Helm release") != std::string::npos);

  // nfs-<machine>-<export>-<namespace>, at most 63.
  auto nfs = [&](const std::string& ns) {
    return kNet + "machine nas { os = linux; arch = amd64; cpu = 2; memory = 4GiB; k3s = none; "
                  "export media { path = \"/m\"; size = 1TiB } }\n"
                  "service web { image = \"x\"; namespace = \"" + ns + "\"; volume m { at = \"/m\"; nfs = \"nas.media\" } }";
  };
  CHECK(check(nfs(std::string(63 - 14, 'n'))).code == 0);  // "nfs-nas-media-" is 14
  Run long_nfs = check(nfs(std::string(63 - 13, 'n')));
  CHECK(long_nfs.code == 1);
  CHECK(long_nfs.err.find("the PersistentVolume of NFS export `nas.media`") != std::string::npos);
}

TEST_CASE("two volumes at one mount path in a container") {
  const std::string web = kNet + "service web { image = \"x\"; ";
  CHECK(check(web + "volume a { at = \"/a\"; temp {} }; volume b { at = \"/b\"; temp {} } }").code == 0);
  Run two = check(web + "volume a { at = \"/data\"; temp {} }; volume b { at = \"/data\"; temp {} } }");
  CHECK(two.code == 1);
  CHECK(two.err.find("[duplicate-mount-path]") != std::string::npos);
  Run config = check(web + "config = { x = \"y\" }; volume a { at = \"/etc/config\"; temp {} } }");
  CHECK(config.code == 1);
  CHECK(config.err.find("[duplicate-mount-path]") != std::string::npos);
  Run taken = check(web + "config = { x = \"y\" }; volume claw-config { at = \"/c\"; temp {} } }");
  CHECK(taken.code == 1);
  CHECK(taken.err.find("is taken by the volume of `web`'s config files") != std::string::npos);
}
