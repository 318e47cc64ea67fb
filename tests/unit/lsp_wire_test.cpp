// The LSP base protocol's pieces: framing, positions in UTF-16 and UTF-8,
// document sync and file URIs.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "compiler/lsp/documents.h"
#include "compiler/lsp/framing.h"
#include "compiler/lsp/position.h"
#include "compiler/lsp/uri.h"
#include "tests/unit/lsp_client.h"

using claw::lsp::Encoding;
using claw::lsp::LineMap;
using claw::lsp::Position;

TEST_CASE("lsp framing: well-formed frames are read, malformed ones reported and skipped") {
  struct Case {
    const char* name;
    std::string bytes;
    bool malformed;  // the first frame is an error, not a body
  };
  const std::string good = "Content-Length: 7\r\n\r\n{\"a\":1}";
  const std::vector<Case> cases = {
      {"plain", "Content-Length: 2\r\n\r\n{}", false},
      {"header names in any case, with Content-Type", "content-length: 2\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{}", false},
      {"spaces around the value", "Content-Length:   2  \r\n\r\n{}", false},
      {"a length that is not a number", "Content-Length: abc\r\n\r\n", true},
      {"a negative length", "Content-Length: -4\r\n\r\n", true},
      {"no Content-Length", "Content-Type: application/json\r\n\r\n", true},
      {"a line that is no header", "hello world\r\n\r\n", true},
      {"a length over the limit", "Content-Length: 99999999999999\r\n\r\n", true},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    claw::testing::MemoryStream s;
    s.in = c.bytes + good;
    claw::lsp::FrameReader reader(s);
    auto first = reader.next();
    if (c.malformed) {
      REQUIRE_FALSE(first.has_value());
      CHECK_FALSE(first.error().end);
      CHECK_FALSE(first.error().message.empty());
    } else {
      REQUIRE(first.has_value());
      CHECK(*first == "{}");
    }
    auto second = reader.next();
    REQUIRE(second.has_value());
    CHECK(*second == "{\"a\":1}");
    auto third = reader.next();
    REQUIRE_FALSE(third.has_value());
    CHECK(third.error().end);
  }
}

TEST_CASE("lsp framing: a body cut short is the end of input, and frame() writes the header") {
  claw::testing::MemoryStream s;
  s.in = "Content-Length: 10\r\n\r\n{}";
  claw::lsp::FrameReader reader(s);
  auto r = reader.next();
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().end);
  CHECK(claw::lsp::frame("{}") == "Content-Length: 2\r\n\r\n{}");
  // The length counts bytes, not characters.
  CHECK(claw::lsp::frame("\"é\"") == "Content-Length: 4\r\n\r\n\"é\"");
}

TEST_CASE("lsp positions: UTF-16 and UTF-8 code units on a line with non-ASCII and astral characters") {
  // Line 1: x = "é😀z" — é is 2 bytes and 1 UTF-16 unit; 😀 (U+1F600) is 4
  // bytes and 2 UTF-16 units (a surrogate pair).
  const std::string text = "first\r\nx = \"\xC3\xA9\xF0\x9F\x98\x80z\"\nlast";
  const uint32_t line1 = 7;  // after "first\r\n"
  LineMap map(text);
  struct Case {
    uint32_t byte;       // offset in the line
    uint32_t utf16, utf8;
  };
  const std::vector<Case> cases = {
      {0, 0, 0}, {5, 5, 5},    // x = " then é
      {7, 6, 7},               // 😀
      {11, 8, 11},             // z
      {12, 9, 12},             // the closing quote
      {13, 10, 13},            // the line's end
  };
  for (const auto& c : cases) {
    CAPTURE(c.byte);
    CHECK(map.position(line1 + c.byte, Encoding::Utf16) == Position{1, c.utf16});
    CHECK(map.position(line1 + c.byte, Encoding::Utf8) == Position{1, c.utf8});
    CHECK(map.offset(Position{1, c.utf16}, Encoding::Utf16) == line1 + c.byte);
    CHECK(map.offset(Position{1, c.utf8}, Encoding::Utf8) == line1 + c.byte);
  }
  // Past the line's end: the end of the line (not the next line); past the
  // last line: the end of the text.
  CHECK(map.offset(Position{0, 99}, Encoding::Utf16) == 5);
  CHECK(map.offset(Position{1, 99}, Encoding::Utf16) == line1 + 13);
  CHECK(map.offset(Position{9, 0}, Encoding::Utf16) == text.size());
  CHECK(map.position(static_cast<uint32_t>(text.size()), Encoding::Utf16) == Position{2, 4});
  // Lines end at \n, \r\n and a lone \r.
  LineMap cr("a\rb\r\nc\nd");
  CHECK(cr.position(2, Encoding::Utf16) == Position{1, 0});
  CHECK(cr.position(5, Encoding::Utf16) == Position{2, 0});
  CHECK(cr.position(7, Encoding::Utf16) == Position{3, 0});
}

TEST_CASE("lsp documents: full and incremental changes, in UTF-16 positions") {
  claw::lsp::Documents docs;
  docs.open("/ws/a.claw", "hello\nworld", 1);
  using J = nlohmann::json;
  auto range = [](int l0, int c0, int l1, int c1) {
    return J{{"start", {{"line", l0}, {"character", c0}}}, {"end", {{"line", l1}, {"character", c1}}}};
  };
  REQUIRE(docs.change("/ws/a.claw", J::array({{{"range", range(1, 0, 1, 5)}, {"text", "there"}}}), 2, Encoding::Utf16));
  CHECK(docs.find("/ws/a.claw")->text == "hello\nthere");
  CHECK(docs.find("/ws/a.claw")->version == 2);
  // Changes apply in order, each to the text the previous one left.
  REQUIRE(docs.change("/ws/a.claw",
                      J::array({{{"range", range(0, 5, 1, 0)}, {"text", " "}}, {{"range", range(0, 0, 0, 0)}, {"text", ">"}}}), 3,
                      Encoding::Utf16));
  CHECK(docs.find("/ws/a.claw")->text == ">hello there");
  // After an astral character, UTF-16 counts two units for it.
  REQUIRE(docs.change("/ws/a.claw", J::array({{{"text", "a\xF0\x9F\x98\x80" "b"}}}), 4, Encoding::Utf16));
  REQUIRE(docs.change("/ws/a.claw", J::array({{{"range", range(0, 3, 0, 3)}, {"text", "X"}}}), 5, Encoding::Utf16));
  CHECK(docs.find("/ws/a.claw")->text == "a\xF0\x9F\x98\x80Xb");
  // Errors leave the document as it was.
  CHECK_FALSE(docs.change("/ws/b.claw", J::array(), 1, Encoding::Utf16));
  CHECK_FALSE(docs.change("/ws/a.claw", J::array({{{"range", range(0, 1, 0, 0)}, {"text", ""}}}), 6, Encoding::Utf16));
  CHECK_FALSE(docs.change("/ws/a.claw", J::array({{{"range", range(0, 0, 0, 0)}}}), 6, Encoding::Utf16));
  CHECK(docs.find("/ws/a.claw")->version == 5);
}

TEST_CASE("lsp uris: file URIs and paths, percent-encoded") {
  struct Case {
    const char* uri;
    const char* path;  // null: not a local file
  };
  const std::vector<Case> cases = {
      {"file:///ws/a.claw", "/ws/a.claw"},
      {"file:///ws/my%20net/a.claw", "/ws/my net/a.claw"},
      {"file://localhost/ws/a.claw", "/ws/a.claw"},
      {"FILE:///ws/%C3%A9.claw", "/ws/\xC3\xA9.claw"},
      {"untitled:Untitled-1", nullptr},
      {"file://otherhost/ws/a.claw", nullptr},
  };
  for (const auto& c : cases) {
    CAPTURE(c.uri);
    auto p = claw::lsp::path_from_uri(c.uri);
    if (c.path) {
      REQUIRE(p.has_value());
      CHECK(*p == c.path);
    } else {
      CHECK_FALSE(p.has_value());
    }
  }
  CHECK(claw::lsp::uri_from_path("/ws/my net/\xC3\xA9-1.claw") == "file:///ws/my%20net/%C3%A9-1.claw");
}
