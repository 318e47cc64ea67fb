// The order apply goes in: a wave's objects are applied together, waves one
// after another, so that what an object needs exists before it is made
// (and is deleted after it, in reverse). 0: Namespaces and CRDs; 1:
// configuration, Secrets, volumes, accounts and classes; 2: workloads; 3:
// Services, Ingresses and other built-in kinds; 4: HelmCharts (after their
// namespaces and values Secrets) and custom resources.
#pragma once

#include "compiler/emit/object.h"

namespace claw::apply {

inline constexpr int kWaves = 5;

/// The wave of an object of `ref`'s kind.
int wave_of(const emit::ObjectRef& ref);

}  // namespace claw::apply
