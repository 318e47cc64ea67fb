// A complete text rendering of a syntax tree: every node, every field and
// every span, one node per line. Two trees are the same tree exactly when
// their dumps are equal; the parser-equivalence test and the fuzz target
// compare the recursive-descent parser with ANTLR's through it.
#pragma once

#include <cstdio>
#include <string>

#include "compiler/syntax/ast.h"

namespace claw::testing {

class AstDump {
 public:
  static std::string of(const syntax::File& f) {
    AstDump d;
    d.line(0, "file");
    for (const syntax::Item* it : f.items) d.item(1, it);
    for (const auto& c : f.comments) d.line(1, "comment " + sp(c.span) + (c.block ? " block" : ""));
    return std::move(d.out_);
  }

 private:
  static std::string sp(const syntax::Span& s) {
    return "@" + std::to_string(s.file.value) + ":" + std::to_string(s.begin) + "-" + std::to_string(s.end);
  }
  static std::string name(const syntax::Name& n) {
    return "`" + n.text + "`" + sp(n.span) + (n.quoted ? "q" : "");
  }
  static std::string opt(const std::optional<syntax::Name>& n) { return n ? name(*n) : "-"; }
  static std::string opt(const syntax::Name* n) { return n ? name(*n) : "-"; }
  static std::string num(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
  }
  void line(int depth, const std::string& s) {
    out_.append(static_cast<size_t>(depth) * 2, ' ');
    out_ += s;
    out_ += '\n';
  }

  void item(int d, const syntax::Item* it) {
    using namespace syntax;
    std::string head = sp(it->span) + (it->has_error ? " error" : "");
    switch (it->kind) {
      case ItemKind::Import: {
        auto* x = static_cast<const ImportItem*>(it);
        line(d, "import " + head + " `" + x->path + "`" + sp(x->path_span));
        break;
      }
      case ItemKind::Let: {
        auto* x = static_cast<const LetItem*>(it);
        line(d, "let " + head + " " + name(x->name));
        type(d + 1, x->type);
        expr(d + 1, x->value);
        break;
      }
      case ItemKind::Type: {
        auto* x = static_cast<const TypeItem*>(it);
        line(d, "type " + head + " " + name(x->name) + " shorthand " + opt(x->shorthand) + " parent " + opt(x->parent));
        for (const auto& f : x->fields) {
          line(d + 1, "field " + name(f.name) + " " + sp(f.span));
          type(d + 2, f.type);
          expr(d + 2, f.value);
        }
        break;
      }
      case ItemKind::Enum: {
        auto* x = static_cast<const EnumItem*>(it);
        line(d, "enum " + head + " " + name(x->name));
        for (const auto& v : x->values) line(d + 1, name(v));
        break;
      }
      case ItemKind::Template: {
        auto* x = static_cast<const TemplateItem*>(it);
        line(d, "template " + head + " " + name(x->name) + " kind " + std::string(decl_kind_name(x->decl_kind)) +
                    sp(x->kind_span));
        for (const auto& p : x->params) {
          line(d + 1, "param " + name(p.name));
          type(d + 2, p.type);
          expr(d + 2, p.value);
        }
        block(d + 1, x->body);
        break;
      }
      case ItemKind::Decl: {
        auto* x = static_cast<const DeclItem*>(it);
        line(d, "decl " + head + " " + std::string(decl_kind_name(x->decl_kind)) + sp(x->kind_span) + " " +
                    name(x->name) + " source " + opt(x->source) + (x->has_args ? " args" : ""));
        args(d + 1, x->args);
        block(d + 1, x->body);
        break;
      }
    }
  }

  void args(int d, const std::vector<syntax::Arg>& as) {
    for (const auto& a : as) {
      line(d, "arg " + opt(a.name));
      expr(d + 1, a.value);
    }
  }

  void block(int d, const syntax::Block* b) {
    if (!b) {
      line(d, "no-block");
      return;
    }
    line(d, "block " + sp(b->span) + (b->has_error ? " error" : ""));
    for (const auto& m : b->members) {
      std::string s = "member " + sp(m.span) + (m.has_error ? " error" : "");
      for (const auto& k : m.path) s.append(" ").append(name(k));
      s += " label " + opt(m.label);
      if (m.repeat) s.append(" x").append(std::to_string(*m.repeat));
      s += " repeat" + sp(m.repeat_span);
      line(d + 1, s);
      if (m.label_expr) expr(d + 2, m.label_expr);
      expr(d + 2, m.value);
      if (m.block) block(d + 2, m.block);
    }
  }

  void type(int d, const syntax::TypeExpr* t) {
    using syntax::TypeExprKind;
    if (!t) {
      line(d, "no-type");
      return;
    }
    static const char* kinds[] = {"named", "list", "map", "error"};
    line(d, std::string("type ") + kinds[static_cast<int>(t->kind)] + " " + sp(t->span) + " " + name(t->name) +
                (t->has_range ? " range" : "") + (t->optional ? " optional" : ""));
    if (t->has_range) {
      expr(d + 1, t->lo);
      expr(d + 1, t->hi);
    }
    if (t->key) type(d + 1, t->key);
    if (t->elem) type(d + 1, t->elem);
  }

  void expr(int d, const syntax::Expr* e) {
    using namespace syntax;
    if (!e) {
      line(d, "no-expr");
      return;
    }
    std::string s = sp(e->span);
    switch (e->kind) {
      case ExprKind::Int: line(d, "int " + s + " " + std::to_string(static_cast<const IntExpr*>(e)->value)); break;
      case ExprKind::Float: line(d, "float " + s + " " + num(static_cast<const FloatExpr*>(e)->value)); break;
      case ExprKind::Quantity: {
        auto* x = static_cast<const QuantityExpr*>(e);
        line(d, "quantity " + s + " " + num(x->number) + (x->integral ? " integral" : "") + " `" + x->unit + "`" +
                    sp(x->unit_span));
        break;
      }
      case ExprKind::String: {
        auto* x = static_cast<const StringExpr*>(e);
        line(d, "string " + s);
        for (const auto& p : x->parts) {
          line(d + 1, "part `" + p.text + "`");
          if (p.expr) expr(d + 2, p.expr);
        }
        break;
      }
      case ExprKind::Bool: line(d, std::string("bool ") + s + (static_cast<const BoolExpr*>(e)->value ? " true" : " false")); break;
      case ExprKind::Null: line(d, "null " + s); break;
      case ExprKind::Ref: line(d, "ref " + s + " " + name(static_cast<const RefExpr*>(e)->name)); break;
      case ExprKind::Field: {
        auto* x = static_cast<const FieldExpr*>(e);
        line(d, "field " + s + " " + name(x->field));
        expr(d + 1, x->base);
        break;
      }
      case ExprKind::Index: {
        auto* x = static_cast<const IndexExpr*>(e);
        line(d, "index " + s);
        expr(d + 1, x->base);
        expr(d + 1, x->index);
        break;
      }
      case ExprKind::Call: {
        auto* x = static_cast<const CallExpr*>(e);
        line(d, "call " + s + " " + name(x->callee));
        args(d + 1, x->args);
        break;
      }
      case ExprKind::TypedRecord: {
        auto* x = static_cast<const TypedRecordExpr*>(e);
        line(d, "typed-record " + s + " " + name(x->type));
        block(d + 1, x->block);
        break;
      }
      case ExprKind::List: {
        auto* x = static_cast<const ListExpr*>(e);
        line(d, "list " + s);
        for (const Expr* i : x->items) expr(d + 1, i);
        break;
      }
      case ExprKind::Record: {
        auto* x = static_cast<const RecordExpr*>(e);
        line(d, "record " + s);
        block(d + 1, x->block);
        break;
      }
      case ExprKind::Unary: {
        line(d, "neg " + s);
        expr(d + 1, static_cast<const UnaryExpr*>(e)->operand);
        break;
      }
      case ExprKind::Binary: {
        auto* x = static_cast<const BinaryExpr*>(e);
        static const char* ops[] = {"+", "-", "*", "/"};
        line(d, std::string("binary ") + ops[static_cast<int>(x->op)] + " " + s + " op" + sp(x->op_span));
        expr(d + 1, x->lhs);
        expr(d + 1, x->rhs);
        break;
      }
      case ExprKind::Error: line(d, "error " + s); break;
    }
  }

  std::string out_;
};

}  // namespace claw::testing
