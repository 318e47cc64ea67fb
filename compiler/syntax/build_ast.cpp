#include "compiler/syntax/build_ast.h"

#include "compiler/syntax/literals.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

namespace claw::syntax::detail {
namespace {

using P = claw_antlr::ClawParser;

// Tells terminals from rule contexts through the tree's own double dispatch:
// the generated accessors (ctx->member(), ...) dynamic_cast every child, and
// that was the tree builder's largest cost.
class Classifier final : public antlr4::tree::ParseTreeVisitor {
 public:
  antlr4::tree::TerminalNode* terminal = nullptr;
  antlr4::ParserRuleContext* rule = nullptr;
  bool error = false;

  void classify(antlr4::tree::ParseTree* t) {
    terminal = nullptr;
    rule = nullptr;
    error = false;
    t->accept(this);
  }
  antlrcpp::Any visit(antlr4::tree::ParseTree* t) override { return t->accept(this); }
  antlrcpp::Any visitChildren(antlr4::tree::ParseTree* node) override {
    rule = static_cast<antlr4::ParserRuleContext*>(node);
    return {};
  }
  antlrcpp::Any visitTerminal(antlr4::tree::TerminalNode* node) override {
    terminal = node;
    return {};
  }
  antlrcpp::Any visitErrorNode(antlr4::tree::ErrorNode* node) override {
    terminal = node;
    error = true;
    return {};
  }
};

// One child of a rule context: a token, or a rule with its index.
struct Child {
  antlr4::Token* token = nullptr;           // set for terminals (and error nodes)
  antlr4::ParserRuleContext* rule = nullptr;  // set for rule contexts
  size_t rule_index = SIZE_MAX;
  bool error = false;
  Tok tok() const { return token ? static_cast<Tok>(token->getType()) : Tok::Eof; }
};

class Builder {
 public:
  Builder(const VectorTokenStream& stream, const std::set<size_t>& error_tokens, File& out, diag::Sink& sink)
      : stream_(stream), error_tokens_(error_tokens), out_(out), id_(out.id), literals_(out, sink) {}

  void file(P::FileContext* ctx) {
    if (!ctx) return;
    for (auto* top : ctx->topItem()) {
      Item* item = top_item(top);
      if (!item) continue;
      item->has_error = item->has_error || contains_error(top);
      out_.items.push_back(item);
    }
  }

 private:
  // ---------------------------------------------------------------- spans

  Span span(antlr4::Token* t) const {
    if (!t || t->getStartIndex() == INVALID_INDEX || t->getType() == antlr4::Token::EOF) return Span{id_, 0, 0};
    return Span{id_, static_cast<uint32_t>(t->getStartIndex()), static_cast<uint32_t>(t->getStopIndex() + 1)};
  }
  Span span(antlr4::tree::TerminalNode* n) const { return n ? span(n->getSymbol()) : Span{id_, 0, 0}; }
  Span span(antlr4::ParserRuleContext* ctx) const {
    if (!ctx) return Span{id_, 0, 0};
    Span a = span(ctx->getStart());
    auto* stop = ctx->getStop();
    if (!stop || stop->getStartIndex() == INVALID_INDEX || stop->getType() == antlr4::Token::EOF ||
        stop->getTokenIndex() < ctx->getStart()->getTokenIndex())
      return a;
    Span b = span(stop);
    return Span{id_, a.begin, std::max(a.end, b.end)};
  }

  bool contains_error(antlr4::ParserRuleContext* ctx) const {
    if (!ctx || ctx->exception) return true;
    if (error_tokens_.empty()) return false;
    auto* a = ctx->getStart();
    auto* b = ctx->getStop();
    if (!a) return false;
    size_t lo = a->getTokenIndex();
    size_t hi = (b && b->getTokenIndex() >= lo && b->getTokenIndex() != INVALID_INDEX) ? b->getTokenIndex() : lo;
    auto it = error_tokens_.lower_bound(lo);
    return it != error_tokens_.end() && *it <= hi + 1;
  }

  std::string_view text(antlr4::Token* t) const {
    if (!t || t->getStartIndex() == INVALID_INDEX) return {};
    return src().substr(t->getStartIndex(), t->getStopIndex() + 1 - t->getStartIndex());
  }
  std::string_view src() const { return stream_.source(); }
  std::vector<Child>& children(antlr4::ParserRuleContext* ctx, std::vector<Child>& out) {
    out.clear();
    for (auto* c : ctx->children) {
      classifier_.classify(c);
      Child ch;
      if (classifier_.rule) {
        ch.rule = classifier_.rule;
        ch.rule_index = classifier_.rule->getRuleIndex();
      } else if (classifier_.terminal) {
        ch.token = classifier_.terminal->getSymbol();
        ch.error = classifier_.error;
      }
      out.push_back(ch);
    }
    return out;
  }

  // ---------------------------------------------------------------- names

  Name name(P::IdentContext* ctx) {
    if (!ctx || !ctx->getStart()) return Name{"", Span{id_, 0, 0}, false};
    return Name{std::string(text(ctx->getStart())), span(ctx->getStart()), false};
  }

  Name key(P::KeyContext* ctx) {
    if (!ctx || ctx->children.empty()) return Name{"", Span{id_, 0, 0}, false};
    classifier_.classify(ctx->children[0]);
    if (classifier_.terminal && !classifier_.error && classifier_.terminal->getSymbol()->getType() == static_cast<size_t>(Tok::String)) {
      auto* t = classifier_.terminal->getSymbol();
      return literals_.key_name(span(t), text(t));
    }
    if (classifier_.rule) return name(static_cast<P::IdentContext*>(classifier_.rule));
    return Name{"", span(ctx), false};
  }

  // ---------------------------------------------------------------- literals

  Expr* int_expr(antlr4::Token* t) { return literals_.int_expr(span(t), text(t)); }
  Expr* quantity_expr(antlr4::Token* t) { return literals_.quantity_expr(span(t), text(t)); }
  StringExpr* string_expr(antlr4::Token* t) { return literals_.string_expr(span(t), text(t)); }

  // ---------------------------------------------------------------- expressions

  // The shape of one `expr` context, read from its children (the labelled
  // alternatives of the rule are told apart without dynamic_cast).
  enum class Shape { Primary, Field, Index, Neg, Binary, Broken };
  struct ExprParts {
    Shape shape = Shape::Broken;
    P::ExprContext* lhs = nullptr;
    P::ExprContext* rhs = nullptr;
    antlr4::ParserRuleContext* other = nullptr;  // primary or key
    antlr4::Token* op = nullptr;
  };

  ExprParts parts(P::ExprContext* ctx) {
    ExprParts p;
    if (!ctx || ctx->exception) return p;
    std::vector<Child>& ch = children(ctx, scratch_);
    auto is_rule = [&](size_t i, size_t idx) { return i < ch.size() && ch[i].rule && ch[i].rule_index == idx; };
    auto is_tok = [&](size_t i, Tok t) { return i < ch.size() && ch[i].token && !ch[i].error && ch[i].tok() == t; };
    if (ch.size() == 1 && is_rule(0, P::RulePrimary)) {
      p.shape = Shape::Primary;
      p.other = ch[0].rule;
    } else if (ch.size() == 2 && is_tok(0, Tok::Minus) && is_rule(1, P::RuleExpr)) {
      p.shape = Shape::Neg;
      p.rhs = static_cast<P::ExprContext*>(ch[1].rule);
    } else if (ch.size() == 3 && is_rule(0, P::RuleExpr) && is_tok(1, Tok::Dot) && is_rule(2, P::RuleKey)) {
      p.shape = Shape::Field;
      p.lhs = static_cast<P::ExprContext*>(ch[0].rule);
      p.other = ch[2].rule;
    } else if (ch.size() == 4 && is_rule(0, P::RuleExpr) && is_tok(1, Tok::LBrack) && is_rule(2, P::RuleExpr)) {
      p.shape = Shape::Index;
      p.lhs = static_cast<P::ExprContext*>(ch[0].rule);
      p.rhs = static_cast<P::ExprContext*>(ch[2].rule);
    } else if (ch.size() == 3 && is_rule(0, P::RuleExpr) && ch[1].token && !ch[1].error && is_rule(2, P::RuleExpr)) {
      p.shape = Shape::Binary;
      p.lhs = static_cast<P::ExprContext*>(ch[0].rule);
      p.rhs = static_cast<P::ExprContext*>(ch[2].rule);
      p.op = ch[1].token;
    }
    return p;
  }

  // Left-recursive chains (a + b + c, a.b.c) are walked down their left
  // spine with a loop, so a long chain cannot exhaust the stack.
  Expr* expr(P::ExprContext* ctx) {
    if (!ctx) return out_.make<ErrorExpr>(Span{id_, 0, 0});
    std::vector<std::pair<P::ExprContext*, ExprParts>> spine;
    P::ExprContext* cur = ctx;
    ExprParts p = parts(cur);
    while (p.shape == Shape::Field || p.shape == Shape::Index || p.shape == Shape::Binary) {
      spine.emplace_back(cur, p);
      cur = p.lhs;
      p = parts(cur);
    }
    Expr* lhs;
    if (p.shape == Shape::Primary) lhs = primary(static_cast<P::PrimaryContext*>(p.other));
    else if (p.shape == Shape::Neg) lhs = out_.make<UnaryExpr>(span(cur), expr(p.rhs));
    else lhs = out_.make<ErrorExpr>(span(cur));
    for (auto it = spine.rbegin(); it != spine.rend(); ++it) {
      const ExprParts& link = it->second;
      if (link.shape == Shape::Field) {
        Name k = key(static_cast<P::KeyContext*>(link.other));
        lhs = out_.make<FieldExpr>(source::join(lhs->span, k.span), lhs, std::move(k));
      } else if (link.shape == Shape::Index) {
        Expr* index = expr(link.rhs);
        lhs = out_.make<IndexExpr>(span(it->first), lhs, index);
      } else {
        Expr* rhs = expr(link.rhs);
        BinaryOp bop = BinaryOp::Add;
        switch (static_cast<Tok>(link.op->getType())) {
          case Tok::Minus: bop = BinaryOp::Sub; break;
          case Tok::Star: bop = BinaryOp::Mul; break;
          case Tok::Slash: bop = BinaryOp::Div; break;
          default: break;
        }
        lhs = out_.make<BinaryExpr>(source::join(lhs->span, rhs->span), bop, span(link.op), lhs, rhs);
      }
    }
    return lhs;
  }

  Expr* primary(P::PrimaryContext* ctx) {
    if (!ctx) return out_.make<ErrorExpr>(Span{id_, 0, 0});
    Span s = span(ctx);
    if (!ctx->exception && ctx->children.size() == 1) {
      // A literal or a plain name: dispatch on the first token's type.
      auto* first = ctx->getStart();
      switch (static_cast<Tok>(first->getType())) {
        case Tok::Int: return int_expr(first);
        case Tok::Quantity: return quantity_expr(first);
        case Tok::String: return string_expr(first);
        case Tok::True: return out_.make<BoolExpr>(s, true);
        case Tok::False: return out_.make<BoolExpr>(s, false);
        case Tok::Null: return out_.make<NullExpr>(s);
        case Tok::Float: break;
        default:
          if (auto* id = ctx->ident()) return out_.make<RefExpr>(name(id));
          break;
      }
    }
    if (auto* t = ctx->INT()) return int_expr(t->getSymbol());
    if (auto* t = ctx->FLOAT()) return literals_.float_expr(s, text(t->getSymbol()));
    if (auto* t = ctx->QUANTITY()) return quantity_expr(t->getSymbol());
    if (auto* t = ctx->STRING()) return string_expr(t->getSymbol());
    if (ctx->TRUE_LIT()) return out_.make<BoolExpr>(s, true);
    if (ctx->FALSE_LIT()) return out_.make<BoolExpr>(s, false);
    if (ctx->NULL_LIT()) return out_.make<NullExpr>(s);
    if (auto* id = ctx->ident()) {
      Name n = name(id);
      if (ctx->LPAREN()) {
        auto* call = out_.make<CallExpr>(s, std::move(n));
        if (ctx->args()) call->args = args(ctx->args());
        return call;
      }
      if (ctx->block()) return out_.make<TypedRecordExpr>(s, std::move(n), block(ctx->block()));
      return out_.make<RefExpr>(std::move(n));
    }
    if (ctx->LBRACK()) {
      auto* list = out_.make<ListExpr>(s);
      for (auto* e : ctx->expr()) list->items.push_back(expr(e));
      return list;
    }
    if (ctx->block()) return out_.make<RecordExpr>(s, block(ctx->block()));
    if (ctx->LPAREN() && !ctx->expr().empty()) {
      Expr* inner = expr(ctx->expr(0));
      return inner;
    }
    return out_.make<ErrorExpr>(s);
  }

  std::vector<Arg> args(P::ArgsContext* ctx) {
    std::vector<Arg> out;
    for (auto* a : ctx->arg()) {
      Arg arg;
      if (a->ident()) arg.name = name(a->ident());
      arg.value = expr(a->expr());
      out.push_back(std::move(arg));
    }
    return out;
  }

  // ---------------------------------------------------------------- blocks

  Block* block(P::BlockContext* ctx) {
    auto* b = out_.make<Block>();
    b->span = span(ctx);
    b->has_error = contains_error(ctx);
    std::vector<P::MemberContext*> members;
    for (const Child& c : children(ctx, scratch_))
      if (c.rule && c.rule_index == P::RuleMember) members.push_back(static_cast<P::MemberContext*>(c.rule));
    b->members.reserve(members.size());
    for (auto* m : members) b->members.push_back(member(m));
    return b;
  }

  Member member(P::MemberContext* ctx) {
    Member m;
    m.span = span(ctx);
    m.has_error = contains_error(ctx);
    std::vector<Child> ch;
    children(ctx, ch);
    for (const Child& c : ch) {
      if (!c.rule) continue;
      switch (c.rule_index) {
        case P::RuleKey: m.path.push_back(key(static_cast<P::KeyContext*>(c.rule))); break;
        case P::RuleLabel: {
          auto* l = static_cast<P::LabelContext*>(c.rule);
          if (l->STRING()) {
            auto* t = l->STRING()->getSymbol();
            StringExpr* as_expr = nullptr;
            m.label = out_.make<Name>(literals_.label_name(span(t), text(t), as_expr));
            m.label_expr = as_expr;
          } else if (l->ident()) {
            m.label = out_.make<Name>(name(l->ident()));
            m.label_expr = out_.make<RefExpr>(*m.label);
          } else {
            m.has_error = true;
          }
          break;
        }
        case P::RuleRepeat: {
          auto* r = static_cast<P::RepeatContext*>(c.rule);
          m.repeat_span = span(r);
          if (r->INT()) {
            auto* e = int_expr(r->INT()->getSymbol());
            if (e->kind == ExprKind::Int) m.repeat = static_cast<IntExpr*>(e)->value;
          }
          break;
        }
        case P::RuleExpr: m.value = expr(static_cast<P::ExprContext*>(c.rule)); break;
        case P::RuleBlock: m.block = block(static_cast<P::BlockContext*>(c.rule)); break;
        default: break;
      }
    }
    if (m.path.empty()) m.has_error = true;
    return m;
  }

  // ---------------------------------------------------------------- types

  TypeExpr* type_expr(P::TypeExprContext* ctx) {
    auto* t = out_.make<TypeExpr>();
    if (!ctx || !ctx->typeAtom()) {
      t->span = span(ctx);
      return t;
    }
    auto* a = ctx->typeAtom();
    t->span = span(ctx);
    t->optional = ctx->QUESTION() != nullptr;
    auto inner = a->typeExpr();
    if (a->LBRACK()) {
      t->kind = TypeExprKind::List;
      t->elem = inner.empty() ? out_.make<TypeExpr>() : type_expr(inner[0]);
    } else if (a->LBRACE()) {
      t->kind = TypeExprKind::Map;
      t->key = inner.size() > 0 ? type_expr(inner[0]) : out_.make<TypeExpr>();
      t->elem = inner.size() > 1 ? type_expr(inner[1]) : out_.make<TypeExpr>();
    } else if (a->ident()) {
      t->kind = TypeExprKind::Named;
      t->name = name(a->ident());
      if (a->RANGE()) {
        t->has_range = true;
        if (a->lo) t->lo = expr(a->lo);
        if (a->hi) t->hi = expr(a->hi);
      }
    }
    return t;
  }

  // ---------------------------------------------------------------- items

  Item* top_item(P::TopItemContext* ctx) {
    Span s = span(ctx);
    if (auto* c = ctx->importDecl()) {
      auto* it = out_.make<ImportItem>(s);
      if (c->STRING()) {
        auto* str = string_expr(c->STRING()->getSymbol());
        for (auto& p : str->parts) it->path += p.text;
        it->path_span = str->span;
      } else {
        it->has_error = true;
      }
      return it;
    }
    if (auto* c = ctx->letDecl()) {
      auto* it = out_.make<LetItem>(s);
      it->name = name(c->ident());
      if (c->typeExpr()) it->type = type_expr(c->typeExpr());
      it->value = expr(c->expr());
      return it;
    }
    if (auto* c = ctx->enumDecl()) {
      auto* it = out_.make<EnumItem>(s);
      auto ids = c->ident();
      if (!ids.empty()) it->name = name(ids[0]);
      for (size_t i = 1; i < ids.size(); ++i) it->values.push_back(name(ids[i]));
      return it;
    }
    if (auto* c = ctx->typeDecl()) {
      auto* it = out_.make<TypeItem>(s);
      auto ids = c->ident();
      if (!ids.empty()) it->name = name(ids[0]);
      if (c->shorthand) it->shorthand = name(c->shorthand);
      if (c->parent) it->parent = name(c->parent);
      for (auto* f : c->fieldDecl()) {
        FieldDecl fd;
        fd.name = key(f->key());
        fd.span = span(f);
        if (f->typeExpr()) fd.type = type_expr(f->typeExpr());
        if (f->expr()) fd.value = expr(f->expr());
        it->fields.push_back(std::move(fd));
      }
      return it;
    }
    if (auto* c = ctx->templateDecl()) {
      auto* it = out_.make<TemplateItem>(s);
      it->name = name(c->ident());
      for (auto* p : c->param()) {
        Param param;
        param.name = name(p->ident());
        param.type = type_expr(p->typeExpr());
        if (p->expr()) param.value = expr(p->expr());
        it->params.push_back(std::move(param));
      }
      if (c->declKind()) {
        it->decl_kind = decl_kind(c->declKind());
        it->kind_span = span(c->declKind());
      }
      if (c->block()) it->body = block(c->block());
      else it->has_error = true;
      return it;
    }
    if (auto* c = ctx->decl()) {
      if (!c->declKind()) return nullptr;
      auto* it = out_.make<DeclItem>(s, decl_kind(c->declKind()));
      it->kind_span = span(c->declKind());
      it->name = name(c->ident(0));
      if (c->source) it->source = name(c->source);
      if (c->LPAREN()) {
        it->has_args = true;
        if (c->args()) it->args = args(c->args());
      }
      if (c->block()) it->body = block(c->block());
      return it;
    }
    return nullptr;
  }

  DeclKind decl_kind(P::DeclKindContext* ctx) { return decl_kind_of(static_cast<Tok>(ctx->getStart()->getType())); }

  const VectorTokenStream& stream_;
  const std::set<size_t>& error_tokens_;
  File& out_;
  source::FileId id_;
  Literals literals_;
  Classifier classifier_;
  std::vector<Child> scratch_;
};

}  // namespace

void build_ast(claw_antlr::ClawParser::FileContext* tree, const VectorTokenStream& stream,
               const std::set<size_t>& error_tokens, File& out, diag::Sink& sink) {
  Builder b(stream, error_tokens, out, sink);
  b.file(tree);
}

}  // namespace claw::syntax::detail
