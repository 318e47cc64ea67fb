// The names of the Kubernetes objects claw derives from a declaration's
// name, in one place: the emitters name the objects with them, and the
// checker holds each to the rule for its kind before anything is written.
#pragma once

#include <string>
#include <string_view>

#include "compiler/sema/model.h"

namespace claw::sema {

/// The pod volume a workload's `config` files are mounted from.
inline constexpr std::string_view kConfigVolume = "claw-config";

/// Whether a workload becomes a StatefulSet: a service with a `size` volume
/// (a claim per replica); each such volume becomes a claim template.
bool is_stateful(const Workload& w);
/// The kind of the controller claw writes for a workload: Deployment or
/// StatefulSet, DaemonSet, Job or CronJob.
std::string_view controller_kind(const Workload& w);
/// The headless Service that gives a StatefulSet's pods their DNS names.
std::string headless_service_name(std::string_view workload);
/// The ConfigMap that holds a workload's `config` files.
std::string config_map_name(std::string_view workload);
/// The claim a namespace's pods mount an NFS export through.
std::string nfs_claim_name(std::string_view machine, std::string_view export_name);
/// The PersistentVolume of that claim in `namespace_` (a PV binds one claim).
std::string nfs_volume_name(std::string_view claim, std::string_view namespace_);
/// The claim of a sized volume outside a StatefulSet.
std::string claim_name(std::string_view workload, std::string_view volume);
/// The claim a StatefulSet's pod `ordinal` gets from its volume template.
std::string stateful_claim_name(std::string_view workload, std::string_view volume, int ordinal);
/// The Secret in kube-system that holds a chart's secret values.
std::string chart_values_secret_name(std::string_view chart);
/// The namespace k3s's helm-controller watches for HelmCharts.
inline constexpr std::string_view kHelmChartNamespace = "kube-system";

}  // namespace claw::sema
