// How workloads are reached, read back from what `claw build` wrote:
// cross-references resolved to Service addresses, Service names, types and
// node ports, host networking and its DNS policy, Ingress classes, routes
// and TLS, the k3s flags in join scripts, and the GPU Operator's effects.
#include <doctest/doctest.h>
#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

#include "tests/unit/test_fs.h"

namespace {

const char* kMachines =
    "machine box { os = linux; arch = amd64; cpu = 8; memory = 32GiB; address = \"10.0.0.1\" }\n"
    "machine pi { os = linux; arch = arm64; cpu = 4; memory = 8GiB; address = \"10.0.0.2\"; k3s-args = "
    "[\"--kubelet-arg=max-pods=50\"] }\n";

struct Built : claw::testing::BuildRun {
  YAML::Node doc(const std::string& path, const std::string& kind, const std::string& name = "") const {
    for (auto& d : YAML::LoadAll(output(path)))
      if (d["kind"] && d["kind"].as<std::string>() == kind &&
          (name.empty() || d["metadata"]["name"].as<std::string>() == name))
        return d;
    return YAML::Node();
  }
  std::string env(const std::string& workload, const std::string& var) const {
    YAML::Node d = doc("manifests/default/" + workload + ".yaml", "Deployment");
    for (const auto& e : d["spec"]["template"]["spec"]["containers"][0]["env"])
      if (e["name"].as<std::string>() == var) return e["value"].as<std::string>();
    return "<missing>";
  }
};

std::string cluster(const std::string& extra) {
  return "cluster home { k3s = \"v1.31.4+k3s1\"; server = box; " + extra + " }\n" + kMachines;
}

}  // namespace

TEST_CASE("cross-references resolve to the Service's address, whatever the order") {
  struct Case {
    const char* value;
    const char* want;
  };
  const Case cases[] = {
      {"db.host", "postgres.data.svc.cluster.local"},
      {"db.port", "5432"},
      {"db.port.sql", "5432"},
      {"db.port.metrics", "9187"},
      {"db.url", "http://postgres.data.svc.cluster.local:5432"},
      {"db.url.metrics", "http://postgres.data.svc.cluster.local:9187"},
      {"ai.url", "http://ai.default.svc.cluster.local:11434"},  // `expose`, not the first port
      {"ai.url.https", "https://ai.default.svc.cluster.local:443"},
      {"web.host", "web.default.svc.cluster.local"},  // a daemon has a Service too
      {"\"${ai.url}/api/${db.port.sql}\"", "http://ai.default.svc.cluster.local:11434/api/5432"},
      {"\"no ${x} ref\"", "no 7 ref"},  // a let is not a workload
  };
  for (const auto& c : cases) {
    CAPTURE(c.value);
    Built b;
    b.build(cluster("") + "let x = 7\n" + "service app { image = \"nginx:1.27\"; env.V = " + c.value +
            " }\n"
            "service db { image = \"postgres:16\"; namespace = \"data\"; service-name = \"postgres\"; port sql = 5432; "
            "port metrics = 9187 }\n"
            "service ai { image = \"ollama/ollama:0.5.4\"; port https = 443; port api = 11434; expose = \"api\" }\n"
            "daemon web { image = \"nginx:1.27\"; port http = 80 }\n");
    REQUIRE(b.code == 0);
    CHECK(b.env("app", "V") == c.want);
  }
}

TEST_CASE("a Service's name, type and node ports") {
  Built b;
  b.build(cluster("") +
          "service hass { image = \"hass:1\"; service-name = \"home\"; service-type = NodePort; port http { port = "
          "8123; node = 30123 }; port api = 9000 }\n"
          "service lb { image = \"nginx:1.27\"; service-type = LoadBalancer; port http = 80; host = \"lb.example.com\" }\n");
  REQUIRE(b.code == 0);
  YAML::Node s = b.doc("manifests/default/hass.yaml", "Service");
  CHECK(s["metadata"]["name"].as<std::string>() == "home");
  CHECK(s["spec"]["type"].as<std::string>() == "NodePort");
  CHECK(s["spec"]["ports"][0]["nodePort"].as<int>() == 30123);
  CHECK(!s["spec"]["ports"][1]["nodePort"]);
  YAML::Node lb = b.doc("manifests/default/lb.yaml", "Service");
  CHECK(lb["spec"]["type"].as<std::string>() == "LoadBalancer");
  // The Ingress routes to the Service by its name.
  YAML::Node ing = b.doc("manifests/default/lb.yaml", "Ingress");
  CHECK(ing["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]["name"].as<std::string>() == "lb");
}

TEST_CASE("host networking and the DNS policy it defaults to") {
  struct Case {
    const char* fields;
    const char* dns;  // "" when none is written
    bool host;
  };
  const Case cases[] = {
      {"", "", false},
      {"host-network = true", "ClusterFirstWithHostNet", true},
      {"host-network = true; dns-policy = Default", "Default", true},
      {"dns-policy = ClusterFirst", "ClusterFirst", false},
  };
  for (const auto& c : cases) {
    CAPTURE(c.fields);
    Built b;
    b.build(cluster("") + "service dns { image = \"pihole/pihole:1\"; port dns { port = 53; protocol = UDP }; " +
            c.fields + " }\n");
    REQUIRE(b.code == 0);
    YAML::Node pod = b.doc("manifests/default/dns.yaml", "Deployment")["spec"]["template"]["spec"];
    CHECK((pod["dnsPolicy"] ? pod["dnsPolicy"].as<std::string>() : "") == c.dns);
    CHECK((pod["hostNetwork"] && pod["hostNetwork"].as<bool>()) == c.host);
  }
}

TEST_CASE("an ingress's class: its own, else the cluster's, else Traefik") {
  struct Case {
    const char* cluster;
    const char* ingress;
    const char* want;
  };
  const Case cases[] = {
      {"", "", "traefik"},
      {"ingress-class = \"nginx\"", "", "nginx"},
      {"ingress-class = \"nginx\"", "class = \"haproxy\"", "haproxy"},
      {"disable = [traefik]; ingress-class = \"nginx\"", "", "nginx"},
      {"disable = [traefik]", "class = \"nginx\"", "nginx"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.cluster);
    CAPTURE(c.ingress);
    Built b;
    b.build(cluster(c.cluster) + "service web { image = \"nginx:1.27\"; port http = 80; ingress main { hosts = [\"a.example.com\"]; " +
            c.ingress + " } }\n");
    REQUIRE(b.code == 0);
    YAML::Node ing = b.doc("manifests/default/web.yaml", "Ingress");
    CHECK(ing["metadata"]["name"].as<std::string>() == "web-main");
    CHECK(ing["spec"]["ingressClassName"].as<std::string>() == c.want);
  }
}

TEST_CASE("an ingress's hosts, routes, TLS and annotations") {
  Built b;
  b.build(cluster("") + R"(
service shop {
  image = "shop:1"
  port http = 8080
  port api = 9090
  ingress web {
    hosts = ["shop.example.com", "www.example.com"]
    route "/" = "http"
    route "/api" { port = "api"; match = Exact }
    tls { issuer = "letsencrypt" }
    annotations = { "nginx.ingress.kubernetes.io/proxy-body-size" = "0" }
  }
  ingress own { hosts = ["own.example.com"]; tls { secret = "own-cert"; issuer = "x" } }
}
)");
  REQUIRE(b.code == 0);
  YAML::Node ing = b.doc("manifests/default/shop.yaml", "Ingress", "shop-web");
  REQUIRE(ing);
  CHECK(ing["metadata"]["annotations"]["cert-manager.io/cluster-issuer"].as<std::string>() == "letsencrypt");
  CHECK(ing["metadata"]["annotations"]["nginx.ingress.kubernetes.io/proxy-body-size"].as<std::string>() == "0");
  REQUIRE(ing["spec"]["rules"].size() == 2);
  for (size_t h = 0; h < 2; ++h) {
    YAML::Node paths = ing["spec"]["rules"][h]["http"]["paths"];
    REQUIRE(paths.size() == 2);
    CHECK(paths[0]["path"].as<std::string>() == "/");
    CHECK(paths[0]["pathType"].as<std::string>() == "Prefix");
    CHECK(paths[0]["backend"]["service"]["port"]["name"].as<std::string>() == "http");
    CHECK(paths[1]["path"].as<std::string>() == "/api");
    CHECK(paths[1]["pathType"].as<std::string>() == "Exact");
    CHECK(paths[1]["backend"]["service"]["port"]["name"].as<std::string>() == "api");
  }
  CHECK(ing["spec"]["rules"][1]["host"].as<std::string>() == "www.example.com");
  CHECK(ing["spec"]["tls"][0]["secretName"].as<std::string>() == "shop-web-tls");
  CHECK(ing["spec"]["tls"][0]["hosts"].size() == 2);
  YAML::Node own = b.doc("manifests/default/shop.yaml", "Ingress", "shop-own");
  REQUIRE(own);
  CHECK(own["spec"]["tls"][0]["secretName"].as<std::string>() == "own-cert");
  // Without routes, "/" goes to the first port.
  CHECK(own["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]["port"]["name"].as<std::string>() == "http");
}

TEST_CASE("k3s flags: the cluster's on the server, the data directory everywhere, a machine's on itself") {
  Built b;
  b.build(cluster("disable = [traefik, local-storage]; data-dir = \"/srv/k3s\"; server-args = [\"--debug\"]") +
          "service web { image = \"nginx:1.27\"; port http = 80; ingress main { hosts = [\"a.example.com\"]; class = \"nginx\" } }\n");
  REQUIRE(b.code == 0);
  std::string server = b.output("join/box.sh"), agent = b.output("join/pi.sh");
  for (const char* flag : {"'--disable=traefik'", "'--disable=local-storage'", "'--data-dir=/srv/k3s'", "'--debug'"}) {
    CAPTURE(flag);
    CHECK(server.find(flag) != std::string::npos);
  }
  CHECK(server.find("max-pods") == std::string::npos);
  CHECK(agent.find("'--data-dir=/srv/k3s'") != std::string::npos);
  CHECK(agent.find("'--kubelet-arg=max-pods=50'") != std::string::npos);
  CHECK(agent.find("--disable") == std::string::npos);
  CHECK(agent.find("--debug") == std::string::npos);
  // The node token is where the data directory puts it.
  CHECK(agent.find("/srv/k3s/server/node-token") != std::string::npos);
  CHECK(server.find("/srv/k3s/server/node-token") != std::string::npos);
  CHECK(agent.find("/var/lib/rancher") == std::string::npos);
  CHECK(server.find("/var/lib/rancher") == std::string::npos);
}

TEST_CASE("GPUs: the device plugin needs the host's driver and claw's RuntimeClass; the operator neither") {
  for (bool op : {false, true}) {
    CAPTURE(op);
    Built b;
    b.build(std::string("cluster home { k3s = \"v1.31.4+k3s1\"; server = box") + (op ? "; gpu = operator" : "") +
            " }\nmachine box { os = linux; arch = amd64; cpu = 8; memory = 32GiB; gpu \"RTX\" { vram = 24GiB } }\n"
            "service llm { image = \"vllm:1\"; gpu {} }\n");
    REQUIRE(b.code == 0);
    std::string join = b.output("join/box.sh");
    CHECK((join.find("nvidia-smi") != std::string::npos) == !op);
    CHECK((join.find("nvidia-container-runtime") != std::string::npos) == !op);
    CHECK(b.output("manifests/runtimeclass-nvidia.yaml").empty() == op);
    // Pods use the `nvidia` runtime class either way (the operator makes one).
    YAML::Node d = b.doc("manifests/default/llm.yaml", "Deployment");
    CHECK(d["spec"]["template"]["spec"]["runtimeClassName"].as<std::string>() == "nvidia");
  }
}

TEST_CASE("GPU Operator: shared cards get the operator's time-slicing ConfigMap and chart values") {
  const std::string net =
      "cluster home { k3s = \"v1.31.4+k3s1\"; server = box; gpu = operator }\n"
      "machine box { os = linux; arch = amd64; cpu = 16; memory = 64GiB; gpu \"RTX\" { vram = 24GiB } }\n"
      "service a { image = \"vllm:1\"; gpu { vram = 8GiB; share = true } }\n"
      "service b { image = \"vllm:1\"; gpu { vram = 8GiB; share = true } }\n";
  struct Case {
    const char* values;     // the gpu-operator chart's values; null: no chart
    const char* namespace_;  // where the ConfigMap goes
    bool set;               // whether claw sets devicePlugin.config
  };
  const Case cases[] = {
      {nullptr, "gpu-operator", false},
      {"", "nvidia", true},
      {"values { driver.enabled = false }", "nvidia", true},
      {"values { devicePlugin.enabled = true }", "nvidia", true},
      {"values { devicePlugin.config.name = \"mine\" }", "nvidia", false},
  };
  for (const auto& c : cases) {
    CAPTURE(c.values ? c.values : "(no chart)");
    Built b;
    std::string chart = c.values ? std::string("chart gpu-operator { repo = \"https://helm.ngc.nvidia.com/nvidia\"; "
                                               "chart = \"gpu-operator\"; version = \"v24.9.1\"; namespace = \"nvidia\"; ") +
                                       c.values + " }\n"
                                 : "";
    b.build(net + chart);
    REQUIRE(b.code == 0);
    YAML::Node cm = YAML::Load(b.output(std::string("manifests/") + c.namespace_ + "/claw-time-slicing.configmap.yaml"));
    REQUIRE(cm["data"]);
    CHECK(cm["data"]["time-sliced-2"].as<std::string>().find("replicas: 2") != std::string::npos);
    CHECK(cm["metadata"]["namespace"].as<std::string>() == c.namespace_);
    if (!c.values) continue;
    YAML::Node values = YAML::Load(b.output("values/gpu-operator.yaml"));
    if (c.set) {
      CHECK(values["devicePlugin"]["config"]["name"].as<std::string>() == "claw-time-slicing");
      CHECK(values["devicePlugin"]["config"]["default"].as<std::string>() == "time-sliced-2");
    } else {
      CHECK(values["devicePlugin"]["config"]["name"].as<std::string>() == "mine");
      CHECK(!values["devicePlugin"]["config"]["default"]);
    }
  }
}
