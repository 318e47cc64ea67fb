#include "compiler/emit/yaml_doc.h"

#include <algorithm>

#include "compiler/emit/yaml_writer.h"

namespace claw::emit::yaml {

namespace {

using Entry = std::pair<std::string, Node>;

/// `n` handed to `w`, maps' keys sorted: to the YAML writer, or to a tree
/// (the two take the same calls).
template <class Sink>
void write(Sink& w, const Node& n) {
  switch (n.kind) {
    case Node::Kind::Null: w.null(); break;
    case Node::Kind::Str: w.str(n.scalar); break;
    case Node::Kind::Plain: w.plain(n.scalar); break;
    case Node::Kind::Map: {
      std::vector<const Entry*> kv;
      kv.reserve(n.entries.size());
      for (const auto& e : n.entries) kv.push_back(&e);
      std::sort(kv.begin(), kv.end(), [](const Entry* a, const Entry* b) { return a->first < b->first; });
      w.begin_map();
      for (const Entry* e : kv) {
        w.key(e->first);
        write(w, e->second);
      }
      w.end_map();
      break;
    }
    case Node::Kind::Seq:
      w.begin_seq();
      for (const Node& item : n.items) write(w, item);
      w.end_seq();
      break;
  }
}

}  // namespace

Tree tree_of(const Node& n) {
  Tree t;
  write(t, n);
  return t;
}

Node node_of(const Tree& t, size_t index) {
  const Tree::Node& n = t.node(index);
  switch (n.kind) {
    case Tree::Kind::Null: return Node();
    case Tree::Kind::Str: return str(std::string(t.text(n)));
    case Tree::Kind::Plain: return Node::plain(std::string(t.text(n)));
    case Tree::Kind::Map: {
      Node out = map_node();
      t.for_each_child(index, [&](size_t c) { out.entries.emplace_back(std::string(t.key(t.node(c))), node_of(t, c)); });
      return out;
    }
    case Tree::Kind::Seq: {
      Node out = seq_node();
      t.for_each_child(index, [&](size_t c) { out.items.push_back(node_of(t, c)); });
      return out;
    }
  }
  return Node();
}

Node& Node::operator[](const std::string& key) {
  kind = Kind::Map;
  for (auto& [k, v] : entries)
    if (k == key) return v;
  entries.emplace_back(key, Node());
  return entries.back().second;
}

void Node::push_back(Node n) {
  kind = Kind::Seq;
  items.push_back(std::move(n));
}

Node str(const std::string& s) {
  Node n(Node::Kind::Str);
  n.scalar = s;
  return n;
}

Node strs(const std::vector<std::string>& v) {
  Node n = seq_node();
  for (const auto& s : v) n.push_back(str(s));
  return n;
}

Node num(int64_t i) {
  Node n(Node::Kind::Plain);
  n.scalar = std::to_string(i);
  return n;
}

void append(std::string& out, const Node& n) {
  Writer w(out);
  write(w, n);
}

std::string stream(const std::string& header, const std::vector<Document>& docs) {
  std::string text;
  stream_header(text, header);
  for (const auto& d : docs) {
    document_start(text, d.source);
    append(text, d.body);
  }
  return text;
}

}  // namespace claw::emit::yaml
