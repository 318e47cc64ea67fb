// Expected rows are written from kubernetes pkg/printers/internalversion/
// printers.go, apimachinery's duration.HumanDuration, apiserver's
// handlers/response.go (asTable) and rest/table.go, and apiextensions'
// tableconvertor.go.

#include "runtime/sim/table.h"
#include "runtime/sim/table_crd.h"

#include <doctest/doctest.h>

#include <chrono>

using namespace claw::sim;
using namespace std::chrono_literals;

namespace {

TimePoint at(const char* text) { return *parse_rfc3339(text); }

const TimePoint kNow = at("2024-06-01T12:00:00Z");

const Registry& registry() {
  static const Registry r = Registry::builtin();
  return r;
}

const ResourceType& type_of(const char* group, const char* version, const char* plural) {
  const ResourceType* t = registry().find(group, version, plural);
  REQUIRE(t != nullptr);
  return *t;
}

Json table_of(const ResourceType& type, const Json& object, std::string_view include = "") {
  return to_table(type, {&object}, Json::object(), include, kNow);
}

Json cells_of(const ResourceType& type, const Json& object) { return table_of(type, object)["rows"][0]["cells"]; }

std::vector<std::string> column_names(const Json& table) {
  std::vector<std::string> names;
  for (const Json& c : table["columnDefinitions"]) names.push_back(c["name"]);
  return names;
}

std::vector<int> column_priorities(const Json& table) {
  std::vector<int> p;
  for (const Json& c : table["columnDefinitions"]) p.push_back(c["priority"]);
  return p;
}

Json meta(const char* name, const char* created = "2024-06-01T11:55:00Z") {
  return Json{{"name", name}, {"creationTimestamp", created}, {"resourceVersion", "42"}};
}

}  // namespace

TEST_CASE("table: human_duration follows apimachinery's HumanDuration") {
  struct Case {
    std::chrono::nanoseconds d;
    const char* text;
  };
  const Case cases[] = {
      {-3s, "<invalid>"}, {-1s, "0s"},          {0s, "0s"},          {119s, "119s"},       {120s, "2m"},
      {200s, "3m20s"},    {10min, "10m"},       {179min, "179m"},    {3h, "3h"},           {3h + 5min, "3h5m"},
      {8h, "8h"},         {47h, "47h"},         {48h, "2d"},         {50h, "2d2h"},        {8 * 24h, "8d"},
      {729 * 24h, "729d"}, {730 * 24h, "2y"},   {740 * 24h, "2y10d"}, {9 * 365 * 24h, "9y"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.text);
    CHECK(human_duration(c.d) == c.text);
  }
}

TEST_CASE("table: RFC 3339 timestamps and ages") {
  CHECK(parse_rfc3339("2024-06-01T12:00:00Z") == kNow);
  CHECK(parse_rfc3339("2024-06-01T14:00:00+02:00") == kNow);
  CHECK(parse_rfc3339("2024-06-01T11:59:59.5Z") == kNow - 500ms);
  for (const char* bad : {"", "2024-13-01T00:00:00Z", "2024-06-01 12:00:00Z", "2024-06-01T12:00:00", "yesterday"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_rfc3339(bad).has_value());
  }
  CHECK(age_since("2024-06-01T11:55:00Z", kNow) == "5m");
  CHECK(age_since("", kNow) == "<unknown>");
  CHECK(age_since("2024-05-30T10:00:00Z", kNow) == "2d2h");
}

TEST_CASE("table: Accept negotiation picks the first servable media range") {
  struct Case {
    const char* accept;
    const char* version;
  };
  const Case cases[] = {
      {"application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json",
       "v1"},
      {"application/json;as=Table;v=v1beta1;g=meta.k8s.io", "v1beta1"},
      {"application/json", ""},
      {"", ""},
      {"application/json, application/json;as=Table;v=v1;g=meta.k8s.io", ""},
      {"application/json;as=Table;v=v1alpha1;g=meta.k8s.io,application/json", ""},
      {"application/vnd.kubernetes.protobuf;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1;g=meta.k8s.io",
       "v1"},
      {"application/json; as=Table; v=v1; g=meta.k8s.io", "v1"},
      {"application/json;as=Table;v=v1;g=other.io,application/json", ""},
  };
  for (const Case& c : cases) {
    CAPTURE(c.accept);
    CHECK(table_version(c.accept) == c.version);
    CHECK(wants_table(c.accept) == (std::string_view(c.version) != ""));
  }
}

TEST_CASE("table: Deployment columns and READY cell") {
  const ResourceType& t = type_of("apps", "v1", "deployments");
  Json d = {{"metadata", meta("web")},
            {"spec",
             {{"replicas", 3},
              {"selector",
               {{"matchLabels", {{"app", "web"}}},
                {"matchExpressions", {{{"key", "tier"}, {"operator", "In"}, {"values", {"b", "a"}}}}}}},
              {"template",
               {{"spec", {{"containers", {{{"name", "nginx"}, {"image", "nginx:1.25"}}, {{"name", "sidecar"}, {"image", "busybox"}}}}}}}}}},
            {"status", {{"readyReplicas", 1}, {"updatedReplicas", 2}, {"availableReplicas", 1}}}};
  Json table = table_of(t, d);
  CHECK(table["kind"] == "Table");
  CHECK(table["apiVersion"] == "meta.k8s.io/v1");
  CHECK(column_names(table) ==
        std::vector<std::string>{"Name", "Ready", "Up-to-date", "Available", "Age", "Containers", "Images", "Selector"});
  CHECK(column_priorities(table) == std::vector<int>{0, 0, 0, 0, 0, 1, 1, 1});
  CHECK(table["columnDefinitions"][0]["format"] == "name");
  CHECK(table["columnDefinitions"][0]["description"].get<std::string>().starts_with("Name must be unique"));
  CHECK(table["rows"][0]["cells"] ==
        Json::array({"web", "1/3", 2, 1, "5m", "nginx,sidecar", "nginx:1.25,busybox", "app=web,tier in (a,b)"}));
  Json empty = {{"metadata", meta("idle")}, {"spec", {{"replicas", 0}}}};
  CHECK(cells_of(t, empty) == Json::array({"idle", "0/0", 0, 0, "5m", "", "", ""}));
}

TEST_CASE("table: Service TYPE, CLUSTER-IP, EXTERNAL-IP and PORT(S)") {
  const ResourceType& t = type_of("", "v1", "services");
  struct Case {
    Json spec, status;
    Json cells;
  };
  const Case cases[] = {
      {{{"type", "ClusterIP"}, {"clusterIPs", {"10.43.0.10"}}, {"ports", {{{"port", 80}, {"protocol", "TCP"}}}},
        {"selector", {{"app", "web"}, {"tier", "fe"}}}},
       nullptr,
       {"svc", "ClusterIP", "10.43.0.10", "<none>", "80/TCP", "5m", "app=web,tier=fe"}},
      {{{"type", "NodePort"}, {"clusterIPs", {"10.43.0.11"}},
        {"ports", {{{"port", 80}, {"nodePort", 30080}, {"protocol", "TCP"}}, {{"port", 53}, {"protocol", "UDP"}}}}},
       nullptr,
       {"svc", "NodePort", "10.43.0.11", "<none>", "80:30080/TCP,53/UDP", "5m", "<none>"}},
      {{{"type", "LoadBalancer"}, {"clusterIPs", {"10.43.0.12"}}, {"ports", {{{"port", 443}, {"nodePort", 31443}, {"protocol", "TCP"}}}}},
       nullptr,
       {"svc", "LoadBalancer", "10.43.0.12", "<pending>", "443:31443/TCP", "5m", "<none>"}},
      {{{"type", "LoadBalancer"}, {"clusterIPs", {"10.43.0.12"}}, {"ports", Json::array()}},
       {{"loadBalancer", {{"ingress", {{{"ip", "192.168.1.9"}}, {{"ip", "192.168.1.5"}}}}}}},
       {"svc", "LoadBalancer", "10.43.0.12", "192.168.1.5,192.168.1.9", "<none>", "5m", "<none>"}},
      {{{"type", "ClusterIP"}, {"clusterIPs", {"10.43.0.13"}}, {"externalIPs", {"1.2.3.4"}}}, nullptr,
       {"svc", "ClusterIP", "10.43.0.13", "1.2.3.4", "<none>", "5m", "<none>"}},
      {{{"type", "ExternalName"}, {"externalName", "db.example.com"}}, nullptr,
       {"svc", "ExternalName", "<none>", "db.example.com", "<none>", "5m", "<none>"}},
  };
  for (const Case& c : cases) {
    Json svc = {{"metadata", meta("svc")}, {"spec", c.spec}};
    if (!c.status.is_null()) svc["status"] = c.status;
    CAPTURE(svc.dump());
    CHECK(cells_of(t, svc) == c.cells);
  }
  CHECK(column_names(table_of(t, Json{{"metadata", meta("x")}})) ==
        std::vector<std::string>{"Name", "Type", "Cluster-IP", "External-IP", "Port(s)", "Age", "Selector"});
  std::string type_doc = table_of(t, Json{{"metadata", meta("x")}})["columnDefinitions"][1]["description"];
  CHECK(type_doc.starts_with("type determines how the Service is exposed."));
  CHECK(type_doc.find("Possible enum values") == std::string::npos);
}

TEST_CASE("table: Node STATUS, ROLES, VERSION and the wide cells") {
  const ResourceType& t = type_of("", "v1", "nodes");
  Json base = {{"metadata", meta("server-1")},
               {"status",
                {{"nodeInfo", {{"kubeletVersion", "v1.31.4+k3s1"}, {"osImage", "Ubuntu 24.04 LTS"},
                               {"kernelVersion", "6.8.0"}, {"containerRuntimeVersion", "containerd://1.7.23-k3s2"}}},
                 {"addresses", {{{"type", "InternalIP"}, {"address", "10.0.0.2"}}, {{"type", "Hostname"}, {"address", "server-1"}}}}}}};
  struct Case {
    Json labels, conditions;
    bool unschedulable;
    const char* status;
    const char* roles;
  };
  const Case cases[] = {
      {{{"node-role.kubernetes.io/control-plane", "true"}, {"node-role.kubernetes.io/master", "true"}},
       {{{"type", "Ready"}, {"status", "True"}}}, false, "Ready", "control-plane,master"},
      {{{"kubernetes.io/role", "worker"}}, {{{"type", "MemoryPressure"}, {"status", "False"}}, {{"type", "Ready"}, {"status", "False"}}},
       false, "NotReady", "worker"},
      {Json::object(), Json::array(), false, "Unknown", "<none>"},
      {{{"node-role.kubernetes.io/", "x"}}, {{{"type", "Ready"}, {"status", "True"}}}, true, "Ready,SchedulingDisabled", "<none>"},
      {Json::object(), {{{"type", "Ready"}, {"status", "Unknown"}}}, true, "NotReady,SchedulingDisabled", "<none>"},
  };
  for (const Case& c : cases) {
    Json node = base;
    node["metadata"]["labels"] = c.labels;
    node["status"]["conditions"] = c.conditions;
    if (c.unschedulable) node["spec"]["unschedulable"] = true;
    CAPTURE(c.status);
    CHECK(cells_of(t, node) == Json::array({"server-1", c.status, c.roles, "5m", "v1.31.4+k3s1", "10.0.0.2", "<none>",
                                            "Ubuntu 24.04 LTS", "6.8.0", "containerd://1.7.23-k3s2"}));
  }
  Json bare = {{"metadata", meta("agent-1")}};
  CHECK(cells_of(t, bare) ==
        Json::array({"agent-1", "Unknown", "<none>", "5m", "", "<none>", "<none>", "<unknown>", "<unknown>", "<unknown>"}));
  CHECK(column_priorities(table_of(t, bare)) == std::vector<int>{0, 0, 0, 0, 0, 1, 1, 1, 1, 1});
}

TEST_CASE("table: Pod READY, STATUS, RESTARTS") {
  const ResourceType& t = type_of("", "v1", "pods");
  auto pod = [](Json spec, Json status) {
    Json p = {{"metadata", meta("p")}, {"spec", spec}};
    if (!status.is_null()) p["status"] = status;
    return p;
  };
  Json one = {{"containers", {{{"name", "app"}}}}, {"nodeName", "agent-1"}};
  Json two = {{"containers", {{{"name", "app"}}, {{"name", "log"}}}}};
  struct Case {
    Json pod;
    Json cells;
  };
  const Case cases[] = {
      {pod(one, {{"phase", "Running"}, {"podIPs", {{{"ip", "10.42.0.5"}}}},
                 {"containerStatuses", {{{"name", "app"}, {"ready", true}, {"restartCount", 0}, {"state", {{"running", Json::object()}}}}}}}),
       {"p", "1/1", "Running", "0", "5m", "10.42.0.5", "agent-1", "<none>", "<none>"}},
      {pod(two, {{"phase", "Running"},
                 {"containerStatuses",
                  {{{"name", "app"}, {"ready", true}, {"restartCount", 0}, {"state", {{"running", Json::object()}}}},
                   {{"name", "log"}, {"ready", false}, {"restartCount", 3},
                    {"state", {{"waiting", {{"reason", "CrashLoopBackOff"}}}}},
                    {"lastState", {{"terminated", {{"exitCode", 1}, {"finishedAt", "2024-06-01T11:58:00Z"}}}}}}}}}),
       {"p", "1/2", "CrashLoopBackOff", "3 (2m ago)", "5m", "<none>", "<none>", "<none>", "<none>"}},
      {pod(one, {{"phase", "Pending"}}), {"p", "0/1", "Pending", "0", "5m", "<none>", "agent-1", "<none>", "<none>"}},
      {pod(one, nullptr), {"p", "0/1", "", "0", "5m", "<none>", "agent-1", "<none>", "<none>"}},
      {pod({{"containers", {{{"name", "app"}}}}, {"initContainers", {{{"name", "init"}}}}},
           {{"phase", "Pending"}, {"initContainerStatuses", {{{"name", "init"}, {"state", {{"running", Json::object()}}}}}}}),
       {"p", "0/1", "Init:0/1", "0", "5m", "<none>", "<none>", "<none>", "<none>"}},
      {pod({{"containers", {{{"name", "app"}}}}, {"initContainers", {{{"name", "init"}}}}},
           {{"phase", "Pending"},
            {"initContainerStatuses", {{{"name", "init"}, {"state", {{"terminated", {{"exitCode", 2}}}}}}}}}),
       {"p", "0/1", "Init:ExitCode:2", "0", "5m", "<none>", "<none>", "<none>", "<none>"}},
      {pod(one, {{"phase", "Succeeded"},
                 {"containerStatuses", {{{"name", "app"}, {"state", {{"terminated", {{"exitCode", 0}, {"reason", "Completed"}}}}}}}}}),
       {"p", "0/1", "Completed", "0", "5m", "<none>", "agent-1", "<none>", "<none>"}},
      {pod({{"containers", {{{"name", "app"}}}}, {"readinessGates", {{{"conditionType", "www.example.com/ok"}}}}},
           {{"phase", "Running"}, {"conditions", {{{"type", "www.example.com/ok"}, {"status", "True"}}}}}),
       {"p", "0/1", "Running", "0", "5m", "<none>", "<none>", "<none>", "1/1"}},
  };
  for (const Case& c : cases) {
    CAPTURE(c.pod.dump());
    CHECK(cells_of(t, c.pod) == c.cells);
  }
  Json deleting = pod(one, {{"phase", "Running"}});
  deleting["metadata"]["deletionTimestamp"] = "2024-06-01T11:59:00Z";
  CHECK(cells_of(t, deleting)[2] == "Terminating");
  Json done = cases[6].pod;
  CHECK(table_of(t, done)["rows"][0]["conditions"] ==
        Json::parse(R"([{"type":"Completed","status":"True","reason":"Succeeded","message":"The pod has completed successfully."}])"));
  CHECK_FALSE(table_of(t, cases[0].pod)["rows"][0].contains("conditions"));
  CHECK(column_names(table_of(t, done)) == std::vector<std::string>{"Name", "Ready", "Status", "Restarts", "Age", "IP", "Node",
                                                                   "Nominated Node", "Readiness Gates"});
}

TEST_CASE("table: small core kinds count their entries") {
  struct Case {
    const char* plural;
    Json object;
    Json cells;
    std::vector<std::string> columns;
  };
  const Case cases[] = {
      {"namespaces", {{"metadata", meta("apps")}, {"status", {{"phase", "Active"}}}}, {"apps", "Active", "5m"},
       {"Name", "Status", "Age"}},
      {"configmaps", {{"metadata", meta("cfg")}, {"data", {{"a", "1"}, {"b", "2"}}}, {"binaryData", {{"c", "AA=="}}}},
       {"cfg", 3, "5m"}, {"Name", "Data", "Age"}},
      {"configmaps", {{"metadata", meta("empty")}}, {"empty", 0, "5m"}, {"Name", "Data", "Age"}},
      {"secrets", {{"metadata", meta("tls")}, {"type", "kubernetes.io/tls"}, {"data", {{"tls.crt", ""}, {"tls.key", ""}}}},
       {"tls", "kubernetes.io/tls", 2, "5m"}, {"Name", "Type", "Data", "Age"}},
      {"serviceaccounts", {{"metadata", meta("default")}}, {"default", 0, "5m"}, {"Name", "Secrets", "Age"}},
  };
  for (const Case& c : cases) {
    CAPTURE(c.plural);
    const ResourceType& t = type_of("", "v1", c.plural);
    CHECK(cells_of(t, c.object) == c.cells);
    CHECK(column_names(table_of(t, c.object)) == c.columns);
  }
}

TEST_CASE("table: PersistentVolumeClaim and PersistentVolume") {
  const ResourceType& pvc = type_of("", "v1", "persistentvolumeclaims");
  Json pending = {{"metadata", meta("data")},
                  {"spec", {{"accessModes", {"ReadWriteOnce"}}, {"storageClassName", "local-path"},
                            {"resources", {{"requests", {{"storage", "1Gi"}}}}}}},
                  {"status", {{"phase", "Pending"}}}};
  CHECK(cells_of(pvc, pending) == Json::array({"data", "Pending", "", "", "", "local-path", "<unset>", "5m", "<unset>"}));
  Json bound = pending;
  bound["spec"]["volumeName"] = "pvc-123";
  bound["spec"]["volumeMode"] = "Filesystem";
  bound["status"] = {{"phase", "Bound"}, {"accessModes", {"ReadWriteMany", "ReadWriteOnce"}}, {"capacity", {{"storage", "1Gi"}}}};
  bound["metadata"]["annotations"] = {{"volume.beta.kubernetes.io/storage-class", "old"}};
  CHECK(cells_of(pvc, bound) == Json::array({"data", "Bound", "pvc-123", "1Gi", "RWO,RWX", "old", "<unset>", "5m", "Filesystem"}));
  CHECK(column_names(table_of(pvc, bound)) == std::vector<std::string>{"Name", "Status", "Volume", "Capacity", "Access Modes",
                                                                      "StorageClass", "VolumeAttributesClass", "Age", "VolumeMode"});

  const ResourceType& pv = type_of("", "v1", "persistentvolumes");
  Json vol = {{"metadata", meta("pvc-123")},
              {"spec", {{"capacity", {{"storage", "1Gi"}}}, {"accessModes", {"ReadWriteOncePod", "ReadOnlyMany"}},
                        {"persistentVolumeReclaimPolicy", "Delete"}, {"storageClassName", "local-path"},
                        {"claimRef", {{"namespace", "apps"}, {"name", "data"}}}}},
              {"status", {{"phase", "Bound"}}}};
  CHECK(cells_of(pv, vol) ==
        Json::array({"pvc-123", "1Gi", "ROX,RWOP", "Delete", "Bound", "apps/data", "local-path", "<unset>", "", "5m", "<unset>"}));
}

TEST_CASE("table: StatefulSet, DaemonSet and ReplicaSet") {
  Json tmpl = {{"spec", {{"containers", {{{"name", "db"}, {"image", "postgres:16"}}}}, {"nodeSelector", {{"disk", "ssd"}}}}}};
  Json sts = {{"metadata", meta("db")}, {"spec", {{"replicas", 2}, {"template", tmpl}}}, {"status", {{"readyReplicas", 2}}}};
  CHECK(cells_of(type_of("apps", "v1", "statefulsets"), sts) == Json::array({"db", "2/2", "5m", "db", "postgres:16"}));

  Json ds = {{"metadata", meta("agent")},
             {"spec", {{"template", tmpl}, {"selector", {{"matchLabels", {{"app", "agent"}}}}}}},
             {"status", {{"desiredNumberScheduled", 3}, {"currentNumberScheduled", 3}, {"numberReady", 2},
                         {"updatedNumberScheduled", 3}, {"numberAvailable", 2}}}};
  const ResourceType& dst = type_of("apps", "v1", "daemonsets");
  CHECK(cells_of(dst, ds) == Json::array({"agent", 3, 3, 2, 3, 2, "disk=ssd", "5m", "db", "postgres:16", "app=agent"}));
  CHECK(column_names(table_of(dst, ds)) == std::vector<std::string>{"Name", "Desired", "Current", "Ready", "Up-to-date", "Available",
                                                                   "Node Selector", "Age", "Containers", "Images", "Selector"});

  Json rs = {{"metadata", meta("web-5d4f")},
             {"spec", {{"replicas", 2}, {"template", tmpl},
                       {"selector", {{"matchExpressions", {{{"key", "env"}, {"operator", "DoesNotExist"}}, {{"key", "app"}, {"operator", "Exists"}}}}}}}},
             {"status", {{"replicas", 2}, {"readyReplicas", 1}}}};
  CHECK(cells_of(type_of("apps", "v1", "replicasets"), rs) == Json::array({"web-5d4f", 2, 2, 1, "5m", "db", "postgres:16", "app,!env"}));
}

TEST_CASE("table: Job STATUS, COMPLETIONS, DURATION and CronJob") {
  const ResourceType& t = type_of("batch", "v1", "jobs");
  Json tmpl = {{"spec", {{"containers", {{{"name", "run"}, {"image", "alpine"}}}}}}};
  struct Case {
    Json spec, status;
    Json cells;
  };
  const Case cases[] = {
      {{{"completions", 1}, {"template", tmpl}},
       {{"succeeded", 1}, {"startTime", "2024-06-01T11:56:00Z"}, {"completionTime", "2024-06-01T11:56:30Z"},
        {"conditions", {{{"type", "Complete"}, {"status", "True"}}}}},
       {"job", "Complete", "1/1", "30s", "5m", "run", "alpine", "<none>"}},
      {{{"parallelism", 3}, {"template", tmpl}}, {{"startTime", "2024-06-01T11:57:00Z"}},
       {"job", "Running", "0/1 of 3", "3m", "5m", "run", "alpine", "<none>"}},
      {{{"template", tmpl}}, Json::object(), {"job", "Running", "0/1", "", "5m", "run", "alpine", "<none>"}},
      {{{"completions", 2}, {"template", tmpl}},
       {{"failed", 1}, {"conditions", {{{"type", "Suspended"}, {"status", "True"}}, {{"type", "Failed"}, {"status", "True"}}}}},
       {"job", "Failed", "0/2", "", "5m", "run", "alpine", "<none>"}},
      {{{"completions", 2}, {"suspend", true}, {"template", tmpl}}, {{"conditions", {{{"type", "Suspended"}, {"status", "True"}}}}},
       {"job", "Suspended", "0/2", "", "5m", "run", "alpine", "<none>"}},
  };
  for (const Case& c : cases) {
    Json job = {{"metadata", meta("job")}, {"spec", c.spec}, {"status", c.status}};
    CAPTURE(job.dump());
    CHECK(cells_of(t, job) == c.cells);
  }
  CHECK(column_names(table_of(t, Json{{"metadata", meta("j")}})) ==
        std::vector<std::string>{"Name", "Status", "Completions", "Duration", "Age", "Containers", "Images", "Selector"});

  const ResourceType& cj = type_of("batch", "v1", "cronjobs");
  Json cron = {{"metadata", meta("backup")},
               {"spec", {{"schedule", "*/5 * * * *"}, {"jobTemplate", {{"spec", {{"template", tmpl}}}}}}}};
  CHECK(cells_of(cj, cron) == Json::array({"backup", "*/5 * * * *", "<none>", "<unset>", 0, "<none>", "5m", "run", "alpine", "<none>"}));
  cron["spec"]["suspend"] = false;
  cron["spec"]["timeZone"] = "Etc/UTC";
  cron["status"] = {{"active", {{{"name", "backup-1"}}}}, {"lastScheduleTime", "2024-06-01T11:59:00Z"}};
  CHECK(cells_of(cj, cron) == Json::array({"backup", "*/5 * * * *", "Etc/UTC", "False", 1, "60s", "5m", "run", "alpine", "<none>"}));
}

TEST_CASE("table: Ingress and IngressClass") {
  const ResourceType& t = type_of("networking.k8s.io", "v1", "ingresses");
  auto rules = [](std::initializer_list<const char*> hosts) {
    Json r = Json::array();
    for (const char* h : hosts) r.push_back(Json{{"host", h}});
    return r;
  };
  Json ing = {{"metadata", meta("web")}, {"spec", {{"ingressClassName", "traefik"}, {"rules", rules({"a.example", "b.example"})}}},
              {"status", {{"loadBalancer", {{"ingress", {{{"ip", "10.0.0.3"}}, {{"ip", "10.0.0.2"}}}}}}}}};
  CHECK(cells_of(t, ing) == Json::array({"web", "traefik", "a.example,b.example", "10.0.0.2,10.0.0.3", "80", "5m"}));
  ing["spec"]["tls"] = Json::array({Json{{"secretName", "tls"}}});
  ing["spec"]["rules"] = rules({"a", "b", "c", "d"});
  ing["spec"].erase("ingressClassName");
  ing.erase("status");
  CHECK(cells_of(t, ing) == Json::array({"web", "<none>", "a,b,c + 1 more...", "", "80, 443", "5m"}));
  ing["spec"]["rules"] = Json::array({Json{{"http", Json::object()}}});
  CHECK(cells_of(t, ing)[2] == "*");
  CHECK(column_names(table_of(t, ing)) == std::vector<std::string>{"Name", "Class", "Hosts", "Address", "Ports", "Age"});

  const ResourceType& ic = type_of("networking.k8s.io", "v1", "ingressclasses");
  Json cls = {{"metadata", meta("traefik")}, {"spec", {{"controller", "traefik.io/ingress-controller"}}}};
  CHECK(cells_of(ic, cls) == Json::array({"traefik", "traefik.io/ingress-controller", "<none>", "5m"}));
  cls["spec"]["parameters"] = {{"apiGroup", "k8s.example.com"}, {"kind", "IngressParameters"}, {"name", "p"}};
  CHECK(cells_of(ic, cls)[2] == "IngressParameters.k8s.example.com/p");
}

TEST_CASE("table: RBAC bindings print ROLE; roles and CRDs use the default convertor") {
  const ResourceType& rb = type_of("rbac.authorization.k8s.io", "v1", "rolebindings");
  Json b = {{"metadata", meta("read")},
            {"roleRef", {{"apiGroup", "rbac.authorization.k8s.io"}, {"kind", "Role"}, {"name", "reader"}}},
            {"subjects", {{{"kind", "User"}, {"name", "alice"}}, {{"kind", "User"}, {"name", "bob"}},
                          {{"kind", "Group"}, {"name", "devs"}}, {{"kind", "ServiceAccount"}, {"namespace", "apps"}, {"name", "ci"}}}}};
  CHECK(cells_of(rb, b) == Json::array({"read", "Role/reader", "5m", "alice, bob", "devs", "apps/ci"}));
  CHECK(column_names(table_of(rb, b)) == std::vector<std::string>{"Name", "Role", "Age", "Users", "Groups", "ServiceAccounts"});
  CHECK(table_of(type_of("rbac.authorization.k8s.io", "v1", "clusterrolebindings"), b)["columnDefinitions"][3]["description"] ==
        "Users in the clusterRoleBinding");

  for (const char* plural : {"roles", "clusterroles"}) {
    Json role = {{"metadata", meta("reader", "2024-01-02T03:04:05Z")}};
    Json table = table_of(type_of("rbac.authorization.k8s.io", "v1", plural), role);
    CHECK(column_names(table) == std::vector<std::string>{"Name", "Created At"});
    CHECK(table["columnDefinitions"][1]["type"] == "date");
    CHECK(table["rows"][0]["cells"] == Json::array({"reader", "2024-01-02T03:04:05Z"}));
  }
  Json crd = {{"metadata", meta("widgets.example.com", "2024-01-02T05:04:05+02:00")}};
  Json table = table_of(type_of("apiextensions.k8s.io", "v1", "customresourcedefinitions"), crd);
  CHECK(table["rows"][0]["cells"] == Json::array({"widgets.example.com", "2024-01-02T03:04:05Z"}));
  Json undated = {{"metadata", {{"name", "x"}}}};
  CHECK(cells_of(type_of("rbac.authorization.k8s.io", "v1", "roles"), undated)[1] == "0001-01-01T00:00:00Z");
}

TEST_CASE("table: cluster-scoped classes and Lease") {
  const ResourceType& sc = type_of("storage.k8s.io", "v1", "storageclasses");
  Json local = {{"metadata", meta("local-path")}, {"provisioner", "rancher.io/local-path"}, {"volumeBindingMode", "WaitForFirstConsumer"}};
  local["metadata"]["annotations"] = {{"storageclass.kubernetes.io/is-default-class", "true"}};
  CHECK(cells_of(sc, local) == Json::array({"local-path (default)", "rancher.io/local-path", "Delete", "WaitForFirstConsumer", false, "5m"}));
  Json plain = {{"metadata", meta("nfs")}, {"provisioner", "nfs"}, {"reclaimPolicy", "Retain"}, {"allowVolumeExpansion", true}};
  CHECK(cells_of(sc, plain) == Json::array({"nfs", "nfs", "Retain", "Immediate", true, "5m"}));

  Json rc = {{"metadata", meta("crun")}, {"handler", "crun"}};
  Json rct = table_of(type_of("node.k8s.io", "v1", "runtimeclasses"), rc);
  CHECK(rct["rows"][0]["cells"] == Json::array({"crun", "crun", "5m"}));
  CHECK(rct["columnDefinitions"][1]["description"] == "");

  Json pc = {{"metadata", meta("high")}, {"value", 1000000}, {"preemptionPolicy", "Never"}};
  CHECK(cells_of(type_of("scheduling.k8s.io", "v1", "priorityclasses"), pc) == Json::array({"high", 1000000, false, "5m", "Never"}));

  Json lease = {{"metadata", meta("server-1")}, {"spec", {{"holderIdentity", "server-1"}}}};
  CHECK(cells_of(type_of("coordination.k8s.io", "v1", "leases"), lease) == Json::array({"server-1", "server-1", "5m"}));
}

TEST_CASE("table: includeObject and list metadata") {
  const ResourceType& t = type_of("", "v1", "configmaps");
  Json a = {{"metadata", meta("a")}};
  Json b = {{"metadata", meta("b", "")}};
  Json list_meta = {{"resourceVersion", "77"}, {"continue", "77/2"}, {"remainingItemCount", 3}};
  Json table = to_table(t, {&a, &b}, list_meta, "", kNow);
  CHECK(table["metadata"] == list_meta);
  REQUIRE(table["rows"].size() == 2);
  CHECK(table["rows"][1]["cells"] == Json::array({"b", 0, "<unknown>"}));
  CHECK(table["rows"][0]["object"] ==
        Json{{"kind", "PartialObjectMetadata"}, {"apiVersion", "meta.k8s.io/v1"}, {"metadata", a["metadata"]}});
  CHECK(to_table(t, {&a}, list_meta, "Metadata", kNow, "v1beta1")["rows"][0]["object"]["apiVersion"] == "meta.k8s.io/v1beta1");
  CHECK(to_table(t, {&a}, list_meta, "Metadata", kNow, "v1beta1")["apiVersion"] == "meta.k8s.io/v1beta1");
  Json none = to_table(t, {&a}, list_meta, "None", kNow);
  CHECK(none["rows"][0].contains("object"));
  CHECK(none["rows"][0]["object"].is_null());
  Json full = to_table(t, {&a}, list_meta, "Object", kNow)["rows"][0]["object"];
  CHECK(full["apiVersion"] == "v1");
  CHECK(full["kind"] == "ConfigMap");
  CHECK(full["metadata"]["name"] == "a");

  CHECK(to_table(t, {&a}, nullptr, "", kNow)["metadata"] == Json{{"resourceVersion", "42"}});
  CHECK(to_table(t, {}, Json{{"resourceVersion", "9"}}, "", kNow)["rows"] == Json::array());
  CHECK(to_table(t, {&a}, Json{{"resourceVersion", "9"}, {"continue", ""}}, "", kNow)["metadata"] == Json{{"resourceVersion", "9"}});

  for (const char* ok : {"", "None", "Metadata", "Object"}) CHECK_FALSE(include_object_error(ok).has_value());
  auto err = include_object_error("metadata");
  REQUIRE(err.has_value());
  CHECK(err->code == 400);
  CHECK(err->message == "unrecognized includeObject value: \"metadata\"");
}

TEST_CASE("table: the JSONPath subset of printer columns") {
  Json obj = Json::parse(R"({"spec":{"replicas":2,"ports":[{"port":80},{"port":443}],"labels":{"a.b/c":"x"}},
    "status":{"conditions":[{"type":"Synced","status":"False"},{"type":"Ready","status":"True","reason":"Up"}]}})");
  struct Case {
    const char* path;
    Json values;
  };
  const Case cases[] = {
      {".spec.replicas", {2}},
      {".spec.ports[1].port", {443}},
      {".spec.ports[-1].port", {443}},
      {".spec.ports[*].port", {80, 443}},
      {".status.conditions[?(@.type==\"Ready\")].status", {"True"}},
      {".status.conditions[?(@.type=='Ready')].reason", {"Up"}},
      {".status.conditions[?(@.type!=\"Ready\")].type", {"Synced"}},
      {".spec.labels['a.b/c']", {"x"}},
      {".spec.labels.a\\.b/c", {"x"}},
      {".spec.missing.deeper", Json::array()},
      {".spec.ports[7].port", Json::array()},
      {"{.spec.replicas}", {2}},
  };
  for (const Case& c : cases) {
    CAPTURE(c.path);
    auto found = eval_json_path(c.path, obj);
    REQUIRE(found.has_value());
    Json values = Json::array();
    for (const Json* v : *found) values.push_back(*v);
    CHECK(values == c.values);
  }
  for (const char* bad : {"spec.replicas", ".spec[", ".spec..x", ".a[?(@.x>1)]", ".a[x]"}) {
    CAPTURE(bad);
    CHECK_FALSE(eval_json_path(bad, obj).has_value());
  }
}

TEST_CASE("table: custom resources print their CRD version's columns") {
  Registry r = Registry::builtin();
  r.add_crd(Json::parse(R"({"metadata":{"name":"widgets.example.com"},"spec":{"group":"example.com","scope":"Namespaced",
    "names":{"kind":"Widget","plural":"widgets"},"versions":[
     {"name":"v1","served":true,"storage":true,"schema":{"openAPIV3Schema":{"type":"object"}},
      "additionalPrinterColumns":[
        {"name":"Ready","type":"string","jsonPath":".status.conditions[?(@.type==\"Ready\")].status"},
        {"name":"Replicas","type":"integer","jsonPath":".spec.replicas","description":"How many."},
        {"name":"Ratio","type":"number","jsonPath":".spec.ratio","priority":1},
        {"name":"Paused","type":"boolean","jsonPath":".spec.paused"},
        {"name":"Size","type":"string","jsonPath":".spec.size"},
        {"name":"Started","type":"date","jsonPath":".status.startedAt"},
        {"name":"Age","type":"date","jsonPath":".metadata.creationTimestamp"}]},
     {"name":"v2","served":true,"storage":false,"schema":{"openAPIV3Schema":{"type":"object"}}},
     {"name":"v3","served":true,"storage":false,"schema":{"openAPIV3Schema":{"type":"object"}},
      "additionalPrinterColumns":[{"name":"Bad","type":"string","jsonPath":".spec[?(@.x>1)]"}]}]}})"));
  const ResourceType* v1 = r.find("example.com", "v1", "widgets");
  REQUIRE(v1 != nullptr);
  Json w = Json::parse(R"({"apiVersion":"example.com/v1","kind":"Widget",
    "metadata":{"name":"w","creationTimestamp":"2024-06-01T11:00:00Z","resourceVersion":"5"},
    "spec":{"replicas":3.0,"ratio":2,"paused":true,"size":{"cpu":2}},
    "status":{"conditions":[{"type":"Ready","status":"True"}],"startedAt":"yesterday"}})");
  Json table = to_table(*v1, {&w}, Json::object(), "", kNow);
  CHECK(column_names(table) == std::vector<std::string>{"Name", "Ready", "Replicas", "Ratio", "Paused", "Size", "Started", "Age"});
  CHECK(column_priorities(table) == std::vector<int>{0, 0, 0, 1, 0, 0, 0, 0});
  CHECK(table["columnDefinitions"][1]["description"] ==
        "Custom resource definition column (in JSONPath format): .status.conditions[?(@.type==\"Ready\")].status");
  CHECK(table["columnDefinitions"][2]["description"] == "How many.");
  CHECK(table["rows"][0]["cells"] == Json::array({"w", "True", 3, 2.0, true, R"({"cpu":2})", "<invalid>", "60m"}));
  Json bare = Json::parse(R"({"metadata":{"name":"b","creationTimestamp":"2024-06-01T11:00:00Z"}})");
  CHECK(to_table(*v1, {&bare}, Json::object(), "", kNow)["rows"][0]["cells"] ==
        Json::array({"b", nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, "60m"}));

  Json v2table = to_table(*r.find("example.com", "v2", "widgets"), {&w}, Json::object(), "", kNow);
  CHECK(column_names(v2table) == std::vector<std::string>{"Name", "Age"});
  CHECK(v2table["columnDefinitions"][1]["type"] == "date");
  CHECK(v2table["rows"][0]["cells"] == Json::array({"w", "60m"}));

  Json v3table = to_table(*r.find("example.com", "v3", "widgets"), {&w}, Json::object(), "", kNow);
  CHECK(column_names(v3table) == std::vector<std::string>{"Name", "Created At"});
  CHECK(to_table(*v1, {&w}, Json::object(), "Object", kNow)["rows"][0]["object"]["kind"] == "Widget");
}

TEST_CASE("table: Endpoints and EndpointSlice list up to three addresses") {
  const ResourceType& t = type_of("", "v1", "endpoints");
  Json ep = {{"metadata", meta("web")},
             {"subsets", {{{"addresses", {{{"ip", "10.42.0.5"}}, {{"ip", "10.42.0.6"}}}}, {"ports", {{{"port", 80}}, {{"port", 443}}}}}}}};
  CHECK(cells_of(t, ep) == Json::array({"web", "10.42.0.5:80,10.42.0.6:80,10.42.0.5:443 + 1 more...", "5m"}));
  Json headless = {{"metadata", meta("db")}, {"subsets", {{{"addresses", {{{"ip", "fd00::1"}}}}}}}};
  CHECK(cells_of(t, headless)[1] == "fd00::1");
  Json v6 = {{"metadata", meta("v6")}, {"subsets", {{{"addresses", {{{"ip", "fd00::1"}}}}, {"ports", {{{"port", 53}}}}}}}};
  CHECK(cells_of(t, v6)[1] == "[fd00::1]:53");
  CHECK(cells_of(t, Json{{"metadata", meta("none")}})[1] == "<none>");

  const ResourceType& s = type_of("discovery.k8s.io", "v1", "endpointslices");
  Json slice = {{"metadata", meta("web-abc")}, {"addressType", "IPv4"},
                {"ports", {{{"port", 80}}, {{"name", "metrics"}}, Json::object()}},
                {"endpoints", {{{"addresses", {"10.42.0.5"}}}, {{"addresses", {"10.42.0.6", "10.42.0.7", "10.42.0.8"}}}}}};
  CHECK(cells_of(s, slice) == Json::array({"web-abc", "IPv4", "80,metrics,*", "10.42.0.5,10.42.0.6,10.42.0.7 + 1 more...", "5m"}));
  Json empty = {{"metadata", meta("empty")}, {"addressType", "IPv4"}};
  CHECK(cells_of(s, empty) == Json::array({"empty", "IPv4", "<unset>", "<unset>", "5m"}));
}

TEST_CASE("table: policy and autoscaling kinds") {
  Json np = {{"metadata", meta("deny")}, {"spec", {{"podSelector", Json::object()}}}};
  CHECK(cells_of(type_of("networking.k8s.io", "v1", "networkpolicies"), np) == Json::array({"deny", "<none>", "5m"}));
  np["spec"]["podSelector"] = {{"matchLabels", {{"app", "db"}}}};
  CHECK(cells_of(type_of("networking.k8s.io", "v1", "networkpolicies"), np)[1] == "app=db");

  const ResourceType& pdb = type_of("policy", "v1", "poddisruptionbudgets");
  Json b = {{"metadata", meta("web")}, {"spec", {{"minAvailable", "50%"}}}, {"status", {{"disruptionsAllowed", 1}}}};
  CHECK(cells_of(pdb, b) == Json::array({"web", "50%", "N/A", 1, "5m"}));
  b["spec"] = {{"maxUnavailable", 1}};
  CHECK(cells_of(pdb, b) == Json::array({"web", "N/A", "1", 1, "5m"}));

  const ResourceType& hpa = type_of("autoscaling", "v2", "horizontalpodautoscalers");
  Json h = {{"metadata", meta("web")},
            {"spec", {{"scaleTargetRef", {{"kind", "Deployment"}, {"name", "web"}}}, {"minReplicas", 2}, {"maxReplicas", 5},
                      {"metrics", {{{"type", "Resource"}, {"resource", {{"name", "cpu"}, {"target", {{"type", "Utilization"}, {"averageUtilization", 80}}}}}}}}}},
            {"status", {{"currentReplicas", 2}}}};
  CHECK(cells_of(hpa, h) == Json::array({"web", "Deployment/web", "cpu: <unknown>/80%", "2", 5, 2, "5m"}));
  h["status"]["currentMetrics"] = {{{"type", "Resource"}, {"resource", {{"name", "cpu"}, {"current", {{"averageUtilization", 12}}}}}}};
  h["spec"]["metrics"].push_back({{"type", "Pods"}, {"pods", {{"metric", {{"name", "qps"}}}, {"target", {{"averageValue", "10"}}}}}});
  h["spec"]["metrics"].push_back({{"type", "External"}, {"external", {{"target", {{"value", "3"}}}}}});
  h["spec"].erase("minReplicas");
  CHECK(cells_of(hpa, h) == Json::array({"web", "Deployment/web", "cpu: 12%/80%, <unknown>/10 + 1 more...", "<unset>", 5, 2, "5m"}));
  h["spec"]["metrics"] = Json::array();
  CHECK(cells_of(hpa, h)[2] == "<none>");
}

TEST_CASE("table: Event rows, ControllerRevision, ResourceQuota, webhooks") {
  const ResourceType& t = type_of("", "v1", "events");
  Json ev = {{"metadata", meta("web.17a")}, {"type", "Normal"}, {"reason", "Scheduled"},
             {"involvedObject", {{"kind", "Pod"}, {"name", "web-1"}, {"fieldPath", "spec.containers{app}"}}},
             {"source", {{"component", "default-scheduler"}}}, {"message", "  Assigned  \n"},
             {"firstTimestamp", "2024-06-01T11:50:00Z"}, {"lastTimestamp", "2024-06-01T11:58:00Z"}, {"count", 4}};
  Json table = table_of(t, ev);
  CHECK(column_names(table) == std::vector<std::string>{"Last Seen", "Type", "Reason", "Object", "Subobject", "Source", "Message",
                                                       "First Seen", "Count", "Name"});
  CHECK(table["rows"][0]["cells"] == Json::array({"2m", "Normal", "Scheduled", "pod/web-1", "spec.containers{app}", "default-scheduler",
                                                  "Assigned", "10m", 4, "web.17a"}));
  Json fresh = {{"metadata", meta("x")}, {"type", "Warning"}, {"reason", "Failed"}, {"involvedObject", {{"kind", "Node"}}},
                {"eventTime", "2024-06-01T11:59:30.000000Z"}, {"reportingComponent", "kubelet"}, {"reportingInstance", "agent-1"}};
  CHECK(cells_of(t, fresh) == Json::array({"30s", "Warning", "Failed", "node", "", "kubelet, agent-1", "", "30s", 1, "x"}));

  Json cr = {{"metadata", meta("agent-6d5")}, {"revision", 3}};
  cr["metadata"]["ownerReferences"] = {{{"apiVersion", "apps/v1"}, {"kind", "DaemonSet"}, {"name", "agent"}, {"controller", true}}};
  CHECK(cells_of(type_of("apps", "v1", "controllerrevisions"), cr) == Json::array({"agent-6d5", "daemonset.apps/agent", 3, "5m"}));

  Json rq = {{"metadata", meta("quota")},
             {"status", {{"hard", {{"requests.cpu", "2"}, {"limits.memory", "4Gi"}, {"pods", "10"}}},
                         {"used", {{"requests.cpu", "500m"}, {"pods", "3"}}}}}};
  CHECK(cells_of(type_of("", "v1", "resourcequotas"), rq) ==
        Json::array({"quota", "pods: 3/10, requests.cpu: 500m/2", "limits.memory: 0/4Gi", "5m"}));

  Json wh = {{"metadata", meta("hooks")}, {"webhooks", {{{"name", "a.example.com"}}, {{"name", "b.example.com"}}}}};
  CHECK(cells_of(type_of("admissionregistration.k8s.io", "v1", "validatingwebhookconfigurations"), wh) == Json::array({"hooks", 2, "5m"}));
}
