#pragma once
// The per-area defaulting rules apply_defaults dispatches to. Each function
// takes the object (or the part named) in place and never throws on a value
// of the wrong type: validation reports those.

#include "runtime/sim/default_fields.h"
#include "runtime/sim/defaults.h"

namespace claw::sim::defaults {

// The field helpers every defaults_*.cpp file writes with.
using fields::each_object;
using fields::find;
using fields::object_member;
using fields::set_default;
using fields::set_if_zero;

// core/v1: a PodSpec wherever it appears (SetDefaults_PodSpec, containers,
// volumes and probes through zz_generated.defaults.go).
void pod_spec(Json& spec);
// A PodTemplateSpec: its spec, and `metadata.creationTimestamp: null`.
void pod_template(Json& tmpl);
// What only a Pod gets: SetDefaults_Pod and, on create, the default
// admission plugins (ServiceAccount, Priority, DefaultTolerationSeconds).
void pod(Json& pod, bool create);
// A PersistentVolumeClaim, standalone or as a StatefulSet template.
void persistent_volume_claim(Json& pvc);

void deployment(Json& obj);
void stateful_set(Json& obj);
void daemon_set(Json& obj);
void replica_set(Json& obj);
void replication_controller(Json& obj);
void job(Json& obj, const Json* old, const DefaultingContext& ctx);
void cron_job(Json& obj);

void service(Json& obj, const Json* old, const DefaultingContext& ctx);
void secret(Json& obj);
void namespace_(Json& obj, const Json* old);
void persistent_volume(Json& obj);

void role_binding(Json& obj);
void storage_class(Json& obj);
void priority_class(Json& obj);
void network_policy(Json& obj);
void ingress(Json& obj);
void ingress_class(Json& obj);
void custom_resource_definition(Json& obj);

}  // namespace claw::sim::defaults
