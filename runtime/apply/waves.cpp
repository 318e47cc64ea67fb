#include "runtime/apply/waves.h"

#include <array>
#include <string_view>

namespace claw::apply {

int wave_of(const emit::ObjectRef& ref) {
  const std::string_view g = ref.group, k = ref.kind;
  if ((g.empty() && k == "Namespace") || (g == "apiextensions.k8s.io" && k == "CustomResourceDefinition")) return 0;
  static constexpr std::array<std::string_view, 8> kCoreConfig = {
      "ConfigMap", "Secret", "PersistentVolume", "PersistentVolumeClaim", "ServiceAccount", "LimitRange", "ResourceQuota", "Endpoints"};
  if (g.empty())
    for (auto c : kCoreConfig)
      if (k == c) return 1;
  if (g == "rbac.authorization.k8s.io" || g == "node.k8s.io" || g == "storage.k8s.io" || g == "scheduling.k8s.io") return 1;
  if ((g == "apps" && (k == "Deployment" || k == "StatefulSet" || k == "DaemonSet")) ||
      (g == "batch" && (k == "Job" || k == "CronJob")))
    return 2;
  // Built-in groups have no dot, or end in k8s.io; custom resources go last.
  const bool builtin = g.find('.') == std::string_view::npos || g.ends_with(".k8s.io");
  if (builtin) return 3;
  return 4;
}

}  // namespace claw::apply
