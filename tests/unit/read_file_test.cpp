// Reading source files from disk: what is not a regular file (a FIFO, a
// device behind a symlink, a folder) is refused without blocking on it or
// reading it, and a file over the size cap is refused without reading past
// the cap. Each case is met by the reader itself and, end to end, by a
// program that imports it or names it on the command line.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "compiler/driver/cli.h"
#include "compiler/io/filesystem.h"
#include "compiler/syntax/parse.h"
#include "tests/unit/temp_dir.h"
#include "tests/unit/test_fs.h"

namespace {

namespace fs = std::filesystem;

// Each test of this file gets its own folder under the system temp folder.
struct TempDir : claw::testing::TempDir {
  TempDir() : claw::testing::TempDir("claw-read-test") {}
};
using claw::io::ReadError;

// A FIFO, which blocks an open() or read() that waits for a writer. The
// guard opens it for writing after a while and closes it again, so that a
// reader that does wait is released (and the test fails on the time it took)
// rather than hanging the suite.
class Fifo {
 public:
  explicit Fifo(const fs::path& at) : path_(at) {
    REQUIRE(::mkfifo(at.c_str(), 0600) == 0);
    guard_ = std::thread([this] {
      for (int i = 0; i < 100 && !done_; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
      if (done_) return;
      int fd = ::open(path_.c_str(), O_WRONLY | O_NONBLOCK);
      if (fd >= 0) ::close(fd);
    });
  }
  ~Fifo() {
    done_ = true;
    guard_.join();
  }
  Fifo(const Fifo&) = delete;
  Fifo& operator=(const Fifo&) = delete;

 private:
  fs::path path_;
  std::atomic<bool> done_ = false;
  std::thread guard_;
};

// Runs `f` and returns the seconds it took.
double seconds(const std::function<void()>& f) {
  auto t0 = std::chrono::steady_clock::now();
  f();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// A reader that waits on a FIFO is released after 10 s; one that does
// not takes milliseconds.
constexpr double kPrompt = 5;

const size_t kCap = claw::syntax::ParseLimits{}.max_file_bytes;  // the loader's cap

struct Checked {
  int code = 0;
  claw::driver::Console console;
  double seconds = 0;
};

// `claw check ARGS...` on the real disk, with the source tree's stdlib.
Checked check(std::vector<std::string> args) {
  claw::io::DiskFileSystem disk;
  Checked c;
  args.insert(args.begin(), "check");
  c.seconds = seconds([&] {
    c.code = claw::driver::run(args, disk, claw::driver::Environment{claw::testing::stdlib_dir()}, c.console);
  });
  return c;
}

const char* kNet =
    "cluster home { k3s = \"v1.31.4+k3s1\"; server = box }\n"
    "machine box { os = linux; arch = amd64; cpu = 4; memory = 16GiB }\n";

}  // namespace

TEST_SUITE("reading files") {

TEST_CASE("the disk reader reads regular files whole, through symlinks too") {
  TempDir tmp;
  claw::io::DiskFileSystem disk;
  std::string big(100000, 'x');
  big[99999] = 'y';
  std::ofstream(tmp.path / "big.claw") << big;
  std::ofstream(tmp.path / "empty.claw");
  fs::create_symlink(tmp.path / "big.claw", tmp.path / "link.claw");
  for (const char* name : {"big.claw", "link.claw"}) {
    CAPTURE(name);
    auto text = disk.read((tmp.path / name).string(), kCap);
    REQUIRE(text.has_value());
    CHECK(*text == big);
  }
  auto empty = disk.read((tmp.path / "empty.claw").string(), kCap);
  REQUIRE(empty.has_value());
  CHECK(empty->empty());
  auto missing = disk.read((tmp.path / "missing.claw").string(), kCap);
  REQUIRE(!missing.has_value());
  CHECK(missing.error().kind == ReadError::Kind::Failed);
  CHECK(missing.error().message == "No such file or directory");
}

TEST_CASE("the disk reader refuses what is not a regular file, at once") {
  TempDir tmp;
  claw::io::DiskFileSystem disk;
  Fifo fifo(tmp.path / "pipe.claw");
  fs::create_symlink(tmp.path / "pipe.claw", tmp.path / "to-pipe.claw");
  fs::create_symlink("/dev/zero", tmp.path / "zero.claw");
  fs::create_symlink("/dev/null", tmp.path / "null.claw");
  fs::create_directories(tmp.path / "folder.claw");
  fs::create_symlink(tmp.path / "folder.claw", tmp.path / "to-folder.claw");
  const std::pair<const char*, const char*> cases[] = {
      {"pipe.claw", "it is a named pipe (FIFO), not a regular file"},
      {"to-pipe.claw", "it is a named pipe (FIFO), not a regular file"},
      {"zero.claw", "it is a device, not a regular file"},
      {"null.claw", "it is a device, not a regular file"},
      {"folder.claw", "it is a folder, not a file"},
      {"to-folder.claw", "it is a folder, not a file"},
  };
  for (const auto& [name, why] : cases) {
    CAPTURE(name);
    std::expected<std::string, ReadError> text;
    // Uncapped too: what is refused is refused for what it is, not its size.
    for (size_t cap : {kCap, claw::io::FileSystem::kAnySize}) {
      double took = seconds([&] { text = disk.read((tmp.path / name).string(), cap); });
      CHECK(took < kPrompt);
      REQUIRE(!text.has_value());
      CHECK(text.error().kind == ReadError::Kind::NotRegular);
      CHECK(text.error().message == why);
    }
  }
}

TEST_CASE("the disk reader refuses a file over the cap without reading it") {
  TempDir tmp;
  claw::io::DiskFileSystem disk;
  // Sparse: a terabyte that takes no room, and would take all memory to read.
  const fs::path huge = tmp.path / "huge.claw";
  { std::ofstream(huge) << "let a = 1\n"; }
  REQUIRE(::truncate(huge.c_str(), off_t{1} << 40) == 0);
  std::expected<std::string, ReadError> text;
  double took = seconds([&] { text = disk.read(huge.string(), kCap); });
  CHECK(took < kPrompt);
  REQUIRE(!text.has_value());
  CHECK(text.error().kind == ReadError::Kind::TooLarge);
  CHECK(text.error().size == uint64_t{1} << 40);

  // The cap is a number of bytes: a file of exactly that many is read, one
  // byte more is not; the same for every small cap.
  for (size_t cap : {size_t{0}, size_t{1}, size_t{4095}, size_t{4096}, size_t{4097}, size_t{100000}}) {
    CAPTURE(cap);
    std::ofstream(tmp.path / "at.claw") << std::string(cap, 'a');
    std::ofstream(tmp.path / "over.claw") << std::string(cap + 1, 'a');
    auto at = disk.read((tmp.path / "at.claw").string(), cap);
    REQUIRE(at.has_value());
    CHECK(at->size() == cap);
    auto over = disk.read((tmp.path / "over.claw").string(), cap);
    REQUIRE(!over.has_value());
    CHECK(over.error().kind == ReadError::Kind::TooLarge);
    CHECK(over.error().size == cap + 1);
  }
}

TEST_CASE("the in-memory filesystem applies the same cap and refuses folders") {
  claw::io::MemoryFileSystem memory;
  memory.add("a.claw", "let a = 1\n");
  memory.add("dir.claw/b.claw", "let b = 2\n");
  CHECK(memory.read("a.claw", 10).has_value());
  auto over = memory.read("a.claw", 9);
  REQUIRE(!over.has_value());
  CHECK(over.error().kind == ReadError::Kind::TooLarge);
  CHECK(over.error().size == 10);
  auto folder = memory.read("dir.claw", kCap);
  REQUIRE(!folder.has_value());
  CHECK(folder.error().kind == ReadError::Kind::NotRegular);
  auto missing = memory.read("c.claw", kCap);
  REQUIRE(!missing.has_value());
  CHECK(missing.error().kind == ReadError::Kind::Failed);
}

TEST_CASE("an import of what is not a regular file is an error at the import, at once") {
  TempDir tmp;
  fs::create_directories(tmp.path / "lib");
  Fifo fifo(tmp.path / "lib" / "pipe.claw");
  fs::create_symlink("/dev/zero", tmp.path / "lib" / "zero.claw");
  fs::create_symlink(tmp.path / "lib" / "pipe.claw", tmp.path / "lib" / "to-pipe.claw");
  fs::create_directories(tmp.path / "lib" / "folder.claw" / "inner");
  // Each is imported by its own name, in a file of its own (line 3, column 8).
  const std::pair<const char*, const char*> cases[] = {
      {"lib/pipe.claw", "it is a named pipe (FIFO), not a regular file"},
      {"lib/to-pipe", "it is a named pipe (FIFO), not a regular file"},
      {"lib/zero.claw", "it is a device, not a regular file"},
      // `lib/folder` is neither a folder nor a file; `lib/folder.claw` is a folder.
      {"lib/folder", "it is a folder, not a file"},
  };
  for (const auto& [target, why] : cases) {
    CAPTURE(target);
    const fs::path main = tmp.path / "main.claw";
    std::ofstream(main) << kNet << "import \"" << target << "\"\n";
    auto c = check({main.string()});
    CHECK(c.seconds < kPrompt);
    CHECK(c.code == 1);
    const std::string file = target == std::string("lib/folder") ? "lib/folder.claw" : target;
    const std::string shown = (tmp.path / (file.ends_with(".claw") ? file : file + ".claw")).lexically_normal().string();
    CHECK_MESSAGE(c.console.err.find(main.string() + ":3:8: error: cannot read `" + shown + "`: " + why + " [file-unreadable]") !=
                      std::string::npos,
                  c.console.err);
    CHECK(c.console.err.find("claw reads only regular files") != std::string::npos);
  }
}

TEST_CASE("a file named on the command line that is not regular is an error, at once") {
  TempDir tmp;
  Fifo fifo(tmp.path / "pipe.claw");
  for (std::string path : {(tmp.path / "pipe.claw").string(), std::string("/dev/zero"), std::string("/dev/null")}) {
    CAPTURE(path);
    auto c = check({path});
    CHECK(c.seconds < kPrompt);
    CHECK(c.code == 1);
    CHECK_MESSAGE(c.console.err.find("claw: error: cannot read `" + path + "`: it is ") != std::string::npos, c.console.err);
    CHECK(c.console.err.find("[file-unreadable]") != std::string::npos);
  }
}

TEST_CASE("a folder scan passes over what is not a regular file") {
  TempDir tmp;
  Fifo fifo(tmp.path / "pipe.claw");
  fs::create_symlink("/dev/zero", tmp.path / "zero.claw");
  std::ofstream(tmp.path / "net.claw") << kNet;
  auto c = check({tmp.path.string()});
  CHECK(c.seconds < kPrompt);
  CHECK_MESSAGE(c.code == 0, c.console.err);
}

TEST_CASE("an import of a file over the cap is file-too-large at the import, at once") {
  TempDir tmp;
  const fs::path huge = tmp.path / "huge.claw";
  { std::ofstream(huge) << "let a = 1\n"; }
  REQUIRE(::truncate(huge.c_str(), off_t{1} << 40) == 0);
  const fs::path main = tmp.path / "main.claw";
  std::ofstream(main) << kNet << "import \"huge.claw\"\n";
  auto c = check({main.string()});
  CHECK(c.seconds < kPrompt);
  CHECK(c.code == 1);
  CHECK_MESSAGE(c.console.err.find(main.string() + ":3:8: error: `" + huge.string() +
                                   "` is 1048576.0 MiB; claw reads files of at most 8 MiB [file-too-large]") != std::string::npos,
                c.console.err);
  // Named on the command line: the same, with no place to point at.
  auto d = check({huge.string()});
  CHECK(d.seconds < kPrompt);
  CHECK(d.code == 1);
  CHECK_MESSAGE(d.console.err.find("claw: error: `" + huge.string() + "` is 1048576.0 MiB") != std::string::npos, d.console.err);
}

}  // TEST_SUITE
