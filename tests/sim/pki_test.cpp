#include "runtime/sim/atomic_file.h"
#include "runtime/sim/pki.h"
#include "runtime/sim/x509_pem.h"
#include "tests/sim/temp_dir.h"

#include <doctest/doctest.h>
#include <openssl/evp.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>
#include <yaml-cpp/yaml.h>

#include <fstream>
#include <sstream>

using namespace claw::sim;
using claw::sim::testing::TempDir;
namespace fs = std::filesystem;

namespace {

std::string subject_entry(X509& cert, int nid) {
  char buf[256] = {};
  X509_NAME_get_text_by_NID(X509_get_subject_name(&cert), nid, buf, sizeof buf);
  return buf;
}

// Verifies `leaf` against `ca_pem` for an SSL purpose, as a TLS peer would.
bool verifies(const std::string& ca_pem, const std::string& leaf_pem, int purpose) {
  X509Ptr ca = parse_cert_pem(ca_pem), leaf = parse_cert_pem(leaf_pem);
  if (!ca || !leaf) return false;
  X509_STORE* store = X509_STORE_new();
  X509_STORE_CTX* ctx = X509_STORE_CTX_new();
  X509_STORE_add_cert(store, ca.get());
  X509_STORE_CTX_init(ctx, store, leaf.get(), nullptr);
  X509_STORE_CTX_set_purpose(ctx, purpose);
  bool ok = X509_verify_cert(ctx) == 1;
  X509_STORE_CTX_free(ctx);
  X509_STORE_free(store);
  return ok;
}

unsigned mode_of(const fs::path& file) {
  struct stat st {};
  return ::stat(file.c_str(), &st) == 0 ? (st.st_mode & 0777) : 0;
}

std::string slurp(const fs::path& file) {
  std::ifstream in(file);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string unbase64(const std::string& text) {
  std::string out(text.size(), '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()), reinterpret_cast<const unsigned char*>(text.data()),
                          static_cast<int>(text.size()));
  out.resize(n < 0 ? 0 : static_cast<size_t>(n));
  while (!out.empty() && out.back() == '\0') out.pop_back();  // the padding's zero bytes
  return out;
}


// A client certificate for `key` signed by the CA in `pki_dir`, valid for
// `days` from now, as PEM.
std::string client_cert_valid_for(const fs::path& pki_dir, EVP_PKEY& key, long days) {
  X509Ptr ca = parse_cert_pem(slurp(pki_dir / "ca.crt"));
  PkeyPtr ca_key = parse_key_pem(slurp(pki_dir / "ca.key"));
  X509Ptr cert(X509_new());
  X509_set_version(cert.get(), X509_VERSION_3);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 42);
  X509_NAME_add_entry_by_txt(X509_get_subject_name(cert.get()), "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("claw-admin"), -1, -1, 0);
  X509_set_issuer_name(cert.get(), X509_get_subject_name(ca.get()));
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), 0);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), days * 24 * 3600);
  X509_set_pubkey(cert.get(), &key);
  X509_sign(cert.get(), ca_key.get(), EVP_sha256());
  return cert_pem(*cert);
}

}  // namespace

TEST_CASE("pki: a fresh state directory gets a CA, a server and an admin client certificate") {
  TempDir dir;
  Pki pki = load_or_create_pki(dir.path());
  X509Ptr ca = parse_cert_pem(pki.ca_cert_pem);
  X509Ptr server = parse_cert_pem(pki.server_cert_pem);
  X509Ptr client = parse_cert_pem(pki.client_cert_pem);
  REQUIRE(ca);
  REQUIRE(server);
  REQUIRE(client);
  CHECK(X509_check_ca(ca.get()) == 1);
  CHECK(X509_check_ca(server.get()) == 0);
  CHECK(X509_check_ip_asc(server.get(), "127.0.0.1", 0) == 1);
  CHECK(X509_check_host(server.get(), "localhost", 0, 0, nullptr) == 1);
  CHECK(X509_check_ip_asc(server.get(), "10.0.0.1", 0) == 0);
  CHECK(subject_entry(*client, NID_commonName) == "claw-admin");
  CHECK(subject_entry(*client, NID_organizationName) == "system:masters");
  CHECK(verifies(pki.ca_cert_pem, pki.server_cert_pem, X509_PURPOSE_SSL_SERVER));
  CHECK(verifies(pki.ca_cert_pem, pki.client_cert_pem, X509_PURPOSE_SSL_CLIENT));
  // Each certificate is for its own side only.
  CHECK_FALSE(verifies(pki.ca_cert_pem, pki.server_cert_pem, X509_PURPOSE_SSL_CLIENT));
  CHECK_FALSE(verifies(pki.ca_cert_pem, pki.client_cert_pem, X509_PURPOSE_SSL_SERVER));
  PkeyPtr key = parse_key_pem(pki.client_key_pem);
  REQUIRE(key);
  CHECK(EVP_PKEY_is_a(key.get(), "EC"));
  CHECK(X509_check_private_key(client.get(), key.get()) == 1);
  CHECK(X509_check_private_key(server.get(), parse_key_pem(pki.server_key_pem).get()) == 1);
}

TEST_CASE("pki: keys are private to the owner and certificates readable") {
  TempDir dir;
  load_or_create_pki(dir.path());
  const fs::path pki = dir.path() / "pki";
  struct Case { const char* file; unsigned mode; };
  for (Case c : {Case{"ca.key", 0600}, Case{"server.key", 0600}, Case{"client-admin.key", 0600}, Case{"ca.crt", 0644},
                 Case{"server.crt", 0644}, Case{"client-admin.crt", 0644}}) {
    CAPTURE(c.file);
    CHECK(mode_of(pki / c.file) == c.mode);
  }
  CHECK(mode_of(pki) == 0700);
}

TEST_CASE("pki: a second start reuses the stored set") {
  TempDir dir;
  Pki first = load_or_create_pki(dir.path());
  Pki second = load_or_create_pki(dir.path());
  CHECK(first.ca_cert_pem == second.ca_cert_pem);
  CHECK(first.server_cert_pem == second.server_cert_pem);
  CHECK(first.client_cert_pem == second.client_cert_pem);
  CHECK(first.client_key_pem == second.client_key_pem);
}

TEST_CASE("pki: a damaged file is reissued, and only what depends on it") {
  struct Case { const char* file; const char* content; bool new_ca; bool new_server; bool new_client; };
  const Case cases[] = {
      {"ca.crt", "", true, true, true},
      {"ca.key", "-----BEGIN PRIVATE KEY-----\nnot a key\n", true, true, true},
      {"server.crt", "-----BEGIN CERTIFICATE-----\nMIIB", false, true, false},
      {"server.key", "garbage", false, true, false},
      {"client-admin.crt", "", false, false, true},
      {"client-admin.key", "\x01\x02\x03", false, false, true},
  };
  for (const Case& c : cases) {
    CAPTURE(c.file);
    TempDir dir;
    Pki before = load_or_create_pki(dir.path());
    std::ofstream(dir.path() / "pki" / c.file, std::ios::trunc) << c.content;
    Pki after = load_or_create_pki(dir.path());
    CHECK((after.ca_cert_pem != before.ca_cert_pem) == c.new_ca);
    CHECK((after.server_cert_pem != before.server_cert_pem) == c.new_server);
    CHECK((after.client_cert_pem != before.client_cert_pem) == c.new_client);
    CHECK(verifies(after.ca_cert_pem, after.server_cert_pem, X509_PURPOSE_SSL_SERVER));
    CHECK(verifies(after.ca_cert_pem, after.client_cert_pem, X509_PURPOSE_SSL_CLIENT));
  }
}

TEST_CASE("pki: a missing file, or a key of another pair, is reissued") {
  TempDir dir;
  Pki before = load_or_create_pki(dir.path());
  fs::remove(dir.path() / "pki" / "server.crt");
  // The client key swapped for the server's: the pair no longer matches.
  fs::copy_file(dir.path() / "pki" / "server.key", dir.path() / "pki" / "client-admin.key",
                fs::copy_options::overwrite_existing);
  Pki after = load_or_create_pki(dir.path());
  CHECK(after.ca_cert_pem == before.ca_cert_pem);
  CHECK(after.server_cert_pem != before.server_cert_pem);
  CHECK(after.client_cert_pem != before.client_cert_pem);
  CHECK(X509_check_private_key(parse_cert_pem(after.client_cert_pem).get(), parse_key_pem(after.client_key_pem).get()) == 1);
}

TEST_CASE("pki: a state directory that cannot be made is a clear error") {
  TempDir dir;
  std::ofstream(dir.path() / "file") << "x";
  CHECK_THROWS_WITH_AS(load_or_create_pki(dir.path() / "file"), doctest::Contains("cannot create"), std::runtime_error);
}

TEST_CASE("pki: the kubeconfig names one cluster, user and context with the certificates embedded") {
  TempDir dir;
  Pki pki = load_or_create_pki(dir.path());
  fs::path file = dir.path() / "kubeconfig";
  write_kubeconfig(file, "https://127.0.0.1:34567", pki);
  CHECK(mode_of(file) == 0600);
  YAML::Node doc = YAML::Load(slurp(file));
  CHECK(doc["apiVersion"].as<std::string>() == "v1");
  CHECK(doc["kind"].as<std::string>() == "Config");
  CHECK(doc["current-context"].as<std::string>() == "claw-sim");
  CHECK(doc["preferences"].IsMap());
  REQUIRE(doc["clusters"].size() == 1);
  REQUIRE(doc["users"].size() == 1);
  REQUIRE(doc["contexts"].size() == 1);
  YAML::Node cluster = doc["clusters"][0];
  CHECK(cluster["name"].as<std::string>() == "claw-sim");
  CHECK(cluster["cluster"]["server"].as<std::string>() == "https://127.0.0.1:34567");
  CHECK(unbase64(cluster["cluster"]["certificate-authority-data"].as<std::string>()) == pki.ca_cert_pem);
  YAML::Node user = doc["users"][0];
  CHECK(user["name"].as<std::string>() == "claw-sim");
  CHECK(unbase64(user["user"]["client-certificate-data"].as<std::string>()) == pki.client_cert_pem);
  CHECK(unbase64(user["user"]["client-key-data"].as<std::string>()) == pki.client_key_pem);
  YAML::Node context = doc["contexts"][0];
  CHECK(context["name"].as<std::string>() == "claw-sim");
  CHECK(context["context"]["cluster"].as<std::string>() == "claw-sim");
  CHECK(context["context"]["user"].as<std::string>() == "claw-sim");
  // Written again, the file is replaced rather than appended to.
  write_kubeconfig(file, "https://127.0.0.1:1", pki);
  CHECK(YAML::Load(slurp(file))["clusters"][0]["cluster"]["server"].as<std::string>() == "https://127.0.0.1:1");
}

TEST_CASE("pki: a kubeconfig in a directory that does not exist is a clear error") {
  TempDir dir;
  Pki pki = load_or_create_pki(dir.path());
  CHECK_THROWS_WITH_AS(write_kubeconfig(dir.path() / "no" / "such" / "kubeconfig", "https://127.0.0.1:1", pki),
                       doctest::Contains("cannot create"), std::runtime_error);
}

TEST_CASE("pki: files are replaced whole, with the mode asked for, leaving no temporary behind") {
  TempDir dir;
  fs::path file = dir.path() / "f";
  write_file_atomic(file, "first", 0644);
  mode_t old_mask = ::umask(077);  // the mode does not depend on the umask
  write_file_atomic(file, "second", 0640);
  ::umask(old_mask);
  CHECK(slurp(file) == "second");
  CHECK(mode_of(file) == 0640);
  size_t entries = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(dir.path())) ++entries;
  CHECK(entries == 1);
  // A target that cannot be replaced is an error naming it, and nothing is left behind.
  fs::create_directory(dir.path() / "d");
  std::ofstream(dir.path() / "d" / "inside") << "x";
  CHECK_THROWS_WITH_AS(write_file_atomic(dir.path() / "d", "x", 0600), doctest::Contains("cannot write"), std::runtime_error);
  entries = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(dir.path())) ++entries;
  CHECK(entries == 2);
}

TEST_CASE("pki: a certificate within 90 days of expiry is renewed at start, as k3s does") {
  struct Case { long days_left; bool renewed; };
  for (Case c : {Case{1, true}, Case{89, true}, Case{91, false}, Case{300, false}}) {
    CAPTURE(c.days_left);
    TempDir dir;
    Pki first = load_or_create_pki(dir.path());
    fs::path pki_dir = dir.path() / "pki";
    PkeyPtr key = parse_key_pem(first.client_key_pem);
    std::string written = client_cert_valid_for(pki_dir, *key, c.days_left);
    REQUIRE_FALSE(written.empty());
    std::ofstream(pki_dir / "client-admin.crt", std::ios::trunc) << written;
    Pki second = load_or_create_pki(dir.path());
    CHECK((second.client_cert_pem != written) == c.renewed);
    CHECK(second.ca_cert_pem == first.ca_cert_pem);
  }
}
