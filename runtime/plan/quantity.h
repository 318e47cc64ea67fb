#pragma once
// Kubernetes resource quantities (`500m`, `1Gi`, `1e3`) as exact values, so
// that declared and live objects compare by what the API server stores, not
// by how the number was written: `1Gi` == `1024Mi` == `1073741824`,
// `0.5` == `500m`, `1e3` == `1k`.

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace claw::plan {

/// An exact quantity value, (-1)^negative × digits × 10^exp10, kept
/// normalised (no leading or trailing zeros in `digits`; zero is "0" × 10^0,
/// never negative) so that equal values are equal structs.
struct Quantity {
  bool negative = false;
  std::string digits = "0";
  std::int64_t exp10 = 0;
  bool operator==(const Quantity&) const = default;
};

/// The value of quantity text as the API server parses it
/// (resource.ParseQuantity, rounded up to nano); nullopt when the text is
/// not a quantity.
std::optional<Quantity> parse_quantity(std::string_view text);

/// The value of a JSON string or number holding a quantity (surrounding
/// spaces inside the string are ignored, as Quantity.UnmarshalJSON does);
/// nullopt for other JSON and for text that is not a quantity.
std::optional<Quantity> quantity_of(const nlohmann::json& value);

/// `q` rounded away from zero to a multiple of 10^scale (Quantity.RoundUp).
Quantity round_up(Quantity q, std::int64_t scale);

}  // namespace claw::plan
