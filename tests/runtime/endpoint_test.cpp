#include "runtime/cluster/endpoint.h"

#include <doctest/doctest.h>

using claw::cluster::describe;
using claw::cluster::Endpoint;

TEST_CASE("endpoint: described by its server and kinds of credential, never their values") {
  Endpoint e;
  e.server = "https://10.0.0.5:6443";
  CHECK(describe(e) == "https://10.0.0.5:6443 (no credentials)");
  e.client_cert_pem = "-----BEGIN CERTIFICATE-----CANARY-CERT";
  e.client_key_pem = "-----BEGIN EC PRIVATE KEY-----CANARY-KEY";
  e.token = "CANARY-TOKEN";
  e.username = "admin";
  e.password = "CANARY-PASSWORD";
  e.insecure = true;
  const std::string text = describe(e);
  CHECK(text == "https://10.0.0.5:6443 (client certificate, bearer token, basic auth, certificate not verified)");
  for (const char* canary : {"CANARY", "admin", "BEGIN"}) CHECK(text.find(canary) == std::string::npos);
}
