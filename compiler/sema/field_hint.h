// What an unknown field's diagnostic suggests: a typo looks different from
// a field the record does not have at all.
#pragma once

#include <string_view>

#include "compiler/diag/diagnostic.h"
#include "compiler/sema/value.h"

namespace claw::sema {

/// How much of a record's field list a hint shows when no field is close:
/// whole names up to this many bytes, then "and N more" (the hint stays
/// well under the length at which diagnostics cut user text).
inline constexpr size_t kFieldsListBytes = 320;

/// Adds to `d` (an unknown field `key` of record `rec`, at `at`) the closest
/// fields as a did-you-mean with a fix to the closest or, when none is
/// close, the fields `rec` does have, in alphabetical order.
void hint_unknown_field(diag::Diagnostic& d, std::string_view key, source::Span at, const RecordDef& rec);

}  // namespace claw::sema
