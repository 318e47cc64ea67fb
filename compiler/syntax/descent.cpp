#include "compiler/syntax/descent.h"

#include <iterator>

#include "compiler/syntax/literals.h"

namespace claw::syntax::detail {
namespace {

// Thrown at the first token the grammar does not allow; caught by
// parse_descent. Files with errors are rare and are parsed again by ANTLR,
// so the cost of unwinding does not matter.
struct Mismatch {};

bool is_ident(Tok k) { return k == Tok::Ident || k == Tok::X || (k >= Tok::Import && k <= Tok::Resource); }
bool is_key(Tok k) { return is_ident(k) || k == Tok::String; }
bool is_decl_kind(Tok k) { return k >= Tok::Cluster && k <= Tok::Resource; }

// Binding strengths of the grammar's `expr` alternatives, as ANTLR numbers
// them for its precedence climbing (earlier alternatives bind tighter).
constexpr int kField = 5, kIndex = 4, kNeg = 3, kMul = 2, kAdd = 1;

// Mirrors grammar/Claw.g4 rule by rule. Spans follow build_ast: a node spans
// its rule's first to last token, except where build_ast joins the spans of
// the parts (fields, binary operators) or returns an inner node (`(e)`).
class Parser {
 public:
  Parser(std::span<const Token> toks, std::string_view text, File& out, diag::Sink& sink)
      : toks_(toks), text_(text), out_(out), id_(out.id), lit_(out, sink) {}

  void file() {
    while (pos_ < toks_.size()) {
      if (peek() == Tok::Semi) {
        ++pos_;
        continue;
      }
      out_.items.push_back(top_item());
    }
  }

 private:
  // ---------------------------------------------------------------- tokens

  Tok peek(size_t ahead = 0) const { return pos_ + ahead < toks_.size() ? toks_[pos_ + ahead].kind : Tok::Eof; }
  const Token& expect(Tok k) {
    if (peek() != k) throw Mismatch{};
    return toks_[pos_++];
  }
  bool accept(Tok k) {
    if (peek() != k) return false;
    ++pos_;
    return true;
  }
  Span span(const Token& t) const { return Span{id_, t.begin, t.end}; }
  // From token `first` to the last token consumed.
  Span span_from(size_t first) const { return Span{id_, toks_[first].begin, toks_[pos_ - 1].end}; }
  std::string_view text(const Token& t) const { return text_.substr(t.begin, t.end - t.begin); }

  Name ident() {
    if (!is_ident(peek())) throw Mismatch{};
    const Token& t = toks_[pos_++];
    return Name{std::string(text(t)), span(t), false};
  }
  Name key() {
    if (peek() == Tok::String) {
      const Token& t = toks_[pos_++];
      return lit_.key_name(span(t), text(t));
    }
    return ident();
  }
  void separator() {
    if (peek() == Tok::Semi || peek() == Tok::Comma) ++pos_;
  }

  // ---------------------------------------------------------------- items

  Item* top_item() {
    size_t first = pos_;
    switch (peek()) {
      case Tok::Import: {
        ++pos_;
        const Token& t = expect(Tok::String);
        auto* it = out_.make<ImportItem>(Span{});
        auto* str = lit_.string_expr(span(t), text(t));
        for (auto& p : str->parts) it->path += p.text;
        it->path_span = str->span;
        it->span = span_from(first);
        return it;
      }
      case Tok::Let: {
        ++pos_;
        auto* it = out_.make<LetItem>(Span{});
        it->name = ident();
        if (accept(Tok::Colon)) it->type = type_expr();
        expect(Tok::Assign);
        it->value = expr(0);
        it->span = span_from(first);
        return it;
      }
      case Tok::Enum: {
        ++pos_;
        auto* it = out_.make<EnumItem>(Span{});
        it->name = ident();
        expect(Tok::LBrace);
        while (is_ident(peek())) {
          it->values.push_back(ident());
          separator();
        }
        expect(Tok::RBrace);
        it->span = span_from(first);
        return it;
      }
      case Tok::Type: return type_item();
      case Tok::Template: return template_item();
      default:
        if (is_decl_kind(peek())) return decl_item();
        throw Mismatch{};
    }
  }

  Item* type_item() {
    size_t first = pos_++;
    auto* it = out_.make<TypeItem>(Span{});
    it->name = ident();
    if (accept(Tok::LParen)) {
      it->shorthand = ident();
      expect(Tok::RParen);
    }
    if (accept(Tok::Colon)) it->parent = ident();
    expect(Tok::LBrace);
    while (is_key(peek())) {
      size_t field_first = pos_;
      FieldDecl fd;
      fd.name = key();
      if (accept(Tok::Colon)) fd.type = type_expr();
      if (accept(Tok::Assign)) fd.value = expr(0);
      fd.span = span_from(field_first);
      it->fields.push_back(std::move(fd));
      separator();
    }
    expect(Tok::RBrace);
    it->span = span_from(first);
    return it;
  }

  Item* template_item() {
    size_t first = pos_++;
    auto* it = out_.make<TemplateItem>(Span{});
    it->name = ident();
    expect(Tok::LParen);
    if (is_ident(peek())) {
      it->params.push_back(param());
      while (accept(Tok::Comma)) {
        if (peek() == Tok::RParen) break;
        it->params.push_back(param());
      }
    }
    expect(Tok::RParen);
    if (!is_decl_kind(peek())) throw Mismatch{};
    it->decl_kind = decl_kind_of(peek());
    it->kind_span = span(toks_[pos_++]);
    it->body = block();
    it->span = span_from(first);
    return it;
  }

  Param param() {
    Param p;
    p.name = ident();
    expect(Tok::Colon);
    p.type = type_expr();
    if (accept(Tok::Assign)) p.value = expr(0);
    return p;
  }

  Item* decl_item() {
    size_t first = pos_;
    auto* it = out_.make<DeclItem>(Span{}, decl_kind_of(peek()));
    it->kind_span = span(toks_[pos_++]);
    it->name = ident();
    if (accept(Tok::Assign)) {
      it->source = ident();
      if (accept(Tok::LParen)) {
        it->has_args = true;
        if (peek() != Tok::RParen) it->args = args();
        expect(Tok::RParen);
      }
    }
    if (peek() == Tok::LBrace) it->body = block();
    it->span = span_from(first);
    return it;
  }

  // ---------------------------------------------------------------- blocks

  // A block's members are gathered on a stack shared by all blocks (a
  // nested block's are pushed and taken off while its member is parsed),
  // then moved into a vector of exactly their number: no regrowth, no slack.
  Block* block() {
    size_t first = pos_;
    expect(Tok::LBrace);
    auto* b = out_.make<Block>();
    size_t base = members_.size();
    while (is_key(peek())) {
      Member m = member();
      members_.push_back(std::move(m));
      separator();
    }
    expect(Tok::RBrace);
    b->members.reserve(members_.size() - base);
    std::move(members_.begin() + static_cast<ptrdiff_t>(base), members_.end(), std::back_inserter(b->members));
    members_.resize(base);
    b->span = span_from(first);
    return b;
  }

  Member member() {
    size_t first = pos_;
    Member m;
    m.path.push_back(key());
    while (accept(Tok::Dot)) m.path.push_back(key());
    if (accept(Tok::Assign)) {
      m.value = expr(0);
    } else if (peek() == Tok::LBrace) {
      m.block = block();
    } else if (peek() == Tok::String) {
      const Token& t = toks_[pos_++];
      StringExpr* as_expr = nullptr;
      m.label = out_.make<Name>(lit_.label_name(span(t), text(t), as_expr));
      m.label_expr = as_expr;
      label_tail(m);
    } else if (is_ident(peek())) {
      m.label = out_.make<Name>(ident());
      m.label_expr = out_.make<RefExpr>(*m.label);
      label_tail(m);
    } else {
      throw Mismatch{};
    }
    m.span = span_from(first);
    return m;
  }

  // After a label: `x N`, then `= expr` or a block, both optional. `x` is
  // also a name, so it starts a repeat only when a number follows, as in
  // ANTLR's prediction.
  void label_tail(Member& m) {
    if (peek() == Tok::X && peek(1) == Tok::Int) {
      const Token& x = toks_[pos_++];
      const Token& n = toks_[pos_++];
      m.repeat_span = Span{id_, x.begin, n.end};
      auto* e = lit_.int_expr(span(n), text(n));
      if (e->kind == ExprKind::Int) m.repeat = static_cast<IntExpr*>(e)->value;
    }
    if (accept(Tok::Assign)) m.value = expr(0);
    else if (peek() == Tok::LBrace) m.block = block();
  }

  // ---------------------------------------------------------------- types

  TypeExpr* type_expr() {
    size_t first = pos_;
    auto* t = out_.make<TypeExpr>();
    switch (peek()) {
      case Tok::LBrack:
        ++pos_;
        t->kind = TypeExprKind::List;
        t->elem = type_expr();
        expect(Tok::RBrack);
        break;
      case Tok::LBrace:
        ++pos_;
        t->kind = TypeExprKind::Map;
        t->key = type_expr();
        expect(Tok::Colon);
        t->elem = type_expr();
        expect(Tok::RBrace);
        break;
      default:
        t->kind = TypeExprKind::Named;
        t->name = ident();
        if (accept(Tok::LParen)) {
          if (peek() != Tok::Range) t->lo = expr(0);
          expect(Tok::Range);
          t->has_range = true;
          if (peek() != Tok::RParen) t->hi = expr(0);
          expect(Tok::RParen);
        }
    }
    t->optional = accept(Tok::Question);
    t->span = span_from(first);
    return t;
  }

  // ---------------------------------------------------------------- expressions

  // Precedence climbing over the grammar's one left-recursive `expr` rule:
  // `min` is the weakest operator this call may take. Chains of equal
  // strength are a loop, so `a + b + ... + z` does not recurse.
  Expr* expr(int min) {
    size_t first = pos_;
    Expr* lhs;
    if (peek() == Tok::Minus) {
      ++pos_;
      Expr* operand = expr(kNeg);
      lhs = out_.make<UnaryExpr>(span_from(first), operand);
    } else {
      lhs = primary();
    }
    for (;;) {
      Tok k = peek();
      if (k == Tok::Dot && min <= kField) {
        ++pos_;
        Name field = key();
        lhs = out_.make<FieldExpr>(source::join(lhs->span, field.span), lhs, std::move(field));
      } else if (k == Tok::LBrack && min <= kIndex) {
        ++pos_;
        Expr* index = expr(0);
        expect(Tok::RBrack);
        lhs = out_.make<IndexExpr>(span_from(first), lhs, index);
      } else if ((k == Tok::Star || k == Tok::Slash) && min <= kMul) {
        lhs = binary(lhs, k == Tok::Star ? BinaryOp::Mul : BinaryOp::Div, kMul + 1);
      } else if ((k == Tok::Plus || k == Tok::Minus) && min <= kAdd) {
        lhs = binary(lhs, k == Tok::Plus ? BinaryOp::Add : BinaryOp::Sub, kAdd + 1);
      } else {
        return lhs;
      }
    }
  }

  Expr* binary(Expr* lhs, BinaryOp op, int rhs_min) {
    Span op_span = span(toks_[pos_++]);
    Expr* rhs = expr(rhs_min);
    return out_.make<BinaryExpr>(source::join(lhs->span, rhs->span), op, op_span, lhs, rhs);
  }

  Expr* primary() {
    size_t first = pos_;
    Tok k = peek();
    switch (k) {
      case Tok::Int: case Tok::Float: case Tok::Quantity: case Tok::String:
      case Tok::True: case Tok::False: case Tok::Null: {
        const Token& t = toks_[pos_++];
        Span s = span(t);
        if (k == Tok::Int) return lit_.int_expr(s, text(t));
        if (k == Tok::Float) return lit_.float_expr(s, text(t));
        if (k == Tok::Quantity) return lit_.quantity_expr(s, text(t));
        if (k == Tok::String) return lit_.string_expr(s, text(t));
        if (k == Tok::Null) return out_.make<NullExpr>(s);
        return out_.make<BoolExpr>(s, k == Tok::True);
      }
      case Tok::LBrack: {
        ++pos_;
        auto* list = out_.make<ListExpr>(Span{});
        if (peek() != Tok::RBrack) {
          list->items.push_back(expr(0));
          while (accept(Tok::Comma)) {
            if (peek() == Tok::RBrack) break;
            list->items.push_back(expr(0));
          }
        }
        expect(Tok::RBrack);
        list->span = span_from(first);
        return list;
      }
      case Tok::LBrace: {
        Block* b = block();
        return out_.make<RecordExpr>(span_from(first), b);
      }
      case Tok::LParen: {
        ++pos_;
        Expr* inner = expr(0);
        expect(Tok::RParen);
        return inner;
      }
      default: break;
    }
    Name n = ident();
    if (accept(Tok::LParen)) {
      auto* call = out_.make<CallExpr>(Span{}, std::move(n));
      if (peek() != Tok::RParen) call->args = args();
      expect(Tok::RParen);
      call->span = span_from(first);
      return call;
    }
    if (peek() == Tok::LBrace) {
      Block* b = block();
      return out_.make<TypedRecordExpr>(span_from(first), std::move(n), b);
    }
    return out_.make<RefExpr>(std::move(n));
  }

  std::vector<Arg> args() {
    std::vector<Arg> out;
    out.push_back(arg());
    while (accept(Tok::Comma)) {
      if (peek() == Tok::RParen) break;
      out.push_back(arg());
    }
    return out;
  }

  Arg arg() {
    Arg a;
    if (is_ident(peek()) && peek(1) == Tok::Assign) {
      a.name = ident();
      ++pos_;
    }
    a.value = expr(0);
    return a;
  }

  std::span<const Token> toks_;
  std::string_view text_;
  size_t pos_ = 0;
  std::vector<Member> members_;  // see block()
  File& out_;
  source::FileId id_;
  Literals lit_;
};

}  // namespace

bool parse_descent(std::span<const Token> visible, std::string_view text, File& out, diag::Sink& sink) {
  Parser p(visible, text, out, sink);
  try {
    p.file();
  } catch (const Mismatch&) {
    return false;
  }
  return true;
}

}  // namespace claw::syntax::detail
