#include "compiler/emit/yaml_doc.h"

#include <algorithm>

#include "compiler/emit/yaml_string.h"

namespace claw::emit::yaml {

namespace {

using Entry = std::pair<std::string, Node>;

bool block(const Node& n) { return (n.kind == Node::Kind::Map || n.kind == Node::Kind::Seq) && n.size() > 0; }

void entries(std::string& out, const Node& n, int indent, bool inline_first);
void items(std::string& out, const Node& n, int indent, bool inline_first);

/// A scalar or an empty collection, after `key: ` or `- `, then the newline.
void scalar(std::string& out, const Node& n, int indent) {
  switch (n.kind) {
    case Node::Kind::Map: out += "{}"; break;
    case Node::Kind::Seq: out += "[]"; break;
    case Node::Kind::Str: append_yaml_string(out, n.scalar, indent); break;
    case Node::Kind::Plain: out += n.scalar; break;
    case Node::Kind::Null: out += '~'; break;
  }
  out += '\n';
}

/// A map's entries, keys sorted, at `indent`; the first on the current line
/// when it follows a `- `.
void entries(std::string& out, const Node& n, int indent, bool inline_first) {
  std::vector<const Entry*> kv;
  kv.reserve(n.entries.size());
  for (const auto& e : n.entries) kv.push_back(&e);
  std::sort(kv.begin(), kv.end(), [](const Entry* a, const Entry* b) { return a->first < b->first; });
  bool first = true;
  for (const Entry* e : kv) {
    if (!(first && inline_first)) out.append(static_cast<size_t>(indent), ' ');
    first = false;
    append_yaml_string(out, e->first, indent, false);
    out += ':';
    const Node& v = e->second;
    if (block(v)) {
      out += '\n';
      if (v.kind == Node::Kind::Map) entries(out, v, indent + 2, false);
      else items(out, v, indent + 2, false);
    } else {
      out += ' ';
      scalar(out, v, indent);
    }
  }
}

/// A sequence's items at `indent`, each after `- `.
void items(std::string& out, const Node& n, int indent, bool inline_first) {
  bool first = true;
  for (const Node& item : n.items) {
    if (!(first && inline_first)) out.append(static_cast<size_t>(indent), ' ');
    first = false;
    out += "- ";
    if (block(item)) {
      if (item.kind == Node::Kind::Map) entries(out, item, indent + 2, true);
      else items(out, item, indent + 2, true);
    } else {
      scalar(out, item, indent);
    }
  }
}

}  // namespace

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
  if (block(n)) {
    if (n.kind == Node::Kind::Map) entries(out, n, 0, false);
    else items(out, n, 0, false);
  } else {
    scalar(out, n, -2);
  }
}

std::string stream(const std::string& header, const std::vector<Document>& docs) {
  std::string text = "# " + header + "\n";
  for (const auto& d : docs) {
    text += "---\n";
    if (!d.source.empty()) text += "# source: " + d.source + "\n";
    append(text, d.body);
  }
  return text;
}

}  // namespace claw::emit::yaml
