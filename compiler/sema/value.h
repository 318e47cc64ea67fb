// Types and values of the checked language. Values are what sema evaluates
// every expression to; the model (sema/model.h) is built from them, and chart
// values are handed to the emitters as value trees.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "compiler/source/source.h"

namespace claw::syntax {
struct Expr;
}

namespace claw::sema {

using source::Span;

/// What a reference names: the namespaces of declarations.
enum class RefKind : uint8_t { Cluster, Machine, Role, Workload, Chart, Secret, Resource };
std::string_view ref_kind_name(RefKind kind);

enum class TypeKind : uint8_t {
  Error,     // poison: checks against it pass silently
  Any,       // open values (chart values without a schema)
  Int, Float, Bool, String,
  Bytes, Cpu, Duration,     // quantities with units
  Taint,                    // "key=value:Effect"
  Toleration,               // "key", "key=value", "key=value:Effect"
  Schedule,                 // a cron schedule, five fields
  EnvValue,                 // string, number, bool, or secret("...")
  Enum, List, Map, Record, Ref,
  SecretRef,                // secret("name")
};

struct EnumDef {
  std::string name;
  std::vector<std::string> values;
  Span span;
  /// Index of `value`, or -1.
  int find(std::string_view value) const;
};

struct Type;
struct RecordDef;
struct Value;

struct FieldDef {
  std::string name;
  const Type* type = nullptr;
  const syntax::Expr* default_expr = nullptr;  // evaluated once, before any declaration
  Span span;
};

struct RecordDef {
  std::string name;
  const RecordDef* parent = nullptr;
  std::vector<FieldDef> fields;  // inherited fields first, flattened
  int shorthand = -1;            // field a bare value stands for
  int rest = -1;                 // a map field that takes the keys no field is named for (an open record), or -1
  Span span;
  bool resolved = false;
  /// Position of a field by name, or -1. Needs index_fields() after the
  /// fields last changed.
  int find(std::string_view field) const;
  /// Builds the table find() reads.
  void index_fields();
  bool is_a(const RecordDef* ancestor) const;

 private:
  // Open addressing over field positions (-1: empty), a power of two at
  // least four times the field count: every declaration looks up each of its
  // keys here, and the model reads dozens of fields per declaration, so a
  // lookup is a short hash and one or two probes, without allocating.
  std::vector<int> slots_;
};

struct Type {
  TypeKind kind = TypeKind::Error;
  bool optional = false;
  const EnumDef* enum_def = nullptr;
  const RecordDef* record = nullptr;
  const Type* elem = nullptr;  // List element, Map value
  RefKind ref = RefKind::Machine;
  std::optional<int64_t> lo, hi;  // Int ranges
};

/// Human name of a type: `int(1..65535)`, `[string]`, `machine`, ...
std::string type_name(const Type* t);

/// An evaluated value. Aggregates share their parts (values are immutable
/// once built), so copies are cheap.
struct Value {
  enum class Kind : uint8_t {
    Poison,    // an error was reported for it; later checks skip it
    Unknown,   // a template parameter while the template is checked alone
    Null, Int, Float, Bool, String,
    Bytes,     // i: bytes
    Cpu,       // i: millicores
    Duration,  // i: milliseconds
    Enum,      // i: index into enum_def
    List, Map, Record,  // i: the value's size (see value_size)
    Ref,       // s: the declaration's name
    SecretRef, // s: the secret's name
  };
  Kind kind = Kind::Null;
  RefKind ref = RefKind::Machine;  // Ref: its namespace (beside kind, so that a Value packs into 128 bytes)
  Span span;
  int64_t i = 0;
  double f = 0;
  std::string s;
  const EnumDef* enum_def = nullptr;
  const RecordDef* record = nullptr;
  std::shared_ptr<std::vector<Value>> items;        // List items, Map values, Record fields by index
  std::shared_ptr<std::vector<std::string>> keys;  // Map keys, parallel to items
  std::shared_ptr<std::vector<Span>> key_spans;    // where each Map key was written

  // Provided, not defaulted: value-initializing a Value (each item of a new
  // record, of which checking makes millions) then sets just the members
  // above, rather than first clearing the whole object.
  Value() noexcept {}

  static Value poison(Span s) { Value v; v.kind = Kind::Poison; v.span = s; return v; }
  static Value unknown(Span s) { Value v; v.kind = Kind::Unknown; v.span = s; return v; }
  bool bad() const { return kind == Kind::Poison || kind == Kind::Unknown; }
  bool is_null() const { return kind == Kind::Null; }

  /// Record field by name; a Null value when unset or absent.
  const Value& field(std::string_view name) const;
  /// Record field by position (as RecordDef::find gives it); a Null value
  /// when the position is -1.
  const Value& at(int position) const;
  /// Map entry by key, or nullptr.
  const Value* entry(std::string_view key) const;
  std::string_view enum_name() const { return enum_def ? std::string_view(enum_def->values[i]) : std::string_view(); }
};

/// Where a map value's i-th key was written, or `fallback` when it was not
/// recorded.
Span key_span(const Value& map, size_t i, Span fallback);

/// The canonical text of a scalar value: "24GiB", "500m", "30s", "redis".
std::string value_text(const Value& v);

/// The logical size of a value, about the bytes it takes in the output: one
/// per value, plus a string's bytes, a map's keys and an aggregate's items,
/// counting a shared part each time it appears. O(1): a list, map or record
/// keeps its size in `i`, set by seal_size once its items are final.
uint64_t value_size(const Value& v);

/// Sets an aggregate's size (`i`) from its items and keys, saturating.
void seal_size(Value& v);

/// a + b, saturating: sizes of shared values can exceed 64 bits.
inline uint64_t size_sum(uint64_t a, uint64_t b) { return a + b < a ? UINT64_MAX : a + b; }

}  // namespace claw::sema
