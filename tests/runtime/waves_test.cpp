// The apply wave of each kind: what an object needs exists before it is
// made. Namespaces and CRDs first (objects in a namespace, or of a custom
// kind, are refused until it exists: kube-apiserver's NamespaceLifecycle
// admission, and "the server could not find the requested resource" for a
// kind no CRD defines yet); then what workloads mount or run under
// (ConfigMaps, Secrets, claims, RuntimeClasses: a Pod referring to a
// missing one does not start); workloads; Services and Ingresses; k3s
// HelmCharts and custom resources last.
#include "runtime/apply/waves.h"

#include <doctest/doctest.h>

using claw::apply::kWaves;
using claw::apply::wave_of;
using claw::emit::ObjectRef;

TEST_CASE("waves: each kind's wave") {
  struct Case {
    const char* group;
    const char* kind;
    int wave;
  };
  const Case cases[] = {
      {"", "Namespace", 0},
      {"apiextensions.k8s.io", "CustomResourceDefinition", 0},
      {"", "ConfigMap", 1},
      {"", "Secret", 1},
      {"", "PersistentVolumeClaim", 1},
      {"", "PersistentVolume", 1},
      {"", "ServiceAccount", 1},
      {"node.k8s.io", "RuntimeClass", 1},
      {"rbac.authorization.k8s.io", "Role", 1},
      {"apps", "Deployment", 2},
      {"apps", "StatefulSet", 2},
      {"apps", "DaemonSet", 2},
      {"batch", "Job", 2},
      {"batch", "CronJob", 2},
      {"", "Service", 3},
      {"networking.k8s.io", "Ingress", 3},
      {"policy", "PodDisruptionBudget", 3},
      {"helm.cattle.io", "HelmChart", 4},
      {"example.com", "Widget", 4},
      {"monitoring.coreos.com", "ServiceMonitor", 4},
      // A kind of another group that happens to share a built-in name.
      {"example.com", "Namespace", 4},
      {"example.com", "Deployment", 4},
  };
  for (const Case& c : cases) {
    INFO(std::string(c.group));
    INFO(std::string(c.kind));
    int w = wave_of(ObjectRef{c.group, "v1", c.kind, "ns", "x"});
    CHECK(w == c.wave);
    CHECK(w < kWaves);
  }
}
