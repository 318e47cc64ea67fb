#include "compiler/placement/solve.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <string>

// CBC's headers are not warning-clean under this project's flags.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wshadow"
#pragma GCC diagnostic ignored "-Wpedantic"
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wdeprecated-copy"
#include <coin/CbcEventHandler.hpp>
#include <coin/CbcModel.hpp>
#include <coin/CbcSolver.hpp>
#include <coin/CoinModel.hpp>
#include <coin/OsiClpSolverInterface.hpp>
#pragma GCC diagnostic pop

namespace claw::placement {
namespace {

using sema::MachineId;

// The integer program, one kind at a time: the replicas of one workload are
// interchangeable, so the program counts them per machine (n[k][m]) instead
// of placing each, which takes the replicas' symmetry out of the search. A
// GPU kind also counts, per card, how many of its replicas use the card
// (z[k][m][c]): sum_c z = cards-per-replica × n and z ≤ n. Any such counts
// can be dealt out so that every replica gets distinct cards (McNaughton's
// wrap-around, see read()), so the program loses no placement and admits
// no impossible one.
//
// Rows, per machine: cpu and memory within what is left; per card: at most
// one replica holding it whole, never whole and shared at once (a binary
// s[m][c], 1: shared), the shared replicas' VRAM within its room. When the
// peak is minimised, a column t is at least each machine's cpu, memory and
// VRAM fraction, and the objective minimises t, then the soft preferences
// by small weights; otherwise the soft preferences alone. Amounts enter a
// row divided by their gcd (capacity rows) or as fractions (peak rows),
// never as raw bytes: see add_at_most.

struct Kind {
  sema::WorkloadId workload;
  Need need;
  const Item* first = nullptr;
  std::vector<size_t> items;  // indices into the items, in order
};

struct CardVar {
  size_t kind;
  int column;
};

struct MachineVars {
  std::vector<std::pair<size_t, int>> n;  // (kind, column)
  std::map<int, std::vector<CardVar>> cards;  // card index -> z columns
};

/// Stops the branch and bound `settle` nodes after its first solution: a
/// count, not a time, so that the same program always gives the same
/// placement. CBC clones its handlers, so the count they share lives
/// outside them.
class Settle : public CbcEventHandler {
 public:
  struct Shared {
    long settle = 0;
    bool found = false;
    long nodes = 0;  // since the first solution
  };
  explicit Settle(Shared* shared) : shared_(shared) {}
  CbcAction event(CbcEvent which) override {
    if (which == solution || which == heuristicSolution) shared_->found = true;
    if (which == node && shared_->found && ++shared_->nodes > shared_->settle) return stop;
    return noAction;
  }
  CbcEventHandler* clone() const override { return new Settle(*this); }

 private:
  Shared* shared_;
};

class Program {
 public:
  Program(const State& base, const std::vector<Item>& items) : base_(base), items_(items) {}

  /// Builds the program; false when it would be larger than `max_variables`.
  bool build(size_t max_variables, bool peak) {
    group();
    const auto& use = base_.use();
    const auto& cards = base_.cards();
    if (peak) {
      t_ = add_column(0, kInf, 1.0, false);
      double floor_t = 0;
      for (size_t m = 0; m < use.size(); ++m) floor_t = std::max(floor_t, machine_peak(use[m], cards[m]));
      model_.setColumnLower(t_, floor_t);
    }
    machines_.resize(use.size());
    const double load_weight = 1e-3 / static_cast<double>(std::max<size_t>(1, items_.size()));
    const double soft_weight = 1e-4 / static_cast<double>(std::max<size_t>(1, items_.size()));
    for (size_t k = 0; k < kinds_.size(); ++k) {
      const Kind& kind = kinds_[k];
      const auto count = static_cast<double>(kind.items.size());
      std::vector<std::pair<int, double>> total;
      for (MachineId m : kind.first->candidates) {
        const MachineUse& u = use[m.value];
        double most = count;
        if (kind.need.cpu > 0) most = std::min(most, std::floor(static_cast<double>(u.cpu_allocatable - u.cpu_used) / static_cast<double>(kind.need.cpu)));
        if (kind.need.memory > 0)
          most = std::min(most, std::floor(static_cast<double>(u.memory_allocatable - u.memory_used) / static_cast<double>(kind.need.memory)));
        if (most < 1) continue;
        std::vector<int> eligible;
        if (kind.need.gpus > 0) {
          eligible = eligible_cards(m, kind.need);
          if (static_cast<int>(eligible.size()) < kind.need.gpus) continue;
        }
        double cost = 0;
        if (!kind.first->prefer.empty() &&
            std::find(kind.first->prefer.begin(), kind.first->prefer.end(), m) == kind.first->prefer.end())
          cost += soft_weight;
        if (std::find(kind.first->soft_tainted.begin(), kind.first->soft_tainted.end(), m) != kind.first->soft_tainted.end())
          cost += soft_weight;
        // A small cost per replica, its share of the machine: CBC, given
        // integer columns without costs, solves its relaxation under a
        // random objective instead, slowly on large programs.
        cost += load_weight * (fraction(kind.need.cpu, u.cpu_allocatable) + fraction(kind.need.memory, u.memory_allocatable));
        int n = add_column(0, most, cost, true);
        machines_[m.value].n.emplace_back(k, n);
        total.emplace_back(n, 1.0);
        if (count >= 2 && most >= 2) {  // spread: y ≥ n - 1 costs each replica beyond the first
          int y = add_column(0, kInf, soft_weight, false);
          add_row({{y, 1.0}, {n, -1.0}}, -1.0, kInf);
        }
        if (kind.need.gpus > 0) {
          std::vector<std::pair<int, double>> per_replica{{n, -static_cast<double>(kind.need.gpus)}};
          for (int c : eligible) {
            int z = add_column(0, most, 0, true);
            machines_[m.value].cards[c].push_back(CardVar{k, z});
            per_replica.emplace_back(z, 1.0);
            if (kind.need.gpus > 1) add_row({{z, 1.0}, {n, -1.0}}, -kInf, 0);
          }
          add_row(per_replica, 0, 0);
        }
        if (columns_ > max_variables) return false;
      }
      // No machine has room for even one replica of this kind: no
      // placement exists, and CBC is not asked (it rejects a program
      // without columns).
      if (total.empty()) hopeless_ = true;
      add_row(total, count, count);
    }
    for (size_t m = 0; m < machines_.size(); ++m) machine_rows(MachineId{static_cast<uint32_t>(m)}, cards[m]);
    return true;
  }

  /// Whether some kind has no machine with room for one replica.
  bool hopeless() const { return hopeless_; }

  /// One run of CBC; `plain`: without preprocessing and cutting planes.
  Solved solve(const SolveOptions& options, bool plain) {
    Solved out;
    OsiClpSolverInterface solver;
    solver.messageHandler()->setLogLevel(0);
    solver.loadFromCoinModel(model_);
    CbcModel cbc(solver);
    cbc.setLogLevel(0);
    Settle::Shared settle{options.settle_nodes};
    if (options.settle_nodes >= 0) {
      Settle handler(&settle);
      cbc.passInEventHandler(&handler);
    }
    CbcSolverUsefulData data;
    data.noPrinting_ = true;
    CbcMain0(cbc, data);
    const std::string seconds = fmt::format("{}", options.seconds);
    const std::string gap = fmt::format("{}", std::max(0.0, options.gap));
    const char* argv[] = {"claw",      "-log",       "0",          "-slog",    "0",           "-timeMode",
                          "elapsed",   "-seconds",   seconds.c_str(), "-ratioGap", gap.c_str(), "-preprocess",
                          plain ? "off" : "on", "-cuts", plain ? "off" : "on", "-solve", "-quit"};
    CbcMain1(static_cast<int>(std::size(argv)), argv, cbc, [](CbcModel*, int) { return 0; }, data);
    const double* x = cbc.bestSolution();
    if (x) {
      out.where = read(x);
      // A solution that does not read as a placement of every item is not
      // taken: said to be undecided, never placed.
      out.verdict = out.where.size() == items_.size() ? Verdict::Placed : Verdict::Unknown;
    } else if (cbc.isProvenInfeasible() || (cbc.status() == 0 && !cbc.isSecondsLimitReached())) {
      out.verdict = Verdict::Infeasible;
    }
    return out;
  }

 private:
  static constexpr double kInf = std::numeric_limits<double>::infinity();

  void group() {
    std::map<uint32_t, size_t> by_workload;
    for (size_t i = 0; i < items_.size(); ++i) {
      const Item& it = items_[i];
      auto [at, fresh] = by_workload.try_emplace(it.workload.value, kinds_.size());
      if (fresh) kinds_.push_back(Kind{it.workload, it.need, &it, {}});
      kinds_[at->second].items.push_back(i);
    }
  }

  int add_column(double lower, double upper, double cost, bool integer) {
    const int c = static_cast<int>(columns_++);
    model_.setColumnBounds(c, lower, upper);
    model_.setObjective(c, cost);
    if (integer) model_.setInteger(c);
    return c;
  }

  void add_row(const std::vector<std::pair<int, double>>& terms, double lower, double upper) {
    std::vector<int> cols;
    std::vector<double> values;
    for (const auto& [c, v] : terms) {
      cols.push_back(c);
      values.push_back(v);
    }
    model_.addRow(static_cast<int>(cols.size()), cols.data(), values.data(), lower, upper);
  }

  using IntTerms = std::vector<std::pair<int, int64_t>>;

  /// sum a·x ≤ limit over integer columns, divided through by the gcd of the
  /// a's (the limit rounded down, which loses no integer solution). Amounts
  /// are bytes and millicores: rows of 1e10 and more, on which CBC's cuts
  /// lose validity (Gomory cuts cut off every placement of a planted
  /// instance); divided, they are a few thousand at most in practice.
  void add_at_most(const IntTerms& terms, int64_t limit) {
    int64_t g = 0;
    for (const auto& [c, a] : terms) g = std::gcd(g, a < 0 ? -a : a);
    if (g == 0) g = 1;
    const int64_t bound = limit >= 0 ? limit / g : -((-limit + g - 1) / g);
    std::vector<std::pair<int, double>> scaled;
    for (const auto& [c, a] : terms) scaled.emplace_back(c, static_cast<double>(a / g));
    add_row(scaled, -kInf, static_cast<double>(bound));
  }

  /// The peak's row for one resource: (used + sum a·x) / capacity ≤ t, with
  /// the fractions rather than the amounts as coefficients.
  void add_peak_row(const IntTerms& terms, int64_t used, int64_t capacity) {
    std::vector<std::pair<int, double>> scaled;
    for (const auto& [c, a] : terms) scaled.emplace_back(c, fraction(a, capacity));
    scaled.emplace_back(t_, -1.0);
    add_row(scaled, -kInf, -fraction(used, capacity));
  }

  static double fraction(int64_t used, int64_t capacity) {
    return capacity > 0 ? static_cast<double>(used) / static_cast<double>(capacity) : 0.0;
  }

  int64_t room(MachineId m, int c) const {
    const Card& card = base_.cards()[m.value][static_cast<size_t>(c)];
    return card.vram_bytes - card.reserve_bytes - base_.use()[m.value].vram_used[static_cast<size_t>(c)];
  }

  /// The cards of `m` a replica of `need` could use, given what `base` holds.
  std::vector<int> eligible_cards(MachineId m, const Need& need) const {
    const MachineUse& u = base_.use()[m.value];
    std::vector<int> out;
    for (const Card& c : base_.cards()[m.value]) {
      auto i = static_cast<size_t>(c.index);
      if (u.exclusive_users[i] > 0 || room(m, c.index) < need.vram) continue;
      if (!need.share && u.shared_users[i] > 0) continue;
      out.push_back(c.index);
    }
    return out;
  }

  void machine_rows(MachineId m, const std::vector<Card>& cards) {
    const MachineVars& vars = machines_[m.value];
    if (vars.n.empty()) return;
    const MachineUse& u = base_.use()[m.value];
    // cpu and memory: within what is left, and each fraction at most t.
    auto resource = [&](auto amount, int64_t used, int64_t allocatable) {
      IntTerms terms;
      for (const auto& [k, col] : vars.n)
        if (int64_t a = amount(kinds_[k].need); a > 0) terms.emplace_back(col, a);
      if (terms.empty()) return;
      add_at_most(terms, allocatable - used);
      if (t_ >= 0 && allocatable > 0) add_peak_row(terms, used, allocatable);
    };
    resource([](const Need& n) { return n.cpu; }, u.cpu_used, u.cpu_allocatable);
    resource([](const Need& n) { return n.memory; }, u.memory_used, u.memory_allocatable);
    if (vars.cards.empty()) return;
    int64_t usable_total = 0, used_total = 0;
    for (size_t c = 0; c < cards.size(); ++c) {
      usable_total += cards[c].vram_bytes - cards[c].reserve_bytes;
      used_total += u.vram_used[c];
    }
    IntTerms vram_terms;
    for (const auto& [c, zs] : vars.cards) {
      const Card& card = cards[static_cast<size_t>(c)];
      const int64_t usable = card.vram_bytes - card.reserve_bytes;
      std::vector<std::pair<int, double>> whole, shared;
      IntTerms shared_vram;
      double sharers = 0;
      for (const CardVar& z : zs) {
        const Need& need = kinds_[z.kind].need;
        if (need.share) {
          shared.emplace_back(z.column, 1.0);
          sharers += static_cast<double>(kinds_[z.kind].items.size());
          if (need.vram > 0) {
            shared_vram.emplace_back(z.column, need.vram);
            vram_terms.emplace_back(z.column, need.vram);
          }
        } else {
          whole.emplace_back(z.column, 1.0);
          vram_terms.emplace_back(z.column, usable);
        }
      }
      if (!whole.empty() && !shared.empty()) {
        const int s = add_column(0, 1, 0, true);  // 1: the card is shared
        whole.emplace_back(s, 1.0);
        shared.emplace_back(s, -sharers);
        add_row(shared, -kInf, 0);
      }
      if (!whole.empty()) add_row(whole, -kInf, 1);
      if (!shared_vram.empty()) add_at_most(shared_vram, room(m, c));
    }
    break_card_symmetry(m, cards);
    if (t_ >= 0 && usable_total > 0 && !vram_terms.empty()) add_peak_row(vram_terms, used_total, usable_total);
  }

  /// Cards of one machine in the same state (size, reserve, what the base
  /// holds on them) are interchangeable: any placement can swap them. So
  /// each such card is required to carry at least the load of the next
  /// one, which keeps one of the equivalent placements rather than all.
  void break_card_symmetry(MachineId m, const std::vector<Card>& cards) {
    const MachineVars& vars = machines_[m.value];
    const MachineUse& u = base_.use()[m.value];
    auto state = [&](int c) {
      auto i = static_cast<size_t>(c);
      return std::make_tuple(cards[i].vram_bytes, cards[i].reserve_bytes, u.vram_used[i], u.exclusive_users[i], u.shared_users[i]);
    };
    // The load: how many replicas use the card. Any measure the same for
    // every card would do; a count keeps the row's coefficients at ±1
    // (bytes beside 1s made CBC reject its own solutions as infeasible).
    auto load = [&](int c, int64_t sign, IntTerms& terms) {
      for (const CardVar& z : vars.cards.at(c)) terms.emplace_back(z.column, sign);
    };
    std::map<decltype(state(0)), int> last;  // per state: the previous card in it
    for (const auto& [c, zs] : vars.cards) {
      auto [at, fresh] = last.try_emplace(state(c), c);
      if (fresh) continue;
      IntTerms terms;  // the next card's load minus this one's, at most 0
      load(c, 1, terms);
      load(at->second, -1, terms);
      add_at_most(terms, 0);
      at->second = c;
    }
  }

  static int64_t whole(double v) { return std::llround(v); }

  /// The solution as a machine and cards per item.
  std::vector<std::pair<MachineId, std::vector<int>>> read(const double* x) const {
    std::vector<std::pair<MachineId, std::vector<int>>> out(items_.size());
    std::vector<size_t> next(kinds_.size(), 0);  // per kind: its next item without a place
    for (size_t m = 0; m < machines_.size(); ++m) {
      const MachineVars& vars = machines_[m];
      for (const auto& [k, col] : vars.n) {
        const int64_t n = whole(x[col]);
        if (n <= 0) continue;
        const Kind& kind = kinds_[k];
        // The kind's card uses on this machine, card by card, as a list.
        std::vector<int> uses;
        for (const auto& [c, zs] : vars.cards)
          for (const CardVar& z : zs)
            if (z.kind == k)
              for (int64_t i = 0; i < whole(x[z.column]); ++i) uses.push_back(c);
        if (static_cast<int64_t>(uses.size()) != n * kind.need.gpus) return {};  // not a placement: the caller checks
        for (int64_t r = 0; r < n; ++r) {
          std::vector<int> got;
          // McNaughton's wrap-around: replica r takes uses r, r+n, r+2n...;
          // no card appears more than n times in a row, so they differ.
          for (int g = 0; g < kind.need.gpus; ++g) got.push_back(uses[static_cast<size_t>(r + g * n)]);
          std::sort(got.begin(), got.end());
          if (next[k] >= kind.items.size()) return {};
          out[kind.items[next[k]++]] = {MachineId{static_cast<uint32_t>(m)}, std::move(got)};
        }
      }
    }
    for (size_t k = 0; k < kinds_.size(); ++k)
      if (next[k] != kinds_[k].items.size()) return {};
    return out;
  }

  const State& base_;
  const std::vector<Item>& items_;
  std::vector<Kind> kinds_;
  std::vector<MachineVars> machines_;
  CoinModel model_;
  size_t columns_ = 0;
  int t_ = -1;  // the peak's column, when minimised
  bool hopeless_ = false;
};

}  // namespace

bool holds(const State& base, const std::vector<Item>& items, const Solved& solved) {
  if (solved.verdict != Verdict::Placed || solved.where.size() != items.size()) return false;
  State s = base;
  for (size_t i = 0; i < items.size(); ++i) {
    const auto& [m, cards] = solved.where[i];
    const auto& ok = items[i].candidates;
    if (std::find(ok.begin(), ok.end(), m) == ok.end() || !s.fits_at(m, items[i].need, cards)) return false;
    s.apply(m, items[i].need, cards, +1);
  }
  return true;
}

namespace {

/// A placement only once it is checked (holds): one that does not check
/// out is undecided, never placed.
Solved checked(const State& base, const std::vector<Item>& items, Solved solved) {
  if (solved.verdict == Verdict::Placed && !holds(base, items, solved)) return Solved{};
  return solved;
}

}  // namespace

Solved solve_exact(const State& base, const std::vector<Item>& items, const SolveOptions& options) {
  if (items.empty()) return Solved{Verdict::Placed, {}};
  if (options.seconds <= 0) return Solved{};
  Program program(base, items);
  if (!program.build(options.max_variables, options.minimise_peak)) return Solved{};
  if (program.hopeless()) return Solved{Verdict::Infeasible, {}};
  const auto start = std::chrono::steady_clock::now();
  Solved first = program.solve(options, false);
  if (first.verdict != Verdict::Infeasible) return checked(base, items, std::move(first));
  // "None exists" is the one answer a user acts on by buying hardware, so
  // it is asked twice: again as a plain branch and bound, without CBC's
  // preprocessing and cuts, the parts of a solver most likely to cut off a
  // placement wrongly (Gomory cuts did, on rows in bytes).
  SolveOptions again = options;
  again.seconds -= std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (again.seconds <= 0) return Solved{};
  return checked(base, items, program.solve(again, true));
}

double peak_utilisation(const std::vector<MachineUse>& use, const std::vector<std::vector<Card>>& cards) {
  double peak = 0;
  for (size_t m = 0; m < use.size() && m < cards.size(); ++m) peak = std::max(peak, machine_peak(use[m], cards[m]));
  return peak;
}

double peak_utilisation(const Placement& p) { return peak_utilisation(p.use, p.cards); }

}  // namespace claw::placement
