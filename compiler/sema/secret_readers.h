// Who reads each `secret` declaration, and so where its Kubernetes Secret is
// made: one answer for secrets.json, the object-name check and the
// unused-secret warning.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "compiler/sema/model.h"

namespace claw::sema {

/// One use of a secret: a workload's env var (main container or an extra
/// one), an `env-ref`, an `env-from` or a volume naming it, or a chart's
/// values. Charts read it through their values Secret, in kube-system.
struct SecretReader {
  const Workload* workload = nullptr;  // null for a chart
  const Chart* chart = nullptr;
  std::string how;                     // "env", "env-ref", "env-from", "volume"
  std::string what;                    // the env var or volume name; empty for env-from and charts
};

/// Per secret (by id), its readers in declaration order.
std::vector<std::vector<SecretReader>> secret_readers(const Model& model);

/// The secrets one workload reads (by id, in the order secret_readers meets
/// them), `by_name` giving each secret's id by name.
std::vector<uint32_t> secrets_read(const Workload& w, const std::unordered_map<std::string_view, size_t>& by_name);

}  // namespace claw::sema
