#include "tests/unit/placement_tight_compare.h"

#include <chrono>

#include "compiler/placement/solve.h"

namespace claw::tight {

std::string verdict_name(Verdict v) {
  switch (v) {
    case Verdict::Placed: return "placed";
    case Verdict::Infeasible: return "infeasible";
    case Verdict::Unknown: return "unknown";
  }
  return "?";
}

Verdict verdict_of(const placement::Result& result) {
  if (result.diags.error_count() == 0) return Verdict::Placed;
  for (const auto& d : result.diags.all())
    if (d.severity == diag::Severity::Error && d.kind == diag::Kind::PlacementInfeasible) return Verdict::Infeasible;
  return Verdict::Unknown;
}

Outcome run(const sema::Model& model, const placement::Options& options) {
  Outcome out;
  auto start = std::chrono::steady_clock::now();
  placement::Result r = placement::place(model, options);
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  out.verdict = verdict_of(r);
  out.violation = violations(model, r.placement.assignments, out.verdict == Verdict::Placed);
  out.search = placement::search_name(r.placement.search);
  if (out.verdict == Verdict::Placed) out.peak = placement::peak_utilisation(r.placement.use, r.placement.cards);
  for (const auto& d : r.diags.all()) {
    out.diagnostics += d.message + "\n";
    for (const auto& n : d.notes) out.diagnostics += "  note: " + n.message + "\n";
  }
  return out;
}

placement::Options reference_options(double seconds) {
  placement::Options o;
  o.reference = true;
  o.solver_seconds = seconds;
  return o;
}

std::string disagreement(const Outcome& claw, const Outcome& reference, bool has_witness) {
  if (!claw.violation.empty()) return "claw's placement breaks a constraint: " + claw.violation;
  if (!reference.violation.empty()) return "the reference's placement breaks a constraint: " + reference.violation;
  bool feasible = has_witness || reference.verdict == Verdict::Placed;
  if (feasible && claw.verdict != Verdict::Placed)
    return std::string("feasible (") + (has_witness ? "a planted witness" : "the reference placed it") + "), claw says " +
           verdict_name(claw.verdict);
  if (has_witness && reference.verdict == Verdict::Infeasible) return "the reference calls a planted instance infeasible";
  if (reference.verdict == Verdict::Infeasible && claw.verdict != Verdict::Infeasible)
    return "the reference proves it infeasible, claw says " + verdict_name(claw.verdict);
  return "";
}

}  // namespace claw::tight
