// A language-server client for tests: an in-memory stream, a server over a
// test filesystem (files in memory under /ws, the real stdlib), and helpers
// that send requests and notifications and read what the server sent.
#pragma once

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <vector>

#include "compiler/lsp/framing.h"
#include "compiler/lsp/server.h"
#include "compiler/lsp/stream.h"
#include "tests/unit/test_fs.h"

namespace claw::testing {

using nlohmann::json;

/// The fake stream: `in` is what the client sent, `out` what the server wrote.
class MemoryStream final : public lsp::ByteStream {
 public:
  std::string in, out;
  size_t read(char* buf, size_t n) override {
    size_t k = std::min(n, in.size() - pos_);
    std::copy_n(in.data() + pos_, k, buf);
    pos_ += k;
    return k;
  }
  bool write(std::string_view bytes) override {
    out += bytes;
    return true;
  }
  bool pending() override { return pos_ < in.size(); }

 private:
  size_t pos_ = 0;
};

/// Every message framed in `bytes`, in order (checking each frame's length).
inline std::vector<json> read_frames(const std::string& bytes) {
  std::vector<json> out;
  size_t at = 0;
  while (at < bytes.size()) {
    size_t end = bytes.find("\r\n\r\n", at);
    REQUIRE(end != std::string::npos);
    std::string header = bytes.substr(at, end - at);
    REQUIRE(header.starts_with("Content-Length: "));
    size_t n = std::stoul(header.substr(16));
    out.push_back(json::parse(bytes.substr(end + 4, n)));
    at = end + 4 + n;
  }
  return out;
}

inline std::string uri(const std::string& path) { return "file://" + path; }

inline json pos(int line, int character) { return {{"line", line}, {"character", character}}; }

/// An LSP range from (l0, c0) to (l1, c1).
inline json range(int l0, int c0, int l1, int c1) { return {{"start", pos(l0, c0)}, {"end", pos(l1, c1)}}; }

/// The two-file network the feature tests ask about. net.claw: line 0 is
/// 51 bytes and its newline; the cluster names `box` at characters 46-49
/// (bytes 46..49); line 1 starts at byte 52: the machine `box` is declared
/// at characters 8-11 (bytes 60..63), `linux` at 19 (71..76), `memory` at
/// 49. web.claw: line 2 starts at byte 34; `on = box` names it at
/// characters 7-10 (bytes 41..44).
inline const char* kFeatureNet =
    "cluster home { k3s = \"v1.31.4+k3s1\"; server = box }\n"
    "machine box { os = linux; arch = amd64; cpu = 4; memory = 16GiB }\n";
inline const char* kFeatureWeb = "service web {\n  image = \"nginx:1\"\n  on = box\n}\n";

inline json at(const std::string& path, int line, int character) {
  return {{"textDocument", {{"uri", uri(path)}}}, {"position", pos(line, character)}};
}

/// A client driving a server message by message.
struct LspClient {
  TestFileSystem fs;
  MemoryStream stream;
  std::unique_ptr<lsp::Server> server;
  std::vector<json> received;  // everything the server sent, in order
  int next_id = 1;

  LspClient() : server(std::make_unique<lsp::Server>(stream, fs, driver::Environment{stdlib_dir()})) {}

  /// Sends a raw body and collects what the server wrote in answer.
  std::vector<json> send_body(const std::string& body) {
    stream.out.clear();
    server->handle(body);
    server->settle();
    auto got = read_frames(stream.out);
    received.insert(received.end(), got.begin(), got.end());
    return got;
  }
  /// Sends a request and returns its response (the one with its id).
  json request(const std::string& method, json params) {
    int id = next_id++;
    auto got = send_body(json{{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", std::move(params)}}.dump());
    for (auto& m : got)
      if (m.contains("id") && m["id"] == id) return m;
    FAIL("no response to " << method);
    return {};
  }
  /// Sends a notification; returns what the server sent in answer.
  std::vector<json> notify(const std::string& method, json params) {
    return send_body(json{{"jsonrpc", "2.0"}, {"method", method}, {"params", std::move(params)}}.dump());
  }
  /// initialize (with `capabilities`) over the folder /ws, then initialized.
  json start(json capabilities = json::object()) {
    json r = request("initialize", {{"processId", nullptr}, {"rootUri", uri("/ws")}, {"capabilities", std::move(capabilities)}});
    notify("initialized", json::object());
    return r;
  }
  void open(const std::string& path, const std::string& text, int version = 1) {
    notify("textDocument/didOpen", {{"textDocument", {{"uri", uri(path)}, {"languageId", "claw"}, {"version", version}, {"text", text}}}});
  }
  /// Replaces the whole text of an open document (full sync).
  std::vector<json> replace(const std::string& path, const std::string& text, int version) {
    return notify("textDocument/didChange",
                  {{"textDocument", {{"uri", uri(path)}, {"version", version}}}, {"contentChanges", json::array({{{"text", text}}})}});
  }
  /// The diagnostics last published for `path`; null when none were published.
  json diagnostics(const std::string& path) const {
    for (auto it = received.rbegin(); it != received.rend(); ++it)
      if (it->value("method", "") == "textDocument/publishDiagnostics" && (*it)["params"]["uri"] == uri(path))
        return (*it)["params"]["diagnostics"];
    return nullptr;
  }
};

}  // namespace claw::testing
