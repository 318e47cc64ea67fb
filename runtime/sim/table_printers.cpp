// Columns and cells from kubernetes pkg/printers/internalversion/printers.go
// (AddHandlers and the print* functions). The apiserver calls them with
// GenerateOptions{Wide: true} (pkg/printers/storage/storage.go), so every row
// carries the wide (priority 1) cells too. Column descriptions are
// SwaggerDoc() strings; they are read here from the embedded OpenAPI
// document, which is generated from the same comments.

#include "runtime/sim/table_printers.h"

#include "runtime/sim/openapi_doc.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace claw::sim {
namespace {

// ---- reading the object -------------------------------------------------

const Json* find(const Json& object, std::string_view pointer) {
  const Json* node = &object;
  std::size_t pos = 1;
  while (pos <= pointer.size() && !pointer.empty()) {
    std::size_t end = pointer.find('/', pos);
    if (end == std::string_view::npos) end = pointer.size();
    std::string key(pointer.substr(pos, end - pos));
    for (std::size_t t = key.find('~'); t != std::string::npos; t = key.find('~', t + 1)) {
      if (t + 1 < key.size()) key.replace(t, 2, key[t + 1] == '1' ? "/" : "~");
    }
    if (!node->is_object()) return nullptr;
    auto it = node->find(key);
    if (it == node->end()) return nullptr;
    node = &*it;
    pos = end + 1;
  }
  return node;
}

std::string str(const Json& object, std::string_view pointer, std::string_view fallback = "") {
  const Json* v = find(object, pointer);
  return v != nullptr && v->is_string() ? v->get<std::string>() : std::string(fallback);
}

long long num(const Json& object, std::string_view pointer, long long fallback = 0) {
  const Json* v = find(object, pointer);
  return v != nullptr && v->is_number() ? v->get<long long>() : fallback;
}

bool has(const Json& object, std::string_view pointer) {
  const Json* v = find(object, pointer);
  return v != nullptr && !v->is_null();
}

bool flag(const Json& object, std::string_view pointer, bool fallback = false) {
  const Json* v = find(object, pointer);
  return v != nullptr && v->is_boolean() ? v->get<bool>() : fallback;
}

const Json& items(const Json& object, std::string_view pointer) {
  static const Json empty = Json::array();
  const Json* v = find(object, pointer);
  return v != nullptr && v->is_array() ? *v : empty;
}

std::size_t count(const Json& object, std::string_view pointer) {
  const Json* v = find(object, pointer);
  return v != nullptr && (v->is_object() || v->is_array()) ? v->size() : 0;
}

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += sep;
    out += parts[i];
  }
  return out;
}

std::string age(const Json& object, TimePoint now) {
  return age_since(str(object, "/metadata/creationTimestamp"), now);
}

// ---- shared formatters ----------------------------------------------------

// labels.FormatLabels: sorted `k=v` joined by ",", or "<none>".
std::string format_labels(const Json* map) {
  std::vector<std::string> parts;
  if (map != nullptr && map->is_object()) {
    for (auto it = map->begin(); it != map->end(); ++it) {
      parts.push_back(it.key() + "=" + (it->is_string() ? it->get<std::string>() : it->dump()));
    }
  }
  std::ranges::sort(parts);
  return parts.empty() ? "<none>" : join(parts, ",");
}

// metav1.LabelSelectorAsSelector(selector).String(): requirements sorted by
// key (labels/selector.go), values of set operators sorted.
std::string selector_string(const Json& selector) {
  std::vector<std::pair<std::string, std::string>> reqs;
  if (const Json* labels = find(selector, "/matchLabels"); labels != nullptr && labels->is_object()) {
    for (auto it = labels->begin(); it != labels->end(); ++it) {
      reqs.emplace_back(it.key(), it.key() + "=" + (it->is_string() ? it->get<std::string>() : ""));
    }
  }
  for (const Json& e : items(selector, "/matchExpressions")) {
    std::string key = str(e, "/key");
    std::string op = str(e, "/operator");
    std::vector<std::string> values;
    for (const Json& v : items(e, "/values")) values.push_back(v.is_string() ? v.get<std::string>() : v.dump());
    std::ranges::sort(values);
    if (op == "In") reqs.emplace_back(key, key + " in (" + join(values, ",") + ")");
    else if (op == "NotIn") reqs.emplace_back(key, key + " notin (" + join(values, ",") + ")");
    else if (op == "Exists") reqs.emplace_back(key, key);
    else if (op == "DoesNotExist") reqs.emplace_back(key, "!" + key);
  }
  std::ranges::stable_sort(reqs, {}, &std::pair<std::string, std::string>::first);
  std::vector<std::string> parts;
  for (auto& r : reqs) parts.push_back(r.second);
  return join(parts, ",");
}

// metav1.FormatLabelSelector: the selector string, "<none>" when empty.
std::string format_label_selector(const Json& object, std::string_view pointer) {
  const Json* s = find(object, pointer);
  std::string text = s != nullptr && s->is_object() ? selector_string(*s) : "";
  return text.empty() ? "<none>" : text;
}

// layoutContainerCells: container names and images, comma-joined.
std::pair<std::string, std::string> containers(const Json& object, std::string_view pointer) {
  std::vector<std::string> names, images;
  for (const Json& c : items(object, pointer)) {
    names.push_back(str(c, "/name"));
    images.push_back(str(c, "/image"));
  }
  return {join(names, ","), join(images, ",")};
}

// helper.GetAccessModesAsString (pkg/apis/core/helper/helpers.go).
std::string access_modes(const Json& modes) {
  auto has_mode = [&modes](std::string_view m) {
    return modes.is_array() && std::ranges::any_of(modes, [m](const Json& v) { return v.is_string() && v.get<std::string>() == m; });
  };
  std::vector<std::string> out;
  if (has_mode("ReadWriteOnce")) out.emplace_back("RWO");
  if (has_mode("ReadOnlyMany")) out.emplace_back("ROX");
  if (has_mode("ReadWriteMany")) out.emplace_back("RWX");
  if (has_mode("ReadWriteOncePod")) out.emplace_back("RWOP");
  return join(out, ",");
}

// loadBalancerStatusStringer with wide=true: unique IPs or hostnames, sorted.
std::string load_balancer_addresses(const Json& object) {
  std::set<std::string> result;
  for (const Json& in : items(object, "/status/loadBalancer/ingress")) {
    if (std::string ip = str(in, "/ip"); !ip.empty()) result.insert(ip);
    else if (std::string host = str(in, "/hostname"); !host.empty()) result.insert(host);
  }
  return join(std::vector<std::string>(result.begin(), result.end()), ",");
}

std::vector<std::string> strings_of(const Json& list) {
  std::vector<std::string> out;
  for (const Json& v : list) out.push_back(v.is_string() ? v.get<std::string>() : v.dump());
  return out;
}

// ---- column definitions -------------------------------------------------

// The description of `field` of definition `definition`, without the
// "Possible enum values" paragraph the OpenAPI generator appends.
std::string doc(std::string_view definition, std::string_view field) {
  const Json& defs = builtin_definitions();
  const Json* d = find(defs, "/" + std::string(definition) + "/properties/" + std::string(field) + "/description");
  if (d == nullptr || !d->is_string()) return "";
  std::string text = d->get<std::string>();
  if (std::size_t cut = text.find("\n\nPossible enum values:"); cut != std::string::npos) text.resize(cut);
  return text;
}

constexpr std::string_view kCore = "io.k8s.api.core.v1.";

std::string core_doc(std::string_view type, std::string_view field) {
  return doc(std::string(kCore) + std::string(type), field);
}

Json col(std::string_view name, std::string_view type, std::string description, int priority = 0,
         std::string_view format = "") {
  return Json{{"name", name}, {"type", type}, {"format", format}, {"description", std::move(description)},
              {"priority", priority}};
}

Json name_col() { return col("Name", "string", object_meta_doc("name"), 0, "name"); }
Json age_col() { return col("Age", "string", object_meta_doc("creationTimestamp")); }
Json containers_col() { return col("Containers", "string", "Names of each container in the template.", 1); }
Json images_col() { return col("Images", "string", "Images referenced by each container in the template.", 1); }

// ---- per kind -----------------------------------------------------------

struct PodTime {
  std::optional<TimePoint> t;
  void later(const Json& status) {
    const Json* term = find(status, "/lastState/terminated");
    if (term == nullptr || !term->is_object()) return;
    std::optional<TimePoint> finished = parse_rfc3339(str(*term, "/finishedAt"));
    if (finished && (!t || *t < *finished)) t = finished;
  }
};

bool condition_true(const Json& object, std::string_view pointer, std::string_view type) {
  for (const Json& c : items(object, pointer)) {
    if (str(c, "/type") == type) return str(c, "/status") == "True";
  }
  return false;
}

// printPod.
Json pod_row(const Json& pod, TimePoint now) {
  long long restarts = 0, restartable_restarts = 0;
  std::size_t total = items(pod, "/spec/containers").size();
  long long ready = 0;
  PodTime last_restart, last_restartable_restart;
  std::string phase = str(pod, "/status/phase");
  std::string reason = phase;
  if (std::string r = str(pod, "/status/reason"); !r.empty()) reason = r;
  for (const Json& c : items(pod, "/status/conditions")) {
    if (str(c, "/type") == "PodScheduled" && str(c, "/reason") == "SchedulingGated") reason = "SchedulingGated";
  }
  Json row = Json::object();
  if (phase == "Succeeded") {
    row["conditions"] = Json::array({{{"type", "Completed"}, {"status", "True"}, {"reason", "Succeeded"},
                                      {"message", "The pod has completed successfully."}}});
  } else if (phase == "Failed") {
    row["conditions"] = Json::array(
        {{{"type", "Completed"}, {"status", "True"}, {"reason", "Failed"}, {"message", "The pod failed."}}});
  }
  std::set<std::string> restartable;  // podutil.IsRestartableInitContainer: restartPolicy Always
  const Json& init_specs = items(pod, "/spec/initContainers");
  for (const Json& c : init_specs) {
    if (str(c, "/restartPolicy") == "Always") {
      restartable.insert(str(c, "/name"));
      ++total;
    }
  }
  bool initializing = false;
  const Json& init_statuses = items(pod, "/status/initContainerStatuses");
  for (std::size_t i = 0; i < init_statuses.size(); ++i) {
    const Json& c = init_statuses[i];
    restarts += num(c, "/restartCount");
    last_restart.later(c);
    bool is_restartable = restartable.contains(str(c, "/name"));
    if (is_restartable) {
      restartable_restarts += num(c, "/restartCount");
      last_restartable_restart.later(c);
    }
    bool terminated = has(c, "/state/terminated");
    std::string waiting_reason = str(c, "/state/waiting/reason");
    if (terminated && num(c, "/state/terminated/exitCode") == 0) continue;
    if (is_restartable && flag(c, "/started")) {
      if (flag(c, "/ready")) ++ready;
      continue;
    }
    if (terminated) {
      std::string r = str(c, "/state/terminated/reason");
      if (r.empty()) {
        long long signal = num(c, "/state/terminated/signal");
        reason = signal != 0 ? fmt::format("Init:Signal:{}", signal)
                             : fmt::format("Init:ExitCode:{}", num(c, "/state/terminated/exitCode"));
      } else {
        reason = "Init:" + r;
      }
    } else if (has(c, "/state/waiting") && !waiting_reason.empty() && waiting_reason != "PodInitializing") {
      reason = "Init:" + waiting_reason;
    } else {
      reason = fmt::format("Init:{}/{}", i, init_specs.size());
    }
    initializing = true;
    break;
  }
  bool initialized = false;
  for (const Json& c : items(pod, "/status/conditions")) {
    if (str(c, "/type") == "Initialized") {
      initialized = str(c, "/status") == "True";
      break;
    }
  }
  if (!initializing || initialized) {
    restarts = restartable_restarts;
    last_restart = last_restartable_restart;
    bool has_running = false;
    const Json& statuses = items(pod, "/status/containerStatuses");
    for (std::size_t i = statuses.size(); i-- > 0;) {
      const Json& c = statuses[i];
      restarts += num(c, "/restartCount");
      last_restart.later(c);
      std::string waiting_reason = str(c, "/state/waiting/reason");
      std::string terminated_reason = str(c, "/state/terminated/reason");
      if (has(c, "/state/waiting") && !waiting_reason.empty()) {
        reason = waiting_reason;
      } else if (has(c, "/state/terminated") && !terminated_reason.empty()) {
        reason = terminated_reason;
      } else if (has(c, "/state/terminated")) {
        long long signal = num(c, "/state/terminated/signal");
        reason = signal != 0 ? fmt::format("Signal:{}", signal)
                             : fmt::format("ExitCode:{}", num(c, "/state/terminated/exitCode"));
      } else if (flag(c, "/ready") && has(c, "/state/running")) {
        has_running = true;
        ++ready;
      }
    }
    if (reason == "Completed" && has_running) {
      reason = condition_true(pod, "/status/conditions", "Ready") ? "Running" : "NotReady";
    }
  }
  bool deleting = has(pod, "/metadata/deletionTimestamp");
  if (deleting && str(pod, "/status/reason") == "NodeLost") {
    reason = "Unknown";
  } else if (deleting && phase != "Succeeded" && phase != "Failed") {
    reason = "Terminating";
  }
  std::string restarts_text = std::to_string(restarts);
  if (restarts != 0 && last_restart.t) {
    restarts_text = fmt::format("{} ({} ago)", restarts,
                                human_duration(std::chrono::duration_cast<std::chrono::nanoseconds>(now - *last_restart.t)));
  }
  std::string ip = items(pod, "/status/podIPs").empty() ? "" : str(items(pod, "/status/podIPs")[0], "/ip");
  std::string node = str(pod, "/spec/nodeName");
  std::string nominated = str(pod, "/status/nominatedNodeName");
  std::string gates = "<none>";
  if (const Json& rg = items(pod, "/spec/readinessGates"); !rg.empty()) {
    std::size_t true_conditions = 0;
    for (const Json& gate : rg) {
      for (const Json& c : items(pod, "/status/conditions")) {
        if (str(c, "/type") == str(gate, "/conditionType")) {
          if (str(c, "/status") == "True") ++true_conditions;
          break;
        }
      }
    }
    gates = fmt::format("{}/{}", true_conditions, rg.size());
  }
  row["cells"] = Json::array({str(pod, "/metadata/name"), fmt::format("{}/{}", ready, total), reason, restarts_text,
                              age(pod, now), ip.empty() ? "<none>" : ip, node.empty() ? "<none>" : node,
                              nominated.empty() ? "<none>" : nominated, gates});
  return row;
}

Printer pod_printer() {
  return {Json::array({name_col(),
                       col("Ready", "string", "The aggregate readiness state of this pod for accepting traffic."),
                       col("Status", "string", "The aggregate status of the containers in this pod."),
                       col("Restarts", "string",
                           "The number of times the containers in this pod have been restarted and when the last "
                           "container in this pod has restarted."),
                       age_col(), col("IP", "string", core_doc("PodStatus", "podIP"), 1),
                       col("Node", "string", core_doc("PodSpec", "nodeName"), 1),
                       col("Nominated Node", "string", core_doc("PodStatus", "nominatedNodeName"), 1),
                       col("Readiness Gates", "string", core_doc("PodSpec", "readinessGates"), 1)}),
          pod_row};
}

// getServiceExternalIP with wide=true.
std::string service_external_ip(const Json& svc) {
  std::string type = str(svc, "/spec/type");
  std::vector<std::string> external = strings_of(items(svc, "/spec/externalIPs"));
  if (type == "ClusterIP" || type == "NodePort") return external.empty() ? "<none>" : join(external, ",");
  if (type == "LoadBalancer") {
    std::string lb = load_balancer_addresses(svc);
    if (!external.empty()) return lb.empty() ? join(external, ",") : lb + "," + join(external, ",");
    return lb.empty() ? "<pending>" : lb;
  }
  if (type == "ExternalName") return str(svc, "/spec/externalName");
  return "<unknown>";
}

// makePortString. A port's protocol is defaulted to TCP on write (the
// schema: "Default is TCP"); a missing one is shown as that default.
std::string service_ports(const Json& svc) {
  std::vector<std::string> pieces;
  for (const Json& p : items(svc, "/spec/ports")) {
    long long node_port = num(p, "/nodePort");
    std::string protocol = str(p, "/protocol", "TCP");
    pieces.push_back(node_port > 0 ? fmt::format("{}:{}/{}", num(p, "/port"), node_port, protocol)
                                   : fmt::format("{}/{}", num(p, "/port"), protocol));
  }
  return pieces.empty() ? "<none>" : join(pieces, ",");
}

Printer service_printer() {
  return {Json::array({name_col(), col("Type", "string", core_doc("ServiceSpec", "type")),
                       col("Cluster-IP", "string", core_doc("ServiceSpec", "clusterIP")),
                       col("External-IP", "string", core_doc("ServiceSpec", "externalIPs")),
                       col("Port(s)", "string", core_doc("ServiceSpec", "ports")), age_col(),
                       col("Selector", "string", core_doc("ServiceSpec", "selector"), 1)}),
          [](const Json& svc, TimePoint now) {
            const Json& ips = items(svc, "/spec/clusterIPs");
            std::string cluster_ip = ips.empty() ? "<none>" : str(ips[0], "");
            return Json{{"cells", Json::array({str(svc, "/metadata/name"), str(svc, "/spec/type"), cluster_ip,
                                               service_external_ip(svc), service_ports(svc), age(svc, now),
                                               format_labels(find(svc, "/spec/selector"))})}};
          }};
}

Printer namespace_printer() {
  return {Json::array({name_col(), col("Status", "string", "The status of the namespace"), age_col()}),
          [](const Json& ns, TimePoint now) {
            return Json{{"cells", Json::array({str(ns, "/metadata/name"), str(ns, "/status/phase"), age(ns, now)})}};
          }};
}

std::string node_address(const Json& node, std::string_view type) {
  for (const Json& a : items(node, "/status/addresses")) {
    if (str(a, "/type") == type) return str(a, "/address");
  }
  return "<none>";
}

// findNodeRoles: node-role.kubernetes.io/<role> keys and kubernetes.io/role values, sorted.
std::string node_roles(const Json& node) {
  std::set<std::string> roles;
  if (const Json* labels = find(node, "/metadata/labels"); labels != nullptr && labels->is_object()) {
    constexpr std::string_view prefix = "node-role.kubernetes.io/";
    for (auto it = labels->begin(); it != labels->end(); ++it) {
      std::string value = it->is_string() ? it->get<std::string>() : "";
      if (it.key().starts_with(prefix)) {
        if (it.key().size() > prefix.size()) roles.insert(it.key().substr(prefix.size()));
      } else if (it.key() == "kubernetes.io/role" && !value.empty()) {
        roles.insert(value);
      }
    }
  }
  return roles.empty() ? "<none>" : join(std::vector<std::string>(roles.begin(), roles.end()), ",");
}

Json node_row(const Json& node, TimePoint now) {
  std::vector<std::string> status;
  const Json* ready = nullptr;  // the last Ready condition wins, as in printNode's map
  for (const Json& c : items(node, "/status/conditions")) {
    if (str(c, "/type") == "Ready") ready = &c;
  }
  if (ready != nullptr) status.push_back(str(*ready, "/status") == "True" ? "Ready" : "NotReady");
  if (status.empty()) status.emplace_back("Unknown");
  if (flag(node, "/spec/unschedulable")) status.emplace_back("SchedulingDisabled");
  auto or_unknown = [](std::string s) { return s.empty() ? std::string("<unknown>") : s; };
  return Json{{"cells", Json::array({str(node, "/metadata/name"), join(status, ","), node_roles(node), age(node, now),
                                     str(node, "/status/nodeInfo/kubeletVersion"), node_address(node, "InternalIP"),
                                     node_address(node, "ExternalIP"), or_unknown(str(node, "/status/nodeInfo/osImage")),
                                     or_unknown(str(node, "/status/nodeInfo/kernelVersion")),
                                     or_unknown(str(node, "/status/nodeInfo/containerRuntimeVersion"))})}};
}

Printer node_printer() {
  return {Json::array({name_col(), col("Status", "string", "The status of the node"),
                       col("Roles", "string", "The roles of the node"), age_col(),
                       col("Version", "string", core_doc("NodeSystemInfo", "kubeletVersion")),
                       col("Internal-IP", "string", core_doc("NodeStatus", "addresses"), 1),
                       col("External-IP", "string", core_doc("NodeStatus", "addresses"), 1),
                       col("OS-Image", "string", core_doc("NodeSystemInfo", "osImage"), 1),
                       col("Kernel-Version", "string", core_doc("NodeSystemInfo", "kernelVersion"), 1),
                       col("Container-Runtime", "string", core_doc("NodeSystemInfo", "containerRuntimeVersion"), 1)}),
          node_row};
}

Printer config_map_printer() {
  return {Json::array({name_col(), col("Data", "string", core_doc("ConfigMap", "data")), age_col()}),
          [](const Json& cm, TimePoint now) {
            auto n = static_cast<long long>(count(cm, "/data") + count(cm, "/binaryData"));
            return Json{{"cells", Json::array({str(cm, "/metadata/name"), n, age(cm, now)})}};
          }};
}

Printer secret_printer() {
  return {Json::array({name_col(), col("Type", "string", core_doc("Secret", "type")),
                       col("Data", "string", core_doc("Secret", "data")), age_col()}),
          [](const Json& s, TimePoint now) {
            return Json{{"cells", Json::array({str(s, "/metadata/name"), str(s, "/type"),
                                               static_cast<long long>(count(s, "/data")), age(s, now)})}};
          }};
}

Printer service_account_printer() {
  return {Json::array({name_col(), col("Secrets", "string", core_doc("ServiceAccount", "secrets")), age_col()}),
          [](const Json& sa, TimePoint now) {
            return Json{{"cells", Json::array({str(sa, "/metadata/name"), static_cast<long long>(count(sa, "/secrets")),
                                               age(sa, now)})}};
          }};
}

constexpr std::string_view kBetaStorageClass = "volume.beta.kubernetes.io~1storage-class";  // a JSON pointer token

Printer pvc_printer() {
  return {Json::array({name_col(), col("Status", "string", core_doc("PersistentVolumeClaimStatus", "phase")),
                       col("Volume", "string", core_doc("PersistentVolumeClaimSpec", "volumeName")),
                       col("Capacity", "string", core_doc("PersistentVolumeClaimStatus", "capacity")),
                       col("Access Modes", "string", core_doc("PersistentVolumeClaimStatus", "accessModes")),
                       col("StorageClass", "string", "StorageClass of the pvc"),
                       col("VolumeAttributesClass", "string", "VolumeAttributesClass of the pvc"), age_col(),
                       col("VolumeMode", "string", core_doc("PersistentVolumeClaimSpec", "volumeMode"), 1)}),
          [](const Json& pvc, TimePoint now) {
            std::string phase = has(pvc, "/metadata/deletionTimestamp") ? "Terminating" : str(pvc, "/status/phase");
            std::string volume = str(pvc, "/spec/volumeName");
            std::string capacity, modes;
            if (!volume.empty()) {
              modes = access_modes(items(pvc, "/status/accessModes"));
              capacity = str(pvc, "/status/capacity/storage", "0");
            }
            // helper.GetPersistentVolumeClaimClass: the beta annotation wins.
            std::string klass = str(pvc, "/metadata/annotations/" + std::string(kBetaStorageClass),
                                    str(pvc, "/spec/storageClassName"));
            return Json{{"cells", Json::array({str(pvc, "/metadata/name"), phase, volume, capacity, modes, klass,
                                               str(pvc, "/spec/volumeAttributesClassName", "<unset>"), age(pvc, now),
                                               str(pvc, "/spec/volumeMode", "<unset>")})}};
          }};
}

Printer pv_printer() {
  return {Json::array({name_col(), col("Capacity", "string", core_doc("PersistentVolumeSpec", "capacity")),
                       col("Access Modes", "string", core_doc("PersistentVolumeSpec", "accessModes")),
                       col("Reclaim Policy", "string", core_doc("PersistentVolumeSpec", "persistentVolumeReclaimPolicy")),
                       col("Status", "string", core_doc("PersistentVolumeStatus", "phase")),
                       col("Claim", "string", core_doc("PersistentVolumeSpec", "claimRef")),
                       col("StorageClass", "string", "StorageClass of the pv"),
                       col("VolumeAttributesClass", "string", "VolumeAttributesClass of the pv"),
                       col("Reason", "string", core_doc("PersistentVolumeStatus", "reason")), age_col(),
                       col("VolumeMode", "string", core_doc("PersistentVolumeSpec", "volumeMode"), 1)}),
          [](const Json& pv, TimePoint now) {
            std::string claim;
            if (has(pv, "/spec/claimRef")) claim = str(pv, "/spec/claimRef/namespace") + "/" + str(pv, "/spec/claimRef/name");
            std::string phase = has(pv, "/metadata/deletionTimestamp") ? "Terminating" : str(pv, "/status/phase");
            // helper.GetPersistentVolumeClass: the beta annotation wins.
            std::string klass = str(pv, "/metadata/annotations/" + std::string(kBetaStorageClass),
                                    str(pv, "/spec/storageClassName"));
            return Json{{"cells", Json::array({str(pv, "/metadata/name"), str(pv, "/spec/capacity/storage", "0"),
                                               access_modes(items(pv, "/spec/accessModes")),
                                               str(pv, "/spec/persistentVolumeReclaimPolicy"), phase, claim, klass,
                                               str(pv, "/spec/volumeAttributesClassName", "<unset>"),
                                               str(pv, "/status/reason"), age(pv, now),
                                               str(pv, "/spec/volumeMode", "<unset>")})}};
          }};
}

const std::string kApps = "io.k8s.api.apps.v1.";

Printer deployment_printer() {
  return {Json::array({name_col(), col("Ready", "string", "Number of the pod with ready state"),
                       col("Up-to-date", "string", doc(kApps + "DeploymentStatus", "updatedReplicas")),
                       col("Available", "string", doc(kApps + "DeploymentStatus", "availableReplicas")), age_col(),
                       containers_col(), images_col(),
                       col("Selector", "string", doc(kApps + "DeploymentSpec", "selector"), 1)}),
          [](const Json& d, TimePoint now) {
            auto [names, images] = containers(d, "/spec/template/spec/containers");
            const Json* selector = find(d, "/spec/selector");
            return Json{{"cells", Json::array({str(d, "/metadata/name"),
                                               fmt::format("{}/{}", num(d, "/status/readyReplicas"), num(d, "/spec/replicas", 1)),
                                               num(d, "/status/updatedReplicas"), num(d, "/status/availableReplicas"),
                                               age(d, now), names, images,
                                               selector != nullptr && selector->is_object() ? selector_string(*selector) : ""})}};
          }};
}

Printer stateful_set_printer() {
  return {Json::array({name_col(), col("Ready", "string", "Number of the pod with ready state"), age_col(),
                       containers_col(), images_col()}),
          [](const Json& s, TimePoint now) {
            auto [names, images] = containers(s, "/spec/template/spec/containers");
            return Json{{"cells", Json::array({str(s, "/metadata/name"),
                                               fmt::format("{}/{}", num(s, "/status/readyReplicas"), num(s, "/spec/replicas", 1)),
                                               age(s, now), names, images})}};
          }};
}

Printer daemon_set_printer() {
  return {Json::array({name_col(), col("Desired", "integer", doc(kApps + "DaemonSetStatus", "desiredNumberScheduled")),
                       col("Current", "integer", doc(kApps + "DaemonSetStatus", "currentNumberScheduled")),
                       col("Ready", "integer", doc(kApps + "DaemonSetStatus", "numberReady")),
                       col("Up-to-date", "integer", doc(kApps + "DaemonSetStatus", "updatedNumberScheduled")),
                       col("Available", "integer", doc(kApps + "DaemonSetStatus", "numberAvailable")),
                       col("Node Selector", "string", core_doc("PodSpec", "nodeSelector")), age_col(), containers_col(),
                       images_col(), col("Selector", "string", doc(kApps + "DaemonSetSpec", "selector"), 1)}),
          [](const Json& d, TimePoint now) {
            auto [names, images] = containers(d, "/spec/template/spec/containers");
            return Json{{"cells", Json::array({str(d, "/metadata/name"), num(d, "/status/desiredNumberScheduled"),
                                               num(d, "/status/currentNumberScheduled"), num(d, "/status/numberReady"),
                                               num(d, "/status/updatedNumberScheduled"), num(d, "/status/numberAvailable"),
                                               format_labels(find(d, "/spec/template/spec/nodeSelector")), age(d, now),
                                               names, images, format_label_selector(d, "/spec/selector")})}};
          }};
}

Printer replica_set_printer() {
  return {Json::array({name_col(), col("Desired", "integer", doc(kApps + "ReplicaSetSpec", "replicas")),
                       col("Current", "integer", doc(kApps + "ReplicaSetStatus", "replicas")),
                       col("Ready", "integer", doc(kApps + "ReplicaSetStatus", "readyReplicas")), age_col(),
                       containers_col(), images_col(),
                       col("Selector", "string", doc(kApps + "ReplicaSetSpec", "selector"), 1)}),
          [](const Json& r, TimePoint now) {
            auto [names, images] = containers(r, "/spec/template/spec/containers");
            return Json{{"cells", Json::array({str(r, "/metadata/name"), num(r, "/spec/replicas", 1),
                                               num(r, "/status/replicas"), num(r, "/status/readyReplicas"), age(r, now),
                                               names, images, format_label_selector(r, "/spec/selector")})}};
          }};
}

const std::string kBatch = "io.k8s.api.batch.v1.";

Json job_row(const Json& job, TimePoint now) {
  std::string completions;
  long long succeeded = num(job, "/status/succeeded");
  if (has(job, "/spec/completions")) {
    completions = fmt::format("{}/{}", succeeded, num(job, "/spec/completions"));
  } else if (long long parallelism = num(job, "/spec/parallelism"); parallelism > 1) {
    completions = fmt::format("{}/1 of {}", succeeded, parallelism);
  } else {
    completions = fmt::format("{}/1", succeeded);
  }
  std::string duration;
  if (std::optional<TimePoint> start = parse_rfc3339(str(job, "/status/startTime"))) {
    std::optional<TimePoint> end = parse_rfc3339(str(job, "/status/completionTime"));
    duration = human_duration(std::chrono::duration_cast<std::chrono::nanoseconds>(end.value_or(now) - *start));
  }
  std::string status = "Running";
  if (condition_true(job, "/status/conditions", "Complete")) status = "Complete";
  else if (condition_true(job, "/status/conditions", "Failed")) status = "Failed";
  else if (has(job, "/metadata/deletionTimestamp")) status = "Terminating";
  else if (condition_true(job, "/status/conditions", "Suspended")) status = "Suspended";
  else if (condition_true(job, "/status/conditions", "FailureTarget")) status = "FailureTarget";
  auto [names, images] = containers(job, "/spec/template/spec/containers");
  return Json{{"cells", Json::array({str(job, "/metadata/name"), status, completions, duration, age(job, now), names,
                                     images, format_label_selector(job, "/spec/selector")})}};
}

Printer job_printer() {
  return {Json::array({name_col(), col("Status", "string", "Status of the job."),
                       col("Completions", "string", doc(kBatch + "JobStatus", "succeeded")),
                       col("Duration", "string", "Time required to complete the job."), age_col(), containers_col(),
                       images_col(), col("Selector", "string", doc(kBatch + "JobSpec", "selector"), 1)}),
          job_row};
}

Printer cron_job_printer() {
  return {Json::array({name_col(), col("Schedule", "string", doc(kBatch + "CronJobSpec", "schedule")),
                       col("Timezone", "string", doc(kBatch + "CronJobSpec", "timeZone")),
                       col("Suspend", "boolean", doc(kBatch + "CronJobSpec", "suspend")),
                       col("Active", "integer", doc(kBatch + "CronJobStatus", "active")),
                       col("Last Schedule", "string", doc(kBatch + "CronJobStatus", "lastScheduleTime")), age_col(),
                       containers_col(), images_col(), col("Selector", "string", doc(kBatch + "JobSpec", "selector"), 1)}),
          [](const Json& c, TimePoint now) {
            std::string last = has(c, "/status/lastScheduleTime") ? age_since(str(c, "/status/lastScheduleTime"), now) : "<none>";
            // printBoolPtr: the cell is a string although the column says boolean.
            const Json* suspend = find(c, "/spec/suspend");
            std::string suspended = suspend != nullptr && suspend->is_boolean() ? (suspend->get<bool>() ? "True" : "False") : "<unset>";
            auto [names, images] = containers(c, "/spec/jobTemplate/spec/template/spec/containers");
            return Json{{"cells", Json::array({str(c, "/metadata/name"), str(c, "/spec/schedule"),
                                               str(c, "/spec/timeZone", "<none>"), suspended,
                                               static_cast<long long>(items(c, "/status/active").size()), last, age(c, now),
                                               names, images, format_label_selector(c, "/spec/jobTemplate/spec/selector")})}};
          }};
}

// formatHosts: up to three hosts, "*" when none.
std::string ingress_hosts(const Json& ing) {
  const Json& rules = items(ing, "/spec/rules");
  std::vector<std::string> list;
  bool more = false;
  for (const Json& rule : rules) {
    if (list.size() == 3) more = true;
    if (!more && !str(rule, "/host").empty()) list.push_back(str(rule, "/host"));
  }
  if (list.empty()) return "*";
  std::string out = join(list, ",");
  return more ? fmt::format("{} + {} more...", out, rules.size() - 3) : out;
}

Printer ingress_printer() {
  return {Json::array({name_col(),
                       col("Class", "string", "The name of the IngressClass resource that should be used for additional configuration"),
                       col("Hosts", "string", "Hosts that incoming requests are matched against before the ingress rule"),
                       col("Address", "string", "Address is a list containing ingress points for the load-balancer"),
                       col("Ports", "string", "Ports of TLS configurations that open"), age_col()}),
          [](const Json& ing, TimePoint now) {
            return Json{{"cells", Json::array({str(ing, "/metadata/name"), str(ing, "/spec/ingressClassName", "<none>"),
                                               ingress_hosts(ing), load_balancer_addresses(ing),
                                               items(ing, "/spec/tls").empty() ? "80" : "80, 443", age(ing, now)})}};
          }};
}

Printer ingress_class_printer() {
  return {Json::array({name_col(), col("Controller", "string", "Controller that is responsible for handling this class"),
                       col("Parameters", "string", "A reference to a resource with additional parameters"), age_col()}),
          [](const Json& ic, TimePoint now) {
            std::string parameters = "<none>";
            if (has(ic, "/spec/parameters")) {
              parameters = str(ic, "/spec/parameters/kind");
              if (has(ic, "/spec/parameters/apiGroup")) parameters += "." + str(ic, "/spec/parameters/apiGroup");
              parameters += "/" + str(ic, "/spec/parameters/name");
            }
            return Json{{"cells", Json::array({str(ic, "/metadata/name"), str(ic, "/spec/controller"), parameters,
                                               age(ic, now)})}};
          }};
}

// printRoleBinding / printClusterRoleBinding with rbac.SubjectsStrings.
Printer binding_printer(std::string_view kind, std::string_view noun) {
  return {Json::array({name_col(), col("Role", "string", doc("io.k8s.api.rbac.v1." + std::string(kind), "roleRef")),
                       age_col(), col("Users", "string", fmt::format("Users in the {}", noun), 1),
                       col("Groups", "string", fmt::format("Groups in the {}", noun), 1),
                       col("ServiceAccounts", "string", fmt::format("ServiceAccounts in the {}", noun), 1)}),
          [](const Json& b, TimePoint now) {
            std::vector<std::string> users, groups, sas;
            for (const Json& s : items(b, "/subjects")) {
              std::string k = str(s, "/kind");
              if (k == "User") users.push_back(str(s, "/name"));
              else if (k == "Group") groups.push_back(str(s, "/name"));
              else if (k == "ServiceAccount") sas.push_back(str(s, "/namespace") + "/" + str(s, "/name"));
            }
            return Json{{"cells", Json::array({str(b, "/metadata/name"), str(b, "/roleRef/kind") + "/" + str(b, "/roleRef/name"),
                                               age(b, now), join(users, ", "), join(groups, ", "), join(sas, ", ")})}};
          }};
}

const std::string kStorage = "io.k8s.api.storage.v1.StorageClass";

Printer storage_class_printer() {
  return {Json::array({name_col(), col("Provisioner", "string", doc(kStorage, "provisioner")),
                       col("ReclaimPolicy", "string", doc(kStorage, "reclaimPolicy")),
                       col("VolumeBindingMode", "string", doc(kStorage, "volumeBindingMode")),
                       col("AllowVolumeExpansion", "string", doc(kStorage, "allowVolumeExpansion")), age_col()}),
          [](const Json& sc, TimePoint now) {
            // storageutil.IsDefaultAnnotation: the GA or the beta annotation is "true".
            std::string name = str(sc, "/metadata/name");
            if (str(sc, "/metadata/annotations/storageclass.kubernetes.io~1is-default-class") == "true" ||
                str(sc, "/metadata/annotations/storageclass.beta.kubernetes.io~1is-default-class") == "true") {
              name += " (default)";
            }
            return Json{{"cells", Json::array({name, str(sc, "/provisioner"), str(sc, "/reclaimPolicy", "Delete"),
                                               str(sc, "/volumeBindingMode", "Immediate"),
                                               flag(sc, "/allowVolumeExpansion"), age(sc, now)})}};
          }};
}

Printer runtime_class_printer() {
  // printers.go reads ObjectMeta's SwaggerDoc()["handler"], which does not exist: the description is empty.
  return {Json::array({name_col(), col("Handler", "string", ""), age_col()}), [](const Json& rc, TimePoint now) {
            return Json{{"cells", Json::array({str(rc, "/metadata/name"), str(rc, "/handler"), age(rc, now)})}};
          }};
}

Printer priority_class_printer() {
  const std::string pc = "io.k8s.api.scheduling.v1.PriorityClass";
  return {Json::array({name_col(), col("Value", "integer", doc(pc, "value")),
                       col("Global-Default", "boolean", doc(pc, "globalDefault")), age_col(),
                       col("PreemptionPolicy", "string", doc(pc, "preemptionPolicy"))}),
          [](const Json& p, TimePoint now) {
            return Json{{"cells", Json::array({str(p, "/metadata/name"), num(p, "/value"), flag(p, "/globalDefault"),
                                               age(p, now), str(p, "/preemptionPolicy")})}};
          }};
}

Printer lease_printer() {
  return {Json::array({name_col(), col("Holder", "string", doc("io.k8s.api.coordination.v1.LeaseSpec", "holderIdentity")),
                       age_col()}),
          [](const Json& l, TimePoint now) {
            return Json{{"cells", Json::array({str(l, "/metadata/name"), str(l, "/spec/holderIdentity"), age(l, now)})}};
          }};
}


// ---- further kinds kubectl get is used with ---------------------------

// formatEndpoints with all ports: up to three "ip:port" (or bare IPs for a
// subset without ports), "<none>" without subsets.
std::string endpoints_text(const Json& ep) {
  const Json& subsets = items(ep, "/subsets");
  if (subsets.empty()) return "<none>";
  std::vector<std::string> list;
  std::size_t total = 0;
  bool more = false;
  auto host_port = [](const std::string& ip, long long port) {
    return ip.find(':') != std::string::npos ? fmt::format("[{}]:{}", ip, port) : fmt::format("{}:{}", ip, port);
  };
  for (const Json& ss : subsets) {
    const Json& addresses = items(ss, "/addresses");
    const Json& ports = items(ss, "/ports");
    if (ports.empty()) {
      total += addresses.size();
      for (const Json& a : addresses) {
        if (list.size() == 3) {
          more = true;
          break;
        }
        list.push_back(str(a, "/ip"));
      }
      continue;
    }
    for (const Json& port : ports) {
      total += addresses.size();
      for (const Json& a : addresses) {
        if (list.size() == 3) {
          more = true;
          break;
        }
        list.push_back(host_port(str(a, "/ip"), num(port, "/port")));
      }
    }
  }
  std::string out = join(list, ",");
  return more ? fmt::format("{} + {} more...", out, total - 3) : out;
}

Printer endpoints_printer() {
  return {Json::array({name_col(), col("Endpoints", "string", core_doc("Endpoints", "subsets")), age_col()}),
          [](const Json& ep, TimePoint now) {
            return Json{{"cells", Json::array({str(ep, "/metadata/name"), endpoints_text(ep), age(ep, now)})}};
          }};
}

// listWithMoreString.
std::string list_with_more(const std::vector<std::string>& list, bool more, std::size_t total) {
  std::string out = join(list, ",");
  if (more) return fmt::format("{} + {} more...", out, total - 3);
  return out.empty() ? "<unset>" : out;
}

Printer endpoint_slice_printer() {
  const std::string es = "io.k8s.api.discovery.v1.EndpointSlice";
  return {Json::array({name_col(), col("AddressType", "string", doc(es, "addressType")),
                       col("Ports", "string", doc(es, "ports")), col("Endpoints", "string", doc(es, "endpoints")),
                       age_col()}),
          [](const Json& s, TimePoint now) {
            std::vector<std::string> ports, addresses;
            std::size_t port_count = 0, address_count = 0;
            for (const Json& p : items(s, "/ports")) {
              if (ports.size() < 3) {
                ports.push_back(has(p, "/port") ? std::to_string(num(p, "/port")) : has(p, "/name") ? str(p, "/name") : "*");
              }
              ++port_count;
            }
            for (const Json& e : items(s, "/endpoints")) {
              for (const Json& a : items(e, "/addresses")) {
                if (addresses.size() < 3) addresses.push_back(a.is_string() ? a.get<std::string>() : "");
                ++address_count;
              }
            }
            return Json{{"cells", Json::array({str(s, "/metadata/name"), str(s, "/addressType"),
                                               list_with_more(ports, port_count > 3, port_count),
                                               list_with_more(addresses, address_count > 3, address_count), age(s, now)})}};
          }};
}

Printer network_policy_printer() {
  return {Json::array({name_col(), col("Pod-Selector", "string", doc("io.k8s.api.networking.v1.NetworkPolicySpec", "podSelector")),
                       age_col()}),
          [](const Json& np, TimePoint now) {
            return Json{{"cells", Json::array({str(np, "/metadata/name"), format_label_selector(np, "/spec/podSelector"),
                                               age(np, now)})}};
          }};
}

// intstr.IntOrString.String(), or "N/A" when unset (printPodDisruptionBudget).
std::string int_or_string(const Json& object, std::string_view pointer) {
  const Json* v = find(object, pointer);
  if (v == nullptr || v->is_null()) return "N/A";
  return v->is_string() ? v->get<std::string>() : v->dump();
}

Printer pdb_printer() {
  return {Json::array({name_col(), col("Min Available", "string", "The minimum number of pods that must be available."),
                       col("Max Unavailable", "string", "The maximum number of pods that may be unavailable."),
                       col("Allowed Disruptions", "integer", "Calculated number of pods that may be disrupted at this time."),
                       age_col()}),
          [](const Json& pdb, TimePoint now) {
            return Json{{"cells", Json::array({str(pdb, "/metadata/name"), int_or_string(pdb, "/spec/minAvailable"),
                                               int_or_string(pdb, "/spec/maxUnavailable"),
                                               num(pdb, "/status/disruptionsAllowed"), age(pdb, now)})}};
          }};
}

std::string quantity(const Json& object, std::string_view pointer) {
  const Json* v = find(object, pointer);
  if (v == nullptr || v->is_null()) return "0";
  return v->is_string() ? v->get<std::string>() : v->dump();
}

// formatHPAMetrics over autoscaling/v2 metric specs and statuses.
std::string hpa_metrics(const Json& hpa) {
  const Json& specs = items(hpa, "/spec/metrics");
  const Json& statuses = items(hpa, "/status/currentMetrics");
  if (specs.empty()) return "<none>";
  auto status_at = [&statuses](std::size_t i, std::string_view field) -> const Json* {
    if (i >= statuses.size()) return nullptr;
    const Json* s = find(statuses[i], "/" + std::string(field));
    return s != nullptr && s->is_object() ? s : nullptr;
  };
  std::vector<std::string> list;
  for (std::size_t i = 0; i < specs.size(); ++i) {
    const Json& spec = specs[i];
    std::string type = str(spec, "/type");
    if (type == "External" || type == "Object") {
      std::string field = type == "External" ? "external" : "object";
      const Json* st = status_at(i, field);
      if (has(spec, "/" + field + "/target/averageValue")) {
        std::string current = st != nullptr && has(*st, "/current/averageValue") ? quantity(*st, "/current/averageValue") : "<unknown>";
        list.push_back(fmt::format("{}/{} (avg)", current, quantity(spec, "/" + field + "/target/averageValue")));
      } else {
        std::string current = st != nullptr ? quantity(*st, "/current/value") : "<unknown>";
        list.push_back(fmt::format("{}/{}", current, quantity(spec, "/" + field + "/target/value")));
      }
    } else if (type == "Pods") {
      const Json* st = status_at(i, "pods");
      std::string current = st != nullptr ? quantity(*st, "/current/averageValue") : "<unknown>";
      list.push_back(fmt::format("{}/{}", current, quantity(spec, "/pods/target/averageValue")));
    } else if (type == "Resource" || type == "ContainerResource") {
      std::string field = type == "Resource" ? "resource" : "containerResource";
      const Json* st = status_at(i, field);
      std::string name = str(spec, "/" + field + "/name");
      if (has(spec, "/" + field + "/target/averageValue")) {
        std::string current = st != nullptr ? quantity(*st, "/current/averageValue") : "<unknown>";
        list.push_back(fmt::format("{}: {}/{}", name, current, quantity(spec, "/" + field + "/target/averageValue")));
      } else {
        std::string current = st != nullptr && has(*st, "/current/averageUtilization")
                                  ? fmt::format("{}%", num(*st, "/current/averageUtilization"))
                                  : "<unknown>";
        std::string target = has(spec, "/" + field + "/target/averageUtilization")
                                 ? fmt::format("{}%", num(spec, "/" + field + "/target/averageUtilization"))
                                 : "<auto>";
        list.push_back(fmt::format("{}: {}/{}", name, current, target));
      }
    } else {
      list.emplace_back("<unknown type>");
    }
  }
  if (list.size() > 2) {
    std::size_t total = list.size();
    list.resize(2);
    return fmt::format("{} + {} more...", join(list, ", "), total - 2);
  }
  return join(list, ", ");
}

Printer hpa_printer() {
  const std::string spec = "io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerSpec";
  return {Json::array({name_col(), col("Reference", "string", doc(spec, "scaleTargetRef")),
                       col("Targets", "string", doc(spec, "metrics")), col("MinPods", "string", doc(spec, "minReplicas")),
                       col("MaxPods", "string", doc(spec, "maxReplicas")),
                       col("Replicas", "string", doc("io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerStatus", "currentReplicas")),
                       age_col()}),
          [](const Json& hpa, TimePoint now) {
            std::string min = has(hpa, "/spec/minReplicas") ? std::to_string(num(hpa, "/spec/minReplicas")) : "<unset>";
            return Json{{"cells", Json::array({str(hpa, "/metadata/name"),
                                               str(hpa, "/spec/scaleTargetRef/kind") + "/" + str(hpa, "/spec/scaleTargetRef/name"),
                                               hpa_metrics(hpa), min, num(hpa, "/spec/maxReplicas"),
                                               num(hpa, "/status/currentReplicas"), age(hpa, now)})}};
          }};
}

// formatEventSource: component (or reportingComponent), then host (or reportingInstance).
std::string event_source(const Json& ev) {
  std::string component = str(ev, "/source/component");
  if (component.empty()) component = str(ev, "/reportingComponent");
  std::string host = str(ev, "/source/host");
  if (host.empty()) host = str(ev, "/reportingInstance");
  return host.empty() ? component : component + ", " + host;
}

std::string trim_space(std::string s) {
  const char* ws = " \t\n\r\f\v";
  std::size_t b = s.find_first_not_of(ws);
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(ws) - b + 1);
}

Json event_row(const Json& ev, TimePoint now) {
  std::string first = has(ev, "/firstTimestamp") ? age_since(str(ev, "/firstTimestamp"), now) : age_since(str(ev, "/eventTime"), now);
  std::string last = has(ev, "/lastTimestamp") ? age_since(str(ev, "/lastTimestamp"), now) : first;
  long long count = num(ev, "/count");
  if (has(ev, "/series")) {
    last = age_since(str(ev, "/series/lastObservedTime"), now);
    count = num(ev, "/series/count");
  } else if (count == 0) {
    count = 1;  // singleton events of the new API carry no count
  }
  std::string kind = str(ev, "/involvedObject/kind");
  std::ranges::transform(kind, kind.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  std::string name = str(ev, "/involvedObject/name");
  std::string target = name.empty() ? kind : kind + "/" + name;
  return Json{{"cells", Json::array({last, str(ev, "/type"), str(ev, "/reason"), target, str(ev, "/involvedObject/fieldPath"),
                                     event_source(ev), trim_space(str(ev, "/message")), first, count,
                                     str(ev, "/metadata/name")})}};
}

Printer event_printer() {
  const std::string ev = "io.k8s.api.core.v1.Event";
  return {Json::array({col("Last Seen", "string", doc(ev, "lastTimestamp")), col("Type", "string", doc(ev, "type")),
                       col("Reason", "string", doc(ev, "reason")), col("Object", "string", doc(ev, "involvedObject")),
                       col("Subobject", "string", core_doc("ObjectReference", "fieldPath"), 1),
                       col("Source", "string", doc(ev, "source"), 1), col("Message", "string", doc(ev, "message")),
                       col("First Seen", "string", doc(ev, "firstTimestamp"), 1), col("Count", "string", doc(ev, "count"), 1),
                       col("Name", "string", object_meta_doc("name"), 1, "name")}),
          event_row};
}

Printer controller_revision_printer() {
  return {Json::array({name_col(), col("Controller", "string", "Controller of the object"),
                       col("Revision", "string", doc(kApps + "ControllerRevision", "revision")), age_col()}),
          [](const Json& cr, TimePoint now) {
            // metav1.GetControllerOf and formatResourceName(kind, name, true).
            std::string controller = "<none>";
            for (const Json& ref : items(cr, "/metadata/ownerReferences")) {
              if (!flag(ref, "/controller")) continue;
              std::string api_version = str(ref, "/apiVersion");
              std::size_t slash = api_version.find('/');
              std::string group = slash == std::string::npos ? "" : api_version.substr(0, slash);
              std::string kind = str(ref, "/kind");
              std::string gk = group.empty() ? kind : kind + "." + group;
              std::ranges::transform(gk, gk.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
              controller = kind.empty() ? str(ref, "/name") : gk + "/" + str(ref, "/name");
              break;
            }
            return Json{{"cells", Json::array({str(cr, "/metadata/name"), controller, num(cr, "/revision"), age(cr, now)})}};
          }};
}

Printer resource_quota_printer() {
  return {Json::array({name_col(),
                       col("Request", "string", "Request represents a minimum amount of cpu/memory that a container may consume."),
                       col("Limit", "string",
                           "Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node."),
                       age_col()}),
          [](const Json& rq, TimePoint now) {
            std::vector<std::string> requests, limits;
            if (const Json* hard = find(rq, "/status/hard"); hard != nullptr && hard->is_object()) {
              for (auto it = hard->begin(); it != hard->end(); ++it) {  // sorted by name, as SortableResourceNames
                std::string used = quantity(rq, "/status/used/" + it.key());
                std::string text = fmt::format("{}: {}/{}", it.key(), used, it->is_string() ? it->get<std::string>() : it->dump());
                (it.key().starts_with("limits.") ? limits : requests).push_back(text);
              }
            }
            return Json{{"cells", Json::array({str(rq, "/metadata/name"), join(requests, ", "), join(limits, ", "), age(rq, now)})}};
          }};
}

Printer webhook_configuration_printer() {
  return {Json::array({name_col(),
                       col("Webhooks", "integer", "Webhooks indicates the number of webhooks registered in this configuration"),
                       age_col()}),
          [](const Json& w, TimePoint now) {
            return Json{{"cells", Json::array({str(w, "/metadata/name"), static_cast<long long>(items(w, "/webhooks").size()),
                                               age(w, now)})}};
          }};
}

}  // namespace

std::string object_meta_doc(std::string_view field) {
  return doc("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", field);
}

std::optional<Printer> builtin_printer(std::string_view group, std::string_view kind) {
  using Factory = Printer (*)();
  static const std::map<std::pair<std::string_view, std::string_view>, Factory> factories = {
      {{"", "Pod"}, pod_printer},
      {{"", "Service"}, service_printer},
      {{"", "Namespace"}, namespace_printer},
      {{"", "Node"}, node_printer},
      {{"", "ConfigMap"}, config_map_printer},
      {{"", "Secret"}, secret_printer},
      {{"", "ServiceAccount"}, service_account_printer},
      {{"", "PersistentVolumeClaim"}, pvc_printer},
      {{"", "PersistentVolume"}, pv_printer},
      {{"apps", "Deployment"}, deployment_printer},
      {{"apps", "StatefulSet"}, stateful_set_printer},
      {{"apps", "DaemonSet"}, daemon_set_printer},
      {{"apps", "ReplicaSet"}, replica_set_printer},
      {{"batch", "Job"}, job_printer},
      {{"batch", "CronJob"}, cron_job_printer},
      {{"networking.k8s.io", "Ingress"}, ingress_printer},
      {{"networking.k8s.io", "IngressClass"}, ingress_class_printer},
      {{"rbac.authorization.k8s.io", "RoleBinding"}, [] { return binding_printer("RoleBinding", "roleBinding"); }},
      {{"rbac.authorization.k8s.io", "ClusterRoleBinding"},
       [] { return binding_printer("ClusterRoleBinding", "clusterRoleBinding"); }},
      {{"storage.k8s.io", "StorageClass"}, storage_class_printer},
      {{"node.k8s.io", "RuntimeClass"}, runtime_class_printer},
      {{"scheduling.k8s.io", "PriorityClass"}, priority_class_printer},
      {{"coordination.k8s.io", "Lease"}, lease_printer},
      {{"", "Endpoints"}, endpoints_printer},
      {{"", "Event"}, event_printer},
      {{"", "ResourceQuota"}, resource_quota_printer},
      {{"discovery.k8s.io", "EndpointSlice"}, endpoint_slice_printer},
      {{"networking.k8s.io", "NetworkPolicy"}, network_policy_printer},
      {{"policy", "PodDisruptionBudget"}, pdb_printer},
      {{"autoscaling", "HorizontalPodAutoscaler"}, hpa_printer},
      {{"apps", "ControllerRevision"}, controller_revision_printer},
      {{"admissionregistration.k8s.io", "MutatingWebhookConfiguration"}, webhook_configuration_printer},
      {{"admissionregistration.k8s.io", "ValidatingWebhookConfiguration"}, webhook_configuration_printer},
  };
  auto it = factories.find({group, kind});
  if (it == factories.end()) return std::nullopt;
  return it->second();
}

}  // namespace claw::sim
