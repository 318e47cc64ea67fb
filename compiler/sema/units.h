// Units of quantities: bytes (binary and decimal), cpu (millicores), and
// durations. Private to sema/.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "compiler/sema/value.h"

namespace claw::sema::detail {

/// The factor of `unit` for quantities of `kind` (Bytes: bytes, Cpu:
/// millicores, Duration: milliseconds), or nullopt if it is not such a unit.
std::optional<double> unit_factor(TypeKind kind, std::string_view unit);

/// Every unit of `kind`, for did-you-mean.
std::vector<std::string_view> units_of(TypeKind kind);

/// The quantity kinds a unit belongs to: none, one, or (`m`) two.
struct UnitKinds {
  TypeKind kinds[2] = {TypeKind::Error, TypeKind::Error};
  size_t count = 0;
  bool empty() const { return count == 0; }
  size_t size() const { return count; }
  TypeKind operator[](size_t i) const { return kinds[i]; }
};

/// The quantity kinds `unit` belongs to (`m` is both cpu and duration).
/// Without allocating: every quantity literal asks.
UnitKinds kinds_of_unit(std::string_view unit);

std::string_view quantity_kind_name(TypeKind kind);

}  // namespace claw::sema::detail
