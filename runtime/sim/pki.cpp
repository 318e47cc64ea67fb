#include "runtime/sim/pki.h"

#include "runtime/sim/atomic_file.h"
#include "runtime/sim/x509_pem.h"

#include <openssl/bn.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include <ctime>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <utility>
#include <vector>

namespace claw::sim {
namespace {

namespace fs = std::filesystem;

// Lifetimes as k3s gives its own: CAs 10 years, client and server
// certificates 365 days, renewed at start when within 90 days of expiry
// (docs.k3s.io/advanced, "Certificate Management").
constexpr long kCaDays = 3650;
constexpr long kLeafDays = 365;
constexpr long kRenewDays = 90;
constexpr long kDay = 24 * 60 * 60;

constexpr unsigned kKeyMode = 0600;
constexpr unsigned kCertMode = 0644;

struct KeyPair {
  X509Ptr cert;
  PkeyPtr key;
};

[[noreturn]] void openssl_fail(const char* what) {
  throw std::runtime_error(std::string("cannot ") + what + ": " + openssl_errors());
}

std::string read_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return in ? text.str() : std::string();
}

PkeyPtr new_key() {
  PkeyPtr key(EVP_EC_gen("P-256"));
  if (!key) openssl_fail("generate an EC P-256 key");
  return key;
}

// A random positive 127-bit serial number (RFC 5280 4.1.2.2: at most 20 octets).
void set_random_serial(X509& cert) {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1) openssl_fail("draw a serial number");
  bytes[0] &= 0x7f;
  BIGNUM* bn = BN_bin2bn(bytes, sizeof bytes, nullptr);
  if (!bn || !BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(&cert))) openssl_fail("set a serial number");
  BN_free(bn);
}

void set_subject(X509& cert, const std::vector<std::pair<const char*, std::string>>& parts) {
  X509_NAME* name = X509_get_subject_name(&cert);
  for (const auto& part : parts) {
    const auto* bytes = reinterpret_cast<const unsigned char*>(part.second.c_str());
    if (!X509_NAME_add_entry_by_txt(name, part.first, MBSTRING_UTF8, bytes, -1, -1, 0)) openssl_fail("set a subject");
  }
}

// Adds extensions written in openssl.cnf syntax (x509v3_config(5)).
void add_extensions(X509& cert, X509& issuer, const std::vector<std::pair<int, const char*>>& extensions) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, &issuer, &cert, nullptr, nullptr, 0);
  for (const auto& [nid, value] : extensions) {
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    if (!ext || !X509_add_ext(&cert, ext, -1)) openssl_fail("add a certificate extension");
    X509_EXTENSION_free(ext);
  }
}

struct CertSpec {
  std::vector<std::pair<const char*, std::string>> subject;
  std::vector<std::pair<int, const char*>> extensions;
  long days;
};

// A certificate for `key`, signed by `issuer` (self-signed when null).
X509Ptr issue(const CertSpec& spec, EVP_PKEY& key, const KeyPair* issuer) {
  X509Ptr cert(X509_new());
  if (!cert || !X509_set_version(cert.get(), X509_VERSION_3)) openssl_fail("create a certificate");
  set_random_serial(*cert);
  set_subject(*cert, spec.subject);
  X509* issuer_cert = issuer ? issuer->cert.get() : cert.get();
  EVP_PKEY* signer = issuer ? issuer->key.get() : &key;
  if (!X509_set_issuer_name(cert.get(), X509_get_subject_name(issuer_cert)) ||
      !X509_gmtime_adj(X509_getm_notBefore(cert.get()), 0) ||
      !X509_gmtime_adj(X509_getm_notAfter(cert.get()), spec.days * kDay) || !X509_set_pubkey(cert.get(), &key))
    openssl_fail("fill a certificate");
  add_extensions(*cert, *issuer_cert, spec.extensions);
  if (!X509_sign(cert.get(), signer, EVP_sha256())) openssl_fail("sign a certificate");
  return cert;
}

CertSpec ca_spec() {
  return {{{"CN", "claw-sim-ca@" + std::to_string(std::time(nullptr))}},
          {{NID_basic_constraints, "critical,CA:TRUE"},
           {NID_key_usage, "critical,digitalSignature,keyCertSign,cRLSign"},
           {NID_subject_key_identifier, "hash"}},
          kCaDays};
}

CertSpec server_spec() {
  return {{{"O", "claw-sim"}, {"CN", "claw-sim"}},
          {{NID_basic_constraints, "critical,CA:FALSE"},
           {NID_key_usage, "critical,digitalSignature"},
           {NID_ext_key_usage, "serverAuth"},
           {NID_authority_key_identifier, "keyid:always"},
           {NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1"}},
          kLeafDays};
}

// The group system:masters is what makes the admin an administrator (the
// apiserver maps O to groups; k3s's admin certificate uses the same group).
CertSpec client_spec() {
  return {{{"O", "system:masters"}, {"CN", "claw-admin"}},
          {{NID_basic_constraints, "critical,CA:FALSE"},
           {NID_key_usage, "critical,digitalSignature"},
           {NID_ext_key_usage, "clientAuth"},
           {NID_authority_key_identifier, "keyid:always"}},
          kLeafDays};
}

// The pair in `<dir>/<name>.{crt,key}` when both parse and belong together.
KeyPair load_pair(const fs::path& dir, const std::string& name) {
  KeyPair pair{parse_cert_pem(read_text(dir / (name + ".crt"))), parse_key_pem(read_text(dir / (name + ".key")))};
  if (!pair.cert || !pair.key || X509_check_private_key(pair.cert.get(), pair.key.get()) != 1) return {};
  return pair;
}

bool expires_soon(X509& cert) {
  time_t renew_at = std::time(nullptr) + kRenewDays * kDay;
  return X509_cmp_time(X509_get0_notAfter(&cert), &renew_at) <= 0;
}

// Whether `cert` chains to `ca` for `purpose` (X509_PURPOSE_SSL_SERVER or
// _CLIENT) right now, names `ip` when given, and lives past the renewal window.
bool still_good(X509& cert, X509& ca, int purpose, const char* ip) {
  if (expires_soon(cert) || (ip && X509_check_ip_asc(&cert, ip, 0) != 1)) return false;
  X509_STORE* store = X509_STORE_new();
  X509_STORE_CTX* ctx = X509_STORE_CTX_new();
  bool ok = store && ctx && X509_STORE_add_cert(store, &ca) == 1 && X509_STORE_CTX_init(ctx, store, &cert, nullptr) == 1 &&
            X509_STORE_CTX_set_purpose(ctx, purpose) == 1 && X509_verify_cert(ctx) == 1;
  X509_STORE_CTX_free(ctx);
  X509_STORE_free(store);
  return ok;
}

void save_pair(const fs::path& dir, const std::string& name, const KeyPair& pair) {
  // The key first: a crash between the two writes leaves a pair that does
  // not match, which the next start reissues.
  write_file_atomic(dir / (name + ".key"), key_pem(*pair.key), kKeyMode);
  write_file_atomic(dir / (name + ".crt"), cert_pem(*pair.cert), kCertMode);
}

KeyPair issue_pair(const CertSpec& spec, const KeyPair* issuer) {
  PkeyPtr key = new_key();
  X509Ptr cert = issue(spec, *key, issuer);
  return {std::move(cert), std::move(key)};
}

// The CA from `dir`, or a new one when it is missing, broken or expiring.
KeyPair ca_pair(const fs::path& dir) {
  KeyPair ca = load_pair(dir, "ca");
  if (ca.cert && X509_check_ca(ca.cert.get()) == 1 && !expires_soon(*ca.cert)) return ca;
  ca = issue_pair(ca_spec(), nullptr);
  save_pair(dir, "ca", ca);
  return ca;
}

KeyPair leaf_pair(const fs::path& dir, const std::string& name, const KeyPair& ca, const CertSpec& spec, int purpose,
                  const char* ip) {
  KeyPair leaf = load_pair(dir, name);
  if (leaf.cert && still_good(*leaf.cert, *ca.cert, purpose, ip)) return leaf;
  leaf = issue_pair(spec, &ca);
  save_pair(dir, name, leaf);
  return leaf;
}

fs::path pki_directory(const fs::path& state_dir) {
  fs::path dir = state_dir / "pki";
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec || !fs::is_directory(dir)) throw std::runtime_error("cannot create " + dir.string() + ": " + ec.message());
  fs::permissions(dir, fs::perms::owner_all, ec);
  return dir;
}

}  // namespace

Pki load_or_create_pki(const fs::path& state_dir) {
  fs::path dir = pki_directory(state_dir);
  KeyPair ca = ca_pair(dir);
  KeyPair server = leaf_pair(dir, "server", ca, server_spec(), X509_PURPOSE_SSL_SERVER, "127.0.0.1");
  KeyPair client = leaf_pair(dir, "client-admin", ca, client_spec(), X509_PURPOSE_SSL_CLIENT, nullptr);
  return {cert_pem(*ca.cert), cert_pem(*server.cert), key_pem(*server.key), cert_pem(*client.cert), key_pem(*client.key)};
}

}  // namespace claw::sim
