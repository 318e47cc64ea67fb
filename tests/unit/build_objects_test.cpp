// What `claw build` writes beside the workloads' manifests: HelmCharts,
// secrets.json, NFS volumes, the device plugin's time-slicing config, and the
// `# source:` line above every document. Read back with yaml-cpp and
// nlohmann::json from what the build wrote.
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

#include "compiler/driver/cli.h"
#include "compiler/emit/time_slicing.h"
#include "compiler/io/filesystem.h"
#include "tests/unit/test_fs.h"

namespace {

const char* kNet =
    "cluster home { k3s = \"v1.31.4+k3s1\"; server = box; namespace = \"apps\" }\n"
    "machine box { os = linux; arch = amd64; cpu = 8; memory = 32GiB; address = \"10.0.0.1\" }\n"
    "machine nas { os = linux; arch = amd64; cpu = 4; memory = 8GiB; address = \"10.0.0.9\"\n"
    "  export media { path = \"/srv/media\"; size = 2TiB }\n"
    "  export books { path = \"/srv/books\"; size = 100GiB; access = ReadOnlyMany } }\n";

struct Built : claw::testing::BuildRun {
  std::string file(const std::string& path) const { return output(path); }
  std::vector<YAML::Node> docs(const std::string& path) const { return YAML::LoadAll(file(path)); }
};

void build(Built& b, const std::string& program, const std::string& net = kNet) { b.build(net + program); }

int line_of(const std::string& text, const std::string& needle) {
  auto at = text.find(needle);
  if (at == std::string::npos) return -1;
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n'));
}

const char* kCharts = R"(
import "std/charts/kube-prometheus-stack"
secret grafana-admin { from = env("GRAFANA_ADMIN_PASSWORD") }
secret api-key { from = file("/run/keys/api") }
chart monitoring = kube-prometheus-stack {
  version = "65.1.0"
  namespace = "monitoring"
  values {
    grafana.adminPassword = secret("grafana-admin")
    prometheus.prometheusSpec.retention = 15d
  }
}
chart plain {
  repo = "oci://ghcr.io/example/charts"
  chart = "thing"
  version = "1.2.3"
  values { replicas = 2 }
}
service api {
  image = "example/api:1"
  port http = 8080
  env { KEY = secret("api-key") }
}
)";

}  // namespace

TEST_CASE("build: a HelmChart per chart, its values inline and its secret values by reference") {
  Built b;
  build(b, kCharts);
  REQUIRE_MESSAGE(b.code == 0, b.console.err);
  auto docs = b.docs("manifests/kube-system/monitoring.helmchart.yaml");
  REQUIRE(docs.size() == 1);
  YAML::Node hc = docs[0];
  CHECK(hc["apiVersion"].as<std::string>() == "helm.cattle.io/v1");
  CHECK(hc["kind"].as<std::string>() == "HelmChart");
  CHECK(hc["metadata"]["name"].as<std::string>() == "monitoring");
  CHECK(hc["metadata"]["namespace"].as<std::string>() == "kube-system");
  CHECK(hc["metadata"]["labels"]["app.kubernetes.io/managed-by"].as<std::string>() == "claw");
  CHECK(hc["metadata"]["labels"]["claw.dev/project"].as<std::string>() == "home");
  CHECK(hc["spec"]["chart"].as<std::string>() == "kube-prometheus-stack");
  CHECK(hc["spec"]["repo"].as<std::string>() == "https://prometheus-community.github.io/helm-charts");
  CHECK(hc["spec"]["version"].as<std::string>() == "65.1.0");
  CHECK(hc["spec"]["targetNamespace"].as<std::string>() == "monitoring");
  // valuesContent is the values file's body: the same values, no secret.
  YAML::Node values = YAML::Load(hc["spec"]["valuesContent"].as<std::string>());
  CHECK(values["prometheus"]["prometheusSpec"]["retention"].as<std::string>() == "15d");
  CHECK(!values["grafana"]["adminPassword"]);
  CHECK(YAML::Load(b.file("values/monitoring.yaml"))["prometheus"]["prometheusSpec"]["retention"].as<std::string>() == "15d");
  REQUIRE(hc["spec"]["valuesSecrets"].IsSequence());
  CHECK(hc["spec"]["valuesSecrets"][0]["name"].as<std::string>() == "monitoring-claw-values");
  CHECK(hc["spec"]["valuesSecrets"][0]["keys"][0].as<std::string>() == "values.yaml");
  // The chart's namespace is created with the others.
  bool monitoring_ns = false;
  for (auto& d : b.docs("manifests/namespaces.yaml"))
    monitoring_ns = monitoring_ns || d["metadata"]["name"].as<std::string>() == "monitoring";
  CHECK(monitoring_ns);

  // An OCI repository is named in `chart`, with no `repo`.
  YAML::Node oci = b.docs("manifests/kube-system/plain.helmchart.yaml").at(0);
  CHECK(oci["spec"]["chart"].as<std::string>() == "oci://ghcr.io/example/charts/thing");
  CHECK(!oci["spec"]["repo"]);
  CHECK(!oci["spec"]["valuesSecrets"]);
  CHECK(YAML::Load(oci["spec"]["valuesContent"].as<std::string>())["replicas"].as<int>() == 2);
}

TEST_CASE("build: secrets.json names every secret, where its value comes from and who reads it; never a value") {
  Built b;
  build(b, kCharts);
  REQUIRE_MESSAGE(b.code == 0, b.console.err);
  auto j = nlohmann::json::parse(b.file("secrets.json"));
  REQUIRE(j["secrets"].size() == 2);
  const auto& grafana = j["secrets"][0];
  CHECK(grafana["name"] == "grafana-admin");
  CHECK(grafana["from"]["env"] == "GRAFANA_ADMIN_PASSWORD");
  CHECK(grafana["source"] == "net.claw:8");
  REQUIRE(grafana["used_by"].size() == 1);
  CHECK(grafana["used_by"][0]["kind"] == "chart");
  CHECK(grafana["used_by"][0]["values"] == "grafana.adminPassword");
  const auto& api = j["secrets"][1];
  CHECK(api["name"] == "api-key");
  CHECK(api["from"]["file"] == "/run/keys/api");
  CHECK(api["namespaces"] == nlohmann::json::array({"apps"}));
  REQUIRE(api["used_by"].size() == 1);
  CHECK(api["used_by"][0]["name"] == "api");
  CHECK(api["used_by"][0]["env"] == "KEY");
  REQUIRE(j["values_secrets"].size() == 1);
  CHECK(j["values_secrets"][0]["name"] == "monitoring-claw-values");
  CHECK(j["values_secrets"][0]["namespace"] == "kube-system");
  CHECK(j["values_secrets"][0]["values"][0]["path"] == "grafana.adminPassword");
  CHECK(j["values_secrets"][0]["values"][0]["secret"] == "grafana-admin");
}

TEST_CASE("build: a secret without a namespace is made only where workloads read it") {
  struct Case {
    const char* program;
    std::vector<std::string> namespaces;  // of secret `s`, sorted
  };
  const std::string secret_s = "secret s { from = env(\"S\") }\n";
  const Case cases[] = {
      // Read by nothing: made nowhere (a chart reads it through its values Secret).
      {"", {}},
      // Read in one namespace, not the cluster's: only there.
      {"service a { image = \"a:1\"; namespace = \"media\"; env { S = secret(\"s\") } }", {"media"}},
      // Read in the cluster's namespace and another: both.
      {"service a { image = \"a:1\"; env { S = secret(\"s\") } }\n"
       "job b { image = \"b:1\"; namespace = \"tools\"; env { S = secret(\"s\") } }",
       {"apps", "tools"}},
      // A workload that does not read it brings no copy.
      {"service a { image = \"a:1\"; namespace = \"media\"; env { S = secret(\"s\") } }\n"
       "service b { image = \"b:1\"; namespace = \"tools\" }",
       {"media"}},
  };
  for (const Case& c : cases) {
    CAPTURE(c.program);
    Built b;
    build(b, secret_s + c.program + "\n");
    REQUIRE_MESSAGE(b.code == 0, b.console.err);
    auto j = nlohmann::json::parse(b.file("secrets.json"));
    REQUIRE(j["secrets"].size() == 1);
    CHECK(j["secrets"][0]["namespaces"] == nlohmann::json(c.namespaces));
  }
  // A namespace written is kept, and readers elsewhere get theirs too.
  Built b;
  build(b, "secret s { from = env(\"S\"); namespace = \"vault\" }\n"
           "service a { image = \"a:1\"; namespace = \"media\"; env { S = secret(\"s\") } }\n");
  REQUIRE_MESSAGE(b.code == 0, b.console.err);
  auto j = nlohmann::json::parse(b.file("secrets.json"));
  CHECK(j["secrets"][0]["namespaces"] == nlohmann::json::array({"media", "vault"}));
}

TEST_CASE("build: an NFS export mounted by pods is a PersistentVolume bound to one claim per namespace") {
  Built b;
  build(b, R"(
service reader {
  image = "example/reader:1"
  volume books { at = "/books"; nfs = "nas.books"; readonly = true }
  volume media { at = "/media"; nfs = "nas.media" }
}
service other {
  image = "example/other:1"
  namespace = "tools"
  volume media { at = "/media"; nfs = "nas.media" }
}
)");
  REQUIRE_MESSAGE(b.code == 0, b.console.err);
  auto pvs = b.docs("manifests/nfs.persistentvolumes.yaml");
  // books in apps; media in apps and in tools.
  REQUIRE(pvs.size() == 3);
  YAML::Node books = pvs[0];
  CHECK(books["kind"].as<std::string>() == "PersistentVolume");
  CHECK(books["metadata"]["name"].as<std::string>() == "nfs-nas-books-apps");
  CHECK(!books["metadata"]["namespace"]);
  CHECK(books["spec"]["nfs"]["server"].as<std::string>() == "10.0.0.9");
  CHECK(books["spec"]["nfs"]["path"].as<std::string>() == "/srv/books");
  CHECK(books["spec"]["nfs"]["readOnly"].as<bool>());
  CHECK(books["spec"]["accessModes"][0].as<std::string>() == "ReadOnlyMany");
  CHECK(books["spec"]["capacity"]["storage"].as<std::string>() == "100Gi");
  CHECK(books["spec"]["persistentVolumeReclaimPolicy"].as<std::string>() == "Retain");
  CHECK(books["spec"]["storageClassName"].as<std::string>().empty());
  CHECK(books["spec"]["claimRef"]["namespace"].as<std::string>() == "apps");
  CHECK(books["spec"]["claimRef"]["name"].as<std::string>() == "nfs-nas-books");
  CHECK(pvs[1]["metadata"]["name"].as<std::string>() == "nfs-nas-media-apps");
  CHECK(pvs[1]["spec"]["accessModes"][0].as<std::string>() == "ReadWriteMany");
  CHECK(pvs[2]["metadata"]["name"].as<std::string>() == "nfs-nas-media-tools");

  auto claims = b.docs("manifests/apps/nfs.persistentvolumeclaims.yaml");
  REQUIRE(claims.size() == 2);
  CHECK(claims[0]["metadata"]["name"].as<std::string>() == "nfs-nas-books");
  CHECK(claims[0]["metadata"]["namespace"].as<std::string>() == "apps");
  CHECK(claims[0]["spec"]["volumeName"].as<std::string>() == "nfs-nas-books-apps");
  CHECK(claims[0]["spec"]["storageClassName"].as<std::string>().empty());
  CHECK(claims[0]["spec"]["resources"]["requests"]["storage"].as<std::string>() == "100Gi");
  CHECK(b.docs("manifests/tools/nfs.persistentvolumeclaims.yaml").size() == 1);

  // The pod mounts the claim, read-only where the volume says so.
  YAML::Node pod;
  for (auto& d : b.docs("manifests/apps/reader.yaml"))
    if (d["kind"].as<std::string>() == "Deployment") pod = d["spec"]["template"]["spec"];
  REQUIRE(pod["volumes"].IsSequence());
  CHECK(pod["volumes"][0]["persistentVolumeClaim"]["claimName"].as<std::string>() == "nfs-nas-books");
  CHECK(pod["volumes"][0]["persistentVolumeClaim"]["readOnly"].as<bool>());
  CHECK(!pod["volumes"][0]["nfs"]);
  CHECK(pod["volumes"][1]["persistentVolumeClaim"]["claimName"].as<std::string>() == "nfs-nas-media");
  CHECK(!pod["volumes"][1]["persistentVolumeClaim"]["readOnly"]);
}

TEST_CASE("build: every document names the source line it came from") {
  Built b;
  build(b, kCharts);
  REQUIRE_MESSAGE(b.code == 0, b.console.err);
  std::string program = std::string(kNet) + kCharts;
  std::string api = b.file("manifests/apps/api.yaml");
  // The Service comes from the port, the Deployment from the declaration.
  CHECK(api.find("# source: net.claw:" + std::to_string(line_of(program, "port http = 8080")) + "\napiVersion: v1\nkind: Service") !=
        std::string::npos);
  CHECK(api.find("# source: net.claw:" + std::to_string(line_of(program, "service api {")) + "\napiVersion: apps/v1\nkind: Deployment") !=
        std::string::npos);
  CHECK(b.file("manifests/kube-system/monitoring.helmchart.yaml")
            .find("# source: net.claw:" + std::to_string(line_of(program, "chart monitoring")) + "\n") != std::string::npos);
}

namespace {

const char* kGpuNet =
    "cluster home { k3s = \"v1.31.4+k3s1\"; server = box }\n"
    "machine box { os = linux; arch = amd64; cpu = 8; memory = 32GiB }\n"
    "machine g1 { os = linux; arch = amd64; cpu = 32; memory = 128GiB; gpu \"A\" x 2 { vram = 24GiB } }\n"
    "machine g2 { os = linux; arch = amd64; cpu = 32; memory = 128GiB; gpu \"B\" x 1 { vram = 24GiB } }\n"
    "import \"std/charts/nvidia-device-plugin\"\n"
    "chart nvdp = nvidia-device-plugin { version = \"0.17.0\" }\n";

}  // namespace

TEST_CASE("build: cards packed with sharing workloads get the device plugin's time-slicing config") {
  Built b;
  // Three 6GiB sharers on g1's cards (at most two per card by the spread,
  // or three on one card); g2 keeps whole-card work.
  build(b, R"(
service small { image = "example/small:1"; replicas = 3; on = g1; gpu { vram = 6GiB; share = true } }
service big { image = "example/big:1"; on = g2; gpu { count = 1 } }
)",
        kGpuNet);
  REQUIRE_MESSAGE(b.code == 0, b.console.err);
  auto placement = nlohmann::json::parse(b.file("placement.json"));
  std::vector<int> per_card(2, 0);
  for (const auto& p : placement["placements"])
    if (p["workload"] == "small")
      for (const auto& c : p["gpus"]) ++per_card.at(c.get<int>());
  int most = std::max(per_card[0], per_card[1]);
  REQUIRE(most >= 2);
  std::string sliced = "time-sliced-" + std::to_string(most);

  YAML::Node values = YAML::Load(b.file("values/nvdp.yaml"));
  // One machine each: the tie goes to `exclusive` as the default.
  CHECK(values["config"]["default"].as<std::string>() == "exclusive");
  CHECK(values["config"]["map"]["exclusive"].as<std::string>() == "version: v1\n");
  YAML::Node config = YAML::Load(values["config"]["map"][sliced].as<std::string>());
  CHECK(config["version"].as<std::string>() == "v1");
  YAML::Node r = config["sharing"]["timeSlicing"]["resources"][0];
  CHECK(r["name"].as<std::string>() == "nvidia.com/gpu");
  CHECK(r["replicas"].as<int>() == most);
  // The HelmChart carries the same values.
  YAML::Node hc = b.docs("manifests/kube-system/nvdp.helmchart.yaml").at(0);
  CHECK(YAML::Load(hc["spec"]["valuesContent"].as<std::string>())["config"]["default"].as<std::string>() == "exclusive");
  // g1 is not on the default, so its join script labels it with its config.
  CHECK(b.file("join/g1.sh").find("nvidia.com/device-plugin.config=" + sliced) != std::string::npos);
  CHECK(b.file("join/g2.sh").find("nvidia.com/device-plugin.config") == std::string::npos);
}

TEST_CASE("build: no sharing, no time-slicing; values that set `config` are left as written") {
  Built none;
  build(none, "service big { image = \"example/big:1\"; gpu { count = 1 } }\n", kGpuNet);
  REQUIRE_MESSAGE(none.code == 0, none.console.err);
  CHECK(!YAML::Load(none.file("values/nvdp.yaml"))["config"]);

  Built own;
  std::string net = kGpuNet;
  net.replace(net.find("chart nvdp = nvidia-device-plugin { version = \"0.17.0\" }"),
              std::string("chart nvdp = nvidia-device-plugin { version = \"0.17.0\" }").size(),
              "chart nvdp = nvidia-device-plugin { version = \"0.17.0\"; values { config.name = \"mine\" } }");
  build(own, "service s { image = \"example/s:1\"; replicas = 2; on = g2; gpu { vram = 4GiB; share = true } }\n", net);
  REQUIRE_MESSAGE(own.code == 0, own.console.err);
  YAML::Node config = YAML::Load(own.file("values/nvdp.yaml"))["config"];
  CHECK(config["name"].as<std::string>() == "mine");
  CHECK(config["map"].size() == 0);  // the schema's default, not claw's configs
}

TEST_CASE("build: a whole-card workload on a time-sliced machine is warned about") {
  Built b;
  build(b, R"(
service small { image = "example/small:1"; replicas = 2; on = g2; gpu { vram = 6GiB; share = true } }
service big { image = "example/big:1"; on = g1; gpu { count = 1 } }
service whole { image = "example/whole:1"; on = g2; gpu { count = 1 } }
)",
        kGpuNet);
  // g2 has one card: `whole` cannot have it while `small` shares it.
  CHECK(b.code == 1);
  CHECK(b.console.err.find("placement-infeasible") != std::string::npos);

  Built w;
  std::string net = kGpuNet;
  net += "machine g3 { os = linux; arch = amd64; cpu = 32; memory = 128GiB; gpu \"C\" x 2 { vram = 24GiB } }\n";
  build(w, R"(
service small { image = "example/small:1"; replicas = 2; on = g3; gpu { vram = 6GiB; share = true } }
service whole { image = "example/whole:1"; on = g3; gpu { count = 1 } }
)",
        net);
  // `whole` holds one of g3's cards, so both sharers are packed on the other:
  // g3's cards are time-sliced, and `whole` may get a slice.
  REQUIRE_MESSAGE(w.code == 0, w.console.err);
  CHECK(w.console.err.find("warning: `whole` asks for whole cards on `g3`, whose cards are time-sliced") != std::string::npos);
  CHECK(w.console.err.find("[whole-gpu-time-sliced]") != std::string::npos);
  CHECK(YAML::Load(w.file("values/nvdp.yaml"))["config"]["map"]["time-sliced-2"]);
}

TEST_CASE("build: the placement table shows each machine's use, cards and replicas in columns") {
  claw::testing::BuildRun b;
  b.build(R"(cluster home { k3s = "v1.31.4+k3s1"; server = box; namespace = "apps" }
machine box { os = linux; arch = amd64; cpu = 8; memory = 32GiB }
machine gpu-box { os = linux; arch = amd64; cpu = 24; memory = 128GiB
  gpu "RTX" x 2 { vram = 24GiB } }
machine off { os = linux; arch = amd64; cpu = 4; memory = 8GiB; joined = false }
service web { image = "nginx:1.27"; replicas = 2; needs { cpu = 1500m; memory = 1GiB }; avoid = [gpu-box] }
service llm { image = "vllm:1"; gpu { count = 1; vram = 8GiB; share = true } }
service embed { image = "embed:1"; gpu { count = 1; vram = 8GiB; share = true }; needs { memory = 128MiB } }
job a-job-with-a-rather-long-name-here { image = "j:1" }
)");
  REQUIRE_MESSAGE(b.code == 0, b.console.err);
  CHECK(b.console.out ==
        "placement (5 replicas, exact search)\n"
        "\n"
        // 8 cores less 80m + 1%; 32GiB less 330MiB + 5% + 100MiB (29.98GiB).
        "box  cpu 3/7.84 (38%)  memory 2GiB/30.0GiB (7%)\n"
        "  service web[0]                       cpu   1.5  memory    1GiB\n"
        "  service web[1]                       cpu   1.5  memory    1GiB\n"
        "\n"
        "gpu-box  cpu 0.3/23.68 (1%)  memory 384MiB/121.2GiB (0%)\n"
        "  gpu #0 RTX  vram 16GiB/23.5GiB (68%)  shared by 2\n"
        "  gpu #1 RTX  vram 0GiB/23.5GiB (0%)  free\n"
        // What `needs` leaves out is marked assumed, field by field.
        "  service llm                          cpu   0.1* memory  128MiB*  gpu #0 (8GiB each, shared)\n"
        "  service embed                        cpu   0.1* memory  128MiB  gpu #0 (8GiB each, shared)\n"
        "  job     a-job-with-a-rather-long-name-here cpu   0.1* memory  128MiB*\n"
        "\n"
        "* assumed: `needs` does not say, so the stdlib's `resources` default is placed and requested\n"
        "\n"
        "wrote out/ (12 files)\n");
}

TEST_CASE("the cluster-wide manifests sit beside the namespaces' folders, where no workload's file can be") {
  // A namespace named `cluster` with workloads named as the cluster-wide
  // files are: each keeps its own manifest (cluster-wide files were once
  // written into manifests/cluster/, and replaced these).
  Built b;
  build(b, R"(
service namespaces { image = "registry.example.com/a:1"; namespace = "cluster" }
service runtimeclass-nvidia { image = "registry.example.com/b:1"; namespace = "cluster" }
)");
  REQUIRE(b.code == 0);
  for (const char* name : {"namespaces", "runtimeclass-nvidia"}) {
    CAPTURE(name);
    auto docs = b.docs(std::string("manifests/cluster/") + name + ".yaml");
    REQUIRE(!docs.empty());
    CHECK(docs.at(0)["kind"].as<std::string>() == "Deployment");
    CHECK(docs.at(0)["metadata"]["name"].as<std::string>() == name);
  }
  bool cluster_ns = false;
  for (auto& d : b.docs("manifests/namespaces.yaml"))
    cluster_ns = cluster_ns || (d["kind"].as<std::string>() == "Namespace" && d["metadata"]["name"].as<std::string>() == "cluster");
  CHECK(cluster_ns);
}
