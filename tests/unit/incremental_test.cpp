// Incremental checking, as `claw lsp` runs it after every edit: a
// compilation that reuses the previous one's machines, workloads and
// placement must show the user exactly what a full compilation of the same
// text shows. Each case edits a program (the examples, infra/, a generated
// one) in memory, checks the edit incrementally (the previous compilation
// handed over) and afresh (a new parse cache, nothing kept), and compares
// everything a user sees: the diagnostics, the files `claw build` writes,
// the placement, and the position index the editor features read.
#include <doctest/doctest.h>

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <filesystem>
#include <iterator>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <regex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "compiler/diag/render.h"
#include "compiler/driver/compile.h"
#include "compiler/emit/output_tree.h"
#include "compiler/emit/provenance.h"
#include "compiler/project/parse_cache.h"
#include "compiler/sema/index.h"
#include "tests/unit/claw_inputs.h"
#include "tests/unit/test_fs.h"

namespace {

using namespace claw;

/// A program's user files: path (with `/` separators) → text.
using Files = std::map<std::string, std::string>;

/// A program to edit: its files and the folder `claw check` is given.
struct Program {
  std::string name;
  std::string root;
  Files files;
};

// ------------------------------------------------------------- the programs

/// The example `dir` of examples/ (every .claw file of its folder).
Program example(const std::string& dir) {
  Program p{"examples/" + dir, dir, {}};
  for (auto& in : testing::claw_files_under(testing::kRoot / "examples" / dir, dir + "/")) p.files[in.name] = in.text;
  return p;
}

/// infra/, the whole folder.
Program infra() {
  Program p{"infra", "infra", {}};
  for (auto& in : testing::claw_files_under(testing::kRoot / "infra", "infra/")) p.files[in.name] = in.text;
  return p;
}

/// A generated program of several files, the same for a seed: lets,
/// secrets, templates, roles, machines and services that refer to each
/// other across files (the services of one team start after another's);
/// `teams` files of `per_team` services each, on `machines` machines.
Program generated(uint32_t seed, int teams = 4, int per_team = 6, int machines_n = 8) {
  std::mt19937 rng(seed);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  Program p{"generated", "gen", {}};
  p.files["gen/cluster.claw"] =
      "// The cluster and the constants every team uses.\n"
      "cluster gen {\n  k3s = \"v1.31.4+k3s1\"\n  server = m-00\n}\n\n"
      "let registry = \"registry.example.com/gen\"\n"
      "let log-level = \"info\"\n"
      "let default-replicas: int = 2\n"
      "let base-memory = 128MiB\n";
  p.files["gen/roles.claw"] =
      "role storage {\n  label \"node-role\" = \"storage\"\n  taint \"node-role=storage:NoSchedule\"\n}\n\n"
      "role batch {\n  label \"workload-class\" = \"batch\"\n}\n";
  p.files["gen/secrets.claw"] =
      "secret db-pass { from = env(\"DB_PASS\") }\n"
      "secret api-key {\n  from = env(\"API_KEY\")\n}\n";
  p.files["gen/templates.claw"] =
      "// An HTTP service.\n"
      "template web(img: string, scale: int(1..10) = 2, mem: bytes = 128MiB) service {\n"
      "  image = img\n  replicas = scale\n  port http = 8080\n"
      "  env {\n    LOG_LEVEL = log-level\n    MODE = \"web\"\n  }\n"
      "  needs { cpu = 100m; memory = mem }\n"
      "  health = http(\"/healthz\", 8080)\n}\n\n"
      "template nightly(img: string) cron {\n  image = img\n  schedule = \"0 3 * * *\"\n"
      "  needs { cpu = 100m; memory = 64MiB }\n}\n";
  std::string machines = "// The machines.\n";
  for (int m = 0; m < machines_n; ++m) {
    machines += fmt::format("\nmachine m-{:02} {{\n  os = linux\n  arch = amd64\n  cpu = {}\n  memory = {}GiB\n", m,
                            pick(0, 1) ? 16 : 32, pick(0, 1) ? 64 : 128);
    if (m == machines_n - 1) machines += "  roles = [storage]\n";
    else if (m % 3 == 1) machines += "  roles = [batch]\n";
    machines += "}\n";
  }
  p.files["gen/machines.claw"] = machines;
  for (int team = 0; team < teams; ++team) {
    std::string text = fmt::format("// Team {}.\nimport \"../templates.claw\"\n\nlet team-{}-tag = \"1.{}.0\"\n", team, team, team);
    for (int j = 0; j < per_team; ++j) {
      text += fmt::format("\nservice svc-{}-{} {{\n  image = \"${{registry}}/svc-{}-{}:${{team-{}-tag}}\"\n", team, j, team, j, team);
      text += fmt::format("  replicas = {}\n  port http = {}\n", pick(1, 3), 8000 + j);
      if (j % 2 == 1) text += fmt::format("  namespace = \"team-{}\"\n", team);
      text += fmt::format("  env {{\n    LOG_LEVEL = log-level\n    NAME = \"svc-{}-{}\"\n", team, j);
      if (pick(0, 2) == 0) text += "    DB_PASSWORD = secret(\"db-pass\")\n";
      if (team == 2 && j == 0) text += "    API_KEY = secret(\"api-key\")\n";
      // The address of a service of another team's file, alone or in a string.
      if (team > 0 && j % 3 == 0) text += fmt::format("    UPSTREAM = svc-{}-{}.url\n", team - 1, j);
      if (team > 0 && j % 3 == 1) text += fmt::format("    UPSTREAM = \"${{svc-{}-{}.host}}:${{svc-{}-{}.port}}\"\n", team - 1, j, team - 1, j);
      text += "  }\n  needs { cpu = 100m; memory = base-memory }\n";
      if (team == 1 && j == 0) text += "  roles = [storage]\n  tolerate = [\"node-role=storage:NoSchedule\"]\n";
      else if (pick(0, 3) == 0) text += "  roles = [batch]\n";
      if (team > 0 && pick(0, 1) == 0) text += fmt::format("  after = [svc-{}-{}]\n", team - 1, pick(0, per_team - 1));
      text += "}\n";
    }
    text += fmt::format("\nservice web-{} = web(img = \"${{registry}}/web:${{team-{}-tag}}\", scale = {}) {{\n", team, team, pick(1, 3));
    text += fmt::format("  env.TEAM = \"team-{}\"\n}}\n", team);
    text += fmt::format("\ndaemon agent-{} {{\n  image = \"${{registry}}/agent:${{team-{}-tag}}\"\n"
                        "  needs {{ cpu = 50m; memory = 32MiB }}\n}}\n", team, team);
    text += fmt::format("\ncron nightly-{} = nightly(img = \"${{registry}}/batch:${{team-{}-tag}}\")\n", team, team);
    p.files[fmt::format("gen/services/team-{}.claw", team)] = text;
  }
  return p;
}

// ------------------------------------------------------- what a user sees

/// Everything of one compilation a user sees, in comparable form.
struct View {
  bool failed = false;
  bool placed = false;
  std::vector<std::string> diags;                         // in order
  Files outputs;                                          // the output tree claw build writes
  std::vector<std::string> placement;                     // every assignment, in order
  std::map<std::string, std::set<std::string>> index;     // per file, its items
};

std::string path_of(const source::SourceManager& sm, source::Span s) {
  if (!s.valid() || s.file.value >= sm.size()) return "-";
  return sm.file(s.file).path();
}

/// A span as `path:begin-end` (byte offsets: the texts compared are equal).
std::string at(const source::SourceManager& sm, source::Span s) {
  if (!s.valid() || s.file.value >= sm.size()) return "-";
  return fmt::format("{}:{}-{}", sm.file(s.file).path(), s.begin, s.end);
}

/// Every diagnostic as claw check prints it (path:line:col, severity,
/// message, code, the source line, notes and hints) and as its JSON says
/// it (the notes' and the fix's spans too), by file in the order each
/// file's are given. (The order of the files themselves follows their ids,
/// which a parse cache hands out in the order it first saw them, so it is
/// not compared: the language server publishes each file's on its own.)
std::vector<std::string> diagnostics_of(const driver::Compiled& c) {
  std::vector<std::pair<std::string, std::string>> by_file;
  const source::SourceManager& sm = c.project->sources;
  for (const auto& d : c.diags.all())
    by_file.emplace_back(path_of(sm, d.span), diag::render_text(sm, d) + nlohmann::json::parse(diag::render_json(sm, {d})).dump());
  std::stable_sort(by_file.begin(), by_file.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> out;
  for (auto& [path, text] : by_file) out.push_back(std::move(text));
  return out;
}

/// The files `claw build` writes for a compilation it would write.
Files outputs_of(const driver::Compiled& c) {
  Files out;
  if (c.failed || !c.placed) return out;
  std::mutex lock;
  emit::write_output_tree(c.checked->model, c.placed->placement, emit::where_in(c.project->sources),
                          [&](std::string_view path, std::string_view text) {
                            std::lock_guard<std::mutex> hold(lock);
                            out[std::string(path)] = std::string(text);
                          });
  return out;
}

/// Every assignment (workload, replica, machine, cards) and move, in order.
std::vector<std::string> placement_of(const driver::Compiled& c) {
  std::vector<std::string> out;
  if (!c.placed) return out;
  const sema::Model& m = c.checked->model;
  for (const auto& a : c.placed->placement.assignments) {
    const sema::Workload& w = m.workload(a.workload);
    std::string cards;
    for (int card : a.cards) cards += fmt::format(" {}", card);
    out.push_back(fmt::format("{}/{} #{} on {} cards[{}]", w.namespace_, w.name, a.replica, m.machine(a.machine).name, cards));
  }
  for (const auto& mv : c.placed->placement.moves) out.push_back("move " + mv.reason);
  return out;
}

/// A symbol as its kind, name and where it is declared.
std::string symbol_text(const source::SourceManager& sm, const sema::Index& ix, uint32_t s) {
  if (s >= ix.symbols.size()) return fmt::format("<symbol {} of {}>", s, ix.symbols.size());
  const sema::Symbol& sym = ix.symbols[s];
  return fmt::format("{} {} @{}", sema::symbol_kind_name(sym.kind), sym.name, at(sm, sym.name_span));
}

/// The index by file: its symbols, references, field uses and
/// expectations, each once (a template body records its references once
/// per use, so duplicates say nothing).
std::map<std::string, std::set<std::string>> index_of(const driver::Compiled& c) {
  std::map<std::string, std::set<std::string>> out;
  const source::SourceManager& sm = c.project->sources;
  const sema::Index& ix = c.checked->index;
  for (uint32_t s = 0; s < ix.symbols.size(); ++s) {
    const sema::Symbol& sym = ix.symbols[s];
    std::string parent = sym.parent == UINT32_MAX ? "-" : symbol_text(sm, ix, sym.parent);
    out[path_of(sm, sym.name_span)].insert(fmt::format("symbol {} decl {} detail `{}` stdlib {} parent {}",
                                                       symbol_text(sm, ix, s), at(sm, sym.decl_span), sym.detail,
                                                       sym.stdlib, parent));
  }
  // What is recorded by file, and whatever finish() left unmoved.
  std::vector<const sema::Index::InFile*> parts;
  for (const auto& in : ix.by_file) parts.push_back(&in);
  sema::Index::InFile unmoved{ix.refs, ix.fields, ix.expected};
  parts.push_back(&unmoved);
  for (const sema::Index::InFile* in : parts) {
    for (const auto& r : in->refs)
      out[path_of(sm, r.span)].insert(fmt::format("ref {} -> {}", at(sm, r.span), symbol_text(sm, ix, r.symbol)));
    for (const auto& f : in->fields) {
      std::string field = "-";
      if (f.record && f.field >= 0 && static_cast<size_t>(f.field) < f.record->fields.size())
        field = f.record->name + "." + f.record->fields[static_cast<size_t>(f.field)].name;
      out[path_of(sm, f.span)].insert(fmt::format("field {} {}", at(sm, f.span), field));
    }
    for (const auto& e : in->expected)
      out[path_of(sm, e.span)].insert(fmt::format("expect {} type {} record {}", at(sm, e.span),
                                                  e.type ? sema::type_name(e.type) : "-", e.record ? e.record->name : "-"));
  }
  return out;
}

/// What a user sees of compilation `c`.
View view_of(const driver::Compiled& c) {
  View v;
  v.failed = c.failed;
  v.placed = c.placed != nullptr;
  v.diags = diagnostics_of(c);
  v.outputs = outputs_of(c);
  v.placement = placement_of(c);
  v.index = index_of(c);
  return v;
}

/// The first few differences between two lists, for a failure message.
template <class List, class Show>
void list_difference(std::string& out, std::string_view what, const List& inc, const List& full, Show show) {
  if (inc == full) return;
  out += fmt::format("{} differ ({} incremental, {} full):\n", what, inc.size(), full.size());
  std::vector<std::string> a, b;
  for (const auto& x : inc) a.push_back(show(x));
  for (const auto& x : full) b.push_back(show(x));
  if (!std::is_sorted(a.begin(), a.end()) || !std::is_sorted(b.begin(), b.end())) {
    // Ordered lists: the first position where they part.
    size_t i = 0;
    while (i < a.size() && i < b.size() && a[i] == b[i]) ++i;
    auto shown = [](const std::vector<std::string>& list, size_t k) {
      return k < list.size() ? list[k].substr(0, 1200) : std::string("(none)");
    };
    out += fmt::format("  at #{}:\n  incremental: {}\n  full:        {}\n", i, shown(a, i), shown(b, i));
    return;
  }
  std::vector<std::string> only_a, only_b;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(only_a));
  std::set_difference(b.begin(), b.end(), a.begin(), a.end(), std::back_inserter(only_b));
  size_t shown = 0;
  for (const auto& x : only_a)
    if (shown++ < 6) out += "  only incremental: " + x + "\n";
  for (const auto& x : only_b)
    if (shown++ < 12) out += "  only full:        " + x + "\n";
}

/// What differs between the incremental view and the full one; empty when
/// they are the same.
std::string difference(const View& inc, const View& full) {
  std::string out;
  if (inc.failed != full.failed) out += fmt::format("failed: {} incremental, {} full\n", inc.failed, full.failed);
  if (inc.placed != full.placed) out += fmt::format("placed: {} incremental, {} full\n", inc.placed, full.placed);
  auto same = [](const std::string& s) { return s; };
  list_difference(out, "diagnostics", inc.diags, full.diags, same);
  list_difference(out, "placements", inc.placement, full.placement, same);
  list_difference(out, "output files", inc.outputs, full.outputs,
                  [](const auto& kv) { return kv.first + " (" + std::to_string(kv.second.size()) + " bytes)"; });
  for (const auto& [path, text] : inc.outputs) {
    auto it = full.outputs.find(path);
    if (it == full.outputs.end() || it->second == text) continue;
    size_t i = 0;
    while (i < text.size() && i < it->second.size() && text[i] == it->second[i]) ++i;
    out += fmt::format("output {} differs at byte {}:\n  incremental: {}\n  full:        {}\n", path, i,
                       testing::excerpt(text, static_cast<uint32_t>(i)),
                       testing::excerpt(it->second, static_cast<uint32_t>(i)));
  }
  std::set<std::string> paths;
  for (const auto& kv : inc.index) paths.insert(kv.first);
  for (const auto& kv : full.index) paths.insert(kv.first);
  static const std::set<std::string> kNone;
  for (const auto& path : paths) {
    auto a = inc.index.find(path), b = full.index.find(path);
    list_difference(out, "index of " + path, a == inc.index.end() ? kNone : a->second,
                    b == full.index.end() ? kNone : b->second, same);
  }
  return out;
}

// ------------------------------------------------------------ the sessions

/// The environment of every compilation here: the stdlib the build ships.
const driver::Environment& environment() {
  static const driver::Environment env{testing::stdlib_dir()};
  return env;
}

/// What a full check of `files` (`root` given to it) shows.
View full_view(const std::string& root, const Files& files) {
  testing::TestFileSystem fs;
  for (const auto& [path, text] : files) fs.memory.add(path, text);
  project::ParseCache cache;
  driver::CheckOptions o;
  o.paths = {root};
  o.index = true;
  o.cache = &cache;
  return view_of(driver::compile(o, fs, environment()));
}

/// The checks the language server runs: one parse cache for all, each
/// compilation kept for the next and handed to it.
class Session {
 public:
  /// What the incremental compilation reused.
  struct Step {
    size_t reused = 0;
    bool placement_reused = false;
    bool placed = false;
    bool previous_placed = false;
    bool errors = false;
  };

  /// Checks `program` as written, on `threads` threads (0: as claw lsp does).
  explicit Session(const Program& program, unsigned threads = 0)
      : program_(program), files_(program.files), threads_(threads) {
    for (const auto& [path, text] : files_) fs_.memory.add(path, text);
    previous_ = compile(&cache_, true, nullptr);
  }

  const Files& files() const { return files_; }
  const driver::Compiled& last() const { return previous_; }

  /// Makes the program's files `next`, checks them incrementally and
  /// afresh, and checks that the two show the same (`what` names the edit).
  Step edit(const Files& next, const std::string& what) {
    for (const auto& [path, text] : files_)
      if (!next.contains(path)) fs_.memory.remove(path);
    for (const auto& [path, text] : next) fs_.memory.add(path, text);
    files_ = next;
    Step step;
    step.previous_placed = previous_.placed != nullptr;
    driver::Compiled inc = compile(&cache_, true, &previous_);
    project::ParseCache fresh_cache;
    driver::Compiled full = compile(&fresh_cache, false, nullptr);
    step.reused = inc.checked->stats.reused;
    step.placement_reused = inc.placement_reused;
    step.placed = inc.placed != nullptr;
    step.errors = inc.diags.has_errors();
    std::string diff = difference(view_of(inc), view_of(full));
    if (diff.size() > 6000) diff = diff.substr(0, 6000) + "...\n";
    CHECK_MESSAGE(diff.empty(), program_.name, ": after ", what, ":\n", diff);
    previous_ = std::move(inc);
    return step;
  }

 private:
  driver::Compiled compile(project::ParseCache* cache, bool keep, driver::Compiled* previous) {
    driver::CheckOptions o;
    o.paths = {program_.root};
    o.index = true;
    o.keep = keep;
    o.threads = threads_;
    o.cache = cache;
    return driver::compile(o, fs_, environment(), {}, true, previous);
  }

  const Program& program_;
  Files files_;
  unsigned threads_ = 0;
  testing::TestFileSystem fs_;
  project::ParseCache cache_;
  driver::Compiled previous_;
};

// --------------------------------------------------------------- the edits

/// A top-level declaration as written: `kind name ...` at the start of a
/// line, up to the end of the line where its brackets close.
struct Decl {
  std::string kind, name;
  size_t begin = 0, name_at = 0, end = 0;
};

/// Where the brackets opened at `from` close, skipping strings and
/// comments: the offset past the newline ending that line (or the end).
size_t declaration_end(const std::string& t, size_t from) {
  int depth = 0;
  size_t i = from;
  while (i < t.size()) {
    char ch = t[i];
    if (t.compare(i, 3, "\"\"\"") == 0) {
      size_t close = t.find("\"\"\"", i + 3);
      i = close == std::string::npos ? t.size() : close + 3;
    } else if (ch == '"') {
      ++i;
      while (i < t.size() && t[i] != '"' && t[i] != '\n') i += t[i] == '\\' ? 2 : 1;
      ++i;
    } else if (t.compare(i, 2, "//") == 0) {
      while (i < t.size() && t[i] != '\n') ++i;
    } else if (t.compare(i, 2, "/*") == 0) {
      size_t close = t.find("*/", i + 2);
      i = close == std::string::npos ? t.size() : close + 2;
    } else {
      if (ch == '{' || ch == '(' || ch == '[') ++depth;
      if (ch == '}' || ch == ')' || ch == ']') --depth;
      if (ch == '\n' && depth <= 0) return i + 1;
      ++i;
    }
  }
  return t.size();
}

std::vector<Decl> declarations(const std::string& t) {
  static const std::set<std::string> kKinds = {"cluster", "machine", "role",     "service", "job",    "cron",
                                               "daemon",  "chart",   "secret",   "resource", "let",   "template"};
  std::vector<Decl> out;
  size_t line = 0;
  while (line < t.size()) {
    size_t i = line;
    while (i < t.size() && std::isalpha(static_cast<unsigned char>(t[i]))) ++i;
    std::string kind = t.substr(line, i - line);
    size_t next = t.find('\n', line);
    next = next == std::string::npos ? t.size() : next + 1;
    if (kKinds.contains(kind) && i < t.size() && t[i] == ' ') {
      while (i < t.size() && t[i] == ' ') ++i;
      size_t n = i;
      while (n < t.size() && (std::isalnum(static_cast<unsigned char>(t[n])) || t[n] == '-' || t[n] == '_')) ++n;
      if (n > i) {
        Decl d{kind, t.substr(i, n - i), line, i, declaration_end(t, line)};
        out.push_back(d);
        next = std::max(next, d.end);
      }
    }
    line = next;
  }
  return out;
}

/// One edit of a program: the files after it, and what it did.
struct Edit {
  Files next;
  std::string what;
};

using Rng = std::mt19937;

/// A seed from a name, the same on every platform (FNV-1a).
uint32_t seed_of(std::string_view name) {
  uint32_t h = 2166136261u;
  for (char ch : name) h = (h ^ static_cast<unsigned char>(ch)) * 16777619u;
  return h;
}

/// A number from `lo` to `hi`, both included.
int pick(Rng& rng, int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); }

/// An element of `v`, which must not be empty.
template <class T>
const T& any(Rng& rng, const std::vector<T>& v) {
  return v[static_cast<size_t>(pick(rng, 0, static_cast<int>(v.size()) - 1))];
}

/// A place in a file to edit.
struct Site {
  std::string path;
  size_t begin = 0, end = 0;  // the text replaced
};

/// `files` with the text at `s` replaced by `with`, described as a `kind`.
Edit replace(const Files& files, const Site& s, const std::string& with, const std::string& kind) {
  Edit e{files, {}};
  std::string& text = e.next[s.path];
  std::string was = text.substr(s.begin, s.end - s.begin);
  text.replace(s.begin, s.end - s.begin, with);
  e.what = fmt::format("{} in {} at byte {}: `{}` -> `{}`", kind, s.path, s.begin, testing::excerpt(was, 0),
                       testing::excerpt(with, 0));
  return e;
}

/// Every match of `re`'s group `group` in the declarations of `kinds`
/// (all of a file's text when `kinds` is empty).
std::vector<Site> sites(const Files& files, const std::regex& re, size_t group, const std::set<std::string>& kinds = {}) {
  std::vector<Site> out;
  for (const auto& [path, text] : files) {
    std::vector<std::pair<size_t, size_t>> ranges;
    if (kinds.empty()) ranges.push_back({0, text.size()});
    for (const auto& d : declarations(text))
      if (kinds.contains(d.kind)) ranges.push_back({d.begin, d.end});
    for (auto [b, e] : ranges)
      for (auto it = std::sregex_iterator(text.begin() + static_cast<long>(b), text.begin() + static_cast<long>(e), re);
           it != std::sregex_iterator(); ++it) {
        size_t at = b + static_cast<size_t>(it->position(static_cast<int>(group)));
        out.push_back({path, at, at + static_cast<size_t>(it->length(static_cast<int>(group)))});
      }
  }
  return out;
}

/// One character replaced, inserted or deleted anywhere in a file.
std::optional<Edit> character_edit(const Files& files, Rng& rng) {
  std::vector<std::string> paths;
  for (const auto& [path, text] : files)
    if (!text.empty()) paths.push_back(path);
  if (paths.empty()) return std::nullopt;
  const std::string& path = any(rng, paths);
  const size_t size = files.at(path).size();
  const size_t pos = static_cast<size_t>(pick(rng, 0, static_cast<int>(size) - 1));
  static const std::vector<std::string> kChars = {" ", "{", "}", "=", "\"", "a", "-", "0", "9", "\n", ".", ",", "[", "(", ";"};
  switch (pick(rng, 0, 2)) {
    case 0: return replace(files, {path, pos, pos + 1}, any(rng, kChars), "replace a character");
    case 1: return replace(files, {path, pos, pos}, any(rng, kChars), "insert a character");
    default: return replace(files, {path, pos, pos + 1}, "", "delete a character");
  }
}

/// The string literals of `text` between `b` and `e` that hold no escape
/// and interpolate nothing, as the sites of their contents (comments skipped).
std::vector<Site> plain_strings(const std::string& path, const std::string& text, size_t b, size_t e) {
  std::vector<Site> out;
  size_t i = b;
  while (i < e) {
    if (text.compare(i, 2, "//") == 0) {
      while (i < e && text[i] != '\n') ++i;
    } else if (text[i] == '"') {
      size_t open = ++i;
      bool plain = true;
      while (i < e && text[i] != '"' && text[i] != '\n') {
        if (text[i] == '\\' || text[i] == '$') plain = false;
        i += text[i] == '\\' ? 2 : 1;
      }
      if (plain && i < e && text[i] == '"') out.push_back({path, open, i});
      ++i;
    } else {
      ++i;
    }
  }
  return out;
}

/// Sites of the string literals of a service's `env { ... }` that name no
/// secret or file and interpolate nothing: text no name depends on.
std::vector<Site> env_strings(const Files& files) {
  std::vector<Site> out;
  static const std::regex kEnv(R"(\benv\s*\{)");
  for (const auto& [path, text] : files)
    for (const auto& d : declarations(text)) {
      if (d.kind != "service") continue;
      for (auto it = std::sregex_iterator(text.begin() + static_cast<long>(d.begin), text.begin() + static_cast<long>(d.end), kEnv);
           it != std::sregex_iterator(); ++it) {
        size_t open = d.begin + static_cast<size_t>(it->position()) + static_cast<size_t>(it->length()) - 1;
        size_t close = std::min(declaration_end(text, open), d.end);  // past the line where the block closes
        for (const Site& s : plain_strings(path, text, open, close)) {
          std::string before = text.substr(0, s.begin - 1);
          if (before.ends_with("secret(") || before.ends_with("file(") || before.ends_with("env(")) continue;
          out.push_back(s);
        }
      }
    }
  return out;
}

/// A plain string of a service's env made longer.
std::optional<Edit> env_string_edit(const Files& files, Rng& rng) {
  auto s = env_strings(files);
  if (s.empty()) return std::nullopt;
  Site site = any(rng, s);
  const std::string& text = files.at(site.path);
  return replace(files, site, text.substr(site.begin, site.end - site.begin) + fmt::format("-e{}", pick(rng, 0, 99)),
                 "change an env string");
}

/// A replicas, port or needs number made another.
std::optional<Edit> number_edit(const Files& files, Rng& rng) {
  static const std::regex kReplicas(R"(\breplicas\s*=\s*(\d+))");
  static const std::regex kPort(R"(\bport\s+[A-Za-z0-9_-]+\s*=\s*(\d+))");
  static const std::regex kNeedsCpu(R"(\bneeds\s*\{[^}]*?\bcpu\s*=\s*(\d+m?))");
  static const std::regex kNeedsMemory(R"(\bneeds\s*\{[^}]*?\bmemory\s*=\s*(\d+(MiB|GiB)))");
  std::vector<std::pair<Site, std::string>> all;
  for (const auto& s : sites(files, kReplicas, 1)) all.push_back({s, fmt::format("{}", pick(rng, 1, 4))});
  for (const auto& s : sites(files, kPort, 1)) all.push_back({s, fmt::format("{}", pick(rng, 8000, 8010))});
  for (const auto& s : sites(files, kNeedsCpu, 1)) {
    bool milli = files.at(s.path)[s.end - 1] == 'm';
    all.push_back({s, milli ? fmt::format("{}m", any<int>(rng, {50, 100, 250, 500})) : fmt::format("{}", pick(rng, 1, 2))});
  }
  for (const auto& s : sites(files, kNeedsMemory, 1)) {
    bool mib = files.at(s.path).compare(s.end - 3, 3, "MiB") == 0;
    all.push_back({s, mib ? fmt::format("{}MiB", any<int>(rng, {64, 128, 256, 512})) : fmt::format("{}GiB", pick(rng, 1, 4))});
  }
  if (all.empty()) return std::nullopt;
  const auto& [site, with] = any(rng, all);
  if (files.at(site.path).compare(site.begin, site.end - site.begin, with) == 0) return std::nullopt;  // no change
  return replace(files, site, with, "change a replicas or needs number");
}

/// A machine's cpu (not its reserved one) made another.
std::optional<Edit> machine_cpu_edit(const Files& files, Rng& rng) {
  static const std::regex kCpu(R"(\bcpu\s*=\s*(\d+))");
  std::vector<Site> ok;
  for (const auto& s : sites(files, kCpu, 1, {"machine"})) {
    const std::string& text = files.at(s.path);
    size_t line = text.rfind('\n', s.begin);
    line = line == std::string::npos ? 0 : line;
    if (text.substr(line, s.begin - line).find("reserved") == std::string::npos) ok.push_back(s);
  }
  if (ok.empty()) return std::nullopt;
  const Site& s = any(rng, ok);
  const std::string was = files.at(s.path).substr(s.begin, s.end - s.begin);
  std::string now = was;
  while (now == was) now = fmt::format("{}", any<int>(rng, {2, 4, 8, 16, 32, 64}));
  return replace(files, s, now, "change a machine's cpu");
}

/// The declarations of `kinds` in every file; `paths` gets the file of each.
std::vector<Decl> declared(const Files& files, const std::set<std::string>& kinds, std::vector<std::string>* paths) {
  std::vector<Decl> out;
  for (const auto& [path, text] : files)
    for (const auto& d : declarations(text))
      if (kinds.contains(d.kind)) {
        out.push_back(d);
        paths->push_back(path);
      }
  return out;
}

/// A workload or a role renamed where it is declared (its references break).
std::optional<Edit> rename_edit(const Files& files, Rng& rng) {
  // Roles are few beside workloads: one rename in three is of a role.
  std::vector<std::string> paths;
  auto decls = declared(files, {"role"}, &paths);
  if (decls.empty() || pick(rng, 0, 2) != 0) {
    paths.clear();
    decls = declared(files, {"service", "job", "cron", "daemon"}, &paths);
  }
  if (decls.empty()) return std::nullopt;
  size_t i = static_cast<size_t>(pick(rng, 0, static_cast<int>(decls.size()) - 1));
  const Decl& d = decls[i];
  return replace(files, {paths[i], d.name_at, d.name_at + d.name.size()}, d.name + "-r",
                 fmt::format("rename {} `{}`", d.kind, d.name));
}

/// A new service at the end of a file.
std::optional<Edit> add_service_edit(const Files& files, Rng& rng) {
  std::vector<std::string> paths;
  for (const auto& [path, text] : files) paths.push_back(path);
  const std::string& path = any(rng, paths);
  const std::string& text = files.at(path);
  std::string service = fmt::format(
      "\nservice added-{} {{\n  image = \"nginx:1.27\"\n  env {{ MODE = \"added\" }}\n  needs {{ cpu = 100m; memory = 64MiB }}\n}}\n",
      pick(rng, 0, 999));
  return replace(files, {path, text.size(), text.size()}, service, "add a service");
}

/// A service's declaration deleted.
std::optional<Edit> delete_service_edit(const Files& files, Rng& rng) {
  std::vector<std::string> paths;
  auto decls = declared(files, {"service"}, &paths);
  if (decls.empty()) return std::nullopt;
  size_t i = static_cast<size_t>(pick(rng, 0, static_cast<int>(decls.size()) - 1));
  return replace(files, {paths[i], decls[i].begin, decls[i].end}, "", fmt::format("delete service `{}`", decls[i].name));
}

/// A let's value changed: its first plain string, else its first number.
std::optional<Edit> let_value_edit(const Files& files, Rng& rng) {
  std::vector<std::string> paths;
  auto decls = declared(files, {"let"}, &paths);
  if (decls.empty()) return std::nullopt;
  size_t i = static_cast<size_t>(pick(rng, 0, static_cast<int>(decls.size()) - 1));
  const Decl& d = decls[i];
  const std::string& text = files.at(paths[i]);
  size_t eq = text.find('=', d.name_at);
  if (eq == std::string::npos || eq >= d.end) return std::nullopt;
  const std::string what = fmt::format("edit let `{}`", d.name);
  auto strings = plain_strings(paths[i], text, eq, d.end);
  if (!strings.empty()) {
    const Site& s = strings.front();
    return replace(files, s, text.substr(s.begin, s.end - s.begin) + "x", what);
  }
  static const std::regex kNumber(R"(\d+)");
  std::smatch m;
  std::string rest = text.substr(eq, d.end - eq);
  if (!std::regex_search(rest, m, kNumber)) return std::nullopt;
  size_t at = eq + static_cast<size_t>(m.position(0));
  return replace(files, {paths[i], at, at + static_cast<size_t>(m.length(0))}, std::to_string(std::stoll(m.str(0)) + 1), what);
}

/// Text no declaration can hold, inserted anywhere in a file.
std::optional<Edit> syntax_error_edit(const Files& files, Rng& rng) {
  std::vector<std::string> paths;
  for (const auto& [path, text] : files) paths.push_back(path);
  const std::string& path = any(rng, paths);
  const size_t pos = static_cast<size_t>(pick(rng, 0, static_cast<int>(files.at(path).size())));
  return replace(files, {path, pos, pos}, any<std::string>(rng, {"{", "}", " = = ", "\nservice ", "\"", "(", " @ "}),
                 "a syntax error");
}

/// The bodies of the machines and workloads, past their names: where an
/// edit leaves every declared name as it was.
std::vector<Site> bodies(const Files& files) {
  std::vector<Site> out;
  for (const auto& [path, text] : files)
    for (const auto& d : declarations(text))
      if (d.kind == "machine" || d.kind == "service" || d.kind == "job" || d.kind == "cron" || d.kind == "daemon")
        if (d.name_at + d.name.size() + 2 < d.end) out.push_back({path, d.name_at + d.name.size() + 1, d.end - 1});
  return out;
}

/// One character replaced, inserted or deleted in a machine's or workload's body.
std::optional<Edit> body_character_edit(const Files& files, Rng& rng) {
  auto b = bodies(files);
  if (b.empty()) return std::nullopt;
  const Site& body = any(rng, b);
  const size_t pos = static_cast<size_t>(pick(rng, static_cast<int>(body.begin), static_cast<int>(body.end) - 1));
  static const std::vector<std::string> kChars = {" ", "{", "}", "=", "\"", "a", "-", "0", "9", "\n", ".", "[", ";", "x"};
  switch (pick(rng, 0, 2)) {
    case 0: return replace(files, {body.path, pos, pos + 1}, any(rng, kChars), "replace a character of a body");
    case 1: return replace(files, {body.path, pos, pos}, any(rng, kChars), "insert a character into a body");
    default: return replace(files, {body.path, pos, pos + 1}, "", "delete a character of a body");
  }
}

/// Any plain string of a machine's or workload's body (an image, a host,
/// a toleration, an address, a path), made another.
std::optional<Edit> body_string_edit(const Files& files, Rng& rng) {
  std::vector<Site> all;
  for (const Site& b : bodies(files)) {
    const std::string& text = files.at(b.path);
    for (const Site& s : plain_strings(b.path, text, b.begin, b.end)) {
      std::string before = text.substr(0, s.begin - 1);
      if (!before.ends_with("secret(") && !before.ends_with("file(") && !before.ends_with("env(")) all.push_back(s);
    }
  }
  if (all.empty()) return std::nullopt;
  const Site& s = any(rng, all);
  const std::string was = files.at(s.path).substr(s.begin, s.end - s.begin);
  const std::string now = pick(rng, 0, 3) == 0 ? std::string() : pick(rng, 0, 1) ? was + "x" : "x" + was;
  return replace(files, s, now, "change a string of a body");
}

/// A `secret("...")` a workload reads, made to read another secret of the
/// program or one that is not declared: what reads a secret is checked
/// against the secrets' own files.
std::optional<Edit> secret_read_edit(const Files& files, Rng& rng) {
  static const std::regex kRead(R"re(\bsecret\(\s*"([^"\\$\n]*)")re");
  auto reads = sites(files, kRead, 1, {"service", "job", "cron", "daemon"});
  if (reads.empty()) return std::nullopt;
  std::vector<std::string> names = {"no-such-secret"}, paths;
  for (const auto& d : declared(files, {"secret"}, &paths)) names.push_back(d.name);
  return replace(files, any(rng, reads), any(rng, names), "change the secret a workload reads");
}

/// The folder the program's files are in (the first file's).
std::string folder_of(const Files& files) {
  return files.empty() ? std::string(".") : io::parent_dir(files.begin()->first);
}

/// A new file holding one service, beside the program's first.
std::optional<Edit> add_file_edit(const Files& files, Rng& rng) {
  Edit e{files, {}};
  const std::string path = fmt::format("{}/added-{}.claw", folder_of(files), pick(rng, 0, 999));
  if (files.contains(path)) return std::nullopt;
  e.next[path] = fmt::format("service file-added-{} {{\n  image = \"nginx:1.27\"\n  needs {{ cpu = 100m; memory = 64MiB }}\n}}\n",
                             pick(rng, 0, 999));
  e.what = "add the file " + path;
  return e;
}

/// One of the program's files removed.
std::optional<Edit> remove_file_edit(const Files& files, Rng& rng) {
  if (files.size() < 2) return std::nullopt;
  std::vector<std::string> paths;
  for (const auto& [path, text] : files) paths.push_back(path);
  Edit e{files, {}};
  const std::string path = any(rng, paths);
  e.next.erase(path);
  e.what = "remove the file " + path;
  return e;
}

/// A workload cut from its file and pasted at the end of another: the same
/// names, declared elsewhere.
std::optional<Edit> move_declaration_edit(const Files& files, Rng& rng) {
  if (files.size() < 2) return std::nullopt;
  std::vector<std::string> paths, all;
  auto decls = declared(files, {"service", "job", "cron", "daemon"}, &paths);
  if (decls.empty()) return std::nullopt;
  for (const auto& [path, text] : files) all.push_back(path);
  size_t i = static_cast<size_t>(pick(rng, 0, static_cast<int>(decls.size()) - 1));
  std::string to = any(rng, all);
  if (to == paths[i]) return std::nullopt;
  Edit e{files, {}};
  std::string& from_text = e.next[paths[i]];
  std::string decl = from_text.substr(decls[i].begin, decls[i].end - decls[i].begin);
  from_text.erase(decls[i].begin, decls[i].end - decls[i].begin);
  e.next[to] += "\n" + decl;
  e.what = fmt::format("move {} `{}` from {} to {}", decls[i].kind, decls[i].name, paths[i], to);
  return e;
}

/// The kinds of edit.
enum class Kind {
  Character, EnvString, Number, MachineCpu, Rename, AddService, DeleteService, LetValue, SyntaxError,
  BodyCharacter, BodyString, SecretRead, AddFile, RemoveFile, MoveDeclaration,
};

/// An edit of `kind` of `files`, or nothing when they hold nothing it applies to.
std::optional<Edit> make_edit(Kind kind, const Files& files, Rng& rng) {
  switch (kind) {
    case Kind::Character: return character_edit(files, rng);
    case Kind::EnvString: return env_string_edit(files, rng);
    case Kind::Number: return number_edit(files, rng);
    case Kind::MachineCpu: return machine_cpu_edit(files, rng);
    case Kind::Rename: return rename_edit(files, rng);
    case Kind::AddService: return add_service_edit(files, rng);
    case Kind::DeleteService: return delete_service_edit(files, rng);
    case Kind::LetValue: return let_value_edit(files, rng);
    case Kind::BodyCharacter: return body_character_edit(files, rng);
    case Kind::BodyString: return body_string_edit(files, rng);
    case Kind::SecretRead: return secret_read_edit(files, rng);
    case Kind::AddFile: return add_file_edit(files, rng);
    case Kind::RemoveFile: return remove_file_edit(files, rng);
    case Kind::MoveDeclaration: return move_declaration_edit(files, rng);
    case Kind::SyntaxError: return syntax_error_edit(files, rng);
  }
  return std::nullopt;
}

/// Whether a file other than `path` declares a machine or a workload: what
/// an edit of `path` that changes no name leaves to reuse.
bool others_declare_work(const Files& files, const std::string& path) {
  for (const auto& [p, text] : files) {
    if (p == path) continue;
    for (const auto& d : declarations(text))
      if (d.kind == "machine" || d.kind == "service" || d.kind == "job" || d.kind == "cron" || d.kind == "daemon")
        return true;
  }
  return false;
}

/// The one file two programs' files differ in (empty when none or several).
std::string changed_file(const Files& a, const Files& b) {
  std::string out;
  for (const auto& [path, text] : b) {
    auto it = a.find(path);
    if (it != a.end() && it->second == text) continue;
    if (!out.empty()) return {};
    out = path;
  }
  return out;
}

/// Holds the fast path to what the edit allows: an env string edited
/// reuses the other files' work and the placement; a name changed reuses
/// nothing.
void check_fast_path(Kind kind, const Files& before, const Files& after, const Session::Step& step, const std::string& what) {
  if (kind == Kind::EnvString) {
    if (!step.errors && others_declare_work(after, changed_file(before, after)))
      CHECK_MESSAGE(step.reused > 0, what, ": nothing reused");
    if (step.placed && step.previous_placed) CHECK_MESSAGE(step.placement_reused, what, ": placement not reused");
  }
  if (kind == Kind::Rename) CHECK_MESSAGE(step.reused == 0, what, ": ", step.reused, " reused after a rename");
}

/// Every example, infra/ and the generated program.
std::vector<Program> programs() {
  std::vector<Program> out;
  std::error_code ec;
  std::vector<std::string> dirs;
  for (const auto& entry : std::filesystem::directory_iterator(testing::kRoot / "examples", ec))
    if (entry.is_directory()) dirs.push_back(entry.path().filename().string());
  std::sort(dirs.begin(), dirs.end());
  for (const auto& dir : dirs) {
    Program p = example(dir);
    if (!p.files.empty()) out.push_back(std::move(p));
  }
  out.push_back(infra());
  out.push_back(generated(13));
  return out;
}

/// Every kind an edit can be, each the number of times a program gets it.
const std::vector<std::pair<Kind, int>> kSingleEdits = {
    {Kind::Character, 6},  {Kind::EnvString, 4},     {Kind::Number, 3},   {Kind::MachineCpu, 2}, {Kind::Rename, 3},
    {Kind::AddService, 1}, {Kind::DeleteService, 2}, {Kind::LetValue, 2},  {Kind::BodyCharacter, 6},
    {Kind::BodyString, 4}, {Kind::SecretRead, 2},     {Kind::AddFile, 1},  {Kind::RemoveFile, 1},
    {Kind::MoveDeclaration, 2},
};

/// How a kind of edit is named in failure messages.
const char* kind_name(Kind k) {
  switch (k) {
    case Kind::Character: return "character";
    case Kind::EnvString: return "env string";
    case Kind::Number: return "number";
    case Kind::MachineCpu: return "machine cpu";
    case Kind::Rename: return "rename";
    case Kind::AddService: return "add service";
    case Kind::DeleteService: return "delete service";
    case Kind::LetValue: return "let value";
    case Kind::BodyCharacter: return "body character";
    case Kind::BodyString: return "body string";
    case Kind::SecretRead: return "secret read";
    case Kind::AddFile: return "add file";
    case Kind::RemoveFile: return "remove file";
    case Kind::MoveDeclaration: return "move declaration";
    case Kind::SyntaxError: return "syntax error";
  }
  return "?";
}

}  // namespace

TEST_CASE("incremental: the programs compile clean before they are edited") {
  // An edit of a program that never checked would hold reuse to nothing.
  for (const Program& p : programs()) {
    Session s(p);
    std::string errors;
    for (const auto& d : s.last().diags.all())
      if (d.severity == diag::Severity::Error) errors += diag::render_text(s.last().project->sources, d);
    CHECK_MESSAGE(errors.empty(), p.name, ":\n", errors);
    CHECK_MESSAGE(s.last().placed != nullptr, p.name, " was not placed");
  }
}

TEST_CASE("incremental: every kind of edit applies to the generated program") {
  // Else a kind would silently test nothing.
  const Program p = generated(13);
  Rng rng(1);
  for (Kind kind : {Kind::Character, Kind::EnvString, Kind::Number, Kind::MachineCpu, Kind::Rename, Kind::AddService,
                    Kind::DeleteService, Kind::LetValue, Kind::SyntaxError, Kind::BodyCharacter, Kind::BodyString,
                    Kind::SecretRead, Kind::AddFile, Kind::RemoveFile, Kind::MoveDeclaration}) {
    auto e = make_edit(kind, p.files, rng);
    REQUIRE_MESSAGE(e.has_value(), kind_name(kind));
    CHECK_MESSAGE(e->next != p.files, kind_name(kind), ": ", e->what);
  }
}

TEST_CASE("incremental: the comparison sees what a user would see change") {
  // Two full checks of programs that differ, compared as the edits'
  // checks are: each kind of difference must be told.
  const Program p = generated(13);
  auto full = [&](const Files& files) { return full_view(p.root, files); };
  const View base = full(p.files);
  REQUIRE(difference(base, full(p.files)).empty());
  // The index compared holds the references of the user's files.
  auto team = base.index.find("gen/services/team-1.claw");
  REQUIRE(team != base.index.end());
  CHECK(std::any_of(team->second.begin(), team->second.end(), [](const std::string& item) { return item.starts_with("ref "); }));
  struct Case {
    Kind kind;
    const char* told;  // what the difference must mention
  };
  for (const Case& c : {Case{Kind::EnvString, "output "}, Case{Kind::Rename, "index of "},
                        Case{Kind::SyntaxError, "diagnostics differ"}, Case{Kind::MachineCpu, "output "}}) {
    Rng rng(7);
    auto e = make_edit(c.kind, p.files, rng);
    REQUIRE(e.has_value());
    std::string diff = difference(full(e->next), base);
    CHECK_MESSAGE(diff.find(c.told) != std::string::npos, e->what, ":\n", diff);
  }
}

TEST_CASE("incremental: one edit, checked incrementally, shows what a full check shows") {
  for (const Program& p : programs()) {
    Rng rng(seed_of(p.name));
    Session s(p);
    for (const auto& [kind, times] : kSingleEdits)
      for (int i = 0; i < times; ++i) {
        auto e = make_edit(kind, s.files(), rng);
        if (!e) continue;
        const Files before = s.files();
        // The edit, then its undo: both are edits the server checks.
        Session::Step step = s.edit(e->next, e->what);
        check_fast_path(kind, before, e->next, step, p.name + ": " + e->what);
        Session::Step back = s.edit(before, "undoing " + e->what);
        check_fast_path(kind, e->next, before, back, p.name + ": undoing " + e->what);
      }
  }
}

TEST_CASE("incremental: a syntax error and its fix, each checked incrementally") {
  for (const Program& p : programs()) {
    Rng rng(seed_of(p.name + "syntax"));
    Session s(p);
    for (int i = 0; i < 3; ++i) {
      auto e = syntax_error_edit(s.files(), rng);
      const Files before = s.files();
      s.edit(e->next, e->what);
      s.edit(before, "fixing " + e->what);
    }
  }
}

TEST_CASE("incremental: chains of edits, each compilation handed to the next") {
  const std::vector<Kind> kinds = {Kind::Character, Kind::EnvString,     Kind::Number,   Kind::MachineCpu, Kind::Rename,
                                   Kind::AddService, Kind::DeleteService, Kind::LetValue, Kind::SyntaxError,
                                   Kind::BodyCharacter, Kind::BodyString, Kind::SecretRead, Kind::AddFile,
                                   Kind::RemoveFile, Kind::MoveDeclaration};
  for (const Program& p : programs()) {
    Rng rng(seed_of(p.name + "chain"));
    Session s(p);
    for (int chain = 0; chain < 2; ++chain) {
      const Files start = s.files();
      std::string done;
      for (int i = 0; i < 5; ++i) {
        const Kind kind = any(rng, kinds);
        auto e = make_edit(kind, s.files(), rng);
        if (!e) continue;
        done += fmt::format("\n  {}: {}", kind_name(kind), e->what);
        s.edit(e->next, "the chain" + done);
      }
      s.edit(start, "undoing the chain" + done);
    }
  }
}

TEST_CASE("incremental: a long session of edits and undos") {
  // Sessions longer than the ones above, on the programs of many files:
  // what the fast path keeps from edit to edit piles up here. Most edits
  // keep every name, as typing inside a declaration does.
  const std::vector<Kind> kinds = {
      Kind::BodyCharacter, Kind::BodyCharacter, Kind::BodyCharacter, Kind::BodyString, Kind::BodyString,
      Kind::BodyString,    Kind::EnvString,     Kind::EnvString,     Kind::Number,     Kind::Number,
      Kind::SecretRead,    Kind::SecretRead,    Kind::Character,     Kind::MachineCpu, Kind::Rename,
      Kind::AddService,    Kind::DeleteService, Kind::LetValue,      Kind::SyntaxError, Kind::AddFile,
      Kind::RemoveFile,    Kind::MoveDeclaration};
  for (const Program& p : programs()) {
    if (p.files.size() < 3) continue;
    Rng rng(seed_of(p.name + "long"));
    Session s(p);
    std::string done;
    for (int i = 0; i < 120; ++i) {
      if (pick(rng, 0, 4) == 0) {
        s.edit(p.files, "back to the program as written, after" + done);
        done.clear();
        continue;
      }
      const Kind kind = any(rng, kinds);
      auto e = make_edit(kind, s.files(), rng);
      if (!e) continue;
      done += fmt::format("\n  {}: {}", kind_name(kind), e->what);
      s.edit(e->next, fmt::format("edit {} of the session:{}", i, done));
    }
  }
}

TEST_CASE("incremental: edits whose effect reaches other files") {
  // Each edit keeps every name, so the fast path takes it, and changes
  // what a declaration of another, unedited file shows: a warning there, a
  // value read from there, a conflict between the two.
  struct Case {
    const char* file;
    const char* from;
    const char* to;
    const char* told;  // what a full check of the edit shows differently (the edit is not idle)
  };
  const Case cases[] = {
      // api-key is read by nothing any more: secrets.claw warns.
      {"gen/services/team-2.claw", "secret(\"api-key\")", "secret(\"db-pass\")", "gen/secrets.claw:2:8: warning"},
      // Nothing tolerates the storage taint any more: roles.claw says so.
      {"gen/services/team-1.claw", "tolerate = [\"node-role=storage:NoSchedule\"]", "tolerate = [\"other=x:NoSchedule\"]",
       "gen/roles.claw:3:9: note"},
      // svc-1-0 reads svc-0-0.url; svc-1-1 reads svc-0-1's host and port.
      {"gen/services/team-0.claw", "port http = 8000", "port http = 9000", "output manifests/default/svc-1-0.yaml differs"},
      {"gen/services/team-0.claw", "namespace = \"team-0\"", "namespace = \"elsewhere\"",
       "output manifests/team-1/svc-1-1.yaml differs"},
      {"gen/services/team-0.claw", "port http = 8000", "port https = 8000", "output manifests/default/svc-1-0.yaml differs"},
      // The same host in two files.
      {"gen/services/team-0.claw", "  replicas", "  host = \"same.example.com\"\n  replicas", "[duplicate-ingress-host]"},
      // A reference to a workload that is not there.
      {"gen/services/team-3.claw", "after = [svc-2-", "after = [svc-9-", "[undeclared-reference]"},
      // A workload that no longer fits anywhere, so placement fails.
      {"gen/services/team-3.claw", "cpu = 100m; memory = base-memory", "cpu = 64; memory = base-memory",
       "[placement-infeasible]"},
      // A workload pinned to the storage machine, which it tolerates.
      {"gen/services/team-2.claw", "port http = 8000",
       "port http = 8000\n  on = m-07\n  tolerate = [\"node-role=storage:NoSchedule\"]", "placements differ"},
  };
  const Program p = generated(13);
  Session s(p);
  // A host on one service of team-3 too, for the same-host case.
  Files both = p.files;
  std::string& team3 = both.at("gen/services/team-3.claw");
  team3.replace(team3.find("  replicas"), 10, "  host = \"same.example.com\"\n  replicas");
  for (const Case& c : cases) {
    const bool same_host = std::string_view(c.to).find("same.example.com") != std::string_view::npos;
    const Files& start = same_host ? both : p.files;
    if (same_host) s.edit(start, "a host on a service of team-3");
    Files next = start;
    std::string& text = next.at(c.file);
    const size_t at = text.find(c.from);
    REQUIRE_MESSAGE(at != std::string::npos, c.file, " has no `", c.from, "`");
    text.replace(at, std::string_view(c.from).size(), c.to);
    const std::string what = fmt::format("{}: `{}` -> `{}`", c.file, c.from, c.to);
    const std::string shown = difference(full_view(p.root, next), full_view(p.root, start));
    CHECK_MESSAGE(shown.find(c.told) != std::string::npos, what, ": a full check does not show ", c.told, "\n", shown);
    Session::Step step = s.edit(next, what);
    CHECK_MESSAGE(step.reused > 0, what, ": nothing reused");
    Session::Step back = s.edit(start, "undoing " + what);
    CHECK_MESSAGE(back.reused > 0, "undoing ", what, ": nothing reused");
    if (same_host) s.edit(p.files, "no host on team-3");
  }
}

TEST_CASE("incremental: a syntax error that left every declaration in place, fixed") {
  // The stray character is skipped: the file keeps its declarations, names
  // and texts, but what the broken program's check made of them (a let, a
  // cluster, a secret, a chart, a role) is not what the fixed one makes.
  struct Case {
    Program program;
    std::string file, after, insert;
    size_t replaced = 0;  // the characters after `after` that `insert` replaces
  };
  const Case cases[] = {
      {generated(13), "gen/services/team-1.claw", "let team-1-tag = \"1.1.0\"\n", "{"},
      {example("minimal"), "minimal/main.claw", "  server = box\n}\n\n", "{"},
      {example("secrets"), "secrets/main.claw", "secret api-token { from = file(\"secrets/api-token.txt\") }", "(", 1},
      {example("gpu"), "gpu/main.claw", "  taint \"nvidia.com/gpu=present:NoSchedule\"\n}\n", "{"},
      {example("custom-resources"), "custom-resources/main.claw", "action = drop }]\n    }]\n  }\n}\n\n", "\n", 1},
      {example("templates"), "templates/main.claw", "  health = http(\"/healthz\", 8080)\n}\n\n", ".", 1},
  };
  for (const Case& c : cases) {
    Session s(c.program);
    Files broken = c.program.files;
    std::string& text = broken.at(c.file);
    const size_t at = text.find(c.after);
    REQUIRE_MESSAGE(at != std::string::npos, c.file, " has no `", c.after, "`");
    text.replace(at + c.after.size(), c.replaced, c.insert);
    const std::string what = fmt::format("`{}` after `{}` in {} (replacing {} characters)", c.insert,
                                         testing::excerpt(c.after, 0), c.file, c.replaced);
    s.edit(broken, what);
    s.edit(c.program.files, what + ", taken out again");
  }
}

TEST_CASE("incremental: an enum value where no type is expected") {
  // `[amd64][0]`: the list is subscripted, so nothing says it is a list of
  // arch; a full check and an edit's check must still read `amd64` alike.
  struct Case {
    Program program;
    std::string file, from, to;
  };
  const Case cases[] = {
      {example("gpu"), "gpu/main.claw", "arch = [amd64]\n  port http = 9000", "arch = [amd64][0]\n  port http = 9000"},
      {example("gpu"), "gpu/main.claw", "arch = [amd64]\n  port http = 9000", "arch = service [amd64]\n  port http = 9000"},
      {generated(13), "gen/services/team-0.claw", "roles = [batch]", "arch = [amd64][0]"},
  };
  for (const Case& c : cases) {
    Session s(c.program);
    Files next = c.program.files;
    std::string& text = next.at(c.file);
    const size_t at = text.find(c.from);
    REQUIRE_MESSAGE(at != std::string::npos, c.file, " has no `", c.from, "`");
    text.replace(at, c.from.size(), c.to);
    s.edit(next, fmt::format("{}: `{}` -> `{}`", c.file, c.from, c.to));
  }
}

TEST_CASE("incremental: a program large enough to be checked on two threads") {
  // Past 512 machines and workloads the checker shares them between two
  // threads; an edit's check must still show what a full one does.
  const Program p = generated(29, 12, 45, 40);
  Session s(p, 2);
  std::string errors;
  for (const auto& d : s.last().diags.all())
    if (d.severity == diag::Severity::Error) errors += diag::render_text(s.last().project->sources, d);
  REQUIRE_MESSAGE(errors.empty(), errors);
  REQUIRE(s.last().checked->model.workloads.size() + s.last().checked->model.machines.size() > 512);
  CHECK(s.last().checked->stats.shared > 0);
  Rng rng(seed_of("two threads"));
  const std::vector<Kind> kinds = {Kind::BodyCharacter, Kind::BodyString, Kind::EnvString, Kind::Number,
                                   Kind::SecretRead,    Kind::MachineCpu, Kind::Rename,    Kind::AddService};
  for (int i = 0; i < 30; ++i) {
    const Kind kind = any(rng, kinds);
    auto e = make_edit(kind, s.files(), rng);
    if (!e) continue;
    const Files before = s.files();
    Session::Step step = s.edit(e->next, e->what);
    check_fast_path(kind, before, e->next, step, e->what);
    s.edit(before, "undoing " + e->what);
  }
}

TEST_CASE("incremental: edits of lets") {
  // A let read only in its own file, one read from other files, one read
  // by nothing: each edit of its value, and its undo, as a full check.
  struct Case {
    const char* file;
    const char* from;
    const char* to;
  };
  const Case cases[] = {
      {"gen/services/team-0.claw", "let team-0-tag = \"1.0.0\"", "let team-0-tag = \"2.0.0\""},
      {"gen/services/team-0.claw", "let team-0-tag = \"1.0.0\"", "let team-0-tag = 5"},
      {"gen/services/team-0.claw", "let team-0-tag = \"1.0.0\"", "let team-0-tag = log-level"},
      {"gen/services/team-0.claw", "let team-0-tag = \"1.0.0\"", "let team-0-tag = team-0-tag"},
      {"gen/services/team-0.claw", "let team-0-tag = \"1.0.0\"", "let team-0-tag = team-1-tag"},
      {"gen/services/team-1.claw", "let team-1-tag = \"1.1.0\"", "let team-1-tag = \"1.1.0\" + 1"},
      {"gen/cluster.claw", "let registry = \"registry.example.com/gen\"", "let registry = \"other.example.com\""},
      {"gen/cluster.claw", "let base-memory = 128MiB", "let base-memory = 256MiB"},
      {"gen/cluster.claw", "let base-memory = 128MiB", "let base-memory = 128"},
      {"gen/cluster.claw", "let default-replicas: int = 2", "let default-replicas: int = \"two\""},
  };
  const Program p = generated(13);
  const View written = full_view(p.root, p.files);
  Session s(p);
  for (const Case& c : cases) {
    Files next = p.files;
    std::string& text = next.at(c.file);
    const size_t at = text.find(c.from);
    REQUIRE_MESSAGE(at != std::string::npos, c.file, " has no `", c.from, "`");
    text.replace(at, std::string_view(c.from).size(), c.to);
    const std::string what = fmt::format("{}: `{}` -> `{}`", c.file, c.from, c.to);
    CHECK_MESSAGE(!difference(full_view(p.root, next), written).empty(), what, " changes nothing a user sees");
    s.edit(next, what);
    s.edit(p.files, "undoing " + what);
  }
}
