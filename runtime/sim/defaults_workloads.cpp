// apps/v1 and batch/v1 defaults. Sources, kubernetes/kubernetes:
// pkg/apis/apps/v1/defaults.go, pkg/apis/batch/v1/defaults.go (1.31:
// podReplacementPolicy under the beta JobPodReplacementPolicy gate,
// manualSelector since PR #120206), their zz_generated.defaults.go (pod
// templates, StatefulSet claim templates), pkg/apis/apps/v1/conversion.go
// (claim templates written with apiVersion/kind), pkg/registry/batch/job/
// strategy.go generateSelector, and pkg/apis/core/v1 for ReplicationController.
#include "runtime/sim/default_fields.h"
#include "runtime/sim/defaults_internal.h"

namespace claw::sim::defaults {
namespace {

Json* spec_of(Json& obj) {
  Json* spec = find(obj, "spec");
  return spec != nullptr && spec->is_object() ? spec : nullptr;
}

void template_of(Json& spec) {
  if (Json* t = find(spec, "template"); t != nullptr && t->is_object()) pod_template(*t);
}

// The status a new object of these kinds is written with: its non-omitempty
// counters at zero (the `required` fields of the status schema).
void initial_status(Json& obj, const Json& zero) {
  if (find(obj, "status") == nullptr || find(obj, "status")->is_null()) obj["status"] = zero;
}

bool non_empty_object(const Json* v) { return v != nullptr && v->is_object() && !v->empty(); }

}  // namespace

void deployment(Json& obj) {
  Json* spec = spec_of(obj);
  if (spec == nullptr) return;
  set_default(*spec, "replicas", 1);
  if (Json* strategy = object_member(*spec, "strategy")) {
    set_default(*strategy, "type", "RollingUpdate");
    if ((*strategy)["type"] == "RollingUpdate") {
      if (Json* ru = object_member(*strategy, "rollingUpdate")) {
        set_default(*ru, "maxUnavailable", "25%");
        set_default(*ru, "maxSurge", "25%");
      }
    }
  }
  set_default(*spec, "revisionHistoryLimit", 10);
  set_default(*spec, "progressDeadlineSeconds", 600);
  template_of(*spec);
  initial_status(obj, Json::object());
}

void stateful_set(Json& obj) {
  Json* spec = spec_of(obj);
  if (spec == nullptr) return;
  set_default(*spec, "podManagementPolicy", "OrderedReady");
  if (Json* strategy = object_member(*spec, "updateStrategy")) {
    if (fields::unset(*strategy, "type")) {
      (*strategy)["type"] = "RollingUpdate";
      object_member(*strategy, "rollingUpdate");
    }
    Json* ru = find(*strategy, "rollingUpdate");
    if ((*strategy)["type"] == "RollingUpdate" && ru != nullptr && ru->is_object()) set_default(*ru, "partition", 0);
  }
  // StatefulSetAutoDeletePVC is beta and on by default in 1.31.
  if (Json* policy = object_member(*spec, "persistentVolumeClaimRetentionPolicy")) {
    set_default(*policy, "whenDeleted", "Retain");
    set_default(*policy, "whenScaled", "Retain");
  }
  set_default(*spec, "replicas", 1);
  set_default(*spec, "revisionHistoryLimit", 10);
  template_of(*spec);
  each_object(*spec, "volumeClaimTemplates", [](Json& pvc) {
    pvc["apiVersion"] = "v1";
    pvc["kind"] = "PersistentVolumeClaim";
    if (Json* meta = object_member(pvc, "metadata"); meta != nullptr && find(*meta, "creationTimestamp") == nullptr) {
      (*meta)["creationTimestamp"] = nullptr;
    }
    persistent_volume_claim(pvc);
  });
  initial_status(obj, Json{{"replicas", 0}, {"availableReplicas", 0}});
}

void daemon_set(Json& obj) {
  Json* spec = spec_of(obj);
  if (spec == nullptr) return;
  if (Json* strategy = object_member(*spec, "updateStrategy")) {
    set_default(*strategy, "type", "RollingUpdate");
    if ((*strategy)["type"] == "RollingUpdate") {
      if (Json* ru = object_member(*strategy, "rollingUpdate")) {
        set_default(*ru, "maxUnavailable", 1);
        set_default(*ru, "maxSurge", 0);
      }
    }
  }
  set_default(*spec, "revisionHistoryLimit", 10);
  template_of(*spec);
  initial_status(obj, Json{{"currentNumberScheduled", 0}, {"numberMisscheduled", 0},
                           {"desiredNumberScheduled", 0}, {"numberReady", 0}});
}

void replica_set(Json& obj) {
  Json* spec = spec_of(obj);
  if (spec == nullptr) return;
  set_default(*spec, "replicas", 1);
  template_of(*spec);
  initial_status(obj, Json{{"replicas", 0}});
}

void replication_controller(Json& obj) {
  Json* spec = spec_of(obj);
  if (spec == nullptr) return;
  // SetDefaults_ReplicationController; replicas is a `+default=1` marker.
  Json* tmpl = find(*spec, "template");
  const Json* labels = tmpl != nullptr ? find(*tmpl, "metadata") : nullptr;
  labels = labels != nullptr ? find(*labels, "labels") : nullptr;
  if (labels != nullptr && labels->is_object()) {
    if (!non_empty_object(find(*spec, "selector"))) (*spec)["selector"] = *labels;
    Json* meta = object_member(obj, "metadata");
    if (meta != nullptr && !non_empty_object(find(*meta, "labels"))) (*meta)["labels"] = *labels;
  }
  set_default(*spec, "replicas", 1);
  template_of(*spec);
  initial_status(obj, Json{{"replicas", 0}});
}

namespace {

// SetDefaults_Job's label rule: an unlabelled Job takes its template's labels.
void job_labels(Json& obj, Json& spec) {
  const Json* tmpl = find(spec, "template");
  const Json* meta = tmpl != nullptr ? find(*tmpl, "metadata") : nullptr;
  const Json* labels = meta != nullptr ? find(*meta, "labels") : nullptr;
  if (labels == nullptr || !labels->is_object()) return;
  Json* own = object_member(obj, "metadata");
  if (own != nullptr && !non_empty_object(find(*own, "labels"))) (*own)["labels"] = *labels;
}

// job strategy generateSelector: the template gets job-name and
// controller-uid labels (current and legacy keys), the selector the uid.
void generate_selector(Json& obj, Json& spec, const std::string& uid) {
  const Json* meta = find(obj, "metadata");
  const Json* name = meta != nullptr ? find(*meta, "name") : nullptr;
  std::string job_name = name != nullptr && name->is_string() ? name->get<std::string>() : "";
  Json* tmpl = object_member(spec, "template");
  Json* tmeta = tmpl != nullptr ? object_member(*tmpl, "metadata") : nullptr;
  Json* labels = tmeta != nullptr ? object_member(*tmeta, "labels") : nullptr;
  if (labels == nullptr) return;
  for (const char* key : {"job-name", "batch.kubernetes.io/job-name"}) {
    if (!labels->contains(key)) (*labels)[key] = job_name;
  }
  for (const char* key : {"controller-uid", "batch.kubernetes.io/controller-uid"}) {
    if (!labels->contains(key)) (*labels)[key] = uid;
  }
  Json* selector = object_member(spec, "selector");
  Json* match = selector != nullptr ? object_member(*selector, "matchLabels") : nullptr;
  if (match != nullptr && !match->contains("batch.kubernetes.io/controller-uid")) {
    (*match)["batch.kubernetes.io/controller-uid"] = uid;
  }
}

}  // namespace

void job(Json& obj, const Json* old, const DefaultingContext& ctx) {
  Json* spec = spec_of(obj);
  if (spec == nullptr) return;
  if (fields::unset(*spec, "completions") && fields::unset(*spec, "parallelism")) {
    (*spec)["completions"] = 1;
    (*spec)["parallelism"] = 1;
  }
  set_default(*spec, "parallelism", 1);
  set_default(*spec, "backoffLimit", fields::unset(*spec, "backoffLimitPerIndex") ? 6 : 2147483647);
  job_labels(obj, *spec);
  set_default(*spec, "completionMode", "NonIndexed");
  set_default(*spec, "suspend", false);
  if (Json* pfp = find(*spec, "podFailurePolicy"); pfp != nullptr && pfp->is_object()) {
    each_object(*pfp, "rules", [](Json& rule) {
      each_object(rule, "onPodConditions", [](Json& pattern) { set_default(pattern, "status", "True"); });
    });
  }
  set_default(*spec, "podReplacementPolicy",
              fields::unset(*spec, "podFailurePolicy") ? "TerminatingOrFailed" : "Failed");
  set_default(*spec, "manualSelector", false);
  template_of(*spec);
  if (old == nullptr && (*spec)["manualSelector"] != true) generate_selector(obj, *spec, ctx.uid);
  // Defaulting runs again when the stored object is read back: a Job created
  // without labels then takes the generated template labels.
  job_labels(obj, *spec);
  initial_status(obj, Json::object());
}

void cron_job(Json& obj) {
  Json* spec = spec_of(obj);
  if (spec == nullptr) return;
  set_default(*spec, "concurrencyPolicy", "Allow");
  set_default(*spec, "suspend", false);
  set_default(*spec, "successfulJobsHistoryLimit", 3);
  set_default(*spec, "failedJobsHistoryLimit", 1);
  if (Json* jt = object_member(*spec, "jobTemplate")) {
    if (Json* meta = object_member(*jt, "metadata"); meta != nullptr && find(*meta, "creationTimestamp") == nullptr) {
      (*meta)["creationTimestamp"] = nullptr;
    }
    if (Json* js = find(*jt, "spec"); js != nullptr && js->is_object()) template_of(*js);
  }
  initial_status(obj, Json::object());
}

}  // namespace claw::sim::defaults
