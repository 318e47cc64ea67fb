// Service defaults and allocations. Sources, kubernetes/kubernetes:
// pkg/apis/core/v1/defaults.go SetDefaults_Service (type, sessionAffinity,
// ports, externalTrafficPolicy, internalTrafficPolicy,
// allocateLoadBalancerNodePorts); pkg/registry/core/service/storage/alloc.go
// (initIPFamilyFields, allocClusterIPs, allocNodePorts, patchAllocatedValues:
// what an update keeps from the stored Service). The sim is a single-stack
// IPv4 cluster.
#include "runtime/sim/default_fields.h"
#include "runtime/sim/defaults_internal.h"

#include <map>
#include <set>

namespace claw::sim::defaults {
namespace {

std::string string_at(const Json& obj, const char* key) {
  const Json* v = find(obj, key);
  return v != nullptr && v->is_string() ? v->get<std::string>() : "";
}

bool needs_cluster_ip(const Json& spec) { return string_at(spec, "type") != "ExternalName"; }

bool needs_node_ports(const Json& spec) {
  std::string type = string_at(spec, "type");
  if (type == "NodePort") return true;
  if (type != "LoadBalancer") return false;
  const Json* alloc = find(spec, "allocateLoadBalancerNodePorts");
  return alloc == nullptr || alloc->is_null() || *alloc == true;
}

bool needs_health_check_port(const Json& spec) {
  return string_at(spec, "type") == "LoadBalancer" && string_at(spec, "externalTrafficPolicy") == "Local";
}

bool is_zero_port(const Json* v) { return v == nullptr || v->is_null() || *v == 0 || *v == ""; }

void ports(Json& spec) {
  each_object(spec, "ports", [](Json& port) {
    set_default(port, "protocol", "TCP");
    if (is_zero_port(find(port, "targetPort")) && find(port, "port") != nullptr) port["targetPort"] = port["port"];
  });
}

// patchAllocatedValues: an update that leaves out an allocated value keeps it.
void keep_allocated(Json& spec, const Json& old_spec) {
  if (needs_cluster_ip(old_spec) && needs_cluster_ip(spec)) {
    for (const char* key : {"clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy"}) {
      const Json* before = find(old_spec, key);
      const Json* now = find(spec, key);
      bool missing = now == nullptr || now->is_null() || (now->is_string() && now->get<std::string>().empty()) ||
                     (now->is_array() && now->empty());
      if (missing && before != nullptr) spec[key] = *before;
    }
  }
  if (needs_node_ports(old_spec) && needs_node_ports(spec)) {
    // Ports are matched by name; a node port already used by another port
    // of the new spec is not taken again.
    std::map<std::string, Json> by_name;
    std::set<long long> used_old, used_new;
    for (const Json& p : old_spec.value("ports", Json::array())) {
      if (!p.is_object()) continue;
      by_name[p.value("name", "")] = p.value("nodePort", Json(0));
      if (p.contains("nodePort") && p["nodePort"].is_number_integer()) used_old.insert(p["nodePort"].get<long long>());
    }
    each_object(spec, "ports", [&](Json& p) {
      if (p.contains("nodePort") && p["nodePort"].is_number_integer()) used_new.insert(p["nodePort"].get<long long>());
    });
    each_object(spec, "ports", [&](Json& p) {
      if (!is_zero_port(find(p, "nodePort"))) return;
      auto it = by_name.find(p.value("name", ""));
      if (it == by_name.end() || !it->second.is_number_integer() || it->second == 0) return;
      long long port = it->second.get<long long>();
      if (used_old.contains(port) && used_new.contains(port)) return;
      p["nodePort"] = port;
    });
  }
  if (needs_health_check_port(old_spec) && needs_health_check_port(spec) &&
      is_zero_port(find(spec, "healthCheckNodePort")) && find(old_spec, "healthCheckNodePort") != nullptr) {
    spec["healthCheckNodePort"] = old_spec["healthCheckNodePort"];
  }
}

void ip_families(Json& spec) {
  std::string cluster_ip = string_at(spec, "clusterIP");
  const Json* ips = find(spec, "clusterIPs");
  if (!cluster_ip.empty() && (ips == nullptr || ips->is_null() || (ips->is_array() && ips->empty()))) {
    spec["clusterIPs"] = Json::array({cluster_ip});
  }
  bool headless = cluster_ip == "None";
  const Json* selector = find(spec, "selector");
  bool selectorless = selector == nullptr || !selector->is_object() || selector->empty();
  const Json* families = find(spec, "ipFamilies");
  std::size_t family_count = families != nullptr && families->is_array() ? families->size() : 0;
  std::size_t ip_count = find(spec, "clusterIPs") != nullptr && spec["clusterIPs"].is_array() ? spec["clusterIPs"].size() : 0;
  if (fields::unset(spec, "ipFamilyPolicy")) {
    // A headless Service without selector takes every family of the cluster.
    bool dual = family_count == 2 || ip_count == 2 || (headless && selectorless);
    spec["ipFamilyPolicy"] = dual ? "RequireDualStack" : "SingleStack";
  }
  if (family_count == 0) spec["ipFamilies"] = Json::array({"IPv4"});
  // Headless and selectorless, not SingleStack: the other family is added
  // even on a single-stack cluster.
  if (headless && selectorless && spec["ipFamilies"].is_array() && spec["ipFamilies"].size() == 1 &&
      spec["ipFamilyPolicy"] != "SingleStack") {
    spec["ipFamilies"].push_back(spec["ipFamilies"][0] == "IPv6" ? "IPv4" : "IPv6");
  }
}

// initNodePorts: ports sharing a port number (TCP and UDP 53) share the
// node port requested or allocated for the first of them.
void allocate_node_ports(Json& spec, const DefaultingContext& ctx) {
  Json* list = find(spec, "ports");
  if (list == nullptr || !list->is_array()) return;
  for (Json& p : *list) {
    if (!p.is_object() || !is_zero_port(find(p, "nodePort"))) continue;
    const Json* number = find(p, "port");
    for (const Json& other : *list) {
      if (&other != &p && other.is_object() && number != nullptr && find(other, "port") != nullptr &&
          other["port"] == *number && !is_zero_port(find(other, "nodePort"))) {
        p["nodePort"] = other["nodePort"];
        break;
      }
    }
    if (is_zero_port(find(p, "nodePort"))) p["nodePort"] = ctx.allocate_node_port();
  }
}

void allocate(Json& spec, const DefaultingContext& ctx) {
  if (needs_cluster_ip(spec)) {
    if (fields::unset(spec, "clusterIP") && ctx.allocate_cluster_ip) {
      spec["clusterIP"] = ctx.allocate_cluster_ip();
      spec["clusterIPs"] = Json::array({spec["clusterIP"]});
    }
    ip_families(spec);
  }
  if (needs_node_ports(spec) && ctx.allocate_node_port) allocate_node_ports(spec, ctx);
  if (needs_health_check_port(spec) && is_zero_port(find(spec, "healthCheckNodePort")) && ctx.allocate_node_port) {
    spec["healthCheckNodePort"] = ctx.allocate_node_port();
  }
}

}  // namespace

void service(Json& obj, const Json* old, const DefaultingContext& ctx) {
  Json* spec = object_member(obj, "spec");
  if (spec == nullptr) return;
  set_default(*spec, "sessionAffinity", "None");
  if ((*spec)["sessionAffinity"] == "None") {
    spec->erase("sessionAffinityConfig");
  } else if ((*spec)["sessionAffinity"] == "ClientIP") {
    const Json* cfg = find(*spec, "sessionAffinityConfig");
    const Json* client = cfg != nullptr ? find(*cfg, "clientIP") : nullptr;
    if (client == nullptr || fields::unset(*client, "timeoutSeconds")) {
      (*spec)["sessionAffinityConfig"] = Json{{"clientIP", {{"timeoutSeconds", 10800}}}};
    }
  }
  set_default(*spec, "type", "ClusterIP");
  ports(*spec);
  std::string type = string_at(*spec, "type");
  // service.ExternallyAccessible: LoadBalancer, NodePort, or a ClusterIP
  // Service with externalIPs.
  const Json* external_ips = find(*spec, "externalIPs");
  bool externally = type == "LoadBalancer" || type == "NodePort" ||
                    (type == "ClusterIP" && external_ips != nullptr && external_ips->is_array() && !external_ips->empty());
  if (externally) set_default(*spec, "externalTrafficPolicy", "Cluster");
  if (type == "NodePort" || type == "LoadBalancer" || type == "ClusterIP") {
    set_default(*spec, "internalTrafficPolicy", "Cluster");
  }
  if (type == "LoadBalancer") set_default(*spec, "allocateLoadBalancerNodePorts", true);
  if (old != nullptr) {
    if (const Json* old_spec = find(*old, "spec"); old_spec != nullptr && old_spec->is_object()) keep_allocated(*spec, *old_spec);
  }
  allocate(*spec, ctx);
  // ServiceStatus and its LoadBalancerStatus are structs: always written.
  if (Json* status = object_member(obj, "status")) object_member(*status, "loadBalancer");
}

}  // namespace claw::sim::defaults
