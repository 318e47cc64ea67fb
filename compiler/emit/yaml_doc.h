// The document model the YAML emitters build: a small tree serialised once,
// block style, with map keys sorted (claw's own writer: yaml-cpp's emitter
// tests every scalar with regular expressions, most of a large build's
// time). Scalars know whether they are text (quoted when YAML would read
// them as another type) or numbers and booleans. Objects whose shape is
// fixed are written without a tree, through the same layout (yaml_writer.h).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "compiler/emit/tree.h"

namespace claw::emit::yaml {

struct Node {
  enum class Kind { Null, Str, Plain, Map, Seq };
  Kind kind = Kind::Null;
  std::string scalar;
  std::vector<std::pair<std::string, Node>> entries;  // maps, in insertion order
  std::vector<Node> items;                            // sequences

  Node() = default;
  explicit Node(Kind k) : kind(k) {}
  explicit Node(bool b) : kind(Kind::Plain), scalar(b ? "true" : "false") {}
  /// Number or other text written as is (the caller vouches it is valid).
  static Node plain(std::string text) {
    Node n(Kind::Plain);
    n.scalar = std::move(text);
    return n;
  }

  /// The entry `key`, added (null) when missing; makes this node a map.
  Node& operator[](const std::string& key);
  /// Appends an item; makes this node a sequence.
  void push_back(Node n);
  size_t size() const { return kind == Kind::Map ? entries.size() : items.size(); }
};

inline Node map_node() { return Node(Node::Kind::Map); }
inline Node seq_node() { return Node(Node::Kind::Seq); }
Node str(const std::string& s);
Node strs(const std::vector<std::string>& v);
Node num(int64_t i);

/// Appends `n` as a YAML document body (block style, maps' keys sorted,
/// two-space indents, sequences indented under their key).
void append(std::string& out, const Node& n);

/// `n` as a Tree, maps' keys sorted (as append writes them).
Tree tree_of(const Node& n);
/// `t` (from node `index` down) as a Node, keys in the tree's order.
Node node_of(const Tree& t, size_t index = 0);

/// One document of a stream, with the source line it came from
/// (`infra/services/core.claw:42`; empty when unknown).
struct Document {
  Node body;
  std::string source;
};

/// The documents as one YAML stream, after a header comment; each document
/// is preceded by a `source:` comment when it has one.
std::string stream(const std::string& header, const std::vector<Document>& docs);

}  // namespace claw::emit::yaml
