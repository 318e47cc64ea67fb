// The Kubernetes objects a program declares, as data: what `claw build`
// writes as YAML files (manifest_files.h), and what `claw plan` and
// `claw apply` compare with and send to a cluster. Each object knows its
// identity (ObjectRef), the declaration it came from (its span: a runtime
// rejection points at the `.claw` line), its body as a tree, and for a
// Secret, where its values come from (read only at apply time, never
// written anywhere).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "compiler/emit/tree.h"
#include "compiler/source/source.h"

namespace claw::emit {

/// A Kubernetes object's identity: group ("" for the core group), version,
/// kind, namespace ("" when cluster-scoped) and name.
struct ObjectRef {
  std::string group, version, kind, namespace_, name;

  /// `apps/v1`, `v1`.
  std::string api_version() const { return group.empty() ? version : group + "/" + version; }
  /// `Deployment apps/web`, `Namespace apps`: how plans and errors name it.
  std::string display() const;
  friend bool operator==(const ObjectRef&, const ObjectRef&) = default;
  friend auto operator<=>(const ObjectRef&, const ObjectRef&) = default;
};

/// Sets `ref` in place (its strings' buffers reused) from an apiVersion
/// (`apps/v1`), kind, namespace and name.
void set_ref(ObjectRef& ref, std::string_view api_version, std::string_view kind, std::string_view namespace_,
             std::string_view name);

/// Splits an apiVersion (`apps/v1`, `v1`) into group and version.
std::pair<std::string, std::string> split_api_version(std::string_view api_version);

/// What made an object: decides the file it is written to and the file's
/// header comment (manifest_files.h), with the owner's name.
enum class Origin : uint8_t {
  Service,          // a `service` workload's objects (and Daemon, Job, Cron below)
  Daemon,
  Job,
  Cron,
  Resource,         // a `resource` declaration
  HelmChart,        // a chart's k3s HelmChart
  NfsVolume,        // the PersistentVolume of an NFS export in a namespace
  NfsClaim,         // its claim
  Namespace,        // a namespace the network uses
  RuntimeClass,     // k3s's `nvidia` runtime
  OperatorSlicing,  // the GPU Operator's time-slicing ConfigMap
  Secret,           // a `secret`, in a namespace that reads it
  ValuesSecret,     // a chart's values that come from secrets
};

/// Where a Secret's values come from, read when it is applied.
struct SecretSource {
  /// A declared secret's value: key `key` of the Secret, from the
  /// environment variable or the file the declaration names.
  struct Item {
    std::string key;
    std::optional<std::string> env, file;
    std::string secret;  // the declaration's name
    source::Span span;
  };
  std::vector<Item> items;
  /// A chart's values Secret: key `values.yaml` holds these dotted value
  /// paths, each set to the named secret's value.
  std::vector<std::pair<std::string, std::string>> chart_values;  // (path, secret name)
  /// A chart's values Secret: lists that hold secrets, whole, as JSON with
  /// null where each secret goes (emit/values.h, SecretList): Helm replaces
  /// a list whole, so such a list is set by this Secret alone.
  std::vector<std::pair<std::string, std::string>> chart_lists;  // (path, JSON)
};

struct Object {
  ObjectRef ref;
  Origin origin = Origin::Service;
  /// The declaration's name (the workload, chart, resource, machine ...).
  std::string owner;
  /// The declaration (or the part of it: a port, a volume) it came from.
  source::Span span;
  /// Everything the object's document holds, apiVersion and kind included;
  /// a Secret's values are not in it.
  Tree body;
  /// Only for Origin::Secret and Origin::ValuesSecret.
  std::optional<SecretSource> secret;
};

/// A new, empty object at the end of `out`: one this thread recycled when
/// there is one (its strings' and tree's buffers kept), so that emitting
/// thousands of workloads reuses memory instead of allocating it again.
Object& add_object(std::vector<Object>& out);
/// Hands `objects`' storage back to this thread for add_object; leaves
/// `objects` empty.
void recycle(std::vector<Object>& objects);

/// Whether objects of `origin` are written to files by `claw build` (all
/// but Secrets, whose values exist only at apply time).
bool written_to_files(Origin origin);

}  // namespace claw::emit
