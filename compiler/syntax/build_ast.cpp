#include "compiler/syntax/build_ast.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

namespace claw::syntax::detail {
namespace {

using P = claw_antlr::ClawParser;

class Builder {
 public:
  Builder(const VectorTokenStream& stream, const std::set<size_t>& error_tokens, File& out, diag::Sink& sink)
      : stream_(stream), error_tokens_(error_tokens), out_(out), sink_(sink), id_(out.id) {}

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
  // ---------------------------------------------------------------- names

  Name name(P::IdentContext* ctx) {
    if (!ctx || !ctx->getStart()) return Name{"", Span{id_, 0, 0}, false};
    return Name{std::string(text(ctx->getStart())), span(ctx->getStart()), false};
  }

  Name key(P::KeyContext* ctx) {
    if (!ctx) return Name{"", Span{id_, 0, 0}, false};
    if (ctx->STRING()) {
      auto* s = string_expr(ctx->STRING()->getSymbol());
      std::string t;
      for (auto& p : s->parts) t += p.text;
      if (!s->literal()) sink_.report(diag::Kind::BadInterpolation, s->span, "a key cannot contain `${...}`");
      return Name{t, s->span, true};
    }
    return name(ctx->ident());
  }

  // ---------------------------------------------------------------- literals

  std::optional<double> parse_number(std::string_view digits, bool& integral, Span where) {
    std::string clean;
    for (char c : digits)
      if (c != '_') clean.push_back(c);
    integral = clean.find('.') == std::string::npos;
    double v = 0;
    auto r = std::from_chars(clean.data(), clean.data() + clean.size(), v);
    if (r.ec != std::errc() || !std::isfinite(v)) {
      sink_.report(diag::Kind::NumberTooLarge, where, fmt::format("number `{}` is too large", digits));
      return std::nullopt;
    }
    return v;
  }

  Expr* int_expr(antlr4::Token* t) {
    Span s = span(t);
    std::string clean;
    for (char c : text(t))
      if (c != '_') clean.push_back(c);
    int64_t v = 0;
    auto r = std::from_chars(clean.data(), clean.data() + clean.size(), v);
    if (r.ec != std::errc()) {
      sink_.report(diag::Kind::NumberTooLarge, s, fmt::format("number `{}` does not fit in 64 bits", text(t)))
          .hint("the largest integer is 9223372036854775807");
      return out_.make<ErrorExpr>(s);
    }
    return out_.make<IntExpr>(s, v);
  }

  Expr* quantity_expr(antlr4::Token* t) {
    Span s = span(t);
    auto all = text(t);
    size_t i = 0;
    while (i < all.size() && (std::isdigit(static_cast<unsigned char>(all[i])) || all[i] == '_' || all[i] == '.')) ++i;
    bool integral = true;
    auto n = parse_number(all.substr(0, i), integral, s);
    if (!n) return out_.make<ErrorExpr>(s);
    Span us{id_, s.begin + static_cast<uint32_t>(i), s.end};
    return out_.make<QuantityExpr>(s, *n, integral, std::string(all.substr(i)), us);
  }

  // Splits "...${a.b}..." into parts and unescapes the text.
  StringExpr* string_expr(antlr4::Token* t) {
    Span s = span(t);
    auto* e = out_.make<StringExpr>(s);
    auto raw = text(t);
    bool triple = raw.size() >= 6 && raw.substr(0, 3) == "\"\"\"";
    size_t q = triple ? 3 : 1;
    std::string_view body = raw.substr(q, raw.size() - 2 * q);
    uint32_t base = s.begin + static_cast<uint32_t>(q);
    std::string cur;
    for (size_t i = 0; i < body.size(); ++i) {
      char c = body[i];
      if (c == '\\' && !triple) {
        if (i + 1 >= body.size()) break;
        char n = body[++i];
        switch (n) {
          case 'n': cur += '\n'; break;
          case 't': cur += '\t'; break;
          case 'r': cur += '\r'; break;
          case '"': cur += '"'; break;
          case '\\': cur += '\\'; break;
          case '$': cur += '$'; break;
          default:
            sink_.report(diag::Kind::BadEscape, Span{id_, base + static_cast<uint32_t>(i - 1), base + static_cast<uint32_t>(i + 1)},
                         fmt::format("unknown escape `\\{}`", n))
                .hint("the escapes are \\n, \\t, \\r, \\\", \\\\ and \\$");
            cur += n;
        }
        continue;
      }
      if (c == '$' && i + 1 < body.size() && body[i + 1] == '{') {
        size_t close = body.find('}', i + 2);
        Span at{id_, base + static_cast<uint32_t>(i), base + static_cast<uint32_t>(close == std::string_view::npos ? body.size() : close + 1)};
        if (close == std::string_view::npos) {
          sink_.report(diag::Kind::BadInterpolation, at, "`${` is not closed with `}`")
              .hint("write `\\${` for a literal `${`");
          break;
        }
        Expr* inner = interpolation(body.substr(i + 2, close - i - 2), base + static_cast<uint32_t>(i + 2), at);
        if (!cur.empty()) e->parts.push_back(StringPart{std::move(cur), nullptr});
        cur.clear();
        e->parts.push_back(StringPart{"", inner});
        i = close;
        continue;
      }
      cur += c;
    }
    if (!cur.empty() || e->parts.empty()) e->parts.push_back(StringPart{std::move(cur), nullptr});
    return e;
  }

  // ${name} or ${name.field.field}: a reference path.
  Expr* interpolation(std::string_view inner, uint32_t offset, Span whole) {
    size_t b = 0, e = inner.size();
    while (b < e && inner[b] == ' ') ++b;
    while (e > b && inner[e - 1] == ' ') --e;
    Expr* result = nullptr;
    size_t i = b;
    while (i <= e) {
      size_t j = i;
      while (j < e && inner[j] != '.') ++j;
      std::string_view part = inner.substr(i, j - i);
      bool ok = !part.empty() && (std::isalpha(static_cast<unsigned char>(part[0])) || part[0] == '_');
      for (char c : part) ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-');
      if (!ok) {
        sink_.report(diag::Kind::BadInterpolation, whole, fmt::format("`${{{}}}` is not a name or a path of names", inner))
            .hint("interpolation takes a name such as `${domain}` or `${redis.port}`");
        return out_.make<ErrorExpr>(whole);
      }
      Name n{std::string(part), Span{id_, offset + static_cast<uint32_t>(i), offset + static_cast<uint32_t>(j)}, false};
      if (!result) result = out_.make<RefExpr>(std::move(n));
      else result = out_.make<FieldExpr>(Span{id_, result->span.begin, n.span.end}, result, std::move(n));
      if (j >= e) break;
      i = j + 1;
    }
    return result ? result : out_.make<ErrorExpr>(whole);
  }

  // ---------------------------------------------------------------- expressions

  Expr* expr(P::ExprContext* ctx) {
    if (!ctx || !ctx->addExpr()) return out_.make<ErrorExpr>(span(ctx));
    return add_expr(ctx->addExpr());
  }

  Expr* add_expr(P::AddExprContext* ctx) {
    auto ops = ctx->mulExpr();
    if (ops.empty()) return out_.make<ErrorExpr>(span(ctx));
    Expr* lhs = mul_expr(ops[0]);
    size_t k = 1;
    for (auto* child : ctx->children) {
      auto* term = dynamic_cast<antlr4::tree::TerminalNode*>(child);
      if (!term || k >= ops.size()) continue;
      auto type = static_cast<Tok>(term->getSymbol()->getType());
      if (type != Tok::Plus && type != Tok::Minus) continue;
      Expr* rhs = mul_expr(ops[k++]);
      lhs = out_.make<BinaryExpr>(source::join(lhs->span, rhs->span), type == Tok::Plus ? BinaryOp::Add : BinaryOp::Sub,
                                   span(term), lhs, rhs);
    }
    return lhs;
  }

  Expr* mul_expr(P::MulExprContext* ctx) {
    auto ops = ctx->unaryExpr();
    if (ops.empty()) return out_.make<ErrorExpr>(span(ctx));
    Expr* lhs = unary_expr(ops[0]);
    size_t k = 1;
    for (auto* child : ctx->children) {
      auto* term = dynamic_cast<antlr4::tree::TerminalNode*>(child);
      if (!term || k >= ops.size()) continue;
      auto type = static_cast<Tok>(term->getSymbol()->getType());
      if (type != Tok::Star && type != Tok::Slash) continue;
      Expr* rhs = unary_expr(ops[k++]);
      lhs = out_.make<BinaryExpr>(source::join(lhs->span, rhs->span), type == Tok::Star ? BinaryOp::Mul : BinaryOp::Div,
                                   span(term), lhs, rhs);
    }
    return lhs;
  }

  Expr* unary_expr(P::UnaryExprContext* ctx) {
    if (!ctx) return out_.make<ErrorExpr>(Span{id_, 0, 0});
    if (ctx->MINUS()) {
      Expr* operand = ctx->unaryExpr() ? unary_expr(ctx->unaryExpr()) : out_.make<ErrorExpr>(span(ctx));
      return out_.make<UnaryExpr>(span(ctx), operand);
    }
    if (!ctx->postfixExpr()) return out_.make<ErrorExpr>(span(ctx));
    return postfix_expr(ctx->postfixExpr());
  }

  Expr* postfix_expr(P::PostfixExprContext* ctx) {
    Expr* base = primary(ctx->primary());
    auto keys = ctx->key();
    auto idx = ctx->expr();
    size_t ki = 0, ii = 0;
    for (auto* child : ctx->children) {
      auto* term = dynamic_cast<antlr4::tree::TerminalNode*>(child);
      if (!term) continue;
      auto type = static_cast<Tok>(term->getSymbol()->getType());
      if (type == Tok::Dot && ki < keys.size()) {
        Name f = key(keys[ki++]);
        base = out_.make<FieldExpr>(source::join(base->span, f.span), base, std::move(f));
      } else if (type == Tok::LBrack && ii < idx.size()) {
        Expr* i = expr(idx[ii++]);
        base = out_.make<IndexExpr>(source::join(base->span, i->span), base, i);
      }
    }
    if (ctx->RBRACK().size() > 0) base->span = span(ctx);
    return base;
  }

  Expr* primary(P::PrimaryContext* ctx) {
    if (!ctx) return out_.make<ErrorExpr>(Span{id_, 0, 0});
    Span s = span(ctx);
    if (auto* t = ctx->INT()) return int_expr(t->getSymbol());
    if (auto* t = ctx->FLOAT()) {
      bool integral = false;
      auto v = parse_number(text(t->getSymbol()), integral, s);
      return v ? static_cast<Expr*>(out_.make<FloatExpr>(s, *v)) : out_.make<ErrorExpr>(s);
    }
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
    for (auto* m : ctx->member()) b->members.push_back(member(m));
    return b;
  }

  Member member(P::MemberContext* ctx) {
    Member m;
    m.span = span(ctx);
    m.has_error = contains_error(ctx);
    for (auto* k : ctx->key()) m.path.push_back(key(k));
    if (auto* l = ctx->label()) {
      if (l->STRING()) {
        auto* s = string_expr(l->STRING()->getSymbol());
        std::string t;
        for (auto& p : s->parts) t += p.text;
        m.label = Name{t, s->span, true};
        m.label_expr = s;
      } else {
        m.label = name(l->ident());
        m.label_expr = out_.make<RefExpr>(*m.label);
      }
    }
    if (auto* r = ctx->repeat()) {
      m.repeat_span = span(r);
      if (r->INT()) {
        auto* e = int_expr(r->INT()->getSymbol());
        if (e->kind == ExprKind::Int) m.repeat = static_cast<IntExpr*>(e)->value;
      }
    }
    if (ctx->expr()) m.value = expr(ctx->expr());
    if (ctx->block()) m.block = block(ctx->block());
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

  DeclKind decl_kind(P::DeclKindContext* ctx) {
    switch (static_cast<Tok>(ctx->getStart()->getType())) {
      case Tok::Cluster: return DeclKind::Cluster;
      case Tok::Machine: return DeclKind::Machine;
      case Tok::Role: return DeclKind::Role;
      case Tok::Service: return DeclKind::Service;
      case Tok::Job: return DeclKind::Job;
      case Tok::Cron: return DeclKind::Cron;
      case Tok::Daemon: return DeclKind::Daemon;
      case Tok::Chart: return DeclKind::Chart;
      default: return DeclKind::Secret;
    }
  }

  const VectorTokenStream& stream_;
  const std::set<size_t>& error_tokens_;
  File& out_;
  diag::Sink& sink_;
  source::FileId id_;
};

}  // namespace

void build_ast(claw_antlr::ClawParser::FileContext* tree, const VectorTokenStream& stream,
               const std::set<size_t>& error_tokens, File& out, diag::Sink& sink) {
  Builder b(stream, error_tokens, out, sink);
  b.file(tree);
}

}  // namespace claw::syntax::detail
