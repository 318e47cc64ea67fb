#include "compiler/driver/commands.h"

#include <fmt/format.h>

#include "compiler/diag/diagnostic.h"

#ifndef CLAW_VERSION
#error "CLAW_VERSION is set by CMake from the project's version"
#endif

namespace claw::driver {

const std::string_view kVersion = CLAW_VERSION;

std::optional<std::string> find_command(const std::vector<std::string>& names, std::string_view given) {
  for (const auto& n : names)
    if (n == given) return n;
  return std::nullopt;
}

std::string command_list(const std::vector<std::string>& names) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i)
    out += fmt::format("{}`{}`", i == 0 ? "" : i + 1 == names.size() ? " and " : ", ", names[i]);
  return out;
}

std::string unknown_command(const std::vector<std::string>& names, std::string_view given) {
  std::vector<std::string_view> candidates(names.begin(), names.end());
  if (auto close = diag::did_you_mean(given, candidates))
    return fmt::format("unknown command `{}`; did you mean `{}`?", given, *close);
  return fmt::format("unknown command `{}`; the commands are {}", given, command_list(names));
}

}  // namespace claw::driver
