// kubeconfig → Endpoint, held to kubectl's rules (client-go tools/clientcmd
// loader.go, validation.go, api/v1 types.go; plugin/pkg/client/auth/exec).
#include "runtime/cluster/kubeconfig.h"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "compiler/io/filesystem.h"
#include "runtime/cluster/fake_command_runner.h"
#include "runtime/cluster/pem.h"

using claw::cluster::ClusterAccess;
using claw::cluster::Command;
using claw::cluster::CommandError;
using claw::cluster::CommandResult;
using claw::cluster::decode_base64;
using claw::cluster::encode_base64;
using claw::cluster::Environment;
using claw::cluster::FakeCommandRunner;
using claw::cluster::KubeconfigOptions;
using claw::cluster::load_cluster_access;
using claw::cluster::looks_like_pem;

namespace {

const std::string kCa = "-----BEGIN CERTIFICATE-----\nCANARYCA\n-----END CERTIFICATE-----\n";
const std::string kCert = "-----BEGIN CERTIFICATE-----\nCANARYCERT\n-----END CERTIFICATE-----\n";
const std::string kKey = "-----BEGIN EC PRIVATE KEY-----\nCANARYKEY\n-----END EC PRIVATE KEY-----\n";

// A kubeconfig with one cluster, user and context named `name`; `cluster`
// and `user` are the indented bodies of the cluster and user maps.
std::string kubeconfig(const std::string& name, const std::string& cluster, const std::string& user,
                       const std::string& extra = "current-context: " "main\n") {
  return "apiVersion: v1\nkind: Config\nclusters:\n- name: " + name + "\n  cluster:\n" + cluster +
         "users:\n- name: " + name + "\n  user:\n" + user + "contexts:\n- name: " + name +
         "\n  context:\n    cluster: " + name + "\n    user: " + name + "\n" + extra;
}

const std::string kServer = "    server: https://10.0.0.5:6443\n";

struct World {
  claw::io::MemoryFileSystem files;
  Environment env{{{"HOME", "/home/ann"}, {"PATH", "/usr/bin:/bin"}}};
  FakeCommandRunner runner{[](const Command&) -> std::expected<CommandResult, CommandError> {
    return std::unexpected(CommandError{false, "no plugin expected"});
  }};

  std::expected<ClusterAccess, std::string> load(const KubeconfigOptions& options = {}) {
    return load_cluster_access(options, env, files, runner);
  }
};

// A world whose ~/.kube/config holds `text`.
World with_default(const std::string& text) {
  World w;
  w.files.add("/home/ann/.kube/config", text);
  return w;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("kubeconfig: base64 as Go's StdEncoding decodes it") {
  // RFC 4648 §10 test vectors, then what Go's decoder refuses.
  struct Case {
    std::string in;
    std::optional<std::string> out;
  };
  const std::vector<Case> cases = {
      {"", ""},           {"Zg==", "f"},        {"Zm8=", "fo"},   {"Zm9v", "foo"},   {"Zm9vYg==", "foob"},
      {"Zm9vYmE=", "fooba"}, {"Zm9vYmFy", "foobar"}, {"Zm9v\nYmFy\r\n", "foobar"},
      {"Zm9vYmF", std::nullopt}, {"Zm9v YmFy", std::nullopt}, {"Zg=a", std::nullopt}, {"Z===", std::nullopt},
      {"Zm9v-_==", std::nullopt}, {"Zg==Zg==", std::nullopt},
  };
  for (const auto& c : cases) {
    CAPTURE(c.in);
    CHECK(decode_base64(c.in) == c.out);
    if (c.out && c.in.find('\n') == std::string::npos) CHECK(encode_base64(*c.out) == c.in);
  }
  CHECK(looks_like_pem(kCert));
  CHECK(looks_like_pem("junk\n" + kKey));
  CHECK_FALSE(looks_like_pem("-----BEGIN CERTIFICATE-----\nAAAA\n"));
  CHECK_FALSE(looks_like_pem("-----BEGIN CERTIFICATE-----\nAAAA\n-----END EC PRIVATE KEY-----\n"));
  CHECK_FALSE(looks_like_pem("not pem"));
}

TEST_CASE("kubeconfig: which files are read (--kubeconfig, KUBECONFIG, ~/.kube/config)") {
  const std::string a = kubeconfig("main", "    server: https://a:6443\n", "    token: t\n");
  struct Case {
    std::string name;
    std::string flag;
    std::optional<std::string> kubeconfig_env;
    std::vector<std::string> existing;
    std::vector<std::string> files;  // expected, in merge order
    std::string source;
    std::string error_part;  // expected in the error instead
  };
  const std::vector<Case> cases = {
      {"the flag wins over KUBECONFIG", "/f", "/k", {"/f", "/k", "/home/ann/.kube/config"}, {"/f"}, "--kubeconfig", ""},
      {"a missing flag file is an error", "/f", "/k", {"/k"}, {}, "", "kubeconfig /f (from --kubeconfig) does not exist"},
      {"KUBECONFIG over the default", "", "/k", {"/k", "/home/ann/.kube/config"}, {"/k"}, "KUBECONFIG", ""},
      {"KUBECONFIG: empty entries, repeats and missing files dropped", "", ":/b::/gone:/a:/b:",
       {"/a", "/b"}, {"/b", "/a"}, "KUBECONFIG", ""},
      {"KUBECONFIG naming no file that exists", "", "/gone:/lost", {"/home/ann/.kube/config"}, {}, "",
       "none of the files KUBECONFIG names exists (/gone, /lost)"},
      {"an empty KUBECONFIG is unset", "", "", {"/home/ann/.kube/config"}, {"/home/ann/.kube/config"}, "~/.kube/config", ""},
      {"the default", "", std::nullopt, {"/home/ann/.kube/config"}, {"/home/ann/.kube/config"}, "~/.kube/config", ""},
      {"no default file", "", std::nullopt, {}, {}, "", "/home/ann/.kube/config (the default, ~/.kube/config) does not exist"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    World w;
    for (const auto& f : c.existing) w.files.add(f, a);
    if (c.kubeconfig_env) w.env.vars["KUBECONFIG"] = *c.kubeconfig_env;
    KubeconfigOptions options;
    options.kubeconfig = c.flag;
    auto got = w.load(options);
    if (!c.error_part.empty()) {
      REQUIRE_FALSE(got);
      CHECK(contains(got.error(), c.error_part));
      continue;
    }
    REQUIRE_MESSAGE(got, got.error());
    CHECK(got->files == c.files);
    CHECK(got->source == c.source);
  }
  SUBCASE("no HOME and nothing else") {
    World w;
    w.env.vars.erase("HOME");
    auto got = w.load();
    REQUIRE_FALSE(got);
    CHECK(contains(got.error(), "HOME is not set"));
  }
  SUBCASE("the hint names k3s's kubeconfig") {
    World w;
    auto got = w.load();
    REQUIRE_FALSE(got);
    CHECK(contains(got.error(), "/etc/rancher/k3s/k3s.yaml"));
  }
}

TEST_CASE("kubeconfig: KUBECONFIG files merge, the first to set a name or current-context wins") {
  // File 1 defines cluster "shared" and user "shared"; file 2 defines them
  // again (other server, an extra token) plus its own context.
  const std::string one =
      "clusters:\n- name: shared\n  cluster:\n    server: https://one:6443\n"
      "users:\n- name: shared\n  user:\n    username: ann\n    password: pw\n"
      "contexts:\n- name: first\n  context: {cluster: shared, user: shared, namespace: apps}\n";
  const std::string two =
      "clusters:\n- name: shared\n  cluster:\n    server: https://two:6443\n    insecure-skip-tls-verify: true\n"
      "users:\n- name: shared\n  user:\n    tokenFile: /nowhere\n"
      "contexts:\n- name: second\n  context: {cluster: shared, user: shared}\n";
  struct Case {
    std::string name;
    std::string cc_one, cc_two;  // the files' current-context lines
    std::string context;         // expected
  };
  const std::vector<Case> cases = {
      {"both set it: the first", "current-context: first\n", "current-context: second\n", "first"},
      {"only the second sets it", "", "current-context: second\n", "second"},
      {"only the first sets it", "current-context: first\n", "", "first"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    World w;
    w.files.add("/k/one", one + c.cc_one);
    w.files.add("/k/two", two + c.cc_two);
    w.env.vars["KUBECONFIG"] = "/k/one:/k/two";
    auto got = w.load();
    REQUIRE_MESSAGE(got, got.error());
    CHECK(got->context == c.context);
    CHECK(got->files == std::vector<std::string>{"/k/one", "/k/two"});
    // The first file's entries whole: the second's server, insecure and
    // tokenFile (which would fail to read) are all dropped.
    CHECK(got->endpoint.server == "https://one:6443");
    CHECK_FALSE(got->endpoint.insecure);
    CHECK(got->endpoint.username == "ann");
    CHECK(got->endpoint.token.empty());
    CHECK(got->namespace_ == (c.context == "first" ? "apps" : "default"));
  }
}

TEST_CASE("kubeconfig: the context, --context and the namespace") {
  const std::string text =
      "current-context: a\n"
      "clusters:\n- {name: c, cluster: {server: 'https://c:6443'}}\n"
      "users:\n- {name: u, user: {token: t}}\n"
      "contexts:\n- {name: a, context: {cluster: c, user: u}}\n"
      "- {name: b, context: {cluster: c, user: u, namespace: shop}}\n"
      "- {name: nocluster, context: {cluster: gone, user: u}}\n"
      "- {name: nouser, context: {cluster: c, user: gone}}\n"
      "- {name: empty, context: {user: u}}\n";
  struct Case {
    std::string flag;
    std::string context, namespace_;
    std::vector<std::string> error_parts;
  };
  const std::vector<Case> cases = {
      {"", "a", "default", {}},
      {"b", "b", "shop", {}},
      {"zz", "", "", {"context \"zz\" (from --context) is not in kubeconfig /home/ann/.kube/config",
                      "known contexts: a, b, empty, nocluster, nouser"}},
      {"nocluster", "", "", {"context \"nocluster\"", "names cluster \"gone\"", "known clusters: c"}},
      {"nouser", "", "", {"context \"nouser\"", "names user \"gone\"", "known users: u"}},
      {"empty", "", "", {"context \"empty\"", "names no cluster"}},
  };
  for (const auto& c : cases) {
    CAPTURE(c.flag);
    World w = with_default(text);
    KubeconfigOptions options;
    options.context = c.flag;
    auto got = w.load(options);
    if (!c.error_parts.empty()) {
      REQUIRE_FALSE(got);
      for (const auto& part : c.error_parts) CHECK_MESSAGE(contains(got.error(), part), got.error());
      continue;
    }
    REQUIRE_MESSAGE(got, got.error());
    CHECK(got->context == c.context);
    CHECK(got->namespace_ == c.namespace_);
  }
  SUBCASE("no current-context and no --context") {
    World w = with_default(kubeconfig("main", kServer, "    token: t\n", ""));
    auto got = w.load();
    REQUIRE_FALSE(got);
    CHECK(contains(got.error(), "sets no current-context; pass --context NAME (known contexts: main)"));
  }
  SUBCASE("a current-context that is not defined") {
    World w = with_default(kubeconfig("main", kServer, "    token: t\n", "current-context: old\n"));
    auto got = w.load();
    REQUIRE_FALSE(got);
    CHECK(contains(got.error(), "context \"old\" (its current-context) is not in kubeconfig"));
  }
}

TEST_CASE("kubeconfig: k3s's k3s.yaml loads as it is") {
  claw::io::DiskFileSystem disk;
  const std::string path = std::string(CLAW_SOURCE_DIR) + "/tests/runtime/kubeconfig/k3s.yaml";
  FakeCommandRunner runner{[](const Command&) -> std::expected<CommandResult, CommandError> {
    return std::unexpected(CommandError{false, "no plugin expected"});
  }};
  KubeconfigOptions options;
  options.kubeconfig = path;
  auto got = load_cluster_access(options, Environment{}, disk, runner);
  REQUIRE_MESSAGE(got, got.error());
  CHECK(got->context == "default");
  CHECK(got->namespace_ == "default");
  CHECK(got->endpoint.server == "https://127.0.0.1:6443");
  CHECK(got->endpoint.ca_pem.starts_with("-----BEGIN CERTIFICATE-----\nMIIBdzCCAR2gAwIBAgIBADAKBggqhkjOPQQDAjAjMSEwHwYDVQQDDBhrM3Mtc2Vy\n"));
  // The client certificate is a chain of two, as k3s writes it.
  CHECK(got->endpoint.client_cert_pem.find("-----END CERTIFICATE-----\n-----BEGIN CERTIFICATE-----") !=
        std::string::npos);
  CHECK(got->endpoint.client_key_pem.starts_with("-----BEGIN EC PRIVATE KEY-----\n"));
  CHECK_FALSE(got->endpoint.insecure);
  CHECK(got->endpoint.token.empty());
  CHECK(runner.calls().empty());
}

TEST_CASE("kubeconfig: certificates inline or as files, relative paths against the kubeconfig's folder") {
  struct Case {
    std::string name;
    std::string cluster, user;
    std::string config_path;
  };
  const std::string b64_ca = encode_base64(kCa), b64_cert = encode_base64(kCert), b64_key = encode_base64(kKey);
  const std::vector<Case> cases = {
      {"inline", kServer + "    certificate-authority-data: " + b64_ca + "\n",
       "    client-certificate-data: " + b64_cert + "\n    client-key-data: " + b64_key + "\n", "/home/ann/.kube/config"},
      {"absolute files", kServer + "    certificate-authority: /pki/ca.crt\n",
       "    client-certificate: /pki/admin.crt\n    client-key: /pki/admin.key\n", "/home/ann/.kube/config"},
      {"relative files", kServer + "    certificate-authority: ../../../pki/ca.crt\n",
       "    client-certificate: ../../../pki/admin.crt\n    client-key: ./../../../pki/admin.key\n", "/etc/claw/kube/config"},
      {"relative files, relative kubeconfig", kServer + "    certificate-authority: ca.crt\n",
       "    client-certificate: admin.crt\n    client-key: admin.key\n", "pki/config"},
      {"-data overrides the file", kServer + "    certificate-authority-data: " + b64_ca +
                                       "\n    certificate-authority: /missing/ca.crt\n",
       "    client-certificate-data: " + b64_cert + "\n    client-certificate: /missing/c\n    client-key-data: " +
           b64_key + "\n    client-key: /missing/k\n",
       "/home/ann/.kube/config"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    World w;
    for (const char* dir : {"/pki/", "pki/"}) {
      w.files.add(std::string(dir) + "ca.crt", kCa);
      w.files.add(std::string(dir) + "admin.crt", kCert);
      w.files.add(std::string(dir) + "admin.key", kKey);
    }
    w.files.add(c.config_path, kubeconfig("main", c.cluster, c.user));
    KubeconfigOptions options;
    options.kubeconfig = c.config_path;
    auto got = w.load(options);
    REQUIRE_MESSAGE(got, got.error());
    CHECK(got->endpoint.ca_pem == kCa);
    CHECK(got->endpoint.client_cert_pem == kCert);
    CHECK(got->endpoint.client_key_pem == kKey);
  }
}

TEST_CASE("kubeconfig: tokens, basic auth, insecure, tls-server-name and proxy-url") {
  struct Case {
    std::string name;
    std::string cluster, user;
    std::string token, username, password, tls_server_name, proxy_url, server;
    bool insecure = false;
  };
  const std::vector<Case> cases = {
      {"token", kServer, "    token: tok-1\n", "tok-1", "", "", "", "", "https://10.0.0.5:6443"},
      {"tokenFile, trimmed", kServer, "    tokenFile: tokens/t\n", "file-token", "", "", "", "", "https://10.0.0.5:6443"},
      {"tokenFile wins over token", kServer, "    token: tok-1\n    tokenFile: /home/ann/.kube/tokens/t\n",
       "file-token", "", "", "", "", "https://10.0.0.5:6443"},
      {"basic auth", kServer, "    username: ann\n    password: pw\n", "", "ann", "pw", "", "", "https://10.0.0.5:6443"},
      {"insecure only when set", kServer + "    insecure-skip-tls-verify: true\n", "    token: t\n", "t", "", "", "", "",
       "https://10.0.0.5:6443", true},
      {"insecure false", kServer + "    insecure-skip-tls-verify: false\n", "    token: t\n", "t", "", "", "", "",
       "https://10.0.0.5:6443", false},
      {"tls-server-name and proxy-url",
       kServer + "    tls-server-name: api.internal\n    proxy-url: socks5://proxy:1080\n", "    token: t\n", "t", "", "",
       "api.internal", "socks5://proxy:1080", "https://10.0.0.5:6443"},
      {"a trailing slash dropped, a path kept", "    server: https://h:6443/prefix/\n", "    token: t\n", "t", "", "", "",
       "", "https://h:6443/prefix"},
      // rest/url_utils.go: no scheme → https with TLS configured, else http.
      {"no scheme, insecure", "    server: h:6443\n    insecure-skip-tls-verify: true\n", "    token: t\n", "t", "", "",
       "", "", "https://h:6443", true},
      {"no scheme, no TLS", "    server: h:8080\n", "    token: t\n", "t", "", "", "", "", "http://h:8080"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    World w = with_default(kubeconfig("main", c.cluster, c.user));
    w.files.add("/home/ann/.kube/tokens/t", "  file-token\n\n");
    auto got = w.load();
    REQUIRE_MESSAGE(got, got.error());
    const auto& e = got->endpoint;
    CHECK(e.server == c.server);
    CHECK(e.token == c.token);
    CHECK(e.username == c.username);
    CHECK(e.password == c.password);
    CHECK(e.insecure == c.insecure);
    CHECK(e.tls_server_name == c.tls_server_name);
    CHECK(e.proxy_url == c.proxy_url);
    CHECK(e.ca_pem.empty());
    CHECK(e.client_cert_pem.empty());
  }
}

TEST_CASE("kubeconfig: one clear error each, never holding a credential") {
  const std::string b64_cert = encode_base64(kCert), b64_key = encode_base64(kKey);
  const std::string cert_user = "    client-certificate-data: " + b64_cert + "\n    client-key-data: " + b64_key + "\n";
  struct Case {
    std::string name;
    std::string text;
    std::vector<std::string> parts;
  };
  const std::vector<Case> cases = {
      {"YAML syntax error with its line", "clusters:\n- name: a\n  cluster: {server: [\n",
       {"kubeconfig /home/ann/.kube/config:", "YAML syntax error"}},
      {"YAML syntax error line", "current-context: a\nusers:\n  - name: x\n   bad: [\n",
       {"kubeconfig /home/ann/.kube/config:4:"}},
      {"not a map", "- a\n- b\n", {"not a kubeconfig"}},
      {"clusters not a list", "clusters: {a: b}\n", {"`clusters`", "must be a list"}},
      {"a name listed twice", "clusters:\n- {name: x, cluster: {server: 'https://a'}}\n- {name: x, cluster: {}}\n",
       {"the name \"x\" is listed twice"}},
      {"no server", kubeconfig("main", "    insecure-skip-tls-verify: true\n", "    token: CANARY-TOKEN\n"),
       {"cluster \"main\" in kubeconfig /home/ann/.kube/config: it has no `server`"}},
      {"a server of another scheme", kubeconfig("main", "    server: ftp://x\n", "    token: CANARY-TOKEN\n"),
       {"`server` has the scheme \"ftp\""}},
      {"insecure not a bool", kubeconfig("main", kServer + "    insecure-skip-tls-verify: maybe\n", "    token: x\n"),
       {"cluster \"main\"", "`insecure-skip-tls-verify` must be true or false"}},
      {"base64 that does not decode", kubeconfig("main", kServer + "    certificate-authority-data: CANARY!!\n", cert_user),
       {"cluster \"main\"", "`certificate-authority-data` is not valid base64"}},
      {"-data that is not PEM",
       kubeconfig("main", kServer, "    client-certificate-data: " + encode_base64("CANARY-NOT-PEM") +
                                       "\n    client-key-data: " + b64_key + "\n"),
       {"user \"main\"", "`client-certificate-data` does not decode to PEM"}},
      {"an unreadable CA file", kubeconfig("main", kServer + "    certificate-authority: ca.pem\n", cert_user),
       {"cluster \"main\"", "cannot read `certificate-authority` /home/ann/.kube/ca.pem"}},
      {"a key file that is not PEM", kubeconfig("main", kServer, "    client-certificate-data: " + b64_cert +
                                                                      "\n    client-key: /etc/notpem\n"),
       {"user \"main\"", "`client-key` /etc/notpem is not a PEM file"}},
      {"an unreadable token file", kubeconfig("main", kServer, "    tokenFile: /run/gone\n"),
       {"user \"main\"", "cannot read `tokenFile` /run/gone"}},
      {"an empty token file", kubeconfig("main", kServer, "    tokenFile: /etc/blank\n"), {"`tokenFile` /etc/blank is empty"}},
      {"a certificate without its key", kubeconfig("main", kServer, "    client-certificate-data: " + b64_cert + "\n"),
       {"client certificate but no `client-key`"}},
      {"token and basic auth", kubeconfig("main", kServer, "    token: CANARY-TOKEN\n    username: CANARY-USER\n    password: CANARY-PASSWORD\n"),
       {"more than one authentication method found"}},
      {"CA and insecure", kubeconfig("main", kServer + "    insecure-skip-tls-verify: true\n    certificate-authority-data: " +
                                                 encode_base64(kCa) + "\n", "    token: x\n"),
       {"both a certificate authority and `insecure-skip-tls-verify: true`"}},
      {"a proxy of another scheme", kubeconfig("main", kServer + "    proxy-url: ftp://CANARY-USER:CANARY-PASSWORD@proxy\n", "    token: x\n"),
       {"`proxy-url` has the scheme \"ftp\"; it must be http, https or socks5"}},
      {"auth-provider", kubeconfig("main", kServer, "    auth-provider:\n      name: gcp\n      config: {access-token: CANARY-TOKEN}\n"),
       {"user \"main\"", "auth-provider \"gcp\"", "use an exec credential plugin"}},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    World w = with_default(c.text);
    w.files.add("/etc/notpem", "CANARY-KEY-BYTES");
    w.files.add("/etc/blank", " \n");
    auto got = w.load();
    REQUIRE_FALSE(got);
    for (const auto& part : c.parts) CHECK_MESSAGE(contains(got.error(), part), got.error());
    CHECK_MESSAGE(!contains(got.error(), "CANARY"), got.error());
  }
}

namespace {

// A user running plugin `get-token` with apiVersion `version`.
std::string exec_user(const std::string& version, const std::string& more = "      interactiveMode: IfAvailable\n") {
  return "    exec:\n      apiVersion: client.authentication.k8s.io/" + version +
         "\n      command: get-token\n      args: [--cluster, prod]\n      env:\n      - {name: PROFILE, value: ops}\n"
         "      - {name: PATH, value: /opt/plugin/bin}\n" + more;
}

CommandResult printed(const std::string& out, int exit_code = 0) { return CommandResult{exit_code, false, out}; }

}  // namespace

TEST_CASE("kubeconfig: exec plugins are run as client-go runs them") {
  const std::string v1 = "client.authentication.k8s.io/v1";
  SUBCASE("v1: a token; args, env (process env, then the stanza's) and KUBERNETES_EXEC_INFO") {
    World w = with_default(kubeconfig("main", kServer, exec_user("v1")));
    w.runner = FakeCommandRunner{[&](const Command&) -> std::expected<CommandResult, CommandError> {
      return printed(R"({"apiVersion":")" + v1 + R"(","kind":"ExecCredential","status":{"token":"CANARY-EXEC-TOKEN"}})");
    }};
    auto got = w.load();
    REQUIRE_MESSAGE(got, got.error());
    CHECK(got->endpoint.token == "CANARY-EXEC-TOKEN");
    REQUIRE(w.runner.calls().size() == 1);
    const Command& cmd = w.runner.calls()[0];
    CHECK(cmd.program == "get-token");
    CHECK(cmd.args == std::vector<std::string>{"--cluster", "prod"});
    CHECK(cmd.env == std::vector<std::string>{
                         "HOME=/home/ann",
                         R"(KUBERNETES_EXEC_INFO={"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","spec":{"interactive":false}})",
                         "PATH=/opt/plugin/bin", "PROFILE=ops"});
  }
  SUBCASE("v1beta1: a client certificate and key; cluster info when asked for") {
    World w = with_default(kubeconfig("main",
                                      kServer + "    tls-server-name: api\n    certificate-authority-data: " +
                                          encode_base64(kCa) + "\n",
                                      exec_user("v1beta1", "      provideClusterInfo: true\n")));
    nlohmann::json status = {{"clientCertificateData", kCert}, {"clientKeyData", kKey}};
    w.runner = FakeCommandRunner{[&](const Command&) -> std::expected<CommandResult, CommandError> {
      nlohmann::json out = {{"apiVersion", "client.authentication.k8s.io/v1beta1"}, {"kind", "ExecCredential"}, {"status", status}};
      return printed(out.dump());
    }};
    auto got = w.load();
    REQUIRE_MESSAGE(got, got.error());
    CHECK(got->endpoint.client_cert_pem == kCert);
    CHECK(got->endpoint.client_key_pem == kKey);
    CHECK(got->endpoint.token.empty());
    REQUIRE(w.runner.calls().size() == 1);
    std::string info;
    for (const auto& entry : w.runner.calls()[0].env)
      if (entry.starts_with("KUBERNETES_EXEC_INFO=")) info = entry.substr(21);
    const auto doc = nlohmann::json::parse(info);
    CHECK(doc["apiVersion"] == "client.authentication.k8s.io/v1beta1");
    CHECK(doc["spec"]["interactive"] == false);
    CHECK(doc["spec"]["cluster"]["server"] == "https://10.0.0.5:6443");
    CHECK(doc["spec"]["cluster"]["tls-server-name"] == "api");
    CHECK(decode_base64(doc["spec"]["cluster"]["certificate-authority-data"].get<std::string>()) == kCa);
    CHECK_FALSE(doc["spec"]["cluster"].contains("insecure-skip-tls-verify"));
  }
  SUBCASE("a token in the kubeconfig wins over the plugin's") {
    World w = with_default(kubeconfig("main", kServer, "    token: static\n" + exec_user("v1")));
    w.runner = FakeCommandRunner{[&](const Command&) -> std::expected<CommandResult, CommandError> {
      return printed(R"({"apiVersion":")" + v1 + R"(","kind":"ExecCredential","status":{"token":"plugin"}})");
    }};
    auto got = w.load();
    REQUIRE_MESSAGE(got, got.error());
    CHECK(got->endpoint.token == "static");
  }
}

TEST_CASE("kubeconfig: exec plugin failures name the command, never its output") {
  const std::string ok_v1 = R"({"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential",)";
  struct Case {
    std::string name;
    std::string user;
    std::expected<CommandResult, CommandError> answer;
    std::vector<std::string> parts;
    bool runs = true;
  };
  const std::vector<Case> cases = {
      {"non-zero exit", exec_user("v1"), printed("CANARY-OUTPUT", 3),
       {"user \"main\"", "exec: executable get-token failed with exit code 3"}},
      {"killed on timeout", exec_user("v1"), CommandResult{-1, true, "CANARY-OUTPUT"},
       {"executable get-token did not finish within 60 s"}},
      {"not found, with the install hint", exec_user("v1", "      interactiveMode: Never\n      installHint: brew install get-token\n"),
       std::unexpected(CommandError{true, "No such file or directory"}),
       {"exec: executable get-token not found; install this client-go credential plugin (see https://kubernetes.io/docs/", "client-go-credential-plugins)\n\nbrew install get-token"}},
      {"bad JSON", exec_user("v1"), printed("CANARY-OUTPUT {"), {"exec plugin get-token: its output is not an ExecCredential"}},
      {"apiVersion mismatch", exec_user("v1"),
       printed(R"({"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"CANARY-T"}})"),
       {"configured to use API version client.authentication.k8s.io/v1, the plugin returned version "
        "client.authentication.k8s.io/v1beta1"}},
      {"no status", exec_user("v1"), printed(ok_v1 + R"("spec":{}})"), {"didn't return a status field"}},
      {"an empty status", exec_user("v1"), printed(ok_v1 + R"("status":{}})"), {"didn't return a token or cert/key pair"}},
      {"a certificate without its key", exec_user("v1"),
       printed(ok_v1 + R"("status":{"clientCertificateData":"-----BEGIN CERTIFICATE-----\nCANARY\n-----END CERTIFICATE-----\n"}})"),
       {"returned only certificate or key, not both"}},
      {"v1 without interactiveMode", exec_user("v1", ""), printed(""), {"`interactiveMode` must be set"}, false},
      {"interactiveMode Always", exec_user("v1", "      interactiveMode: Always\n"), printed(""),
       {"interactiveMode Always is not supported"}, false},
      {"an unknown apiVersion", exec_user("v1alpha1"), printed(""),
       {"invalid apiVersion \"client.authentication.k8s.io/v1alpha1\""}, false},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    World w = with_default(kubeconfig("main", kServer, c.user));
    const auto answer = c.answer;
    w.runner = FakeCommandRunner{[answer](const Command&) { return answer; }};
    auto got = w.load();
    REQUIRE_FALSE(got);
    for (const auto& part : c.parts) CHECK_MESSAGE(contains(got.error(), part), got.error());
    CHECK_MESSAGE(!contains(got.error(), "CANARY"), got.error());
    CHECK(w.runner.calls().size() == (c.runs ? 1u : 0u));
  }
}

TEST_CASE("kubeconfig: describe() of a loaded endpoint holds no credential") {
  World w = with_default(kubeconfig("main", kServer + "    certificate-authority-data: " + encode_base64(kCa) + "\n",
                                    "    client-certificate-data: " + encode_base64(kCert) + "\n    client-key-data: " +
                                        encode_base64(kKey) + "\n    tokenFile: /t\n"));
  w.files.add("/t", "CANARY-FILE-TOKEN\n");
  auto got = w.load();
  REQUIRE_MESSAGE(got, got.error());
  CHECK(got->endpoint.token == "CANARY-FILE-TOKEN");
  const std::string text = claw::cluster::describe(got->endpoint);
  CHECK(text == "https://10.0.0.5:6443 (client certificate, bearer token)");
  CHECK_FALSE(contains(text, "CANARY"));
}
