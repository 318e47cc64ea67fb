// Time-slicing under the NVIDIA GPU Operator (`gpu = operator`): the
// operator's device plugin reads its configs from a ConfigMap its
// ClusterPolicy names (`devicePlugin.config.name` in the gpu-operator
// chart's values), and picks a node's config by the same node label the
// device plugin chart uses, which the join scripts set.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "compiler/emit/object.h"
#include "compiler/emit/provenance.h"
#include "compiler/emit/time_slicing.h"
#include "compiler/sema/model.h"

namespace claw::emit {

/// The ConfigMap of time-slicing configs claw writes for the operator.
inline constexpr std::string_view kOperatorSlicingConfigMap = "claw-time-slicing";
/// The operator's namespace when no `gpu-operator` chart is declared.
inline constexpr std::string_view kGpuOperatorNamespace = "gpu-operator";

/// The ConfigMap (manifests/<operator namespace>/claw-time-slicing.configmap.yaml),
/// when the cluster uses the operator and placement shares a card; else none.
std::optional<Object> operator_slicing_object(const sema::Model& model, const TimeSlicing& slicing);

/// `chart` with `devicePlugin.config` naming that ConfigMap and its default
/// config, when it is the gpu-operator chart of a cluster that uses the
/// operator, something is shared, and its values leave the config unset.
sema::Chart with_operator_time_slicing(const sema::Model& model, const sema::Chart& chart, const TimeSlicing& slicing);

}  // namespace claw::emit
