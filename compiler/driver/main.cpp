// The `claw` executable: real filesystem, real console, stdlib next to the
// binary, and the runtime for `claw plan` / `claw apply`.
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/driver/cli.h"
#include "compiler/driver/interrupts.h"
#include "compiler/io/terminal.h"
#include "compiler/lsp/stream.h"
#include "runtime/cli/commands.h"

namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kFreeMemory = true;  // sanitizer builds free everything, so leak checks mean something
#else
constexpr bool kFreeMemory = false;
#endif

std::string find_stdlib() {
  if (const char* env = std::getenv("CLAW_STDLIB"); env && *env) return env;
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    auto dir = exe.parent_path();
    for (auto candidate : {dir / "stdlib", dir / ".." / "share" / "claw" / "stdlib"})
      if (std::filesystem::exists(candidate / "core.claw", ec)) return candidate.lexically_normal().string();
  }
  return "stdlib";
}

}  // namespace

int main(int argc, char** argv) {
  claw::driver::watch_interrupts();
  std::vector<std::string> args(argv + 1, argv + argc);
  claw::io::DiskFileSystem fs;
  claw::driver::Environment env;
  env.stdlib_dir = find_stdlib();
  env.free_memory = kFreeMemory;
  env.read_stdin = []() -> std::expected<std::string, std::string> {
    std::string text{std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>()};
    if (std::cin.bad()) return std::unexpected(std::string("reading failed"));
    return text;
  };
  claw::runtime::Commands cluster;
  env.cluster = &cluster;
  // `claw lsp` writes protocol messages as it goes, not when it ends.
  claw::lsp::FdStream stdio(STDIN_FILENO, STDOUT_FILENO);
  // An editor that goes away closes the pipe: a failed write, not a signal.
  if (!args.empty() && args[0] == "lsp") std::signal(SIGPIPE, SIG_IGN);
  env.stdio = &stdio;
  claw::driver::Console console;
  auto var = [](const char* name) -> std::optional<std::string_view> {
    const char* v = std::getenv(name);
    return v ? std::optional<std::string_view>(v) : std::nullopt;
  };
  console.color = claw::io::color_wanted(isatty(STDERR_FILENO), var("NO_COLOR"), var("TERM"));
  int code = claw::driver::run(args, fs, env, console);
  std::fwrite(console.out.data(), 1, console.out.size(), stdout);
  std::fwrite(console.err.data(), 1, console.err.size(), stderr);
  return code;
}
