#include "runtime/sim/system_fields.h"

#include <fmt/format.h>

#include <mutex>
#include <random>
#include <set>

namespace claw::sim {
namespace {

std::mt19937_64& random_engine() {
  static std::mt19937_64 engine{std::random_device{}()};
  return engine;
}

std::mutex& random_mutex() {
  static std::mutex m;
  return m;
}

Json without_meta_and_status(const Json& object) {
  Json copy = object;
  copy.erase("metadata");
  copy.erase("status");
  return copy;
}

}  // namespace

std::string new_uid() {
  std::lock_guard lock(random_mutex());
  std::uniform_int_distribution<unsigned> byte(0, 255);
  unsigned char b[16];
  for (auto& x : b) x = static_cast<unsigned char>(byte(random_engine()));
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);
  return fmt::format("{:02x}{:02x}{:02x}{:02x}-{:02x}{:02x}-{:02x}{:02x}-{:02x}{:02x}-{:02x}{:02x}{:02x}{:02x}{:02x}{:02x}",
                     b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
                     b[15]);
}

std::string generated_name(std::string_view prefix) {
  // k8s.io/apimachinery pkg/util/rand: no vowels, no confusable characters.
  static constexpr std::string_view alphabet = "bcdfghjklmnpqrstvwxz2456789";
  std::lock_guard lock(random_mutex());
  std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
  std::string name(prefix);
  for (int i = 0; i < 5; ++i) name += alphabet[pick(random_engine())];
  return name;
}

bool has_generation(const ResourceType& type) {
  if (type.custom) return true;
  static const std::set<std::pair<std::string, std::string>> kinds = {
      {"apps", "Deployment"},   {"apps", "StatefulSet"},  {"apps", "DaemonSet"},
      {"apps", "ReplicaSet"},   {"", "ReplicationController"}, {"batch", "Job"},
      {"batch", "CronJob"},     {"networking.k8s.io", "Ingress"}, {"networking.k8s.io", "NetworkPolicy"},
      {"networking.k8s.io", "IngressClass"}, {"policy", "PodDisruptionBudget"},
      {"autoscaling", "HorizontalPodAutoscaler"}, {"apiextensions.k8s.io", "CustomResourceDefinition"},
      {"admissionregistration.k8s.io", "ValidatingAdmissionPolicy"},
      {"flowcontrol.apiserver.k8s.io", "FlowSchema"},
      {"flowcontrol.apiserver.k8s.io", "PriorityLevelConfiguration"},
  };
  return kinds.contains({type.group, type.kind});
}

void set_system_fields(SimState& sim, const ResourceType& type, const ObjectKey& key, const Json* old,
                       Json& candidate) {
  candidate["apiVersion"] = type.api_version();
  candidate["kind"] = type.kind;
  Json& meta = candidate["metadata"];
  if (!meta.is_object()) meta = Json::object();
  meta["name"] = key.name;
  if (type.namespaced) {
    meta["namespace"] = key.ns;
  } else {
    meta.erase("namespace");
  }
  if (old == nullptr) {
    meta["uid"] = new_uid();
    meta["creationTimestamp"] = rfc3339(sim.clock.now());
    meta.erase("deletionTimestamp");
    meta.erase("deletionGracePeriodSeconds");
    if (has_generation(type)) {
      meta["generation"] = 1;
    } else {
      meta.erase("generation");
    }
    return;
  }
  const Json& old_meta = (*old)["metadata"];
  for (const char* field : {"uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds",
                            "generation", "generateName"}) {
    if (old_meta.contains(field)) {
      meta[field] = old_meta[field];
    } else {
      meta.erase(field);
    }
  }
}

void bump_generation(const ResourceType& type, const Json* old, Json& candidate) {
  if (old == nullptr || !has_generation(type)) return;
  if (without_meta_and_status(*old) != without_meta_and_status(candidate)) {
    candidate["metadata"]["generation"] = (*old).value("/metadata/generation"_json_pointer, 0) + 1;
  }
}

std::string allocate_cluster_ip(const ObjectStore& store) {
  std::set<std::string> used = {"10.43.0.1", "10.43.0.10"};
  for (const auto& s : store.list("", "services", "")) {
    used.insert(s->object.value("/spec/clusterIP"_json_pointer, std::string()));
  }
  for (int i = 2; i < 65535; ++i) {
    std::string ip = fmt::format("10.43.{}.{}", i / 256, i % 256);
    if (i % 256 != 0 && i % 256 != 255 && !used.contains(ip)) return ip;
  }
  return "";
}

int allocate_node_port(const ObjectStore& store) {
  std::set<int> used;
  for (const auto& s : store.list("", "services", "")) {
    for (const Json& p : s->object.value("/spec/ports"_json_pointer, Json::array())) {
      if (p.contains("nodePort") && p["nodePort"].is_number_integer()) used.insert(p["nodePort"].get<int>());
    }
  }
  for (int port = 30000; port <= 32767; ++port) {
    if (!used.contains(port)) return port;
  }
  return 0;
}

}  // namespace claw::sim
