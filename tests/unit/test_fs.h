// A filesystem for tests: inputs in memory, the stdlib read from the copy the
// build ships next to claw (so goldens and driver tests use the real schemas,
// the compact Kubernetes schema among them).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "compiler/driver/cli.h"
#include "compiler/io/filesystem.h"

namespace claw::testing {

/// Where the stdlib the build ships is (the source tree's, with the compact
/// Kubernetes schema added), normalized.
inline std::string stdlib_dir() { return io::normalize_path(std::string(CLAW_BINARY_DIR) + "/stdlib"); }

class TestFileSystem final : public io::FileSystem {
 public:
  io::MemoryFileSystem memory;

  std::expected<std::string, io::ReadError> read_file(const std::string& p, size_t max_bytes) const override {
    return stdlib(p) ? disk_.read(p, max_bytes) : memory.read(p, max_bytes);
  }
  bool is_directory(const std::string& p) const override { return stdlib(p) ? disk_.is_directory(p) : memory.is_directory(p); }
  bool exists(const std::string& p) const override { return stdlib(p) ? disk_.exists(p) : memory.exists(p); }
  std::vector<std::string> claw_files(const std::string& d) const override {
    return stdlib(d) ? disk_.claw_files(d) : memory.claw_files(d);
  }
  std::unique_ptr<io::TreeWriter> write_tree(const std::string& dir, const std::vector<std::string>& inputs = {}) const override {
    return memory.write_tree(dir, inputs);
  }
  std::expected<void, std::string> write_file(const std::string& path, std::string_view text) const override {
    return memory.write_file(path, text);
  }

 private:
  bool stdlib(const std::string& p) const { return io::normalize_path(p).starts_with(stdlib_dir()); }
  io::DiskFileSystem disk_;
};

/// `claw build net.claw -o out` over a TestFileSystem holding `program` as
/// net.claw: what the build emitters' tests read their outputs from.
struct BuildRun {
  int code = 0;
  driver::Console console;
  TestFileSystem fs;

  void build(const std::string& program) {
    fs.memory.add("net.claw", program);
    code = driver::run({"build", "net.claw", "-o", "out"}, fs, driver::Environment{stdlib_dir()}, console);
  }
  /// A file of the output tree (`out/<path>`); empty when it was not written.
  std::string output(const std::string& path) const {
    auto text = fs.memory.read("out/" + path);
    return text ? *text : std::string();
  }
};

}  // namespace claw::testing
