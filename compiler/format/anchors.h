// What the layout needs from the parse, as byte offsets: where each
// statement-like unit begins (a top-level item, a member of a block, a field
// of a type, a value of an enum), which the layout starts on a line of its
// own and never indents as a continuation; and which `{` open a map type
// (`{string: int}`), written tight like a list type rather than as a block.
#pragma once

#include <cstdint>
#include <vector>

#include "compiler/syntax/ast.h"

namespace claw::format {

/// Byte offsets into one file, each list sorted and without duplicates.
struct Anchors {
  std::vector<uint32_t> member_starts;  // items, members, fields and enum values
  std::vector<uint32_t> map_types;      // the `{` of each map type
};

/// The anchors of a parsed file.
Anchors anchors(const syntax::File& file);

}  // namespace claw::format
