#include "tests/unit/placement_tight_gen.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <random>
#include <sstream>

namespace claw::tight {

namespace {

using sema::Arch;
using sema::K3sMode;
using sema::Machine;
using sema::MachineId;
using sema::Model;
using sema::TaintEffect;
using sema::Workload;
using sema::WorkloadKind;

constexpr int64_t MiB = 1LL << 20;
constexpr int64_t GiB = 1LL << 30;

/// Deterministic on every platform: mt19937's sequence is fixed by the
/// standard, and plain modulo instead of the (implementation-defined)
/// distributions.
struct Rng {
  std::mt19937 gen;
  explicit Rng(uint32_t seed) : gen(seed) {}
  int below(int n) { return n <= 1 ? 0 : static_cast<int>(gen() % static_cast<uint32_t>(n)); }
  bool chance(int percent) { return below(100) < percent; }
  /// A fraction in [0, 1), in steps of 1/1000.
  double unit() { return below(1000) / 1000.0; }
  template <class T>
  const T& pick(const std::vector<T>& v) { return v[static_cast<size_t>(below(static_cast<int>(v.size())))]; }
  template <class T>
  void shuffle(std::vector<T>& v) {
    for (size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[static_cast<size_t>(below(static_cast<int>(i)))]);
  }
};

// ------------------------------------------------------------------ the hard constraints, from the Model alone

/// A card's usable VRAM (after the driver's reserve), the machine's groups
/// flattened in order.
std::vector<int64_t> usable_cards(const Machine& m) {
  std::vector<int64_t> out;
  for (const auto& g : m.gpus)
    for (int i = 0; i < g.count; ++i) out.push_back(g.vram_bytes - g.reserve_bytes);
  return out;
}

int replicas_of(const Workload& w) { return w.kind == WorkloadKind::Service ? w.replicas : std::max(1, w.parallelism); }

bool tolerated(const Workload& w, const sema::Taint& t) {
  return w.tolerate_all || std::any_of(w.tolerations.begin(), w.tolerations.end(), [&](const sema::Toleration& tol) {
           return tol.key == t.key && (!tol.value || *tol.value == t.value) && (!tol.effect || *tol.effect == t.effect);
         });
}

/// Whether `w` may ever run on `m`: everything but capacity and cards. A
/// PreferNoSchedule taint only discourages (Kubernetes' taint effects).
bool may_run(const Workload& w, const Machine& m) {
  if (!m.joined || m.k3s == K3sMode::None) return false;
  if (std::find(w.arch.begin(), w.arch.end(), m.arch) == w.arch.end()) return false;
  for (const auto& t : m.taints)
    if (t.effect != TaintEffect::PreferNoSchedule && !tolerated(w, t)) return false;
  if (w.on && !(*w.on == m.id)) return false;
  for (auto r : w.roles)
    if (std::find(m.roles.begin(), m.roles.end(), r) == m.roles.end()) return false;
  return std::find(w.avoid.begin(), w.avoid.end(), m.id) == w.avoid.end();
}

/// What is in use on every machine and card.
struct Load {
  struct MachineLoad {
    int64_t cpu = 0, memory = 0;
    std::vector<int> exclusive, shared;
    std::vector<int64_t> shared_vram;
  };
  std::vector<MachineLoad> machines;

  explicit Load(const Model& model) {
    for (const auto& m : model.machines) {
      size_t n = usable_cards(m).size();
      machines.push_back(MachineLoad{0, 0, std::vector<int>(n), std::vector<int>(n), std::vector<int64_t>(n)});
    }
  }

  void add(const Workload& w, MachineId m, const std::vector<int>& cards, int sign) {
    auto& u = machines[m.value];
    u.cpu += sign * w.requests.cpu_millis;
    u.memory += sign * w.requests.memory_bytes;
    for (int c : cards) {
      auto i = static_cast<size_t>(c);
      if (w.gpu && w.gpu->share) {
        u.shared[i] += sign;
        u.shared_vram[i] += sign * w.gpu->vram_bytes.value_or(0);
      } else {
        u.exclusive[i] += sign;
      }
    }
  }

  /// Why machine `id` is over a budget; "" when within every one.
  std::string over(const Model& model, MachineId id) const {
    const Machine& m = model.machine(id);
    const auto& u = machines[id.value];
    if (u.cpu > m.capacity.cpu_millis - m.reserved.cpu_millis) return m.name + ": cpu over capacity";
    if (u.memory > m.capacity.memory_bytes - m.reserved.memory_bytes) return m.name + ": memory over capacity";
    auto cards = usable_cards(m);
    for (size_t i = 0; i < cards.size(); ++i) {
      std::string card = m.name + ": card " + std::to_string(i);
      if (u.exclusive[i] > 1) return card + " held whole twice";
      if (u.exclusive[i] == 1 && u.shared[i] > 0) return card + " whole and shared";
      if (u.shared_vram[i] > cards[i]) return card + " VRAM over budget";
    }
    return "";
  }
};

/// Why one replica's place does not hold by itself; "" when it does.
std::string place_refusal(const Model& model, const Workload& w, MachineId m, const std::vector<int>& cards) {
  if (m.value >= model.machines.size()) return w.name + ": no such machine";
  std::string at = w.name + " on " + model.machine(m).name + ": ";
  if (!may_run(w, model.machine(m))) return at + "a static constraint is broken";
  auto all = usable_cards(model.machine(m));
  size_t want = w.gpu ? static_cast<size_t>(w.gpu->count) : 0;
  if (cards.size() != want) return at + "wrong number of cards";
  for (size_t i = 0; i < cards.size(); ++i) {
    if (cards[i] < 0 || static_cast<size_t>(cards[i]) >= all.size()) return at + "no such card";
    for (size_t j = 0; j < i; ++j)
      if (cards[i] == cards[j]) return at + "a card twice";
    if (all[static_cast<size_t>(cards[i])] < w.gpu->vram_bytes.value_or(0)) return at + "card too small";
  }
  return "";
}

// ------------------------------------------------------------------ the generator

/// The machines, every capacity still zero: sized around the witness later.
void add_machines(Rng& rng, Model& model) {
  for (uint32_t r = 0; r < 2; ++r) model.roles.push_back(sema::Role{sema::RoleId{r}, fmt::format("r{}", r), {}, {}, {}});
  static const std::vector<int64_t> vrams{8 * GiB, 12 * GiB, 16 * GiB, 24 * GiB, 48 * GiB};
  static const std::vector<int64_t> reserves{0, 512 * MiB};
  static const std::vector<TaintEffect> effects{TaintEffect::NoSchedule, TaintEffect::NoSchedule, TaintEffect::NoExecute,
                                                TaintEffect::PreferNoSchedule};
  int machines = 3 + rng.below(13);
  for (int i = 0; i < machines; ++i) {
    Machine m;
    m.id = MachineId{static_cast<uint32_t>(i)};
    m.name = fmt::format("m{}", i);
    m.os = sema::Os::Linux;
    m.arch = rng.chance(70) ? Arch::Amd64 : Arch::Arm64;
    m.k3s = K3sMode::Native;
    if (rng.chance(40)) m.reserved = {250 + 250 * rng.below(3), 512 * MiB * (1 + rng.below(2))};
    for (uint32_t r = 0; r < 2; ++r)
      if (rng.chance(30)) m.roles.push_back(sema::RoleId{r});
    if (rng.chance(25))
      m.taints.push_back(sema::Taint{rng.chance(50) ? "k0" : "k1", rng.chance(50) ? "" : "v0", rng.pick(effects), {}});
    if (m.arch == Arch::Amd64 && rng.chance(40)) {
      int groups = 1 + (rng.chance(35) ? 1 : 0);
      for (int g = 0; g < groups; ++g)
        m.gpus.push_back(sema::GpuGroup{fmt::format("g{}", g), 1 + rng.below(3), rng.pick(vrams), rng.pick(reserves), {}});
    }
    model.machines.push_back(std::move(m));
  }
}

/// A GPU ask some card of the instance can meet, or none.
std::optional<sema::GpuRequest> gpu_ask(Rng& rng, const Model& model, bool shared_cards) {
  int64_t biggest = 0;
  int most_cards = 0;
  for (const auto& m : model.machines) {
    auto cards = usable_cards(m);
    most_cards = std::max(most_cards, static_cast<int>(cards.size()));
    for (auto c : cards) biggest = std::max(biggest, c);
  }
  if (most_cards == 0) return std::nullopt;
  sema::GpuRequest g;
  g.share = shared_cards && rng.chance(50);
  g.count = std::min(most_cards, rng.chance(75) ? 1 : 2);
  static const std::vector<int64_t> whole{4 * GiB, 8 * GiB, 12 * GiB, 16 * GiB, 20 * GiB, 24 * GiB, 40 * GiB};
  static const std::vector<int64_t> shared{2 * GiB, 3 * GiB, 4 * GiB, 6 * GiB, 8 * GiB, 10 * GiB};
  if (g.share || rng.chance(80)) g.vram_bytes = rng.pick(g.share ? shared : whole);
  if (g.vram_bytes && *g.vram_bytes > biggest) g.vram_bytes = biggest;
  return g;
}

/// A workload of `replicas` replicas with random demand and constraints,
/// replicas still to be placed.
Workload random_workload(Rng& rng, const Model& model, int replicas, bool shared_cards) {
  Workload w;
  w.id = sema::WorkloadId{static_cast<uint32_t>(model.workloads.size())};
  w.name = fmt::format("w{}", w.id.value);
  w.kind = rng.chance(85) ? WorkloadKind::Service : WorkloadKind::Job;
  w.requests = {50 * (1 + rng.below(40)), 64 * MiB * (1 + rng.below(64))};
  bool has_arm = std::any_of(model.machines.begin(), model.machines.end(), [](const Machine& m) { return m.arch == Arch::Arm64; });
  int arch = rng.below(100);
  w.arch = arch < 25 ? std::vector<Arch>{Arch::Amd64}
           : arch < 40 && has_arm ? std::vector<Arch>{Arch::Arm64}
                                  : std::vector<Arch>{Arch::Amd64, Arch::Arm64};
  if (rng.chance(30)) {
    w.gpu = gpu_ask(rng, model, shared_cards);
    if (w.gpu) replicas = std::min(replicas, w.gpu->share ? 1 + rng.below(6) : 1 + rng.below(3));
  }
  if (w.kind == WorkloadKind::Service) w.replicas = replicas;
  else w.parallelism = replicas;
  std::vector<const sema::Taint*> taints;
  for (const auto& m : model.machines)
    for (const auto& t : m.taints) taints.push_back(&t);
  if (!taints.empty() && rng.chance(40)) {
    const sema::Taint& t = *rng.pick(taints);
    sema::Toleration tol{t.key, {}, {}, {}};
    if (rng.chance(50)) tol.value = t.value;
    if (rng.chance(50)) tol.effect = t.effect;
    w.tolerations.push_back(tol);
  }
  auto some_machine = [&] { return MachineId{static_cast<uint32_t>(rng.below(static_cast<int>(model.machines.size())))}; };
  if (rng.chance(12)) w.roles.push_back(sema::RoleId{static_cast<uint32_t>(rng.below(2))});
  if (rng.chance(4)) w.on = some_machine();
  if (rng.chance(15)) w.avoid.push_back(some_machine());
  if (rng.chance(20)) w.prefer.push_back(some_machine());
  return w;
}

/// Cards for one replica of `w` on `m` given what `load` holds, chosen at
/// random among those that fit; nullopt when none do.
std::optional<std::vector<int>> pick_cards(Rng& rng, const Workload& w, const Machine& m, const Load& load) {
  if (!w.gpu) return std::vector<int>{};
  auto cards = usable_cards(m);
  const auto& u = load.machines[m.id.value];
  int64_t vram = w.gpu->vram_bytes.value_or(0);
  std::vector<int> fitting;
  for (size_t i = 0; i < cards.size(); ++i) {
    bool ok = w.gpu->share ? u.exclusive[i] == 0 && cards[i] - u.shared_vram[i] >= vram
                           : u.exclusive[i] == 0 && u.shared[i] == 0 && cards[i] >= vram;
    if (ok) fitting.push_back(static_cast<int>(i));
  }
  if (static_cast<int>(fitting.size()) < w.gpu->count) return std::nullopt;
  rng.shuffle(fitting);
  fitting.resize(static_cast<size_t>(w.gpu->count));
  std::sort(fitting.begin(), fitting.end());
  return fitting;
}

/// Places every replica of `w` on a random machine that may run it (and has
/// cards left), into `witness` and `load`; returns how many were placed.
int plant(Rng& rng, const Model& model, const Workload& w, Load& load, std::vector<placement::Assignment>& witness) {
  std::vector<const Machine*> candidates;
  for (const auto& m : model.machines)
    if (may_run(w, m)) candidates.push_back(&m);
  int placed = 0;
  for (; placed < replicas_of(w); ++placed) {
    rng.shuffle(candidates);
    std::optional<std::vector<int>> cards;
    const Machine* at = nullptr;
    for (const Machine* m : candidates)
      if ((cards = pick_cards(rng, w, *m, load))) {
        at = m;
        break;
      }
    if (!at) break;
    load.add(w, at->id, *cards, +1);
    witness.push_back(placement::Assignment{w.id, placed, at->id, *cards});
  }
  return placed;
}

/// Sizes every machine around what `load` holds: each used machine's cpu and
/// memory at 85-100% (30% of them exactly full), an unused one small.
void size_machines(Rng& rng, Model& model, const Load& load) {
  for (auto& m : model.machines) {
    const auto& u = load.machines[m.id.value];
    auto room = [&](int64_t used, int64_t unit) {
      if (used == 0) return 2 * unit;
      double utilisation = rng.chance(30) ? 1.0 : 0.85 + 0.15 * rng.unit();
      int64_t total = static_cast<int64_t>(static_cast<double>(used) / utilisation);
      return std::max(used, total / unit * unit);
    };
    m.capacity.cpu_millis = room(u.cpu, 250) + m.reserved.cpu_millis;
    m.capacity.memory_bytes = room(u.memory, 256 * MiB) + m.reserved.memory_bytes;
  }
}

/// Makes a planted instance a little harder, at random: one used machine
/// loses part of one replica's cpu or memory, a workload gains a replica, or
/// a workload asks for 5-25% more cpu or memory.
void perturb(Rng& rng, Instance& inst) {
  Model& model = inst.model;
  const auto& a = inst.witness[static_cast<size_t>(rng.below(static_cast<int>(inst.witness.size())))];
  Workload& w = model.workloads[a.workload.value];
  int what = rng.below(100);
  if (what < 40) {
    Machine& m = model.machines[a.machine.value];
    double part = 0.05 + 0.95 * rng.unit();
    if (rng.chance(50)) m.capacity.cpu_millis -= std::max<int64_t>(1, static_cast<int64_t>(part * static_cast<double>(w.requests.cpu_millis)));
    else m.capacity.memory_bytes -= std::max<int64_t>(MiB, static_cast<int64_t>(part * static_cast<double>(w.requests.memory_bytes)) / MiB * MiB);
  } else if (what < 70) {
    (w.kind == WorkloadKind::Service ? w.replicas : w.parallelism) += 1;
  } else {
    double more = 1.05 + 0.2 * rng.unit();
    if (rng.chance(50)) w.requests.cpu_millis = static_cast<int64_t>(static_cast<double>(w.requests.cpu_millis) * more);
    else w.requests.memory_bytes = static_cast<int64_t>(static_cast<double>(w.requests.memory_bytes) * more) / MiB * MiB;
  }
  inst.witness.clear();
}

}  // namespace

Instance generate(uint32_t seed, const GenOptions& options) {
  Rng rng(seed);
  Instance inst;
  Model& model = inst.model;
  add_machines(rng, model);
  bool small = options.size == Size::Small;
  int target = small ? 10 + rng.below(51) : 60 + rng.below(341);
  Load load(model);
  int total = 0;
  // A workload no machine could run (or no card left for) is dropped; the
  // attempts are bounded so that an instance always ends.
  for (int attempt = 0; total < target && attempt < 400; ++attempt) {
    int left = target - total;
    int n = std::min(left, 1 + rng.below(std::max(2, target / 3)));
    Workload w = random_workload(rng, model, n, options.shared_cards);
    int placed = plant(rng, model, w, load, inst.witness);
    if (placed == 0) continue;
    (w.kind == WorkloadKind::Service ? w.replicas : w.parallelism) = placed;
    total += placed;
    model.workloads.push_back(std::move(w));
  }
  size_machines(rng, model, load);
  if (options.kind == Kind::Perturbed && !inst.witness.empty()) perturb(rng, inst);
  return inst;
}

int total_replicas(const Model& model) {
  int n = 0;
  for (const auto& w : model.workloads) n += replicas_of(w);
  return n;
}

std::string violations(const Model& model, const std::vector<placement::Assignment>& assignments, bool complete) {
  Load load(model);
  std::vector<std::vector<int>> seen(model.workloads.size());
  for (const auto& a : assignments) {
    if (a.workload.value >= model.workloads.size()) return "an assignment of no workload";
    const Workload& w = model.workload(a.workload);
    if (auto why = place_refusal(model, w, a.machine, a.cards); !why.empty()) return why;
    if (a.replica < 0 || a.replica >= replicas_of(w)) return w.name + ": replica out of range";
    seen[a.workload.value].push_back(a.replica);
    load.add(w, a.machine, a.cards, +1);
  }
  for (const auto& m : model.machines)
    if (auto why = load.over(model, m.id); !why.empty()) return why;
  for (const auto& w : model.workloads) {
    auto r = seen[w.id.value];
    std::sort(r.begin(), r.end());
    if (std::adjacent_find(r.begin(), r.end()) != r.end()) return w.name + ": a replica placed twice";
    if (complete && static_cast<int>(r.size()) != replicas_of(w)) return w.name + ": not every replica placed";
  }
  return "";
}

double peak_fraction(const Model& model, const std::vector<placement::Assignment>& assignments) {
  Load load(model);
  for (const auto& a : assignments) load.add(model.workload(a.workload), a.machine, a.cards, +1);
  double peak = 0;
  auto frac = [](int64_t used, int64_t cap) { return cap > 0 ? static_cast<double>(used) / static_cast<double>(cap) : used > 0 ? 1.0 : 0.0; };
  for (const auto& m : model.machines) {
    const auto& u = load.machines[m.id.value];
    peak = std::max({peak, frac(u.cpu, m.capacity.cpu_millis - m.reserved.cpu_millis),
                     frac(u.memory, m.capacity.memory_bytes - m.reserved.memory_bytes)});
    auto cards = usable_cards(m);
    for (size_t i = 0; i < cards.size(); ++i)
      peak = std::max(peak, u.exclusive[i] ? 1.0 : frac(u.shared_vram[i], cards[i]));
  }
  return peak;
}

std::string describe(const Model& model) {
  std::ostringstream s;
  for (const auto& m : model.machines) {
    s << "machine " << m.name << " " << sema::arch_name(m.arch) << " cpu " << m.capacity.cpu_millis << "m-"
      << m.reserved.cpu_millis << "m mem " << m.capacity.memory_bytes / MiB << "MiB-" << m.reserved.memory_bytes / MiB
      << "MiB roles [";
    for (auto r : m.roles) s << " r" << r.value;
    s << " ] taints [";
    for (const auto& t : m.taints) s << " " << t.key << "=" << t.value << ":" << sema::taint_effect_name(t.effect);
    s << " ] gpus [";
    for (const auto& g : m.gpus) s << " " << g.count << "x" << g.vram_bytes / MiB << "MiB(-" << g.reserve_bytes / MiB << ")";
    s << " ]\n";
  }
  for (const auto& w : model.workloads) {
    s << sema::workload_kind_name(w.kind) << " " << w.name << " x" << replicas_of(w) << " arch [";
    for (auto a : w.arch) s << " " << sema::arch_name(a);
    s << " ] cpu " << w.requests.cpu_millis << "m mem " << w.requests.memory_bytes / MiB << "MiB";
    if (w.gpu)
      s << " gpu " << w.gpu->count << "x" << w.gpu->vram_bytes.value_or(0) / MiB << "MiB" << (w.gpu->share ? " shared" : "");
    s << " tol [";
    for (const auto& t : w.tolerations)
      s << " " << t.key << "=" << t.value.value_or("*") << ":" << (t.effect ? sema::taint_effect_name(*t.effect) : "*");
    s << " ]";
    if (w.on) s << " on m" << w.on->value;
    for (auto r : w.roles) s << " role r" << r.value;
    for (auto m : w.avoid) s << " avoid m" << m.value;
    for (auto m : w.prefer) s << " prefer m" << m.value;
    s << "\n";
  }
  return s.str();
}

}  // namespace claw::tight
