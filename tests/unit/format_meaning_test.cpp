// claw fmt changes no meaning: `claw build` writes the same objects before
// and after formatting, byte for byte apart from the lines that give an
// object's source line (formatting may move a declaration's line). Over every example, infra/,
// every golden case, and the benchmark's generated program; each also laid
// out at random first (every blank between tokens replaced), so the check
// holds even for files that are already formatted.
#include <doctest/doctest.h>

#include <map>
#include <random>
#include <string>
#include <vector>

#include "compiler/driver/cli.h"
#include "compiler/format/format.h"
#include "compiler/syntax/token.h"
#include "tests/unit/claw_inputs.h"
#include "tests/unit/test_fs.h"

namespace {

namespace fs = std::filesystem;
using Files = std::map<std::string, std::string>;

/// What a build did: its exit code, what it printed on stdout, and the files
/// it wrote, with the lines that say where in the source an object comes
/// from left out: `# source: FILE:LINE` in manifests, `"source": "FILE:LINE"`
/// in secrets.json.
struct Built {
  int code = 0;
  std::string out;
  Files written;
  friend bool operator==(const Built&, const Built&) = default;
};

std::string without_source_lines(const std::string& text) {
  std::string out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    size_t next = eol == std::string::npos ? text.size() : eol + 1;
    std::string_view line(text.data() + pos, next - pos);
    if (line.find("# source: ") == std::string_view::npos && line.find("\"source\": \"") == std::string_view::npos) out += line;
    pos = next;
  }
  return out;
}

Built build(const Files& inputs, const std::vector<std::string>& paths) {
  claw::testing::TestFileSystem tfs;
  for (const auto& [path, text] : inputs) tfs.memory.add(path, text);
  std::vector<std::string> args = {"build", "-o", "out", "--no-lock"};
  args.insert(args.end(), paths.begin(), paths.end());
  claw::driver::Console console;
  Built b;
  b.code = claw::driver::run(args, tfs, claw::driver::Environment{claw::testing::stdlib_dir()}, console);
  b.out = console.out;
  for (const auto& [path, text] : tfs.memory.all())
    if (!inputs.contains(path)) b.written[path] = without_source_lines(text);
  return b;
}

/// The same tokens with every blank between them replaced by a random one
/// (a line break after a `//` comment, which needs it).
std::string scrambled(const std::string& text, uint32_t seed) {
  std::mt19937 rng(seed);
  static const char* kBlanks[] = {" ", "\n", "\n\n\n", "\t ", "   "};
  std::string out;
  bool after_line_comment = false;
  for (const auto& t : claw::syntax::lex(text, false)) {
    if (t.kind == claw::syntax::Tok::Eof) break;
    if (!out.empty()) out += after_line_comment ? "\n" : kBlanks[rng() % 5];
    out.append(text, t.begin, t.end - t.begin);
    after_line_comment = t.kind == claw::syntax::Tok::LineComment;
  }
  return out;
}

Files formatted(const Files& inputs) {
  Files out;
  for (const auto& [path, text] : inputs) {
    if (!path.ends_with(".claw")) {
      out[path] = text;
      continue;
    }
    auto f = claw::format::format_source(text);
    REQUIRE_MESSAGE(f.has_value(), "cannot format ", path);
    out[path] = *f;
  }
  return out;
}

Files scrambled(const Files& inputs, uint32_t seed) {
  Files out;
  for (const auto& [path, text] : inputs) out[path] = path.ends_with(".claw") ? scrambled(text, seed++) : text;
  return out;
}

/// Builds `inputs` as given, formatted, scrambled, and scrambled then
/// formatted; all four must write the same objects. Returns whether the
/// original build succeeded.
bool same_meaning(const std::string& name, const Files& inputs, const std::vector<std::string>& paths) {
  CAPTURE(name);
  const Built before = build(inputs, paths);
  CHECK_MESSAGE(build(formatted(inputs), paths) == before, "formatting changed what `claw build` writes: ", name);
  const Files messy = scrambled(inputs, 7);
  CHECK_MESSAGE(build(messy, paths) == before, "the scrambled layout changed the build (a test bug): ", name);
  CHECK_MESSAGE(build(formatted(messy), paths) == before, "formatting a scrambled layout changed the build: ", name);
  return before.code == 0;
}

Files files_under(const std::string& dir) {
  Files out;
  for (const auto& in : claw::testing::claw_files_under(claw::testing::kRoot / dir, dir + "/")) out[in.name] = in.text;
  return out;
}

}  // namespace

TEST_CASE("fmt: every example and infra/ build the same before and after formatting") {
  std::vector<std::string> dirs = {"infra"};
  for (const auto& e : fs::directory_iterator(claw::testing::kRoot / "examples"))
    if (e.is_directory()) dirs.push_back("examples/" + e.path().filename().string());
  REQUIRE(dirs.size() > 5);
  for (const std::string& dir : dirs) CHECK_MESSAGE(same_meaning(dir, files_under(dir), {dir}), "does not build: ", dir);
}

TEST_CASE("fmt: every golden case builds the same before and after formatting") {
  size_t built = 0, cases = 0;
  for (const auto& e : fs::directory_iterator(claw::testing::kRoot / "tests/golden/check")) {
    if (e.path().extension() != ".txtar") continue;
    const std::string text = claw::testing::read_file(e.path());
    Files inputs;
    std::vector<std::string> paths;
    bool all_format = true;
    for (auto& in : claw::testing::txtar_sections("", text)) {
      std::string path = in.name.substr(1);  // the sections' names, without the ":" of an empty prefix
      all_format = all_format && claw::format::format_source(in.text).has_value();
      paths.push_back(path);
      inputs[path] = std::move(in.text);
    }
    if (inputs.empty() || !all_format) continue;  // cases of syntax errors, and those with no program
    ++cases;
    built += same_meaning(e.path().filename().string(), inputs, paths);
  }
  CHECK(cases > 100);
  CHECK(built > 30);
}

TEST_CASE("fmt: the benchmark's generated program builds the same before and after formatting") {
  Files inputs;
  for (auto& in : claw::testing::generated_programs("claw-fmt-meaning"))
    inputs["net/" + in.name.substr(in.name.find(':') + 1)] = in.text;
  REQUIRE_FALSE(inputs.empty());
  CHECK(same_meaning("gen_program.py", inputs, {"net"}));
}
