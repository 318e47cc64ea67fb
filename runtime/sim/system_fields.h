#pragma once
// Fields the API server owns: identity (apiVersion, kind, name, namespace),
// uid, creationTimestamp, generation, the immutable parts of metadata, and
// the Service addresses it allocates.

#include "runtime/sim/sim_state.h"

#include <string>

namespace claw::sim {

// Stamps identity and system metadata on `candidate` (`old` on update).
void set_system_fields(SimState& sim, const ResourceType& type, const ObjectKey& key, const Json* old,
                       Json& candidate);

// True for kinds whose registry strategy keeps metadata.generation
// (workloads, Ingress, CRDs, every custom resource, ...).
bool has_generation(const ResourceType& type);

// generation + 1 when anything outside metadata and status changed.
void bump_generation(const ResourceType& type, const Json* old, Json& candidate);

// The lowest free address of k3s' default service range 10.43.0.0/16
// (10.43.0.1 is the `kubernetes` Service, 10.43.0.10 CoreDNS).
std::string allocate_cluster_ip(const ObjectStore& store);
// The lowest free port of the NodePort range 30000-32767.
int allocate_node_port(const ObjectStore& store);

// A random RFC 4122 version-4 UUID.
std::string new_uid();
// `prefix` + five characters from the apiserver's generateName alphabet.
std::string generated_name(std::string_view prefix);

}  // namespace claw::sim
