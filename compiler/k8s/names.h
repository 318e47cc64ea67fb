// The rules Kubernetes' API server holds names, keys and a few other strings
// to, written once: the compiler checks every string it turns into one of
// them, and the runtime can check what it sends. Each rule follows the
// function of k8s.io/apimachinery/pkg/util/validation/validation.go (or
// k8s.io/kubernetes/pkg/apis/*/validation) named beside it.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace claw::k8s {

/// A rule for one kind of string: `problem` returns why a string breaks it
/// (for a diagnostic's message, after a colon) or an empty string when it
/// follows it; `what` names the kind of string and `hint` says the rule in a
/// sentence, for a diagnostic's hint.
struct Rule {
  std::string_view what;
  std::string_view hint;
  std::string (*problem)(std::string_view);
};

// The limits the rules below are built on (validation.go).
inline constexpr size_t kDns1123LabelMax = 63;       // DNS1123LabelMaxLength
inline constexpr size_t kDns1123SubdomainMax = 253;  // DNS1123SubdomainMaxLength
inline constexpr size_t kDns1035LabelMax = 63;       // DNS1035LabelMaxLength
inline constexpr size_t kQualifiedNameMax = 63;      // qualifiedNameMaxLength
inline constexpr size_t kLabelValueMax = 63;         // LabelValueMaxLength
inline constexpr size_t kPortNameMax = 15;           // IsValidPortName (IANA service names)
/// TotalAnnotationSizeLimitB (apimachinery/pkg/api/validation/objectmeta.go):
/// the keys and values of one object's annotations together.
inline constexpr size_t kAnnotationsMaxBytes = 256 * 1024;

/// IsDNS1123Label: object names (most kinds), namespaces, volume and
/// container names.
extern const Rule kDns1123Label;
/// IsDNS1123Subdomain: node names, a qualified name's prefix, API groups.
extern const Rule kDns1123Subdomain;
/// IsDNS1035Label: Service names (ValidateServiceName), API versions.
extern const Rule kDns1035Label;
/// IsQualifiedName: label, annotation and taint keys (`[prefix/]name`).
extern const Rule kQualifiedName;
/// IsValidLabelValue: label values, taint and toleration values.
extern const Rule kLabelValue;
/// IsEnvVarName: a container's environment variable names.
extern const Rule kEnvVarName;
/// IsConfigMapKey: the keys of a ConfigMap's or a Secret's data.
extern const Rule kConfigMapKey;
/// IsValidPortName: container port names (an IANA service name).
extern const Rule kPortName;
/// An Ingress rule's host (validateIngressRules in
/// pkg/apis/networking/validation): a DNS-1123 subdomain, or one after a
/// leading `*.` (IsWildcardDNS1123Subdomain), never an IP address.
extern const Rule kIngressHost;
/// An Ingress path of pathType Prefix (validateHTTPIngressPath): absolute,
/// without `//`, `/./`, `/../`, `%2f`, and not ending in `/.` or `/..`.
extern const Rule kIngressPath;
/// A container's volumeMounts[].mountPath (validateVolumeMounts and the
/// API's field documentation): not empty, no `:`; claw also requires it to
/// be absolute, as a Linux container's runtime does.
extern const Rule kMountPath;
/// The `path` of an NFS volume source (validateNFSVolumeSource): absolute.
extern const Rule kNfsPath;
/// A kind (ValidateCustomResourceDefinitionNames in apiextensions): mixed
/// case, otherwise a DNS-1035 label once lower-cased.
extern const Rule kKind;
/// An apiVersion: `v1` (the core group), or `group/version`, the group a
/// DNS-1123 subdomain and the version a DNS-1035 label (as a CRD's).
extern const Rule kApiVersion;

// Limits on the names of objects that Kubernetes derives other names from.

/// ValidateCronJob (pkg/apis/batch/validation): a CronJob's name is at most
/// 52 characters, so that the names of the Jobs it makes (the name, `-` and
/// a time) stay within 63.
inline constexpr size_t kCronJobNameMax = 52;
/// A StatefulSet's pods carry the label `controller-revision-hash:
/// <name>-<hash>` (ControllerRevisionName in pkg/controller/history; the
/// hash is up to 10 characters), a label value: so the name is at most 52.
inline constexpr size_t kStatefulSetNameMax = kLabelValueMax - 11;
/// Helm refuses release names over 53 characters (helm's action.Install);
/// k3s's helm-controller names the release after the HelmChart.
inline constexpr size_t kHelmReleaseNameMax = 53;

/// Whether `s` is an IPv4 or IPv6 address as Go's net.ParseIP reads one
/// (dotted quad without leading zeros, or RFC 4291 text; no zone).
bool is_ip_address(std::string_view s);

/// Why annotations of `bytes` bytes (keys and values together) are refused,
/// or an empty string.
std::string annotations_size_problem(size_t bytes);

}  // namespace claw::k8s
