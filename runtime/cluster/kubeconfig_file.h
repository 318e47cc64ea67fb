// One kubeconfig file as clientcmd reads it (clientcmd/api/v1 types.go),
// its named maps keyed by name, and the merge of several files
// (clientcmd loader.go). Values are kept as written; credential files are
// read and `-data` decoded only for the one context used (kubeconfig.h).
#pragma once

#include <expected>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "runtime/cluster/exec_credential.h"

namespace claw::cluster {

struct KubeCluster {
  std::string server;
  /// A file path, already resolved against the kubeconfig's folder.
  std::string certificate_authority;
  /// Base64 of PEM, as written.
  std::string certificate_authority_data;
  bool insecure_skip_tls_verify = false;
  std::string tls_server_name;
  std::string proxy_url;
  /// The kubeconfig file it came from.
  std::string origin;
};

struct KubeUser {
  std::string client_certificate;  // resolved path
  std::string client_certificate_data;  // base64 of PEM
  std::string client_key;  // resolved path
  std::string client_key_data;  // base64 of PEM
  std::string token;
  std::string token_file;  // resolved path
  std::string username;
  std::string password;
  std::optional<ExecConfig> exec;
  /// The name of a legacy `auth-provider`, when one is configured.
  std::optional<std::string> auth_provider;
  std::string origin;
};

struct KubeContext {
  std::string cluster;
  std::string user;
  std::string namespace_;
  std::string origin;
};

struct Kubeconfig {
  std::map<std::string, KubeCluster> clusters;
  std::map<std::string, KubeUser> users;
  std::map<std::string, KubeContext> contexts;
  std::string current_context;
};

/// The kubeconfig in `text`, read from `path` (relative paths in it are
/// resolved against `path`'s folder, as clientcmd's ResolveLocalPaths
/// does); an error names the file, and the line for a YAML syntax error.
std::expected<Kubeconfig, std::string> parse_kubeconfig(std::string_view text, const std::string& path);

/// Merges `later` into `into` by clientcmd's rule: the first file to set a
/// name (or current-context) wins, and entries of the same name are never
/// merged field by field.
void merge_kubeconfig(Kubeconfig& into, const Kubeconfig& later);

}  // namespace claw::cluster
