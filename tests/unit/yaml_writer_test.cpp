// The YAML writer the emitters share (compiler/emit/yaml_doc, yaml_writer,
// yaml_string): every string must read back as itself through an
// independent reader (yaml-cpp's parser), as a value, as a key and as a
// sequence item, and the layout must be the block style the goldens show,
// whether a tree is written or the writer is driven directly.
#include <doctest/doctest.h>
#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

#include "compiler/emit/yaml_doc.h"
#include "compiler/emit/yaml_writer.h"

namespace {

using claw::emit::yaml::map_node;
using claw::emit::yaml::Node;
using claw::emit::yaml::seq_node;
using claw::emit::yaml::str;

std::string text_of(const Node& n) {
  std::string out;
  claw::emit::yaml::append(out, n);
  return out;
}

const std::vector<std::string> kTricky = {
    "plain", "", " lead", "trail ", "a: b", "a:b", "ends:", "- x", "-x", "--model", "-", "? x", "?x", ":x", ": x",
    "#x", "x #y", "x#y", "[x", "]x", "{x", "}x", ",x", "*x", "&x", "!x", "|x", ">x", "'x", "\"x", "%x", "@x", "`x",
    "yes", "No", "ON", "off", "y", "n", "true", "False", "null", "~", "Null", ".inf", "-.inf", ".nan", "0", "007",
    "0x1F", "1e3", "1_000", "12:30", "2024-01-01", "+1", "-1", ".5", "1.5", "50Gi", "500m", "tab\there", "\x01ctl",
    "del\x7f", "back\\slash", "quote\"d", "caf\xc3\xa9", "nel\xc2\x85x", "ls\xe2\x80\xa8x", "ps\xe2\x80\xa9x",
    "bom\xef\xbb\xbfx", "=", "<<", "=x", "<x", "._", "---", "--- x", "...", "c1\xc2\x80x", "\xc2\x9f", "ff\xef\xbf\xbe", "line one\nline two\n", "no final newline\nsecond", "two finals\n\n", "\nleading newline\n",
    " indented\nblock\n", "blank\n\nlines inside\n", "crlf\r\nline\n", "  deep\n    indent\n",
    "version: v1\nsharing:\n  timeSlicing:\n    resources:\n      - name: nvidia.com/gpu\n        replicas: 2\n"};

}  // namespace

TEST_CASE("yaml writer: every string reads back as itself, as value, key and item") {
  for (const auto& s : kTricky) {
    CAPTURE(s);
    Node m = map_node();
    m["k"] = str(s);
    m[s.empty() ? std::string("empty") : s] = str("v");
    Node items = seq_node();
    items.push_back(str(s));
    items.push_back(str("after"));
    m["list"] = items;
    Node nested = map_node();
    nested["inner"] = str(s);
    m["nested"] = nested;
    std::string text = text_of(m);
    CAPTURE(text);
    YAML::Node back = YAML::Load(text);
    REQUIRE(back.IsMap());
    CHECK(back["k"].as<std::string>() == s);
    CHECK(back[s.empty() ? std::string("empty") : s].as<std::string>() == "v");
    CHECK(back["list"][0].as<std::string>() == s);
    CHECK(back["list"][1].as<std::string>() == "after");
    CHECK(back["nested"]["inner"].as<std::string>() == s);
    // Written plain (yaml-cpp's tag "?"), it is not read as another type.
    if (back["k"].Tag() == "?") {
      bool b = false;
      double d = 0;
      CHECK_FALSE(YAML::convert<bool>::decode(back["k"], b));
      CHECK_FALSE(YAML::convert<double>::decode(back["k"], d));
      CHECK_FALSE(back["k"].IsNull());
    }
  }
}

TEST_CASE("yaml writer: block layout, sorted keys, empty collections, nulls and plain numbers") {
  Node root = map_node();
  root["zeta"] = Node::plain("3");
  root["alpha"] = Node(true);
  Node list = seq_node();
  Node item = map_node();
  item["name"] = str("http");
  item["port"] = Node::plain("80");
  list.push_back(item);
  Node inner = seq_node();
  inner.push_back(str("a"));
  inner.push_back(str("b"));
  list.push_back(inner);
  list.push_back(Node());
  root["items"] = list;
  root["empty_map"] = map_node();
  root["empty_seq"] = seq_node();
  root["block"] = str("one\ntwo\n");
  CHECK(text_of(root) ==
        "alpha: true\n"
        "block: |\n"
        "  one\n"
        "  two\n"
        "empty_map: {}\n"
        "empty_seq: []\n"
        "items:\n"
        "  - name: http\n"
        "    port: 80\n"
        "  - - a\n"
        "    - b\n"
        "  - ~\n"
        "zeta: 3\n");
  YAML::Node back = YAML::Load(text_of(root));
  CHECK(back["items"][0]["port"].as<int>() == 80);
  CHECK(back["items"][1][1].as<std::string>() == "b");
  CHECK(back["items"][2].IsNull());
  CHECK(back["block"].as<std::string>() == "one\ntwo\n");
}

TEST_CASE("yaml writer: a stream has its header, and a source line above each document") {
  Node a = map_node();
  a["kind"] = str("A");
  Node b = map_node();
  b["kind"] = str("B");
  std::string text = claw::emit::yaml::stream("Generated.", {{a, "net.claw:3"}, {b, ""}});
  CHECK(text == "# Generated.\n---\n# source: net.claw:3\nkind: A\n---\nkind: B\n");
  auto docs = YAML::LoadAll(text);
  REQUIRE(docs.size() == 2);
  CHECK(docs[1]["kind"].as<std::string>() == "B");
}

TEST_CASE("yaml writer: driven directly, the same layout as a tree, empty collections in every position") {
  std::string out;
  claw::emit::yaml::Writer y(out);
  y.begin_map();
  y.boolean("alpha", true);
  y.begin_map("empty_map");
  y.end_map();
  y.begin_seq("empty_seq");
  y.end_seq();
  y.begin_seq("items");
  y.begin_map();
  y.begin_seq("empty");
  y.end_seq();
  y.str("name", "http");
  y.num("port", 80);
  y.str("text", "one\ntwo\n");
  y.end_map();
  y.begin_map();
  y.end_map();
  y.begin_seq();
  y.str("a");
  y.begin_seq();
  y.str("deep");
  y.end_seq();
  y.end_seq();
  y.begin_seq();
  y.end_seq();
  y.null();
  y.str("last\nlines\n");
  y.end_seq();
  y.begin_map("nested");
  y.begin_map("inner");
  // Keys spelt in the source are checked to need no quoting when the
  // test is compiled; one that needs it goes through key().
  y.key("key: colon");
  y.str("yes");
  y.end_map();
  y.end_map();
  y.plain("zeta", "3");
  y.end_map();
  const std::string expected =
      "alpha: true\n"
      "empty_map: {}\n"
      "empty_seq: []\n"
      "items:\n"
      "  - empty: []\n"
      "    name: http\n"
      "    port: 80\n"
      "    text: |\n"
      "      one\n"
      "      two\n"
      "  - {}\n"
      "  - - a\n"
      "    - - deep\n"
      "  - []\n"
      "  - ~\n"
      "  - |\n"
      "    last\n"
      "    lines\n"
      "nested:\n"
      "  inner:\n"
      "    \"key: colon\": \"yes\"\n"
      "zeta: 3\n";
  CHECK(out == expected);

  // The same document as a tree, its keys given out of order, writes the same bytes.
  Node item = map_node();
  item["text"] = str("one\ntwo\n");
  item["port"] = Node::plain("80");
  item["name"] = str("http");
  item["empty"] = seq_node();
  Node deep = seq_node();
  deep.push_back(str("deep"));
  Node pair = seq_node();
  pair.push_back(str("a"));
  pair.push_back(deep);
  Node items = seq_node();
  items.push_back(item);
  items.push_back(map_node());
  items.push_back(pair);
  items.push_back(seq_node());
  items.push_back(Node());
  items.push_back(str("last\nlines\n"));
  Node root = map_node();
  root["zeta"] = Node::plain("3");
  root["nested"]["inner"]["key: colon"] = str("yes");
  root["items"] = items;
  root["empty_seq"] = seq_node();
  root["empty_map"] = map_node();
  root["alpha"] = Node(true);
  CHECK(text_of(root) == expected);

  YAML::Node back = YAML::Load(out);
  CHECK(back["items"][0]["text"].as<std::string>() == "one\ntwo\n");
  CHECK(back["items"][2][1][0].as<std::string>() == "deep");
  CHECK(back["items"][5].as<std::string>() == "last\nlines\n");
  CHECK(back["nested"]["inner"]["key: colon"].as<std::string>() == "yes");
}

TEST_CASE("yaml writer: keys checked when claw is compiled are exactly those that need no quoting") {
  using claw::emit::obviously_plain;
  static_assert(obviously_plain("app.kubernetes.io/name"));
  static_assert(obviously_plain("nvidia.com/gpu"));
  static_assert(!obviously_plain("on") && !obviously_plain("No") && !obviously_plain("NULL") && !obviously_plain("y"));
  static_assert(!obviously_plain("key: colon") && !obviously_plain("ends:") && !obviously_plain("1x") && !obviously_plain(""));
  // At run time a key is quoted as it needs, the same way.
  for (std::string k : {"on", "No", "y", "1x", "ends:", "plain", "a b"}) {
    std::string out;
    claw::emit::yaml::Writer y(out);
    y.begin_map();
    y.key(k);
    y.str("v");
    y.end_map();
    CAPTURE(out);
    CHECK(YAML::Load(out)[k].as<std::string>() == "v");
    if (obviously_plain(k)) CHECK(out == k + ": v\n");
  }
  for (std::string word : {"on", "No", "y", "1x", "ends:"}) {
    std::string out;
    claw::emit::yaml::Writer y(out);
    y.begin_map();
    y.key(word);
    y.str("v");
    y.end_map();
    CHECK(out == "\"" + word + "\": v\n");
  }
}

TEST_CASE("yaml writer: empty documents, and streams written piece by piece") {
  std::string map_root, seq_root;
  claw::emit::yaml::Writer m(map_root), s(seq_root);
  m.begin_map();
  m.end_map();
  s.begin_seq();
  s.end_seq();
  CHECK(map_root == "{}\n");
  CHECK(seq_root == "[]\n");
  CHECK(text_of(map_node()) == "{}\n");

  // One writer, several documents: each root map starts at column 0.
  std::string text;
  claw::emit::yaml::stream_header(text, "Generated.");
  claw::emit::yaml::Writer y(text);
  claw::emit::yaml::document_start(text, "net.claw:3");
  y.begin_map();
  y.str("kind", "A");
  y.end_map();
  claw::emit::yaml::document_start(text, "");
  y.begin_map();
  y.str("kind", "B");
  y.end_map();
  Node a = map_node();
  a["kind"] = str("A");
  Node b = map_node();
  b["kind"] = str("B");
  CHECK(text == claw::emit::yaml::stream("Generated.", {{a, "net.claw:3"}, {b, ""}}));
}

TEST_CASE("yaml writer: keys longer than an implicit key may be are written explicit, and read back") {
  using claw::emit::yaml::Writer;
  for (size_t n : {size_t{999}, size_t{1000}, size_t{1001}, size_t{5000}}) {
    CAPTURE(n);
    const std::string key(n, 'k');
    std::string out;
    Writer y(out);
    y.begin_map();
    y.key(key);
    y.str("v");
    y.key(key + "2");
    y.begin_map();
    y.key(key + "3");
    y.str("w");
    y.end_map();
    y.end_map();
    CAPTURE(out.substr(0, 80));
    CHECK((out.starts_with("? ") == (n > Writer::kMaxImplicitKey)));
    YAML::Node back = YAML::Load(out);
    CHECK(back[key].as<std::string>() == "v");
    CHECK(back[key + "2"][key + "3"].as<std::string>() == "w");
  }
}
