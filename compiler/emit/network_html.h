// DIR/network.html: the placement as a picture, one self-contained page
// (inline SVG and CSS, no script, nothing fetched) for people to read:
// each machine a box sized by its capacity, with its cards, the replicas
// placed on it and their shares, its taints and roles, utilisation bars
// and, when given, what losing it would do.
#pragma once

#include <string>
#include <vector>

#include "compiler/placement/placement.h"
#include "compiler/sema/model.h"

namespace claw::emit {

/// What losing one machine would do, as the page says it.
struct MachineVerdict {
  bool survives = true;  // every workload that may move still fits elsewhere
  std::string text;      // "survives its loss", "its loss strands `web` (...)"
};

/// The page for `model` placed as `placed`. `failover` holds a verdict per
/// machine, by MachineId; empty (or short), the pages leaves the line out
/// for the machines it does not cover. Every text from the program is
/// escaped (html_text); the same inputs always give the same bytes.
std::string network_html(const sema::Model& model, const placement::Placement& placed,
                         const std::vector<MachineVerdict>& failover = {});

}  // namespace claw::emit
