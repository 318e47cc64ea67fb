// Volumes of each kind, Secrets and ConfigMaps claw does not create, and
// pod settings: what `claw build` writes for each, read back with yaml-cpp.
#include <doctest/doctest.h>
#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

#include "tests/unit/test_fs.h"

namespace {

const char* kNet =
    "cluster home { k3s = \"v1.31.4+k3s1\"; server = box }\n"
    "machine box { os = linux; arch = amd64; cpu = 8; memory = 32GiB; taint \"dedicated=db:NoSchedule\" }\n"
    "machine nas { os = linux; arch = amd64; cpu = 2; memory = 2GiB; address = \"10.0.0.9\"; k3s = none\n"
    "  export media { path = \"/srv/media\"; size = 1TiB; options = [\"nfsvers=4.1\"] } }\n"
    "secret db-pass { from = env(\"DB\") }\n";

struct Built : claw::testing::BuildRun {
  YAML::Node doc(const std::string& path, const std::string& kind) const {
    for (auto& d : YAML::LoadAll(output("manifests/" + path)))
      if (d["kind"] && d["kind"].as<std::string>() == kind) return d;
    return YAML::Node();
  }
};

/// A node as one line, `key=value` and `key.sub=value` in document order,
/// `[i]` for sequence items, `{}` for an empty map: readable expectations for small subtrees.
void flatten(const YAML::Node& n, const std::string& at, std::string& out) {
  if (!n.IsDefined()) return;
  if (n.IsMap() && n.size() == 0) {
    out += (out.empty() ? "" : " ") + at + "={}";
  } else if (n.IsMap()) {
    for (const auto& kv : n) flatten(kv.second, at.empty() ? kv.first.as<std::string>() : at + "." + kv.first.as<std::string>(), out);
  } else if (n.IsSequence()) {
    for (size_t i = 0; i < n.size(); ++i) flatten(n[i], at + "[" + std::to_string(i) + "]", out);
  } else {
    out += (out.empty() ? "" : " ") + at + "=" + (n.IsNull() ? "~" : n.as<std::string>());
  }
}
std::string flat(const YAML::Node& n) {
  std::string out;
  flatten(n, "", out);
  return out;
}

}  // namespace

TEST_CASE("volumes: each kind is the pod volume, mount and claim its author wrote") {
  struct Case {
    const char* volume;       // the volume's fields after `at`
    const char* pod_volume;   // the pod's volumes[0], flattened
    const char* mount;        // the container's volumeMounts[0]
    const char* claim;        // the PersistentVolumeClaim in the workload's file, or ""
  };
  const std::vector<Case> cases = {
      {"shared = 5GiB; class = \"fast\"; access = ReadWriteMany",
       "name=v persistentVolumeClaim.claimName=web-v", "mountPath=/v name=v",
       "accessModes[0]=ReadWriteMany resources.requests.storage=5Gi storageClassName=fast"},
      {"claim = \"library\"; sub-path = \"books\"; readonly = true",
       "name=v persistentVolumeClaim.claimName=library", "mountPath=/v name=v readOnly=true subPath=books", ""},
      {"host-path = \"/dev/dri\"; host-type = Directory", "hostPath.path=/dev/dri hostPath.type=Directory name=v",
       "mountPath=/v name=v", ""},
      {"host-path = \"/var/log\"", "hostPath.path=/var/log name=v", "mountPath=/v name=v", ""},
      {"temp {}", "emptyDir={} name=v", "mountPath=/v name=v", ""},
      {"temp { memory = true; limit = 1GiB }", "emptyDir.medium=Memory emptyDir.sizeLimit=1Gi name=v", "mountPath=/v name=v", ""},
      {"nfs = \"nas.media\"; readonly = true",
       "name=v persistentVolumeClaim.claimName=nfs-nas-media persistentVolumeClaim.readOnly=true",
       "mountPath=/v name=v readOnly=true", ""},
      {"nfs = \"10.0.0.7:/export/music\"", "name=v nfs.path=/export/music nfs.server=10.0.0.7", "mountPath=/v name=v", ""},
      {"secret = \"pg\"", "name=v secret.secretName=pg", "mountPath=/v name=v", ""},
      {"secret = \"pg\"; keys { password = \"db/pw\"; user = \"db/user\" }; mode = \"0400\"",
       "name=v secret.defaultMode=256 secret.items[0].key=password secret.items[0].path=db/pw "
       "secret.items[1].key=user secret.items[1].path=db/user secret.secretName=pg",
       "mountPath=/v name=v", ""},
      {"config-map = \"nginx\"; key = \"nginx.conf\"; mode = \"644\"", "configMap.defaultMode=420 configMap.name=nginx name=v",
       "mountPath=/v name=v subPath=nginx.conf", ""},
  };
  for (const Case& c : cases) {
    const std::string volume = c.volume;
    CAPTURE(volume);
    Built b;
    b.build(std::string(kNet) + "service web { image = \"x:1\"; tolerate = [\"dedicated=db:NoSchedule\"]; volume v { at = \"/v\"; " +
            c.volume + " } }\n");
    REQUIRE_MESSAGE(b.code == 0, b.console.err);
    YAML::Node d = b.doc("default/web.yaml", "Deployment");
    REQUIRE(d.IsMap());
    YAML::Node spec = d["spec"]["template"]["spec"];
    CHECK(flat(spec["volumes"][0]) == c.pod_volume);
    CHECK(flat(spec["containers"][0]["volumeMounts"][0]) == c.mount);
    YAML::Node claim = b.doc("default/web.yaml", "PersistentVolumeClaim");
    CHECK((claim.IsMap() ? flat(claim["spec"]) : std::string()) == c.claim);
  }
}

TEST_CASE("volumes: only `size` makes a StatefulSet, each `size` volume a claim template") {
  Built b;
  b.build(std::string(kNet) +
          "service db { image = \"x:1\"; tolerate = [\"dedicated=db:NoSchedule\"]\n"
          "  volume data { at = \"/data\"; size = 10GiB; class = \"local-path\" }\n"
          "  volume shared { at = \"/shared\"; shared = 1GiB }\n"
          "  volume m { at = \"/m\"; nfs = \"nas.media\" } }\n"
          "service web { image = \"x:1\"; tolerate = [\"dedicated=db:NoSchedule\"]; volume s { at = \"/s\"; shared = 1GiB } }\n");
  REQUIRE_MESSAGE(b.code == 0, b.console.err);
  YAML::Node st = b.doc("default/db.yaml", "StatefulSet");
  REQUIRE(st.IsMap());
  REQUIRE(st["spec"]["volumeClaimTemplates"].size() == 1);
  CHECK(flat(st["spec"]["volumeClaimTemplates"][0]) ==
        "metadata.name=data spec.accessModes[0]=ReadWriteOnce spec.resources.requests.storage=10Gi "
        "spec.storageClassName=local-path");
  CHECK(flat(st["spec"]["template"]["spec"]["volumes"]) ==
        "[0].name=shared [0].persistentVolumeClaim.claimName=db-shared [1].name=m [1].persistentVolumeClaim.claimName=nfs-nas-media");
  CHECK(b.doc("default/db.yaml", "PersistentVolumeClaim")["metadata"]["name"].as<std::string>() == "db-shared");
  CHECK(b.doc("default/web.yaml", "Deployment").IsMap());
  CHECK(!b.doc("default/web.yaml", "StatefulSet").IsMap());
  // Mount options of an export are on its PersistentVolume.
  std::vector<YAML::Node> pvs = YAML::LoadAll(b.output("manifests/nfs.persistentvolumes.yaml"));
  REQUIRE(pvs.size() == 1);
  CHECK(flat(pvs[0]["spec"]["mountOptions"]) == "[0]=nfsvers=4.1");
}

TEST_CASE("pod settings: each is written where Kubernetes reads it") {
  struct Case {
    const char* member;  // a member of the service
    const char* path;    // where in the Deployment, dot-separated; `#n` indexes a list
    const char* expected;
  };
  const std::vector<Case> cases = {
      {"env-ref PW { secret = \"pg\"; key = \"password\" }", "spec.template.spec.containers.#0.env.#0",
       "name=PW valueFrom.secretKeyRef.key=password valueFrom.secretKeyRef.name=pg"},
      {"env-ref MODE { config-map = \"app\"; key = \"mode\" }", "spec.template.spec.containers.#0.env.#0",
       "name=MODE valueFrom.configMapKeyRef.key=mode valueFrom.configMapKeyRef.name=app"},
      {"env-from = [{ secret = \"pg\"; prefix = \"PG_\" }, { config-map = \"app\" }]", "spec.template.spec.containers.#0.envFrom",
       "[0].prefix=PG_ [0].secretRef.name=pg [1].configMapRef.name=app"},
      {"security { user = 1000; group = 2000; fs-group = 3000; non-root = true; cap-drop = [\"ALL\"] }",
       "spec.template.spec.containers.#0.securityContext",
       "capabilities.drop[0]=ALL runAsGroup=2000 runAsNonRoot=true runAsUser=1000"},
      {"security { fs-group = 3000 }", "spec.template.spec.securityContext", "fsGroup=3000"},
      {"security { privileged = true; read-only-root = true; escalation = true; cap-add = [\"NET_ADMIN\"] }",
       "spec.template.spec.containers.#0.securityContext",
       "allowPrivilegeEscalation=true capabilities.add[0]=NET_ADMIN privileged=true readOnlyRootFilesystem=true"},
      {"sidecar log { image = \"busybox:1\"; needs { memory = 32MiB } }", "spec.template.spec.initContainers",
       "[0].image=busybox:1 [0].name=log [0].resources.requests.memory=32Mi [0].restartPolicy=Always"},
      {"init a { image = \"a:1\"; command = [\"x\"] }; init b { image = \"b:1\"; env-ref T { secret = \"s\"; key = \"k\" } }",
       "spec.template.spec.initContainers",
       "[0].command[0]=x [0].image=a:1 [0].name=a [1].env[0].name=T [1].env[0].valueFrom.secretKeyRef.key=k "
       "[1].env[0].valueFrom.secretKeyRef.name=s [1].image=b:1 [1].name=b"},
      {"on-start = exec([\"warm\"]); on-stop = http(\"/drain\", 8080)", "spec.template.spec.containers.#0.lifecycle",
       "postStart.exec.command[0]=warm preStop.httpGet.path=/drain preStop.httpGet.port=8080"},
      {"workdir = \"/srv\"", "spec.template.spec.containers.#0.workingDir", "=/srv"},
      {"service-account = \"api\"", "spec.template.spec.serviceAccountName", "=api"},
      {"pull = Never", "spec.template.spec.containers.#0.imagePullPolicy", "=Never"},
      {"pull-secrets = [\"regcred\", \"ghcr\"]", "spec.template.spec.imagePullSecrets", "[0].name=regcred [1].name=ghcr"},
      {"labels { tier = \"web\" }", "spec.template.metadata.labels",
       "app.kubernetes.io/managed-by=claw app.kubernetes.io/name=web claw.dev/project=home tier=web"},
      {"labels { tier = \"web\" }", "metadata.labels",
       "app.kubernetes.io/managed-by=claw app.kubernetes.io/name=web claw.dev/project=home tier=web"},
      {"labels { tier = \"web\" }", "spec.selector.matchLabels", "app.kubernetes.io/name=web"},
      {"annotations { \"example.com/a\" = \"1\" }", "metadata.annotations", "claw.dev/placement=box example.com/a=1"},
      {"annotations { \"example.com/a\" = \"1\" }", "spec.template.metadata.annotations", ""},
      {"pod-annotations { \"example.com/p\" = \"2\" }", "spec.template.metadata.annotations", "example.com/p=2"},
      {"tolerate-all = true", "spec.template.spec.tolerations",
       "[0].operator=Exists [1].effect=NoSchedule [1].key=dedicated [1].operator=Equal [1].value=db"},
  };
  for (const Case& c : cases) {
    const std::string member = c.member;
    CAPTURE(member);
    Built b;
    b.build(std::string(kNet) + "service web { image = \"x:1\"; tolerate = [\"dedicated=db:NoSchedule\"]; " + c.member + " }\n");
    REQUIRE_MESSAGE(b.code == 0, b.console.err);
    YAML::Node n = b.doc("default/web.yaml", "Deployment");
    REQUIRE(n.IsMap());
    std::string path = c.path;
    for (size_t start = 0; n && start < path.size();) {
      size_t dot = path.find('.', start);
      std::string part = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
      n = part[0] == '#' ? YAML::Node(n[std::stoul(part.substr(1))]) : YAML::Node(n[part]);
      start = dot == std::string::npos ? path.size() : dot + 1;
    }
    CHECK(flat(n) == c.expected);
  }
}

TEST_CASE("cron: `timezone` is the CronJob's timeZone, and without it none is written") {
  Built b;
  b.build(std::string(kNet) +
          "cron a { image = \"x:1\"; tolerate = [\"dedicated=db:NoSchedule\"]; schedule = \"0 3 * * *\"; timezone = \"Europe/Berlin\" }\n"
          "cron b { image = \"x:1\"; tolerate = [\"dedicated=db:NoSchedule\"]; schedule = \"0 3 * * *\" }\n");
  REQUIRE_MESSAGE(b.code == 0, b.console.err);
  CHECK(b.doc("default/a.yaml", "CronJob")["spec"]["timeZone"].as<std::string>() == "Europe/Berlin");
  CHECK(!b.doc("default/b.yaml", "CronJob")["spec"]["timeZone"]);
}
