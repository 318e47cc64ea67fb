// What each position of a checked program means: the declarations, every
// reference resolved to the declaration it names, the record field each
// written key sets, and the type expected where a block or value is
// written. Made by sema when Program::index asks for it (the language
// server does; `claw check` and `claw build` do not pay for it).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "compiler/sema/value.h"

namespace claw::sema {

enum class SymbolKind : uint8_t {
  Cluster, Machine, Role, Workload, Chart, Secret, Resource,  // the declarations of RefKind
  Template, Let, Type, Enum, EnumValue, Param, Import,
};
std::string_view symbol_kind_name(SymbolKind kind);
/// The symbol kind of a declaration kind.
SymbolKind symbol_kind_of(RefKind kind);

/// A declared name: where it is declared and what it is.
struct Symbol {
  SymbolKind kind;
  std::string name;
  Span name_span;  // the name where it is declared (an import: its path string)
  Span decl_span;  // the whole declaration
  /// A short description for hover and symbol lists: `service`, `machine`,
  /// `let: int`, `template(...) service`.
  std::string detail;
  bool stdlib = false;  // declared in a stdlib file
  uint32_t parent = UINT32_MAX;  // an enum value's enum, a parameter's template
};

/// A written name resolved to the symbol it names.
struct Reference {
  Span span;
  uint32_t symbol;
};

/// A key written in a block, and the record field it sets.
struct FieldUse {
  Span span;
  const RecordDef* record;
  int field;
};

/// What is expected where a block or a value is written: a record type in
/// a block (its fields complete there), an enum or a reference kind at a
/// value (its values or the declared names complete there).
struct Expectation {
  Span span;
  const Type* type = nullptr;        // a value's, or a block's map or record type
  const RecordDef* record = nullptr;  // a declaration's body: its schema
};

/// The index of one checked program. Types and records point into the
/// model's type store (Model::types), which the index does not own: keep
/// the CheckResult whole while the index is read.
struct Index {
  /// What is recorded at the positions of one file.
  struct InFile {
    std::vector<Reference> refs;
    std::vector<FieldUse> fields;
    std::vector<Expectation> expected;
  };

  std::vector<Symbol> symbols;
  /// What checking recorded, in any order, until finish() moves it into
  /// `by_file`.
  std::vector<Reference> refs;
  std::vector<FieldUse> fields;
  std::vector<Expectation> expected;
  /// By FileId, in the order recorded within each file.
  std::vector<InFile> by_file;

  /// Moves `refs`, `fields` and `expected` into `by_file`, which the
  /// lookups below read.
  void finish();
  /// What is recorded in `file` (empty when nothing is).
  const InFile& in(source::FileId file) const;
  /// The symbol whose declared name is at `offset` of `file`, or nullptr.
  const Symbol* declared_at(source::FileId file, uint32_t offset) const;
  /// The reference at `offset` of `file` (the innermost), or nullptr.
  const Reference* ref_at(source::FileId file, uint32_t offset) const;
  /// The field key at `offset` of `file`, or nullptr.
  const FieldUse* field_at(source::FileId file, uint32_t offset) const;
  /// The innermost expectation whose span holds `offset`, or nullptr.
  const Expectation* expected_at(source::FileId file, uint32_t offset) const;
  /// The references to symbol `s`, in position order.
  std::vector<const Reference*> refs_to(uint32_t s) const;
  /// The symbol for `ref` (or the one declared at the position).
  const Symbol& symbol(uint32_t s) const { return symbols[s]; }
};

}  // namespace claw::sema
