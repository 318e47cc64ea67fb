// apply_defaults: which rules a kind gets. Kinds not listed (ConfigMap,
// ServiceAccount, Role, ClusterRole, Lease, RuntimeClass, custom resources
// such as k3s's HelmChart) have no defaults beyond canonical quantities.
#include "runtime/sim/defaults.h"
#include "runtime/sim/defaults_internal.h"

#include <string_view>

namespace claw::sim {
namespace {

bool is(const ResourceType& type, std::string_view group, std::string_view kind) {
  return type.group == group && type.kind == kind;
}

}  // namespace

void apply_defaults(const ResourceType& type, Json& object, const Json* old, const DefaultingContext& ctx) {
  namespace d = defaults;
  if (!object.is_object() || type.custom) return;
  if (is(type, "apps", "Deployment")) d::deployment(object);
  else if (is(type, "apps", "StatefulSet")) d::stateful_set(object);
  else if (is(type, "apps", "DaemonSet")) d::daemon_set(object);
  else if (is(type, "apps", "ReplicaSet")) d::replica_set(object);
  else if (is(type, "batch", "Job")) d::job(object, old, ctx);
  else if (is(type, "batch", "CronJob")) d::cron_job(object);
  else if (is(type, "", "Pod")) d::pod(object, old == nullptr);
  else if (is(type, "", "PodTemplate")) { if (object.contains("template")) d::pod_template(object["template"]); }
  else if (is(type, "", "ReplicationController")) d::replication_controller(object);
  else if (is(type, "", "Service")) d::service(object, old, ctx);
  else if (is(type, "", "Secret")) d::secret(object);
  else if (is(type, "", "Namespace")) d::namespace_(object, old);
  else if (is(type, "", "PersistentVolumeClaim")) d::persistent_volume_claim(object);
  else if (is(type, "", "PersistentVolume")) d::persistent_volume(object);
  else if (is(type, "rbac.authorization.k8s.io", "RoleBinding") ||
           is(type, "rbac.authorization.k8s.io", "ClusterRoleBinding")) d::role_binding(object);
  else if (is(type, "storage.k8s.io", "StorageClass")) d::storage_class(object);
  else if (is(type, "scheduling.k8s.io", "PriorityClass")) d::priority_class(object);
  else if (is(type, "networking.k8s.io", "NetworkPolicy")) d::network_policy(object);
  else if (is(type, "networking.k8s.io", "Ingress")) d::ingress(object);
  else if (is(type, "networking.k8s.io", "IngressClass")) d::ingress_class(object);
  else if (is(type, "apiextensions.k8s.io", "CustomResourceDefinition")) d::custom_resource_definition(object);
}

}  // namespace claw::sim
