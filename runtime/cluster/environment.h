// The process environment as a value, so that what claw reads from it
// (KUBECONFIG, HOME, and what an exec plugin inherits) can be faked in tests.
#pragma once

#include <map>
#include <optional>
#include <string>

namespace claw::cluster {

struct Environment {
  /// Variable name → value.
  std::map<std::string, std::string> vars;

  /// The value of `name`, or nothing when it is unset.
  std::optional<std::string> get(const std::string& name) const;
  /// The environment of the running process.
  static Environment current();
};

}  // namespace claw::cluster
