// Diagnostics as an editor sees them: published on open and on each change,
// cleared when fixed, across the files of the workspace (open or not), at
// ranges in the negotiated encoding.
#include <doctest/doctest.h>

#include <string>

#include "tests/unit/lsp_client.h"

namespace {

using claw::testing::json;
using claw::testing::LspClient;

const char* kMachine = "machine box { os = linux; arch = amd64; cpu = 4; memory = 16GiB }\n";
// `boxx` names no machine: undeclared-reference at line 0, characters 46 to 50.
const std::string kBroken = std::string("cluster home { k3s = \"v1.31.4+k3s1\"; server = boxx }\n") + kMachine;
const std::string kFixed = std::string("cluster home { k3s = \"v1.31.4+k3s1\"; server = box }\n") + kMachine;

json range(int l0, int c0, int l1, int c1) {
  return {{"start", {{"line", l0}, {"character", c0}}}, {"end", {{"line", l1}, {"character", c1}}}};
}

}  // namespace

TEST_CASE("lsp diagnostics: an error is published at its range, and cleared when fixed") {
  LspClient c;
  c.start();
  c.open("/ws/net.claw", kBroken);
  json d = c.diagnostics("/ws/net.claw");
  REQUIRE(d.is_array());
  REQUIRE(d.size() == 1);
  CHECK(d[0]["range"] == range(0, 46, 0, 50));
  CHECK(d[0]["severity"] == 1);
  CHECK(d[0]["code"] == "undeclared-reference");
  CHECK(d[0]["source"] == "claw");
  CHECK(d[0]["message"].get<std::string>().find("boxx") != std::string::npos);
  c.replace("/ws/net.claw", kFixed, 2);
  d = c.diagnostics("/ws/net.claw");
  REQUIRE(d.is_array());
  CHECK(d.empty());
  // The cleared list carries the document's version.
  for (auto it = c.received.rbegin(); it != c.received.rend(); ++it)
    if (it->value("method", "") == "textDocument/publishDiagnostics") {
      CHECK((*it)["params"]["version"] == 2);
      break;
    }
}

TEST_CASE("lsp diagnostics: ranges count UTF-16 units, or UTF-8 bytes when negotiated") {
  // A comment with é (1 unit, 2 bytes) and 😀 (2 units, 4 bytes) before the
  // error on its line: `boxx` starts 4 units / 10 bytes - 6 further on.
  const std::string text = std::string("cluster home { k3s = \"v1.31.4+k3s1\"; /* \xC3\xA9\xF0\x9F\x98\x80 */ server = boxx }\n") + kMachine;
  struct Case {
    json caps;
    int begin, end;
  };
  const Case cases[] = {
      {json::object(), 56, 60},
      {{{"general", {{"positionEncodings", {"utf-8"}}}}}, 59, 63},
  };
  for (const auto& cs : cases) {
    CAPTURE(cs.caps.dump());
    LspClient c;
    c.start(cs.caps);
    c.open("/ws/net.claw", text);
    json d = c.diagnostics("/ws/net.claw");
    REQUIRE(d.size() == 1);
    CHECK(d[0]["range"] == range(0, cs.begin, 0, cs.end));
  }
}

TEST_CASE("lsp diagnostics: an edit in one file that breaks another file's reference reports it there") {
  LspClient c;
  // On disk only, never opened: part of the workspace all the same.
  c.fs.memory.add("/ws/web.claw", "service web {\n  image = \"nginx:1\"\n  on = box\n}\n");
  c.fs.memory.add("/ws/net.claw", kFixed);
  c.start();
  CHECK(c.diagnostics("/ws/web.claw").is_null());  // nothing to say: never published
  c.open("/ws/net.claw", kFixed);
  std::string renamed = kFixed;
  renamed.replace(renamed.find("machine box"), 11, "machine boxy");
  renamed.replace(renamed.find("server = box"), 12, "server = boxy");
  c.replace("/ws/net.claw", renamed, 2);
  json d = c.diagnostics("/ws/web.claw");
  REQUIRE(d.is_array());
  REQUIRE(d.size() == 1);
  CHECK(d[0]["code"] == "undeclared-reference");
  CHECK(d[0]["range"] == range(2, 7, 2, 10));
  CHECK(c.diagnostics("/ws/net.claw").empty());
  // Undone: the other file's diagnostic is cleared.
  c.replace("/ws/net.claw", kFixed, 3);
  CHECK(c.diagnostics("/ws/web.claw").empty());
}

TEST_CASE("lsp diagnostics: a syntax error in one file does not stop the other files' diagnostics") {
  LspClient c;
  c.fs.memory.add("/ws/net.claw", kBroken);
  c.fs.memory.add("/ws/bad.claw", "service {{ = \n");
  c.start();
  json bad = c.diagnostics("/ws/bad.claw");
  REQUIRE(bad.is_array());
  REQUIRE_FALSE(bad.empty());
  CHECK(bad[0]["code"] == "syntax");
  json net = c.diagnostics("/ws/net.claw");
  REQUIRE(net.is_array());
  REQUIRE(net.size() == 1);
  CHECK(net[0]["code"] == "undeclared-reference");
}

TEST_CASE("lsp diagnostics: a note's span is related information") {
  LspClient c;
  c.start();
  // Two machines of one name: the second is the error, the first its note.
  c.open("/ws/net.claw", kFixed + kMachine);
  json d = c.diagnostics("/ws/net.claw");
  REQUIRE(d.is_array());
  REQUIRE(d.size() >= 1);
  REQUIRE(d[0].contains("relatedInformation"));
  const json& rel = d[0]["relatedInformation"][0];
  CHECK(rel["location"]["uri"] == "file:///ws/net.claw");
  CHECK(rel["location"]["range"]["start"]["line"] == 1);
  CHECK(d[0]["range"]["start"]["line"] == 2);
}

TEST_CASE("lsp diagnostics: closing a document never saved clears its diagnostics") {
  LspClient c;
  c.fs.memory.add("/ws/net.claw", kFixed);
  c.start();
  c.open("/ws/draft.claw", "service draft { image = \"nginx:1\"; on = nowhere }\n");
  REQUIRE(c.diagnostics("/ws/draft.claw").size() == 1);
  c.notify("textDocument/didClose", {{"textDocument", {{"uri", "file:///ws/draft.claw"}}}});
  json d = c.diagnostics("/ws/draft.claw");
  REQUIRE(d.is_array());
  CHECK(d.empty());
}

TEST_CASE("lsp diagnostics: a file changed on disk, and workspace folders added and removed") {
  LspClient c;
  c.fs.memory.add("/ws/net.claw", kFixed);
  c.fs.memory.add("/other/net.claw", kBroken);
  c.request("initialize", {{"rootUri", "file:///ws"},
                           {"capabilities", {{"workspace", {{"didChangeWatchedFiles", {{"dynamicRegistration", true}}}}}}}});
  auto got = c.notify("initialized", json::object());
  REQUIRE_FALSE(got.empty());
  CHECK(got[0]["method"] == "client/registerCapability");
  CHECK(got[0]["params"]["registrations"][0]["registerOptions"]["watchers"][0]["globPattern"] == "**/*.claw");
  CHECK(c.diagnostics("/ws/net.claw").is_null());
  // Changed on disk, not in the editor: said by the watcher.
  c.fs.memory.add("/ws/net.claw", kBroken);
  c.notify("workspace/didChangeWatchedFiles", {{"changes", {{{"uri", "file:///ws/net.claw"}, {"type", 2}}}}});
  REQUIRE(c.diagnostics("/ws/net.claw").size() == 1);
  // Another folder instead of /ws: its file's diagnostics come, /ws's go.
  c.notify("workspace/didChangeWorkspaceFolders",
           {{"event", {{"added", {{{"uri", "file:///other"}, {"name", "other"}}}}, {"removed", {{{"uri", "file:///ws"}, {"name", "ws"}}}}}}});
  CHECK(c.diagnostics("/other/net.claw").size() == 1);
  CHECK(c.diagnostics("/ws/net.claw").empty());
}
