// DIR/join/<machine>.sh: per machine, the POSIX shell script that installs
// the k3s server, joins a k3s agent, or creates a single-host k3d cluster,
// with the node name, address, overlay interface, labels, taints and pinned
// version the program declares. The join token is never in a script.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "compiler/sema/model.h"

namespace claw::emit {

/// `s` as one POSIX shell word: single-quoted, each `'` written `'\''`. The
/// only way a model value enters a script.
std::string sh_quote(std::string_view s);


/// The join script of `m`, or nothing when `m` is not a k3s node (declared
/// `joined = false` or `k3s = none`, or the model has no cluster).
/// `extra_labels` are node labels the build derives (the device plugin's
/// config for time-sliced cards), set like the machine's own.
std::optional<std::string> join_script(const sema::Model& model, const sema::Machine& m,
                                       const std::map<std::string, std::string>& extra_labels = {});

}  // namespace claw::emit
