// The names of the model's enums, all read from their stdlib counterparts.
#include "compiler/sema/stdlib_enums.h"

namespace claw::sema {

namespace {
template <class E>
constexpr StdlibEnumRow row() {
  return {StdlibEnum<E>::name, StdlibEnum<E>::values};
}
constexpr StdlibEnumRow kRows[] = {
    row<Arch>(),     row<Os>(),         row<K3sMode>(),       row<TaintEffect>(),       row<Protocol>(),
    row<AccessMode>(), row<RestartPolicy>(), row<ConcurrencyPolicy>(), row<ProbeKind>(), row<ServiceType>(),
    row<DnsPolicy>(), row<PathType>(), row<PullPolicy>(), row<HostPathType>(), row<GpuStack>(), row<PlacementPolicy>(),
};
}  // namespace

std::span<const StdlibEnumRow> stdlib_enum_rows() { return kRows; }

std::string_view arch_name(Arch a) { return stdlib_name(a); }
std::string_view os_name(Os o) { return stdlib_name(o); }
std::string_view k3s_mode_name(K3sMode m) { return stdlib_name(m); }
std::string_view taint_effect_name(TaintEffect e) { return stdlib_name(e); }
std::string_view protocol_name(Protocol p) { return stdlib_name(p); }
std::string_view access_mode_name(AccessMode a) { return stdlib_name(a); }
std::string_view restart_policy_name(RestartPolicy r) { return stdlib_name(r); }
std::string_view concurrency_policy_name(ConcurrencyPolicy c) { return stdlib_name(c); }
std::string_view probe_kind_name(ProbeKind k) { return stdlib_name(k); }
std::string_view service_type_name(ServiceType t) { return stdlib_name(t); }
std::string_view dns_policy_name(DnsPolicy d) { return stdlib_name(d); }
std::string_view path_type_name(PathType p) { return stdlib_name(p); }
std::string_view pull_policy_name(PullPolicy p) { return stdlib_name(p); }
std::string_view host_path_type_name(HostPathType t) { return stdlib_name(t); }

}  // namespace claw::sema
