// Where and as whom claw talks to a cluster: what a kubeconfig context
// resolves to (kubeconfig.h), and all the transport (transport.h) needs to
// open connections. Credentials live here in memory only; nothing here is
// ever printed or logged (describe() names the endpoint without them).
#pragma once

#include <string>

namespace claw::cluster {

struct Endpoint {
  /// The API server's base URL, `https://host:port` (a path prefix kept,
  /// no trailing slash).
  std::string server;
  /// PEM bytes of the CA that signs the server's certificate; empty: the
  /// system's trust store.
  std::string ca_pem;
  /// PEM bytes of the client certificate and its key; empty when none.
  std::string client_cert_pem;
  std::string client_key_pem;
  /// A bearer token (from `token`, `tokenFile` or an exec plugin); empty
  /// when none.
  std::string token;
  /// HTTP basic credentials, when the kubeconfig has them.
  std::string username;
  std::string password;
  /// Skip verifying the server's certificate: only when the kubeconfig's
  /// cluster says `insecure-skip-tls-verify: true`.
  bool insecure = false;
  /// The name the server's certificate is checked against instead of the
  /// URL's host (`tls-server-name`); empty: the URL's host.
  std::string tls_server_name;
  /// `proxy-url`; empty: none (environment proxies are not used either).
  std::string proxy_url;
};

/// The endpoint as it may be shown to a user: the server URL and which
/// kinds of credential it carries, never their values.
std::string describe(const Endpoint& e);

}  // namespace claw::cluster
