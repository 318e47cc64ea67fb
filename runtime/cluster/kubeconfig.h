// Cluster access from kubeconfig files, as kubectl finds and reads them:
// which files (kubeconfig_sources.h), merged (kubeconfig_file.h), which
// context, and the Endpoint it resolves to (kubeconfig_endpoint.h).
#pragma once

#include <chrono>
#include <expected>
#include <string>
#include <vector>

#include "compiler/io/filesystem.h"
#include "runtime/cluster/command_runner.h"
#include "runtime/cluster/endpoint.h"
#include "runtime/cluster/environment.h"

namespace claw::cluster {

struct KubeconfigOptions {
  /// `--kubeconfig PATH`; empty: KUBECONFIG, else ~/.kube/config.
  std::string kubeconfig;
  /// `--context NAME`; empty: the kubeconfig's current-context.
  std::string context;
  /// How long an exec credential plugin may run.
  std::chrono::milliseconds exec_timeout{std::chrono::minutes(1)};
};

struct ClusterAccess {
  Endpoint endpoint;
  /// The context used.
  std::string context;
  /// The context's namespace; "default" when it sets none.
  std::string namespace_;
  /// The kubeconfig files read, in merge order.
  std::vector<std::string> files;
  /// Where their names came from: "--kubeconfig", "KUBECONFIG" or "~/.kube/config".
  std::string source;
};

/// Finds, reads and merges the kubeconfig files as kubectl does, picks the
/// context and resolves it to an endpoint (running its exec plugin, if
/// any, through `runner`); or one error that names the file, context or
/// field and what to do, and holds no credential.
std::expected<ClusterAccess, std::string> load_cluster_access(const KubeconfigOptions& options,
                                                              const Environment& env, const io::FileSystem& files,
                                                              CommandRunner& runner);

}  // namespace claw::cluster
