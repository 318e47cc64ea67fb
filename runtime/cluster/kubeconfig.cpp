#include "runtime/cluster/kubeconfig.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "runtime/cluster/kubeconfig_endpoint.h"
#include "runtime/cluster/kubeconfig_file.h"
#include "runtime/cluster/kubeconfig_sources.h"

namespace claw::cluster {

namespace {

std::expected<Kubeconfig, std::string> read_merged(const KubeconfigSources& sources, const io::FileSystem& files) {
  Kubeconfig merged;
  for (const auto& path : sources.files) {
    auto text = files.read(path);
    if (!text)
      return std::unexpected(
          fmt::format("kubeconfig {} (from {}) cannot be read: {}", path, sources.origin, text.error().message));
    auto config = parse_kubeconfig(*text, path);
    if (!config) return std::unexpected(config.error());
    merge_kubeconfig(merged, *config);
  }
  return merged;
}

template <class T>
std::string names_of(const std::map<std::string, T>& map) {
  if (map.empty()) return "none";
  std::vector<std::string> names;
  for (const auto& [name, _] : map) names.push_back(name);
  return fmt::format("{}", fmt::join(names, ", "));
}

std::string where(const KubeconfigSources& sources) {
  return fmt::format("{} (from {})", fmt::join(sources.files, ", "), sources.origin);
}

// The context: `--context`, else current-context (clientcmd
// DirectClientConfig.getContextName), checked as validateContext does.
std::expected<std::pair<std::string, KubeContext>, std::string> pick_context(const Kubeconfig& config,
                                                                            const KubeconfigOptions& options,
                                                                            const KubeconfigSources& sources) {
  const std::string name = options.context.empty() ? config.current_context : options.context;
  if (name.empty())
    return std::unexpected(fmt::format("kubeconfig {} sets no current-context; pass --context NAME (known contexts: {})",
                                       where(sources), names_of(config.contexts)));
  auto it = config.contexts.find(name);
  if (it == config.contexts.end())
    return std::unexpected(fmt::format("context \"{}\" ({}) is not in kubeconfig {}; known contexts: {}", name,
                                       options.context.empty() ? "its current-context" : "from --context",
                                       where(sources), names_of(config.contexts)));
  const KubeContext& context = it->second;
  if (context.cluster.empty())
    return std::unexpected(fmt::format("context \"{}\" in kubeconfig {} names no cluster; set its `cluster`", name, context.origin));
  if (!config.clusters.count(context.cluster))
    return std::unexpected(fmt::format("context \"{}\" in kubeconfig {} names cluster \"{}\", which kubeconfig {} does not define; known clusters: {}",
                                       name, context.origin, context.cluster, where(sources), names_of(config.clusters)));
  if (context.user.empty())
    return std::unexpected(fmt::format("context \"{}\" in kubeconfig {} names no user; set its `user`", name, context.origin));
  if (!config.users.count(context.user))
    return std::unexpected(fmt::format("context \"{}\" in kubeconfig {} names user \"{}\", which kubeconfig {} does not define; known users: {}",
                                       name, context.origin, context.user, where(sources), names_of(config.users)));
  return std::pair{name, context};
}

}  // namespace

std::expected<ClusterAccess, std::string> load_cluster_access(const KubeconfigOptions& options,
                                                              const Environment& env, const io::FileSystem& files,
                                                              CommandRunner& runner) {
  auto sources = choose_kubeconfig_files(options.kubeconfig, env, files);
  if (!sources) return std::unexpected(sources.error());
  auto config = read_merged(*sources, files);
  if (!config) return std::unexpected(config.error());
  auto picked = pick_context(*config, options, *sources);
  if (!picked) return std::unexpected(picked.error());
  const auto& [context_name, context] = *picked;

  ClusterAccess access;
  access.context = context_name;
  // An empty namespace means "default" (clientcmd DirectClientConfig.Namespace).
  access.namespace_ = context.namespace_.empty() ? "default" : context.namespace_;
  access.files = sources->files;
  access.source = sources->origin;
  if (auto ok = apply_cluster(context.cluster, config->clusters.at(context.cluster), files, access.endpoint); !ok)
    return std::unexpected(ok.error());
  const EndpointInputs inputs{files, env, runner, options.exec_timeout};
  if (auto ok = apply_user(context.user, config->users.at(context.user), inputs, access.endpoint); !ok)
    return std::unexpected(ok.error());
  return access;
}

}  // namespace claw::cluster
