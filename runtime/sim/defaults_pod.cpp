// PodSpec, Container, Probe and Volume defaults. Sources, kubernetes/kubernetes:
// pkg/apis/core/v1/defaults.go (SetDefaults_PodSpec, _Container, _Probe,
// _HTTPGetAction, _Volume, _SecretVolumeSource, ...) and
// zz_generated.defaults.go (which applies them to every container list,
// probe, lifecycle handler and volume, plus the declarative `+default`
// markers: ContainerPort.protocol, GRPCAction.service). What only Pods get
// is in defaults_pod_admission.cpp.
#include "runtime/sim/default_fields.h"
#include "runtime/sim/defaults_internal.h"

#include <cctype>
#include <string>

namespace claw::sim::defaults {
namespace {

// The tag pkg/util/parsers.ParseImageName finds: "latest" when the image
// names neither tag nor digest, "" when the reference does not parse.
std::string image_tag(const std::string& image) {
  if (image.empty()) return "";
  std::string name = image;
  bool digest = false;
  if (auto at = name.find('@'); at != std::string::npos) {
    name.resize(at);
    digest = true;
  }
  // docker/reference splitDockerDomain: a first component with '.' or ':',
  // or "localhost", or any upper case is a registry host.
  std::string remainder = name;
  if (auto slash = name.find('/'); slash != std::string::npos) {
    std::string first = name.substr(0, slash);
    bool host = first.find_first_of(".:") != std::string::npos || first == "localhost";
    for (char c : first) host = host || std::isupper(static_cast<unsigned char>(c));
    if (host) remainder = name.substr(slash + 1);
  }
  for (char c : remainder) {
    if (std::isupper(static_cast<unsigned char>(c))) return "";  // "repository name must be lowercase"
  }
  std::string tag;
  auto slash = remainder.rfind('/');
  auto colon = remainder.rfind(':');
  if (colon != std::string::npos && (slash == std::string::npos || colon > slash)) {
    tag = remainder.substr(colon + 1);
  }
  if (tag.empty() && !digest) tag = "latest";
  return tag;
}

void http_get(Json& handler) {
  if (Json* get = find(handler, "httpGet"); get != nullptr && get->is_object()) {
    set_default(*get, "path", "/");
    set_default(*get, "scheme", "HTTP");
  }
}

void probe(Json& container, const char* key) {
  Json* p = find(container, key);
  if (p == nullptr || !p->is_object()) return;
  set_if_zero(*p, "timeoutSeconds", 1);
  set_if_zero(*p, "periodSeconds", 10);
  set_if_zero(*p, "successThreshold", 1);
  set_if_zero(*p, "failureThreshold", 3);
  http_get(*p);
  if (Json* grpc = find(*p, "grpc"); grpc != nullptr && grpc->is_object()) {
    if (find(*grpc, "service") == nullptr || find(*grpc, "service")->is_null()) (*grpc)["service"] = "";
  }
}

void field_ref(Json& holder) {
  if (Json* ref = find(holder, "fieldRef"); ref != nullptr && ref->is_object()) {
    set_default(*ref, "apiVersion", "v1");
  }
}

void container(Json& c) {
  if (fields::unset(c, "imagePullPolicy")) {
    const Json* image = find(c, "image");
    std::string tag = image != nullptr && image->is_string() ? image_tag(image->get<std::string>()) : "";
    c["imagePullPolicy"] = tag == "latest" ? "Always" : "IfNotPresent";
  }
  set_default(c, "terminationMessagePath", "/dev/termination-log");
  set_default(c, "terminationMessagePolicy", "File");
  // ResourceRequirements is a struct, not a pointer: always written.
  object_member(c, "resources");
  each_object(c, "ports", [](Json& port) { set_default(port, "protocol", "TCP"); });
  each_object(c, "env", [](Json& env) {
    if (Json* from = find(env, "valueFrom"); from != nullptr && from->is_object()) field_ref(*from);
  });
  probe(c, "livenessProbe");
  probe(c, "readinessProbe");
  probe(c, "startupProbe");
  if (Json* lifecycle = find(c, "lifecycle"); lifecycle != nullptr && lifecycle->is_object()) {
    for (const char* hook : {"postStart", "preStop"}) {
      if (Json* h = find(*lifecycle, hook); h != nullptr && h->is_object()) http_get(*h);
    }
  }
}

bool has_source(const Json& volume) {
  for (auto it = volume.begin(); it != volume.end(); ++it) {
    if (it.key() != "name" && !it.value().is_null()) return true;
  }
  return false;
}

void default_mode(Json& volume, const char* source) {
  if (Json* s = find(volume, source); s != nullptr && s->is_object()) set_default(*s, "defaultMode", 420);
}

void source_defaults(Json& volume, const char* source, const Json& defaults) {
  Json* s = find(volume, source);
  if (s == nullptr || !s->is_object()) return;
  for (auto it = defaults.begin(); it != defaults.end(); ++it) set_default(*s, it.key(), it.value());
}

void volume(Json& v) {
  if (!has_source(v)) v["emptyDir"] = Json::object();
  default_mode(v, "secret");
  default_mode(v, "configMap");
  default_mode(v, "downwardAPI");
  default_mode(v, "projected");
  if (Json* d = find(v, "downwardAPI"); d != nullptr && d->is_object()) each_object(*d, "items", field_ref);
  if (Json* p = find(v, "projected"); p != nullptr && p->is_object()) {
    each_object(*p, "sources", [](Json& source) {
      if (Json* token = find(source, "serviceAccountToken"); token != nullptr && token->is_object()) {
        set_default(*token, "expirationSeconds", 3600);
      }
      if (Json* d = find(source, "downwardAPI"); d != nullptr && d->is_object()) each_object(*d, "items", field_ref);
    });
  }
  if (Json* h = find(v, "hostPath"); h != nullptr && h->is_object() && find(*h, "type") == nullptr) {
    (*h)["type"] = "";  // HostPathUnset
  }
  // The remaining in-tree sources: SetDefaults_ISCSIVolumeSource,
  // _RBDVolumeSource, _ScaleIOVolumeSource, _AzureDiskVolumeSource.
  source_defaults(v, "iscsi", {{"iscsiInterface", "default"}});
  source_defaults(v, "rbd", {{"pool", "rbd"}, {"user", "admin"}, {"keyring", "/etc/ceph/keyring"}});
  source_defaults(v, "scaleIO", {{"storageMode", "ThinProvisioned"}, {"fsType", "xfs"}});
  source_defaults(v, "azureDisk", {{"cachingMode", "ReadWrite"}, {"kind", "Shared"}, {"fsType", "ext4"}, {"readOnly", false}});
  if (Json* e = find(v, "ephemeral"); e != nullptr && e->is_object()) {
    if (Json* t = find(*e, "volumeClaimTemplate"); t != nullptr && t->is_object()) {
      if (Json* spec = find(*t, "spec"); spec != nullptr && spec->is_object()) set_default(*spec, "volumeMode", "Filesystem");
    }
  }
}

}  // namespace

void pod_spec(Json& spec) {
  if (!spec.is_object()) return;
  set_default(spec, "dnsPolicy", "ClusterFirst");
  set_default(spec, "restartPolicy", "Always");
  set_default(spec, "securityContext", Json::object());
  set_default(spec, "terminationGracePeriodSeconds", 30);
  set_default(spec, "schedulerName", "default-scheduler");
  each_object(spec, "containers", container);
  each_object(spec, "initContainers", container);
  each_object(spec, "ephemeralContainers", container);
  each_object(spec, "volumes", volume);
}

void pod_template(Json& tmpl) {
  if (!tmpl.is_object()) return;
  // ObjectMeta is a struct and metav1.Time writes its zero value as null.
  if (Json* meta = object_member(tmpl, "metadata"); meta != nullptr && find(*meta, "creationTimestamp") == nullptr) {
    (*meta)["creationTimestamp"] = nullptr;
  }
  if (Json* spec = object_member(tmpl, "spec")) pod_spec(*spec);
}

void persistent_volume_claim(Json& pvc) {
  if (!pvc.is_object()) return;
  if (Json* spec = find(pvc, "spec"); spec != nullptr && spec->is_object()) set_default(*spec, "volumeMode", "Filesystem");
  if (Json* status = object_member(pvc, "status")) set_default(*status, "phase", "Pending");
}

}  // namespace claw::sim::defaults
