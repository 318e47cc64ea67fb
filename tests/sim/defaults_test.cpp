// Each expected object is written from the defaulting sources cited in
// runtime/sim/DEFAULTS.md (kubernetes/kubernetes pkg/apis/*/v1/defaults.go,
// zz_generated.defaults.go, the registry strategies and alloc.go). The Job
// case also matches the `kubectl describe job pi` output of
// kubernetes.io/docs/concepts/workloads/controllers/job/ (a Job created
// without labels carries the four generated labels and selects on
// batch.kubernetes.io/controller-uid).
#include "runtime/sim/defaults.h"

#include <doctest/doctest.h>

using namespace claw::sim;

namespace {

const Registry& registry() {
  static const Registry r = Registry::builtin();
  return r;
}

const ResourceType& type_of(const char* group, const char* kind) {
  const ResourceType* t = registry().find_kind(group, "v1", kind);
  REQUIRE(t != nullptr);
  return *t;
}

struct Allocator {
  int next_ip = 10;
  int next_port = 30000;
  DefaultingContext context(std::string uid = "uid-1") {
    return {std::move(uid), [this] { return "10.43.0." + std::to_string(next_ip++); },
            [this] { return next_port++; }};
  }
};

Json defaulted(const char* group, const char* kind, const char* in, const Json* old = nullptr) {
  Allocator alloc;
  Json obj = Json::parse(in);
  apply_defaults(type_of(group, kind), obj, old, alloc.context());
  return obj;
}

// The pod template every workload below starts from, and what it becomes.
constexpr const char* kTemplateIn = R"({"metadata": {"labels": {"app": "web"}},
  "spec": {"containers": [{"name": "web", "image": "nginx:1.27", "ports": [{"containerPort": 80}]}]}})";

Json template_out() {
  return Json::parse(R"({"metadata": {"labels": {"app": "web"}, "creationTimestamp": null},
    "spec": {"containers": [{"name": "web", "image": "nginx:1.27", "imagePullPolicy": "IfNotPresent",
      "ports": [{"containerPort": 80, "protocol": "TCP"}], "resources": {},
      "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File"}],
      "dnsPolicy": "ClusterFirst", "restartPolicy": "Always", "schedulerName": "default-scheduler",
      "securityContext": {}, "terminationGracePeriodSeconds": 30}})");
}

std::string with_template(const std::string& before, const std::string& after = "}}") {
  return before + R"("template": )" + kTemplateIn + after;
}

}  // namespace

TEST_CASE("defaults: Deployment") {
  Json got = defaulted("apps", "Deployment",
                       with_template(R"({"metadata": {"name": "web"}, "spec": {"selector": {"matchLabels": {"app": "web"}}, )").c_str());
  Json want = Json::parse(R"({"metadata": {"name": "web"}, "spec": {
    "selector": {"matchLabels": {"app": "web"}}, "replicas": 1, "revisionHistoryLimit": 10,
    "progressDeadlineSeconds": 600,
    "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": "25%"}}},
    "status": {}})");
  want["spec"]["template"] = template_out();
  CHECK(got == want);

  // A Recreate strategy gets no rollingUpdate; given values are kept.
  got = defaulted("apps", "Deployment", R"({"spec": {"replicas": 0, "strategy": {"type": "Recreate"}}})");
  CHECK(got["spec"]["replicas"] == 0);
  CHECK(got["spec"]["strategy"] == Json{{"type", "Recreate"}});
}

TEST_CASE("defaults: StatefulSet with claim templates") {
  Json got = defaulted("apps", "StatefulSet", with_template(R"({"spec": {"serviceName": "db",
    "volumeClaimTemplates": [{"metadata": {"name": "data"}, "spec": {"accessModes": ["ReadWriteOnce"],
      "resources": {"requests": {"storage": "1Gi"}}}}], )").c_str());
  Json want = Json::parse(R"({"spec": {"serviceName": "db", "replicas": 1, "revisionHistoryLimit": 10,
    "podManagementPolicy": "OrderedReady",
    "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"partition": 0}},
    "persistentVolumeClaimRetentionPolicy": {"whenDeleted": "Retain", "whenScaled": "Retain"},
    "volumeClaimTemplates": [{"apiVersion": "v1", "kind": "PersistentVolumeClaim",
      "metadata": {"name": "data", "creationTimestamp": null},
      "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}},
        "volumeMode": "Filesystem"},
      "status": {"phase": "Pending"}}]},
    "status": {"replicas": 0, "availableReplicas": 0}})");
  want["spec"]["template"] = template_out();
  CHECK(got == want);

  // OnDelete: no rollingUpdate is added.
  got = defaulted("apps", "StatefulSet", R"({"spec": {"updateStrategy": {"type": "OnDelete"}}})");
  CHECK(got["spec"]["updateStrategy"] == Json{{"type", "OnDelete"}});
}

TEST_CASE("defaults: DaemonSet and ReplicaSet") {
  Json got = defaulted("apps", "DaemonSet", with_template(R"({"spec": {)").c_str());
  Json want = Json::parse(R"({"spec": {"revisionHistoryLimit": 10,
    "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1, "maxSurge": 0}}},
    "status": {"currentNumberScheduled": 0, "numberMisscheduled": 0, "desiredNumberScheduled": 0, "numberReady": 0}})");
  want["spec"]["template"] = template_out();
  CHECK(got == want);

  got = defaulted("apps", "ReplicaSet", with_template(R"({"spec": {)").c_str());
  want = Json::parse(R"({"spec": {"replicas": 1}, "status": {"replicas": 0}})");
  want["spec"]["template"] = template_out();
  CHECK(got == want);
}

TEST_CASE("defaults: Job gets a generated selector and labels") {
  Json got = defaulted("batch", "Job", R"({"metadata": {"name": "pi"}, "spec": {"template": {"spec": {
    "containers": [{"name": "pi", "image": "perl:5.34.0"}], "restartPolicy": "Never"}}, "backoffLimit": 4}})");
  Json labels = {{"batch.kubernetes.io/controller-uid", "uid-1"}, {"batch.kubernetes.io/job-name", "pi"},
                 {"controller-uid", "uid-1"}, {"job-name", "pi"}};
  Json want = Json::parse(R"({"metadata": {"name": "pi"}, "spec": {"backoffLimit": 4, "completions": 1,
    "parallelism": 1, "completionMode": "NonIndexed", "suspend": false, "manualSelector": false,
    "podReplacementPolicy": "TerminatingOrFailed",
    "selector": {"matchLabels": {"batch.kubernetes.io/controller-uid": "uid-1"}},
    "template": {"metadata": {"creationTimestamp": null}, "spec": {
      "containers": [{"name": "pi", "image": "perl:5.34.0", "imagePullPolicy": "IfNotPresent", "resources": {},
        "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File"}],
      "restartPolicy": "Never", "dnsPolicy": "ClusterFirst", "schedulerName": "default-scheduler",
      "securityContext": {}, "terminationGracePeriodSeconds": 30}}}, "status": {}})");
  want["metadata"]["labels"] = labels;
  want["spec"]["template"]["metadata"]["labels"] = labels;
  CHECK(got == want);
}

TEST_CASE("defaults: Job variants") {
  // Template labels become the Job's labels before the generated ones exist.
  Json got = defaulted("batch", "Job", R"({"metadata": {"name": "j"}, "spec": {"template": {
    "metadata": {"labels": {"app": "x"}}, "spec": {}}}})");
  CHECK(got["metadata"]["labels"] == Json{{"app", "x"}});
  CHECK(got["spec"]["template"]["metadata"]["labels"].size() == 5);
  // Only parallelism given: completions stays unset.
  got = defaulted("batch", "Job", R"({"spec": {"parallelism": 3, "template": {"spec": {}}}})");
  CHECK_FALSE(got["spec"].contains("completions"));
  CHECK(got["spec"]["parallelism"] == 3);
  // backoffLimitPerIndex: backoffLimit is MaxInt32; podFailurePolicy: Failed.
  got = defaulted("batch", "Job", R"({"spec": {"backoffLimitPerIndex": 1, "completionMode": "Indexed",
    "podFailurePolicy": {"rules": [{"action": "Ignore", "onPodConditions": [{"type": "DisruptionTarget"}]}]},
    "template": {"spec": {}}}})");
  CHECK(got["spec"]["backoffLimit"] == 2147483647);
  CHECK(got["spec"]["podReplacementPolicy"] == "Failed");
  CHECK(got["spec"]["podFailurePolicy"]["rules"][0]["onPodConditions"][0]["status"] == "True");
  // manualSelector: true, no selector is generated.
  got = defaulted("batch", "Job", R"({"spec": {"manualSelector": true, "template": {"spec": {}}}})");
  CHECK_FALSE(got["spec"].contains("selector"));
}

TEST_CASE("defaults: CronJob and its job template") {
  Json got = defaulted("batch", "CronJob", R"({"spec": {"schedule": "* * * * *", "jobTemplate": {"spec": {
    "template": {"spec": {"containers": [{"name": "c", "image": "busybox"}], "restartPolicy": "OnFailure"}}}}}})");
  Json want = Json::parse(R"({"spec": {"schedule": "* * * * *", "concurrencyPolicy": "Allow", "suspend": false,
    "successfulJobsHistoryLimit": 3, "failedJobsHistoryLimit": 1,
    "jobTemplate": {"metadata": {"creationTimestamp": null}, "spec": {"template": {
      "metadata": {"creationTimestamp": null}, "spec": {
        "containers": [{"name": "c", "image": "busybox", "imagePullPolicy": "Always", "resources": {},
          "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File"}],
        "restartPolicy": "OnFailure", "dnsPolicy": "ClusterFirst", "schedulerName": "default-scheduler",
        "securityContext": {}, "terminationGracePeriodSeconds": 30}}}}}, "status": {}})");
  CHECK(got == want);
}

TEST_CASE("defaults: imagePullPolicy follows the image tag") {
  struct Case {
    const char* image;
    const char* policy;
  };
  const Case cases[] = {
      {"nginx", "Always"},
      {"nginx:latest", "Always"},
      {"nginx:1.27", "IfNotPresent"},
      {"nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "IfNotPresent"},
      {"nginx:latest@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "Always"},
      {"localhost:5000/app", "Always"},
      {"registry.example.com:5000/team/app:v2", "IfNotPresent"},
      {"docker.io/library/redis:7", "IfNotPresent"},
      {"Nginx:latest", "IfNotPresent"},  // does not parse: upper case
      {"", "IfNotPresent"},
  };
  for (const Case& c : cases) {
    std::string image = c.image;
    CAPTURE(image);
    Json pod = {{"spec", {{"containers", {{{"name", "c"}, {"image", image}}}}}}};
    Allocator alloc;
    apply_defaults(type_of("", "Pod"), pod, nullptr, alloc.context());
    CHECK(pod["spec"]["containers"][0]["imagePullPolicy"] == c.policy);
  }
}

TEST_CASE("defaults: probes, lifecycle, env and volumes in a pod template") {
  Json got = defaulted("apps", "Deployment", R"({"spec": {"template": {"spec": {
    "containers": [{"name": "c", "image": "i:1", "imagePullPolicy": "Never",
      "livenessProbe": {"httpGet": {"port": 8080}},
      "readinessProbe": {"tcpSocket": {"port": 80}, "periodSeconds": 5, "timeoutSeconds": 0},
      "startupProbe": {"grpc": {"port": 9090}},
      "lifecycle": {"preStop": {"httpGet": {"port": 80, "path": "/stop"}}},
      "env": [{"name": "NODE", "valueFrom": {"fieldRef": {"fieldPath": "spec.nodeName"}}}]}],
    "initContainers": [{"name": "init", "image": "busybox:1.36"}],
    "volumes": [{"name": "s", "secret": {"secretName": "x"}}, {"name": "cm", "configMap": {"name": "y", "defaultMode": 256}},
      {"name": "d", "downwardAPI": {"items": [{"path": "l", "fieldRef": {"fieldPath": "metadata.labels"}}]}},
      {"name": "p", "projected": {"sources": [{"serviceAccountToken": {"path": "t"}}]}},
      {"name": "h", "hostPath": {"path": "/data"}}, {"name": "scratch"},
      {"name": "r", "rbd": {"monitors": ["m"], "image": "i", "user": "me"}}]}}}})");
  const Json& spec = got["spec"]["template"]["spec"];
  const Json& c = spec["containers"][0];
  CHECK(c["imagePullPolicy"] == "Never");
  CHECK(c["livenessProbe"] == Json::parse(R"({"httpGet": {"port": 8080, "path": "/", "scheme": "HTTP"},
    "timeoutSeconds": 1, "periodSeconds": 10, "successThreshold": 1, "failureThreshold": 3})"));
  CHECK(c["readinessProbe"] == Json::parse(R"({"tcpSocket": {"port": 80}, "timeoutSeconds": 1,
    "periodSeconds": 5, "successThreshold": 1, "failureThreshold": 3})"));
  CHECK(c["startupProbe"]["grpc"] == Json::parse(R"({"port": 9090, "service": ""})"));
  CHECK(c["lifecycle"]["preStop"]["httpGet"] == Json::parse(R"({"port": 80, "path": "/stop", "scheme": "HTTP"})"));
  CHECK(c["env"][0]["valueFrom"]["fieldRef"]["apiVersion"] == "v1");
  CHECK(spec["initContainers"][0]["imagePullPolicy"] == "IfNotPresent");
  CHECK(spec["initContainers"][0]["terminationMessagePolicy"] == "File");
  const Json& v = spec["volumes"];
  CHECK(v[0]["secret"] == Json::parse(R"({"secretName": "x", "defaultMode": 420})"));
  CHECK(v[1]["configMap"]["defaultMode"] == 256);
  CHECK(v[2]["downwardAPI"] == Json::parse(R"({"defaultMode": 420, "items": [{"path": "l",
    "fieldRef": {"fieldPath": "metadata.labels", "apiVersion": "v1"}}]})"));
  CHECK(v[3]["projected"] == Json::parse(R"({"defaultMode": 420,
    "sources": [{"serviceAccountToken": {"path": "t", "expirationSeconds": 3600}}]})"));
  CHECK(v[4]["hostPath"] == Json::parse(R"({"path": "/data", "type": ""})"));
  CHECK(v[5] == Json::parse(R"({"name": "scratch", "emptyDir": {}})"));
  CHECK(v[6]["rbd"] == Json::parse(R"({"monitors": ["m"], "image": "i", "user": "me", "pool": "rbd",
    "keyring": "/etc/ceph/keyring"})"));
  // Pod-only defaults stay out of templates.
  CHECK_FALSE(spec.contains("enableServiceLinks"));
  CHECK_FALSE(spec.contains("serviceAccountName"));
}

TEST_CASE("defaults: Pod-only fields") {
  Json got = defaulted("", "Pod", R"({"spec": {"hostNetwork": true, "containers": [{"name": "c", "image": "i:1",
    "ports": [{"containerPort": 53}], "resources": {"limits": {"cpu": "1", "memory": "1Gi"}, "requests": {"cpu": "500m"}}}],
    "tolerations": [{"key": "node.kubernetes.io/unreachable", "operator": "Exists"}]}})");
  const Json& spec = got["spec"];
  CHECK(spec["containers"][0]["resources"]["requests"] == Json{{"cpu", "500m"}, {"memory", "1Gi"}});
  CHECK(spec["containers"][0]["ports"][0]["hostPort"] == 53);
  CHECK(spec["enableServiceLinks"] == true);
  CHECK(spec["serviceAccountName"] == "default");
  CHECK(spec["serviceAccount"] == "default");
  CHECK(spec["priority"] == 0);
  CHECK(spec["preemptionPolicy"] == "PreemptLowerPriority");
  // The unreachable toleration is there already; not-ready is added.
  CHECK(spec["tolerations"] == Json::parse(R"([{"key": "node.kubernetes.io/unreachable", "operator": "Exists"},
    {"effect": "NoExecute", "key": "node.kubernetes.io/not-ready", "operator": "Exists", "tolerationSeconds": 300}])"));
}

TEST_CASE("defaults: Service of type ClusterIP") {
  Json got = defaulted("", "Service", R"({"spec": {"selector": {"app": "web"}, "ports": [{"port": 80}, {"port": 53, "protocol": "UDP", "targetPort": "dns"}]}})");
  Json want = Json::parse(R"({"spec": {"selector": {"app": "web"}, "type": "ClusterIP", "sessionAffinity": "None",
    "ports": [{"port": 80, "protocol": "TCP", "targetPort": 80}, {"port": 53, "protocol": "UDP", "targetPort": "dns"}],
    "clusterIP": "10.43.0.10", "clusterIPs": ["10.43.0.10"], "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack",
    "internalTrafficPolicy": "Cluster"}, "status": {"loadBalancer": {}}})");
  CHECK(got == want);
}

TEST_CASE("defaults: Service of type NodePort, LoadBalancer, headless, ExternalName") {
  Json got = defaulted("", "Service", R"({"spec": {"type": "NodePort", "ports": [{"name": "a", "port": 80}, {"name": "b", "port": 81, "nodePort": 31000}]}})");
  CHECK(got["spec"]["ports"][0]["nodePort"] == 30000);
  CHECK(got["spec"]["ports"][1]["nodePort"] == 31000);
  CHECK(got["spec"]["externalTrafficPolicy"] == "Cluster");
  CHECK_FALSE(got["spec"].contains("allocateLoadBalancerNodePorts"));

  got = defaulted("", "Service", R"({"spec": {"type": "LoadBalancer", "externalTrafficPolicy": "Local", "ports": [{"port": 443}]}})");
  CHECK(got["spec"]["allocateLoadBalancerNodePorts"] == true);
  CHECK(got["spec"]["ports"][0]["nodePort"] == 30000);
  CHECK(got["spec"]["healthCheckNodePort"] == 30001);
  CHECK(got["spec"]["internalTrafficPolicy"] == "Cluster");

  got = defaulted("", "Service", R"({"spec": {"clusterIP": "None", "selector": {"app": "db"}, "ports": [{"port": 5432}]}})");
  CHECK(got["spec"]["clusterIPs"] == Json::array({"None"}));
  CHECK(got["spec"]["ipFamilyPolicy"] == "SingleStack");
  CHECK(got["spec"]["ipFamilies"] == Json::array({"IPv4"}));

  // alloc.go initIPFamilyFields: headless + selectorless defaults to dual.
  got = defaulted("", "Service", R"({"spec": {"clusterIP": "None"}})");
  CHECK(got["spec"]["ipFamilyPolicy"] == "RequireDualStack");
  CHECK(got["spec"]["ipFamilies"] == Json::array({"IPv4", "IPv6"}));
  got = defaulted("", "Service", R"({"spec": {"clusterIP": "None", "ipFamilyPolicy": "SingleStack"}})");
  CHECK(got["spec"]["ipFamilies"] == Json::array({"IPv4"}));

  // Ports with one number share one node port.
  got = defaulted("", "Service", R"({"spec": {"type": "NodePort", "ports": [{"name": "t", "port": 53},
    {"name": "u", "port": 53, "protocol": "UDP"}, {"name": "x", "port": 80}]}})");
  CHECK(got["spec"]["ports"][0]["nodePort"] == 30000);
  CHECK(got["spec"]["ports"][1]["nodePort"] == 30000);
  CHECK(got["spec"]["ports"][2]["nodePort"] == 30001);

  got = defaulted("", "Service", R"({"spec": {"type": "ExternalName", "externalName": "example.com"}})");
  CHECK(got["spec"] == Json::parse(R"({"type": "ExternalName", "externalName": "example.com", "sessionAffinity": "None"})"));

  got = defaulted("", "Service", R"({"spec": {"sessionAffinity": "ClientIP"}})");
  CHECK(got["spec"]["sessionAffinityConfig"] == Json::parse(R"({"clientIP": {"timeoutSeconds": 10800}})"));
}

TEST_CASE("defaults: a Service update keeps the allocated IP and node ports") {
  Json old = Json::parse(R"({"spec": {"type": "NodePort", "clusterIP": "10.43.0.99", "clusterIPs": ["10.43.0.99"],
    "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack",
    "ports": [{"name": "http", "port": 80, "nodePort": 30080}, {"name": "https", "port": 443, "nodePort": 30443}]}})");
  Json got = defaulted("", "Service", R"({"spec": {"type": "NodePort",
    "ports": [{"name": "https", "port": 8443}, {"name": "metrics", "port": 9090}]}})", &old);
  CHECK(got["spec"]["clusterIP"] == "10.43.0.99");
  CHECK(got["spec"]["clusterIPs"] == Json::array({"10.43.0.99"}));
  CHECK(got["spec"]["ports"][0]["nodePort"] == 30443);
  CHECK(got["spec"]["ports"][1]["nodePort"] == 30000);
}

TEST_CASE("defaults: Secret stringData is merged into data") {
  Json got = defaulted("", "Secret", R"({"data": {"a": "b2xk", "keep": "eA=="}, "stringData": {"a": "new", "pw": "hunter2", "e": ""}})");
  CHECK(got == Json::parse(R"({"type": "Opaque", "data": {"a": "bmV3", "keep": "eA==", "pw": "aHVudGVyMg==", "e": ""}})"));
  got = defaulted("", "Secret", R"({"type": "kubernetes.io/tls", "stringData": {"k": "ab"}})");
  CHECK(got == Json::parse(R"({"type": "kubernetes.io/tls", "data": {"k": "YWI="}})"));
}

TEST_CASE("defaults: Namespace") {
  Json got = defaulted("", "Namespace", R"({"metadata": {"name": "apps"}})");
  CHECK(got == Json::parse(R"({"metadata": {"name": "apps", "labels": {"kubernetes.io/metadata.name": "apps"}},
    "spec": {"finalizers": ["kubernetes"]}, "status": {"phase": "Active"}})"));
  // The label cannot be changed; an update keeps the stored finalizers.
  Json old = Json::parse(R"({"spec": {"finalizers": ["kubernetes", "x"]}})");
  got = defaulted("", "Namespace", R"({"metadata": {"name": "apps", "labels": {"kubernetes.io/metadata.name": "other"}}, "spec": {}})", &old);
  CHECK(got["metadata"]["labels"]["kubernetes.io/metadata.name"] == "apps");
  CHECK(got["spec"]["finalizers"] == Json::array({"kubernetes", "x"}));
}

TEST_CASE("defaults: PersistentVolumeClaim and PersistentVolume") {
  Json got = defaulted("", "PersistentVolumeClaim", R"({"spec": {"accessModes": ["ReadWriteOnce"]}})");
  CHECK(got == Json::parse(R"({"spec": {"accessModes": ["ReadWriteOnce"], "volumeMode": "Filesystem"}, "status": {"phase": "Pending"}})"));
  got = defaulted("", "PersistentVolume", R"({"spec": {"hostPath": {"path": "/x"}}})");
  CHECK(got == Json::parse(R"({"spec": {"hostPath": {"path": "/x"}, "persistentVolumeReclaimPolicy": "Retain",
    "volumeMode": "Filesystem"}, "status": {"phase": "Pending"}})"));
}

TEST_CASE("defaults: RBAC bindings") {
  Json got = defaulted("rbac.authorization.k8s.io", "ClusterRoleBinding", R"({"roleRef": {"kind": "ClusterRole", "name": "view"},
    "subjects": [{"kind": "ServiceAccount", "name": "sa", "namespace": "ns"}, {"kind": "User", "name": "u"}, {"kind": "Group", "name": "g"}]})");
  CHECK(got == Json::parse(R"({"roleRef": {"kind": "ClusterRole", "name": "view", "apiGroup": "rbac.authorization.k8s.io"},
    "subjects": [{"kind": "ServiceAccount", "name": "sa", "namespace": "ns"},
      {"kind": "User", "name": "u", "apiGroup": "rbac.authorization.k8s.io"},
      {"kind": "Group", "name": "g", "apiGroup": "rbac.authorization.k8s.io"}]})"));
  got = defaulted("rbac.authorization.k8s.io", "RoleBinding", R"({"roleRef": {"kind": "Role", "name": "r"}})");
  CHECK(got["roleRef"]["apiGroup"] == "rbac.authorization.k8s.io");
  // Roles have no defaults.
  CHECK(defaulted("rbac.authorization.k8s.io", "Role", R"({"rules": []})") == Json::parse(R"({"rules": []})"));
}

TEST_CASE("defaults: StorageClass, PriorityClass, NetworkPolicy, Ingress") {
  CHECK(defaulted("storage.k8s.io", "StorageClass", R"({"provisioner": "rancher.io/local-path"})") ==
        Json::parse(R"({"provisioner": "rancher.io/local-path", "reclaimPolicy": "Delete", "volumeBindingMode": "Immediate"})"));
  CHECK(defaulted("storage.k8s.io", "StorageClass", R"({"reclaimPolicy": "Retain", "volumeBindingMode": "WaitForFirstConsumer"})") ==
        Json::parse(R"({"reclaimPolicy": "Retain", "volumeBindingMode": "WaitForFirstConsumer"})"));
  CHECK(defaulted("scheduling.k8s.io", "PriorityClass", R"({"value": 1000})") ==
        Json::parse(R"({"value": 1000, "preemptionPolicy": "PreemptLowerPriority"})"));
  Json np = defaulted("networking.k8s.io", "NetworkPolicy", R"({"spec": {"podSelector": {},
    "egress": [{"ports": [{"port": 53}]}]}})");
  CHECK(np["spec"]["policyTypes"] == Json::array({"Ingress", "Egress"}));
  CHECK(np["spec"]["egress"][0]["ports"][0]["protocol"] == "TCP");
  Json ing = defaulted("networking.k8s.io", "Ingress", R"({"spec": {"rules": [{"http": {"paths": [{"path": "/",
    "backend": {"service": {"name": "s", "port": {"number": 80}}}}]}}]}})");
  CHECK_FALSE(ing["spec"]["rules"][0]["http"]["paths"][0].contains("pathType"));
  CHECK(ing["status"] == Json::parse(R"({"loadBalancer": {}})"));
  Json ic = defaulted("networking.k8s.io", "IngressClass", R"({"spec": {"controller": "traefik.io/ingress-controller",
    "parameters": {"kind": "IngressParameters", "name": "p"}}})");
  CHECK(ic["spec"]["parameters"]["scope"] == "Cluster");
  const char* plain = R"({"spec": {"controller": "traefik.io/ingress-controller"}})";
  CHECK(defaulted("networking.k8s.io", "IngressClass", plain) == Json::parse(plain));
}

TEST_CASE("defaults: kinds without defaults are left alone") {
  const char* cm = R"({"metadata": {"name": "c"}, "data": {"k": "v"}})";
  CHECK(defaulted("", "ConfigMap", cm) == Json::parse(cm));
  const char* sa = R"({"metadata": {"name": "s"}})";
  CHECK(defaulted("", "ServiceAccount", sa) == Json::parse(sa));
  const char* lease = R"({"spec": {"holderIdentity": "x"}})";
  CHECK(defaulted("coordination.k8s.io", "Lease", lease) == Json::parse(lease));
  const char* rc = R"({"handler": "runc"})";
  CHECK(defaulted("node.k8s.io", "RuntimeClass", rc) == Json::parse(rc));
}

TEST_CASE("defaults: CustomResourceDefinition") {
  Json got = defaulted("apiextensions.k8s.io", "CustomResourceDefinition", R"({"spec": {"group": "helm.cattle.io",
    "scope": "Namespaced", "names": {"kind": "HelmChart", "plural": "helmcharts"},
    "versions": [{"name": "v1", "served": true, "storage": true}]}})");
  CHECK(got["spec"]["names"] == Json::parse(R"({"kind": "HelmChart", "plural": "helmcharts", "singular": "helmchart", "listKind": "HelmChartList"})"));
  CHECK(got["spec"]["conversion"] == Json::parse(R"({"strategy": "None"})"));
  CHECK(got["status"]["storedVersions"] == Json::array({"v1"}));
}

TEST_CASE("defaults: canonical quantities by schema") {
  const ResourceType& deploy = type_of("apps", "Deployment");
  Json obj = Json::parse(R"({"spec": {"template": {"spec": {"containers": [{"name": "c",
    "resources": {"limits": {"cpu": "1000m", "memory": "1024Mi"}, "requests": {"cpu": 0.5, "memory": "100u"}}}],
    "volumes": [{"name": "v", "emptyDir": {"sizeLimit": "1.5Gi"}}], "overhead": {"cpu": "0.0001"}}}}})");
  CHECK(canonicalize_quantities(deploy.schema, obj).empty());
  const Json& res = obj["spec"]["template"]["spec"]["containers"][0]["resources"];
  CHECK(res["limits"] == Json{{"cpu", "1"}, {"memory", "1Gi"}});
  CHECK(res["requests"] == Json{{"cpu", "500m"}, {"memory", "1m"}});
  CHECK(obj["spec"]["template"]["spec"]["volumes"][0]["emptyDir"]["sizeLimit"] == "1536Mi");
  CHECK(obj["spec"]["template"]["spec"]["overhead"]["cpu"] == "1m");

  Json bad = Json::parse(R"({"spec": {"template": {"spec": {"containers": [{"name": "c",
    "resources": {"limits": {"cpu": "one", "memory": "1Gi"}}}], "volumes": [{"name": "v", "emptyDir": {"sizeLimit": true}}]}}}})");
  CHECK(canonicalize_quantities(deploy.schema, bad) ==
        std::vector<std::string>{"spec.template.spec.containers[0].resources.limits.cpu",
                                 "spec.template.spec.volumes[0].emptyDir.sizeLimit"});
  // Quantities outside a ResourceList keep nano precision.
  Json pvc = Json::parse(R"({"spec": {"resources": {"requests": {"storage": "1.5Gi"}}}, "status": {"capacity": {"storage": "2Gi"}}})");
  CHECK(canonicalize_quantities(type_of("", "PersistentVolumeClaim").schema, pvc).empty());
  CHECK(pvc["spec"]["resources"]["requests"]["storage"] == "1536Mi");
}
