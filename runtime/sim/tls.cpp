#include "runtime/sim/tls.h"

#include "runtime/sim/x509_pem.h"

#include <openssl/x509_vfy.h>

namespace claw::sim {
namespace {

bool failed(std::string* error, const char* what) {
  if (error) *error = std::string(what) + ": " + openssl_errors();
  return false;
}

// Sessions resumed with client verification need an id context
// (SSL_CTX_set_session_id_context(3)); any constant names this server.
constexpr unsigned char kSessionContext[] = "claw-sim";

}  // namespace

bool configure_server_tls(SSL_CTX& ctx, const Pki& pki, std::string* error) {
  X509Ptr server = parse_cert_pem(pki.server_cert_pem);
  PkeyPtr key = parse_key_pem(pki.server_key_pem);
  X509Ptr ca = parse_cert_pem(pki.ca_cert_pem);
  if (!server || !key || !ca) return failed(error, "the server certificate, key or CA does not parse");
  if (SSL_CTX_set_min_proto_version(&ctx, TLS1_2_VERSION) != 1) return failed(error, "cannot require TLS 1.2");
  if (SSL_CTX_use_certificate(&ctx, server.get()) != 1 || SSL_CTX_use_PrivateKey(&ctx, key.get()) != 1 ||
      SSL_CTX_check_private_key(&ctx) != 1)
    return failed(error, "cannot use the server certificate");
  // The CA is the only trusted issuer of client certificates, and the one
  // named in the CertificateRequest, so a client picks the matching certificate.
  if (X509_STORE_add_cert(SSL_CTX_get_cert_store(&ctx), ca.get()) != 1 || SSL_CTX_add_client_CA(&ctx, ca.get()) != 1)
    return failed(error, "cannot trust the CA");
  // kube-apiserver asks for a client certificate but lets every connection
  // through; its x509 authenticator verifies the certificate per request and
  // a missing or foreign one ends in 401 (Go's tls.RequestClientCert, set by
  // k8s.io/apiserver pkg/server/secure_serving.go: "Populate PeerCertificates
  // in requests, but don't reject connections without certificates"). The
  // callback accepts every chain; OpenSSL still records the verification
  // result, which client_authenticated() reads.
  SSL_CTX_set_verify(&ctx, SSL_VERIFY_PEER, [](int, X509_STORE_CTX*) { return 1; });
  if (SSL_CTX_set_session_id_context(&ctx, kSessionContext, sizeof kSessionContext - 1) != 1)
    return failed(error, "cannot set the session context");
  return true;
}

bool client_authenticated(const SSL* ssl) {
  return ssl && SSL_get0_peer_certificate(ssl) != nullptr && SSL_get_verify_result(ssl) == X509_V_OK;
}

}  // namespace claw::sim
