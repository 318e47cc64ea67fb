// `claw fmt` as a user meets it (gofmt's behaviour: print, -w, --check as
// gofmt -l, `-` for editors): what it prints, what it writes, exit codes.
#include <doctest/doctest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "compiler/driver/cli.h"
#include "compiler/io/filesystem.h"
#include "tests/unit/temp_dir.h"

namespace {

const std::string kMessy = "machine m {cpu=4}\n";
const std::string kTidy = "machine m { cpu = 4 }\n";
const std::string kBroken = "machine m { cpu = }\n";

/// Memory files that count the writes made to them.
class CountingFs final : public claw::io::FileSystem {
 public:
  claw::io::MemoryFileSystem memory;
  mutable std::vector<std::string> writes;

  bool is_directory(const std::string& p) const override { return memory.is_directory(p); }
  bool exists(const std::string& p) const override { return memory.exists(p); }
  std::vector<std::string> claw_files(const std::string& d) const override { return memory.claw_files(d); }
  std::unique_ptr<claw::io::TreeWriter> write_tree(const std::string& dir, const std::vector<std::string>& inputs = {}) const override {
    return memory.write_tree(dir, inputs);
  }
  std::expected<void, std::string> write_file(const std::string& path, std::string_view text) const override {
    writes.push_back(path);
    return memory.write_file(path, text);
  }
  std::string at(const std::string& path) const { return memory.all().at(path); }

 protected:
  std::expected<std::string, claw::io::ReadError> read_file(const std::string& p, size_t max_bytes) const override {
    return memory.read(p, max_bytes);
  }
};

struct Run {
  int code = 0;
  claw::driver::Console console;
};

Run fmt(const claw::io::FileSystem& fs, std::vector<std::string> args, const std::string* stdin_text = nullptr) {
  Run r;
  claw::driver::Environment env;
  if (stdin_text) env.read_stdin = [stdin_text]() -> std::expected<std::string, std::string> { return *stdin_text; };
  args.insert(args.begin(), "fmt");
  r.code = claw::driver::run(args, fs, env, r.console);
  return r;
}

}  // namespace

TEST_CASE("fmt: without flags prints the formatted files and changes none") {
  CountingFs fs;
  fs.memory.add("a.claw", kMessy);
  auto r = fmt(fs, {"a.claw"});
  CHECK(r.code == 0);
  CHECK(r.console.out == kTidy);
  CHECK(r.console.err.empty());
  CHECK(fs.writes.empty());
  CHECK(fs.at("a.claw") == kMessy);
}

TEST_CASE("fmt: no path means every .claw file under the current folder") {
  CountingFs fs;
  fs.memory.add("a.claw", kMessy);
  fs.memory.add("sub/b.claw", kTidy);
  fs.memory.add("notes.txt", "not claw {");
  auto r = fmt(fs, {"--check"});
  CHECK(r.code == 1);
  CHECK(r.console.out == "a.claw\n");
}

TEST_CASE("fmt: -w rewrites exactly the files that change") {
  CountingFs fs;
  fs.memory.add("net/a.claw", kMessy);
  fs.memory.add("net/b.claw", kTidy);
  for (const char* flag : {"-w", "--write"}) {
    CAPTURE(flag);
    fs.memory.add("net/a.claw", kMessy);
    fs.writes.clear();
    auto r = fmt(fs, {flag, "net"});
    CHECK(r.code == 0);
    CHECK(r.console.out.empty());
    CHECK(fs.writes == std::vector<std::string>{"net/a.claw"});
    CHECK(fs.at("net/a.claw") == kTidy);
    CHECK(fs.at("net/b.claw") == kTidy);
  }
}

TEST_CASE("fmt: --check lists what would change, exits 1 if anything would, and writes nothing") {
  CountingFs fs;
  fs.memory.add("a.claw", kMessy);
  fs.memory.add("b.claw", kTidy);
  fs.memory.add("c.claw", kMessy);
  auto r = fmt(fs, {"--check", "a.claw", "b.claw", "c.claw"});
  CHECK(r.code == 1);
  CHECK(r.console.out == "a.claw\nc.claw\n");
  CHECK(fs.writes.empty());
  auto clean = fmt(fs, {"--check", "b.claw"});
  CHECK(clean.code == 0);
  CHECK(clean.console.out.empty());
}

TEST_CASE("fmt: `-` formats standard input to standard output") {
  CountingFs fs;
  auto r = fmt(fs, {"-"}, &kMessy);
  CHECK(r.code == 0);
  CHECK(r.console.out == kTidy);
  auto check = fmt(fs, {"--check", "-"}, &kMessy);
  CHECK(check.code == 1);
  CHECK(check.console.out == "<standard input>\n");
  auto broken = fmt(fs, {"-"}, &kBroken);
  CHECK(broken.code == 1);
  CHECK(broken.console.out.empty());
  CHECK(broken.console.err.starts_with("<standard input>:1:"));
}

TEST_CASE("fmt: a file with a syntax error is left alone, with the diagnostic as claw check prints it") {
  CountingFs fs;
  fs.memory.add("bad.claw", kBroken);
  fs.memory.add("good.claw", kMessy);
  auto r = fmt(fs, {"-w", "."});
  CHECK(r.code == 1);
  CHECK(fs.at("bad.claw") == kBroken);
  CHECK(fs.at("good.claw") == kTidy);  // the other files are still formatted
  CHECK(fs.writes == std::vector<std::string>{"good.claw"});
  // `path:line:col: error: ...`, the line, a caret under the column.
  CHECK(r.console.err.starts_with("bad.claw:1:19: error: "));
  CHECK(r.console.err.find("machine m { cpu = }") != std::string::npos);
  CHECK(r.console.err.find("^") != std::string::npos);
}

TEST_CASE("fmt: usage errors and missing files") {
  CountingFs fs;
  fs.memory.add("a.claw", kMessy);
  CHECK(fmt(fs, {"-w", "--check", "a.claw"}).code == 2);
  const std::string in = kMessy;
  CHECK(fmt(fs, {"-w", "-"}, &in).code == 2);
  CHECK(fmt(fs, {"--bogus"}).code == 2);
  auto missing = fmt(fs, {"nope.claw"});
  CHECK(missing.code == 1);
  CHECK(missing.console.err.find("`nope.claw`") != std::string::npos);
  CHECK(fs.writes.empty());
}

TEST_CASE("fmt: -w on disk replaces the file and keeps its permissions") {
  claw::testing::TempDir dir("claw-fmt-disk");
  const std::string path = (dir.path / "a.claw").string();
  std::ofstream(path) << kMessy;
  ::chmod(path.c_str(), 0600);
  claw::io::DiskFileSystem disk;
  auto r = fmt(disk, {"-w", path});
  CHECK(r.code == 0);
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  CHECK(ss.str() == kTidy);
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0600);
  // Nothing is left beside it.
  size_t entries = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir.path)) ++entries;
  CHECK(entries == 1);
}
