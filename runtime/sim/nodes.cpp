#include "runtime/sim/nodes.h"

#include "runtime/sim/quantity.h"

#include "runtime/sim/k3s_release.h"

#include <fmt/format.h>

#include <ctime>
#include <cstdint>
#include <map>
#include <set>
#include <string>

namespace claw::sim {
namespace {

// What the Node of one machine is built from (compiler/emit/placement_json.cpp
// writes these fields; `server` is read when present).
struct Machine {
  std::string name, arch, os, k3s;
  bool joined = true;
  bool server = false;
  int64_t cpu_capacity = 0, cpu_allocatable = 0;        // millicores
  int64_t memory_capacity = 0, memory_allocatable = 0;  // bytes
  int64_t gpus = 0;
  std::map<std::string, std::string> labels;
  Json taints = Json::array();
};

[[noreturn]] void bad(const std::string& path, std::string_view what) {
  throw PlacementError(fmt::format("placement.json: {}: {}", path, what));
}

const Json& member(const Json& object, const std::string& path, const char* key) {
  auto it = object.find(key);
  if (it == object.end()) bad(path + "." + key, "missing");
  return *it;
}

std::string read_string(const Json& object, const std::string& path, const char* key) {
  const Json& v = member(object, path, key);
  if (!v.is_string()) bad(path + "." + key, "expected a string");
  return v.get<std::string>();
}

std::string read_name(const Json& object, const std::string& path, const char* key) {
  std::string s = read_string(object, path, key);
  if (s.empty()) bad(path + "." + key, "expected a non-empty string");
  return s;
}

// One of `allowed`.
std::string read_enum(const Json& object, const std::string& path, const char* key, std::initializer_list<std::string_view> allowed) {
  std::string s = read_string(object, path, key);
  for (std::string_view a : allowed)
    if (s == a) return s;
  std::string list;
  for (std::string_view a : allowed) list += (list.empty() ? "`" : ", `") + std::string(a) + "`";
  bad(path + "." + key, fmt::format("`{}` is not one of {}", s, list));
}

int64_t read_count(const Json& object, const std::string& path, const char* key) {
  const Json& v = member(object, path, key);
  if (!v.is_number_integer() || v.get<int64_t>() < 0) bad(path + "." + key, "expected a non-negative integer");
  return v.get<int64_t>();
}

bool read_bool(const Json& object, const std::string& path, const char* key) {
  const Json& v = member(object, path, key);
  if (!v.is_boolean()) bad(path + "." + key, "expected true or false");
  return v.get<bool>();
}

const Json& read_object(const Json& object, const std::string& path, const char* key) {
  const Json& v = member(object, path, key);
  if (!v.is_object()) bad(path + "." + key, "expected an object");
  return v;
}

const Json& read_array(const Json& object, const std::string& path, const char* key) {
  const Json& v = member(object, path, key);
  if (!v.is_array()) bad(path + "." + key, "expected an array");
  return v;
}

std::map<std::string, std::string> read_labels(const Json& object, const std::string& path) {
  std::map<std::string, std::string> labels;
  for (const auto& [key, value] : read_object(object, path, "labels").items()) {
    if (!value.is_string()) bad(path + ".labels." + key, "expected a string");
    labels[key] = value.get<std::string>();
  }
  return labels;
}

Json read_taints(const Json& object, const std::string& path) {
  Json taints = Json::array();
  const Json& list = read_array(object, path, "taints");
  for (size_t i = 0; i < list.size(); ++i) {
    std::string at = fmt::format("{}.taints[{}]", path, i);
    if (!list[i].is_object()) bad(at, "expected an object");
    // core/v1 Taint: key required, value optional (omitted when empty).
    Json taint = {{"key", read_name(list[i], at, "key")},
                  {"effect", read_enum(list[i], at, "effect", {"NoSchedule", "PreferNoSchedule", "NoExecute"})}};
    if (std::string value = read_string(list[i], at, "value"); !value.empty()) taint["value"] = value;
    taints.push_back(std::move(taint));
  }
  return taints;
}

Machine read_machine(const Json& m, const std::string& path) {
  if (!m.is_object()) bad(path, "expected an object");
  Machine out;
  out.name = read_name(m, path, "name");
  out.arch = read_name(m, path, "arch");
  out.os = read_enum(m, path, "os", {"linux", "darwin"});
  out.k3s = read_enum(m, path, "k3s", {"native", "vm", "k3d", "none"});
  out.joined = read_bool(m, path, "joined");
  if (m.contains("server")) out.server = read_bool(m, path, "server");
  const Json& capacity = read_object(m, path, "capacity");
  const Json& allocatable = read_object(m, path, "allocatable");
  out.cpu_capacity = read_count(capacity, path + ".capacity", "cpu_millis");
  out.memory_capacity = read_count(capacity, path + ".capacity", "memory_bytes");
  out.cpu_allocatable = read_count(allocatable, path + ".allocatable", "cpu_millis");
  out.memory_allocatable = read_count(allocatable, path + ".allocatable", "memory_bytes");
  out.gpus = static_cast<int64_t>(read_array(m, path, "gpus").size());
  out.labels = read_labels(m, path);
  out.taints = read_taints(m, path);
  return out;
}

// A CPU amount as the API returns it (`16`, `3880m`).
std::string cpu_quantity(int64_t millis) {
  return canonical_quantity(Json(fmt::format("{}m", millis))).value_or("0");
}

// A memory amount as kubelet reports it: whole KiB (it reads /proc/meminfo,
// which counts in kB), as the API returns a binary quantity (`131858092Ki`,
// `64Gi`).
std::string memory_quantity(int64_t bytes) {
  return canonical_quantity(Json(fmt::format("{}Ki", bytes / 1024))).value_or("0");
}

// How many `nvidia.com/gpu` the NVIDIA device plugin advertises: each card
// once, or `replicas` times under a time-slicing config, which claw names
// `time-sliced-<replicas>` in the node label nvidia.com/device-plugin.config
// (compiler/emit/time_slicing.h; NVIDIA k8s-device-plugin README,
// "Shared Access to GPUs with CUDA Time-Slicing").
int64_t advertised_gpus(const Machine& m) {
  auto it = m.labels.find("nvidia.com/device-plugin.config");
  constexpr std::string_view prefix = "time-sliced-";
  if (it == m.labels.end() || !it->second.starts_with(prefix)) return m.gpus;
  try {
    int replicas = std::stoi(it->second.substr(prefix.size()));
    return replicas > 1 ? m.gpus * replicas : m.gpus;
  } catch (const std::exception&) {
    return m.gpus;
  }
}

// The OS kubelet runs on: k3s in a VM or in k3d runs in Linux whatever the host.
std::string node_os(const Machine& m) { return m.k3s == "native" ? m.os : "linux"; }

// The machine's labels, then those kubelet and k3s set, which win: kubelet's
// well-known labels (kubernetes.io/{hostname,os,arch} and the deprecated
// beta.kubernetes.io/{os,arch}, pkg/kubelet/kubelet_node_status.go), the
// instance type k3s's cloud provider reports (`k3s`, in both the GA and beta
// label), and a server's roles control-plane and master
// (KUBERNETES.md §5.7; `kubectl get nodes --show-labels` on k3s).
Json node_labels(const Machine& m) {
  Json labels = Json::object();
  for (const auto& [key, value] : m.labels) labels[key] = value;
  std::string os = node_os(m);
  labels["beta.kubernetes.io/arch"] = m.arch;
  labels["beta.kubernetes.io/instance-type"] = "k3s";
  labels["beta.kubernetes.io/os"] = os;
  labels["kubernetes.io/arch"] = m.arch;
  labels["kubernetes.io/hostname"] = m.name;
  labels["kubernetes.io/os"] = os;
  labels["node.kubernetes.io/instance-type"] = "k3s";
  if (m.server) {
    labels["node-role.kubernetes.io/control-plane"] = "true";
    labels["node-role.kubernetes.io/master"] = "true";
  }
  return labels;
}

// `pods` is kubelet's default maxPods (KubeletConfiguration, 110).
Json resource_list(int64_t cpu_millis, int64_t memory_bytes, int64_t gpus) {
  Json list = {{"cpu", cpu_quantity(cpu_millis)}, {"memory", memory_quantity(memory_bytes)}, {"pods", "110"}};
  if (gpus > 0) list["nvidia.com/gpu"] = std::to_string(gpus);
  return list;
}

Json condition(const char* type, const char* status, const char* reason, const char* message, std::string_view now) {
  return {{"type", type},     {"status", status},   {"lastHeartbeatTime", now}, {"lastTransitionTime", now},
          {"reason", reason}, {"message", message}};
}

// A healthy kubelet's conditions, in its order and words
// (pkg/kubelet/nodestatus/setters.go).
Json conditions(std::string_view now) {
  return Json::array({
      condition("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available", now),
      condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure", now),
      condition("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available", now),
      condition("Ready", "True", "KubeletReady", "kubelet is posting ready status", now),
  });
}

// NodeSystemInfo's fields are all present in a real Node; what the
// placement does not tell (machine ids, kernel, OS image) stays empty, and
// kubeProxyVersion is empty from 1.31 on (DisableNodeKubeProxyVersion).
Json node_info(const Machine& m) {
  return {{"architecture", m.arch},
          {"bootID", ""},
          {"containerRuntimeVersion", kContainerRuntimeVersion},
          {"kernelVersion", ""},
          {"kubeProxyVersion", ""},
          {"kubeletVersion", kK3sVersion},
          {"machineID", ""},
          {"operatingSystem", node_os(m)},
          {"osImage", ""},
          {"systemUUID", ""}};
}

// `index` picks the node's pod CIDR: k3s hands each node a /24 of its
// default cluster CIDR 10.42.0.0/16 (docs.k3s.io/cli/server `--cluster-cidr`;
// kube-controller-manager's default --node-cidr-mask-size 24).
Json node_json(const Machine& m, size_t index, std::string_view now) {
  std::string pod_cidr = fmt::format("10.42.{}.0/24", index);
  // The provider ID k3s's cloud provider gives (`k3s://<node name>`).
  Json spec = {{"podCIDR", pod_cidr}, {"podCIDRs", Json::array({pod_cidr})}, {"providerID", "k3s://" + m.name}};
  if (!m.taints.empty()) spec["taints"] = m.taints;
  Json status = {
      {"addresses", Json::array({{{"type", "Hostname"}, {"address", m.name}}})},
      {"allocatable", resource_list(m.cpu_allocatable, m.memory_allocatable, advertised_gpus(m))},
      {"capacity", resource_list(m.cpu_capacity, m.memory_capacity, advertised_gpus(m))},
      {"conditions", conditions(now)},
      {"daemonEndpoints", {{"kubeletEndpoint", {{"Port", 10250}}}}},
      {"nodeInfo", node_info(m)},
  };
  return {{"apiVersion", "v1"},
          {"kind", "Node"},
          {"metadata", {{"name", m.name}, {"labels", node_labels(m)}}},
          {"spec", std::move(spec)},
          {"status", std::move(status)}};
}

std::string utc_now() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

constexpr size_t kMaxNodes = 256;  // /24 subnets of 10.42.0.0/16

}  // namespace

std::vector<Json> nodes_from_placement(const Json& placement, std::string_view now) {
  if (!placement.is_object()) throw PlacementError("placement.json: expected an object with `machines`");
  const Json& machines = read_array(placement, "placement", "machines");
  std::vector<Json> nodes;
  std::set<std::string> names;
  for (size_t i = 0; i < machines.size(); ++i) {
    std::string path = fmt::format("machines[{}]", i);
    Machine m = read_machine(machines[i], path);
    if (!names.insert(m.name).second) bad(path + ".name", fmt::format("`{}` appears twice", m.name));
    // No join script for these (compiler/emit/join_script.cpp), so no Node.
    if (!m.joined || m.k3s == "none") continue;
    if (nodes.size() == kMaxNodes) bad(path, "more nodes than k3s's default cluster CIDR 10.42.0.0/16 has /24 subnets");
    nodes.push_back(node_json(m, nodes.size(), now));
  }
  return nodes;
}

std::vector<Json> nodes_from_placement(const Json& placement) { return nodes_from_placement(placement, utc_now()); }

}  // namespace claw::sim
