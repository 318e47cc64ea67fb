// compiler/k8s: each Kubernetes and k3s rule against tables of strings it
// must take and strings it must refuse, boundary lengths included. The
// expectations are the upstream rules' (validation.go and the functions
// named in names.h), written here by hand, not read from the code.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "compiler/k8s/k3s.h"
#include "compiler/k8s/names.h"

namespace {

using claw::k8s::Rule;

std::string n(size_t count, char c = 'a') { return std::string(count, c); }

/// `count` characters: dot-separated runs of `a` (each at most 63), for
/// subdomains of an exact length.
std::string dotted(size_t count) {
  std::string s;
  while (s.size() < count) {
    if (!s.empty()) s += '.';
    s += std::string(std::min<size_t>(63, count - s.size()), 'a');
  }
  if (s.back() == '.') s.back() = 'a';
  return s;
}

void accepts(const Rule& rule, const std::vector<std::string>& good) {
  for (const auto& s : good) {
    CAPTURE(rule.what);
    CAPTURE(s);
    CHECK(rule.problem(s) == "");
  }
}

void refuses(const Rule& rule, const std::vector<std::string>& bad) {
  for (const auto& s : bad) {
    CAPTURE(rule.what);
    CAPTURE(s);
    CHECK(rule.problem(s) != "");
  }
}

// Strings no name-like rule takes.
const std::vector<std::string> kHostile = {"a\nb", "a\tb", "a b", "caf\xc3\xa9", "a\x1b[31m", std::string("a\0b", 3),
                                           "a\xe2\x80\xa8" "b"};

}  // namespace

TEST_CASE("DNS-1123 label: lower-case alphanumerics and `-`, 1..63, alphanumeric at both ends") {
  accepts(claw::k8s::kDns1123Label, {"a", "0", "web", "web-1", "1password", "a-b-c", n(63), "a--b"});
  refuses(claw::k8s::kDns1123Label,
          {"", n(64), "Web", "web_1", "web.1", "-web", "web-", "..", ".", "a/b", "my space", "team/a", n(300)});
  refuses(claw::k8s::kDns1123Label, kHostile);
  CHECK(claw::k8s::kDns1123Label.problem(n(64)) == "it is 64 characters long; the limit is 63");
  CHECK(claw::k8s::kDns1123Label.problem("My") == "it contains upper-case letters");
  CHECK(claw::k8s::kDns1123Label.problem("a\nb") == "it contains a control character");
}

TEST_CASE("DNS-1123 subdomain: dot-separated labels, 1..253") {
  CHECK(dotted(253).size() == 253);
  accepts(claw::k8s::kDns1123Subdomain, {"a", "example.com", "a.b.c", "1.2.3.4.nip", dotted(253), "x-1.y-2", n(64)});
  refuses(claw::k8s::kDns1123Subdomain,
          {"", dotted(254), "a..b", ".a", "a.", "-a.b", "a-.b", "a.-b", "Example.com", "a_b.c", "*.a", "a/b"});
  refuses(claw::k8s::kDns1123Subdomain, kHostile);
}

TEST_CASE("DNS-1035 label: a DNS-1123 label starting with a letter") {
  accepts(claw::k8s::kDns1035Label, {"a", "web", "web-1", "v1", n(63)});
  refuses(claw::k8s::kDns1035Label, {"", "1web", "0", n(64), "Web", "web-", "-a", "a.b", "a_b"});
}

TEST_CASE("qualified name: optional subdomain prefix and `/`, then 1..63 of [-A-Za-z0-9_.] alphanumeric at both ends") {
  accepts(claw::k8s::kQualifiedName, {"a", "Tier", "node-role", "my_key.v2", "example.com/tier", "a/B", n(63),
                                      dotted(253) + "/" + n(63), "kubernetes.io/hostname", "A1_b.c-D"});
  refuses(claw::k8s::kQualifiedName, {"", "/a", "a/", "a/b/c", n(64), "example.com/" + n(64), dotted(254) + "/a",
                                      "Example.com/a", "ex_ample.com/a", "-a", "a-", "_a", "a.", "rack location",
                                      "a:b", "a=b"});
  refuses(claw::k8s::kQualifiedName, kHostile);
}

TEST_CASE("label value: empty, or up to 63 of [-A-Za-z0-9_.] alphanumeric at both ends") {
  accepts(claw::k8s::kLabelValue, {"", "a", "Storage", "v1.2_3-x", n(63), "0"});
  refuses(claw::k8s::kLabelValue, {n(64), "-a", "a-", ".a", "a.", "_a", "a/b", "a b", "a=b", "a:b"});
  refuses(claw::k8s::kLabelValue, kHostile);
}

TEST_CASE("env var name: [-._a-zA-Z][-._a-zA-Z0-9]*") {
  accepts(claw::k8s::kEnvVarName, {"A", "LOG_LEVEL", "_x", "-x", ".x", "a.b-c_d", "x1", n(300, 'A')});
  refuses(claw::k8s::kEnvVarName, {"", "1A", "9", "A B", "A=B", "A$", "A/B", "A:B"});
  refuses(claw::k8s::kEnvVarName, kHostile);
}

TEST_CASE("ConfigMap and Secret key: [-._a-zA-Z0-9]+, 1..253, not `.`, `..` or starting with `..`") {
  accepts(claw::k8s::kConfigMapKey, {"a", "app.conf", ".env", "A_b-c.d", "1", n(253), "a..b", "value"});
  refuses(claw::k8s::kConfigMapKey, {"", ".", "..", "..a", "...", n(254), "a/b", "../etc", "a b", "a:b"});
  refuses(claw::k8s::kConfigMapKey, kHostile);
}

TEST_CASE("port name: IANA service name, 1..15 of [-a-z0-9], a letter, no `--`, no `-` at either end") {
  accepts(claw::k8s::kPortName, {"http", "a", "metrics-2", "h2c", "x1-y2", n(15), "1a"});
  refuses(claw::k8s::kPortName, {"", n(16), "HTTP", "80", "1-2", "a--b", "-a", "a-", "a_b", "a.b", "a b"});
  refuses(claw::k8s::kPortName, kHostile);
}

TEST_CASE("ingress host: a DNS subdomain, a leading `*.` allowed, never an IP") {
  accepts(claw::k8s::kIngressHost, {"example.com", "app.example.com", "*.example.com", "localhost", dotted(253)});
  refuses(claw::k8s::kIngressHost, {"", "10.0.0.1", "::1", "2001:db8::1", "*", "*.", "a.*.com", "*a.com",
                                    "**.a.com", "Example.com", "a..b", "a_b.com", "a.com:80", "a.com/x",
                                    "*." + dotted(252), dotted(254)});
  refuses(claw::k8s::kIngressHost, kHostile);
}

TEST_CASE("ingress path (Prefix): absolute, no `//`, `/./`, `/../`, `%2f`, no `/.` or `/..` at the end") {
  accepts(claw::k8s::kIngressPath, {"/", "/api", "/api/v1/", "/a.b", "/..a", "/a..", "/%20"});
  refuses(claw::k8s::kIngressPath, {"", "api", "//", "/a//b", "/a/./b", "/a/../b", "/a%2fb", "/a%2Fb", "/a/.",
                                    "/a/..", "/.", "/..", "/a b", "/a\nb"});
}

TEST_CASE("mount path: absolute, without `:`") {
  accepts(claw::k8s::kMountPath, {"/", "/data", "/var/lib/x", "/a-b_c.d"});
  refuses(claw::k8s::kMountPath, {"", "data", "./data", "/a:b", "C:/data", "/a\nb", "/a b"});
  accepts(claw::k8s::kNfsPath, {"/volume1/media", "/"});
  refuses(claw::k8s::kNfsPath, {"", "volume1", "/a\nb"});
}

TEST_CASE("kind: a DNS-1035 label once lower-cased") {
  accepts(claw::k8s::kKind, {"ServiceMonitor", "HelmChart", "myKind", "A", "A1", "Foo-Bar", n(63, 'A')});
  refuses(claw::k8s::kKind, {"", "a/b", "Service.Monitor", "1Kind", "-Kind", "Kind-", "My Kind", "My_Kind", "..",
                             n(64, 'A')});
  refuses(claw::k8s::kKind, kHostile);
}

TEST_CASE("apiVersion: `v1`, or a DNS subdomain group `/` a DNS-1035 label version") {
  accepts(claw::k8s::kApiVersion, {"v1", "apps/v1", "monitoring.coreos.com/v1", "helm.cattle.io/v1",
                                   "example.com/v1alpha1", dotted(253) + "/v1"});
  refuses(claw::k8s::kApiVersion, {"", "v2", "apps", "/v1", "apps/", "a/b/c", "Apps/v1", "apps/V1", "apps/1",
                                   "apps/v1-", "a..b/v1", "apps/v 1", dotted(254) + "/v1"});
  refuses(claw::k8s::kApiVersion, kHostile);
}

TEST_CASE("annotations: at most 256 KiB of keys and values") {
  CHECK(claw::k8s::annotations_size_problem(0) == "");
  CHECK(claw::k8s::annotations_size_problem(262144) == "");
  CHECK(claw::k8s::annotations_size_problem(262145) != "");
}

TEST_CASE("IP addresses as Go's net.ParseIP reads them") {
  for (const char* ip : {"10.0.0.1", "100.64.0.1", "0.0.0.0", "255.255.255.255", "::1", "2001:db8::1", "fe80::1",
                         "::ffff:10.0.0.1"})
    CHECK_MESSAGE(claw::k8s::is_ip_address(ip), ip);
  for (const char* bad : {"", "10.0.0", "10.0.0.256", "010.0.0.1", "10.0.0.1.", " 10.0.0.1", "10.0.0.1/24",
                          "fe80::1%eth0", "[::1]", "host", "1.2.3.4:80", "::g"})
    CHECK_MESSAGE(!claw::k8s::is_ip_address(bad), bad);
}

TEST_CASE("k3s: node addresses, host addresses, interface names, versions") {
  accepts(claw::k8s::kNodeIp, {"100.87.1.1", "192.168.1.10", "2001:db8::1"});
  refuses(claw::k8s::kNodeIp, {"", "box.lan", "100.87.1", "100.87.1.1 ", "100.87.1.1,10.0.0.1", "1.2.3.4\n"});
  accepts(claw::k8s::kHostAddress, {"100.87.1.1", "nas.lan", "nas", "2001:db8::1"});
  refuses(claw::k8s::kHostAddress, {"", "NAS.lan", "nas lan", "nas_1", "-nas", "nas;rm", "a\nb"});

  accepts(claw::k8s::kInterfaceName, {"tailscale0", "eth0", "enp3s0", "br-lan", "wg0.1", "a", n(15), "..a",
                                      "eth0@x"});
  refuses(claw::k8s::kInterfaceName, {"", n(16), ".", "..", "a/b", "eth0:1", "eth 0", "eth\t0", "eth\n0",
                                      std::string("e\0", 2)});

  accepts(claw::k8s::kK3sVersion, {"v1.31.4+k3s1", "v1.32.0-rc1+k3s1", "v1.28.15+k3s2", "v2.0.0+k3s10"});
  refuses(claw::k8s::kK3sVersion, {"", "1.31.4+k3s1", "v1.31.4", "v1.31+k3s1", "v1.31.4+k3s", "v1.31.4-k3s1",
                                   "v1.31.4+k3s1 ", "v1.31.4+k3s1\n", "latest", "stable", "v1.31.4-rc+k3s1",
                                   "v1.31.4+k3s1; rm -rf /", "v1.31.4-beta1+k3s1", "v1.31.x+k3s1"});
}

TEST_CASE("k3s: extra flags and the data directory") {
  accepts(claw::k8s::kK3sArg, {"--write-kubeconfig-mode=0640", "--kubelet-arg=max-pods=200", "--debug",
                               "--kube-apiserver-arg=feature-gates=A=true,B=false", "--tls-san=k3s.example.com",
                               "--disable-network-policy", "--etcd-expose-metrics=true", "--flag=", "--a=b c"});
  refuses(claw::k8s::kK3sArg, {"", "-v", "debug", "--", "--=x", "--Debug", "--tls_san=x", "--a b", "--a=b\nc",
                               "--a=\x1b[0m"});
  // Every flag claw sets itself, bare or with a value, is refused and names its owner.
  for (const char* flag : {"node-label", "node-taint", "node-name", "node-ip", "flannel-iface", "server", "token",
                           "token-file", "disable", "data-dir", "cluster-domain"}) {
    CHECK_MESSAGE(!claw::k8s::k3s_flag_owner(flag).empty(), flag);
    refuses(claw::k8s::kK3sArg, {std::string("--") + flag, std::string("--") + flag + "=x"});
  }
  CHECK(claw::k8s::k3s_flag_owner("kubelet-arg").empty());
  CHECK(claw::k8s::k3s_flag_owner("disable-network-policy").empty());
  CHECK(claw::k8s::kK3sArg.problem("--node-ip=1.2.3.4") == "`--node-ip` comes from the machine's `address`");

  accepts(claw::k8s::kK3sDataDir, {"/var/lib/rancher/k3s", "/srv/k3s", "/mnt/SSD_1/k3s-data.d", "/a..b", "/"});
  refuses(claw::k8s::kK3sDataDir, {"", "var/lib/k3s", "./k3s", "/a/../b", "/..", "/a/..", "/a:b", "/a\nb", "/k3s data",
                                   "/k3s\"", "/$HOME", "/`id`", "/a\\b", "/a'b"});
}
