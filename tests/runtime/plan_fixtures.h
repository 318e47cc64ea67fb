#pragma once
// Objects for the plan tests, in tests/runtime/data/plan/: what claw-sim
// (Kubernetes 1.31) returned for manifests of tests/golden/build/infra/
// (embedder's Deployment and Service, redis' StatefulSet, a Secret)
// applied server-side with field manager claw, then changed by the real
// kubectl 1.32 (`kubectl edit` of the image, `kubectl scale --replicas=5`,
// `kubectl label team=ml`), and the server's dry-run apply
// (`--dry-run=server --force-conflicts`) of the declared objects.

#include <nlohmann/json.hpp>

#include <fstream>
#include <string>
#include <string_view>

namespace claw::plan::test {

/// The fixture `name` (without `.json`); null when it cannot be read.
inline nlohmann::json fixture(std::string_view name) {
  std::ifstream in(std::string(CLAW_SOURCE_DIR) + "/tests/runtime/data/plan/" + std::string(name) + ".json");
  return nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
}

}  // namespace claw::plan::test
