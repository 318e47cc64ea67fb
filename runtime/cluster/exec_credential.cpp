#include "runtime/cluster/exec_credential.h"

#include <fmt/format.h>

#include <map>
#include <nlohmann/json.hpp>

#include "runtime/cluster/pem.h"

namespace claw::cluster {

namespace {

constexpr std::string_view kV1 = "client.authentication.k8s.io/v1";
constexpr std::string_view kV1beta1 = "client.authentication.k8s.io/v1beta1";

// Where client-go's message for a missing plugin (exec.go
// installHintVerboseHelp) sends the user.
constexpr std::string_view kPluginDocs =
    "https://kubernetes.io/docs/reference/access-authn-authz/authentication/#client-go-credential-plugins";

// The stanza's own rules, as clientcmd's validateAuthInfo and exec.go's
// newAuthenticator check them.
std::expected<void, std::string> check_config(const ExecConfig& config) {
  if (config.command.empty()) return std::unexpected("exec: `command` must be set to use an exec credential plugin");
  if (!is_exec_api_version(config.api_version))
    return std::unexpected(fmt::format("exec plugin {}: invalid apiVersion \"{}\" (use {} or {})", config.command,
                                       config.api_version, kV1, kV1beta1));
  const std::string& mode = config.interactive_mode;
  // interactiveMode is required in v1 and defaults to IfAvailable in v1beta1.
  if (mode.empty() && config.api_version == kV1)
    return std::unexpected(fmt::format("exec plugin {}: `interactiveMode` must be set with apiVersion {}",
                                       config.command, kV1));
  if (!mode.empty() && mode != "Never" && mode != "IfAvailable" && mode != "Always")
    return std::unexpected(fmt::format(
        "exec plugin {}: invalid interactiveMode \"{}\" (use Never, IfAvailable or Always)", config.command, mode));
  // client-go refuses Always when stdin is not a terminal; claw never gives
  // a plugin its stdin.
  if (mode == "Always")
    return std::unexpected(fmt::format(
        "exec plugin {}: interactiveMode Always is not supported: claw runs plugins without a terminal; use "
        "IfAvailable or Never",
        config.command));
  return {};
}

std::vector<std::string> child_environment(const ExecConfig& config, const Endpoint& cluster,
                                           const Environment& env) {
  // os/exec keeps the last value of a name given twice: the stanza's env
  // overrides the process's, and KUBERNETES_EXEC_INFO comes last.
  std::map<std::string, std::string> vars = env.vars;
  for (const auto& [name, value] : config.env) vars[name] = value;
  vars["KUBERNETES_EXEC_INFO"] = exec_info_json(config, cluster);
  std::vector<std::string> out;
  out.reserve(vars.size());
  for (const auto& [name, value] : vars) out.push_back(name + "=" + value);
  return out;
}

std::string string_field(const nlohmann::json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

bool is_exec_api_version(std::string_view api_version) { return api_version == kV1 || api_version == kV1beta1; }

// Fields as client.authentication.k8s.io/v1 ExecCredentialSpec and Cluster
// (pkg/apis/clientauthentication/v1/types.go) name them; `interactive` is
// always written, the cluster's optional fields only when set.
std::string exec_info_json(const ExecConfig& config, const Endpoint& cluster) {
  nlohmann::ordered_json spec = nlohmann::ordered_json::object();
  if (config.provide_cluster_info) {
    nlohmann::ordered_json c = {{"server", cluster.server}};
    if (!cluster.tls_server_name.empty()) c["tls-server-name"] = cluster.tls_server_name;
    if (cluster.insecure) c["insecure-skip-tls-verify"] = true;
    if (!cluster.ca_pem.empty()) c["certificate-authority-data"] = encode_base64(cluster.ca_pem);
    if (!cluster.proxy_url.empty()) c["proxy-url"] = cluster.proxy_url;
    spec["cluster"] = std::move(c);
  }
  spec["interactive"] = false;
  nlohmann::ordered_json doc = {{"kind", "ExecCredential"}, {"apiVersion", config.api_version}, {"spec", spec}};
  return doc.dump();
}

// The checks and messages of exec.go's refreshCredsLocked.
std::expected<ExecCredentialStatus, std::string> parse_exec_credential(std::string_view out, const ExecConfig& config) {
  const auto fail = [&](std::string_view why) {
    return std::unexpected(fmt::format("exec plugin {}: {}", config.command, why));
  };
  const nlohmann::json doc = nlohmann::json::parse(out, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return fail("its output is not an ExecCredential in JSON");
  const std::string api_version = string_field(doc, "apiVersion");
  if (api_version.empty()) return fail("its output has no apiVersion");
  if (string_field(doc, "kind") != "ExecCredential") return fail("its output is not of kind ExecCredential");
  if (api_version != config.api_version)
    return fail(fmt::format("it is configured to use API version {}, the plugin returned version {}",
                            config.api_version, api_version));
  auto status = doc.find("status");
  if (status == doc.end() || !status->is_object()) return fail("it didn't return a status field");
  ExecCredentialStatus cred{string_field(*status, "token"), string_field(*status, "clientCertificateData"),
                            string_field(*status, "clientKeyData")};
  if (cred.token.empty() && cred.client_certificate_pem.empty() && cred.client_key_pem.empty())
    return fail("it didn't return a token or cert/key pair");
  if (cred.client_certificate_pem.empty() != cred.client_key_pem.empty())
    return fail("it returned only certificate or key, not both");
  if (!cred.client_certificate_pem.empty() &&
      (!looks_like_pem(cred.client_certificate_pem) || !looks_like_pem(cred.client_key_pem)))
    return fail("its clientCertificateData or clientKeyData is not PEM");
  return cred;
}

std::expected<ExecCredentialStatus, std::string> run_exec_plugin(const ExecConfig& config, const Endpoint& cluster,
                                                                  const Environment& env, CommandRunner& runner,
                                                                  std::chrono::milliseconds timeout) {
  if (auto ok = check_config(config); !ok) return std::unexpected(ok.error());
  Command command{config.command, config.args, child_environment(config, cluster, env), timeout};
  auto ran = runner.run(command);
  // Messages as exec.go's wrapCmdRunErrorLocked words them.
  if (!ran) {
    if (!ran.error().not_found)
      return std::unexpected(fmt::format("exec: could not run {}: {}", config.command, ran.error().message));
    std::string message = fmt::format("exec: executable {} not found; install this client-go credential plugin (see {})",
                                      config.command, kPluginDocs);
    if (!config.install_hint.empty()) message += "\n\n" + config.install_hint;
    return std::unexpected(message);
  }
  if (ran->timed_out)
    return std::unexpected(
        fmt::format("exec: executable {} did not finish within {} s and was killed", config.command,
                    std::chrono::duration_cast<std::chrono::seconds>(timeout).count()));
  if (ran->exit_code != 0)
    return std::unexpected(
        fmt::format("exec: executable {} failed with exit code {}", config.command, ran->exit_code));
  return parse_exec_credential(ran->out, config);
}

}  // namespace claw::cluster
