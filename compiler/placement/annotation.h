// Where each replica of a workload was placed, recorded on its controller
// object as the annotation `claw.dev/placement`, so that `claw plan` reads
// the placement a cluster runs now from the live objects (and keeps it:
// previous.h) and shows moves replica by replica, GPU cards included,
// which node affinity alone cannot say.
//
// The value lists the replicas in order, comma-separated: a machine name,
// then its card indices in brackets when the replica holds GPU cards:
// `gpu-box[0], gpu-box[1]`, `panda, studio`.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/placement/previous.h"

namespace claw::placement {

inline constexpr std::string_view kPlacementAnnotation = "claw.dev/placement";

/// The annotation's value for replicas placed at `replicas`, in order.
std::string placement_annotation(const std::vector<Where>& replicas);

/// The replicas an annotation's value lists; nullopt when it is not one
/// claw wrote.
std::optional<std::vector<Where>> parse_placement_annotation(std::string_view value);

/// `gpu-box card 0`, `gpu-box cards 0, 1`, `panda`: a place as plans say it.
std::string describe(const Where& where);

}  // namespace claw::placement
