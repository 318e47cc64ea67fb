#include "runtime/cluster/kubeconfig_endpoint.h"

#include <fmt/format.h>

#include "runtime/cluster/exec_credential.h"
#include "runtime/cluster/pem.h"

namespace claw::cluster {

namespace {

using Result = std::expected<void, std::string>;

// Names a cluster or user and the file it came from, for messages.
struct Subject {
  std::string kind;  // "cluster" or "user"
  const std::string& name;
  const std::string& origin;

  std::unexpected<std::string> error(const std::string& why) const {
    return std::unexpected(fmt::format("{} \"{}\" in kubeconfig {}: {}", kind, name, origin, why));
  }
};

// PEM bytes from a `-data` field (base64 of PEM, which overrides the file
// field: clientcmd/api/v1 types.go) or from the file the other field names.
std::expected<std::string, std::string> read_pem(const Subject& subject, const std::string& data_field,
                                                 const std::string& data, const std::string& file_field,
                                                 const std::string& path, const io::FileSystem& files) {
  std::string bytes;
  if (!data.empty()) {
    auto decoded = decode_base64(data);
    if (!decoded) return subject.error(fmt::format("`{}` is not valid base64 (it must be base64 of PEM)", data_field));
    bytes = std::move(*decoded);
    if (!looks_like_pem(bytes)) return subject.error(fmt::format("`{}` does not decode to PEM", data_field));
    return bytes;
  }
  if (path.empty()) return bytes;
  auto read = files.read(path);
  if (!read) return subject.error(fmt::format("cannot read `{}` {}: {}", file_field, path, read.error().message));
  if (!looks_like_pem(*read)) return subject.error(fmt::format("`{}` {} is not a PEM file", file_field, path));
  return std::move(*read);
}

// The scheme of `url` ("" when it has none).
std::string scheme_of(const std::string& url) {
  const size_t colon = url.find("://");
  return colon == std::string::npos ? std::string() : url.substr(0, colon);
}

// rest/url_utils.go defaultServerURL: a server without a scheme is https
// when TLS is configured (a CA, or insecure), else http; the trailing
// slash is dropped, as the Endpoint keeps none.
std::expected<std::string, std::string> server_url(const Subject& subject, std::string server, bool tls) {
  if (server.empty()) return subject.error("it has no `server`; set it to the API server's URL, e.g. https://HOST:6443");
  const std::string scheme = scheme_of(server);
  if (scheme.empty()) server = (tls ? "https://" : "http://") + server;
  else if (scheme != "https" && scheme != "http")
    return subject.error(fmt::format("`server` has the scheme \"{}\"; use https://HOST:PORT", scheme));
  while (server.size() > scheme_of(server).size() + 3 && server.back() == '/') server.pop_back();
  return server;
}

// validation.go validateClusterInfo: http, https or socks5. The URL itself
// may hold a proxy password, so only its scheme is ever shown.
Result check_proxy(const Subject& subject, const std::string& proxy) {
  if (proxy.empty()) return {};
  const std::string scheme = scheme_of(proxy);
  if (scheme != "http" && scheme != "https" && scheme != "socks5")
    return subject.error(fmt::format("`proxy-url` has the scheme \"{}\"; it must be http, https or socks5", scheme));
  return {};
}

// transport/token_source.go reads a token file trimmed of white space and
// refuses an empty one.
std::expected<std::string, std::string> read_token_file(const Subject& subject, const std::string& path,
                                                        const io::FileSystem& files) {
  auto read = files.read(path);
  if (!read) return subject.error(fmt::format("cannot read `tokenFile` {}: {}", path, read.error().message));
  const size_t begin = read->find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) return subject.error(fmt::format("`tokenFile` {} is empty", path));
  const size_t end = read->find_last_not_of(" \t\r\n");
  return read->substr(begin, end - begin + 1);
}

Result apply_exec(const Subject& subject, const ExecConfig& exec, const EndpointInputs& in, Endpoint& out) {
  auto cred = run_exec_plugin(exec, out, in.env, in.runner, in.exec_timeout);
  if (!cred) return subject.error(cred.error());
  // Credentials set in the kubeconfig itself win over a plugin's
  // (exec.go's roundTripper keeps an Authorization header already set).
  if (out.token.empty() && out.username.empty()) out.token = cred->token;
  if (out.client_cert_pem.empty() && !cred->client_certificate_pem.empty()) {
    out.client_cert_pem = cred->client_certificate_pem;
    out.client_key_pem = cred->client_key_pem;
  }
  return {};
}

}  // namespace

Result apply_cluster(const std::string& name, const KubeCluster& cluster, const io::FileSystem& files, Endpoint& out) {
  const Subject subject{"cluster", name, cluster.origin};
  auto ca = read_pem(subject, "certificate-authority-data", cluster.certificate_authority_data,
                     "certificate-authority", cluster.certificate_authority, files);
  if (!ca) return std::unexpected(ca.error());
  // transport.go TLSConfigFor: a CA together with insecure is refused.
  if (cluster.insecure_skip_tls_verify && !ca->empty())
    return subject.error("it sets both a certificate authority and `insecure-skip-tls-verify: true`; remove one");
  auto server = server_url(subject, cluster.server, !ca->empty() || cluster.insecure_skip_tls_verify);
  if (!server) return std::unexpected(server.error());
  if (auto ok = check_proxy(subject, cluster.proxy_url); !ok) return ok;
  out.server = std::move(*server);
  out.ca_pem = std::move(*ca);
  out.insecure = cluster.insecure_skip_tls_verify;
  out.tls_server_name = cluster.tls_server_name;
  out.proxy_url = cluster.proxy_url;
  return {};
}

Result apply_user(const std::string& name, const KubeUser& user, const EndpointInputs& in, Endpoint& out) {
  const Subject subject{"user", name, user.origin};
  if (user.auth_provider)
    return subject.error(fmt::format(
        "it uses the auth-provider \"{}\", which claw does not support (kubectl 1.26 removed its in-tree providers); "
        "use an exec credential plugin (`exec`) instead",
        *user.auth_provider));
  auto cert = read_pem(subject, "client-certificate-data", user.client_certificate_data, "client-certificate",
                       user.client_certificate, in.files);
  if (!cert) return std::unexpected(cert.error());
  auto key = read_pem(subject, "client-key-data", user.client_key_data, "client-key", user.client_key, in.files);
  if (!key) return std::unexpected(key.error());
  // validation.go validateAuthInfo: a certificate needs its key.
  if (cert->empty() != key->empty())
    return subject.error(cert->empty() ? "it has a client key but no `client-certificate` or `client-certificate-data`"
                                       : "it has a client certificate but no `client-key` or `client-key-data`");
  std::string token = user.token;
  // tokenFile wins over token (clientcmd/api/v1 types.go).
  if (!user.token_file.empty()) {
    auto read = read_token_file(subject, user.token_file, in.files);
    if (!read) return std::unexpected(read.error());
    token = std::move(*read);
  }
  // validation.go: token and basic auth together are refused.
  if (!token.empty() && (!user.username.empty() || !user.password.empty()))
    return subject.error("more than one authentication method found (token and username/password); only one is allowed");
  out.client_cert_pem = std::move(*cert);
  out.client_key_pem = std::move(*key);
  out.token = std::move(token);
  out.username = user.username;
  out.password = user.password;
  if (user.exec) return apply_exec(subject, *user.exec, in, out);
  return {};
}

}  // namespace claw::cluster
