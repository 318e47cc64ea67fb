// A kubeconfig cluster and user turned into an Endpoint: credential files
// read, `-data` decoded, exec plugins run (client-go rest/transport and
// clientcmd client_config.go).
#pragma once

#include <chrono>
#include <expected>
#include <string>

#include "compiler/io/filesystem.h"
#include "runtime/cluster/command_runner.h"
#include "runtime/cluster/endpoint.h"
#include "runtime/cluster/environment.h"
#include "runtime/cluster/kubeconfig_file.h"

namespace claw::cluster {

/// Everything the endpoint's building reads from outside: files, the
/// environment (for exec plugins) and the plugin runner.
struct EndpointInputs {
  const io::FileSystem& files;
  const Environment& env;
  CommandRunner& runner;
  std::chrono::milliseconds exec_timeout{std::chrono::minutes(1)};
};

/// The server and TLS settings of `cluster` (named `name`) into `out`; an
/// error names the cluster, its file and the field, never credential bytes.
std::expected<void, std::string> apply_cluster(const std::string& name, const KubeCluster& cluster,
                                               const io::FileSystem& files, Endpoint& out);

/// The credentials of `user` (named `name`) into `out`, whose server and
/// TLS settings are already set (an exec plugin may be given them).
std::expected<void, std::string> apply_user(const std::string& name, const KubeUser& user, const EndpointInputs& in,
                                            Endpoint& out);

}  // namespace claw::cluster
