// Checking the workloads, most of a network's declarations, in two threads
// when there are many. The main checker checks the first ones in order, as
// it would alone; a worker checks the rest at the same time, from the front,
// and main joins it from the back once done with its own. Both read the lets
// and field defaults main evaluated for its own workloads, and set aside each
// workload that needs one main has not (it is "unsettled"): they are frozen.
// Main then takes in the workloads and diagnostics in order, checking each
// unsettled workload itself, unfrozen, when its turn comes.
//
// The result, diagnostics and their order included, is the one checking in
// order gives: a let or a default, once evaluated, never changes, and what
// a frozen check read, main evaluated for an earlier workload; a settled
// workload evaluated nothing new, so it would have evaluated nothing new in
// order either; the unsettled ones are checked in order, after all that
// precedes them.
#include <thread>
#include <utility>

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

bool Checker::check_aside(DeclInfo& info, Workload& w, const Model& m, std::vector<diag::Diagnostic>& diags) {
  diag::Sink sink;
  diag::Sink* outer = std::exchange(sink_, &sink);
  unsettled_ = false;
  size_t marks = templates_used_.size();
  check_and_lower(info, w, m);
  sink_ = outer;
  if (std::exchange(unsettled_, false)) {
    templates_used_.resize(marks);
    return false;
  }
  diags = std::move(sink.all());
  return true;
}

WorkloadWorker::WorkloadWorker(Checker& main) : main_(main) {
  unsigned threads = main.program_.threads ? main.program_.threads : std::thread::hardware_concurrency();
  if (threads > 1) thread_ = std::jthread([this] { work(); });
}

WorkloadWorker::~WorkloadWorker() {
  int idle = kIdle;
  if (state_.compare_exchange_strong(idle, kNone)) state_.notify_one();
}  // and the thread is joined

void WorkloadWorker::start(size_t from, size_t to, const Model& m) {
  model_ = &m;
  open_ = static_cast<uint64_t>(to) << 32 | from;
  state_ = kWork;
  state_.notify_one();
}

bool WorkloadWorker::take(size_t& i, bool back) {
  uint64_t open = open_.load();
  uint64_t rest;
  do {
    uint64_t from = open & 0xffffffff, to = open >> 32;
    if (from >= to) return false;
    i = back ? to - 1 : from;
    rest = back ? (to - 1) << 32 | from : to << 32 | (from + 1);
  } while (!open_.compare_exchange_weak(open, rest));
  return true;
}

void WorkloadWorker::finish() { thread_.join(); }

void WorkloadWorker::work() {
  state_.wait(kIdle);
  if (state_ != kWork) return;
  Checker c(main_);
  std::vector<DeclInfo>& list = main_.tables_.workloads;
  size_t i;
  while (take(i, false)) {
    Result& out = results_.emplace_back();
    out.settled = c.check_aside(list[i], out.workload, *model_, out.diags);
  }
  marked_ = std::move(c.templates_used_);
}

void Checker::check_workloads(Model& m, WorkloadWorker& worker) {
  std::vector<DeclInfo>& list = tables_.workloads;
  size_t n = list.size();
  bool parallel = worker.available() && n >= kParallelFrom;
  // The main thread checks the first workloads in order, then helps the
  // worker from the back; where they meet depends on how fast each goes.
  size_t first = parallel ? n * 2 / 5 : n;
  if (parallel) worker.start(first, n, m);
  for (size_t i = 0; i < first; ++i) check_and_lower(list[i], m.workloads.emplace_back(), m);
  if (!parallel) return;
  // Places for the rest, made (their memory first touched) while the worker
  // is still at work, rather than one by one as its workloads come in.
  m.workloads.resize(n);
  struct Aside {
    bool settled;
    std::vector<diag::Diagnostic> diags;
  };
  std::vector<Aside> back;  // from the last workload down
  frozen_ = true;
  for (size_t i; worker.take_back(i);) {
    Aside& out = back.emplace_back();
    out.settled = check_aside(list[i], m.workloads[i], m, out.diags);
  }
  frozen_ = false;
  worker.finish();

  size_t met = first + worker.results_.size();
  for (size_t i = first; i < n; ++i) {
    bool settled;
    std::vector<diag::Diagnostic>* diags;
    if (i < met) {
      WorkloadWorker::Result& done = worker.results_[i - first];
      if (done.settled) m.workloads[i] = std::move(done.workload);
      settled = done.settled;
      diags = &done.diags;
    } else {
      Aside& done = back[n - 1 - i];
      settled = done.settled;
      diags = &done.diags;
    }
    if (settled) {
      for (auto& d : *diags) sink_->report(std::move(d));
    } else {
      check_and_lower(list[i], m.workloads[i], m);  // its place is still as made: nothing was lowered into it
    }
  }
  for (const auto& name : worker.marked_) tables_.template_used[name] = true;
  for (const auto& name : templates_used_) tables_.template_used[name] = true;
  templates_used_.clear();
}

}  // namespace claw::sema::detail
