// The failover proof's parts the goldens cannot reach: which workloads fail
// over, a solver that runs out of time, the cap on sets of machines, and
// the severity of its findings.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <optional>
#include <string>
#include <vector>

#include "compiler/placement/failover.h"
#include "compiler/placement/placement.h"
#include "compiler/sema/model.h"

namespace {

using namespace claw;
using sema::PlacementPolicy;
using sema::WorkloadKind;

constexpr int64_t GiB = 1LL << 30;

/// `n` machines of 4 cores and 8GiB, and one service of `replicas` replicas
/// of 3 cores each, so no machine holds two.
sema::Model model_of(int n, int replicas, PlacementPolicy policy) {
  sema::Model m;
  m.cluster.emplace();
  m.cluster->placement = policy;
  for (int i = 0; i < n; ++i) {
    sema::Machine x;
    x.id = sema::MachineId{static_cast<uint32_t>(i)};
    x.name = fmt::format("m{}", i);
    x.os = sema::Os::Linux;
    x.arch = sema::Arch::Amd64;
    x.k3s = sema::K3sMode::Native;
    x.capacity = {4000, 8 * GiB};
    x.reserved = {0, 0};
    m.machines.push_back(x);
  }
  sema::Workload w;
  w.id = sema::WorkloadId{0};
  w.kind = WorkloadKind::Service;
  w.name = "web";
  w.namespace_ = "default";
  w.arch = {sema::Arch::Amd64};
  w.replicas = replicas;
  w.requests = {3000, GiB};
  m.workloads.push_back(w);
  return m;
}

placement::Solver unknown_solver(int* calls) {
  return [calls](const placement::State&, const std::vector<placement::Item>&) {
    ++*calls;
    return placement::Solved{placement::Verdict::Unknown, {}};
  };
}

}  // namespace

TEST_CASE("failover: which workloads fail over") {
  struct Row {
    WorkloadKind kind;
    PlacementPolicy cluster;
    std::optional<PlacementPolicy> own;
    bool expected;
  };
  const std::vector<Row> rows = {
      {WorkloadKind::Service, PlacementPolicy::Pinned, std::nullopt, false},
      {WorkloadKind::Service, PlacementPolicy::Failover, std::nullopt, true},
      {WorkloadKind::Service, PlacementPolicy::Failover, PlacementPolicy::Pinned, false},
      {WorkloadKind::Service, PlacementPolicy::Pinned, PlacementPolicy::Failover, true},
      {WorkloadKind::Job, PlacementPolicy::Failover, std::nullopt, true},
      {WorkloadKind::Cron, PlacementPolicy::Pinned, PlacementPolicy::Failover, true},
      // A daemon runs one pod per machine: it never moves.
      {WorkloadKind::Daemon, PlacementPolicy::Failover, std::nullopt, false},
      {WorkloadKind::Daemon, PlacementPolicy::Failover, PlacementPolicy::Failover, false},
  };
  for (const auto& r : rows) {
    auto m = model_of(1, 1, r.cluster);
    m.workloads[0].kind = r.kind;
    m.workloads[0].placement = r.own;
    CHECK(placement::fails_over(m, m.workloads[0]) == r.expected);
  }
}

TEST_CASE("failover: a solver out of time is reported as not proven, never as stranded") {
  // 3 replicas on 3 machines: losing one leaves 2 with 1000m each, too little
  // for the first-fit; the solver decides, and says it ran out of time.
  auto m = model_of(3, 3, PlacementPolicy::Failover);
  auto placed = placement::place(m);
  REQUIRE(!placed.diags.has_errors());
  int calls = 0;
  auto report = placement::prove_failover(m, placed.placement, {}, unknown_solver(&calls));
  REQUIRE(report.losses.size() == 3);
  CHECK(calls > 0);
  for (const auto& l : report.losses) {
    CHECK(l.verdict == placement::Verdict::Unknown);
    CHECK(placement::loss_summary(m, l) == "not proven whether its loss strands `web`");
  }
  diag::Sink sink;
  placement::report_failover(m, report, 2, true, sink);
  REQUIRE(sink.all().size() == 3);
  for (const auto& d : sink.all()) {
    CHECK(d.kind == diag::Kind::FailoverUnproven);
    CHECK(d.severity == diag::Severity::Warning);
    CHECK(d.message.find("not proven") != std::string::npos);
  }
}

TEST_CASE("failover: the proof's budgets follow --placement-seconds") {
  // As above, the solver must decide each loss: given the default budget it
  // does; given none, every set it is asked about stays unproven, and the
  // hint names the flag that gives it time.
  auto m = model_of(3, 3, PlacementPolicy::Failover);
  auto placed = placement::place(m);
  REQUIRE(!placed.diags.has_errors());
  diag::Sink timed;
  placement::check_failover(m, placed.placement, std::nullopt, placement::Options{}.solver_seconds, timed);
  for (const auto& d : timed.all()) CHECK(d.kind != diag::Kind::FailoverUnproven);
  diag::Sink untimed;
  placement::check_failover(m, placed.placement, std::nullopt, 0, untimed);
  bool said = false;
  for (const auto& d : untimed.all())
    if (d.kind == diag::Kind::FailoverUnproven)
      for (const auto& h : d.hints) said = said || h.find("`--placement-seconds`") != std::string::npos;
  CHECK(said);
}

TEST_CASE("failover: the cap on sets of machines makes the proof incomplete, and says so") {
  // 6 machines, 2 lost at once: 15 sets; checked at most 4.
  auto m = model_of(6, 2, PlacementPolicy::Failover);
  auto placed = placement::place(m);
  REQUIRE(!placed.diags.has_errors());
  placement::FailoverOptions o;
  o.survive = 2;
  o.max_sets = 4;
  auto report = placement::prove_failover(m, placed.placement, o, placement::exact_solver(5));
  CHECK(report.sets == 15);
  CHECK(report.checked == 4);
  CHECK(!report.complete());
  diag::Sink sink;
  placement::report_failover(m, report, 2, false, sink);
  bool said = false;
  for (const auto& d : sink.all())
    if (d.kind == diag::Kind::FailoverUnproven && d.message == "checked 4 of the 15 sets of 2 machines that could be lost at once; the others are not proven")
      said = true;
  CHECK(said);
}

TEST_CASE("failover: the proof stops when its time is up, and says so") {
  // A clock that advances 1 s each time it is read, a budget of 2.5 s: the
  // first set is always checked, then 3 reads until the budget is past.
  auto m = model_of(6, 2, PlacementPolicy::Failover);
  auto placed = placement::place(m);
  REQUIRE(!placed.diags.has_errors());
  uint64_t t = 0;
  placement::FailoverOptions o;
  o.seconds = 2.5;
  o.clock = [&t] { return t += 1'000'000'000; };
  auto report = placement::prove_failover(m, placed.placement, o, placement::exact_solver(5));
  CHECK(report.sets == 6);
  CHECK(report.checked == 3);
  CHECK(report.out_of_time);
  // 2 replicas on 6 machines: losing one moves its replica to an empty machine.
  REQUIRE(!report.losses.empty());
  CHECK(placement::loss_summary(m, report.losses.front()) == "survives its loss (1 replica moves)");
  diag::Sink sink;
  placement::report_failover(m, report, 2, false, sink);
  REQUIRE(sink.all().size() == 1);
  CHECK(sink.all()[0].message ==
        "checked the loss of 3 of the 6 machines before its time ran out; the others are not proven");
}

TEST_CASE("failover: a stranded workload is a warning, an error when survival was asked for") {
  // 2 machines, 2 replicas of 3 cores: losing either strands one replica.
  auto m = model_of(2, 2, PlacementPolicy::Failover);
  auto placed = placement::place(m);
  REQUIRE(!placed.diags.has_errors());
  auto report = placement::prove_failover(m, placed.placement, {}, placement::exact_solver(5));
  REQUIRE(report.losses.size() == 2);
  for (uint32_t i : {0u, 1u}) {
    const placement::Loss* loss = placement::loss_of(report, sema::MachineId{i});
    REQUIRE(loss != nullptr);
    CHECK(loss->verdict == placement::Verdict::Infeasible);
    CHECK(loss->moving == 1);
    REQUIRE(loss->stranded.size() == 1);
    CHECK(loss->stranded[0].replicas == 1);
    // The one machine left holds the other replica: 1000m of 4000m left.
    REQUIRE(loss->stranded[0].room.size() == 1);
    CHECK(loss->stranded[0].room[0].second == "needs cpu 3, has 1 of 4 left");
    CHECK(placement::loss_summary(m, *loss) == "its loss strands `web`");
  }
  for (bool required : {false, true}) {
    diag::Sink sink;
    placement::report_failover(m, report, 2, required, sink);
    REQUIRE(sink.all().size() == 2);
    for (const auto& d : sink.all()) {
      CHECK(d.kind == diag::Kind::FailoverStranded);
      CHECK(d.severity == (required ? diag::Severity::Error : diag::Severity::Warning));
    }
    CHECK(sink.all()[0].message == "losing `m0` would strand `web`: it does not fit on the machines left");
  }
  // Losing no machine at all proves nothing and reports nothing.
  placement::FailoverOptions none;
  none.survive = 0;
  auto empty = placement::prove_failover(m, placed.placement, none, placement::exact_solver(5));
  CHECK(empty.losses.empty());
  CHECK(empty.sets == 0);
}
