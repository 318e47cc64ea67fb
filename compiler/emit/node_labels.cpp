#include "compiler/emit/node_labels.h"

#include <string_view>

namespace claw::emit {
namespace {

// The label the NVIDIA device plugin's default node affinity looks for.
constexpr std::string_view kGpuLabel = "nvidia.com/gpu.present";

}  // namespace

std::map<std::string, std::string> node_labels(const sema::Machine& m, const std::map<std::string, std::string>& derived) {
  std::map<std::string, std::string> labels = m.labels;
  if (m.gpu_count() > 0) labels.emplace(kGpuLabel, "true");
  for (const auto& [k, v] : derived) labels.emplace(k, v);
  return labels;
}

}  // namespace claw::emit
