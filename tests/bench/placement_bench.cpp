// claw_placement_bench: claw's default placement against the reference (the
// exact solver with a generous budget, optimising the objective) on seeded
// tight instances (tests/unit/placement_tight_gen.h). Prints, per shape of
// instance: the verdicts and how often they agree, claw's time per instance
// (median, p90, max), and the peak utilisation of claw's placement over the
// reference's optimum (median, p90, max) where both place. A figure printer,
// not a test: it exits 1 only when claw contradicts the reference or a
// witness (a false "does not fit", or an invalid placement), listing the
// seeds so that each can be replayed with --from SEED --seeds 1.
//
//   claw_placement_bench [--seeds S] [--from SEED] [--reference-seconds T] [--size small|large|both]
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tests/unit/placement_tight_compare.h"
#include "tests/unit/placement_tight_gen.h"

namespace {

using namespace claw;

struct Args {
  int seeds = 100;
  uint32_t from = 1;
  double reference_seconds = 30;
  bool small = true, large = true;
};

/// The command line, or a usage message.
std::optional<Args> parse_args(int argc, char** argv, std::string& error) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (i + 1 >= argc) {
      error = fmt::format("{} needs a value", arg);
      return std::nullopt;
    }
    std::string value = argv[++i];
    char* end = nullptr;
    if (arg == "--seeds") a.seeds = static_cast<int>(std::strtol(value.c_str(), &end, 10));
    else if (arg == "--from") a.from = static_cast<uint32_t>(std::strtoul(value.c_str(), &end, 10));
    else if (arg == "--reference-seconds") a.reference_seconds = std::strtod(value.c_str(), &end);
    else if (arg == "--size" && (value == "small" || value == "large" || value == "both")) {
      a.small = value != "large";
      a.large = value != "small";
      continue;
    } else {
      error = fmt::format("unknown option or value: {} {}", arg, value);
      return std::nullopt;
    }
    if (!end || *end != '\0' || a.seeds < 1 || a.reference_seconds <= 0) {
      error = fmt::format("bad value for {}: {}", arg, value);
      return std::nullopt;
    }
  }
  return a;
}

/// The value below which `q` of `v` lies (nearest rank); 0 for none.
double quantile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t rank = static_cast<size_t>(q * static_cast<double>(v.size()) + 0.999999);
  return v[std::clamp<size_t>(rank, 1, v.size()) - 1];
}

std::string spread(const std::vector<double>& v, const char* unit, double scale) {
  if (v.empty()) return "-";
  return fmt::format("{:.3f}{} / {:.3f}{} / {:.3f}{}", quantile(v, 0.5) * scale, unit, quantile(v, 0.9) * scale, unit,
                     quantile(v, 1.0) * scale, unit);
}

/// The figures of one shape of instance.
struct Tally {
  int instances = 0, agree = 0;
  int ref[3] = {0, 0, 0}, claw[3] = {0, 0, 0};  // by Verdict
  std::vector<double> claw_seconds, ref_seconds, ratio;
  std::vector<std::string> failures;
  std::vector<uint32_t> ref_undecided;  // seeds the reference did not decide
};

Tally run_shape(const tight::GenOptions& opt, const Args& args) {
  Tally t;
  for (uint32_t seed = args.from; seed < args.from + static_cast<uint32_t>(args.seeds); ++seed) {
    tight::Instance inst = tight::generate(seed, opt);
    tight::Outcome claw = tight::run(inst.model, placement::Options{});
    tight::Outcome ref = tight::run(inst.model, tight::reference_options(args.reference_seconds));
    ++t.instances;
    ++t.ref[static_cast<int>(ref.verdict)];
    ++t.claw[static_cast<int>(claw.verdict)];
    t.agree += claw.verdict == ref.verdict;
    t.claw_seconds.push_back(claw.seconds);
    t.ref_seconds.push_back(ref.seconds);
    if (claw.verdict == tight::Verdict::Placed && ref.verdict == tight::Verdict::Placed && ref.peak > 0)
      t.ratio.push_back(claw.peak / ref.peak);
    std::string why = tight::disagreement(claw, ref, !inst.witness.empty());
    if (!why.empty()) t.failures.push_back(fmt::format("seed {} ({} replicas): {}", seed, tight::total_replicas(inst.model), why));
    if (ref.verdict == tight::Verdict::Unknown) t.ref_undecided.push_back(seed);
  }
  return t;
}

void print(const char* name, const Tally& t) {
  auto verdicts = [](const int (&v)[3]) { return fmt::format("{:>4} placed {:>4} infeasible {:>4} unknown", v[0], v[1], v[2]); };
  fmt::print("{}\n", name);
  fmt::print("  instances              {}\n", t.instances);
  fmt::print("  reference              {}\n", verdicts(t.ref));
  fmt::print("  claw                   {}\n", verdicts(t.claw));
  fmt::print("  verdicts agree         {} of {}\n", t.agree, t.instances);
  fmt::print("  claw time              {}   (median / p90 / max)\n", spread(t.claw_seconds, " ms", 1000));
  fmt::print("  reference time         {}\n", spread(t.ref_seconds, " ms", 1000));
  fmt::print("  peak claw / optimum    {}   ({} instances both placed)\n", spread(t.ratio, "", 1), t.ratio.size());
  if (!t.ref_undecided.empty()) fmt::print("  reference undecided    seeds {}\n", fmt::join(t.ref_undecided, ", "));
  for (const auto& f : t.failures) fmt::print("  FAIL {}\n", f);
  std::fflush(stdout);  // each shape as it finishes, when written to a file
}

}  // namespace

int main(int argc, char** argv) {
  std::string error;
  auto args = parse_args(argc, argv, error);
  if (!args) {
    fmt::print(stderr, "claw_placement_bench: {}\nusage: claw_placement_bench [--seeds S] [--from SEED] "
                       "[--reference-seconds T] [--size small|large|both]\n", error);
    return 2;
  }
  fmt::print("seeds {}..{}, reference budget {} s per instance\n\n", args->from, args->from + static_cast<uint32_t>(args->seeds) - 1,
             args->reference_seconds);
  bool failed = false;
  for (tight::Size size : {tight::Size::Small, tight::Size::Large}) {
    if (size == tight::Size::Small ? !args->small : !args->large) continue;
    for (tight::Kind kind : {tight::Kind::Planted, tight::Kind::Perturbed})
      for (bool shared : {false, true}) {
        std::string name = fmt::format("{} ({}), {}, {} cards", size == tight::Size::Small ? "small" : "large",
                                       size == tight::Size::Small ? "10-60 replicas" : "60-400 replicas",
                                       kind == tight::Kind::Planted ? "planted" : "perturbed", shared ? "whole and shared" : "whole");
        Tally t = run_shape({size, kind, shared}, *args);
        print(name.c_str(), t);
        failed = failed || !t.failures.empty();
      }
  }
  return failed ? 1 : 0;
}
