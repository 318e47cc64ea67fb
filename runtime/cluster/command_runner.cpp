#include "runtime/cluster/command_runner.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>
#include <thread>

namespace claw::cluster {

namespace {

using Clock = std::chrono::steady_clock;

// Closes a descriptor when it goes out of scope.
struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

std::vector<char*> c_strings(std::vector<std::string>& items) {
  std::vector<char*> out;
  for (auto& s : items) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

// The child's stdout into `out` until it closes or `deadline` passes;
// false on timeout.
bool read_until_closed(int fd, Clock::time_point deadline, std::string& out) {
  char buf[65536];
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return false;
    pollfd p{fd, POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(left));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) return ready == 0 ? false : true;
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return true;
    out.append(buf, static_cast<size_t>(n));
  }
}

// The child's exit status once it ends, or -1 when a signal ended it;
// nothing if it is still running at `deadline`.
std::optional<int> wait_until(pid_t pid, Clock::time_point deadline) {
  for (;;) {
    int status = 0;
    const pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    if (done < 0 && errno != EINTR) return -1;
    if (Clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

void kill_and_reap(pid_t pid) {
  ::kill(pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
}

}  // namespace

std::expected<CommandResult, CommandError> ProcessRunner::run(const Command& command) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return std::unexpected(CommandError{false, std::strerror(errno)});
  Fd read_end{fds[0]};
  Fd write_end{fds[1]};

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  // stdin empty: client-go gives a plugin its stdin only when interactive.
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, write_end.fd, 1);

  std::vector<std::string> argv_items{command.program};
  argv_items.insert(argv_items.end(), command.args.begin(), command.args.end());
  std::vector<std::string> env_items = command.env;
  auto argv = c_strings(argv_items);
  auto envp = c_strings(env_items);

  pid_t pid = 0;
  // posix_spawnp searches the PATH of this process, as Go's exec.LookPath.
  const int rc = ::posix_spawnp(&pid, command.program.c_str(), &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return std::unexpected(CommandError{rc == ENOENT || rc == EACCES, std::strerror(rc)});
  ::close(write_end.fd);
  write_end.fd = -1;

  CommandResult result;
  const auto deadline = Clock::now() + command.timeout;
  // A child may close its stdout and go on running: it is waited for, up
  // to the same deadline.
  std::optional<int> exit_code;
  if (read_until_closed(read_end.fd, deadline, result.out)) exit_code = wait_until(pid, deadline);
  if (!exit_code) {
    kill_and_reap(pid);
    result.timed_out = true;
    exit_code = -1;
  }
  result.exit_code = *exit_code;
  return result;
}

}  // namespace claw::cluster
