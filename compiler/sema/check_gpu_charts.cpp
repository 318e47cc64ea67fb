// The NVIDIA charts a program installs, held to the cluster's GPU stack: on
// k3s the device plugin sees GPUs only through the `nvidia` runtime, which
// its chart does not use by default; and the GPU Operator brings its own
// device plugin. claw writes chart values as the program wrote them, so it
// says what is missing rather than adding it.
#include <fmt/format.h>

#include "compiler/sema/checker.h"

namespace claw::sema::detail {

void Checker::check_gpu_charts(const Model& model) {
  bool gpus = false;
  for (const auto& m : model.machines) gpus = gpus || !m.gpus.empty();
  bool operator_stack = model.cluster && model.cluster->gpu_operator;
  for (const Chart& c : model.charts) {
    if (c.type != "nvidia-device-plugin") continue;
    if (operator_stack) {
      report(diag::Kind::GpuChartSetup, c.span,
             fmt::format("chart `{}` installs the NVIDIA device plugin, but the cluster's GPUs come from the GPU Operator", c.name))
          .hint("the GPU Operator runs its own device plugin: remove this chart, or set the cluster's `gpu = device-plugin`");
      continue;
    }
    const Value* runtime = c.values.kind == Value::Kind::Record ? &c.values.field("runtimeClassName") : nullptr;
    if (gpus && (!runtime || runtime->is_null()))
      report(diag::Kind::GpuChartSetup, c.span,
             fmt::format("chart `{}` sets no `runtimeClassName`: on k3s the device plugin finds no GPUs without the "
                         "`nvidia` runtime, and GPU pods stay Pending",
                         c.name))
          .hint("add `values.runtimeClassName = \"nvidia\"` (k3s registers the runtime; claw writes its RuntimeClass)");
  }
}

}  // namespace claw::sema::detail
