#include "compiler/sema/exposure.h"

#include <fmt/format.h>

#include "compiler/k8s/k3s.h"

namespace claw::sema {

bool has_service(const Workload& w) {
  return !w.ports.empty() && (w.kind == WorkloadKind::Service || w.kind == WorkloadKind::Daemon);
}

std::string_view service_name(const Workload& w) {
  return w.exposure && w.exposure->service_name ? std::string_view(*w.exposure->service_name) : std::string_view(w.name);
}

std::string_view service_type(const Workload& w) {
  return service_type_name(w.exposure ? w.exposure->service_type : ServiceType::ClusterIP);
}

std::string ingress_name(std::string_view workload, std::string_view key) { return fmt::format("{}-{}", workload, key); }

std::string ingress_tls_secret_name(std::string_view ingress) { return fmt::format("{}-tls", ingress); }

std::string service_host(std::string_view service, std::string_view namespace_) {
  return fmt::format("{}.{}.svc.{}", service, namespace_, kClusterDomain);
}

std::string_view ingress_class(const Model& m, const Ingress& ing) {
  if (ing.class_name) return *ing.class_name;
  if (m.cluster && m.cluster->ingress_class) return *m.cluster->ingress_class;
  return k8s::kK3sDefaultIngressClass;
}

std::string_view dns_policy(const Workload& w) {
  if (!w.exposure) return {};
  if (w.exposure->dns_policy) return dns_policy_name(*w.exposure->dns_policy);
  return w.exposure->host_network ? "ClusterFirstWithHostNet" : "";
}

bool host_network(const Workload& w) { return w.exposure && w.exposure->host_network; }

const Port* default_port(const Workload& w) {
  if (w.expose)
    for (const auto& p : w.ports)
      if (p.name == *w.expose) return &p;
  return w.ports.empty() ? nullptr : &w.ports.front();
}

}  // namespace claw::sema
