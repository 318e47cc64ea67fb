#pragma once
// The sim's certificates: a CA of its own, the HTTPS server's certificate
// and the admin client certificate the kubeconfig carries, kept in the
// state directory so that a kubeconfig stays valid across restarts.

#include <filesystem>
#include <string>
#include <string_view>

namespace claw::sim {

// PEM texts; keys are unencrypted PKCS#8.
struct Pki {
  std::string ca_cert_pem;
  std::string server_cert_pem, server_key_pem;  // SAN IP:127.0.0.1, DNS:localhost
  std::string client_cert_pem, client_key_pem;  // CN=claw-admin, O=system:masters
};

// The set in `<state_dir>/pki/`, each part that is missing, unreadable, not
// signed by the CA or within 90 days of expiry (re)issued and written
// atomically (keys 0600); throws std::runtime_error when the directory or a
// file cannot be written.
Pki load_or_create_pki(const std::filesystem::path& state_dir);

// Writes a clientcmd v1 kubeconfig (kubeconfig.cpp) (cluster, user and context `claw-sim`,
// the current context) for `server_url` with the PKI's CA and client
// certificate embedded, atomically and mode 0600; throws std::runtime_error.
void write_kubeconfig(const std::filesystem::path& file, std::string_view server_url, const Pki& pki);

}  // namespace claw::sim
