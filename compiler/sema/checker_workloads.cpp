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

}  // namespace

Checker::Checker(Checker& main)
    : program_(main.program_), sink_(nullptr), tables_(main.tables_), frozen_(true) {}

void Checker::check_and_lower(DeclInfo& info, Workload& w, const Model& m) {
  check_one(info, RefKind::Workload);
  if (!unsettled_) lower_workload(info, w, m);
  info.value = Value::poison(info.item->name.span);  // done with: dropped now, which keeps peak memory down
}

WorkloadWorker::WorkloadWorker(Checker& main) : main_(main) {
  unsigned threads = main.program_.threads ? main.program_.threads : std::thread::hardware_concurrency();
  if (threads > 1) thread_ = std::jthread([this] { work(); });
}

WorkloadWorker::~WorkloadWorker() {
  int idle = kIdle;
  if (state_.compare_exchange_strong(idle, kNone)) state_.notify_one();
}  // and the thread is joined

void WorkloadWorker::start(size_t from, const Model& m) {
  from_ = from;
  model_ = &m;
  state_ = kWork;
  state_.notify_one();
}

void WorkloadWorker::finish() { thread_.join(); }

void WorkloadWorker::work() {
  state_.wait(kIdle);
  if (state_ != kWork) return;
  Checker c(main_);
  std::vector<DeclInfo>& list = main_.tables_.workloads;
  results_.reserve(list.size() - from_);
  for (size_t i = from_; i < list.size(); ++i) {
    Result& out = results_.emplace_back();
    diag::Sink sink;
    c.sink_ = &sink;
    c.unsettled_ = false;
    size_t marks = c.templates_used_.size();
    c.check_and_lower(list[i], out.workload, *model_);
    out.settled = !c.unsettled_;
    if (out.settled) out.diags = std::move(sink.all());
    else c.templates_used_.resize(marks);
  }
  marked_ = std::move(c.templates_used_);
}

void Checker::check_workloads(Model& m, WorkloadWorker& worker) {
  std::vector<DeclInfo>& list = tables_.workloads;
  size_t n = list.size();
  bool parallel = worker.available() && n >= kParallelFrom;
  size_t half = parallel ? n / 2 : n;
  if (parallel) worker.start(half, m);
  for (size_t i = 0; i < half; ++i) check_and_lower(list[i], m.workloads.emplace_back(), m);
  if (!parallel) return;
  // Places for the worker's workloads, made (their memory first touched)
  // while it may still be at work, rather than one by one as they come in.
  m.workloads.resize(n);
  worker.finish();
  for (size_t i = half; i < n; ++i) {
    WorkloadWorker::Result& done = worker.results_[i - half];
    if (done.settled) {
      m.workloads[i] = std::move(done.workload);
      for (auto& d : done.diags) sink_->report(std::move(d));
    } else {
      check_and_lower(list[i], m.workloads[i], m);
    }
  }
  for (const auto& name : worker.marked_) tables_.template_used[name] = true;
}

}  // namespace claw::sema::detail
