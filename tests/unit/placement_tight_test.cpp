// Placement on tight instances (85-100% of capacity; see
// placement_tight_gen.h): the generator and its independent checker first,
// on instances worked out by hand.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <string>
#include <vector>

#include "compiler/placement/placement.h"
#include "tests/unit/placement_tight_compare.h"
#include "tests/unit/placement_tight_gen.h"

namespace {

using namespace claw;
using placement::Assignment;
using sema::MachineId;
using sema::WorkloadId;

constexpr int64_t MiB = 1LL << 20;
constexpr int64_t GiB = 1LL << 30;

/// One amd64 machine with `cpu` millis and `memory` bytes allocatable (on top
/// of a reservation of 500m and 1GiB), and `cards` cards of `vram` with a
/// 512MiB driver reserve.
sema::Machine machine(uint32_t id, int64_t cpu, int64_t memory, int cards = 0, int64_t vram = 0) {
  sema::Machine m;
  m.id = MachineId{id};
  m.name = fmt::format("m{}", id);
  m.os = sema::Os::Linux;
  m.arch = sema::Arch::Amd64;
  m.k3s = sema::K3sMode::Native;
  m.reserved = {500, GiB};
  m.capacity = {cpu + 500, memory + GiB};
  if (cards) m.gpus.push_back(sema::GpuGroup{"X", cards, vram, 512 * MiB, {}});
  return m;
}

sema::Workload service(uint32_t id, int replicas, int64_t cpu, int64_t memory) {
  sema::Workload w;
  w.id = WorkloadId{id};
  w.kind = sema::WorkloadKind::Service;
  w.name = fmt::format("w{}", id);
  w.arch = {sema::Arch::Amd64};
  w.replicas = replicas;
  w.requests = {cpu, memory};
  return w;
}

/// Two machines (1 core, 1GiB; 2 cores, 2GiB with two 8GiB cards), a service
/// of two 500m/512MiB replicas, a whole-card service and a 3GiB sharer.
sema::Model hand_model() {
  sema::Model model;
  model.machines = {machine(0, 1000, GiB), machine(1, 2000, 2 * GiB, 2, 8 * GiB)};
  model.workloads = {service(0, 2, 500, 512 * MiB), service(1, 1, 100, 128 * MiB), service(2, 2, 100, 128 * MiB)};
  model.workloads[1].gpu = sema::GpuRequest{1, 6 * GiB, false, {}};
  model.workloads[2].gpu = sema::GpuRequest{1, 3 * GiB, true, {}};
  return model;
}

}  // namespace

TEST_CASE("placement tight: the checker, on placements worked out by hand") {
  sema::Model model = hand_model();
  const MachineId m0{0}, m1{1};
  const WorkloadId w0{0}, w1{1}, w2{2};
  // Valid: both w0 replicas fill m0 exactly; w1 takes card 0 whole; the two
  // sharers fit on card 1 (3 + 3 <= 8 - 0.5 GiB).
  std::vector<Assignment> good{{w0, 0, m0, {}}, {w0, 1, m0, {}}, {w1, 0, m1, {0}}, {w2, 0, m1, {1}}, {w2, 1, m1, {1}}};
  CHECK(tight::violations(model, good, true) == "");
  // The peak: m0's cpu and memory are full.
  CHECK(tight::peak_fraction(model, good) == doctest::Approx(1.0));

  struct Case {
    const char* name;
    std::vector<Assignment> assignments;
    bool complete;
    std::string want;
  };
  std::vector<Case> cases{
      {"a replica missing", {good.begin(), good.end() - 1}, true, "w2: not every replica placed"},
      {"a replica missing, incomplete allowed", {good.begin(), good.end() - 1}, false, ""},
      {"a replica twice", {{w0, 0, m0, {}}, {w0, 0, m1, {}}}, false, "w0: a replica placed twice"},
      {"a replica out of range", {{w0, 2, m0, {}}}, false, "w0: replica out of range"},
      {"a GPU replica without cards", {{w2, 0, m1, {}}}, false, "w2 on m1: wrong number of cards"},
      {"sharer and whole card on one card", {{w1, 0, m1, {0}}, {w2, 0, m1, {0}}}, false, "m1: card 0 whole and shared"},
      {"a card held whole twice", {{w1, 0, m1, {1}}, {w1, 0, m1, {1}}}, false, "m1: card 1 held whole twice"},
      {"a card that does not exist", {{w1, 0, m1, {2}}}, false, "w1 on m1: no such card"},
      {"a card twice in one replica", {{w2, 0, m1, {1, 1}}}, false, "w2 on m1: wrong number of cards"},
      {"a machine that does not exist", {{w0, 0, MachineId{7}, {}}}, false, "w0: no such machine"},
  };
  // cpu over: w0 needs 500m, three replicas on m0 (1 core).
  sema::Model three = model;
  three.workloads[0].replicas = 3;
  CHECK(tight::violations(three, {{w0, 0, m0, {}}, {w0, 1, m0, {}}, {w0, 2, m0, {}}}, true) == "m0: cpu over capacity");
  // memory over: 600MiB each on 1GiB.
  sema::Model heavy = model;
  heavy.workloads[0].requests = {100, 600 * MiB};
  CHECK(tight::violations(heavy, {{w0, 0, m0, {}}, {w0, 1, m0, {}}}, false) == "m0: memory over capacity");
  // VRAM over: three 3GiB sharers on a 7.5GiB card.
  sema::Model sharers = model;
  sharers.workloads[2].replicas = 3;
  CHECK(tight::violations(sharers, {{w2, 0, m1, {0}}, {w2, 1, m1, {0}}, {w2, 2, m1, {0}}}, false) == "m1: card 0 VRAM over budget");
  // A card too small: 8GiB less the reserve is below an 8GiB ask.
  sema::Model big = model;
  big.workloads[1].gpu->vram_bytes = 8 * GiB;
  CHECK(tight::violations(big, {{w1, 0, m1, {0}}}, false) == "w1 on m1: card too small");
  for (const auto& c : cases) {
    CAPTURE(c.name);
    CHECK(tight::violations(model, c.assignments, c.complete) == c.want);
  }

  // The static constraints, each broken alone.
  struct Static {
    const char* name;
    void (*spoil)(sema::Model&);
  };
  std::vector<Static> statics{
      {"arch", [](sema::Model& m) { m.machines[0].arch = sema::Arch::Arm64; }},
      {"taint", [](sema::Model& m) { m.machines[0].taints.push_back({"k", "v", sema::TaintEffect::NoSchedule, {}}); }},
      {"NoExecute taint", [](sema::Model& m) { m.machines[0].taints.push_back({"k", "", sema::TaintEffect::NoExecute, {}}); }},
      {"role", [](sema::Model& m) { m.workloads[0].roles.push_back(sema::RoleId{0}); }},
      {"pin", [](sema::Model& m) { m.workloads[0].on = MachineId{1}; }},
      {"avoid", [](sema::Model& m) { m.workloads[0].avoid.push_back(MachineId{0}); }},
      {"not joined", [](sema::Model& m) { m.machines[0].joined = false; }},
  };
  for (const auto& s : statics) {
    CAPTURE(s.name);
    sema::Model spoilt = model;
    s.spoil(spoilt);
    CHECK(tight::violations(spoilt, {{w0, 0, m0, {}}}, false) == "w0 on m0: a static constraint is broken");
  }
  // What does not break one: a PreferNoSchedule taint, a tolerated taint, a
  // held role, a preference elsewhere.
  sema::Model fine = model;
  fine.machines[0].taints.push_back({"p", "", sema::TaintEffect::PreferNoSchedule, {}});
  fine.machines[0].taints.push_back({"k", "v", sema::TaintEffect::NoSchedule, {}});
  fine.workloads[0].tolerations.push_back({"k", std::nullopt, std::nullopt, {}});
  fine.machines[0].roles.push_back(sema::RoleId{1});
  fine.workloads[0].roles.push_back(sema::RoleId{1});
  fine.workloads[0].prefer.push_back(MachineId{1});
  CHECK(tight::violations(fine, {{w0, 0, m0, {}}}, false) == "");
}

TEST_CASE("placement tight: the generator is deterministic, tight, and its witnesses hold") {
  struct Shape {
    tight::Size size;
    int low, high;  // replicas
  };
  for (Shape shape : {Shape{tight::Size::Small, 10, 60}, Shape{tight::Size::Large, 60, 400}}) {
    for (bool shared : {false, true}) {
      int sharers = 0, gpu = 0, tainted = 0, multi_card = 0;
      for (uint32_t seed = 1; seed <= 40; ++seed) {
        tight::GenOptions opt{shape.size, tight::Kind::Planted, shared};
        tight::Instance inst = tight::generate(seed, opt);
        CAPTURE(seed);
        INFO(tight::describe(inst.model));
        CHECK(tight::describe(tight::generate(seed, opt).model) == tight::describe(inst.model));
        int n = tight::total_replicas(inst.model);
        CHECK(n <= shape.high);
        // A workload may be dropped when no card is left for it, so the
        // floor is a little below the target's.
        CHECK(n >= shape.low / 2);
        CHECK(inst.model.machines.size() >= 3);
        CHECK(inst.model.machines.size() <= 15);
        CHECK(tight::violations(inst.model, inst.witness, true) == "");
        // Tight: every machine the witness uses is 85-100% full in cpu and in memory.
        for (const auto& m : inst.model.machines) {
          std::vector<Assignment> on;
          for (const auto& a : inst.witness)
            if (a.machine == m.id) on.push_back(a);
          if (on.empty()) continue;
          int64_t cpu = 0, memory = 0;
          for (const auto& a : on) {
            cpu += inst.model.workload(a.workload).requests.cpu_millis;
            memory += inst.model.workload(a.workload).requests.memory_bytes;
          }
          double c = static_cast<double>(cpu) / static_cast<double>(m.capacity.cpu_millis - m.reserved.cpu_millis);
          double mem = static_cast<double>(memory) / static_cast<double>(m.capacity.memory_bytes - m.reserved.memory_bytes);
          CHECK(std::min(c, mem) >= 0.85);
          CHECK(std::max(c, mem) <= 1.0);
        }
        for (const auto& w : inst.model.workloads)
          if (w.gpu) ++gpu, sharers += w.gpu->share;
        for (const auto& m : inst.model.machines) {
          tainted += !m.taints.empty();
          int cards = 0;
          for (const auto& g : m.gpus) cards += g.count;
          multi_card += cards > 1;
        }
        // A perturbed instance differs from its planted one.
        tight::Instance p = tight::generate(seed, {shape.size, tight::Kind::Perturbed, shared});
        CHECK(p.witness.empty());
        CHECK(tight::describe(p.model) != tight::describe(inst.model));
      }
      // The generator covers what it claims, often enough to mean something.
      CHECK(gpu >= 20);
      CHECK(tainted >= 20);
      CHECK(multi_card >= 20);
      if (shared) CHECK(sharers >= 10);
      else CHECK(sharers == 0);
    }
  }
}

TEST_CASE("placement tight: verdicts read from diagnostics, and what counts as a disagreement") {
  placement::Result clean;
  clean.diags.report(diag::Kind::UnmatchedToleration, {}, "a warning only");
  CHECK(tight::verdict_of(clean) == tight::Verdict::Placed);
  placement::Result proven;
  proven.diags.report(diag::Kind::PlacementInfeasible, {}, "w0 does not fit");
  CHECK(tight::verdict_of(proven) == tight::Verdict::Infeasible);
  placement::Result other;
  other.diags.report(diag::Kind::FileUnreadable, {}, "not a placement proof");
  CHECK(tight::verdict_of(other) == tight::Verdict::Unknown);

  using V = tight::Verdict;
  struct Case {
    V claw, reference;
    bool witness;
    const char* claw_violation;
    std::string want;
  };
  std::vector<Case> cases{
      {V::Placed, V::Placed, true, "", ""},
      {V::Infeasible, V::Infeasible, false, "", ""},
      {V::Placed, V::Unknown, false, "", ""},
      {V::Unknown, V::Unknown, false, "", ""},
      {V::Infeasible, V::Unknown, false, "", ""},
      {V::Placed, V::Unknown, true, "", ""},
      {V::Infeasible, V::Placed, false, "", "feasible (the reference placed it), claw says infeasible"},
      {V::Unknown, V::Placed, false, "", "feasible (the reference placed it), claw says unknown"},
      {V::Infeasible, V::Unknown, true, "", "feasible (a planted witness), claw says infeasible"},
      {V::Unknown, V::Infeasible, false, "", "the reference proves it infeasible, claw says unknown"},
      {V::Placed, V::Infeasible, true, "", "the reference calls a planted instance infeasible"},
      {V::Placed, V::Placed, false, "m0: cpu over capacity", "claw's placement breaks a constraint: m0: cpu over capacity"},
  };
  for (const auto& c : cases) {
    INFO("claw ", tight::verdict_name(c.claw), ", reference ", tight::verdict_name(c.reference), ", witness ", c.witness);
    tight::Outcome claw, ref;
    claw.verdict = c.claw;
    claw.violation = c.claw_violation;
    ref.verdict = c.reference;
    CHECK(tight::disagreement(claw, ref, c.witness) == c.want);
  }
}

// ------------------------------------------------------------------ claw against the reference

namespace {

/// Every instance of one shape: seeds `first`..`first + count - 1`.
struct Batch {
  tight::Size size;
  tight::Kind kind;
  bool shared;
  uint32_t first;
  int count;
};

std::string shape_name(const Batch& b) {
  static const char* names[2][2][2] = {{{"small planted", "small planted shared"}, {"small perturbed", "small perturbed shared"}},
                                       {{"large planted", "large planted shared"}, {"large perturbed", "large perturbed shared"}}};
  return names[b.size == tight::Size::Large][b.kind == tight::Kind::Perturbed][b.shared];
}

/// The reference's budget: generous, so that it finishes on every small
/// instance (a small instance it cannot decide fails the test).
constexpr double kReferenceSeconds = 30;

/// How many instances of a batch may stay undecided, each said as such
/// (`placement-undecided`), never contradicted: none in an optimised build.
/// The solver's budget is wall-clock, and a sanitizer build runs several
/// times slower, so there a batch may leave two.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr int kUndecidedAllowed = 2;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
constexpr int kUndecidedAllowed = 2;
#else
constexpr int kUndecidedAllowed = 0;
#endif
#else
constexpr int kUndecidedAllowed = 0;
#endif

/// Runs claw's default path on every instance of `batch`, and the reference
/// wherever claw does not return a valid placement (a valid placement,
/// checked independently of claw, proves feasibility by itself), and checks
/// they agree (claw saying it could not decide is counted, not compared).
void check_batch(const Batch& batch) {
  int placed = 0, infeasible = 0, undecided = 0;
  for (uint32_t seed = batch.first; seed < batch.first + static_cast<uint32_t>(batch.count); ++seed) {
    tight::Instance inst = tight::generate(seed, {batch.size, batch.kind, batch.shared});
    tight::Outcome claw = tight::run(inst.model, placement::Options{});
    if (claw.verdict == tight::Verdict::Placed && claw.violation.empty()) {
      ++placed;
      continue;
    }
    if (claw.verdict == tight::Verdict::Unknown && claw.violation.empty()) {
      ++undecided;  // said as undecided: never a contradiction, but bounded below
      continue;
    }
    tight::Outcome ref = tight::run(inst.model, tight::reference_options(kReferenceSeconds));
    (ref.verdict == tight::Verdict::Placed ? placed : ref.verdict == tight::Verdict::Infeasible ? infeasible : undecided)++;
    std::string why = tight::disagreement(claw, ref, !inst.witness.empty());
    INFO(shape_name(batch), " seed ", seed, ", ", tight::total_replicas(inst.model), " replicas: ", why, "\n",
         tight::describe(inst.model), "claw (", tight::verdict_name(claw.verdict), ", ", claw.search, "):\n", claw.diagnostics,
         "reference (", tight::verdict_name(ref.verdict), ", ", ref.search, "):\n", ref.diagnostics);
    CHECK(why == "");
  }
  MESSAGE(shape_name(batch), ": placed ", placed, ", proven infeasible ", infeasible, ", undecided ", undecided);
  CHECK(undecided <= kUndecidedAllowed);
  // The perturbed instances give both answers: the batch means something.
  if (batch.kind == tight::Kind::Perturbed && batch.count >= 10) CHECK(infeasible > 0);
}

}  // namespace

TEST_CASE("placement tight: claw's default path agrees with the reference up to 60 replicas") {
  for (bool shared : {false, true})
    for (tight::Kind kind : {tight::Kind::Planted, tight::Kind::Perturbed})
      check_batch(Batch{tight::Size::Small, kind, shared, 1000, 25});
}

TEST_CASE("placement tight: above 60 replicas, claw places every planted instance and agrees where the reference decides") {
  for (bool shared : {false, true})
    for (tight::Kind kind : {tight::Kind::Planted, tight::Kind::Perturbed})
      check_batch(Batch{tight::Size::Large, kind, shared, 2000, 5});
}

// Seeds where claw_placement_bench (tests/bench/README.md) found claw wrong,
// kept here so that each stays fixed. Planted seed 40 (56 replicas): its
// witness fills two machines' cpu exactly.
TEST_CASE("placement tight: instances the benchmark found") {
  check_batch(Batch{tight::Size::Small, tight::Kind::Planted, false, 40, 1});
}
