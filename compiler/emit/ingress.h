// The Ingresses of a workload (`ingress NAME { ... }` and the older `host`):
// class, hosts and routes to the workload's Service ports, TLS, annotations.
#pragma once

#include <string>

#include "compiler/emit/provenance.h"
#include "compiler/emit/yaml_writer.h"
#include "compiler/sema/model.h"

namespace claw::emit {

/// Appends a networking.k8s.io/v1 Ingress document to `out` for each of
/// `w`'s ingresses, through `y` (which writes into `out`).
void write_ingresses(std::string& out, yaml::Writer& y, const sema::Model& model, const sema::Workload& w,
                     const Where& where);

/// Writes `labels:` with claw's managed labels for an object named `name`.
void write_managed_labels(yaml::Writer& y, const sema::Model& model, std::string_view name);

}  // namespace claw::emit
