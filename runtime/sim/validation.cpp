#include "runtime/sim/validation.h"

#include "runtime/sim/name_rules.h"
#include "runtime/sim/registry.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace claw::sim {
namespace {

// apimachinery pkg/api/validation/objectmeta.go TotalAnnotationSizeLimitB.
constexpr std::size_t kTotalAnnotationSizeLimit = 256 * 1024;
// kubernetes pkg/apis/core/types.go MaxSecretSize.
constexpr std::size_t kMaxSecretSize = 1024 * 1024;

// Go's %q for the strings these messages quote.
std::string go_quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      default: out += c;
    }
  }
  return out + "\"";
}

std::string str(const Json& j, std::string_view key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

const Json& member(const Json& j, std::string_view key) {
  static const Json null;
  if (!j.is_object()) return null;
  auto it = j.find(key);
  return it == j.end() ? null : *it;
}

// %#v of a map[string]string: `map[string]string{"a":"b", "c":"d"}`.
std::string go_string_map(const Json& m) {
  if (!m.is_object()) return "map[string]string(nil)";
  std::string out = "map[string]string{";
  bool first = true;
  for (auto it = m.begin(); it != m.end(); ++it) {
    if (!first) out += ", ";
    out += go_quote(it.key()) + ":" + go_quote(it->is_string() ? it->get<std::string>() : it->dump());
    first = false;
  }
  return out + "}";
}

std::string go_string_slice(const Json& a) {
  if (!a.is_array()) return "[]string(nil)";
  std::string out = "[]string{";
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (i > 0) out += ", ";
    out += go_quote(a[i].is_string() ? a[i].get<std::string>() : a[i].dump());
  }
  return out + "}";
}

// %#v of a metav1.LabelSelector, as field errors print a selector.
std::string go_label_selector(const Json& s) {
  const Json& exprs = member(s, "matchExpressions");
  std::string e = "[]v1.LabelSelectorRequirement(nil)";
  if (exprs.is_array()) {
    e = "[]v1.LabelSelectorRequirement{";
    for (std::size_t i = 0; i < exprs.size(); ++i) {
      if (i > 0) e += ", ";
      e += fmt::format("v1.LabelSelectorRequirement{{Key:{}, Operator:{}, Values:{}}}", go_quote(str(exprs[i], "key")),
                       go_quote(str(exprs[i], "operator")), go_string_slice(member(exprs[i], "values")));
    }
    e += "}";
  }
  return fmt::format("v1.LabelSelector{{MatchLabels:{}, MatchExpressions:{}}}", go_string_map(member(s, "matchLabels")), e);
}

// Collects field errors with their real cause types and bodies
// (k8s.io/apimachinery pkg/util/validation/field/errors.go).
class Errors {
 public:
  void required(const std::string& field, std::string_view detail = "") {
    add("FieldValueRequired", field, detail.empty() ? "Required value" : fmt::format("Required value: {}", detail));
  }
  void invalid(const std::string& field, std::string_view value, std::string_view detail) {
    add("FieldValueInvalid", field, fmt::format("Invalid value: {}: {}", value, detail));
  }
  void invalid_each(const std::string& field, std::string_view value, const Messages& msgs) {
    for (const std::string& m : msgs) invalid(field, go_quote(value), m);
  }
  void duplicate(const std::string& field, std::string_view value) {
    add("FieldValueDuplicate", field, fmt::format("Duplicate value: {}", go_quote(value)));
  }
  void not_supported(const std::string& field, std::string_view value, std::string_view supported) {
    add("FieldValueNotSupported", field, fmt::format("Unsupported value: {}: supported values: {}", go_quote(value), supported));
  }
  void too_long(const std::string& field, std::size_t max) {
    add("FieldValueTooLong", field, fmt::format("Too long: may not be more than {} bytes", max));
  }
  void forbidden(const std::string& field, std::string_view detail) {
    add("FieldValueForbidden", field, fmt::format("Forbidden: {}", detail));
  }
  std::vector<Cause> take() { return std::move(list_); }

 private:
  void add(std::string_view reason, const std::string& field, std::string message) {
    list_.push_back({std::string(reason), std::move(message), field});
  }
  std::vector<Cause> list_;
};

std::string child(std::string_view path, std::string_view name) {
  return path.empty() ? std::string(name) : fmt::format("{}.{}", path, name);
}
std::string index(std::string_view path, std::size_t i) { return fmt::format("{}[{}]", path, i); }
std::string key(std::string_view path, std::string_view k) { return fmt::format("{}[{}]", path, k); }

// ---- metadata (apimachinery pkg/api/validation/objectmeta.go and
// pkg/apis/meta/v1/validation ValidateLabels)

// The name rule of each kind's validator: RBAC kinds take path segments
// (rbac/validation ValidateRBACName), Namespaces DNS-1123 labels
// (ValidateNamespaceName), Services DNS-1035 labels (ValidateServiceName),
// everything else DNS-1123 subdomains.
Messages name_messages(const ResourceType& type, std::string_view name) {
  if (type.group == "rbac.authorization.k8s.io") return path_segment_name(name);
  if (type.group.empty() && type.kind == "Namespace") return dns1123_label(name);
  if (type.group.empty() && type.kind == "Service") return dns1035_label(name);
  return dns1123_subdomain(name);
}

void validate_labels(const Json& labels, const std::string& path, Errors& errs) {
  if (!labels.is_object()) return;
  for (auto it = labels.begin(); it != labels.end(); ++it) {
    errs.invalid_each(path, it.key(), qualified_name(it.key()));
    std::string value = it->is_string() ? it->get<std::string>() : std::string();
    errs.invalid_each(path, value, label_value(value));
  }
}

void validate_annotations(const Json& annotations, const std::string& path, Errors& errs) {
  if (!annotations.is_object()) return;
  std::size_t total = 0;
  for (auto it = annotations.begin(); it != annotations.end(); ++it) {
    std::string lower = it.key();
    std::ranges::transform(lower, lower.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    errs.invalid_each(path, it.key(), qualified_name(lower));
    total += it.key().size() + (it->is_string() ? it->get_ref<const std::string&>().size() : 0);
  }
  if (total > kTotalAnnotationSizeLimit) errs.too_long(path, kTotalAnnotationSizeLimit);
}

void validate_object_meta(const ResourceType& type, const Json& meta, Errors& errs) {
  if (std::string generate = str(meta, "generateName"); !generate.empty()) {
    // A prefix: its trailing dash is masked before the name rule runs.
    std::string masked = generate;
    if (masked.back() == '-') masked.back() = 'a';
    errs.invalid_each("metadata.generateName", generate, name_messages(type, masked));
  }
  std::string name = str(meta, "name");
  if (name.empty()) {
    errs.required("metadata.name", "name or generateName is required");
  } else {
    errs.invalid_each("metadata.name", name, name_messages(type, name));
  }
  if (!type.namespaced && !str(meta, "namespace").empty()) errs.forbidden("metadata.namespace", "not allowed on this type");
  validate_labels(member(meta, "labels"), "metadata.labels", errs);
  validate_annotations(member(meta, "annotations"), "metadata.annotations", errs);
}

// ---- pods (kubernetes pkg/apis/core/validation/validation.go)

void validate_container_ports(const Json& ports, const std::string& path, Errors& errs) {
  if (!ports.is_array()) return;
  std::set<std::string> names;
  for (std::size_t i = 0; i < ports.size(); ++i) {
    const Json& p = ports[i];
    std::string at = index(path, i);
    if (std::string name = str(p, "name"); !name.empty()) {
      Messages m = port_name(name);
      errs.invalid_each(child(at, "name"), name, m);
      if (m.empty() && !names.insert(name).second) errs.duplicate(child(at, "name"), name);
    }
    long long container_port = member(p, "containerPort").is_number() ? member(p, "containerPort").get<long long>() : 0;
    if (container_port == 0) {
      errs.required(child(at, "containerPort"));
    } else {
      for (const std::string& m : port_number(container_port)) errs.invalid(child(at, "containerPort"), std::to_string(container_port), m);
    }
    if (long long host = member(p, "hostPort").is_number() ? member(p, "hostPort").get<long long>() : 0; host != 0) {
      for (const std::string& m : port_number(host)) errs.invalid(child(at, "hostPort"), std::to_string(host), m);
    }
    if (std::string proto = str(p, "protocol"); !proto.empty() && proto != "TCP" && proto != "UDP" && proto != "SCTP") {
      errs.not_supported(child(at, "protocol"), proto, "\"SCTP\", \"TCP\", \"UDP\"");
    }
  }
}

void validate_containers(const Json& containers, const std::string& path, bool required, Errors& errs) {
  if (!containers.is_array() || containers.empty()) {
    if (required) errs.required(path);
    return;
  }
  std::set<std::string> names;
  for (std::size_t i = 0; i < containers.size(); ++i) {
    const Json& c = containers[i];
    std::string at = index(path, i);
    std::string name = str(c, "name");
    if (name.empty()) {
      errs.required(child(at, "name"));
    } else {
      errs.invalid_each(child(at, "name"), name, dns1123_label(name));
    }
    if (str(c, "image").empty()) errs.required(child(at, "image"));
    validate_container_ports(member(c, "ports"), child(at, "ports"), errs);
    if (!name.empty() && !names.insert(name).second) errs.duplicate(child(at, "name"), name);
  }
}

void validate_pod_spec(const Json& spec, const std::string& path, Errors& errs) {
  validate_containers(member(spec, "containers"), child(path, "containers"), true, errs);
  validate_containers(member(spec, "initContainers"), child(path, "initContainers"), false, errs);
}

// ---- workloads (kubernetes pkg/apis/apps/validation/validation.go)

bool selector_matches(const Json& selector, const Json& labels) {
  auto label = [&](const std::string& k) -> const Json* {
    if (!labels.is_object()) return nullptr;
    auto it = labels.find(k);
    return it == labels.end() ? nullptr : &*it;
  };
  const Json& match = member(selector, "matchLabels");
  if (match.is_object()) {
    for (auto it = match.begin(); it != match.end(); ++it) {
      const Json* v = label(it.key());
      if (v == nullptr || *v != *it) return false;
    }
  }
  const Json& exprs = member(selector, "matchExpressions");
  if (!exprs.is_array()) return true;
  for (const Json& e : exprs) {
    const Json* v = label(str(e, "key"));
    const Json& values = member(e, "values");
    bool in = v != nullptr && values.is_array() && std::ranges::find(values, *v) != values.end();
    std::string op = str(e, "operator");
    bool ok = op == "In" ? in : op == "NotIn" ? !in : op == "Exists" ? v != nullptr : op == "DoesNotExist" ? v == nullptr : false;
    if (!ok) return false;
  }
  return true;
}

bool selector_empty(const Json& selector) {
  return member(selector, "matchLabels").empty() && member(selector, "matchExpressions").empty();
}

// The pod template of a Deployment, ReplicaSet, StatefulSet or DaemonSet:
// its labels must match the selector, and it runs with restartPolicy Always.
void validate_workload_template(const Json& spec, const std::string& kind_word, Errors& errs) {
  const Json& selector = member(spec, "selector");
  const Json& tmpl = member(spec, "template");
  const Json& labels = member(member(tmpl, "metadata"), "labels");
  constexpr std::string_view kMismatch = "`selector` does not match template `labels`";
  if (kind_word == "daemonset") {
    // ValidateDaemonSetSpec: a missing selector selects nothing.
    if (!selector.is_object() || !selector_matches(selector, labels)) {
      errs.invalid("spec.template.metadata.labels", go_string_map(labels), kMismatch);
    }
    if (selector.is_object() && selector_empty(selector)) {
      errs.invalid("spec.selector", go_label_selector(selector), "empty selector is invalid for daemonset");
    }
  } else if (!selector.is_object()) {
    // A missing selector is required, and as labels.Nothing() it matches
    // no template either (ValidatePodTemplateSpecForReplicaSet).
    errs.required("spec.selector");
    errs.invalid("spec.template.metadata.labels", go_string_map(labels), kMismatch);
  } else if (selector_empty(selector)) {
    errs.invalid("spec.selector", go_label_selector(selector), fmt::format("empty selector is invalid for {}", kind_word));
  } else if (!selector_matches(selector, labels)) {
    errs.invalid("spec.template.metadata.labels", go_string_map(labels), kMismatch);
  }
  validate_labels(labels, "spec.template.metadata.labels", errs);
  const Json& pod = member(tmpl, "spec");
  validate_pod_spec(pod, "spec.template.spec", errs);
  if (std::string policy = str(pod, "restartPolicy"); !policy.empty() && policy != "Always") {
    errs.not_supported("spec.template.spec.restartPolicy", policy, "\"Always\"");
  }
}

void validate_workload(const Json& spec, const std::string& kind_word, Errors& errs) {
  if (const Json& r = member(spec, "replicas"); r.is_number() && r.get<long long>() < 0) {
    errs.invalid("spec.replicas", std::to_string(r.get<long long>()), "must be greater than or equal to 0");
  }
  validate_workload_template(spec, kind_word, errs);
}

// ---- services, secrets, config maps (pkg/apis/core/validation)

void validate_service(const Json& spec, Errors& errs) {
  const Json& ports = member(spec, "ports");
  bool headless = str(spec, "clusterIP") == "None";
  bool external_name = str(spec, "type") == "ExternalName";
  if ((!ports.is_array() || ports.empty()) && !headless && !external_name) errs.required("spec.ports");
  if (!ports.is_array()) return;
  std::set<std::string> names;
  for (std::size_t i = 0; i < ports.size(); ++i) {
    const Json& p = ports[i];
    std::string at = index("spec.ports", i);
    std::string name = str(p, "name");
    if (ports.size() > 1 && name.empty()) {
      errs.required(child(at, "name"));
    } else if (!name.empty()) {
      errs.invalid_each(child(at, "name"), name, dns1123_label(name));
      if (!names.insert(name).second) errs.duplicate(child(at, "name"), name);
    }
    long long port = member(p, "port").is_number() ? member(p, "port").get<long long>() : 0;
    for (const std::string& m : port_number(port)) errs.invalid(child(at, "port"), std::to_string(port), m);
    if (std::string proto = str(p, "protocol"); !proto.empty() && proto != "TCP" && proto != "UDP" && proto != "SCTP") {
      errs.not_supported(child(at, "protocol"), proto, "\"SCTP\", \"TCP\", \"UDP\"");
    }
    const Json& target = member(p, "targetPort");
    if (target.is_number()) {
      for (const std::string& m : port_number(target.get<long long>())) {
        errs.invalid(child(at, "targetPort"), std::to_string(target.get<long long>()), m);
      }
    } else if (target.is_string()) {
      errs.invalid_each(child(at, "targetPort"), target.get<std::string>(), port_name(target.get<std::string>()));
    }
  }
}

void validate_keys(const Json& data, const std::string& path, Errors& errs) {
  if (!data.is_object()) return;
  for (auto it = data.begin(); it != data.end(); ++it) errs.invalid_each(key(path, it.key()), it.key(), config_map_key(it.key()));
}

std::size_t base64_decoded_size(std::string_view b64) {
  std::size_t pad = b64.ends_with("==") ? 2 : b64.ends_with("=") ? 1 : 0;
  return b64.size() / 4 * 3 - std::min(pad, b64.size() / 4 * 3);
}

void validate_secret(const Json& secret, Errors& errs) {
  validate_keys(member(secret, "data"), "data", errs);
  validate_keys(member(secret, "stringData"), "stringData", errs);
  std::size_t total = 0;
  if (const Json& data = member(secret, "data"); data.is_object()) {
    for (const Json& v : data) total += v.is_string() ? base64_decoded_size(v.get_ref<const std::string&>()) : 0;
  }
  if (total > kMaxSecretSize) errs.too_long("data", kMaxSecretSize);
}

void validate_config_map(const Json& cm, Errors& errs) {
  validate_keys(member(cm, "data"), "data", errs);
  validate_keys(member(cm, "binaryData"), "binaryData", errs);
  const Json& data = member(cm, "data");
  const Json& binary = member(cm, "binaryData");
  if (!data.is_object() || !binary.is_object()) return;
  for (auto it = binary.begin(); it != binary.end(); ++it) {
    if (data.contains(it.key())) errs.invalid(key("binaryData", it.key()), go_quote(it.key()), "duplicate of key present in data");
  }
}

// ValidatePersistentVolumeClaimSpec: access modes and a storage request.
void validate_pvc(const Json& spec, Errors& errs) {
  const Json& modes = member(spec, "accessModes");
  if (!modes.is_array() || modes.empty()) {
    errs.required("spec.accessModes", "at least 1 access mode is required");
  } else {
    for (const Json& m : modes) {
      std::string mode = m.is_string() ? m.get<std::string>() : std::string();
      if (mode != "ReadOnlyMany" && mode != "ReadWriteMany" && mode != "ReadWriteOnce" && mode != "ReadWriteOncePod") {
        errs.not_supported("spec.accessModes", mode, "\"ReadOnlyMany\", \"ReadWriteMany\", \"ReadWriteOnce\", \"ReadWriteOncePod\"");
      }
    }
  }
  if (!member(member(spec, "resources"), "requests").contains("storage")) errs.required("spec.resources[storage]");
}

// networking/validation validateHTTPIngressPath: every path says its type,
// and Exact and Prefix paths (and non-empty ImplementationSpecific ones)
// are absolute.
void validate_ingress(const Json& spec, Errors& errs) {
  const Json& rules = member(spec, "rules");
  if (!rules.is_array()) return;
  for (std::size_t r = 0; r < rules.size(); ++r) {
    const Json& paths = member(member(rules[r], "http"), "paths");
    if (!paths.is_array()) continue;
    for (std::size_t i = 0; i < paths.size(); ++i) {
      std::string at = index(fmt::format("spec.rules[{}].http.paths", r), i);
      std::string path = str(paths[i], "path");
      std::string type = str(paths[i], "pathType");
      if (type.empty()) {
        errs.required(child(at, "pathType"), "pathType must be specified");
      } else if (type != "Exact" && type != "Prefix" && type != "ImplementationSpecific") {
        errs.not_supported(child(at, "pathType"), type, "\"Exact\", \"ImplementationSpecific\", \"Prefix\"");
      } else if ((type != "ImplementationSpecific" || !path.empty()) && !path.starts_with("/")) {
        errs.invalid(child(at, "path"), go_quote(path), "must be an absolute path");
      }
    }
  }
}

// ---- updates: immutable fields

// apimachinery equality.Semantic: unset, null, empty maps and empty lists are
// the same value.
Json semantic(const Json& j) {
  if (j.is_object()) {
    Json out = Json::object();
    for (auto it = j.begin(); it != j.end(); ++it) {
      Json v = semantic(*it);
      if (!v.is_null()) out[it.key()] = std::move(v);
    }
    return out.empty() ? Json() : out;
  }
  if (j.is_array()) {
    Json out = Json::array();
    for (const Json& e : j) out.push_back(semantic(e));
    return out.empty() ? Json() : out;
  }
  return j;
}

bool same(const Json& a, const Json& b) { return semantic(a) == semantic(b); }

constexpr std::string_view kImmutable = "field is immutable";  // apimachinery ValidateImmutableField

void validate_update(const ResourceType& type, const Json& obj, const Json& old, Errors& errs) {
  const Json& spec = member(obj, "spec");
  const Json& old_spec = member(old, "spec");
  bool apps = type.group == "apps" && (type.kind == "Deployment" || type.kind == "ReplicaSet" ||
                                       type.kind == "StatefulSet" || type.kind == "DaemonSet");
  if (apps && !same(member(spec, "selector"), member(old_spec, "selector"))) {
    errs.invalid("spec.selector", go_label_selector(member(spec, "selector")), kImmutable);
  }
  if (type.group.empty() && type.kind == "Service") {
    std::string ip = str(spec, "clusterIP");
    std::string old_ip = str(old_spec, "clusterIP");
    if (!old_ip.empty() && str(spec, "type") != "ExternalName" && str(old_spec, "type") != "ExternalName" && ip != old_ip) {
      errs.invalid("spec.clusterIP", go_quote(ip), kImmutable);
    }
  }
  if (type.group.empty() && type.kind == "PersistentVolumeClaim") {
    // ValidatePersistentVolumeClaimUpdate: only resources.requests and
    // volumeAttributesClassName may change (the real message adds a diff).
    auto frozen = [](const Json& s) {
      Json out = s.is_object() ? s : Json::object();
      if (out.contains("resources")) out["resources"].erase("requests");
      out.erase("volumeAttributesClassName");
      return out;
    };
    if (!same(frozen(spec), frozen(old_spec))) {
      errs.forbidden("spec", "spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims");
    }
  }
  if (type.group == "batch" && type.kind == "Job" && !same(member(spec, "template"), member(old_spec, "template"))) {
    errs.invalid("spec.template", "core.PodTemplateSpec{...}", kImmutable);
  }
}

void validate_kind(const ResourceType& type, const Json& obj, Errors& errs) {
  const Json& spec = member(obj, "spec");
  if (type.group == "apps") {
    if (type.kind == "Deployment") validate_workload(spec, "deployment", errs);
    if (type.kind == "StatefulSet") validate_workload(spec, "statefulset", errs);
    if (type.kind == "ReplicaSet") validate_workload(spec, "deployment", errs);
    if (type.kind == "DaemonSet") validate_workload_template(spec, "daemonset", errs);
  } else if (type.group.empty()) {
    if (type.kind == "Pod") validate_pod_spec(spec, "spec", errs);
    if (type.kind == "Service") validate_service(spec, errs);
    if (type.kind == "Secret") validate_secret(obj, errs);
    if (type.kind == "ConfigMap") validate_config_map(obj, errs);
    if (type.kind == "PersistentVolumeClaim") validate_pvc(spec, errs);
  } else if (type.group == "networking.k8s.io" && type.kind == "Ingress") {
    validate_ingress(spec, errs);
  } else if (type.group == "batch" && type.kind == "Job") {
    validate_pod_spec(member(member(spec, "template"), "spec"), "spec.template.spec", errs);
  }
}

}  // namespace

std::vector<Cause> validate_object(const ResourceType& type, const Json& object, const Json* old) {
  Errors errs;
  validate_object_meta(type, member(object, "metadata"), errs);
  validate_kind(type, object, errs);
  if (old != nullptr) validate_update(type, object, *old, errs);
  return errs.take();
}

}  // namespace claw::sim
