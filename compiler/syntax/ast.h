// The syntax tree: what the source says, with a byte span on every node and
// every comment kept, before any name or type is resolved. Produced by
// syntax::parse_file, read by sema and (later) the formatter and the
// language server.
#pragma once

#include <cstdint>
#include <cstddef>
#include <memory>
#include <new>
#include <type_traits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/source/source.h"

namespace claw::syntax {

using source::Span;

/// An identifier or a string used as a name, with where it was written.
struct Name {
  std::string text;
  Span span;
  bool quoted = false;  // written as a string literal ("node-role")
};

enum class DeclKind : uint8_t { Cluster, Machine, Role, Service, Job, Cron, Daemon, Chart, Secret, Resource };
std::string_view decl_kind_name(DeclKind kind);

// ------------------------------------------------------------ expressions

enum class ExprKind : uint8_t {
  Int, Float, Quantity, String, Bool, Null,
  Ref,          // a name: a let, a parameter, an enum value or a declaration
  Field,        // base.name
  Index,        // base[index]
  Call,         // name(args)
  TypedRecord,  // name { members }
  List,         // [a, b]
  Record,       // { members }
  Unary,        // -x
  Binary,       // a + b
  Error,        // a part that did not parse; checked as poison
};

struct Block;

struct Expr {
  ExprKind kind;
  Span span;
  explicit Expr(ExprKind k, Span s) : kind(k), span(s) {}
  virtual ~Expr() = default;
};

struct IntExpr final : Expr {
  int64_t value;
  IntExpr(Span s, int64_t v) : Expr(ExprKind::Int, s), value(v) {}
};

struct FloatExpr final : Expr {
  double value;
  FloatExpr(Span s, double v) : Expr(ExprKind::Float, s), value(v) {}
};

/// A number with a unit suffix, e.g. 24GiB or 500m; the unit is checked later.
struct QuantityExpr final : Expr {
  double number;
  bool integral;
  std::string unit;
  Span unit_span;
  QuantityExpr(Span s, double n, bool i, std::string u, Span us)
      : Expr(ExprKind::Quantity, s), number(n), integral(i), unit(std::move(u)), unit_span(us) {}
};

/// A piece of a string: literal text, or an interpolated expression.
struct StringPart {
  std::string text;
  Expr* expr = nullptr;  // non-null for ${...}
};

struct StringExpr final : Expr {
  std::vector<StringPart> parts;
  explicit StringExpr(Span s) : Expr(ExprKind::String, s) {}
  /// The literal text when the string has no interpolation.
  std::optional<std::string_view> literal() const {
    if (parts.empty()) return std::string_view{};
    if (parts.size() == 1 && !parts[0].expr) return std::string_view{parts[0].text};
    return std::nullopt;
  }
};

struct BoolExpr final : Expr {
  bool value;
  BoolExpr(Span s, bool v) : Expr(ExprKind::Bool, s), value(v) {}
};

struct NullExpr final : Expr {
  explicit NullExpr(Span s) : Expr(ExprKind::Null, s) {}
};

struct RefExpr final : Expr {
  Name name;
  explicit RefExpr(Name n) : Expr(ExprKind::Ref, n.span), name(std::move(n)) {}
};

struct FieldExpr final : Expr {
  Expr* base;
  Name field;
  FieldExpr(Span s, Expr* b, Name f) : Expr(ExprKind::Field, s), base(b), field(std::move(f)) {}
};

struct IndexExpr final : Expr {
  Expr* base;
  Expr* index;
  IndexExpr(Span s, Expr* b, Expr* i) : Expr(ExprKind::Index, s), base(b), index(i) {}
};

struct Arg {
  std::optional<Name> name;  // for named arguments
  Expr* value;
};

struct CallExpr final : Expr {
  Name callee;
  std::vector<Arg> args;
  CallExpr(Span s, Name c) : Expr(ExprKind::Call, s), callee(std::move(c)) {}
};

struct TypedRecordExpr final : Expr {
  Name type;
  Block* block;
  TypedRecordExpr(Span s, Name t, Block* b) : Expr(ExprKind::TypedRecord, s), type(std::move(t)), block(b) {}
};

struct ListExpr final : Expr {
  std::vector<Expr*> items;
  explicit ListExpr(Span s) : Expr(ExprKind::List, s) {}
};

struct RecordExpr final : Expr {
  Block* block;
  RecordExpr(Span s, Block* b) : Expr(ExprKind::Record, s), block(b) {}
};

struct UnaryExpr final : Expr {
  Expr* operand;  // the operator is always `-`
  UnaryExpr(Span s, Expr* o) : Expr(ExprKind::Unary, s), operand(o) {}
};

enum class BinaryOp : uint8_t { Add, Sub, Mul, Div };

struct BinaryExpr final : Expr {
  BinaryOp op;
  Span op_span;
  Expr* lhs;
  Expr* rhs;
  BinaryExpr(Span s, BinaryOp o, Span os, Expr* l, Expr* r)
      : Expr(ExprKind::Binary, s), op(o), op_span(os), lhs(l), rhs(r) {}
};

struct ErrorExpr final : Expr {
  explicit ErrorExpr(Span s) : Expr(ExprKind::Error, s) {}
};

// ------------------------------------------------------------ blocks

/// One member of a block: `key = v`, `a.b = v`, `key { ... }`,
/// `key label = v`, `key label { ... }`, `key label x N { ... }`, `key label`.
struct Member {
  std::vector<Name> path;         // one or more keys
  const Name* label = nullptr;    // `port http = 80`: "http" (owned by the file, like the nodes)
  Expr* label_expr = nullptr;     // the label as an expression, for `taint "..."` / `after redis`
  Expr* value = nullptr;          // `= expr`
  Block* block = nullptr;         // `{ ... }`
  std::optional<int64_t> repeat;  // `x 2`
  Span repeat_span;
  Span span;
  bool has_error = false;  // part of it did not parse
};

struct Block {
  std::vector<Member> members;
  Span span;
  bool has_error = false;
};

// ------------------------------------------------------------ types

enum class TypeExprKind : uint8_t { Named, List, Map, Error };

struct TypeExpr {
  TypeExprKind kind = TypeExprKind::Error;
  Span span;
  Name name;                  // Named
  Expr* lo = nullptr;         // Named with a range: int(1..65535)
  Expr* hi = nullptr;
  bool has_range = false;
  TypeExpr* elem = nullptr;   // List elem, Map value
  TypeExpr* key = nullptr;    // Map key
  bool optional = false;
};

// ------------------------------------------------------------ top level

enum class ItemKind : uint8_t { Import, Let, Type, Enum, Template, Decl };

struct Item {
  ItemKind kind;
  Span span;
  bool has_error = false;
  explicit Item(ItemKind k, Span s) : kind(k), span(s) {}
  virtual ~Item() = default;
};

struct ImportItem final : Item {
  std::string path;
  Span path_span;
  explicit ImportItem(Span s) : Item(ItemKind::Import, s) {}
};

struct LetItem final : Item {
  Name name;
  TypeExpr* type = nullptr;
  Expr* value = nullptr;
  explicit LetItem(Span s) : Item(ItemKind::Let, s) {}
};

struct FieldDecl {
  Name name;
  TypeExpr* type = nullptr;   // null: overrides an inherited field's default
  Expr* value = nullptr;      // the default
  Span span;
};

struct TypeItem final : Item {
  Name name;
  std::optional<Name> shorthand;
  std::optional<Name> parent;
  std::vector<FieldDecl> fields;
  explicit TypeItem(Span s) : Item(ItemKind::Type, s) {}
};

struct EnumItem final : Item {
  Name name;
  std::vector<Name> values;
  explicit EnumItem(Span s) : Item(ItemKind::Enum, s) {}
};

struct Param {
  Name name;
  TypeExpr* type = nullptr;
  Expr* value = nullptr;  // default
};

struct TemplateItem final : Item {
  Name name;
  std::vector<Param> params;
  DeclKind decl_kind = DeclKind::Service;
  Span kind_span;
  Block* body = nullptr;
  explicit TemplateItem(Span s) : Item(ItemKind::Template, s) {}
};

struct DeclItem final : Item {
  DeclKind decl_kind;
  Span kind_span;
  Name name;
  std::optional<Name> source;  // `= kube-prometheus-stack` / `= service-monitor` / `= worker(...)`
  bool has_args = false;
  std::vector<Arg> args;
  Block* body = nullptr;  // may be null: `secret token` alone
  DeclItem(Span s, DeclKind k) : Item(ItemKind::Decl, s), decl_kind(k) {}
};

struct Comment {
  Span span;
  bool block;  // /* */ rather than //
};

/// One parsed file. Owns every node; pointers stay valid while it lives.
/// Nodes live in blocks of memory the file allocates in bulk (a large file
/// has a million of them), and are destroyed with it, last made first.
struct File {
  source::FileId id;
  std::vector<Item*> items;
  std::vector<Comment> comments;
  bool has_syntax_errors = false;

  File() = default;
  File(const File&) = delete;
  File& operator=(const File&) = delete;
  ~File();

  template <class T, class... A>
  T* make(A&&... args) {
    T* node = new (allocate(sizeof(T), alignof(T))) T(std::forward<A>(args)...);
    if constexpr (!std::is_trivially_destructible_v<T>)
      destructors_.push_back(Destructor{node, [](void* p) { static_cast<T*>(p)->~T(); }});
    return node;
  }

 private:
  void* allocate(size_t size, size_t align);

  struct Destructor {
    void* node;
    void (*destroy)(void*);
  };
  std::vector<std::unique_ptr<std::byte[]>> blocks_;
  std::byte* free_ = nullptr;  // the unused tail of the last block
  size_t left_ = 0;
  std::vector<Destructor> destructors_;
};

}  // namespace claw::syntax
