// The real disk's atomic replacement of an output tree.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <thread>
#include <vector>
#include <sys/stat.h>
#include <unistd.h>

#include "compiler/io/filesystem.h"

namespace {

namespace fs = std::filesystem;

struct TempDir {
  fs::path path;
  TempDir() : path(fs::temp_directory_path() / ("claw-output-test-" + std::to_string(::getpid()))) {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
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
  CHECK(*n == 400 + 1);  // and the mark
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
  CHECK(*n == 400 + 1);  // and the mark
  CHECK(inode(out / "d98" / "f398.txt") == kept);
  CHECK(slurp(out / "d98" / "f398.txt") == "same");
  CHECK(slurp(out / "d99" / "f399.txt") == "second");
  CHECK(slurp(out / "d1" / "f1.txt") == "second");
  CHECK(slurp(out / "d0" / "f0.txt") == "rewritten");
  CHECK(count_files(out) == 400 + 1);
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

TEST_CASE("the disk reads whole files, empty ones, pipes, and says why it cannot") {
  TempDir tmp;
  claw::io::DiskFileSystem disk;
  std::string big(100000, 'x');
  big[99999] = 'y';
  std::ofstream(tmp.path / "big.claw") << big;
  std::ofstream(tmp.path / "empty.claw");
  auto text = disk.read((tmp.path / "big.claw").string());
  REQUIRE(text.has_value());
  CHECK(*text == big);
  text = disk.read((tmp.path / "empty.claw").string());
  REQUIRE(text.has_value());
  CHECK(text->empty());

  // A pipe has no size: it is read to its end.
  fs::path fifo = tmp.path / "fifo";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  std::thread writer([&] { std::ofstream(fifo) << big; });
  text = disk.read(fifo.string());
  writer.join();
  REQUIRE(text.has_value());
  CHECK(*text == big);

  auto missing = disk.read((tmp.path / "missing.claw").string());
  REQUIRE(!missing.has_value());
  CHECK(missing.error() == "No such file or directory");
  auto folder = disk.read(tmp.path.string());
  REQUIRE(!folder.has_value());
  CHECK(folder.error() == "it is a directory");
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
