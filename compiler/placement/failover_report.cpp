// The failover proof's findings as diagnostics (failover.h: report_failover).
#include <fmt/format.h>

#include "compiler/placement/failover.h"

namespace claw::placement {

namespace {

/// The most machines a stranded workload's notes name one by one.
constexpr size_t kMachinesShown = 6;

std::string names(const sema::Model& model, const std::vector<sema::MachineId>& lost) {
  std::string out;
  for (size_t i = 0; i < lost.size(); ++i)
    out += fmt::format("{}`{}`", i == 0 ? "" : i + 1 == lost.size() ? " and " : ", ", model.machine(lost[i]).name);
  return out;
}

std::string workload_names(const sema::Model& model, const std::vector<Stranded>& stranded) {
  std::string out;
  for (size_t i = 0; i < stranded.size(); ++i)
    out += fmt::format("{}`{}`", i == 0 ? "" : i + 1 == stranded.size() ? " and " : ", ", model.workload(stranded[i].workload).name);
  return out;
}

std::string_view stays_text(Stays s) {
  switch (s) {
    case Stays::Pinned: return "pinned";
    case Stays::On: return "`on` pins it there";
    case Stays::LocalData: return "its volume data is on that disk";
  }
  return "";
}

void stranded_notes(const sema::Model& model, const Loss& loss, const Stranded& s, diag::Diagnostic& d) {
  const sema::Workload& w = model.workload(s.workload);
  std::string ask = describe_need(w, s.need);
  ask = ask.substr(ask.find("cpu"));
  d.note(w.span, fmt::format("`{}` had {} replica{} there, {}{}; {}", w.name, s.replicas, s.replicas == 1 ? "" : "s",
                             s.replicas == 1 ? "" : "each ", ask,
                             loss.jointly ? "each workload fits alone, not all of them together"
                             : s.room.empty() ? "no machine left can run it"
                                               : "the machines left that could run it:"));
  for (size_t i = 0; i < s.room.size() && i < kMachinesShown; ++i)
    d.note(model.machine(s.room[i].first).span, fmt::format("`{}` {}", model.machine(s.room[i].first).name, s.room[i].second));
  if (s.room.size() > kMachinesShown) d.note({}, fmt::format("and {} more machines like these", s.room.size() - kMachinesShown));
  if (s.ineligible > 0)
    d.note({}, fmt::format("{} other machine{} cannot run it (arch, roles, taints, GPUs, `avoid`)", s.ineligible,
                           s.ineligible == 1 ? "" : "s"));
}

void down_note(const sema::Model& model, const Loss& loss, diag::Diagnostic& d) {
  if (loss.down.empty()) return;
  std::string list;
  for (const auto& x : loss.down)
    list += fmt::format("{}`{}` ({})", list.empty() ? "" : ", ", model.workload(x.workload).name, stays_text(x.why));
  d.note({}, "staying down with it, as they do not fail over: " + list);
}

}  // namespace

std::string loss_summary(const sema::Model& model, const Loss& loss) {
  std::string out;
  switch (loss.verdict) {
    case Verdict::Placed:
      out = loss.moving == 0 ? "survives its loss (nothing moves)"
                             : fmt::format("survives its loss ({} replica{} move{})", loss.moving, loss.moving == 1 ? "" : "s",
                                           loss.moving == 1 ? "s" : "");
      break;
    case Verdict::Infeasible: out = "its loss strands " + workload_names(model, loss.stranded); break;
    case Verdict::Unknown: out = "not proven whether its loss strands " + workload_names(model, loss.stranded); break;
  }
  std::string down;
  for (const auto& x : loss.down) down += fmt::format("{}`{}`", down.empty() ? "" : ", ", model.workload(x.workload).name);
  if (!down.empty()) out += fmt::format("; {} stay{} down", down, loss.down.size() == 1 ? "s" : "");
  return out;
}

void report_failover(const sema::Model& model, const FailoverReport& report, double seconds, bool required, diag::Sink& sink) {
  const std::string together = report.survive > 1 ? " together" : "";
  for (const auto& loss : report.losses) {
    if (loss.verdict == Verdict::Placed) continue;
    const sema::Span at = model.machine(loss.lost.front()).span;
    if (loss.verdict == Verdict::Unknown) {
      auto& d = sink.report(diag::Kind::FailoverUnproven, at,
                            fmt::format("could not decide within {} s whether losing {}{} strands {}; not proven either way",
                                        seconds, names(model, loss.lost), together, workload_names(model, loss.stranded)));
      for (const auto& s : loss.stranded) stranded_notes(model, loss, s, d);
      d.hint("give the proof more time (`--placement-seconds`: a fifth of it per lost machine), or make it smaller "
             "(fewer failover workloads or machines)");
      continue;
    }
    auto d = diag::make(diag::Kind::FailoverStranded, at,
                        fmt::format("losing {}{} would strand {}: {} on the machines left", names(model, loss.lost), together,
                                    workload_names(model, loss.stranded),
                                    loss.stranded.size() == 1 && !loss.jointly ? "it does not fit" : "they do not fit"));
    if (required) d.severity = diag::Severity::Error;
    for (const auto& s : loss.stranded) stranded_notes(model, loss, s, d);
    down_note(model, loss, d);
    d.hint("give the other machines room for it (fewer replicas, smaller `needs`, another machine), or let it stay down "
           "with `placement = pinned`");
    sink.report(std::move(d));
  }
  if (!report.complete() && model.cluster)
    sink.report(diag::Kind::FailoverUnproven, model.cluster->span,
                fmt::format("checked {}{}; the others are not proven",
                            report.survive == 1
                                ? fmt::format("the loss of {} of the {} machines", report.checked, report.sets)
                                : fmt::format("{} of the {} sets of {} machines that could be lost at once", report.checked,
                                              report.sets, report.survive),
                            report.out_of_time ? " before its time ran out" : ""))
        .hint(report.out_of_time ? "a longer `--placement-seconds` (the proof takes twice it at most), a lower `survive`, "
                                   "or fewer failover workloads"
                                 : "a lower `survive` makes the proof complete");
}

}  // namespace claw::placement
