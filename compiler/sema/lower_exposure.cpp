// Lowering how workloads are reached (their Service's name and type, host
// networking, Ingresses) and the cluster's and machines' k3s settings, with
// the checks that need the network as a whole: node ports, host ports of
// host-network pods, ingress hosts and paths, the default ingress class.
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "compiler/k8s/k3s.h"
#include "compiler/sema/checker.h"
#include "compiler/sema/exposure.h"
#include "compiler/sema/lower_read.h"
#include "compiler/sema/stdlib_enums.h"

namespace claw::sema::detail {

namespace {

using VK = Value::Kind;

// The fields lower_exposure reads, found once per record type.
enum class XF : uint8_t { ServiceName, ServiceType, HostNetwork, DnsPolicy, Ingress };
constexpr std::string_view kExposureFields[] = {"service-name", "service-type", "host-network", "dns-policy", "ingress"};

using read::str;

std::string port_names(const Workload& w) {
  std::string l;
  for (const auto& p : w.ports) l += fmt::format("{}`{}`", l.empty() ? "" : ", ", p.name);
  return l;
}

}  // namespace

void Checker::check_port_name(const Workload& w, std::string_view name, Span at) {
  if (std::any_of(w.ports.begin(), w.ports.end(), [&](const Port& p) { return p.name == name; })) return;
  std::vector<std::string_view> names;
  for (const auto& p : w.ports) names.push_back(p.name);
  auto& d = report(diag::Kind::UndeclaredReference, at, fmt::format("`{}` has no port named `{}`", w.name, name));
  if (auto sug = diag::did_you_mean(name, names)) d.hint(fmt::format("did you mean `{}`?", *sug));
  else if (names.empty()) d.hint("declare the port: `port NAME = NUMBER`");
  else d.hint(fmt::format("`{}` has the ports {}", w.name, port_names(w)));
}

Ingress Checker::lower_ingress(const Workload& w, std::string_view key, const Value& x, Span key_at) {
  Ingress ing;
  ing.name = ingress_name(w.name, key);
  ing.span = key_at;
  const Value& hosts = x.field("hosts");
  if (hosts.kind == VK::List)
    for (const auto& h : *hosts.items)
      if (h.kind == VK::String && check_k8s(k8s::kIngressHost, h)) {
        ing.hosts.push_back(h.s);
        ing.host_spans.push_back(h.span);
      }
  if (hosts.kind == VK::List && hosts.items->empty())
    report(diag::Kind::MissingField, hosts.span, fmt::format("ingress `{}` of `{}` routes no host", key, w.name))
        .hint("name at least one: `hosts = [\"app.example.com\"]`");
  ing.class_name = str(x.field("class"));
  check_k8s(k8s::kDns1123Subdomain, x.field("class"), "ingress class");
  const Value& routes = x.field("route");
  for (size_t i = 0; routes.kind == VK::Map && i < routes.keys->size(); ++i) {
    const Value& r = (*routes.items)[i];
    Span at = key_span(routes, i, r.span);
    IngressRoute route{(*routes.keys)[i], enum_of<PathType>(r.field("match")).value_or(PathType::Prefix), {}, at};
    check_k8s(k8s::kIngressPath, route.path, at, {}, diag::Kind::InvalidPath);
    if (auto p = str(r.field("port"))) {
      check_port_name(w, *p, r.field("port").span);
      route.port = *p;
    }
    ing.routes.push_back(std::move(route));
  }
  if (ing.routes.empty()) ing.routes.push_back(IngressRoute{"/", PathType::Prefix, {}, key_at});
  for (auto& route : ing.routes)
    if (route.port.empty())
      if (const Port* p = default_port(w)) route.port = p->name;
  const Value& tls = x.field("tls");
  if (tls.kind == VK::Record) {
    ing.tls_secret = str(tls.field("secret"));
    ing.tls_issuer = str(tls.field("issuer"));
    check_k8s(k8s::kDns1123Subdomain, tls.field("secret"), "Secret name");
    check_k8s(k8s::kDns1123Subdomain, tls.field("issuer"), "cert-manager ClusterIssuer name");
    if (!ing.tls_secret && !ing.tls_issuer)
      report(diag::Kind::MissingField, tls.span, fmt::format("`tls` of ingress `{}` names no certificate", key))
          .hint("set `secret = \"NAME\"` (a Secret holding tls.crt and tls.key) or `issuer = \"NAME\"` (a cert-manager "
                "ClusterIssuer that makes one)");
    if (!ing.tls_secret && ing.tls_issuer) ing.tls_secret = ingress_tls_secret_name(ing.name);
  }
  const Value& notes = x.field("annotations");
  check_annotations(notes, key_at, fmt::format("ingress `{}` of `{}`", key, w.name));
  ing.annotations = [&] {
    std::map<std::string, std::string> out;
    for (size_t i = 0; notes.kind == VK::Map && i < notes.keys->size(); ++i) {
      if ((*notes.items)[i].kind != VK::String) continue;
      // The API server refuses the old class annotation beside
      // ingressClassName, which claw always writes.
      if ((*notes.keys)[i] == "kubernetes.io/ingress.class") {
        report(diag::Kind::MisplacedField, key_span(notes, i, key_at),
               "the annotation `kubernetes.io/ingress.class` cannot be set: Kubernetes refuses it beside "
               "`ingressClassName`, which claw writes from `class`")
            .hint(fmt::format("write `class = \"{}\"` instead", (*notes.items)[i].s));
        continue;
      }
      out[(*notes.keys)[i]] = (*notes.items)[i].s;
    }
    return out;
  }();
  if (ing.tls_issuer) ing.annotations.emplace("cert-manager.io/cluster-issuer", *ing.tls_issuer);
  return ing;
}

void Checker::lower_exposure(const Value& v, Workload& w) {
  const std::vector<int>& at = field_positions(v.record, kExposureFields);
  auto field = [&](XF f) -> const Value& { return v.at(at[static_cast<size_t>(f)]); };
  const Value& name = field(XF::ServiceName);
  const Value& type = field(XF::ServiceType);
  const Value& hostnet = field(XF::HostNetwork);
  const Value& dns = field(XF::DnsPolicy);
  const Value& ingresses = field(XF::Ingress);
  bool node_ports = std::any_of(w.ports.begin(), w.ports.end(), [](const Port& p) { return p.node_port.has_value(); });
  const std::optional<ServiceType> service_type = enum_of<ServiceType>(type);
  bool any = name.kind == VK::String || (service_type && *service_type != ServiceType::ClusterIP) ||
             (hostnet.kind == VK::Bool && hostnet.i) || dns.kind == VK::Enum ||
             (ingresses.kind == VK::Map && !ingresses.keys->empty()) || w.host || node_ports;
  if (!any) return;  // the defaults: most workloads, and nothing allocated
  auto x = std::make_shared<Exposure>();
  x->service_name = str(name);
  x->service_name_span = name.span;
  if (service_type) x->service_type = *service_type;
  x->service_type_span = type.span;
  x->host_network = hostnet.kind == VK::Bool && hostnet.i;
  x->dns_policy = enum_of<DnsPolicy>(dns);
  bool service = has_service(w);
  auto no_service = [&](Span where, std::string_view what) {
    report(diag::Kind::NoService, where, fmt::format("`{}` has no Service to {}", w.name, what))
        .hint(w.kind == WorkloadKind::Job || w.kind == WorkloadKind::Cron
                  ? fmt::format("a {} gets no Service; only services and daemons with ports do", workload_kind_name(w.kind))
                  : std::string("declare a port: `port http = 8080`"));
  };
  if (x->service_name) {
    if (!service) no_service(name.span, "name");
    else check_k8s(k8s::kDns1035Label, name, "Service name");
  }
  if (x->service_type != ServiceType::ClusterIP && !service) no_service(type.span, "give a type");
  for (const Port& p : w.ports)
    if (p.node_port && service && x->service_type == ServiceType::ClusterIP)
      report(diag::Kind::NodePortOnClusterIp, p.span,
             fmt::format("port `{}` of `{}` asks for node port {}, but its Service is a ClusterIP", p.name, w.name, *p.node_port))
          .hint("set `service-type = NodePort` (or LoadBalancer), or drop `node`");
  if (w.host) {
    if (!w.ports.empty()) {
      Ingress ing;
      ing.name = w.name;
      ing.hosts.push_back(*w.host);
      ing.host_spans.push_back(w.host_span);
      const Port* p = default_port(w);
      ing.routes.push_back(IngressRoute{w.path.empty() ? "/" : w.path, PathType::Prefix, p ? p->name : "", w.host_span});
      ing.span = w.host_span;
      x->ingresses.push_back(std::move(ing));
    } else {
      no_service(w.host_span, "route an ingress to");
    }
  }
  for (size_t i = 0; ingresses.kind == VK::Map && i < ingresses.keys->size(); ++i) {
    const std::string& key = (*ingresses.keys)[i];
    Span key_at = key_span(ingresses, i, (*ingresses.items)[i].span);
    if (!check_k8s(k8s::kDns1123Label, key, key_at, "ingress name", diag::Kind::InvalidName)) continue;
    if (w.ports.empty()) {
      no_service(key_at, "route an ingress to");
      continue;
    }
    x->ingresses.push_back(lower_ingress(w, key, (*ingresses.items)[i], key_at));
  }
  w.exposure = std::move(x);
}

void Checker::lower_k3s_settings(const Value& v, Cluster& c) {
  c.ingress_class = str(v.field("ingress-class"));
  check_k8s(k8s::kDns1123Subdomain, v.field("ingress-class"), "ingress class");
  if (const Value& d = v.field("disable"); d.kind == VK::List)
    for (const auto& x : *d.items)
      if (x.kind == VK::Enum && std::find(c.disable.begin(), c.disable.end(), x.enum_name()) == c.disable.end())
        c.disable.emplace_back(x.enum_name());
  c.data_dir = str(v.field("data-dir"));
  check_k8s(k8s::kK3sDataDir, v.field("data-dir"), {}, diag::Kind::InvalidK3sValue);
  c.server_args = k3s_args(v.field("server-args"));
  c.gpu_operator = enum_of<GpuStack>(v.field("gpu")) == GpuStack::Operator;
  c.placement = enum_of<PlacementPolicy>(v.field("placement")).value_or(PlacementPolicy::Pinned);
  if (const Value& s = v.field("survive"); s.kind == VK::Int) {
    c.survive = static_cast<int>(s.i);
    c.survive_span = s.span;
  }
}

std::vector<std::string> Checker::k3s_args(const Value& list) {
  std::vector<std::string> out;
  if (list.kind == VK::List)
    for (const auto& a : *list.items)
      if (a.kind == VK::String && check_k8s(k8s::kK3sArg, a, {}, diag::Kind::InvalidK3sValue)) out.push_back(a.s);
  return out;
}

void Checker::check_annotations(const Value& notes, Span fallback, std::string_view owner) {
  // ValidateAnnotations: keys are qualified names once lower-cased, and the
  // keys and values together at most 256 KiB.
  size_t bytes = 0;
  for (size_t i = 0; notes.kind == VK::Map && notes.keys && i < notes.keys->size(); ++i) {
    const std::string& key = (*notes.keys)[i];
    std::string lowered = key;
    for (char& c : lowered) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    if (auto p = k8s::kQualifiedName.problem(lowered); !p.empty())
      report(diag::Kind::BadLabelKey, key_span(notes, i, fallback),
             fmt::format("`{}` is not a valid annotation key: {}", key, p))
          .hint(std::string(k8s::kQualifiedName.hint));
    bytes += key.size() + ((*notes.items)[i].kind == VK::String ? (*notes.items)[i].s.size() : 0);
  }
  if (auto p = k8s::annotations_size_problem(bytes); !p.empty())
    report(diag::Kind::OutOfRange, notes.span, fmt::format("{} is refused: {}", owner, p))
        .hint("keep large data in the spec or a ConfigMap");
}

void Checker::check_exposure(const Model& m) {
  // Host ports (a host-network pod binds every container port on its node),
  // node ports (every node's), and ingress host + path pairs are shared by
  // everything in the cluster.
  std::map<std::pair<int, Protocol>, const Port*> host_ports;
  std::map<std::pair<int, Protocol>, const Port*> node_ports;
  std::map<std::pair<std::string, std::string>, Span> routed;
  bool traefik_disabled = m.cluster && std::find(m.cluster->disable.begin(), m.cluster->disable.end(),
                                                 k8s::kK3sDefaultIngressClass) != m.cluster->disable.end();
  for (const auto& w : m.workloads) {
    bool hostnet = host_network(w);
    for (const auto& p : w.ports) {
      std::optional<int> host = hostnet ? std::optional<int>(p.port) : p.host_port;
      if (host) {
        auto [it, fresh] = host_ports.emplace(std::make_pair(*host, p.protocol), &p);
        if (!fresh)
          report(diag::Kind::DuplicateHostPort, p.span,
                 fmt::format("host port {}/{} is already claimed", *host, protocol_name(p.protocol)))
              .note(it->second->span, "claimed here")
              .hint(hostnet ? "with `host-network = true` every port is a port of the node; two pods cannot bind one "
                              "port on one node"
                            : "two pods cannot bind the same port on one node; pick another host port or drop `host`");
      }
      if (p.node_port) {
        // Kubernetes keys node ports by port and protocol: 53/TCP and
        // 53/UDP may share a number.
        auto [it, fresh] = node_ports.emplace(std::make_pair(*p.node_port, p.protocol), &p);
        if (!fresh)
          report(diag::Kind::DuplicateNodePort, p.span,
                 fmt::format("node port {}/{} is already taken", *p.node_port, protocol_name(p.protocol)))
              .note(it->second->span, "taken here")
              .hint("a node port is opened on every node: each Service needs its own, between 30000 and 32767");
      }
    }
    if (!w.exposure) continue;
    for (const auto& ing : w.exposure->ingresses) {
      if (traefik_disabled && !ing.class_name && !m.cluster->ingress_class)
        report(diag::Kind::IngressClassDisabled, ing.span,
               fmt::format("ingress `{}` would get the class `traefik`, but the cluster disables Traefik", ing.name))
            .note(m.cluster->span, "`disable` holds `traefik` here")
            .hint("set the cluster's `ingress-class` (e.g. \"nginx\") or the ingress's `class`");
      for (size_t h = 0; h < ing.hosts.size(); ++h)
        for (const auto& r : ing.routes) {
          auto [it, fresh] = routed.emplace(std::make_pair(ing.hosts[h], r.path), ing.host_spans[h]);
          if (!fresh)
            report(diag::Kind::DuplicateIngressHost, ing.host_spans[h],
                   fmt::format("ingress host `{}{}` is already routed", ing.hosts[h], r.path == "/" ? "" : r.path))
                .note(it->second, "routed here");
        }
    }
  }
}

}  // namespace claw::sema::detail
