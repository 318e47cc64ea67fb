// The real disk's atomic replacement of an output tree.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <expected>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "compiler/io/filesystem.h"
#include "compiler/io/output_mark.h"
#include "compiler/io/output_policy.h"
#include "compiler/io/staging.h"
#include "tests/unit/temp_dir.h"

namespace {

namespace fs = std::filesystem;

// Each test of this file gets its own folder under the system temp folder.
struct TempDir : claw::testing::TempDir {
  TempDir() : claw::testing::TempDir("claw-output-test") {}
};

/// How many regular files there are below `dir`.
size_t count_files(const fs::path& dir) {
  size_t count = 0;
  for (auto& e : fs::recursive_directory_iterator(dir)) count += e.is_regular_file();
  return count;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

TEST_CASE("replace_tree swaps a whole folder in and leaves no staging behind") {
  TempDir tmp;
  claw::io::DiskFileSystem disk;
  std::string out = (tmp.path / "out").string();
  REQUIRE(disk.replace_tree(out, {{"a.txt", "one"}, {"sub/b.txt", "two"}}).has_value());
  CHECK(slurp(tmp.path / "out" / "a.txt") == "one");
  CHECK(slurp(tmp.path / "out" / "sub" / "b.txt") == "two");
  REQUIRE(disk.replace_tree(out, {{"c.txt", "three"}}).has_value());
  CHECK(!fs::exists(tmp.path / "out" / "a.txt"));
  CHECK(slurp(tmp.path / "out" / "c.txt") == "three");
  size_t entries = 0;
  for (auto& e : fs::directory_iterator(tmp.path)) {
    (void)e;
    ++entries;
  }
  CHECK(entries == 1);  // only out/: no staging or old folders left
}

TEST_CASE("replace_tree fails cleanly where it cannot write") {
  TempDir tmp;
  claw::io::DiskFileSystem disk;
  std::ofstream(tmp.path / "file") << "a file, not a folder";
  auto r = disk.replace_tree((tmp.path / "file" / "out").string(), {{"a.txt", "one"}});
  CHECK(!r.has_value());
  CHECK(slurp(tmp.path / "file") == "a file, not a folder");
}

TEST_CASE("replace_tree keeps files that did not change and writes those that did, on every core") {
  TempDir tmp;
  claw::io::DiskFileSystem disk;
  std::string out = (tmp.path / "out").string();
  // Enough files that the writer runs on several threads.
  std::map<std::string, std::string> files;
  for (int i = 0; i < 600; ++i) files["m/f" + std::to_string(i) + ".yaml"] = "content " + std::to_string(i) + "\n";
  REQUIRE(disk.replace_tree(out, files).has_value());
  CHECK(fs::hard_link_count(tmp.path / "out" / "m" / "f1.yaml") == 1);
  struct stat unchanged_before {}, changed_before {};
  REQUIRE(::stat((tmp.path / "out" / "m" / "f1.yaml").c_str(), &unchanged_before) == 0);
  REQUIRE(::stat((tmp.path / "out" / "m" / "f2.yaml").c_str(), &changed_before) == 0);

  files["m/f2.yaml"] = "changed\n";
  files["m/f3.yaml"] = "content 3\n";  // same bytes: kept
  files.erase("m/f4.yaml");
  REQUIRE(disk.replace_tree(out, files).has_value());
  struct stat unchanged_after {}, changed_after {};
  REQUIRE(::stat((tmp.path / "out" / "m" / "f1.yaml").c_str(), &unchanged_after) == 0);
  REQUIRE(::stat((tmp.path / "out" / "m" / "f2.yaml").c_str(), &changed_after) == 0);
  CHECK(unchanged_after.st_ino == unchanged_before.st_ino);  // the same file, linked into the new tree
  CHECK(unchanged_after.st_nlink == 1);                      // the old tree is gone
  CHECK(slurp(tmp.path / "out" / "m" / "f2.yaml") == "changed\n");
  CHECK(slurp(tmp.path / "out" / "m" / "f599.yaml") == "content 599\n");
  CHECK(!fs::exists(tmp.path / "out" / "m" / "f4.yaml"));
  CHECK(count_files(tmp.path / "out") == 599 + 1);  // and the mark
}

namespace {

ino_t inode(const fs::path& p) {
  struct stat st {};
  REQUIRE(::lstat(p.c_str(), &st) == 0);
  return st.st_ino;
}

}  // namespace

TEST_CASE("replace_tree leaves a tree that already holds exactly the files, and nothing else, untouched") {
  TempDir tmp;
  claw::io::DiskFileSystem disk;
  fs::path out = tmp.path / "out";
  const std::map<std::string, std::string> files = {{"a.txt", "one"}, {"sub/deep/b.txt", "two"}, {"sub/c.txt", ""}};
  REQUIRE(disk.replace_tree(out.string(), files).has_value());
  ino_t folder = inode(out), file = inode(out / "sub" / "deep" / "b.txt");

  // The same files again: not even the folder is replaced.
  REQUIRE(disk.replace_tree(out.string(), files).has_value());
  CHECK(inode(out) == folder);
  CHECK(inode(out / "sub" / "deep" / "b.txt") == file);

  // Anything the mark does not list (a stray file, an empty folder) and
  // the tree is refused, and left exactly as it was.
  std::ofstream(out / "sub" / "stray.txt") << "stray";
  auto r = disk.replace_tree(out.string(), files);
  REQUIRE(!r.has_value());
  CHECK(r.error().find("it holds `" + (out / "sub" / "stray.txt").string() + "`, which claw build did not write") !=
        std::string::npos);
  CHECK(inode(out) == folder);
  CHECK(slurp(out / "sub" / "stray.txt") == "stray");
  fs::remove(out / "sub" / "stray.txt");

  fs::create_directories(out / "empty");
  r = disk.replace_tree(out.string(), files);
  REQUIRE(!r.has_value());
  CHECK(r.error().find("`" + (out / "empty").string() + "`") != std::string::npos);
  CHECK(inode(out) == folder);
  fs::remove(out / "empty");

  // A listed file that is now a link with the same bytes: the tree is
  // replaced, the link by a file (where it led is not touched).
  std::ofstream(tmp.path / "elsewhere.txt") << "one";
  fs::remove(out / "a.txt");
  fs::create_symlink(tmp.path / "elsewhere.txt", out / "a.txt");
  REQUIRE(disk.replace_tree(out.string(), files).has_value());
  CHECK(fs::is_regular_file(fs::symlink_status(out / "a.txt")));
  CHECK(slurp(out / "a.txt") == "one");

  CHECK(count_files(out) == 3 + 1);  // and the mark
}

TEST_CASE("a tree writer changes nothing until commit, and nothing at all when dropped") {
  TempDir tmp;
  claw::io::DiskFileSystem disk;
  fs::path out = tmp.path / "out";
  REQUIRE(disk.replace_tree(out.string(), {{"a.txt", "one"}}).has_value());
  {
    auto tree = disk.write_tree(out.string());
    tree->put("a.txt", "changed");
    tree->put("sub/b.txt", "new");
    CHECK(slurp(out / "a.txt") == "one");
    CHECK(!fs::exists(out / "sub"));
  }  // dropped without commit
  CHECK(slurp(out / "a.txt") == "one");
  size_t entries = 0;
  for (auto& e : fs::directory_iterator(tmp.path)) entries += e.path().filename() != "out";
  CHECK(entries == 0);  // no staging folder left
}

TEST_CASE("a tree writer takes files from several threads, and a path put again replaces it") {
  TempDir tmp;
  claw::io::DiskFileSystem disk;
  fs::path out = tmp.path / "out";
  // More folders than the writer keeps descriptors for, so both ways of
  // naming a file are used, in a new tree and in a rebuild.
  auto fill = [&](claw::io::TreeWriter& tree, const std::string& tag) {
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
      threads.emplace_back([&, t] {
        for (int i = t; i < 400; i += 4)
          tree.put(fmt::format("d{}/f{}.txt", i % 100, i), i % 2 ? tag : "same");
      });
    for (auto& th : threads) th.join();
  };
  auto tree = disk.write_tree(out.string());
  fill(*tree, "first");
  tree->put("d1/f1.txt", "replaced");
  auto n = tree->commit();
  REQUIRE(n.has_value());
  CHECK(n->files == 400 + 1);  // and the mark
  CHECK(slurp(out / "d1" / "f1.txt") == "replaced");
  CHECK(slurp(out / "d99" / "f399.txt") == "first");
  CHECK(slurp(out / "d98" / "f398.txt") == "same");
  const ino_t kept = inode(out / "d98" / "f398.txt");

  // A rebuild: even files are unchanged (linked from the old tree), odd
  // ones change; a file noted unchanged and then put again is rewritten.
  // (The first writer is dropped first: a second one waits for it.)
  tree.reset();
  tree = disk.write_tree(out.string());
  fill(*tree, "second");
  tree->put("d0/f0.txt", "rewritten");
  n = tree->commit();
  REQUIRE(n.has_value());
  CHECK(n->files == 400 + 1);  // and the mark
  CHECK(!n->unchanged);
  CHECK(inode(out / "d98" / "f398.txt") == kept);
  CHECK(slurp(out / "d98" / "f398.txt") == "same");
  CHECK(slurp(out / "d99" / "f399.txt") == "second");
  CHECK(slurp(out / "d1" / "f1.txt") == "second");
  CHECK(slurp(out / "d0" / "f0.txt") == "rewritten");
  CHECK(count_files(out) == 400 + 1);

  // One file back as it was: a change; then the same files again: the
  // folder is left as it was, and says so.
  for (bool unchanged : {false, true}) {
    tree.reset();
    tree = disk.write_tree(out.string());
    fill(*tree, "second");
    n = tree->commit();
    REQUIRE(n.has_value());
    CHECK(n->files == 400 + 1);
    CHECK(n->unchanged == unchanged);
    CHECK(slurp(out / "d0" / "f0.txt") == "same");
    CHECK(inode(out / "d98" / "f398.txt") == kept);
  }
}

TEST_CASE("a tree writer refuses paths outside its tree and reports the first failure") {
  TempDir tmp;
  claw::io::DiskFileSystem disk;
  fs::path out = tmp.path / "out";
  for (const char* bad : {"../escape.txt", "/abs.txt", "a//b.txt", "a/./b.txt", ""}) {
    auto tree = disk.write_tree(out.string());
    tree->put("fine.txt", "fine");
    tree->put(bad, "x");
    auto r = tree->commit();
    REQUIRE(!r.has_value());
    CHECK(r.error().find("not a relative path") != std::string::npos);
    CHECK(!fs::exists(out));
    CHECK(!fs::exists(tmp.path / "escape.txt"));
  }
  // A file where a folder must go: the write fails, the old tree stays.
  REQUIRE(disk.replace_tree(out.string(), {{"a.txt", "one"}}).has_value());
  auto tree = disk.write_tree(out.string());
  tree->put("x", "a file");
  tree->put("x/y.txt", "under a file");
  auto r = tree->commit();
  REQUIRE(!r.has_value());
  CHECK(r.error().find("x/y.txt") != std::string::npos);
  CHECK(slurp(out / "a.txt") == "one");
  CHECK(!fs::exists(out / "x"));
}

TEST_CASE("a tree writer replaces only a folder it wrote, an empty one, or none") {
  TempDir tmp;
  claw::io::DiskFileSystem disk;
  const std::string mark = claw::io::TreeWriter::kMark;

  // Someone's folder: left alone, with a reason.
  fs::create_directories(tmp.path / "src");
  std::ofstream(tmp.path / "src" / "net.claw") << "machine a {}";
  auto r = disk.replace_tree((tmp.path / "src").string(), {{"a.txt", "one"}});
  REQUIRE(!r.has_value());
  CHECK(r.error().find("holds files claw build did not write (it has no `" + mark + "`), such as `") != std::string::npos);
  CHECK(slurp(tmp.path / "src" / "net.claw") == "machine a {}");
  CHECK(!fs::exists(tmp.path / "src" / "a.txt"));

  // A file: left alone.
  std::ofstream(tmp.path / "notes.txt") << "mine";
  r = disk.replace_tree((tmp.path / "notes.txt").string(), {{"a.txt", "one"}});
  REQUIRE(!r.has_value());
  CHECK(r.error().find("it is not a folder") != std::string::npos);
  CHECK(slurp(tmp.path / "notes.txt") == "mine");

  // An empty folder, then the tree written there (its mark lists it).
  fs::create_directories(tmp.path / "empty");
  REQUIRE(disk.replace_tree((tmp.path / "empty").string(), {{"a.txt", "one"}}).has_value());
  CHECK(claw::io::parse_mark(slurp(tmp.path / "empty" / mark)) == std::vector<std::string>{"a.txt"});
  REQUIRE(disk.replace_tree((tmp.path / "empty").string(), {{"b.txt", "two"}}).has_value());
  CHECK(!fs::exists(tmp.path / "empty" / "a.txt"));
  // A folder holding placement.json (a committed one, a source folder) is
  // not an earlier build's: only the mark says so.
  fs::create_directories(tmp.path / "earlier");
  std::ofstream(tmp.path / "earlier" / "placement.json") << "{}";
  r = disk.replace_tree((tmp.path / "earlier").string(), {{"a.txt", "one"}});
  REQUIRE(!r.has_value());
  CHECK(slurp(tmp.path / "earlier" / "placement.json") == "{}");

  // Nothing is left beside them: no staging folder.
  size_t hidden = 0;
  for (auto& e : fs::directory_iterator(tmp.path)) hidden += e.path().filename().string().starts_with(".");
  CHECK(hidden == 0);
}

// --- The mark's format: one writer, one reader -------------------------

TEST_CASE("the mark lists any set of paths, sorted, and reads back exactly") {
  // Paths with every byte a file name may hold, and those that could break
  // a line-based list: line breaks, `\`, a leading `#`, escapes spelt out.
  std::vector<std::string> hostile = {"a.txt", "sub/b.yaml", "#not-a-comment", "x\ny", "x\ry", "back\\slash",
                                      "\\x41", "tab\there", "del\x7f", "é/ü", "trailing\\", "sp ace", "a#b"};
  for (int c = 1; c < 256; ++c)
    if (c != '/') hostile.push_back(std::string("byte") + static_cast<char>(c));
  auto text = claw::io::format_mark(hostile);
  auto back = claw::io::parse_mark(text);
  REQUIRE(back.has_value());
  std::vector<std::string> sorted = hostile;
  std::sort(sorted.begin(), sorted.end());
  CHECK(*back == sorted);
  // One path a line: no path adds a line of its own.
  size_t lines = std::count(text.begin(), text.end(), '\n');
  CHECK(lines == 3 + hostile.size());  // the header and two comment lines
  // The mark's own name is never listed; duplicates once.
  CHECK(*claw::io::parse_mark(claw::io::format_mark({".claw-build", "b", "a", "b"})) == std::vector<std::string>{"a", "b"});
  CHECK(claw::io::parse_mark(claw::io::format_mark({}))->empty());
}

TEST_CASE("anything but a mark of this version is not read as one") {
  const std::string good = claw::io::format_mark({"a"});
  for (const std::string& bad : {std::string(""), std::string("This folder is the output of `claw build`\n"),
                                 std::string("claw-build 2\na\n"), std::string("claw-build 1\na"),  // no final newline
                                 std::string("claw-build 1\n\n"), std::string("claw-build 1\nbad\\q\n"),
                                 std::string("claw-build 1\nbad\\x4\n"), std::string("claw-build 1\nbad\\xZZ\n"),
                                 std::string("{}"), good.substr(0, good.size() - 1)})
    CHECK_MESSAGE(!claw::io::parse_mark(bad).has_value(), bad);
  CHECK(claw::io::parse_mark(good).has_value());
}

// --- The policy, case by case ------------------------------------------

namespace {

claw::io::TreeTarget folder_with(std::vector<std::string> files, std::vector<std::string> folders,
                                 std::optional<std::vector<std::string>> listed) {
  claw::io::TreeTarget t;
  t.kind = claw::io::TreeTarget::Kind::Folder;
  t.real = "/w/out";
  t.files = std::move(files);
  t.folders = std::move(folders);
  if (listed) {
    t.marked = true;
    t.files.push_back(".claw-build");
    std::sort(t.files.begin(), t.files.end());
  }
  t.listed = std::move(listed);
  return t;
}

}  // namespace

TEST_CASE("the output policy: what may be replaced, and the path that says why not") {
  using claw::io::TreeTarget;
  struct Case {
    const char* name;
    TreeTarget target;
    const char* reason;  // nullptr: may be replaced; else a piece of the message
  };
  TreeTarget missing;
  missing.real = "/w/out";
  TreeTarget file;
  file.kind = TreeTarget::Kind::Other;
  file.real = "/w/out";
  TreeTarget input_inside = folder_with({"placement.json"}, {}, std::vector<std::string>{"placement.json"});
  input_inside.inputs = {{"src/net.claw", "/w/out/src/net.claw"}};
  TreeTarget input_folder_is_out = missing;
  input_folder_is_out.inputs = {{".", "/w/out"}};
  TreeTarget input_beside = folder_with({}, {}, std::vector<std::string>{});
  input_beside.inputs = {{"outer.claw", "/w/outer.claw"}, {"out2/x.claw", "/w/out2/x.claw"}, {"/w", "/w"}};
  TreeTarget unreadable_mark = folder_with({"a"}, {}, std::nullopt);
  unreadable_mark.marked = true;
  unreadable_mark.files.push_back(".claw-build");
  const Case cases[] = {
      {"missing", missing, nullptr},
      {"empty folder", folder_with({}, {}, std::nullopt), nullptr},
      {"a file", file, "it is not a folder"},
      {"user files, no mark", folder_with({"thesis.tex"}, {}, std::nullopt), "such as `out/thesis.tex`"},
      {"a committed placement.json", folder_with({"placement.json"}, {}, std::nullopt), "it has no `.claw-build`"},
      {"only an empty folder, no mark", folder_with({}, {"sub"}, std::nullopt), "such as `out/sub`"},
      {"what the mark lists", folder_with({"a", "j/b.sh"}, {"j"}, std::vector<std::string>{"a", "j/b.sh"}), nullptr},
      {"less than the mark lists", folder_with({"a"}, {"j"}, std::vector<std::string>{"a", "j/b.sh"}), nullptr},
      {"a file the mark does not list", folder_with({"a", "thesis.tex"}, {}, std::vector<std::string>{"a"}),
       "it holds `out/thesis.tex`, which claw build did not write"},
      {"a folder the mark does not list", folder_with({"a"}, {"mine"}, std::vector<std::string>{"a"}), "`out/mine`"},
      {"a folder where the mark lists a file", folder_with({"a/x"}, {"a"}, std::vector<std::string>{"a"}), "`out/a"},
      {"a mark of another version", unreadable_mark, "is not one this claw build wrote"},
      {"an input inside", input_inside, "it holds `src/net.claw`, an input of this build"},
      {"the input folder is the output", input_folder_is_out, "it holds `.`, an input"},
      {"inputs beside and above", input_beside, nullptr},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    auto why = claw::io::why_not_replace("out", c.target);
    if (!c.reason) {
      CHECK_MESSAGE(!why.has_value(), why.value_or(""));
    } else {
      REQUIRE(why.has_value());
      CHECK_MESSAGE(why->find(c.reason) != std::string::npos, *why);
      CHECK(why->starts_with("cannot replace `out`: "));
    }
  }
}

TEST_CASE("within compares whole path components") {
  using claw::io::within;
  CHECK(within("/w/out", "/w/out"));
  CHECK(within("/w/out/a", "/w/out"));
  CHECK(!within("/w/out2", "/w/out"));
  CHECK(!within("/w", "/w/out"));
  CHECK(within("/anything", "/"));
  CHECK(within("a/b", "."));
  CHECK(!within("/abs", "."));
  CHECK(within("out/x", "out"));
  CHECK(!within("outer", "out"));
}

TEST_CASE("the writer follows a link given as the folder, and the link stays") {
  TempDir tmp;
  claw::io::DiskFileSystem disk;
  fs::create_directories(tmp.path / "real");
  fs::create_symlink("real", tmp.path / "link");
  REQUIRE(disk.replace_tree((tmp.path / "link").string(), {{"a.txt", "one"}}).has_value());
  CHECK(fs::is_symlink(tmp.path / "link"));
  CHECK(slurp(tmp.path / "real" / "a.txt") == "one");
  REQUIRE(disk.replace_tree((tmp.path / "link").string(), {{"b.txt", "two"}}).has_value());
  CHECK(fs::is_symlink(tmp.path / "link"));
  CHECK(!fs::exists(tmp.path / "real" / "a.txt"));
  CHECK(slurp(tmp.path / "real" / "b.txt") == "two");
  // A link to nothing is refused, and stays a link to nothing.
  fs::create_symlink("nowhere", tmp.path / "dangling");
  auto r = disk.replace_tree((tmp.path / "dangling").string(), {{"a.txt", "one"}});
  REQUIRE(!r.has_value());
  CHECK(r.error().find("a symbolic link that leads nowhere") != std::string::npos);
  CHECK(fs::is_symlink(tmp.path / "dangling"));
  CHECK(!fs::exists(tmp.path / "nowhere"));
}

TEST_CASE("the writer sweeps only dead builds' staging folders that hold the mark") {
  TempDir tmp;
  claw::io::DiskFileSystem disk;
  // A pid no process has: past the largest pid the kernel hands out.
  const pid_t dead = 4194304 + 7;
  REQUIRE(::kill(dead, 0) != 0);
  const fs::path staged = tmp.path / claw::io::staging_name("out", dead);
  const fs::path old = tmp.path / claw::io::old_tree_name("out", dead);
  const fs::path unmarked = tmp.path / claw::io::staging_name("out", dead + 1);
  const fs::path alive = tmp.path / claw::io::staging_name("out", ::getppid());
  const fs::path other = tmp.path / claw::io::staging_name("other", dead);
  const fs::path lookalike = tmp.path / (".out.claw-new-0" + std::to_string(dead));
  for (const auto& p : {staged, old, unmarked, alive, other, lookalike}) {
    fs::create_directories(p / "manifests");
    std::ofstream(p / "manifests" / "x.yaml") << "x";
    if (p != unmarked) std::ofstream(p / ".claw-build") << claw::io::format_mark({"manifests/x.yaml"});
  }
  REQUIRE(disk.replace_tree((tmp.path / "out").string(), {{"a.txt", "one"}}).has_value());
  CHECK(!fs::exists(staged));
  CHECK(!fs::exists(old));
  CHECK(fs::exists(unmarked / "manifests" / "x.yaml"));   // not provably claw's
  CHECK(fs::exists(alive / "manifests" / "x.yaml"));      // its process lives
  CHECK(fs::exists(other / "manifests" / "x.yaml"));      // another folder's
  CHECK(fs::exists(lookalike / "manifests" / "x.yaml"));  // not the pattern (a leading 0)
}

TEST_CASE("a second writer of the same folder waits for the first, and both succeed") {
  TempDir tmp;
  claw::io::DiskFileSystem disk;
  const std::string out = (tmp.path / "out").string();
  auto first = disk.write_tree(out);
  first->put("a.txt", "first");
  std::atomic<bool> second_done{false};
  std::expected<claw::io::Committed, std::string> second_result = claw::io::Committed{};
  std::thread second([&] {
    auto tree = disk.write_tree(out);  // waits here while `first` lives
    tree->put("b.txt", "second");
    second_result = tree->commit();
    second_done = true;
  });
  // The second cannot have finished while the first holds the folder.
  REQUIRE(first->commit().has_value());
  CHECK(!second_done.load());
  CHECK(slurp(tmp.path / "out" / "a.txt") == "first");
  first.reset();
  second.join();
  REQUIRE(second_result.has_value());
  CHECK(!fs::exists(tmp.path / "out" / "a.txt"));
  CHECK(slurp(tmp.path / "out" / "b.txt") == "second");
}
