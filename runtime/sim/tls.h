#pragma once
// TLS for the sim's HTTPS server: what httplib::SSLServer's SSL_CTX set-up
// callback needs, and the per-request question "did this client present a
// certificate of ours?".

#include "runtime/sim/pki.h"

#include <openssl/ssl.h>

#include <string>

namespace claw::sim {

// Configures `ctx` with the server certificate and key of `pki`, TLS 1.2 or
// later, and client certificates requested but neither required nor allowed
// to fail the handshake: a request without one, or with one the sim's CA did
// not sign, reaches the handler, which answers 401 as kube-apiserver does.
// False, with OpenSSL's reason in `*error` when given, when a PEM does not load.
bool configure_server_tls(SSL_CTX& ctx, const Pki& pki, std::string* error = nullptr);

// Whether the connection's client presented a certificate that verified
// against the CA (null: no TLS, not authenticated).
bool client_authenticated(const SSL* ssl);

}  // namespace claw::sim
