#include "runtime/sim/field_compare.h"

#include "runtime/sim/smd_schema.h"

#include <utility>

namespace claw::sim {
namespace {

using Items = std::vector<std::pair<std::string, const Json*>>;

Items list_items(SchemaView schema, const Json* list) {
  Items out;
  if (list == nullptr) return out;
  for (std::size_t i = 0; i < list->size(); ++i) out.emplace_back(item_element(schema, (*list)[i], i), &(*list)[i]);
  return out;
}

const Json* find_item(const Items& items, const std::string& pe) {
  for (const auto& [e, v] : items) {
    if (e == pe) return v;
  }
  return nullptr;
}

class Comparer {
 public:
  explicit Comparer(FieldComparison& out) : out_(out) {}

  // compareWalker.compare: one node present on at least one side.
  // `present` (the root, or a node both sides hold) never counts as added or removed itself.
  void node(const Json* lhs, const Json* rhs, SchemaView schema, bool present) {
    // A null takes the other side's form (deduceAtom: "nil is a wildcard"):
    // a null list against a list is an empty list, not a changed leaf.
    if (lhs && rhs && lhs->is_null() != rhs->is_null()) {
      const Json* other = lhs->is_null() ? rhs : lhs;
      if (shape_of(schema, *other) != Shape::leaf) {
        static const Json empty_object = Json::object(), empty_list = Json::array();
        const Json* empty = other->is_object() ? &empty_object : &empty_list;
        return node(lhs->is_null() ? empty : lhs, rhs->is_null() ? empty : rhs, schema, true);
      }
    }
    Shape ls = lhs ? shape_of(schema, *lhs) : Shape::leaf;
    Shape rs = rhs ? shape_of(schema, *rhs) : Shape::leaf;
    Shape shape = lhs ? ls : rs;
    if ((lhs && rhs && ls != rs) || shape == Shape::leaf) return leaf(lhs, rhs);
    if (!present && lhs == nullptr) out_.added.insert(path_);
    if (!present && rhs == nullptr) out_.removed.insert(path_);
    if (shape == Shape::fields) return fields(lhs, rhs, schema);
    return items(lhs, rhs, schema);
  }

 private:
  // compareWalker.doLeaf.
  void leaf(const Json* lhs, const Json* rhs) {
    if (lhs == nullptr) {
      out_.added.insert(path_);
    } else if (rhs == nullptr) {
      out_.removed.insert(path_);
    } else if (*lhs != *rhs) {
      out_.modified.insert(path_);
    }
  }

  void fields(const Json* lhs, const Json* rhs, SchemaView schema) {
    auto visit = [&](const std::string& key) {
      const Json* l = lhs && lhs->contains(key) ? &(*lhs)[key] : nullptr;
      const Json* r = rhs && rhs->contains(key) ? &(*rhs)[key] : nullptr;
      path_.push_back("f:" + key);
      node(l, r, child_schema(schema, key).schema, false);
      path_.pop_back();
    };
    if (lhs) {
      for (auto it = lhs->begin(); it != lhs->end(); ++it) visit(it.key());
    }
    if (rhs) {
      for (auto it = rhs->begin(); it != rhs->end(); ++it) {
        if (!lhs || !lhs->contains(it.key())) visit(it.key());
      }
    }
  }

  void items(const Json* lhs, const Json* rhs, SchemaView schema) {
    Items l = list_items(schema, lhs), r = list_items(schema, rhs);
    SchemaView item_schema = schema.items();
    for (const auto& [pe, v] : l) {
      path_.push_back(pe);
      node(v, find_item(r, pe), item_schema, false);
      path_.pop_back();
    }
    for (const auto& [pe, v] : r) {
      if (find_item(l, pe) != nullptr) continue;
      path_.push_back(pe);
      node(nullptr, v, item_schema, false);
      path_.pop_back();
    }
  }

  FieldComparison& out_;
  FieldPath path_;
};

}  // namespace

FieldComparison compare_objects(const Json& before, const Json& after, SchemaView schema) {
  FieldComparison out;
  Comparer(out).node(&before, &after, schema, true);
  return out;
}

}  // namespace claw::sim
