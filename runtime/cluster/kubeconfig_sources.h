// Which kubeconfig files claw reads, by kubectl's precedence
// (clientcmd loader.go NewDefaultClientConfigLoadingRules and Load).
#pragma once

#include <expected>
#include <string>
#include <vector>

#include "compiler/io/filesystem.h"
#include "runtime/cluster/environment.h"

namespace claw::cluster {

struct KubeconfigSources {
  /// The files to read, in merge order (the first wins); only files that exist.
  std::vector<std::string> files;
  /// Where the list came from, for messages: "--kubeconfig", "KUBECONFIG"
  /// or "~/.kube/config".
  std::string origin;
};

/// `explicit_path` (`--kubeconfig`, which must exist) if set; else the
/// `KUBECONFIG` list split on ':' (empty entries and repeats dropped,
/// missing files skipped, at least one must exist); else `$HOME/.kube/config`
/// (which must exist). The error says which file is missing and where its
/// name came from.
std::expected<KubeconfigSources, std::string> choose_kubeconfig_files(const std::string& explicit_path,
                                                                      const Environment& env,
                                                                      const io::FileSystem& files);

}  // namespace claw::cluster
