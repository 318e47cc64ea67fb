// Checking the workloads, most of a network's declarations, in two threads
// when there are many. The main checker checks the first half in order, as
// it would alone; a worker checks the second half at the same time, reading
// the lets and field defaults main has evaluated so far and setting aside
// each declaration that needs one main has not (it is "unsettled"). Main then
// takes in the worker's workloads and diagnostics in order, checking each
// unsettled declaration itself when its turn comes.
//
// The result, diagnostics and their order included, is the one checking in
// order gives: a let or a default, once evaluated, never changes, and what
// the worker read, main evaluated for an earlier declaration; a settled
// declaration evaluated nothing new, so it would have evaluated nothing new
// in order either; the unsettled ones are checked in order, after all that
// precedes them.
#include <thread>

#include "compiler/sema/checker.h"

namespace claw::sema::detail {

namespace {

// Below this many workloads a second thread costs about what it saves.
constexpr size_t kParallelFrom = 512;

// A workload the worker checked and lowered, with what it reported.
struct Checked {
  Workload workload;
  std::vector<diag::Diagnostic> diags;
  bool settled = false;
};

}  // namespace

Checker::Checker(Checker& main)
    : program_(main.program_), sink_(nullptr), tables_(main.tables_), frozen_(true) {}

void Checker::check_workloads(Model& m) {
  std::vector<DeclInfo>& list = tables_.workloads;
  // Each value tree is dropped once lowered, which keeps peak memory down.
  auto check_and_lower = [&m](Checker& c, DeclInfo& info, Workload& w) {
    c.check_one(info, RefKind::Workload);
    if (!c.unsettled_) c.lower_workload(info, w, m);
    info.value = Value::poison(info.item->name.span);
  };
  size_t n = list.size();
  unsigned threads = program_.threads ? program_.threads : std::thread::hardware_concurrency();
  bool parallel = n >= kParallelFrom && threads > 1;
  size_t half = parallel ? n / 2 : n;

  std::vector<Checked> second;
  std::vector<std::string> marked;  // the templates the worker's settled declarations use
  std::jthread worker;  // joined however this returns
  if (parallel)
    worker = std::jthread([&] {
      Checker c(*this);
      second.reserve(n - half);
      for (size_t i = half; i < n; ++i) {
        Checked& out = second.emplace_back();
        diag::Sink sink;
        c.sink_ = &sink;
        c.unsettled_ = false;
        size_t marks = c.templates_used_.size();
        check_and_lower(c, list[i], out.workload);
        out.settled = !c.unsettled_;
        if (out.settled) out.diags = std::move(sink.all());
        else c.templates_used_.resize(marks);
      }
      marked = std::move(c.templates_used_);
    });

  for (size_t i = 0; i < half; ++i) check_and_lower(*this, list[i], m.workloads.emplace_back());
  if (!parallel) return;
  // Places for the worker's workloads, made (their memory first touched)
  // while it may still be at work, rather than one by one as they come in.
  m.workloads.resize(n);
  worker.join();
  for (size_t i = half; i < n; ++i) {
    Checked& done = second[i - half];
    if (done.settled) {
      m.workloads[i] = std::move(done.workload);
      for (auto& d : done.diags) sink_->report(std::move(d));
    } else {
      check_and_lower(*this, list[i], m.workloads[i]);
    }
  }
  for (const auto& name : marked) tables_.template_used[name] = true;
}

}  // namespace claw::sema::detail
