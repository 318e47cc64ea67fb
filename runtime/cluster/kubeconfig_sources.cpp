#include "runtime/cluster/kubeconfig_sources.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

namespace claw::cluster {

namespace {

// k3s writes its kubeconfig there (docs.k3s.io cluster-access).
constexpr const char* kK3sHint =
    "pass --kubeconfig FILE or set KUBECONFIG (on a k3s server: /etc/rancher/k3s/k3s.yaml)";

std::vector<std::string> split_list(const std::string& value) {
  std::vector<std::string> out;
  size_t start = 0;
  for (;;) {
    const size_t colon = value.find(':', start);
    std::string item = value.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
    // loader.go skips empty names; NewDefaultClientConfigLoadingRules
    // deduplicates the list, keeping first occurrences.
    if (!item.empty() && std::find(out.begin(), out.end(), item) == out.end()) out.push_back(std::move(item));
    if (colon == std::string::npos) return out;
    start = colon + 1;
  }
}

}  // namespace

std::expected<KubeconfigSources, std::string> choose_kubeconfig_files(const std::string& explicit_path,
                                                                      const Environment& env,
                                                                      const io::FileSystem& files) {
  if (!explicit_path.empty()) {
    // loader.go: an explicit path that does not exist is an error.
    if (!files.exists(explicit_path))
      return std::unexpected(fmt::format("kubeconfig {} (from --kubeconfig) does not exist", explicit_path));
    return KubeconfigSources{{explicit_path}, "--kubeconfig"};
  }
  if (auto list = env.get("KUBECONFIG"); list && !list->empty()) {
    KubeconfigSources sources{{}, "KUBECONFIG"};
    const std::vector<std::string> names = split_list(*list);
    // loader.go skips the files of the list that do not exist.
    for (const auto& name : names)
      if (files.exists(name)) sources.files.push_back(name);
    if (sources.files.empty())
      return std::unexpected(fmt::format("no kubeconfig: none of the files KUBECONFIG names exists ({}); {}",
                                         names.empty() ? std::string("it lists none") : fmt::format("{}", fmt::join(names, ", ")),
                                         kK3sHint));
    return sources;
  }
  // clientcmd's RecommendedHomeFile, under homedir.HomeDir(): $HOME.
  const auto home = env.get("HOME");
  if (!home || home->empty())
    return std::unexpected(fmt::format("no kubeconfig: HOME is not set, so ~/.kube/config cannot be found; {}", kK3sHint));
  const std::string path = io::join_path(*home, ".kube/config");
  if (!files.exists(path))
    return std::unexpected(fmt::format("no kubeconfig: {} (the default, ~/.kube/config) does not exist; {}", path, kK3sHint));
  return KubeconfigSources{{path}, "~/.kube/config"};
}

}  // namespace claw::cluster
