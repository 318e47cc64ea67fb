// What the C++ code expects of the stdlib (stdlib/core.claw): the enums it
// reads as C++ enums (stdlib_enums.h), the record types it reads fields of
// by name, and those fields' types. Checked once, when the stdlib's types
// are resolved, so that an edit of the stdlib the C++ code does not follow
// is an error naming the stdlib's declaration rather than a wrong manifest.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <unordered_map>

#include "compiler/diag/diagnostic.h"
#include "compiler/sema/check.h"
#include "compiler/sema/stdlib_enums.h"
#include "compiler/sema/value.h"

namespace claw::sema {

/// A field the C++ code reads by name: record `record` has field `field` of
/// kind `kind`; when `enum_name` is set, the field's enum (or its list's
/// element enum) is that stdlib enum.
struct StdlibField {
  std::string_view record;
  std::string_view field;
  TypeKind kind;
  std::string_view enum_name = {};
};

/// The fields lowering, the builtin functions and the declaration schemas
/// read, one row each.
std::span<const StdlibField> stdlib_fields();

/// The record types named like each kind of declaration (`service`, ...).
std::span<const std::string_view> stdlib_schemas();

/// Checks `types` (the stdlib's enums and records by name, resolved) against
/// `enums` and `fields` and the schemas: reports a `stdlib-contract` error
/// for each enum, value, record or field the C++ code expects and the stdlib
/// lacks (or types otherwise), and for each value of a mapped enum the C++
/// code lacks; at the stdlib's declaration, or at `fallback` (the prelude)
/// when there is none. Whether everything matched.
bool check_stdlib_contract(const std::unordered_map<std::string, const Type*>& types,
                           std::span<const StdlibEnumRow> enums, std::span<const StdlibField> fields,
                           source::Span fallback, diag::Sink& sink);

/// The start of the program's first stdlib file (the prelude), or no span.
source::Span prelude_span(const Program& program);

}  // namespace claw::sema
