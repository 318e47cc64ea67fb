// The stdlib enums the C++ code reads as C++ enums (model.h): for each, its
// name in stdlib/core.claw and the names of its values, in the order of the
// C++ enumerators. This is the one place the two meet; the stdlib contract
// (stdlib_contract.h) checks it against the stdlib as loaded.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <span>
#include <string_view>

#include "compiler/sema/model.h"
#include "compiler/sema/value.h"

namespace claw::sema {

/// The stdlib counterpart of the C++ enum E: `name`, the stdlib enum, and
/// `values`, its values' names indexed by E's enumerators.
template <class E>
struct StdlibEnum;

template <>
struct StdlibEnum<Arch> {
  static constexpr std::string_view name = "arch";
  static constexpr std::array<std::string_view, 2> values = {"amd64", "arm64"};
};
template <>
struct StdlibEnum<Os> {
  static constexpr std::string_view name = "os";
  static constexpr std::array<std::string_view, 2> values = {"linux", "darwin"};
};
template <>
struct StdlibEnum<K3sMode> {
  static constexpr std::string_view name = "k3s-mode";
  static constexpr std::array<std::string_view, 4> values = {"native", "vm", "k3d", "none"};
};
template <>
struct StdlibEnum<TaintEffect> {
  static constexpr std::string_view name = "taint-effect";
  static constexpr std::array<std::string_view, 3> values = {"NoSchedule", "PreferNoSchedule", "NoExecute"};
};
template <>
struct StdlibEnum<Protocol> {
  static constexpr std::string_view name = "protocol";
  static constexpr std::array<std::string_view, 2> values = {"TCP", "UDP"};
};
template <>
struct StdlibEnum<AccessMode> {
  static constexpr std::string_view name = "access-mode";
  static constexpr std::array<std::string_view, 3> values = {"ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany"};
};
template <>
struct StdlibEnum<RestartPolicy> {
  static constexpr std::string_view name = "restart-policy";
  static constexpr std::array<std::string_view, 2> values = {"OnFailure", "Never"};
};
template <>
struct StdlibEnum<ConcurrencyPolicy> {
  static constexpr std::string_view name = "concurrency-policy";
  static constexpr std::array<std::string_view, 3> values = {"Allow", "Forbid", "Replace"};
};
template <>
struct StdlibEnum<ProbeKind> {
  static constexpr std::string_view name = "probe-kind";
  static constexpr std::array<std::string_view, 4> values = {"http", "tcp", "exec", "grpc"};
};

template <>
struct StdlibEnum<ServiceType> {
  static constexpr std::string_view name = "service-type";
  static constexpr std::array<std::string_view, 3> values = {"ClusterIP", "NodePort", "LoadBalancer"};
};
template <>
struct StdlibEnum<DnsPolicy> {
  static constexpr std::string_view name = "dns-policy";
  static constexpr std::array<std::string_view, 3> values = {"ClusterFirst", "ClusterFirstWithHostNet", "Default"};
};
template <>
struct StdlibEnum<PathType> {
  static constexpr std::string_view name = "path-type";
  static constexpr std::array<std::string_view, 3> values = {"Prefix", "Exact", "ImplementationSpecific"};
};
template <>
struct StdlibEnum<PullPolicy> {
  static constexpr std::string_view name = "pull-policy";
  static constexpr std::array<std::string_view, 3> values = {"Always", "IfNotPresent", "Never"};
};
template <>
struct StdlibEnum<HostPathType> {
  static constexpr std::string_view name = "host-path-type";
  static constexpr std::array<std::string_view, 7> values = {"Directory",    "DirectoryOrCreate", "File",       "FileOrCreate",
                                                             "Socket",       "CharDevice",        "BlockDevice"};
};
template <>
struct StdlibEnum<GpuStack> {
  static constexpr std::string_view name = "gpu-stack";
  static constexpr std::array<std::string_view, 2> values = {"device-plugin", "operator"};
};
template <>
struct StdlibEnum<PlacementPolicy> {
  static constexpr std::string_view name = "placement-policy";
  static constexpr std::array<std::string_view, 2> values = {"pinned", "failover"};
};

/// The stdlib's name of `e`.
template <class E>
constexpr std::string_view stdlib_name(E e) {
  return StdlibEnum<E>::values[static_cast<size_t>(e)];
}

/// The enumerator of E whose stdlib name is `name`, or nothing.
template <class E>
constexpr std::optional<E> from_stdlib(std::string_view name) {
  const auto& values = StdlibEnum<E>::values;
  for (size_t i = 0; i < values.size(); ++i)
    if (values[i] == name) return static_cast<E>(i);
  return std::nullopt;
}

/// The enumerator of E an enum value holds, or nothing for an unset or bad
/// value (the field's type is E's stdlib enum: the stdlib contract checks it).
template <class E>
std::optional<E> enum_of(const Value& v) {
  if (v.kind != Value::Kind::Enum) return std::nullopt;
  return from_stdlib<E>(v.enum_name());
}

/// One C++ enum's stdlib counterpart, for the load check.
struct StdlibEnumRow {
  std::string_view name;
  std::span<const std::string_view> values;
};

/// Every C++ enum with a stdlib counterpart.
std::span<const StdlibEnumRow> stdlib_enum_rows();

}  // namespace claw::sema
