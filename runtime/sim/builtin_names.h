#pragma once
// Short names and categories of the built-in resources: not in the OpenAPI
// document, so they come from one table (what `kubectl api-resources` prints
// against a Kubernetes 1.31 API server; each type's REST storage declares
// them in kubernetes/kubernetes pkg/registry/<group>/<resource>/storage).

#include <string>
#include <string_view>
#include <vector>

namespace claw::sim {

struct BuiltinNames {
  std::vector<std::string> short_names;
  std::vector<std::string> categories;
};

// The names of `plural` in `group`, or nullptr when it has none.
const BuiltinNames* builtin_names(std::string_view group, std::string_view plural);

}  // namespace claw::sim
