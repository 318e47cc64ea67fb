#pragma once
// The Table columns of custom resources: a CRD version's
// additionalPrinterColumns, evaluated as apiextensions-apiserver's
// tableconvertor does, over the JSONPath subset CRDs use in practice.

#include "runtime/sim/table_printers.h"

#include <optional>
#include <string_view>
#include <vector>

namespace claw::sim {

// The values a JSONPath (`.a.b`, `.a[0].b`, `.a[*].b`, `['a.b']`,
// `.a[?(@.type=="Ready")].status`) selects in `object`, in document order;
// nullopt when the path is outside that subset.
std::optional<std::vector<const Json*>> eval_json_path(std::string_view path, const Json& object);

// The printer for a CRD version's `additionalPrinterColumns` (empty: the
// served default, an Age column), or nullopt when a column's JSONPath is
// outside the subset above.
std::optional<Printer> crd_printer(const Json& printer_columns);

}  // namespace claw::sim
