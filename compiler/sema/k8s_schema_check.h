// Holding a value tree written as `any` (a core-kind `resource` body, a
// workload's `patch`) to the official Kubernetes schema (k8s/openapi.h):
// the checks a typed record gets, for fields claw does not model.
#pragma once

#include <string_view>

#include "compiler/diag/diagnostic.h"
#include "compiler/k8s/openapi.h"
#include "compiler/sema/value.h"

namespace claw::sema {

/// Reports each place `value` does not fit `type`: a field the object type
/// lacks (`unknown-field`, with the closest fields), a value of another
/// type (`type-mismatch`), a required field left out (`missing-field`).
/// `where` names the value in messages (`ConfigMap`, `patch.pod`). Objects
/// outside a list need their required fields only when `complete`; a list
/// item always does (a list replaces another whole).
void check_k8s_value(const Value& value, const k8s::SchemaType& type, std::string_view where, bool complete,
                     diag::Sink& sink);

/// The fields of `map` (a Map value) against object type `def`; required
/// fields are asked for only when `complete` (a patch sets some fields of
/// an object claw writes, and need not repeat the required ones).
void check_k8s_fields(const Value& map, const k8s::SchemaDef& def, Span owner, std::string_view where, bool complete,
                      diag::Sink& sink);

}  // namespace claw::sema
