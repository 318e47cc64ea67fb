#include "runtime/sim/clock.h"

#include <fmt/chrono.h>

namespace claw::sim {

std::string rfc3339(std::chrono::system_clock::time_point t) {
  return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", std::chrono::floor<std::chrono::seconds>(t));
}

}  // namespace claw::sim
