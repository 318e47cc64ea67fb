#include "compiler/io/real_path.h"

#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <memory>
#include <system_error>
#include <vector>

#include "compiler/io/filesystem.h"

namespace claw::io {
namespace {

/// realpath(3) of an existing path, or the errno it failed with.
std::expected<std::string, int> resolve(const std::string& path) {
  std::unique_ptr<char, decltype(&std::free)> real(::realpath(path.c_str(), nullptr), &std::free);
  if (!real) return std::unexpected(errno);
  return std::string(real.get());
}

}  // namespace

std::expected<std::string, int> real_path(const std::string& path) {
  std::string absolute = path;
  if (absolute.empty() || absolute[0] != '/') {
    auto cwd = resolve(".");
    if (!cwd) return cwd;
    absolute = *cwd + "/" + path;
  }
  // Split into components; find the longest prefix that exists.
  std::vector<std::string> parts;
  for (size_t at = 1; at <= absolute.size();) {
    size_t end = absolute.find('/', at);
    if (end == std::string::npos) end = absolute.size();
    if (end > at) parts.push_back(absolute.substr(at, end - at));
    at = end + 1;
  }
  for (size_t n = parts.size();; --n) {
    std::string prefix = "/";
    for (size_t i = 0; i < n; ++i) prefix += (i ? "/" : "") + parts[i];
    auto real = resolve(prefix);
    if (real) {
      std::string rest;
      for (size_t i = n; i < parts.size(); ++i) rest += "/" + parts[i];
      return rest.empty() ? *real : normalize_path(*real + rest);
    }
    if (real.error() != ENOENT || n == 0) return std::unexpected(real.error());
  }
}

std::string reason(int err) {
  std::string why = std::error_code(err, std::generic_category()).message();
  if (!why.empty() && why[0] >= 'A' && why[0] <= 'Z' && (why.size() < 2 || !(why[1] >= 'A' && why[1] <= 'Z')))
    why[0] = static_cast<char>(why[0] - 'A' + 'a');
  return why;
}

}  // namespace claw::io
