// Turns literal tokens (numbers, quantities, strings with `${...}`) into
// syntax-tree nodes. Shared by both tree builders (the recursive-descent
// parser and the builder over ANTLR's parse tree), so the two cannot differ
// in what a literal means or in the diagnostics it draws.
#pragma once

#include <optional>
#include <string_view>

#include "compiler/diag/diagnostic.h"
#include "compiler/syntax/ast.h"
#include "compiler/syntax/token.h"

namespace claw::syntax::detail {

/// The kind of declaration a keyword token (`cluster` ... `resource`) starts.
DeclKind decl_kind_of(Tok keyword);

class Literals {
 public:
  Literals(File& out, diag::Sink& sink) : out_(out), sink_(sink), id_(out.id) {}

  /// `s` is the token's span and `text` its text.
  Expr* int_expr(Span s, std::string_view text);
  Expr* float_expr(Span s, std::string_view text);
  Expr* quantity_expr(Span s, std::string_view text);
  /// Splits "...${a.b}..." into parts and unescapes the text.
  StringExpr* string_expr(Span s, std::string_view text);
  /// A string used as a key: its text; `${...}` in it is an error.
  Name key_name(Span s, std::string_view text);
  /// A string used as a label (`taint "k=v:NoSchedule"`): its text, and the
  /// string itself as an expression.
  Name label_name(Span s, std::string_view text, StringExpr*& as_expr);

 private:
  std::optional<double> parse_number(std::string_view digits, bool& integral, Span where);
  Expr* interpolation(std::string_view inner, uint32_t offset, Span whole);

  File& out_;
  diag::Sink& sink_;
  source::FileId id_;
};

}  // namespace claw::syntax::detail
