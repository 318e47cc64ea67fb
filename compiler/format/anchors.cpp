#include "compiler/format/anchors.h"

#include <algorithm>

namespace claw::format {
namespace {

using namespace syntax;

/// Walks the tree and records the anchors.
class Collector {
 public:
  std::vector<uint32_t> starts;
  std::vector<uint32_t> maps;

  void item(const Item& it) {
    starts.push_back(it.span.begin);
    switch (it.kind) {
      case ItemKind::Import: break;
      case ItemKind::Let: {
        const auto& let = static_cast<const LetItem&>(it);
        type(let.type);
        expr(let.value);
        break;
      }
      case ItemKind::Type:
        for (const FieldDecl& f : static_cast<const TypeItem&>(it).fields) {
          starts.push_back(f.span.begin);
          type(f.type);
          expr(f.value);
        }
        break;
      case ItemKind::Enum:
        for (const Name& v : static_cast<const EnumItem&>(it).values) starts.push_back(v.span.begin);
        break;
      case ItemKind::Template: {
        const auto& t = static_cast<const TemplateItem&>(it);
        for (const Param& p : t.params) {
          type(p.type);
          expr(p.value);
        }
        block(t.body);
        break;
      }
      case ItemKind::Decl: {
        const auto& d = static_cast<const DeclItem&>(it);
        for (const Arg& a : d.args) expr(a.value);
        block(d.body);
        break;
      }
    }
  }

 private:
  void block(const Block* b) {
    if (!b) return;
    for (const Member& m : b->members) {
      starts.push_back(m.span.begin);
      expr(m.label_expr);
      expr(m.value);
      block(m.block);
    }
  }

  void type(const TypeExpr* t) {
    if (!t) return;
    if (t->kind == TypeExprKind::Map) maps.push_back(t->span.begin);
    expr(t->lo);
    expr(t->hi);
    type(t->elem);
    type(t->key);
  }

  void expr(const Expr* e) {
    if (!e) return;
    switch (e->kind) {
      case ExprKind::String:
        for (const StringPart& p : static_cast<const StringExpr*>(e)->parts) expr(p.expr);
        break;
      case ExprKind::Field: expr(static_cast<const FieldExpr*>(e)->base); break;
      case ExprKind::Index:
        expr(static_cast<const IndexExpr*>(e)->base);
        expr(static_cast<const IndexExpr*>(e)->index);
        break;
      case ExprKind::Call:
        for (const Arg& a : static_cast<const CallExpr*>(e)->args) expr(a.value);
        break;
      case ExprKind::TypedRecord: block(static_cast<const TypedRecordExpr*>(e)->block); break;
      case ExprKind::List:
        for (const Expr* x : static_cast<const ListExpr*>(e)->items) expr(x);
        break;
      case ExprKind::Record: block(static_cast<const RecordExpr*>(e)->block); break;
      case ExprKind::Unary: expr(static_cast<const UnaryExpr*>(e)->operand); break;
      case ExprKind::Binary:
        expr(static_cast<const BinaryExpr*>(e)->lhs);
        expr(static_cast<const BinaryExpr*>(e)->rhs);
        break;
      default: break;
    }
  }
};

void sort_unique(std::vector<uint32_t>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

}  // namespace

Anchors anchors(const syntax::File& file) {
  Collector c;
  for (const Item* it : file.items) c.item(*it);
  sort_unique(c.starts);
  sort_unique(c.maps);
  return Anchors{std::move(c.starts), std::move(c.maps)};
}

}  // namespace claw::format
