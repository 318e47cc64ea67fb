#include "compiler/io/staging.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <filesystem>
#include <optional>
#include <string_view>
#include <vector>

#include "compiler/io/output_mark.h"

namespace claw::io {
namespace {

constexpr std::string_view kStaging = ".claw-new-";
constexpr std::string_view kOld = ".claw-old-";

/// The pid a name of `stem`'s staging or old folder carries, if it is one.
std::optional<pid_t> pid_of(std::string_view name, const std::string& stem) {
  const std::string head = "." + stem;
  if (!name.starts_with(head)) return std::nullopt;
  name.remove_prefix(head.size());
  if (name.starts_with(kStaging)) name.remove_prefix(kStaging.size());
  else if (name.starts_with(kOld)) name.remove_prefix(kOld.size());
  else return std::nullopt;
  pid_t pid = 0;
  auto [end, ec] = std::from_chars(name.data(), name.data() + name.size(), pid);
  if (ec != std::errc() || end != name.data() + name.size() || pid <= 0 || name.front() == '0') return std::nullopt;
  return pid;
}

/// Whether no process has the id `pid` (one that exists but is not ours
/// to signal still counts as alive).
bool gone(pid_t pid) { return pid != ::getpid() && ::kill(pid, 0) != 0 && errno == ESRCH; }

}  // namespace

std::string staging_name(const std::string& stem, pid_t pid) {
  return "." + stem + std::string(kStaging) + std::to_string(pid);
}

std::string old_tree_name(const std::string& stem, pid_t pid) {
  return "." + stem + std::string(kOld) + std::to_string(pid);
}

size_t sweep_stale(const std::string& parent, const std::string& stem) {
  DIR* d = ::opendir(parent.c_str());
  if (!d) return 0;
  std::vector<std::string> stale;
  while (dirent* e = ::readdir(d)) {
    auto pid = pid_of(e->d_name, stem);
    if (!pid || !gone(*pid)) continue;
    struct stat folder {}, mark {};
    const std::string inside = std::string(e->d_name) + "/" + kMarkName;
    if (::fstatat(::dirfd(d), e->d_name, &folder, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(folder.st_mode) &&
        ::fstatat(::dirfd(d), inside.c_str(), &mark, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(mark.st_mode))
      stale.push_back(e->d_name);
  }
  ::closedir(d);
  size_t removed = 0;
  for (const auto& name : stale) {
    std::error_code ec;
    removed += std::filesystem::remove_all(std::filesystem::path(parent) / name, ec) > 0 && !ec;
  }
  return removed;
}

}  // namespace claw::io
