// What a Pod gets and a pod template does not: core/v1 SetDefaults_Pod
// (kubernetes/kubernetes pkg/apis/core/v1/defaults.go) and, on create, the
// admission plugins every kube-apiserver enables by default:
// plugin/pkg/admission/serviceaccount, .../priority and
// .../defaulttolerationseconds.
#include "runtime/sim/default_fields.h"
#include "runtime/sim/defaults_internal.h"

namespace claw::sim::defaults {
namespace {

// Requests default to limits, per container and resource.
void requests_from_limits(Json& spec) {
  for (const char* list : {"containers", "initContainers"}) {
    each_object(spec, list, [](Json& c) {
      Json* res = find(c, "resources");
      Json* limits = res != nullptr ? find(*res, "limits") : nullptr;
      if (limits == nullptr || !limits->is_object()) return;
      Json* requests = object_member(*res, "requests");
      if (requests == nullptr) return;
      for (auto it = limits->begin(); it != limits->end(); ++it) {
        if (!requests->contains(it.key())) (*requests)[it.key()] = it.value();
      }
    });
  }
}

// With hostNetwork, a container port's hostPort defaults to the port.
void host_network_ports(Json& spec) {
  const Json* host = find(spec, "hostNetwork");
  if (host == nullptr || *host != true) return;
  for (const char* list : {"containers", "initContainers"}) {
    each_object(spec, list, [](Json& c) {
      each_object(c, "ports", [](Json& port) {
        const Json* cp = find(port, "containerPort");
        if (cp != nullptr && cp->is_number_integer()) fields::set_if_zero(port, "hostPort", cp->get<int>());
      });
    });
  }
}

// DefaultTolerationSeconds: tolerate not-ready and unreachable nodes for
// 300s unless a toleration covers them (an empty key or effect matches all).
void default_tolerations(Json& spec) {
  Json& tolerations = spec["tolerations"];
  if (tolerations.is_null()) tolerations = Json::array();
  if (!tolerations.is_array()) return;
  for (const char* key : {"node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"}) {
    bool present = false;
    for (const Json& t : tolerations) {
      bool key_matches = fields::unset(t, "key") || *find(t, "key") == key;
      bool effect_matches = fields::unset(t, "effect") || *find(t, "effect") == "NoExecute";
      present = present || (key_matches && effect_matches);
    }
    if (!present) {
      tolerations.push_back(Json{{"effect", "NoExecute"}, {"key", key}, {"operator", "Exists"}, {"tolerationSeconds", 300}});
    }
  }
}

}  // namespace

void pod(Json& obj, bool create) {
  Json* spec = find(obj, "spec");
  if (spec == nullptr || !spec->is_object()) return;
  pod_spec(*spec);
  requests_from_limits(*spec);
  set_default(*spec, "enableServiceLinks", true);
  host_network_ports(*spec);
  if (!create) return;
  // The "default" ServiceAccount; conversion mirrors it into the deprecated field.
  set_default(*spec, "serviceAccountName", "default");
  (*spec)["serviceAccount"] = (*spec)["serviceAccountName"];
  // No priority class: priority 0 and PreemptLowerPriority.
  if (fields::unset(*spec, "priorityClassName")) set_default(*spec, "priority", 0);
  set_default(*spec, "preemptionPolicy", "PreemptLowerPriority");
  default_tolerations(*spec);
}

}  // namespace claw::sim::defaults
