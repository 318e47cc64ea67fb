// `claw plan` and `claw apply` against a live cluster: the runtime's side of
// driver::ClusterCommands, given to the driver by the executable.
//
// plan: connect (kubeconfig.h), discover kinds, read what the project owns
// (make_plan.h), place the program keeping what runs now, compare, show.
// apply: the same plan (or a saved one, refused if the cluster changed
// since), confirmation, the project's Lease (lease.h), apply (apply.h),
// the Nodes' labels and taints, and with --wait the rollouts.
#pragma once

#include "compiler/driver/cli.h"

namespace claw::runtime {

class Commands final : public driver::ClusterCommands {
 public:
  int plan(const driver::ClusterOptions& options, const driver::CheckedProgram& program, driver::Console& console) override;
  int apply(const driver::ClusterOptions& options, const driver::CheckedProgram* program, driver::Console& console) override;
};

}  // namespace claw::runtime
