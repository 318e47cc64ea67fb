#include "runtime/cluster/endpoint.h"

#include <vector>

namespace claw::cluster {

std::string describe(const Endpoint& e) {
  std::vector<const char*> kinds;
  if (!e.client_cert_pem.empty()) kinds.push_back("client certificate");
  if (!e.token.empty()) kinds.push_back("bearer token");
  if (!e.username.empty()) kinds.push_back("basic auth");
  std::string out = e.server;
  out += " (";
  if (kinds.empty()) out += "no credentials";
  for (size_t i = 0; i < kinds.size(); ++i) {
    if (i) out += ", ";
    out += kinds[i];
  }
  if (e.insecure) out += ", certificate not verified";
  out += ")";
  return out;
}

}  // namespace claw::cluster
