// Where each object of `claw build`'s output tree goes, relative to the
// output folder: the one place these paths are spelt. The emitters write
// to them, and check_output_paths (run by `claw check` and `claw build`)
// refuses a program in which two declarations would write one file.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "compiler/diag/diagnostic.h"
#include "compiler/emit/object.h"
#include "compiler/sema/model.h"

namespace claw::emit {

/// manifests/<namespace>/<name>.yaml: a workload's objects.
std::string workload_path(std::string_view namespace_, std::string_view name);
/// manifests/<namespace>/<name>.<kind, lower-cased>.yaml: a `resource`
/// (manifests/_cluster/... for a cluster-scoped kind, namespace "").
std::string resource_path(std::string_view namespace_, std::string_view name, std::string_view kind);
std::string resource_path(const sema::CustomResource& r);
/// manifests/kube-system/<release>.helmchart.yaml: a chart's HelmChart.
std::string helm_chart_path(const sema::Chart& chart);
/// values/<release>.yaml: a chart's values.
std::string values_path(const sema::Chart& chart);
/// join/<machine>.sh: a machine's join script.
std::string join_script_path(const sema::Machine& m);
/// manifests/<namespace>/nfs.persistentvolumeclaims.yaml: a namespace's
/// claims on NFS exports.
std::string nfs_claims_path(std::string_view namespace_);

// The cluster-wide files, beside the namespaces' folders.
inline constexpr std::string_view kNfsVolumesPath = "manifests/nfs.persistentvolumes.yaml";
inline constexpr std::string_view kNamespacesPath = "manifests/namespaces.yaml";
inline constexpr std::string_view kRuntimeClassPath = "manifests/runtimeclass-nvidia.yaml";
inline constexpr std::string_view kPlacementPath = "placement.json";
inline constexpr std::string_view kSecretsPath = "secrets.json";
/// The placement as a page for people (network_html.h).
inline constexpr std::string_view kNetworkHtmlPath = "network.html";

/// manifests/<namespace>/<name>.configmap.yaml: the GPU Operator's
/// time-slicing ConfigMap.
std::string operator_slicing_path(std::string_view namespace_, std::string_view name);

/// The manifest file `o` is written to (one file holds all the objects of
/// a workload, say): the one place it is derived, from the object's ref,
/// origin and owner. Empty for objects never written (Secrets).
std::string manifest_path(const Object& o);

/// A file a declaration's objects are written to.
struct OutputClaim {
  std::string path;
  source::Span span;  // the declaration (or the volume, for NFS claims)
  std::string what;   // how a diagnostic names it: "resource `nfs`"
  size_t depth = 0;   // the components `path` has when its names are sound
};

/// Whether `path` is a plain relative path of `depth` components, none of
/// them empty, `.` or `..`: a file inside the output folder where claw
/// means it to be (a `/` in a name adds a component).
bool sound_output_path(std::string_view path, size_t depth);

/// Every file that comes from a declaration of `model`, in model order:
/// workloads, NFS claims, custom resources, charts (HelmChart and values),
/// machines' join scripts. The cluster-wide files are not among them: no
/// declaration names them.
std::vector<OutputClaim> output_claims(const sema::Model& model);

/// Reports `output-path-clash` at each declaration whose file another
/// declaration already writes, with a note at the first, and
/// `invalid-name` at one whose path is not sound (sound_output_path): the
/// names checks of sema should have refused it already; this holds the
/// line for the writer.
void check_output_paths(const sema::Model& model, diag::Sink& sink);

/// Whether workload `a` claims the same output paths as `b` (output_claims
/// reads its namespace, its name and whether it mounts an NFS export): a
/// model whose paths were sound stays so when one becomes the other.
bool same_output_paths(const sema::Workload& a, const sema::Workload& b);

}  // namespace claw::emit
