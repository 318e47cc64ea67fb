// RBAC, storage, scheduling, networking and apiextensions defaults. Sources,
// kubernetes/kubernetes: pkg/apis/rbac/v1/defaults.go (RoleBinding and
// ClusterRoleBinding roleRef, Subject apiGroup), pkg/apis/storage/v1/
// defaults.go (SetDefaults_StorageClass), pkg/apis/scheduling/v1/defaults.go
// (SetDefaults_PriorityClass), pkg/apis/networking/v1/defaults.go
// (SetDefaults_NetworkPolicyPort, _NetworkPolicy, _IngressClass; Ingress has none, its
// pathType included); staging apiextensions-apiserver pkg/apis/apiextensions/
// v1/defaults.go (SetDefaults_CustomResourceDefinition, _Spec,
// _ServiceReference).
#include "runtime/sim/default_fields.h"
#include "runtime/sim/defaults_internal.h"

#include <cctype>

namespace claw::sim::defaults {
namespace {

constexpr const char* kRbacGroup = "rbac.authorization.k8s.io";

}  // namespace

void role_binding(Json& obj) {
  if (Json* ref = find(obj, "roleRef"); ref != nullptr && ref->is_object()) set_default(*ref, "apiGroup", kRbacGroup);
  each_object(obj, "subjects", [](Json& subject) {
    if (!fields::unset(subject, "apiGroup")) return;
    const Json* kind = find(subject, "kind");
    if (kind != nullptr && (*kind == "User" || *kind == "Group")) subject["apiGroup"] = kRbacGroup;
  });
}

void storage_class(Json& obj) {
  set_default(obj, "reclaimPolicy", "Delete");
  set_default(obj, "volumeBindingMode", "Immediate");
}

void priority_class(Json& obj) { set_default(obj, "preemptionPolicy", "PreemptLowerPriority"); }

void network_policy(Json& obj) {
  Json* spec = find(obj, "spec");
  if (spec == nullptr || !spec->is_object()) return;
  for (const char* direction : {"ingress", "egress"}) {
    each_object(*spec, direction, [](Json& rule) {
      each_object(rule, "ports", [](Json& port) { set_default(port, "protocol", "TCP"); });
    });
  }
  const Json* types = find(*spec, "policyTypes");
  if (types == nullptr || types->is_null() || (types->is_array() && types->empty())) {
    Json list = Json::array({"Ingress"});
    const Json* egress = find(*spec, "egress");
    if (egress != nullptr && egress->is_array() && !egress->empty()) list.push_back("Egress");
    (*spec)["policyTypes"] = list;
  }
}

void ingress_class(Json& obj) {
  Json* spec = find(obj, "spec");
  Json* params = spec != nullptr ? find(*spec, "parameters") : nullptr;
  if (params != nullptr && params->is_object()) set_default(*params, "scope", "Cluster");
}

void ingress(Json& obj) {
  // IngressStatus and IngressLoadBalancerStatus are structs: always written.
  if (Json* status = object_member(obj, "status")) object_member(*status, "loadBalancer");
}

void custom_resource_definition(Json& obj) {
  Json* spec = find(obj, "spec");
  if (spec == nullptr || !spec->is_object()) return;
  // v1 has no scope default (v1beta1 had): a missing scope is invalid.
  if (Json* names = find(*spec, "names"); names != nullptr && names->is_object()) {
    const Json* kind = find(*names, "kind");
    std::string k = kind != nullptr && kind->is_string() ? kind->get<std::string>() : "";
    if (fields::unset(*names, "singular")) {
      std::string lower = k;
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      (*names)["singular"] = lower;
    }
    if (fields::unset(*names, "listKind") && !k.empty()) (*names)["listKind"] = k + "List";
  }
  set_default(*spec, "conversion", Json{{"strategy", "None"}});
  if (Json* conv = find(*spec, "conversion"); conv != nullptr && conv->is_object()) {
    if (Json* hook = find(*conv, "webhook"); hook != nullptr && hook->is_object()) {
      if (Json* cfg = find(*hook, "clientConfig"); cfg != nullptr && cfg->is_object()) {
        if (Json* svc = find(*cfg, "service"); svc != nullptr && svc->is_object()) set_default(*svc, "port", 443);
      }
    }
  }
  // The stored version is recorded (the CRD strategy's PrepareForCreate too).
  Json* status = object_member(obj, "status");
  if (status == nullptr) return;
  const Json* stored = find(*status, "storedVersions");
  if (stored == nullptr || stored->is_null() || (stored->is_array() && stored->empty())) {
    each_object(*spec, "versions", [&](Json& v) {
      if (v.value("storage", false) && !status->contains("storedVersions")) {
        (*status)["storedVersions"] = Json::array({v.value("name", "")});
      }
    });
  }
}

}  // namespace claw::sim::defaults
