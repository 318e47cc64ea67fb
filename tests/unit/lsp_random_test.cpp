// The language server under random conversations: edits at random ranges
// (past the end, reversed, splitting a UTF-8 sequence or a surrogate pair),
// texts with broken UTF-8, requests at random positions, parameters of the
// wrong shape. Whatever comes, the server answers every request (a result
// or a JSON-RPC error), writes only well-framed messages, and never
// crashes; the sanitizer builds run this too.
#include <doctest/doctest.h>

#include <random>
#include <string>
#include <vector>

#include "tests/unit/lsp_client.h"

namespace {

using claw::testing::json;
using claw::testing::LspClient;
using claw::testing::uri;

const char* kTexts[] = {
    claw::testing::kFeatureNet,
    claw::testing::kFeatureWeb,
    "service web = base(\"x\") {\n  env { A = \"é😀\" }\n}\ntemplate base(n: string) service { image = n }\n",
    "let a = b\nlet b = a\n",
    "machine m { os = linux; arch = amd64; cpu = 2; memory = 4GiB; gpu \"L4\" x 2 { vram = 24GiB } }\n",
    "service s {\n  image = \"${",
    "",
};

struct Random {
  std::mt19937 rng;
  explicit Random(uint32_t seed) : rng(seed) {}
  int below(int n) { return static_cast<int>(rng() % static_cast<uint32_t>(n)); }
  /// A line or character index: mostly small and valid, sometimes huge or negative.
  json index() {
    switch (below(8)) {
      case 0: return -1;
      case 1: return 1 << 30;
      case 2: return "3";  // the wrong type
      default: return below(6);
    }
  }
  json position() { return below(20) == 0 ? json("nowhere") : json{{"line", index()}, {"character", index()}}; }
  std::string text() {
    std::string t = kTexts[below(std::size(kTexts))];
    // A random byte here and there, a cut anywhere (through a UTF-8 sequence too).
    for (int i = below(3); i > 0 && !t.empty(); --i) t[static_cast<size_t>(below(static_cast<int>(t.size())))] = static_cast<char>(rng());
    if (below(4) == 0 && !t.empty()) t.resize(static_cast<size_t>(below(static_cast<int>(t.size()))));
    // JSON carries only UTF-8: what a client can send has the broken
    // sequences replaced (files on disk keep theirs, see below).
    return json::parse(json(t).dump(-1, ' ', false, json::error_handler_t::replace)).get<std::string>();
  }
  std::string path() { return below(2) ? "/ws/net.claw" : "/ws/web.claw"; }
  json doc() { return below(25) == 0 ? json{{"uri", 42}} : json{{"uri", uri(path())}}; }
};

TEST_CASE("lsp: random conversations are answered, never crash") {
  for (uint32_t seed = 1; seed <= 12; ++seed) {
    CAPTURE(seed);
    Random r(seed);
    LspClient c;
    c.fs.memory.add("/ws/net.claw", claw::testing::kFeatureNet);
    c.fs.memory.add("/ws/web.claw", claw::testing::kFeatureWeb);
    c.fs.memory.add("/ws/broken.claw", "service b { image = \"\xff\xfe\" } // \xc3");  // not UTF-8, never opened
    c.start();
    int version = 1;
    c.open("/ws/net.claw", r.text());
    for (int step = 0; step < 60; ++step) {
      switch (r.below(12)) {
        case 0:
          c.open(r.path(), r.text(), ++version);
          break;
        case 1:
        case 2: {
          json change = r.below(5) == 0 ? json{{"text", r.text()}}
                                         : json{{"range", {{"start", r.position()}, {"end", r.position()}}}, {"text", r.text()}};
          c.notify("textDocument/didChange",
                   {{"textDocument", {{"uri", uri(r.path())}, {"version", ++version}}}, {"contentChanges", json::array({change})}});
          break;
        }
        case 3:
          c.notify("textDocument/didClose", {{"textDocument", r.doc()}});
          break;
        default: {
          static const char* kMethods[] = {"textDocument/hover",      "textDocument/definition",
                                           "textDocument/references", "textDocument/completion",
                                           "textDocument/rename",     "textDocument/prepareRename",
                                           "textDocument/formatting", "textDocument/documentSymbol",
                                           "workspace/symbol",        "no/such/method"};
          std::string method = kMethods[r.below(std::size(kMethods))];
          json params = {{"textDocument", r.doc()}, {"position", r.position()}};
          if (method == "textDocument/rename") params["newName"] = r.below(3) ? json("renamed-x") : json(r.text());
          if (method == "textDocument/references") params["context"] = {{"includeDeclaration", r.below(2) == 0}};
          if (method == "textDocument/formatting") params["options"] = {{"tabSize", 2}, {"insertSpaces", true}};
          if (method == "workspace/symbol") params = {{"query", r.below(4) ? json("b") : json(7)}};
          if (r.below(15) == 0) params = json::array();  // the wrong shape altogether
          json reply = c.request(method, params);  // fails the test if nothing answers
          CHECK((reply.contains("result") || reply.contains("error")));
        }
      }
    }
    CHECK(c.request("shutdown", nullptr).contains("result"));
  }
}

}  // namespace
