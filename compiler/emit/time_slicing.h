// The NVIDIA device plugin's time-slicing configuration for the cards that
// placement packed sharing workloads onto (`gpu { share = true }`).
//
// Time-slicing is configured per machine: every card of a machine whose
// config slices is advertised `replicas` times as `nvidia.com/gpu`. So:
// - a machine where some card carries two or more sharing replicas gets the
//   config `time-sliced-<N>`, N the most sharers on one of its cards (the
//   sum of the `nvidia.com/gpu` requests there then fits exactly);
// - other GPU machines get `exclusive` (no sharing);
// - the config most machines use is the plugin's default; the others are
//   chosen by the node label `nvidia.com/device-plugin.config=<name>`, which
//   the join scripts set.
// Time-slicing does not isolate memory: placement's VRAM budget per card
// (the driver's reserve kept free) is the only guard.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "compiler/placement/placement.h"
#include "compiler/sema/model.h"

namespace claw::emit {

inline constexpr const char* kDevicePluginConfigLabel = "nvidia.com/device-plugin.config";

struct TimeSlicing {
  std::map<std::string, int> configs;                  // name -> replicas per card (1: exclusive)
  std::string default_config;                          // empty when nothing is shared
  std::map<std::string, std::string> machine_config;   // GPU machine name -> config name
  bool empty() const { return default_config.empty(); }
  /// The node labels `machine` needs for its config (none for the default).
  std::map<std::string, std::string> node_labels(const std::string& machine) const;
};

/// The time-slicing configs the placement needs; empty when no card carries
/// two or more sharing replicas.
TimeSlicing time_slicing(const sema::Model& model, const placement::Placement& placement);

/// The device plugin's config file for `replicas` slices per card.
std::string time_slicing_config(int replicas);

/// `chart` with `config.map` and `config.default` set from `slicing`, when it
/// is the NVIDIA device plugin chart, something is shared, and its values
/// leave `config` unset (values that set it are the program's own choice).
sema::Chart with_time_slicing(const sema::Chart& chart, const TimeSlicing& slicing);

}  // namespace claw::emit
