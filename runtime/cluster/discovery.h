// Which kinds the server serves, at which REST paths, in which scope and
// with which verbs: read once per run (two requests when the server offers
// aggregated discovery, as kube-apiserver 1.30+ and k3s do; one per
// group-version otherwise) and looked up by kind afterwards.
#pragma once

#include <expected>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/cluster/transport.h"

namespace claw::cluster {

/// One kind as the server serves it.
struct ResourceInfo {
  std::string group;     // "" for the core group
  std::string version;   // v1, v1beta1, ...
  std::string kind;      // Deployment
  std::string resource;  // deployments: the path segment
  bool namespaced = false;
  std::vector<std::string> verbs;

  /// `v1` for the core group, `<group>/<version>` otherwise.
  std::string api_version() const;
  /// Whether the server allows `verb` (get, list, create, patch, ...).
  bool allows(std::string_view verb) const;
};

/// The Accept header of aggregated discovery, falling back to the legacy
/// documents (client-go discovery_client.go, AcceptV2 then JSON).
inline constexpr std::string_view kAggregatedDiscoveryAccept =
    "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json";

class Discovery {
 public:
  /// Reads the server's kinds through `transport`, or says why it cannot.
  static std::expected<Discovery, std::string> load(Transport& transport);

  /// The kind `kind` of `group`/`version`, or an error naming both.
  std::expected<const ResourceInfo*, std::string> find(std::string_view group, std::string_view version,
                                                       std::string_view kind) const;
  /// The same by an object's `apiVersion` (`v1`, `apps/v1`) and `kind`.
  std::expected<const ResourceInfo*, std::string> find(std::string_view api_version, std::string_view kind) const;

  /// Every kind read, in the server's order.
  const std::vector<ResourceInfo>& resources() const { return resources_; }
  /// Whether the aggregated documents were read (else the legacy ones).
  bool aggregated() const { return aggregated_; }
  /// Group-versions the server listed but could not describe (an
  /// aggregated API server down, a stale document), with the reason.
  const std::map<std::string, std::string>& unavailable() const { return unavailable_; }

 private:
  friend struct DiscoveryBuilder;
  std::vector<ResourceInfo> resources_;
  std::map<std::string, std::string> unavailable_;
  bool aggregated_ = false;
};

/// The path of `info`'s collection: in `ns` when namespaced and `ns` is
/// given, across all namespaces when namespaced and `ns` is empty.
std::string collection_path(const ResourceInfo& info, std::string_view ns);

/// The path of the object `name` (in `ns` when namespaced), names escaped.
std::string object_path(const ResourceInfo& info, std::string_view ns, std::string_view name);

/// `segment` percent-encoded as one path segment: everything but RFC 3986's
/// unreserved characters, and a `.` or `..` segment whole.
std::string escape_path_segment(std::string_view segment);

}  // namespace claw::cluster
