#include "runtime/sim/field_set.h"

#include "runtime/sim/smd_schema.h"

namespace claw::sim {

void FieldSet::insert(const FieldPath& path) {
  FieldSet* node = this;
  for (const std::string& pe : path) node = &node->children_[pe];
  node->member_ = true;
}

bool FieldSet::has(const FieldPath& path) const {
  const FieldSet* node = this;
  for (const std::string& pe : path) {
    auto it = node->children_.find(pe);
    if (it == node->children_.end()) return false;
    node = &it->second;
  }
  return node->member_;
}

bool FieldSet::has_under(const FieldPath& path) const {
  const FieldSet* node = this;
  for (const std::string& pe : path) {
    auto it = node->children_.find(pe);
    if (it == node->children_.end()) return false;
    node = &it->second;
  }
  return !node->empty();
}

bool FieldSet::empty() const {
  if (member_) return false;
  for (const auto& [pe, child] : children_) {
    if (!child.empty()) return false;
  }
  return true;
}

void FieldSet::collect(FieldPath& prefix, std::vector<FieldPath>& out) const {
  if (member_) out.push_back(prefix);
  for (const auto& [pe, child] : children_) {
    prefix.push_back(pe);
    child.collect(prefix, out);
    prefix.pop_back();
  }
}

std::vector<FieldPath> FieldSet::paths() const {
  std::vector<FieldPath> out;
  FieldPath prefix;
  collect(prefix, out);
  return out;
}

const FieldSet* FieldSet::child(const std::string& pe) const {
  auto it = children_.find(pe);
  return it == children_.end() ? nullptr : &it->second;
}

FieldSet FieldSet::with_named_fields(SchemaView schema) const {
  FieldSet out;
  out.member_ = member_;
  for (const auto& [pe, sub] : children_) {
    SchemaView child;
    bool named = false;
    if (pe.starts_with("f:")) {
      ChildSchema c = child_schema(schema, pe.substr(2));
      child = c.schema;
      named = c.struct_field;
    } else {
      child = schema.items();
    }
    FieldSet ensured = sub.with_named_fields(child);
    if (named && !sub.empty()) ensured.member_ = true;
    out.children_.emplace(pe, std::move(ensured));
  }
  return out;
}

void FieldSet::prune() {
  for (auto it = children_.begin(); it != children_.end();) {
    it->second.prune();
    it = it->second.empty() ? children_.erase(it) : std::next(it);
  }
}

FieldSet FieldSet::unite(const FieldSet& other) const {
  FieldSet out = *this;
  out.member_ = member_ || other.member_;
  for (const auto& [pe, child] : other.children_) {
    auto it = out.children_.find(pe);
    if (it == out.children_.end()) {
      out.children_.emplace(pe, child);
    } else {
      it->second = it->second.unite(child);
    }
  }
  return out;
}

FieldSet FieldSet::minus(const FieldSet& other) const {
  FieldSet out;
  out.member_ = member_ && !other.member_;
  for (const auto& [pe, child] : children_) {
    auto it = other.children_.find(pe);
    out.children_.emplace(pe, it == other.children_.end() ? child : child.minus(it->second));
  }
  out.prune();
  return out;
}

FieldSet FieldSet::intersect(const FieldSet& other) const {
  FieldSet out;
  out.member_ = member_ && other.member_;
  for (const auto& [pe, child] : children_) {
    auto it = other.children_.find(pe);
    if (it != other.children_.end()) out.children_.emplace(pe, child.intersect(it->second));
  }
  out.prune();
  return out;
}

FieldSet FieldSet::minus_subtrees(const FieldSet& other) const {
  if (other.member_) return {};
  FieldSet out;
  out.member_ = member_;
  for (const auto& [pe, child] : children_) {
    auto it = other.children_.find(pe);
    out.children_.emplace(pe, it == other.children_.end() ? child : child.minus_subtrees(it->second));
  }
  out.prune();
  return out;
}

FieldSet FieldSet::only_under(const std::string& pe) const {
  FieldSet out;
  if (const FieldSet* c = child(pe); c != nullptr && !c->empty()) out.children_.emplace(pe, *c);
  return out;
}

Json FieldSet::to_fields_v1() const {
  Json out = Json::object();
  for (const auto& [pe, child] : children_) {
    if (child.empty()) continue;
    Json sub = child.to_fields_v1();
    if (child.member_ && !sub.empty()) sub["."] = Json::object();
    out[pe] = std::move(sub);
  }
  return out;
}

FieldSet FieldSet::from_fields_v1(const Json& v1) {
  FieldSet out;
  if (!v1.is_object()) return out;
  for (auto it = v1.begin(); it != v1.end(); ++it) {
    if (it.key() == ".") continue;
    FieldSet child = from_fields_v1(it.value());
    // A leaf `{}` and a node with `".": {}` are members (serialize.go).
    child.member_ = it.value().empty() || it.value().contains(".");
    out.children_.emplace(it.key(), std::move(child));
  }
  out.prune();
  return out;
}

namespace {

// value.ToString for key values: strings quoted, numbers and booleans plain.
std::string value_string(const Json& v) { return v.dump(); }

std::string element_string(const std::string& pe) {
  std::string body = pe.substr(2);
  std::string out;
  switch (pe[0]) {
    case 'f':
      out.append(".").append(body);
      return out;
    case 'i':
      out.append("[").append(body).append("]");
      return out;
    case 'v':
      out.append("[=").append(body).append("]");
      return out;
    case 'k': {
      Json keys = Json::parse(body, nullptr, false);
      out.append("[");
      bool first = true;
      for (auto it = keys.begin(); keys.is_object() && it != keys.end(); ++it) {
        if (!first) out.append(",");
        first = false;
        out.append(it.key()).append("=").append(value_string(it.value()));
      }
      out.append("]");
      return out;
    }
    default:
      return pe;
  }
}

void walk_set(const Json& value, SchemaView schema, FieldPath& path, FieldSet& out);

void walk_fields(const Json& value, SchemaView schema, FieldPath& path, FieldSet& out) {
  for (auto it = value.begin(); it != value.end(); ++it) {
    ChildSchema child = child_schema(schema, it.key());
    path.push_back("f:" + it.key());
    walk_set(it.value(), child.schema, path, out);
    // typed/tofieldset.go visitMapItems: null or empty values and map
    // entries (not declared struct fields) are members themselves.
    const Json& v = it.value();
    if (v.is_null() || (v.is_object() && v.empty()) || !child.struct_field) out.insert(path);
    path.pop_back();
  }
}

void walk_items(const Json& value, SchemaView schema, FieldPath& path, FieldSet& out) {
  SchemaView items = schema.items();
  for (std::size_t i = 0; i < value.size(); ++i) {
    path.push_back(item_element(schema, value[i], i));
    walk_set(value[i], items, path, out);
    out.insert(path);  // visitListItems: the item itself is a member
    path.pop_back();
  }
}

void walk_set(const Json& value, SchemaView schema, FieldPath& path, FieldSet& out) {
  switch (shape_of(schema, value)) {
    case Shape::leaf:
      out.insert(path);
      return;
    case Shape::fields:
      walk_fields(value, schema, path, out);
      return;
    case Shape::assoc_list:
    case Shape::set_list:
      walk_items(value, schema, path, out);
      return;
  }
}

}  // namespace

std::string path_string(const FieldPath& path) {
  std::string out;
  for (const std::string& pe : path) out += element_string(pe);
  return out;
}

FieldSet object_field_set(const Json& value, SchemaView schema) {
  FieldSet out;
  FieldPath path;
  if (shape_of(schema, value) == Shape::fields) {
    walk_fields(value, schema, path, out);
  } else {
    walk_set(value, schema, path, out);
  }
  return out;
}

}  // namespace claw::sim
