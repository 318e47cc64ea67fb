// Exec credential plugins (client-go plugin/pkg/client/auth/exec): a
// kubeconfig user's `exec` runs a command that prints an ExecCredential
// holding a bearer token or a client certificate and key.
#pragma once

#include <chrono>
#include <expected>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "runtime/cluster/command_runner.h"
#include "runtime/cluster/endpoint.h"
#include "runtime/cluster/environment.h"

namespace claw::cluster {

/// A kubeconfig user's `exec` stanza (clientcmd/api/v1 ExecConfig).
struct ExecConfig {
  std::string api_version;
  /// Resolved against the kubeconfig's folder when it holds a `/`.
  std::string command;
  std::vector<std::string> args;
  /// `env[]`, `{name, value}` each, in order.
  std::vector<std::pair<std::string, std::string>> env;
  std::string install_hint;
  bool provide_cluster_info = false;
  /// Never, IfAvailable or Always; empty when the kubeconfig leaves it out.
  std::string interactive_mode;
};

/// What a plugin returned (ExecCredential `status`): a token, or a client
/// certificate and key (PEM), or both.
struct ExecCredentialStatus {
  std::string token;
  std::string client_certificate_pem;
  std::string client_key_pem;
};

/// The apiVersions of ExecCredential client-go still accepts (v1alpha1
/// was removed in 1.24).
bool is_exec_api_version(std::string_view api_version);

/// The ExecCredential claw passes to a plugin in KUBERNETES_EXEC_INFO:
/// `interactive` false (claw never hands a plugin its stdin), and the
/// cluster's server and TLS settings when `provideClusterInfo` is set.
std::string exec_info_json(const ExecConfig& config, const Endpoint& cluster);

/// The credential in a plugin's stdout, checked as client-go does
/// (same apiVersion, a status, a token or a certificate/key pair); the
/// error names the command, never the output.
std::expected<ExecCredentialStatus, std::string> parse_exec_credential(std::string_view out, const ExecConfig& config);

/// Runs the plugin of `config` through `runner` with the process
/// environment, the stanza's env and KUBERNETES_EXEC_INFO, and returns its
/// credential, or why not (naming the command and user, not the output).
std::expected<ExecCredentialStatus, std::string> run_exec_plugin(const ExecConfig& config, const Endpoint& cluster,
                                                                  const Environment& env, CommandRunner& runner,
                                                                  std::chrono::milliseconds timeout);

}  // namespace claw::cluster
