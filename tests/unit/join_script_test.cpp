// DIR/join/<machine>.sh: which machines get a script, what each kind of
// machine's script does, that no token is ever written, that model values are
// quoted, and that every script passes `shellcheck -s sh` and `sh -n`. The
// scripts are never run for real.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "compiler/driver/cli.h"
#include "compiler/emit/join_script.h"
#include "tests/unit/test_fs.h"

namespace {

using Scripts = std::map<std::string, std::string>;  // machine → script

// Like infra/: a Linux server, a native agent without an address, a Mac
// joining through a VM, a tainted NAS, a GPU box, and two machines that are
// not nodes. A node-role label must stay out of the flags. (Values a
// program cannot hold, such as a newline, are tested on a model built by
// hand: hostile_model.)
const char* kNet = R"claw(
cluster home {
  k3s = "v1.31.4+k3s1"
  server = hub
  network = tailscale {}
}
role storage {
  label "node-role" = "storage"
  taint "node-role=storage:NoSchedule"
}
role worker {
  label "node-role.kubernetes.io/worker" = "true"
  label "team" = "a_b.c"
}
role gpu {
  taint "nvidia.com/gpu=present:NoSchedule"
}
machine hub { os = linux; arch = amd64; cpu = 8; memory = 32GiB; address = "100.87.1.1"; label "zone" = "closet" }
machine worker-1 { os = linux; arch = amd64; cpu = 4; memory = 8GiB; roles = [worker] }
machine mac { os = darwin; arch = arm64; cpu = 10; memory = 16GiB; k3s = vm; address = "100.101.16.4" }
machine nas { os = linux; arch = amd64; cpu = 4; memory = 8GiB; address = "100.87.3.3"; roles = [storage] }
machine gpu-box {
  os = linux; arch = amd64; cpu = 24; memory = 128GiB; address = "100.87.4.5"; roles = [gpu]
  gpu "RTX PRO 4500" x 2 { vram = 24GiB }
}
machine router { os = linux; arch = amd64; cpu = 4; memory = 8GiB; joined = false }
machine lab { os = linux; arch = amd64; cpu = 4; memory = 8GiB; k3s = none }
service web { image = "nginx"; replicas = 2 }
)claw";

// One Mac running the whole cluster under k3d.
const char* kK3d = R"claw(
cluster solo { k3s = "v1.31.4+k3s1"; server = laptop }
machine laptop { os = darwin; arch = arm64; cpu = 10; memory = 16GiB; k3s = k3d; label "claw.dev/site" = "desk" }
)claw";

// A server known by an IPv6 address.
const char* kIpv6 = R"claw(
cluster six { k3s = "v1.31.4+k3s1"; server = a }
machine a { os = linux; arch = amd64; cpu = 4; memory = 8GiB; address = "fd7a:115c:a1e0::1" }
machine b { os = linux; arch = arm64; cpu = 4; memory = 8GiB }
)claw";

// `claw build` of `text` in memory; the join scripts it wrote, by machine.
Scripts build(const std::string& text, const std::string& out = "out") {
  claw::testing::TestFileSystem fs;
  fs.memory.add("net.claw", text);
  claw::driver::Console console;
  int code = claw::driver::run({"build", "net.claw", "-o", out}, fs,
                               claw::driver::Environment{claw::testing::stdlib_dir()}, console);
  INFO(console.err);
  REQUIRE(code == 0);
  Scripts scripts;
  for (const std::string name : {"hub", "worker-1", "mac", "nas", "gpu-box", "router", "lab", "laptop", "a", "b"})
    if (auto s = fs.memory.read(out + "/join/" + name + ".sh")) scripts[name] = *s;
  return scripts;
}

bool has(const std::string& s, const std::string& what) { return s.find(what) != std::string::npos; }

// The checker refuses label values with a space, a quote or a newline (they
// are not label values), so a program cannot hand them to a script; the
// scripts must quote them safely all the same. A one-machine model, built
// by hand, whose labels hold them.
claw::sema::Model hostile_model() {
  claw::sema::Model model;
  claw::sema::Machine hub;
  hub.id = claw::sema::MachineId{0};
  hub.name = "hub";
  hub.os = claw::sema::Os::Linux;
  hub.arch = claw::sema::Arch::Amd64;
  hub.k3s = claw::sema::K3sMode::Native;
  hub.labels = {{"node-role.kubernetes.io/worker", "true\nrm -rf /"}, {"team", "a b'c"}};
  model.machines.push_back(hub);
  claw::sema::Cluster cluster;
  cluster.name = "home";
  cluster.k3s_version = "v1.31.4+k3s1";
  cluster.server = claw::sema::MachineId{0};
  cluster.network = "lan";
  model.cluster = cluster;
  return model;
}

std::string hostile_script() {
  claw::sema::Model model = hostile_model();
  auto script = claw::emit::join_script(model, model.machines[0]);
  REQUIRE(script.has_value());
  return *script;
}

bool command_exists(const std::string& name) {
  return std::system(("command -v " + name + " >/dev/null 2>&1").c_str()) == 0;
}

// Writes every script to a fresh temporary folder; returns the paths.
std::vector<std::string> write_all(const Scripts& scripts, const std::string& tag) {
  auto dir = std::filesystem::temp_directory_path() / ("claw-join-test-" + tag);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::vector<std::string> paths;
  for (const auto& [name, text] : scripts) {
    auto p = (dir / (name + ".sh")).string();
    std::ofstream(p, std::ios::binary) << text;
    paths.push_back(p);
  }
  return paths;
}

}  // namespace

TEST_CASE("join scripts: one per k3s node, none for `joined = false` or `k3s = none`") {
  auto s = build(kNet);
  std::vector<std::string> names;
  for (const auto& [name, text] : s) names.push_back(name);
  CHECK(names == std::vector<std::string>{"gpu-box", "hub", "mac", "nas", "worker-1"});
}

TEST_CASE("join scripts: every script is a `set -eu` POSIX sh script naming its cluster and machine") {
  for (const auto& [name, text] : build(kNet)) {
    INFO(name);
    CHECK(text.starts_with("#!/bin/sh\n"));
    CHECK(has(text, "\nset -eu\n"));
    CHECK(has(text, "cluster `home`"));
    CHECK(has(text, "of machine `" + name + "`"));
    CHECK(has(text, "NODE_NAME='" + name + "'"));
    CHECK(has(text, "PINNED_VERSION='v1.31.4+k3s1'"));
    CHECK(has(text, "FLANNEL_IFACE='tailscale0'"));
    CHECK(has(text, "--flannel-iface \"$FLANNEL_IFACE\""));
    // Idempotent: a second run with the pinned version up does nothing.
    CHECK(has(text, "nothing to do"));
  }
}

TEST_CASE("join scripts: the server installs the pinned k3s server and sets no K3S_URL") {
  auto hub = build(kNet).at("hub");
  CHECK(has(hub, "set -- server\n"));
  CHECK(has(hub, "INSTALL_K3S_VERSION=\"$PINNED_VERSION\" sh \"$installer\" \"$@\""));
  CHECK(has(hub, "NODE_IP='100.87.1.1'"));
  CHECK(has(hub, "--node-ip \"$NODE_IP\""));
  CHECK(has(hub, "--tls-san \"$NODE_IP\""));
  CHECK(has(hub, "set -- \"$@\" --node-label 'zone=closet'\n"));
  CHECK(has(hub, "service=k3s\n"));
  CHECK(!has(hub, "K3S_URL="));
  CHECK(!has(hub, "SERVER_URL"));
  CHECK(has(hub, "unset K3S_URL"));  // an inherited K3S_URL would install an agent
}

TEST_CASE("join scripts: agents join the server's URL as k3s agents") {
  auto s = build(kNet);
  for (const std::string name : {"worker-1", "mac", "nas", "gpu-box"}) {
    INFO(name);
    const auto& text = s.at(name);
    CHECK(has(text, "set -- agent\n"));
    CHECK(has(text, "SERVER_URL='https://100.87.1.1:6443'"));
    CHECK(has(text, "K3S_URL=\"$SERVER_URL\" INSTALL_K3S_VERSION=\"$PINNED_VERSION\" sh \"$installer\" \"$@\""));
    CHECK(has(text, "service=k3s-agent\n"));
    CHECK(!has(text, "--tls-san"));
  }
  // No address: no --node-ip and no address check.
  CHECK(!has(s.at("worker-1"), "NODE_IP"));
  CHECK(has(s.at("nas"), "--node-ip \"$NODE_IP\""));
}

TEST_CASE("join scripts: a Mac with `k3s = vm` joins from inside its Linux VM") {
  auto mac = build(kNet).at("mac");
  CHECK(has(mac, "Run this INSIDE that VM, not on macOS"));
  CHECK(has(mac, "Lima"));
  CHECK(has(mac, "OrbStack"));
  CHECK(has(mac, "ARCH='arm64'"));
  CHECK(has(mac, "[ \"$host_os\" = Linux ] || die"));
  CHECK(has(mac, "set -- agent\n"));
}

TEST_CASE("join scripts: labels and taints become flags; node-role labels only a comment") {
  auto s = build(kNet);
  CHECK(has(s.at("nas"), "set -- \"$@\" --node-label 'node-role=storage'\n"));
  CHECK(has(s.at("nas"), "set -- \"$@\" --node-taint 'node-role=storage:NoSchedule'\n"));
  CHECK(has(s.at("gpu-box"), "set -- \"$@\" --node-taint 'nvidia.com/gpu=present:NoSchedule'\n"));
  const auto& w = s.at("worker-1");
  CHECK(!has(w, "--node-label 'node-role.kubernetes.io"));
  CHECK(has(w, "#   node-role.kubernetes.io/worker=true\n"));
  // Listed in a comment, the newline of its value escaped on the comment line.
  std::string h = hostile_script();
  CHECK(!has(h, "--node-label 'node-role.kubernetes.io"));
  CHECK(has(h, "#   node-role.kubernetes.io/worker=true\\nrm -rf /\n"));
  CHECK(!has(h, "\nrm -rf"));
  for (const auto& [name, text] : s) CHECK(!has(text, "--node-label 'node-role.kubernetes.io/"));
}

TEST_CASE("join scripts: a value with a space and a quote is one safely quoted word") {
  CHECK(has(hostile_script(), "set -- \"$@\" --node-label 'team=a b'\\''c'\n"));
  CHECK(has(build(kNet).at("worker-1"), "set -- \"$@\" --node-label 'team=a_b.c'\n"));
}

TEST_CASE("join scripts: GPU machines check the driver and toolkit and carry the gpu.present label") {
  auto s = build(kNet);
  const auto& g = s.at("gpu-box");
  CHECK(has(g, "GPU_COUNT='2'"));
  CHECK(has(g, "nvidia-smi >/dev/null 2>&1 || die"));
  CHECK(has(g, "command -v nvidia-container-runtime"));
  CHECK(has(g, "command -v nvidia-ctk"));
  CHECK(has(g, "set -- \"$@\" --node-label 'nvidia.com/gpu.present=true'\n"));
  CHECK(has(g, "grep nvidia $containerd_config"));
  CHECK(has(g, "/var/lib/rancher/k3s/agent/etc/containerd/config.toml"));
  // The checks come before the install.
  CHECK(g.find("nvidia-smi >/dev/null") < g.find("sh \"$installer\""));
  for (const std::string name : {"hub", "worker-1", "mac", "nas"}) CHECK(!has(s.at(name), "nvidia"));
}

TEST_CASE("join scripts: the join token is read at run time, never written") {
  auto s = build(kNet);
  for (const auto& [name, text] : s) {
    INFO(name);
    CHECK(!has(text, "K3S_TOKEN="));  // no literal token, in any form
    CHECK(!has(text, "--token"));
    CHECK(!has(text, "--agent-token"));
  }
  const auto& a = s.at("nas");
  CHECK(has(a, "if [ -n \"${K3S_TOKEN:-}\" ]; then"));
  CHECK(has(a, "token_file=${K3S_TOKEN_FILE:-/etc/claw/k3s-token}"));
  CHECK(has(a, "die \"no join token: export K3S_TOKEN"));
  CHECK(!has(s.at("hub"), "token_file"));
}

TEST_CASE("join scripts: k3d makes a single-host cluster, and says it cannot take remote machines") {
  auto s = build(kK3d);
  REQUIRE(s.size() == 1);
  const auto& l = s.at("laptop");
  CHECK(has(l, "k3d cannot join remote machines"));
  CHECK(has(l, "CLUSTER_NAME='solo'"));
  CHECK(has(l, "K3S_IMAGE='rancher/k3s:v1.31.4-k3s1'"));
  CHECK(has(l, "k3d cluster create \"$CLUSTER_NAME\" \"$@\""));
  CHECK(has(l, "--k3s-arg \"--node-name=$NODE_NAME@server:0\""));
  CHECK(has(l, "set -- \"$@\" --k3s-arg '--node-label=claw.dev/site=desk@server:0'\n"));
  CHECK(has(l, "if k3d cluster get \"$CLUSTER_NAME\""));  // idempotent
  CHECK(!has(l, "K3S_URL"));
}

TEST_CASE("join scripts: an IPv6 server address is bracketed in K3S_URL") {
  auto s = build(kIpv6);
  CHECK(has(s.at("b"), "SERVER_URL='https://[fd7a:115c:a1e0::1]:6443'"));
}

TEST_CASE("join scripts: the same bytes on every build") {
  CHECK(build(kNet, "one") == build(kNet, "two"));
}

TEST_CASE("sh_quote: every string comes back from sh as itself") {
  CHECK(claw::emit::sh_quote("") == "''");
  CHECK(claw::emit::sh_quote("a b'c") == "'a b'\\''c'");
  for (std::string v : {"", "plain", "a b'c", "''", "$(touch /tmp/claw-pwned)", "`x` \"y\" \\z $HOME", "new\nline", "*"}) {
    INFO(v);
    auto out = std::filesystem::temp_directory_path() / "claw-join-test-quote.txt";
    std::string cmd = "printf %s " + claw::emit::sh_quote(v) + " > " + claw::emit::sh_quote(out.string());
    REQUIRE(std::system(cmd.c_str()) == 0);
    std::ifstream in(out, std::ios::binary);
    std::string back((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK(back == v);
  }
}

TEST_CASE("kubelet_refuses_label: the kubernetes.io / k8s.io allowlist") {
  using claw::sema::kubelet_refuses_label;
  CHECK(kubelet_refuses_label("node-role.kubernetes.io/worker"));
  CHECK(kubelet_refuses_label("kubernetes.io/role"));
  CHECK(kubelet_refuses_label("example.k8s.io/x"));
  CHECK(!kubelet_refuses_label("kubernetes.io/arch"));
  CHECK(!kubelet_refuses_label("topology.kubernetes.io/zone"));
  CHECK(!kubelet_refuses_label("node.kubernetes.io/instance-type"));
  CHECK(!kubelet_refuses_label("kubelet.kubernetes.io/anything"));
  CHECK(!kubelet_refuses_label("nvidia.com/gpu.present"));
  CHECK(!kubelet_refuses_label("node-role"));
  CHECK(!kubelet_refuses_label("notkubernetes.io/x"));
}

TEST_CASE("join scripts pass `shellcheck -s sh` and `sh -n`") {
  Scripts all;
  for (const auto& [name, text] : build(kNet)) all["net-" + name] = text;
  for (const auto& [name, text] : build(kK3d)) all["k3d-" + name] = text;
  for (const auto& [name, text] : build(kIpv6)) all["six-" + name] = text;
  all["hostile-hub"] = hostile_script();
  REQUIRE(all.size() == 9);
  auto paths = write_all(all, "lint");
  for (const auto& p : paths) {
    INFO(p);
    CHECK(std::system(("sh -n " + claw::emit::sh_quote(p)).c_str()) == 0);
  }
  if (!command_exists("shellcheck")) {
    // CI installs shellcheck (.ci/setup.sh): there, its absence is a failure.
    if (std::getenv("CI")) FAIL("shellcheck is not installed");
    MESSAGE("SKIPPED: shellcheck is not installed, so the join scripts were not linted");
    return;
  }
  for (const auto& p : paths) {
    INFO(p);
    CHECK(std::system(("shellcheck -s sh " + claw::emit::sh_quote(p)).c_str()) == 0);
  }
}

namespace {

// A server and a Mac agent (`k3s = vm`, whose comments name its address and
// the interface), built directly as a model so that any string can be put
// where the program's would be; `text` goes into every string field that a
// comment of the scripts copies.
claw::sema::Model comment_model(const std::string& text) {
  using namespace claw::sema;
  Model model;
  Cluster c;
  c.name = "home" + text;
  c.k3s_version = "v1.31.4+k3s1" + text;
  c.server = MachineId{0};
  c.iface = "tailscale0" + text;
  model.cluster = c;
  for (uint32_t i = 0; i < 2; ++i) {
    Machine m;
    m.id = MachineId{i};
    m.name = (i == 0 ? "hub" : "mac") + text;
    m.os = Os::Linux;
    m.arch = Arch::Amd64;
    m.k3s = i == 0 ? K3sMode::Native : K3sMode::Vm;
    m.address = "10.0.0." + std::to_string(i + 1) + text;
    m.labels["node-role.kubernetes.io/worker"] = "yes" + text;  // refused: a comment
    model.machines.push_back(m);
  }
  return model;
}

/// The script's shape: each single-quoted word replaced by `Q`, each
/// comment by `#C` (its text in `comments`). A comment that text broke in
/// two leaves the rest of that text as a command, which changes the shape.
std::string shape(const std::string& script, std::vector<std::string>& comments) {
  std::string out;
  for (size_t i = 0; i < script.size(); ++i) {
    char c = script[i];
    if (c == '\\') {
      out.append(script, i, 2);
      ++i;
    } else if (c == '"') {
      // Copied as is: a `'` inside is no quote (die "...$SERVER_NAME's...").
      size_t end = i + 1;
      while (end < script.size() && script[end] != '"') end += script[end] == '\\' ? 2 : 1;
      REQUIRE(end < script.size());
      out.append(script, i, end + 1 - i);
      i = end;
    } else if (c == '\'') {
      size_t end = script.find('\'', i + 1);
      REQUIRE(end != std::string::npos);
      out += 'Q';
      i = end;
    } else if (c == '#' && (i == 0 || script[i - 1] == '\n' || script[i - 1] == ' ')) {
      size_t end = script.find('\n', i);
      comments.push_back(script.substr(i, end - i));
      out += "#C";
      i = end - 1;
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

TEST_CASE("join scripts: model text in a comment adds no line, whatever it holds") {
  const claw::sema::Model plain = comment_model("");
  std::vector<std::string> hostile = {"\nrm -rf /\n", "\r\nid", "\xE2\x80\xA8x", "\xC2\x85y", "\x1B[2J", "\x7F",
                                      "\\\n", "\v\f\b", "\xFF\xFE"};
  for (int c = 1; c < 0x20; ++c) hostile.push_back(std::string(1, static_cast<char>(c)) + "z");
  for (const auto& text : hostile) {
    CAPTURE(text);
    const claw::sema::Model model = comment_model(text);
    for (size_t i = 0; i < 2; ++i) {
      auto clean = claw::emit::join_script(plain, plain.machines[i]);
      auto script = claw::emit::join_script(model, model.machines[i]);
      REQUIRE(clean);
      REQUIRE(script);
      CAPTURE(*script);
      std::vector<std::string> clean_comments, comments;
      // The same commands and comments as with harmless text.
      CHECK(shape(*script, comments) == shape(*clean, clean_comments));
      CHECK(comments.size() == clean_comments.size());
      // Each comment is one line with no control character or Unicode line
      // break in it.
      for (const auto& line : comments) {
        CAPTURE(line);
        CHECK(std::none_of(line.begin(), line.end(), [](char ch) { return static_cast<unsigned char>(ch) < 0x20 || ch == 0x7F; }));
        CHECK(line.find("\xE2\x80\xA8") == std::string::npos);
        CHECK(line.find("\xC2\x85") == std::string::npos);
      }
    }
  }
}
