// The real disk's atomic replacement of an output tree.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
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
