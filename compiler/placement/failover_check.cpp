// The failover proof as a compilation runs it (failover.h: check_failover).
#include <algorithm>

#include "compiler/placement/failover.h"

namespace claw::placement {

FailoverReport check_failover(const sema::Model& model, const Placement& placed, std::optional<int> flag,
                              double placement_seconds, diag::Sink& sink) {
  std::optional<int> asked = flag;
  if (!asked && model.cluster) asked = model.cluster->survive;
  const bool any = std::any_of(model.workloads.begin(), model.workloads.end(),
                               [&](const sema::Workload& w) { return fails_over(model, w); });
  if (!any) return {};
  FailoverOptions o;
  o.survive = asked.value_or(1);
  o.seconds = 2 * placement_seconds;
  const double per_set = placement_seconds / 5;
  FailoverReport report = prove_failover(model, placed, o, exact_solver(per_set));
  report_failover(model, report, per_set, asked.has_value(), sink);
  return report;
}

}  // namespace claw::placement
