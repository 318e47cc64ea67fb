// The checked model: the network as typed data, the product of sema and the
// only input of placement and the emitters. Every entity keeps the span it
// was declared at, so later stages can point back at the source.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "compiler/sema/value.h"

namespace claw::sema {

struct MachineId { uint32_t value; friend bool operator==(MachineId, MachineId) = default; };
struct RoleId { uint32_t value; friend bool operator==(RoleId, RoleId) = default; };
struct WorkloadId { uint32_t value; friend bool operator==(WorkloadId, WorkloadId) = default; };
struct SecretId { uint32_t value; friend bool operator==(SecretId, SecretId) = default; };

enum class Arch : uint8_t { Amd64, Arm64 };
enum class Os : uint8_t { Linux, Darwin };
enum class K3sMode : uint8_t { Native, Vm, K3d, None };
enum class TaintEffect : uint8_t { NoSchedule, PreferNoSchedule, NoExecute };
enum class WorkloadKind : uint8_t { Service, Job, Cron, Daemon };
// The stdlib enums below are lowered to these; stdlib_enums.h maps each
// value to its stdlib name, checked against stdlib/core.claw at load.
enum class Protocol : uint8_t { Tcp, Udp };
enum class AccessMode : uint8_t { ReadWriteOnce, ReadOnlyMany, ReadWriteMany };
enum class RestartPolicy : uint8_t { OnFailure, Never };
enum class ConcurrencyPolicy : uint8_t { Allow, Forbid, Replace };
enum class ProbeKind : uint8_t { Http, Tcp, Exec, Grpc };
enum class ServiceType : uint8_t { ClusterIP, NodePort, LoadBalancer };
enum class DnsPolicy : uint8_t { ClusterFirst, ClusterFirstWithHostNet, Default };
enum class PathType : uint8_t { Prefix, Exact, ImplementationSpecific };
enum class PullPolicy : uint8_t { Always, IfNotPresent, Never };
enum class HostPathType : uint8_t { Directory, DirectoryOrCreate, File, FileOrCreate, Socket, CharDevice, BlockDevice };
enum class GpuStack : uint8_t { DevicePlugin, Operator };
enum class PlacementPolicy : uint8_t { Pinned, Failover };

std::string_view arch_name(Arch a);
std::string_view os_name(Os o);
std::string_view k3s_mode_name(K3sMode m);
std::string_view taint_effect_name(TaintEffect e);
std::string_view workload_kind_name(WorkloadKind k);
/// The Kubernetes (and stdlib) names: "TCP", "ReadWriteOnce", "OnFailure", "Forbid".
std::string_view protocol_name(Protocol p);
std::string_view access_mode_name(AccessMode a);
std::string_view restart_policy_name(RestartPolicy r);
std::string_view concurrency_policy_name(ConcurrencyPolicy c);
/// The stdlib's name of a probe kind: "http", "tcp", "exec", "grpc".
std::string_view probe_kind_name(ProbeKind k);
/// The Kubernetes (and stdlib) names: "ClusterIP", "ClusterFirst", "Prefix", "IfNotPresent", "DirectoryOrCreate".
std::string_view service_type_name(ServiceType t);
std::string_view dns_policy_name(DnsPolicy d);
std::string_view path_type_name(PathType p);
std::string_view pull_policy_name(PullPolicy p);
std::string_view host_path_type_name(HostPathType t);

/// Whether kubelet refuses `key` as a `--node-label` at registration: keys in
/// the kubernetes.io / k8s.io namespaces off its allowlist (node-role labels
/// among them), which must be set through the API after the node joins.
bool kubelet_refuses_label(std::string_view key);

struct Taint {
  std::string key;
  std::string value;
  TaintEffect effect;
  Span span;
};

/// Matches taints by key (Exists when value and effect are absent).
struct Toleration {
  std::string key;
  std::optional<std::string> value;
  std::optional<TaintEffect> effect;
  Span span;
};

struct Resources {
  int64_t cpu_millis = 0;
  int64_t memory_bytes = 0;
};

struct GpuGroup {
  std::string model;
  int count = 1;
  int64_t vram_bytes = 0;
  int64_t reserve_bytes = 0;
  Span span;
};

struct NfsExport {
  std::string name;
  std::string path;
  int64_t size_bytes = 0;
  AccessMode access = AccessMode::ReadWriteMany;  // the PersistentVolume's
  std::vector<std::string> options;       // NFS mount options
  Span span;
};

struct Role {
  RoleId id;
  std::string name;
  Span span;
  std::map<std::string, std::string> labels;
  std::vector<Taint> taints;
};

struct Machine {
  MachineId id;
  std::string name;
  Span span;
  Os os;
  Arch arch;
  Resources capacity;
  Resources reserved;
  std::optional<int64_t> disk_bytes;
  std::optional<std::string> address;
  std::vector<RoleId> roles;
  K3sMode k3s;
  Span k3s_span;
  bool joined = true;
  std::vector<GpuGroup> gpus;
  std::map<std::string, std::string> labels;  // own labels and those of its roles
  std::vector<Taint> taints;                  // own taints and those of its roles
  std::vector<NfsExport> exports;
  std::vector<std::string> k3s_args;          // extra k3s flags, checked by k8s::kK3sArg
  int gpu_count() const;
};

struct Port {
  std::string name;
  int port = 0;
  Protocol protocol = Protocol::Tcp;
  std::optional<int> host_port;
  Span span;
  std::optional<int> node_port;  // the Service's nodePort
};

struct EnvVar {
  std::string name;
  std::optional<std::string> value;
  std::optional<SecretId> secret;
  Span span;
};

struct Probe {
  std::optional<ProbeKind> kind;  // none when the program left it out or got it wrong
  std::optional<int> port;
  std::optional<std::string> path;
  std::vector<std::string> command;
  int64_t period_ms = 0, delay_ms = 0, timeout_ms = 0;
  int failures = 3;
  Span span;
};

struct GpuRequest {
  int count = 1;
  std::optional<int64_t> vram_bytes;
  bool share = false;
  Span span;
};

/// What a volume is (its one kind field, see `volume` in stdlib/core.claw).
enum class VolumeKind : uint8_t { PerReplica, Shared, Claim, HostPath, Temp, Nfs, Secret, ConfigMap };

struct Volume {
  std::string name;
  std::string mount_path;
  std::optional<int64_t> size_bytes;
  std::optional<MachineId> nfs_machine;
  std::optional<std::string> nfs_export;
  std::optional<AccessMode> access;  // none when it is wrong: a claim is then ReadWriteOnce
  bool read_only = false;
  Span span;
  VolumeKind kind = VolumeKind::Temp;
  std::string source;       // Claim: claim; HostPath: path; Secret, ConfigMap: name; Nfs "server:/path": server
  std::string nfs_path;     // Nfs with a server of its own: the exported path
  std::optional<HostPathType> host_type;  // HostPath: the type, if given
  std::string storage_class;
  std::optional<std::string> key;             // Secret, ConfigMap: the one key, mounted by subPath
  std::vector<std::pair<std::string, std::string>> items;  // Secret, ConfigMap: key -> path
  std::optional<int> mode;  // Secret, ConfigMap: defaultMode
  bool memory = false;      // Temp: medium Memory
  std::optional<int64_t> limit_bytes;  // Temp: sizeLimit
  std::optional<std::string> sub_path;
};

/// A workload's rarely used pod and container settings, apart so that a
/// workload without them pays one null pointer (see pod_model.h).
struct PodExtras;

/// A workload's `patch`: Map value trees (or null) merged into the pod
/// spec, the container and the controller object claw writes for it,
/// checked against the official schema.
struct WorkloadPatch {
  Value pod, container, object;
  Span span;
};


/// One path of an Ingress, routed to a port of its workload (by name).
struct IngressRoute {
  std::string path = "/";
  PathType match = PathType::Prefix;
  std::string port;
  Span span;
};

/// An Ingress of a service (`ingress NAME { ... }`, or the older `host`).
struct Ingress {
  std::string name;               // the object's name
  std::vector<std::string> hosts;
  std::vector<Span> host_spans;
  std::optional<std::string> class_name;  // none: the cluster's default
  std::vector<IngressRoute> routes;
  std::optional<std::string> tls_secret, tls_issuer;
  std::map<std::string, std::string> annotations;
  Span span;
};

/// How a workload is reached, when it says more than the defaults: its
/// Service's name and type, host networking, its Ingresses. Held apart and
/// shared: most workloads have none.
struct Exposure {
  std::optional<std::string> service_name;
  Span service_name_span;
  ServiceType service_type = ServiceType::ClusterIP;
  Span service_type_span;
  bool host_network = false;
  std::optional<DnsPolicy> dns_policy;
  std::vector<Ingress> ingresses;
};

struct Workload {
  WorkloadId id;
  WorkloadKind kind;
  std::string name;
  Span span;
  std::string namespace_;
  std::string image;
  std::vector<Arch> arch;
  std::vector<std::string> command, args;
  int replicas = 1;
  std::vector<Port> ports;
  std::vector<EnvVar> env;
  std::map<std::string, std::string> config;
  std::string config_at;
  Resources requests;
  bool assumed_cpu = false, assumed_memory = false;  // requested because `needs` left it out (the stdlib's assumption)
  std::optional<Resources> limits;
  std::optional<GpuRequest> gpu;
  std::vector<Volume> volumes;
  // Few workloads have probes: held apart, a Workload is 272 bytes smaller.
  std::shared_ptr<const Probe> health, ready;
  std::optional<MachineId> on;
  Span on_span;
  std::vector<RoleId> roles;
  std::vector<MachineId> prefer, avoid;
  std::vector<Toleration> tolerations;
  std::vector<WorkloadId> after;
  std::optional<std::string> host;
  Span host_span;
  std::string path = "/";
  std::optional<std::string> expose;
  std::shared_ptr<const Exposure> exposure;  // null: the defaults (lower_exposure)
  // job and cron
  int backoff = 0;
  std::optional<int64_t> deadline_ms;
  int parallelism = 1, completions = 1;
  RestartPolicy restart = RestartPolicy::OnFailure;
  std::string schedule;
  ConcurrencyPolicy concurrency = ConcurrencyPolicy::Forbid;
  int history = 3;
  bool tolerate_all = false;  // tolerates every taint
  std::optional<PlacementPolicy> placement;  // services, jobs, crons: `placement`; none: the cluster's
  std::shared_ptr<const PodExtras> extras;  // null when none is set

  std::shared_ptr<const WorkloadPatch> patch;  // null without one: most workloads
};

struct Chart {
  std::string name;
  Span span;
  std::string type;  // the chart schema, e.g. "kube-prometheus-stack" or "chart"
  std::string repo, chart, version;
  std::string namespace_;
  Value values;      // a Map or Record value tree, typed against the schema
  Value extra;       // a Map of keys the schema does not know, merged under values; or Null
};

/// An object of a custom resource kind (ServiceMonitor, HelmChart, ...): a
/// `resource` declaration, its spec typed against a schema in std/crds/.
struct CustomResource {
  std::string name;
  Span span;
  std::string type;         // the schema, e.g. "service-monitor", or "resource"
  std::string api_version;  // "monitoring.coreos.com/v1"
  std::string kind;         // "ServiceMonitor"
  std::string namespace_;
  std::map<std::string, std::string> labels;       // the declaration's own, without claw's
  std::map<std::string, std::string> annotations;
  Value spec;               // a Record (typed schema) or Map (`any`) value tree
  Value fields;             // the object's other top-level fields (`data`, `rules`, ...): a Map, or null
  bool namespaced = true;   // false for a cluster-scoped kind: then namespace_ is empty
};

struct Secret {
  SecretId id;
  std::string name;
  Span span;
  std::optional<std::string> env, file;
  std::string key;
  std::string namespace_;
  bool namespace_written = false;  // else it is made only where a workload reads it
};

struct Cluster {
  std::string name;
  Span span;
  std::string k3s_version;
  MachineId server;
  std::string network;  // "tailscale" | "lan" | ...
  std::optional<std::string> iface;
  std::string namespace_;
  std::optional<std::string> domain;
  std::optional<std::string> ingress_class;
  std::vector<std::string> disable;      // k3s components, e.g. "traefik"
  std::optional<std::string> data_dir;
  std::vector<std::string> server_args;
  bool gpu_operator = false;             // `gpu = operator`
  PlacementPolicy placement = PlacementPolicy::Pinned;  // the workloads' default
  std::optional<int> survive;            // machines that may be lost at once, when written
  Span survive_span;
};

struct Model {
  std::optional<Cluster> cluster;
  std::vector<Machine> machines;
  std::vector<Role> roles;
  std::vector<Workload> workloads;
  std::vector<Chart> charts;
  std::vector<Secret> secrets;
  std::vector<CustomResource> resources;
  /// Owns the types, enums and records that value trees (chart values and
  /// resource specs) point to; the checker hands them over when it is done.
  std::shared_ptr<const void> types;

  const Machine& machine(MachineId id) const { return machines[id.value]; }
  const Role& role(RoleId id) const { return roles[id.value]; }
  const Workload& workload(WorkloadId id) const { return workloads[id.value]; }
  const Secret& secret(SecretId id) const { return secrets[id.value]; }
};

}  // namespace claw::sema
