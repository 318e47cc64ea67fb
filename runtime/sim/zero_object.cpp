#include "runtime/sim/zero_object.h"

#include <array>
#include <string_view>

namespace claw::sim {
namespace {

// Fields of k8s.io/api types whose zero value Go's encoding/json still
// writes: non-pointer structs (`{}`, even with omitempty) and lists,
// pointers or times without omitempty (`null`). Source: k8s.io/api apps/v1,
// batch/v1, core/v1 and networking/v1 types.go (Kubernetes 1.31).
struct ZeroField {
  std::string_view definition, field;
  bool is_struct;  // true: `{}` filled in recursively; false: `null`
};
constexpr std::array kZeroFields = {
    // metav1.Time marshals its zero value as null (apimachinery meta/v1/time.go).
    ZeroField{"io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", "creationTimestamp", false},
    ZeroField{"io.k8s.api.apps.v1.DeploymentSpec", "selector", false},
    ZeroField{"io.k8s.api.apps.v1.DeploymentSpec", "template", true},
    ZeroField{"io.k8s.api.apps.v1.DeploymentSpec", "strategy", true},
    ZeroField{"io.k8s.api.apps.v1.StatefulSetSpec", "selector", false},
    ZeroField{"io.k8s.api.apps.v1.StatefulSetSpec", "template", true},
    ZeroField{"io.k8s.api.apps.v1.StatefulSetSpec", "updateStrategy", true},
    ZeroField{"io.k8s.api.apps.v1.DaemonSetSpec", "selector", false},
    ZeroField{"io.k8s.api.apps.v1.DaemonSetSpec", "template", true},
    ZeroField{"io.k8s.api.apps.v1.DaemonSetSpec", "updateStrategy", true},
    ZeroField{"io.k8s.api.apps.v1.ReplicaSetSpec", "selector", false},
    ZeroField{"io.k8s.api.apps.v1.ReplicaSetSpec", "template", true},
    ZeroField{"io.k8s.api.batch.v1.JobSpec", "template", true},
    ZeroField{"io.k8s.api.batch.v1.CronJobSpec", "jobTemplate", true},
    ZeroField{"io.k8s.api.batch.v1.JobTemplateSpec", "metadata", true},
    ZeroField{"io.k8s.api.batch.v1.JobTemplateSpec", "spec", true},
    ZeroField{"io.k8s.api.core.v1.PodTemplateSpec", "metadata", true},
    ZeroField{"io.k8s.api.core.v1.PodTemplateSpec", "spec", true},
    ZeroField{"io.k8s.api.core.v1.PodSpec", "containers", false},
    ZeroField{"io.k8s.api.core.v1.ServiceStatus", "loadBalancer", true},
    ZeroField{"io.k8s.api.core.v1.PersistentVolumeClaimSpec", "resources", true},
    ZeroField{"io.k8s.api.networking.v1.IngressStatus", "loadBalancer", true},
};

Json zero_struct(SchemaView schema) {
  Json out = Json::object();
  for (const ZeroField& z : kZeroFields) {
    if (z.definition != schema.definition_name()) continue;
    std::string field(z.field);
    out[field] = z.is_struct ? zero_struct(schema.property(field)) : Json();
  }
  return out;
}

}  // namespace

Json zero_object(SchemaView schema) {
  Json out = Json::object();
  if (schema.definition_name().empty()) return out;
  // Every built-in kind embeds ObjectMeta, and its spec and status are
  // non-pointer structs where it has them.
  for (const char* field : {"metadata", "spec", "status"}) {
    if (schema.property(field)) out[field] = zero_struct(schema.property(field));
  }
  return out;
}

}  // namespace claw::sim
