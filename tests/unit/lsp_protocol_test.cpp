// The server's lifecycle and its answers to malformed messages, driven
// through the framed stream as an editor drives `claw lsp`.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "tests/unit/lsp_client.h"

namespace {

using claw::testing::json;
using claw::testing::LspClient;

std::string framed(const std::string& body) { return claw::lsp::frame(body); }

std::string msg(int id, const std::string& method, json params = json::object()) {
  return framed(json{{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", std::move(params)}}.dump());
}

std::string note(const std::string& method) {
  return framed(json{{"jsonrpc", "2.0"}, {"method", method}}.dump());
}

struct Session {
  int code;
  std::vector<json> out;
};

Session run_session(const std::string& input) {
  LspClient c;
  c.stream.in = input;
  int code = c.server->run();
  return {code, claw::testing::read_frames(c.stream.out)};
}

int error_code_of(const json& m) { return m.contains("error") ? m["error"]["code"].get<int>() : 0; }

}  // namespace

TEST_CASE("lsp protocol: garbage frames are answered with errors and the server keeps serving") {
  std::string in = "Content-Length: abc\r\n\r\n";             // a bad length
  in += "nonsense\r\n\r\n";                                      // a bad header
  in += framed("{not json");                                     // bad JSON
  in += framed("[1, 2]");                                        // JSON, but no request
  in += framed(R"({"jsonrpc":"2.0","id":7,"method":12})");       // a method that is no string
  in += framed(R"({"jsonrpc":"1.0","id":8,"method":"shutdown"})");  // not JSON-RPC 2.0
  in += msg(1, "initialize", {{"capabilities", json::object()}});
  in += msg(2, "textDocument/frobnicate");
  in += msg(3, "textDocument/hover", {{"textDocument", 5}});
  in += msg(4, "shutdown");
  in += msg(5, "textDocument/hover");
  in += note("exit");
  in += msg(6, "shutdown");  // after exit: never read
  Session s = run_session(in);
  CHECK(s.code == 0);
  REQUIRE(s.out.size() == 11);
  const std::vector<std::pair<json, int>> expected = {
      {nullptr, -32700}, {nullptr, -32700}, {nullptr, -32700}, {nullptr, -32600}, {7, -32600}, {8, -32600},
      {1, 0},            {2, -32601},       {3, -32602},       {4, 0},      {5, -32600},
  };
  for (size_t i = 0; i < expected.size(); ++i) {
    CAPTURE(i);
    CHECK(s.out[i]["jsonrpc"] == "2.0");
    CHECK(s.out[i]["id"] == expected[i].first);
    CHECK(error_code_of(s.out[i]) == expected[i].second);
  }
  CHECK(s.out[9]["result"].is_null());  // shutdown's
}

TEST_CASE("lsp protocol: requests before initialize fail with -32002; exit without shutdown exits 1") {
  Session s = run_session(msg(1, "textDocument/hover") + note("textDocument/didOpen") + note("exit"));
  CHECK(s.code == 1);
  REQUIRE(s.out.size() == 1);
  CHECK(error_code_of(s.out[0]) == -32002);
  // The input ending without exit: 1 too.
  CHECK(run_session(msg(1, "initialize")).code == 1);
}

TEST_CASE("lsp protocol: a request after shutdown is an invalid request") {
  Session s = run_session(msg(1, "initialize") + msg(2, "shutdown") + msg(3, "textDocument/hover") + note("exit"));
  CHECK(s.code == 0);
  REQUIRE(s.out.size() == 3);
  CHECK(error_code_of(s.out[2]) == -32600);
}

TEST_CASE("lsp protocol: initialize negotiates the position encoding and lists the capabilities") {
  struct Case {
    json offered;
    const char* chosen;
  };
  const std::vector<Case> cases = {
      {json::object(), "utf-16"},
      {{{"general", {{"positionEncodings", {"utf-16"}}}}}, "utf-16"},
      {{{"general", {{"positionEncodings", {"utf-16", "utf-8"}}}}}, "utf-8"},
      {{{"general", {{"positionEncodings", {"utf-32"}}}}}, "utf-16"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.offered.dump());
    LspClient client;
    json r = client.start(c.offered);
    const json& caps = r["result"]["capabilities"];
    CHECK(caps["positionEncoding"] == c.chosen);
    CHECK(caps["textDocumentSync"]["change"] == 2);
    CHECK(caps["textDocumentSync"]["openClose"] == true);
    for (const char* p : {"hoverProvider", "definitionProvider", "referencesProvider", "documentSymbolProvider",
                          "workspaceSymbolProvider"})
      CHECK(caps[p] == true);
    CHECK(caps["renameProvider"]["prepareProvider"] == true);
    CHECK(caps.contains("completionProvider"));
    CHECK(r["result"]["serverInfo"]["name"] == "claw");
  }
}

TEST_CASE("lsp protocol: a burst of edits already waiting is checked once, at its last version") {
  const std::string uri = "file:///ws/net.claw";
  const std::string machine = "machine box { os = linux; arch = amd64; cpu = 4; memory = 16GiB }\n";
  auto cluster = [&](const std::string& server) {
    return "cluster home { k3s = \"v1.31.4+k3s1\"; server = " + server + " }\n" + machine;
  };
  auto change = [&](int version, const std::string& text) {
    return framed(json{{"jsonrpc", "2.0"},
                       {"method", "textDocument/didChange"},
                       {"params", {{"textDocument", {{"uri", uri}, {"version", version}}}, {"contentChanges", {{{"text", text}}}}}}}
                      .dump());
  };
  std::string in = msg(1, "initialize") + note("initialized");
  in += framed(json{{"jsonrpc", "2.0"},
                    {"method", "textDocument/didOpen"},
                    {"params", {{"textDocument", {{"uri", uri}, {"languageId", "claw"}, {"version", 1}, {"text", cluster("box")}}}}}}
                   .dump());
  in += change(2, cluster("boxx")) + change(3, cluster("boxy"));
  in += msg(2, "shutdown") + note("exit");
  Session s = run_session(in);
  CHECK(s.code == 0);
  std::vector<json> published;
  for (const auto& m : s.out)
    if (m.value("method", "") == "textDocument/publishDiagnostics") published.push_back(m["params"]);
  REQUIRE(published.size() == 1);
  CHECK(published[0]["version"] == 3);
  REQUIRE(published[0]["diagnostics"].size() == 1);
  CHECK(published[0]["diagnostics"][0]["message"].get<std::string>().find("boxy") != std::string::npos);
}

TEST_CASE("lsp protocol: malformed notifications are logged, never answered, and the server goes on") {
  LspClient c;
  c.start();
  const std::vector<json> bad = {
      json::object(),
      {{"textDocument", 5}},
      {{"textDocument", {{"uri", "file:///ws/a.claw"}}}},                                  // no text
      {{"textDocument", {{"uri", "file:///ws/a.claw"}, {"text", "x"}, {"version", "one"}}}},  // a version that is no number
  };
  for (const auto& params : bad) {
    CAPTURE(params.dump());
    auto got = c.notify("textDocument/didOpen", params);
    for (const auto& m : got) CHECK(m.value("method", "") != "");  // notifications only: no response
  }
  auto got = c.notify("textDocument/didChange", {{"textDocument", {{"uri", "file:///ws/unopened.claw"}, {"version", 2}}},
                                                 {"contentChanges", json::array()}});
  REQUIRE(got.size() == 1);
  CHECK(got[0]["method"] == "window/logMessage");
  json r = c.request("shutdown", nullptr);
  CHECK(r.contains("result"));
}
