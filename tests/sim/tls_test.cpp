#include "runtime/sim/tls.h"
#include "runtime/sim/x509_pem.h"
#include "tests/sim/temp_dir.h"

#include <doctest/doctest.h>
#include <httplib.h>

#include <chrono>
#include <optional>
#include <thread>

using namespace claw::sim;
using claw::sim::testing::TempDir;

namespace {

// An HTTPS server on 127.0.0.1 and a free port whose one handler answers 200
// to an authenticated client and 401 to any other, as the sim's router does.
class TestServer {
 public:
  explicit TestServer(const Pki& pki) : server_([&pki](SSL_CTX& ctx) { return configure_server_tls(ctx, pki); }) {
    server_.Get("/", [this](const httplib::Request& req, httplib::Response& res) {
      ++requests_;
      res.status = client_authenticated(req.ssl) ? 200 : 401;
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    for (int i = 0; i < 500 && !server_.is_running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  ~TestServer() {
    server_.stop();
    thread_.join();
  }
  bool valid() const { return server_.is_valid() && port_ > 0; }
  int port() const { return port_; }
  int requests() const { return requests_; }

 private:
  httplib::SSLServer server_;
  int port_ = -1;
  std::atomic<int> requests_{0};
  std::thread thread_;
};

X509_STORE* trust(const std::string& ca_pem) {
  X509_STORE* store = X509_STORE_new();
  X509Ptr ca = parse_cert_pem(ca_pem);
  X509_STORE_add_cert(store, ca.get());
  return store;
}

// GET / as a client trusting `ca_pem`, presenting `cert_pem`/`key_pem`
// when given; the status, or nothing when the connection failed.
std::optional<int> get(int port, const std::string& ca_pem, const std::string& cert_pem = {},
                       const std::string& key_pem = {}, int max_tls = 0) {
  X509Ptr cert = parse_cert_pem(cert_pem);
  PkeyPtr key = parse_key_pem(key_pem);
  std::unique_ptr<httplib::SSLClient> client =
      cert ? std::make_unique<httplib::SSLClient>("127.0.0.1", port, cert.get(), key.get())
           : std::make_unique<httplib::SSLClient>("127.0.0.1", port);
  client->set_ca_cert_store(trust(ca_pem));  // the client's context owns the store
  client->enable_server_certificate_verification(true);
  if (max_tls) SSL_CTX_set_max_proto_version(client->ssl_context(), max_tls);
  client->set_connection_timeout(5);
  httplib::Result res = client->Get("/");
  if (!res) return std::nullopt;
  return res->status;
}

}  // namespace

TEST_CASE("tls: the server lets in only clients with a certificate of its CA") {
  TempDir dir, other_dir;
  Pki pki = load_or_create_pki(dir.path());
  Pki other = load_or_create_pki(other_dir.path());
  TestServer server(pki);
  REQUIRE(server.valid());

  struct Case { const char* what; std::string cert, key; int status; };
  const Case cases[] = {
      {"the admin client certificate", pki.client_cert_pem, pki.client_key_pem, 200},
      {"no certificate", "", "", 401},
      {"another CA's client certificate", other.client_cert_pem, other.client_key_pem, 401},
      {"the server's own certificate, not one for clients", pki.server_cert_pem, pki.server_key_pem, 401},
  };
  int reached = 0;
  for (const Case& c : cases) {
    CAPTURE(c.what);
    std::optional<int> status = get(server.port(), pki.ca_cert_pem, c.cert, c.key);
    REQUIRE(status.has_value());
    CHECK(*status == c.status);
    CHECK(server.requests() == ++reached);
  }
}

TEST_CASE("tls: a client that does not trust the sim's CA, or speaks TLS 1.1, gets no connection") {
  TempDir dir, other_dir;
  Pki pki = load_or_create_pki(dir.path());
  Pki other = load_or_create_pki(other_dir.path());
  TestServer server(pki);
  REQUIRE(server.valid());
  CHECK_FALSE(get(server.port(), other.ca_cert_pem, pki.client_cert_pem, pki.client_key_pem).has_value());
  CHECK_FALSE(get(server.port(), pki.ca_cert_pem, pki.client_cert_pem, pki.client_key_pem, TLS1_1_VERSION).has_value());
  CHECK(get(server.port(), pki.ca_cert_pem, pki.client_cert_pem, pki.client_key_pem, TLS1_2_VERSION) == 200);
  CHECK(server.requests() == 1);
}

TEST_CASE("tls: a broken PEM is reported, not served") {
  TempDir dir;
  Pki pki = load_or_create_pki(dir.path());
  struct Case { const char* what; Pki pki; };
  Pki no_key = pki, bad_ca = pki, swapped = pki;
  no_key.server_key_pem = "";
  bad_ca.ca_cert_pem = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
  swapped.server_key_pem = pki.client_key_pem;
  for (const Case& c : {Case{"no key", no_key}, Case{"bad CA", bad_ca}, Case{"key of another certificate", swapped}}) {
    CAPTURE(c.what);
    SSL_CTX* ctx = SSL_CTX_new(TLS_method());
    std::string error;
    CHECK_FALSE(configure_server_tls(*ctx, c.pki, &error));
    CHECK_FALSE(error.empty());
    SSL_CTX_free(ctx);
  }
  CHECK_FALSE(client_authenticated(nullptr));
}
