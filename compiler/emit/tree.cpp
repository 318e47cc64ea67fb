#include "compiler/emit/tree.h"

#include <charconv>

namespace claw::emit {

Tree::Node& Tree::push(Kind kind) {
  Node& n = nodes_.emplace_back(pending_key_ ? pending_ : Node{});
  n.kind = kind;
  n.end = static_cast<uint32_t>(nodes_.size());
  pending_key_ = false;
  return n;
}

void Tree::key(std::string_view k) {
  pending_ = Node{};
  pending_.key_offset = static_cast<uint32_t>(chars_.size());
  pending_.key_size = static_cast<uint32_t>(k.size());
  chars_ += k;
  pending_key_ = true;
}

void Tree::plain_key(yaml::PlainKey k) {
  pending_ = Node{};
  pending_.plain_key = true;
  pending_.static_key = k.text().data();
  pending_.key_size = static_cast<uint32_t>(k.text().size());
  pending_key_ = true;
}

void Tree::scalar(Kind kind, std::string_view text) {
  Node& n = push(kind);
  n.text_offset = static_cast<uint32_t>(chars_.size());
  n.text_size = static_cast<uint32_t>(text.size());
  chars_ += text;
}

void Tree::num(int64_t i) {
  char buf[24];
  auto end = std::to_chars(buf, buf + sizeof buf, i).ptr;
  plain(std::string_view(buf, static_cast<size_t>(end - buf)));
}

void Tree::open(Kind kind) {
  push(kind);
  open_.push_back(static_cast<uint32_t>(nodes_.size() - 1));
}

void Tree::close() {
  nodes_[open_.back()].end = static_cast<uint32_t>(nodes_.size());
  open_.pop_back();
}

void Tree::append(const Tree& other, size_t index) {
  const Node& n = other.nodes_[index];
  switch (n.kind) {
    case Kind::Null: null(); break;
    case Kind::Str: str(other.text(n)); break;
    case Kind::Plain: plain(other.text(n)); break;
    case Kind::Map:
    case Kind::Seq:
      open(n.kind);
      other.for_each_child(index, [&](size_t c) {
        const Node& child = other.nodes_[c];
        if (n.kind == Kind::Map) {
          key(other.key(child));
          pending_.plain_key = child.plain_key;
        }
        append(other, c);
      });
      close();
      break;
  }
}

size_t Tree::find(size_t map, std::string_view k) const {
  if (map >= nodes_.size() || nodes_[map].kind != Kind::Map) return npos;
  for (size_t c = map + 1; c < nodes_[map].end; c = nodes_[c].end)
    if (key(nodes_[c]) == k) return c;
  return npos;
}

size_t Tree::at(std::initializer_list<std::string_view> path) const {
  size_t i = nodes_.empty() ? npos : 0;
  for (auto k : path) {
    if (i == npos) return npos;
    i = find(i, k);
  }
  return i;
}

namespace yaml {

namespace {

void write_node(Writer& w, const Tree& t, size_t i) {
  const Tree::Node& n = t.node(i);
  switch (n.kind) {
    case Tree::Kind::Null: w.null(); break;
    case Tree::Kind::Str: w.str(t.text(n)); break;
    case Tree::Kind::Plain: w.plain(t.text(n)); break;
    case Tree::Kind::Map:
      w.begin_map();
      t.for_each_child(i, [&](size_t c) {
        const Tree::Node& child = t.node(c);
        if (child.plain_key) w.key_unquoted(t.key(child));
        else w.key(t.key(child));
        write_node(w, t, c);
      });
      w.end_map();
      break;
    case Tree::Kind::Seq:
      w.begin_seq();
      t.for_each_child(i, [&](size_t c) { write_node(w, t, c); });
      w.end_seq();
      break;
  }
}

}  // namespace

void write_tree(std::string& out, const Tree& tree) {
  if (tree.empty()) return;
  Writer w(out);
  write_node(w, tree, 0);
}

}  // namespace yaml

}  // namespace claw::emit
