// The Ingresses of a workload (`ingress NAME { ... }` and the older `host`):
// class, hosts and routes to the workload's Service ports, TLS, annotations.
#pragma once

#include <string>
#include <vector>

#include "compiler/emit/object.h"
#include "compiler/emit/tree.h"
#include "compiler/sema/model.h"

namespace claw::emit {

/// Appends a networking.k8s.io/v1 Ingress to `out` for each of `w`'s
/// ingresses, made by `origin` (the workload's kind).
void ingress_objects(std::vector<Object>& out, const sema::Model& model, const sema::Workload& w, Origin origin);

/// Writes `labels:` with claw's managed labels for an object named `name`.
void write_managed_labels(Tree& y, const sema::Model& model, std::string_view name);

}  // namespace claw::emit
