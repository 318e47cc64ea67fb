#include "compiler/sema/units.h"

#include <array>

namespace claw::sema::detail {
namespace {

struct Unit {
  TypeKind kind;
  std::string_view name;
  double factor;
};

constexpr double Ki = 1024.0;
constexpr std::array kUnits = {
    Unit{TypeKind::Bytes, "B", 1},
    Unit{TypeKind::Bytes, "KiB", Ki},
    Unit{TypeKind::Bytes, "MiB", Ki * Ki},
    Unit{TypeKind::Bytes, "GiB", Ki * Ki * Ki},
    Unit{TypeKind::Bytes, "TiB", Ki * Ki * Ki * Ki},
    Unit{TypeKind::Bytes, "PiB", Ki * Ki * Ki * Ki * Ki},
    Unit{TypeKind::Bytes, "Ki", Ki},  // Kubernetes spellings
    Unit{TypeKind::Bytes, "Mi", Ki * Ki},
    Unit{TypeKind::Bytes, "Gi", Ki * Ki * Ki},
    Unit{TypeKind::Bytes, "Ti", Ki * Ki * Ki * Ki},
    Unit{TypeKind::Bytes, "KB", 1e3},
    Unit{TypeKind::Bytes, "MB", 1e6},
    Unit{TypeKind::Bytes, "GB", 1e9},
    Unit{TypeKind::Bytes, "TB", 1e12},
    Unit{TypeKind::Bytes, "PB", 1e15},
    Unit{TypeKind::Cpu, "m", 1},
    Unit{TypeKind::Duration, "ms", 1},
    Unit{TypeKind::Duration, "s", 1e3},
    Unit{TypeKind::Duration, "m", 60e3},
    Unit{TypeKind::Duration, "h", 3600e3},
    Unit{TypeKind::Duration, "d", 86400e3},
};

}  // namespace

std::optional<double> unit_factor(TypeKind kind, std::string_view unit) {
  for (const auto& u : kUnits)
    if (u.kind == kind && u.name == unit) return u.factor;
  return std::nullopt;
}

std::vector<std::string_view> units_of(TypeKind kind) {
  std::vector<std::string_view> out;
  for (const auto& u : kUnits)
    if (u.kind == kind) out.push_back(u.name);
  return out;
}

UnitKinds kinds_of_unit(std::string_view unit) {
  UnitKinds out;
  for (const auto& u : kUnits)
    if (u.name == unit && out.count < 2) out.kinds[out.count++] = u.kind;
  return out;
}

std::string_view quantity_kind_name(TypeKind kind) {
  switch (kind) {
    case TypeKind::Bytes: return "bytes";
    case TypeKind::Cpu: return "cpu";
    case TypeKind::Duration: return "duration";
    default: return "number";
  }
}

}  // namespace claw::sema::detail
