#include "runtime/sim/builtin_names.h"

#include <map>
#include <utility>

namespace claw::sim {

const BuiltinNames* builtin_names(std::string_view group, std::string_view plural) {
  using Key = std::pair<std::string_view, std::string_view>;
  static const std::map<Key, BuiltinNames> table = {
      {{"", "componentstatuses"}, {{"cs"}, {}}},
      {{"", "configmaps"}, {{"cm"}, {}}},
      {{"", "endpoints"}, {{"ep"}, {}}},
      {{"", "events"}, {{"ev"}, {}}},
      {{"", "limitranges"}, {{"limits"}, {}}},
      {{"", "namespaces"}, {{"ns"}, {}}},
      {{"", "nodes"}, {{"no"}, {}}},
      {{"", "persistentvolumeclaims"}, {{"pvc"}, {}}},
      {{"", "persistentvolumes"}, {{"pv"}, {}}},
      {{"", "pods"}, {{"po"}, {"all"}}},
      {{"", "replicationcontrollers"}, {{"rc"}, {"all"}}},
      {{"", "resourcequotas"}, {{"quota"}, {}}},
      {{"", "serviceaccounts"}, {{"sa"}, {}}},
      {{"", "services"}, {{"svc"}, {"all"}}},
      {{"admissionregistration.k8s.io", "mutatingwebhookconfigurations"}, {{}, {"api-extensions"}}},
      {{"admissionregistration.k8s.io", "validatingwebhookconfigurations"}, {{}, {"api-extensions"}}},
      {{"admissionregistration.k8s.io", "validatingadmissionpolicies"}, {{}, {"api-extensions"}}},
      {{"admissionregistration.k8s.io", "validatingadmissionpolicybindings"}, {{}, {"api-extensions"}}},
      {{"apiextensions.k8s.io", "customresourcedefinitions"}, {{"crd", "crds"}, {"api-extensions"}}},
      {{"apiregistration.k8s.io", "apiservices"}, {{}, {"api-extensions"}}},
      {{"apps", "daemonsets"}, {{"ds"}, {"all"}}},
      {{"apps", "deployments"}, {{"deploy"}, {"all"}}},
      {{"apps", "replicasets"}, {{"rs"}, {"all"}}},
      {{"apps", "statefulsets"}, {{"sts"}, {"all"}}},
      {{"autoscaling", "horizontalpodautoscalers"}, {{"hpa"}, {"all"}}},
      {{"batch", "cronjobs"}, {{"cj"}, {"all"}}},
      {{"batch", "jobs"}, {{}, {"all"}}},
      {{"certificates.k8s.io", "certificatesigningrequests"}, {{"csr"}, {}}},
      {{"events.k8s.io", "events"}, {{"ev"}, {}}},
      {{"networking.k8s.io", "ingresses"}, {{"ing"}, {}}},
      {{"networking.k8s.io", "networkpolicies"}, {{"netpol"}, {}}},
      {{"policy", "poddisruptionbudgets"}, {{"pdb"}, {}}},
      {{"scheduling.k8s.io", "priorityclasses"}, {{"pc"}, {}}},
      {{"storage.k8s.io", "storageclasses"}, {{"sc"}, {}}},
  };
  auto it = table.find(Key{group, plural});
  return it == table.end() ? nullptr : &it->second;
}

}  // namespace claw::sim
