// write_kubeconfig (declared in pki.h): the kubeconfig that lets kubectl
// reach the sim with its admin client certificate.

#include "runtime/sim/atomic_file.h"
#include "runtime/sim/pki.h"

#include <openssl/evp.h>
#include <yaml-cpp/yaml.h>

namespace claw::sim {
namespace {

// The one name of the kubeconfig's cluster, user and context.
constexpr const char* kName = "claw-sim";

// Standard base64 without line breaks, as the `*-data` fields hold
// (client-go clientcmd/api/v1 types.go: []byte fields are base64 in YAML).
std::string base64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

// A `- name: ..., <field>: {...}` entry of clusters/users/contexts.
void named_entry(YAML::Emitter& out, const char* field, const std::vector<std::pair<const char*, std::string>>& body) {
  // Keys sorted, as kubectl writes them: `name` before `user`, after `cluster`.
  bool name_first = std::string_view("name") < field;
  out << YAML::BeginMap;
  if (name_first) out << YAML::Key << "name" << YAML::Value << kName;
  out << YAML::Key << field << YAML::Value << YAML::BeginMap;
  for (const auto& [key, value] : body) out << YAML::Key << key << YAML::Value << value;
  out << YAML::EndMap;
  if (!name_first) out << YAML::Key << "name" << YAML::Value << kName;
  out << YAML::EndMap;
}

// The fields in the order `kubectl config view` prints them (sorted keys),
// following client-go tools/clientcmd/api/v1/types.go and KUBERNETES.md §4.1.
std::string kubeconfig_yaml(std::string_view server_url, const Pki& pki) {
  YAML::Emitter out;
  out << YAML::BeginMap;
  out << YAML::Key << "apiVersion" << YAML::Value << "v1";
  out << YAML::Key << "clusters" << YAML::Value << YAML::BeginSeq;
  named_entry(out, "cluster", {{"certificate-authority-data", base64(pki.ca_cert_pem)}, {"server", std::string(server_url)}});
  out << YAML::EndSeq;
  out << YAML::Key << "contexts" << YAML::Value << YAML::BeginSeq;
  named_entry(out, "context", {{"cluster", kName}, {"user", kName}});
  out << YAML::EndSeq;
  out << YAML::Key << "current-context" << YAML::Value << kName;
  out << YAML::Key << "kind" << YAML::Value << "Config";
  out << YAML::Key << "preferences" << YAML::Value << YAML::Flow << YAML::BeginMap << YAML::EndMap;
  out << YAML::Key << "users" << YAML::Value << YAML::BeginSeq;
  named_entry(out, "user",
              {{"client-certificate-data", base64(pki.client_cert_pem)}, {"client-key-data", base64(pki.client_key_pem)}});
  out << YAML::EndSeq;
  out << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

}  // namespace

void write_kubeconfig(const std::filesystem::path& file, std::string_view server_url, const Pki& pki) {
  write_file_atomic(file, kubeconfig_yaml(server_url, pki), 0600);
}

}  // namespace claw::sim
