// Position from JSON: a value built in C++ may be a signed integer, a
// parsed one an unsigned; both count when not negative.
#include "compiler/lsp/position_json.h"

#include <cstdint>
#include <limits>

namespace claw::lsp {
namespace {

std::optional<uint32_t> natural(const nlohmann::json& v) {
  if (!v.is_number_integer()) return std::nullopt;
  if (v.is_number_unsigned()) {
    auto u = v.get<uint64_t>();
    return u <= std::numeric_limits<uint32_t>::max() ? std::optional<uint32_t>(static_cast<uint32_t>(u)) : std::nullopt;
  }
  auto i = v.get<int64_t>();
  return i >= 0 && i <= std::numeric_limits<uint32_t>::max() ? std::optional<uint32_t>(static_cast<uint32_t>(i)) : std::nullopt;
}

}  // namespace

std::optional<Position> position_from_json(const nlohmann::json& p) {
  if (!p.is_object() || !p.contains("line") || !p.contains("character")) return std::nullopt;
  auto line = natural(p["line"]), character = natural(p["character"]);
  if (!line || !character) return std::nullopt;
  return Position{*line, *character};
}

}  // namespace claw::lsp
