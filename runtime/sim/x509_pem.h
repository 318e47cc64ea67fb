#pragma once
// OpenSSL objects owned by unique_ptr, and their PEM text: the one place the
// sim turns certificates and keys into text and back.

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>
#include <string>
#include <string_view>

namespace claw::sim {

struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};
struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using X509Ptr = std::unique_ptr<X509, X509Free>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;

// The first certificate of a PEM text, or null when there is none.
X509Ptr parse_cert_pem(std::string_view pem);
// The first private key of a PEM text (PKCS#8 or traditional), or null.
PkeyPtr parse_key_pem(std::string_view pem);
// `CERTIFICATE` PEM of a certificate.
std::string cert_pem(X509& cert);
// Unencrypted PKCS#8 `PRIVATE KEY` PEM of a key.
std::string key_pem(EVP_PKEY& key);
// The text of OpenSSL's error queue (emptied), or "unknown error".
std::string openssl_errors();

}  // namespace claw::sim
