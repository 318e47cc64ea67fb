#include "runtime/cluster/kubeconfig_file.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <cstring>
#include <functional>

#include "compiler/io/filesystem.h"

namespace claw::cluster {

namespace {

// What reading a file's fields needs: where it is, and the first problem.
struct Reader {
  const std::string& path;
  std::string error;

  bool failed() const { return !error.empty(); }
  void fail(const std::string& where, const std::string& why) {
    if (error.empty()) error = fmt::format("kubeconfig {}: {}: {}", path, where, why);
  }

  // A scalar field; "" when absent or null.
  std::string text(const YAML::Node& map, const char* key, const std::string& where) {
    const YAML::Node node = map[key];
    if (!node || node.IsNull()) return {};
    if (!node.IsScalar()) {
      fail(where, fmt::format("`{}` must be a string", key));
      return {};
    }
    return node.Scalar();
  }

  bool flag(const YAML::Node& map, const char* key, const std::string& where) {
    const YAML::Node node = map[key];
    if (!node || node.IsNull()) return false;
    bool value = false;
    if (!node.IsScalar() || !YAML::convert<bool>::decode(node, value))
      fail(where, fmt::format("`{}` must be true or false", key));
    return value;
  }

  std::vector<std::string> strings(const YAML::Node& map, const char* key, const std::string& where) {
    std::vector<std::string> out;
    const YAML::Node node = map[key];
    if (!node || node.IsNull()) return out;
    if (!node.IsSequence()) {
      fail(where, fmt::format("`{}` must be a list of strings", key));
      return out;
    }
    for (const auto& item : node) {
      if (!item.IsScalar()) fail(where, fmt::format("`{}` must be a list of strings", key));
      else out.push_back(item.Scalar());
    }
    return out;
  }

  // A relative file path resolved against the kubeconfig's folder
  // (clientcmd ResolvePaths: empty and absolute paths are kept).
  std::string file(const YAML::Node& map, const char* key, const std::string& where) {
    std::string value = text(map, key, where);
    if (value.empty() || value.front() == '/') return value;
    return io::join_path(io::parent_dir(path), value);
  }
};

ExecConfig read_exec(Reader& r, const YAML::Node& node, const std::string& where) {
  ExecConfig exec;
  exec.api_version = r.text(node, "apiVersion", where);
  exec.command = r.text(node, "command", where);
  // Only a command holding a separator is a path; a bare name is looked up
  // on PATH (clientcmd GetAuthInfoFileReferences).
  if (exec.command.find('/') != std::string::npos && exec.command.front() != '/')
    exec.command = io::join_path(io::parent_dir(r.path), exec.command);
  exec.args = r.strings(node, "args", where);
  const YAML::Node env = node["env"];
  if (env && !env.IsNull()) {
    if (!env.IsSequence()) r.fail(where, "`exec.env` must be a list of {name, value}");
    else
      for (const auto& item : env) {
        if (!item.IsMap()) {
          r.fail(where, "`exec.env` must be a list of {name, value}");
          continue;
        }
        std::string name = r.text(item, "name", where);
        if (name.empty()) r.fail(where, "an `exec.env` entry has no name");
        exec.env.emplace_back(std::move(name), r.text(item, "value", where));
      }
  }
  exec.install_hint = r.text(node, "installHint", where);
  exec.provide_cluster_info = r.flag(node, "provideClusterInfo", where);
  exec.interactive_mode = r.text(node, "interactiveMode", where);
  return exec;
}

KubeCluster read_cluster(Reader& r, const YAML::Node& node, const std::string& where) {
  KubeCluster c;
  c.server = r.text(node, "server", where);
  c.certificate_authority = r.file(node, "certificate-authority", where);
  c.certificate_authority_data = r.text(node, "certificate-authority-data", where);
  c.insecure_skip_tls_verify = r.flag(node, "insecure-skip-tls-verify", where);
  c.tls_server_name = r.text(node, "tls-server-name", where);
  c.proxy_url = r.text(node, "proxy-url", where);
  c.origin = r.path;
  return c;
}

KubeUser read_user(Reader& r, const YAML::Node& node, const std::string& where) {
  KubeUser u;
  u.client_certificate = r.file(node, "client-certificate", where);
  u.client_certificate_data = r.text(node, "client-certificate-data", where);
  u.client_key = r.file(node, "client-key", where);
  u.client_key_data = r.text(node, "client-key-data", where);
  u.token = r.text(node, "token", where);
  u.token_file = r.file(node, "tokenFile", where);
  u.username = r.text(node, "username", where);
  u.password = r.text(node, "password", where);
  if (const YAML::Node exec = node["exec"]; exec && !exec.IsNull()) {
    if (!exec.IsMap()) r.fail(where, "`exec` must be a map");
    else u.exec = read_exec(r, exec, where);
  }
  if (const YAML::Node provider = node["auth-provider"]; provider && !provider.IsNull())
    u.auth_provider = provider.IsMap() ? r.text(provider, "name", where) : std::string();
  u.origin = r.path;
  return u;
}

KubeContext read_context(Reader& r, const YAML::Node& node, const std::string& where) {
  KubeContext c;
  c.cluster = r.text(node, "cluster", where);
  c.user = r.text(node, "user", where);
  c.namespace_ = r.text(node, "namespace", where);
  c.origin = r.path;
  return c;
}

// A named list (`clusters`, `users`, `contexts`): `{name, <field>: {...}}`
// each, into a map; a name listed twice is an error, as clientcmd/api/v1's
// conversion reports it.
template <class T>
void read_named(Reader& r, const YAML::Node& root, const char* list, const char* field, std::map<std::string, T>& out,
                const std::function<T(Reader&, const YAML::Node&, const std::string&)>& read) {
  const YAML::Node node = root[list];
  if (!node || node.IsNull()) return;
  if (!node.IsSequence()) return r.fail(fmt::format("`{}`", list), "must be a list");
  for (const auto& item : node) {
    if (!item.IsMap()) return r.fail(fmt::format("`{}`", list), "each entry must be a map with `name`");
    const std::string name = r.text(item, "name", fmt::format("`{}`", list));
    const std::string where = fmt::format("{} \"{}\"", std::string_view(list).substr(0, std::strlen(list) - 1), name);
    const YAML::Node body = item[field];
    T value = body && body.IsMap() ? read(r, body, where) : read(r, YAML::Node(YAML::NodeType::Map), where);
    if (body && !body.IsNull() && !body.IsMap()) r.fail(where, fmt::format("`{}` must be a map", field));
    if (!out.emplace(name, std::move(value)).second)
      r.fail(fmt::format("`{}`", list), fmt::format("the name \"{}\" is listed twice", name));
  }
}

}  // namespace

std::expected<Kubeconfig, std::string> parse_kubeconfig(std::string_view text, const std::string& path) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    return std::unexpected(fmt::format("kubeconfig {}:{}:{}: YAML syntax error: {}", path, e.mark.line + 1,
                                       e.mark.column + 1, e.msg));
  }
  Kubeconfig config;
  // An empty file is an empty kubeconfig (clientcmd Load).
  if (!root || root.IsNull()) return config;
  if (!root.IsMap()) return std::unexpected(fmt::format("kubeconfig {}: not a kubeconfig (a YAML map)", path));
  Reader r{path, {}};
  try {
    read_named<KubeCluster>(r, root, "clusters", "cluster", config.clusters, read_cluster);
    read_named<KubeUser>(r, root, "users", "user", config.users, read_user);
    read_named<KubeContext>(r, root, "contexts", "context", config.contexts, read_context);
    config.current_context = r.text(root, "current-context", "current-context");
  } catch (const YAML::Exception& e) {
    r.fail(fmt::format("line {}", e.mark.line + 1), e.msg);
  }
  if (r.failed()) return std::unexpected(r.error);
  return config;
}

// loader.go merges the files' maps in reverse order with override, so the
// first file to hold a name keeps it whole; current-context likewise.
void merge_kubeconfig(Kubeconfig& into, const Kubeconfig& later) {
  into.clusters.insert(later.clusters.begin(), later.clusters.end());
  into.users.insert(later.users.begin(), later.users.end());
  into.contexts.insert(later.contexts.begin(), later.contexts.end());
  if (into.current_context.empty()) into.current_context = later.current_context;
}

}  // namespace claw::cluster
