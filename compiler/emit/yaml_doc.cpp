#include "compiler/emit/yaml_doc.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>

#include "compiler/emit/yaml_string.h"

namespace claw::emit::yaml {

namespace {

/// Writes `n` with map keys sorted.
void write(YAML::Emitter& out, const Node& n) {
  switch (n.kind) {
    case Node::Kind::Map: {
      std::vector<const std::pair<std::string, Node>*> kv;
      for (const auto& e : n.entries) kv.push_back(&e);
      std::sort(kv.begin(), kv.end(), [](const auto* a, const auto* b) { return a->first < b->first; });
      if (kv.empty()) {
        out << YAML::Flow << YAML::BeginMap << YAML::EndMap;
        return;
      }
      out << YAML::BeginMap;
      for (const auto* e : kv) {
        out << YAML::Key;
        write_yaml_string(out, e->first);
        out << YAML::Value;
        write(out, e->second);
      }
      out << YAML::EndMap;
      return;
    }
    case Node::Kind::Seq:
      if (n.items.empty()) {
        out << YAML::Flow << YAML::BeginSeq << YAML::EndSeq;
        return;
      }
      out << YAML::BeginSeq;
      for (const auto& item : n.items) write(out, item);
      out << YAML::EndSeq;
      return;
    case Node::Kind::Str: write_yaml_string(out, n.scalar); return;
    case Node::Kind::Plain: out << n.scalar; return;
    case Node::Kind::Null: out << YAML::Null; return;
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

std::string stream(const std::string& header, const std::vector<Document>& docs) {
  std::string text = "# " + header + "\n";
  for (const auto& d : docs) {
    YAML::Emitter out;
    out.SetIndent(2);
    write(out, d.body);
    text += "---\n";
    if (!d.source.empty()) text += "# source: " + d.source + "\n";
    text += out.c_str();
    if (text.back() != '\n') text += '\n';
  }
  return text;
}

}  // namespace claw::emit::yaml
