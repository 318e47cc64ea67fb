#pragma once
// The Nodes of a cluster built from a `claw build` placement.json, as the API
// server holds them once every machine's join script has run: labels,
// taints, capacity and allocatable as kubelet and k3s report them.

#include "runtime/sim/json_schema.h"

#include <stdexcept>
#include <string_view>
#include <vector>

namespace claw::sim {

// A placement.json that is not one `claw build` writes; what() names the
// field, e.g. `machines[2].capacity.cpu_millis: expected a non-negative integer`.
class PlacementError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// One v1 Node per machine that joins the cluster (machines with
// `joined: false` or `k3s: "none"` get no join script and so no Node), in
// the file's order; `now` (RFC 3339) stamps the conditions' times. Throws
// PlacementError for a malformed document.
std::vector<Json> nodes_from_placement(const Json& placement, std::string_view now);

// The same, stamped with the current time.
std::vector<Json> nodes_from_placement(const Json& placement);

}  // namespace claw::sim
