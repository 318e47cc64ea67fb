#pragma once
// The CustomResourceDefinitions a k3s server creates on its own at start, so
// that HelmChart, HelmChartConfig, Addon and ETCDSnapshotFile objects can be
// applied to the sim as to a fresh k3s cluster.

#include "runtime/sim/json_schema.h"

#include <vector>

namespace claw::sim {

// helmcharts.helm.cattle.io, helmchartconfigs.helm.cattle.io,
// addons.k3s.cattle.io and etcdsnapshotfiles.k3s.cattle.io as their
// projects publish them (apiextensions.k8s.io/v1 objects without the fields
// the server fills in: uid, creationTimestamp, status).
std::vector<Json> k3s_builtin_crds();

}  // namespace claw::sim
