// Checking the many declarations, machines and workloads, in two threads
// when there are many. The main checker checks the first ones of a kind in
// order, as it would alone; a worker checks the rest at the same time, from
// the front, and main joins it from the back once done with its own. Both
// read the lets and field defaults, every one evaluated before any
// declaration is checked (Checker::evaluate_eagerly), and set aside each
// declaration that would report what is reported once, in order (the
// program's copy bound): it is "unsettled", and they are frozen. Main then
// takes in the declarations and diagnostics in order, checking each
// unsettled one itself, unfrozen, when its turn comes.
//
// The result, diagnostics and their order included, is the one checking in
// order gives: a let or a default never changes once evaluated, and a
// settled declaration reported only what is its own; the unsettled ones are
// checked in order, after all that precedes them.
#include <algorithm>
#include <iterator>
#include <thread>
#include <type_traits>
#include <utility>

#include "compiler/sema/checker.h"
#include "compiler/sema/reuse.h"

namespace claw::sema::detail {

namespace {

// Below this many declarations of a kind, a second thread costs about what
// it saves.
constexpr size_t kParallelFrom = 512;

}  // namespace

Checker::Checker(Checker& main)
    : program_(main.program_), sink_(nullptr), tables_(main.tables_), frozen_(true) {
  if (main.recorded_) recorded_ = std::make_unique<Recorded>();
}

void Checker::check_and_lower(DeclInfo& info, Machine& out, const Model& m) {
  check_one(info, RefKind::Machine);
  if (!unsettled_) lower_machine(info, out, m);
}

void Checker::check_and_lower(DeclInfo& info, Workload& out, const Model& m) {
  check_one(info, RefKind::Workload);
  if (!unsettled_) lower_workload(info, out, m);
  info.value = Value::poison(info.item->name.span);  // done with: dropped now, which keeps peak memory down
}

template <class Lowered>
bool Checker::check_aside(DeclInfo& info, Lowered& out, const Model& m, std::vector<diag::Diagnostic>& diags,
                          DeclUses* uses) {
  diag::Sink sink;
  diag::Sink* outer = std::exchange(sink_, &sink);
  unsettled_ = false;
  auto mark = uses_mark();
  check_and_lower(info, out, m);
  sink_ = outer;
  if (std::exchange(unsettled_, false)) {
    drop_uses_since(mark);
    return false;
  }
  diags = std::move(sink.all());
  if (uses) *uses = uses_since(mark);
  return true;
}

DeclUses Checker::uses_since(std::pair<size_t, size_t> mark) const {
  auto from = [](const auto& v, size_t at) { return v.begin() + static_cast<std::ptrdiff_t>(at); };
  return DeclUses{{from(templates_used_, mark.first), templates_used_.end()},
                  {from(machines_read_, mark.second), machines_read_.end()}};
}

void Checker::drop_uses_since(std::pair<size_t, size_t> mark) {
  templates_used_.resize(mark.first);
  machines_read_.resize(mark.second);
}

template <class Lowered>
void Checker::check_traced(DeclInfo& info, Lowered& out, const Model& m, Trace& trace) {
  diag::Sink sink;
  diag::Sink* outer = std::exchange(sink_, &sink);
  auto mark = uses_mark();
  check_and_lower(info, out, m);
  sink_ = outer;
  trace.diags = std::move(sink.all());
  for (const auto& d : trace.diags) sink_->report(d);
  trace.uses = uses_since(mark);
  drop_uses_since(mark);
}

template void Checker::check_traced(DeclInfo&, Machine&, const Model&, Trace&);
template void Checker::check_traced(DeclInfo&, Workload&, const Model&, Trace&);

Worker::Worker(Checker& main) : main_(main) {
  unsigned threads = main.program_.threads ? main.program_.threads : std::thread::hardware_concurrency();
  if (threads > 1) thread_ = std::jthread([this] { work(); });
}

Worker::~Worker() {
  wait();
  state_ = kQuit;
  state_.notify_one();
}  // and the thread is joined

void Worker::start(std::function<void()> task) {
  job_ = Job::Task;
  task_ = std::move(task);
  state_ = kBusy;
  state_.notify_one();
}

void Worker::start(Job job, size_t from, size_t to, const Model& m) {
  job_ = job;
  model_ = &m;
  open_ = static_cast<uint64_t>(to) << 32 | from;
  state_ = kBusy;
  state_.notify_one();
}

bool Worker::take(size_t& i, bool back) {
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

void Worker::wait() {
  for (int state = state_.load(); state == kBusy; state = state_.load()) state_.wait(kBusy);
}

void Worker::work() {
  Checker c(main_);
  auto run = [&](std::vector<DeclInfo>& list, auto& done) {
    for (size_t i; take(i, false);) {
      auto& out = done.emplace_back();
      out.settled = c.check_aside(list[i], out.lowered, *model_, out.diags, main_.traces_ ? &out.uses : nullptr);
    }
  };
  for (;;) {
    state_.wait(kIdle);
    if (state_ == kQuit) return;
    if (job_ == Job::Task) {
      std::exchange(task_, nullptr)();
      state_ = kIdle;
      state_.notify_one();
      continue;
    }
    if (job_ == Job::Machines) run(main_.tables_.machines, machines_);
    else run(main_.tables_.workloads, workloads_);
    std::move(c.templates_used_.begin(), c.templates_used_.end(), std::back_inserter(marked_));
    if (c.recorded_) recorded_.absorb(std::move(*c.recorded_));
    c.templates_used_.clear();
    c.machines_read_.clear();
    state_ = kIdle;
    state_.notify_one();
  }
}

template <class Lowered>
void Checker::check_shared(Job job, std::vector<DeclInfo>& list, std::vector<Lowered>& out, Model& m, Worker& worker) {
  size_t n = list.size();
  bool parallel = worker.available() && n >= kParallelFrom;
  // The main thread checks the first declarations in order (fewer than half:
  // it also makes the places for the rest, and takes them in), then helps
  // the worker from the back; where they meet follows how fast each goes.
  size_t first = parallel ? n * 2 / 5 : n;
  if (traces_) traces_->resize(n);
  if (parallel) worker.start(job, first, n, m);
  for (size_t i = 0; i < first; ++i) {
    if (traces_) check_traced(list[i], out.emplace_back(), m, (*traces_)[i]);
    else check_and_lower(list[i], out.emplace_back(), m);
  }
  if (!parallel) return;
  // Places for the rest, made (their memory first touched) while the worker
  // is still at work, rather than one by one as its declarations come in.
  out.resize(n);
  std::vector<Aside> back;  // from the last declaration down
  frozen_ = true;
  for (size_t i; worker.take_back(i);) {
    Aside& aside = back.emplace_back();
    aside.settled = check_aside(list[i], out[i], m, aside.diags, traces_ ? &aside.uses : nullptr);
  }
  frozen_ = false;
  worker.wait();
  if constexpr (std::is_same_v<Lowered, Machine>) take_in(list, out, first, worker.machines_, back, m);
  else take_in(list, out, first, worker.workloads_, back, m);
  if (!traces_)  // else each declaration's trace holds what it marked
    for (const auto& name : worker.marked_) tables_.template_used[name] = true;
  worker.marked_.clear();
  if (recorded_) recorded_->absorb(std::move(worker.recorded_));
}

template <class Lowered>
void Checker::take_in(std::vector<DeclInfo>& list, std::vector<Lowered>& out, size_t first,
                      std::vector<Worker::Done<Lowered>>& by_worker, std::vector<Aside>& back, const Model& m) {
  size_t n = list.size(), met = first + by_worker.size();
  stats_.shared += n;
  stats_.by_worker += by_worker.size();
  for (size_t i = first; i < n; ++i) {
    bool settled = i < met ? by_worker[i - first].settled : back[n - 1 - i].settled;
    if (!settled) {
      ++stats_.rechecked;
      // Its place is still as made: nothing was lowered into it.
      if (traces_) check_traced(list[i], out[i], m, (*traces_)[i]);
      else check_and_lower(list[i], out[i], m);
      continue;
    }
    if (i < met) out[i] = std::move(by_worker[i - first].lowered);
    auto& diags = i < met ? by_worker[i - first].diags : back[n - 1 - i].diags;
    if (traces_) {
      (*traces_)[i].diags = diags;
      (*traces_)[i].uses = std::move(i < met ? by_worker[i - first].uses : back[n - 1 - i].uses);
    }
    for (auto& d : diags) sink_->report(std::move(d));
  }
  by_worker.clear();
  if (!traces_)
    for (const auto& name : templates_used_) tables_.template_used[name] = true;
  templates_used_.clear();
  machines_read_.clear();
}

template void Checker::check_shared(Job, std::vector<DeclInfo>&, std::vector<Machine>&, Model&, Worker&);
template void Checker::check_shared(Job, std::vector<DeclInfo>&, std::vector<Workload>&, Model&, Worker&);

}  // namespace claw::sema::detail
