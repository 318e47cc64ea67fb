#include "runtime/sim/object_merge.h"

#include "runtime/sim/smd_schema.h"

#include <set>
#include <utility>

namespace claw::sim {
namespace {

using Keyed = std::vector<std::pair<std::string, const Json*>>;

Keyed keyed(SchemaView schema, const Json& list) {
  Keyed out;
  for (std::size_t i = 0; i < list.size(); ++i) out.emplace_back(item_element(schema, list[i], i), &list[i]);
  return out;
}

const Json* lookup(const Keyed& items, const std::string& pe) {
  for (const auto& [e, v] : items) {
    if (e == pe) return v;
  }
  return nullptr;
}

Json merge_node(const Json& lhs, const Json& rhs, SchemaView schema);

Json merge_fields(const Json& lhs, const Json& rhs, SchemaView schema) {
  Json out = lhs;
  for (auto it = rhs.begin(); it != rhs.end(); ++it) {
    auto l = lhs.find(it.key());
    SchemaView child = child_schema(schema, it.key()).schema;
    out[it.key()] = l == lhs.end() ? it.value() : merge_node(*l, it.value(), child);
  }
  return out;
}

// merge.go visitListItems: walk both lists together; an item in both is
// merged where the configuration has it, a live-only item keeps its place.
Json merge_items(const Json& lhs, const Json& rhs, SchemaView schema) {
  Keyed l = keyed(schema, lhs), r = keyed(schema, rhs);
  SchemaView item_schema = schema.items();
  Json out = Json::array();
  std::set<std::string> done;
  auto emit = [&](const std::string& pe) {
    const Json* lv = lookup(l, pe);
    const Json* rv = lookup(r, pe);
    if (rv != nullptr) {
      out.push_back(lv ? merge_node(*lv, *rv, item_schema) : *rv);
    } else {
      // Live duplicates (allowed in live objects, typed.AllowDuplicates)
      // the configuration does not name stay as they are.
      for (const auto& [e, v] : l) {
        if (e == pe) out.push_back(*v);
      }
    }
    done.insert(pe);
  };
  std::size_t li = 0, ri = 0;
  while (li < l.size() || ri < r.size()) {
    if (li < l.size() && done.contains(l[li].first)) {
      ++li;
    } else if (ri < r.size() && done.contains(r[ri].first)) {
      ++ri;
    } else if (li < l.size() && ri < r.size()) {
      const std::string& lp = l[li].first;
      const std::string& rp = r[ri].first;
      if (lp == rp || lookup(r, lp) == nullptr) {
        emit(lp);
      } else {
        emit(rp);
      }
    } else {
      emit(li < l.size() ? l[li].first : r[ri].first);
    }
  }
  return out;
}

Json merge_node(const Json& lhs, const Json& rhs, SchemaView schema) {
  Shape ls = shape_of(schema, lhs), rs = shape_of(schema, rhs);
  if (ls != rs || rs == Shape::leaf) return rhs;
  if (rs == Shape::fields) return merge_fields(lhs, rhs, schema);
  return merge_items(lhs, rhs, schema);
}

// Removes the children of `node` (an object or list) that `last` owned and
// `owned` does not; descends where `last` has members further down.
void prune_node(Json& node, const FieldSet& last, const FieldSet& owned, SchemaView schema) {
  static const FieldSet none;
  auto decide = [&](const std::string& pe, Json& child, SchemaView child_schema_view) {
    const FieldSet* l = last.child(pe);
    if (l == nullptr) return false;
    const FieldSet* o = owned.child(pe);
    if (l->has({}) && (o == nullptr || !o->has({}))) return true;
    if (child.is_object() || child.is_array()) prune_node(child, *l, o ? *o : none, child_schema_view);
    return false;
  };
  Shape shape = shape_of(schema, node);
  if (shape == Shape::fields) {
    for (auto it = node.begin(); it != node.end();) {
      SchemaView cs = child_schema(schema, it.key()).schema;
      it = decide("f:" + it.key(), it.value(), cs) ? node.erase(it) : std::next(it);
    }
  } else if (shape == Shape::assoc_list || shape == Shape::set_list) {
    Json kept = Json::array();
    for (std::size_t i = 0; i < node.size(); ++i) {
      if (!decide(item_element(schema, node[i], i), node[i], schema.items())) kept.push_back(node[i]);
    }
    node = std::move(kept);
  }
}

}  // namespace

Json merge_objects(const Json& live, const Json& config, SchemaView schema) { return merge_node(live, config, schema); }

void prune_fields(Json& object, const FieldSet& last, const FieldSet& owned, SchemaView schema) {
  prune_node(object, last.with_named_fields(schema), owned.with_named_fields(schema), schema);
}

}  // namespace claw::sim
