#include "runtime/cluster/transport.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

namespace claw::cluster {

std::string failure_text(const Response& r) {
  if (r.status == 0) return r.error;
  auto body = nlohmann::json::parse(r.body, nullptr, false);
  if (body.is_object() && body.contains("message") && body["message"].is_string())
    return fmt::format("{} ({})", body["message"].get<std::string>(), r.status);
  return fmt::format("HTTP {}", r.status);
}

}  // namespace claw::cluster
