#pragma once
// The columns and cells kube-apiserver 1.31 serves in a Table for the
// built-in kinds `kubectl get` is most used with, as
// pkg/printers/internalversion/printers.go registers them.

#include "runtime/sim/human_duration.h"
#include "runtime/sim/json_schema.h"

#include <functional>
#include <optional>
#include <string_view>

namespace claw::sim {

// One kind's column definitions and the function that makes one row
// (`{"cells": [...]}`, plus `conditions` where printers.go sets them).
struct Printer {
  Json columns;
  std::function<Json(const Json& object, TimePoint now)> row;
};

// The printer of `group`/`kind` (any version), or nullopt when printers.go
// has none here and the apiserver's default table convertor applies.
std::optional<Printer> builtin_printer(std::string_view group, std::string_view kind);

// metav1.ObjectMeta's description of `field` in the embedded OpenAPI document.
std::string object_meta_doc(std::string_view field);

}  // namespace claw::sim
