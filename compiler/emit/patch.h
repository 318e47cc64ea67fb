// Merging a workload's `patch` (sema::WorkloadPatch) into the controller
// object claw makes for it: its tree is read into a yaml::Node, merged and
// made a tree again, keys sorted.
//
// Merge: a block merges into a map key by key; anything else (a scalar, a
// list, a block where claw wrote no map) replaces what claw wrote there.
// `container` merges into the first container, then `pod` into the pod
// spec, then `object` into the object's root.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "compiler/diag/diagnostic.h"
#include "compiler/emit/yaml_doc.h"
#include "compiler/placement/placement.h"
#include "compiler/sema/model.h"

namespace claw::emit {

/// A value of claw's that a patch replaced: the object path it was at
/// (`spec.template.spec.runtimeClassName`), what claw had written there
/// (one line of YAML, shortened), the patch's path, and where the patch
/// set it.
struct PatchOverride {
  std::string object_path;
  std::string claw_value;
  std::string patch_path;
  source::Span span;
};

/// Merges map value `patch` into `node` at `path`, recording each value of
/// claw's it replaces.
void merge_patch(yaml::Node& node, const sema::Value& patch, const std::string& path, const std::string& patch_path,
                 std::vector<PatchOverride>& overrides);

/// `controller`, the body of `w`'s controller object, with `w`'s patch
/// merged into it. What the patch replaces is added to `overrides` when it
/// is given.
Tree patch_tree(const Tree& controller, const sema::Workload& w, std::vector<PatchOverride>* overrides = nullptr);

/// Reports `patch-overrides` (a warning) at each patched field that
/// replaces a value claw writes, naming both: run by `claw check` and
/// `claw build` once placement is known (it decides part of the pod spec).
void check_patches(const sema::Model& model, const placement::Placement& placement, diag::Sink& sink);

}  // namespace claw::emit
