#pragma once
// What the API server writes into an object it stores besides the client's
// fields: the defaults of pkg/apis/*/v1/defaults.go and the declarative
// `+default` markers, the selector and labels a Job strategy generates, the
// cluster IPs and node ports a Service gets, and quantities in canonical form.
// The table of every rule and its source is runtime/sim/DEFAULTS.md.

#include "runtime/sim/json_schema.h"
#include "runtime/sim/registry.h"

#include <functional>
#include <string>
#include <vector>

namespace claw::sim {

// The server-side facts defaulting needs and cannot compute itself.
struct DefaultingContext {
  std::string uid;  // of the object being created
  std::function<std::string()> allocate_cluster_ip;
  std::function<int()> allocate_node_port;
};

// Sets the fields the API server defaults for `type`'s kind, in place, on a
// create or update. `old` is the stored object on update (nullptr on
// create): allocated IPs/ports are kept from it.
void apply_defaults(const ResourceType& type, Json& object, const Json* old, const DefaultingContext& ctx);

// Rewrites every value whose schema is a Quantity into canonical form;
// returns the paths of values that are not quantities
// ("spec.containers[0].resources.limits.cpu").
std::vector<std::string> canonicalize_quantities(SchemaView schema, Json& object);

}  // namespace claw::sim
