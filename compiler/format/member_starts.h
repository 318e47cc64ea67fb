// Where the parse says a statement-like unit begins: each top-level item,
// each member of a block, each field of a type and each value of an enum.
// The layout puts each of these on its own line in a block written on
// several lines, and never indents one as the continuation of the line above.
#pragma once

#include <cstdint>
#include <vector>

#include "compiler/syntax/ast.h"

namespace claw::format {

/// The byte offsets at which the items, members, fields and enum values of
/// `file` begin, sorted and without duplicates.
std::vector<uint32_t> member_starts(const syntax::File& file);

}  // namespace claw::format
