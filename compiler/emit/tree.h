// The body of an emitted object as data: a tree of maps, sequences and
// scalars, stored flat (one node array, one character buffer) so that the
// thousands of objects of a large build cost few allocations. The emitters
// build it in document order through the same calls the YAML writer takes
// (key, str, begin_map, ...); the YAML files (yaml_writer.h: write_tree),
// the JSON bodies sent to a cluster (tree_json.h) and the plan's
// comparisons are all read from it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/emit/yaml_writer.h"

namespace claw::emit {

class Tree {
 public:
  enum class Kind : uint8_t { Null, Str, Plain, Map, Seq };

  /// One node. Containers are followed by their descendants; `end` is the
  /// index one past the last of them (a scalar's is its own index + 1).
  struct Node {
    Kind kind = Kind::Null;
    /// The key needs no quoting (spelt in claw's source: PlainKey).
    bool plain_key = false;
    uint32_t end = 0;
    uint32_t key_offset = 0, key_size = 0;    // in the map that holds it; empty for items and the root
    uint32_t text_offset = 0, text_size = 0;  // scalars
    const char* static_key = nullptr;         // a PlainKey's literal, not copied
  };

  // Building, in document order: a value follows a `key` inside a map,
  // stands as an item inside a sequence, or is the root. Keys are kept in
  // the order given; callers give them sorted.
  void key(std::string_view k);
  void str(std::string_view s) { scalar(Kind::Str, s); }
  /// A number, boolean or other text kept as is (the caller vouches it is
  /// a valid YAML and JSON scalar: see tree_json.h for how it is read).
  void plain(std::string_view text) { scalar(Kind::Plain, text); }
  void num(int64_t i);
  void boolean(bool b) { plain(b ? "true" : "false"); }
  void null() { scalar(Kind::Null, {}); }
  void begin_map() { open(Kind::Map); }
  void end_map() { close(); }
  void begin_seq() { open(Kind::Seq); }
  void end_seq() { close(); }

  void str(yaml::PlainKey k, std::string_view s) { plain_key(k), str(s); }
  void plain(yaml::PlainKey k, std::string_view text) { plain_key(k), plain(text); }
  void num(yaml::PlainKey k, int64_t i) { plain_key(k), num(i); }
  void boolean(yaml::PlainKey k, bool b) { plain_key(k), boolean(b); }
  void begin_map(yaml::PlainKey k) { plain_key(k), begin_map(); }
  void begin_seq(yaml::PlainKey k) { plain_key(k), begin_seq(); }

  /// Appends `other`'s root as the next value (after a key, as an item or
  /// as the root).
  void append(const Tree& other) { append(other, 0); }
  /// Appends node `index` of `other` and its descendants as the next value.
  void append(const Tree& other, size_t index);

  // Reading.
  bool empty() const { return nodes_.empty(); }
  size_t size() const { return nodes_.size(); }
  const Node& node(size_t i) const { return nodes_[i]; }
  std::string_view key(const Node& n) const {
    return {n.static_key ? n.static_key : chars_.data() + n.key_offset, n.key_size};
  }
  std::string_view text(const Node& n) const { return {chars_.data() + n.text_offset, n.text_size}; }
  /// The child of map node `map` with key `k`, or npos.
  size_t find(size_t map, std::string_view k) const;
  /// The node at a path of map keys from the root (`{"metadata", "name"}`), or npos.
  size_t at(std::initializer_list<std::string_view> path) const;
  static constexpr size_t npos = static_cast<size_t>(-1);

  /// Calls fn(index) for each child of container `i`, in order.
  template <class Fn>
  void for_each_child(size_t i, Fn&& fn) const {
    for (size_t c = i + 1; c < nodes_[i].end; c = nodes_[c].end) fn(c);
  }

  void clear() {
    nodes_.clear();
    chars_.clear();
    open_.clear();
    pending_key_ = false;
  }

 private:
  void plain_key(yaml::PlainKey k);
  void scalar(Kind kind, std::string_view text);
  void open(Kind kind);
  void close();
  /// A new node, taking the pending key.
  Node& push(Kind kind);

  std::vector<Node> nodes_;
  std::string chars_;
  std::vector<uint32_t> open_;  // the containers being built
  Node pending_{};              // the key given for the next value
  bool pending_key_ = false;
};

namespace yaml {

/// Appends `tree` as a YAML document body, block style, in the layout of
/// Writer (keys in the tree's order).
void write_tree(std::string& out, const Tree& tree);

}  // namespace yaml

}  // namespace claw::emit
