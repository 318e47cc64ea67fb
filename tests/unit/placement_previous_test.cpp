// Placement stability: place() given the previous placement keeps every
// replica where it was while that holds, moves only what must move (saying
// why), and refuses to move a workload holding local data unless allowed.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "compiler/diag/render.h"
#include "compiler/placement/lock_file.h"
#include "compiler/placement/placement.h"
#include "compiler/project/load.h"
#include "compiler/sema/check.h"
#include "tests/unit/claw_inputs.h"
#include "tests/unit/test_fs.h"

namespace {

using namespace claw;
using placement::Previous;
using placement::Where;

/// A program loaded and checked (clean), placed with the options given.
struct Program {
  testing::TestFileSystem fs;
  project::Project project;
  sema::CheckResult checked;
  placement::Result result;

  Program(const std::map<std::string, std::string>& files, const placement::Options& options)
      : project([&] {
          for (const auto& [path, text] : files) fs.memory.add(path, text);
          project::LoadOptions lo;
          for (const auto& [path, text] : files) lo.paths.push_back(path);
          lo.stdlib_dir = testing::stdlib_dir();
          return project::load(fs, lo);
        }()),
        checked(sema::check(project.program())),
        result(placement::place(checked.model, options)) {
    result.diags.sort();
  }

  std::string render(const std::vector<diag::Diagnostic>& ds) const {
    std::string out;
    for (const auto& d : ds) out += diag::render_text(project.sources, d);
    return out;
  }
  std::string front_diags() const { return render(project.diags.all()) + render(checked.diags.all()); }
  /// Placement's errors, rendered as `claw check` prints them.
  std::string errors() const {
    std::vector<diag::Diagnostic> out;
    for (const auto& d : result.diags.all())
      if (d.severity == diag::Severity::Error) out.push_back(d);
    return render(out);
  }
  /// Where each replica runs, as a previous placement.
  Previous where() const { return placement::previous_of(checked.model, result.placement); }
  /// The moves as "name/replica: from -> to: reason" lines.
  std::vector<std::string> moves() const {
    std::vector<std::string> out;
    auto text = [](const Where& w) {
      std::string s = w.machine;
      for (int c : w.cards) {
        s += '#';
        s += std::to_string(c);
      }
      return s;
    };
    for (const auto& m : result.placement.moves)
      out.push_back(checked.model.workload(m.workload).name + "/" + std::to_string(m.replica) + ": " + text(m.from) + " -> " +
                    text(m.to) + ": " + m.reason);
    return out;
  }
};

std::unique_ptr<Program> compile(const std::map<std::string, std::string>& files, const placement::Options& options = {}) {
  auto p = std::make_unique<Program>(files, options);
  INFO(p->front_diags());
  REQUIRE(p->front_diags().empty());
  return p;
}

std::unique_ptr<Program> compile_ok(const std::map<std::string, std::string>& files, const placement::Options& options = {}) {
  auto p = compile(files, options);
  INFO(p->errors());
  REQUIRE(p->result.diags.error_count() == 0);
  return p;
}

std::string lines(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& l : v) out += l + "\n";
  return out;
}

placement::Options with(const Previous& previous, std::set<std::string> allow = {}) {
  placement::Options o;
  o.previous = &previous;
  o.allow_move = std::move(allow);
  return o;
}

/// infra/'s .claw files, by their path under the repository.
std::map<std::string, std::string> infra() {
  std::map<std::string, std::string> out;
  for (const auto& e : std::filesystem::recursive_directory_iterator(testing::kRoot / "infra"))
    if (e.is_regular_file() && e.path().extension() == ".claw")
      out["infra/" + std::filesystem::relative(e.path(), testing::kRoot / "infra").generic_string()] = testing::read_file(e.path());
  return out;
}

const std::string kCluster = "cluster home { k3s = \"v1.31.4+k3s1\"; server = a }\n";

}  // namespace

TEST_CASE("stable placement: adding a service to infra/ moves nothing else") {
  auto before = compile_ok(infra());
  const Previous was = before->where();
  REQUIRE(was.workloads.size() >= 10);
  // First in file order (so every workload's id shifts by one), and big
  // enough that a placement from scratch rearranges the others: it asks for
  // most of what `studio` has to give, where redis, qdrant and inngest run.
  auto files = infra();
  files["infra/services/aaa.claw"] =
      "service aaa { image = \"x\"; arch = [arm64]; avoid = [panda]; needs { cpu = 7; memory = 50GiB } }\n";
  auto fresh = compile_ok(files);
  auto kept = compile_ok(files, with(was));
  const Previous now_fresh = fresh->where(), now_kept = kept->where();
  size_t fresh_changed = 0;
  for (const auto& [key, replicas] : was.workloads) {
    INFO(key);
    REQUIRE(now_kept.workloads.contains(key));
    CHECK(now_kept.workloads.at(key) == replicas);
    fresh_changed += now_fresh.workloads.at(key) != replicas;
  }
  // The case is a real one: solved from scratch, something else would move.
  CHECK(fresh_changed > 0);
  CHECK(now_kept.workloads.contains("joelclaw/aaa"));
  CHECK(kept->moves().empty());
  // And the program placed again with its own placement: nothing changes.
  auto again = compile_ok(infra(), with(was));
  CHECK(again->where().workloads == was.workloads);
  CHECK(again->moves().empty());
  CHECK(again->result.placement.search == before->result.placement.search);
  // So too above the exact search's limit: the placement, and how it was
  // found (placement.json says so), are the same as the first time.
  placement::Options small;
  small.exact_limit = 5;
  auto heuristic = compile_ok(infra(), small);
  REQUIRE(heuristic->result.placement.search != placement::Search::Exact);
  const Previous first = heuristic->where();
  placement::Options small_kept = with(first);
  small_kept.exact_limit = 5;
  auto rebuilt = compile_ok(infra(), small_kept);
  CHECK(rebuilt->where().workloads == first.workloads);
  CHECK(rebuilt->result.placement.search != placement::Search::Exact);
}

TEST_CASE("stable placement: removing a machine moves exactly its workloads, saying why") {
  const std::string machines =
      "machine a { os = linux; arch = amd64; cpu = 8; memory = 16GiB }\n"
      "machine c { os = linux; arch = amd64; cpu = 8; memory = 16GiB }\n";
  const std::string b = "machine b { os = linux; arch = amd64; cpu = 8; memory = 16GiB }\n";
  const std::string services =
      "service one { image = \"x\"; replicas = 3; needs { cpu = 1; memory = 1GiB } }\n"
      "service two { image = \"x\"; needs { cpu = 2; memory = 1GiB } }\n"
      "service three { image = \"x\"; needs { cpu = 1; memory = 2GiB } }\n"
      "service four { image = \"x\"; on = a }\n";
  // Both the exact search and the heuristic (forced by an exact limit of 0).
  for (size_t exact_limit : {size_t{60}, size_t{0}}) {
    INFO("exact limit " << exact_limit);
    placement::Options fresh;
    fresh.exact_limit = exact_limit;
    auto before = compile_ok({{"net.claw", kCluster + machines + b + services}}, fresh);
    const Previous was = before->where();
    placement::Options keep = with(was);
    keep.exact_limit = exact_limit;
    auto after = compile_ok({{"net.claw", kCluster + machines + services}}, keep);
    CHECK(after->result.placement.search == (exact_limit > 0 ? placement::Search::Exact : placement::Search::Heuristic));
    const Previous now = after->where();
    std::vector<std::string> expected;
    for (const auto& [key, replicas] : was.workloads)
      for (const auto& [r, where] : replicas) {
        INFO(key << " replica " << r);
        if (where.machine == "b") {
          CHECK(now.find(key, r)->machine != "b");
          expected.push_back(key.substr(key.find('/') + 1) + "/" + std::to_string(r) + ": b -> " + now.find(key, r)->machine +
                             ": machine `b` is no longer declared");
        } else {
          CHECK(*now.find(key, r) == where);
        }
      }
    // The spread puts a replica of `one` on each machine: b had some.
    REQUIRE(!expected.empty());
    auto moves = after->moves();
    std::sort(moves.begin(), moves.end());
    std::sort(expected.begin(), expected.end());
    CHECK(lines(moves) == lines(expected));
  }
}

TEST_CASE("stable placement: a workload with local data that would move is an error unless allowed") {
  struct Case {
    const char* name;
    const char* volume;
    bool local;
  };
  const Case cases[] = {
      {"size claim, default class", "volume data { at = \"/data\"; size = 10GiB }", true},
      {"size claim, local-path", "volume data { at = \"/data\"; size = 10GiB; class = \"local-path\" }", true},
      {"shared claim", "volume data { at = \"/data\"; shared = 10GiB }", true},
      {"host path", "volume data { at = \"/data\"; host-path = \"/srv/db\" }", true},
      {"claim of another class", "volume data { at = \"/data\"; size = 10GiB; class = \"longhorn\" }", false},
      {"scratch", "volume data { at = \"/data\"; temp {} }", false},
  };
  const std::string a = "machine a { os = linux; arch = amd64; cpu = 8; memory = 16GiB }\n";
  const std::string b = "machine b { os = linux; arch = amd64; cpu = 8; memory = 16GiB }\n";
  for (const auto& c : cases) {
    INFO(c.name);
    const std::string db = std::string("service db { image = \"postgres\"; on = b; ") + c.volume + " }\n";
    auto before = compile_ok({{"net.claw", kCluster + a + b + db}});
    const Previous was = before->where();
    REQUIRE(was.find("default/db", 0)->machine == "b");
    // b is gone; db is no longer pinned to it.
    const std::string moved = std::string("service db { image = \"postgres\"; ") + c.volume + " }\n";
    auto refused = compile({{"net.claw", kCluster + a + moved}}, with(was));
    if (c.local) {
      CHECK(refused->errors() ==
            std::string("net.claw:3:9: error: service `db` would move from `b` to `a` (machine `b` is no longer declared), "
                        "leaving behind the data of its volume `data` on `b` [placement-infeasible]\n"
                        " 3 | ") +
                moved.substr(0, moved.size() - 1) +
                "\n"
                "   |         ^~\n" +
                (std::string(c.volume).find("host-path") != std::string::npos
                     ? "net.claw:3:41: note: a host-path volume is a folder of the node the pod runs on\n"
                     : "net.claw:3:41: note: on k3s a claim of the local-path storage class is a folder of one node\n") +
                " 3 | " + moved.substr(0, moved.size() - 1) + "\n" +
                "   |                                         ^~~~\n"
                "  = hint: to move it anyway, without its data, pass `--allow-move db`\n");
    } else {
      CHECK(refused->errors().empty());
    }
    for (const char* allowed : {"db", "default/db"}) {
      auto ok = compile_ok({{"net.claw", kCluster + a + moved}}, with(was, {allowed}));
      CHECK(ok->moves() == std::vector<std::string>{"db/0: b -> a: machine `b` is no longer declared"});
    }
  }
}

TEST_CASE("stable placement: GPU cards are kept, where a fresh placement would pick others") {
  const std::string program = kCluster +
                              "machine a { os = linux; arch = amd64; cpu = 24; memory = 128GiB; gpu \"RTX\" x 3 { vram = 24GiB } }\n"
                              "service embedder { image = \"x\"; replicas = 2; gpu { vram = 16GiB; share = true } }\n";
  auto fresh = compile_ok({{"net.claw", program}});
  REQUIRE(fresh->where().find("default/embedder", 0)->cards == std::vector<int>{0});
  Previous was;
  was.workloads["default/embedder"] = {{0, Where{"a", {2}}}, {1, Where{"a", {0}}}};
  auto kept = compile_ok({{"net.claw", program}}, with(was));
  CHECK(*kept->where().find("default/embedder", 0) == Where{"a", {2}});
  CHECK(*kept->where().find("default/embedder", 1) == Where{"a", {0}});
  CHECK(kept->moves().empty());
}

TEST_CASE("stable placement: a replica whose place no longer holds moves, with the reason") {
  struct Case {
    const char* name;
    std::string program;
    Previous was;
    std::vector<std::string> moves;
  };
  auto one = [](const std::string& key, const std::string& machine, std::vector<int> cards = {}) {
    Previous p;
    p.workloads[key] = {{0, Where{machine, std::move(cards)}}};
    return p;
  };
  const std::string a = "machine a { os = linux; arch = amd64; cpu = 4; memory = 8GiB; reserved { cpu = 0; memory = 0GiB } }\n";
  const std::string mac = "machine mac { os = darwin; arch = arm64; k3s = vm; cpu = 4; memory = 8GiB }\n";
  Previous shrank;
  shrank.workloads["default/x"] = {{0, Where{"a", {}}}, {1, Where{"a", {}}}, {2, Where{"a", {}}}};
  const Case cases[] = {
      {"arch changed", kCluster + a + mac + "service x { image = \"x\"; arch = [amd64] }\n", one("default/x", "mac"),
       {"x/0: mac -> a: `mac` cannot run it now: arch arm64 not in [amd64]"}},
      {"needs grew past what the machine has left",
       kCluster + a + "machine b { os = linux; arch = amd64; cpu = 4; memory = 8GiB }\n" +
           "service x { image = \"x\"; replicas = 3; needs { cpu = 1500m; memory = 1GiB } }\n",
       shrank,
       {"x/2: a -> b: `a` has no room for it now: needs cpu 1500m, has 1 of 4 left"}},
      {"tainted since", kCluster + a + "machine t { os = linux; arch = amd64; cpu = 4; memory = 8GiB; taint \"gpu=yes:NoSchedule\" }\n" +
           "service x { image = \"x\" }\nservice g { image = \"g\"; tolerate = [\"gpu\"]; on = t }\n",
       one("default/x", "t"), {"x/0: t -> a: `t` cannot run it now: taint `gpu=yes:NoSchedule` not tolerated"}},
      {"needs more GPUs",
       kCluster + "machine a { os = linux; arch = amd64; cpu = 24; memory = 128GiB; gpu \"RTX\" x 2 { vram = 24GiB } }\n" +
           "service llm { image = \"x\"; gpu { count = 2 } }\n",
       one("default/llm", "a", {1}), {"llm/0: a#1 -> a#0#1: needs 2 GPUs, had 1"}},
      {"a card that is not there",
       kCluster + "machine a { os = linux; arch = amd64; cpu = 24; memory = 128GiB; gpu \"RTX\" x 2 { vram = 24GiB } }\n" +
           "service llm { image = \"x\"; gpu { count = 1 } }\n",
       one("default/llm", "a", {5}),
       {"llm/0: a#5 -> a#0: card #5 on `a` no longer fits it: needs 1 free card, cards: #0 23.5GiB free, #1 23.5GiB free"}},
      {"scaled down: not a move", kCluster + a + "service x { image = \"x\" }\n", shrank, {}},
      {"a workload no longer declared: not a move", kCluster + a + "service y { image = \"x\" }\n", one("default/x", "gone"), {}},
      {"another namespace is another workload", kCluster + a + mac + "service x { image = \"x\"; namespace = \"web\"; arch = [amd64] }\n",
       one("default/x", "mac"), {}},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    auto p = compile_ok({{"net.claw", c.program}}, with(c.was));
    CHECK(lines(p->moves()) == lines(c.moves));
  }
}

TEST_CASE("stable placement: when the rest cannot fit around every kept replica, the movable ones make room") {
  // b is full of `small` replicas; `big` fits only on b once one moves to a.
  const std::string program = kCluster +
                              "machine a { os = linux; arch = amd64; cpu = 2; memory = 8GiB; reserved { cpu = 0; memory = 0GiB } }\n"
                              "machine b { os = linux; arch = amd64; cpu = 4; memory = 8GiB; reserved { cpu = 0; memory = 0GiB } }\n"
                              "service small { image = \"x\"; needs { cpu = 2; memory = 1GiB } }\n"
                              "service big { image = \"x\"; needs { cpu = 3; memory = 1GiB } }\n";
  Previous was;
  was.workloads["default/small"] = {{0, Where{"b", {}}}};
  auto p = compile_ok({{"net.claw", program}}, with(was));
  CHECK(p->where().find("default/big", 0)->machine == "b");
  CHECK(p->moves() ==
        std::vector<std::string>{"small/0: b -> a: moved to make room for `big`, which did not fit with every workload kept in place"});
  // With local data, `small` stays and `big` does not fit: the capacity error.
  auto stuck = compile({{"net.claw", std::string(program).replace(program.find("needs { cpu = 2"), 0,
                                                                   "volume d { at = \"/d\"; size = 1GiB }; ")}},
                       with(was));
  CHECK(stuck->where().find("default/small", 0)->machine == "b");
  CHECK(stuck->errors().find("service `big` does not fit") != std::string::npos);
}

TEST_CASE("stable placement: the previous placement of daemons is not recorded") {
  auto p = compile_ok({{"net.claw", std::string(kCluster) +
                                        "machine a { os = linux; arch = amd64; cpu = 4; memory = 8GiB }\n"
                                        "daemon agent { image = \"x\" }\nservice web { image = \"x\" }\n"}});
  const Previous was = p->where();
  CHECK(was.workloads.size() == 1);
  CHECK(was.workloads.contains("default/web"));
}
