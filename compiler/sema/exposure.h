// How a workload is reached, in one place: the names of its Service and
// Ingresses, the cluster DNS name cross-references resolve to, the ingress
// class and DNS policy it gets by default. Sema checks with these and the
// emitters write what they say.
#pragma once

#include <string>
#include <string_view>

#include "compiler/sema/model.h"

namespace claw::sema {

/// The cluster's DNS domain that Service names are under (k3s's default;
/// `--cluster-domain` is refused in extra k3s flags so this stays true).
inline constexpr std::string_view kClusterDomain = "cluster.local";

/// Whether a workload has a Service: a service or daemon with ports.
bool has_service(const Workload& w);
/// The name of a workload's Service: its `service-name`, else its own.
std::string_view service_name(const Workload& w);
/// The Service's type: ClusterIP, NodePort or LoadBalancer.
std::string_view service_type(const Workload& w);
/// The Ingress object made by `ingress KEY` of workload `workload`.
std::string ingress_name(std::string_view workload, std::string_view key);
/// The Secret cert-manager writes an ingress's certificate into when its
/// `tls` names an issuer and no secret.
std::string ingress_tls_secret_name(std::string_view ingress);
/// A Service's DNS name from any namespace: `<service>.<namespace>.svc.cluster.local`.
std::string service_host(std::string_view service, std::string_view namespace_);
/// The ingress class `ing` gets: its own `class`, else the cluster's
/// `ingress-class`, else k3s's Traefik.
std::string_view ingress_class(const Model& m, const Ingress& ing);
/// The pod's dnsPolicy, or empty for Kubernetes' default (ClusterFirst):
/// `dns-policy` when set, ClusterFirstWithHostNet with host networking.
std::string_view dns_policy(const Workload& w);
/// Whether the pod is on its node's network (`host-network = true`).
bool host_network(const Workload& w);
/// The port a route or a cross-reference without a port name means: the
/// one named by `expose`, else the first declared; null when there is none.
const Port* default_port(const Workload& w);

}  // namespace claw::sema
