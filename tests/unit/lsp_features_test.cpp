// Hover, definition, references, completion, rename and symbols at given
// positions of a small workspace, through the server as an editor asks.
#include <doctest/doctest.h>

#include <set>
#include <string>

#include "compiler/lsp/rename.h"
#include "compiler/lsp/symbols.h"
#include "tests/unit/lsp_client.h"

namespace {

using claw::testing::at;
using claw::testing::json;
using claw::testing::LspClient;

const char* const kNet = claw::testing::kFeatureNet;
const char* const kWeb = claw::testing::kFeatureWeb;
using claw::testing::range;

struct Workspace : LspClient {
  Workspace() {
    fs.memory.add("/ws/net.claw", kNet);
    fs.memory.add("/ws/web.claw", kWeb);
    start();
    open("/ws/net.claw", kNet);
  }
  json result(const std::string& method, json params) { return request(method, std::move(params))["result"]; }
};

std::set<std::string> labels(const json& items) {
  std::set<std::string> out;
  for (const auto& i : items) out.insert(i["label"].get<std::string>());
  return out;
}

}  // namespace

TEST_CASE("lsp features: definition of a reference, in this file and from another") {
  Workspace w;
  struct Case {
    const char* path;
    int line, character;
  };
  for (Case c : {Case{"/ws/net.claw", 0, 47}, Case{"/ws/web.claw", 2, 8}, Case{"/ws/net.claw", 1, 9}}) {
    CAPTURE(c.path);
    CAPTURE(c.line);
    json loc = w.result("textDocument/definition", at(c.path, c.line, c.character));
    REQUIRE(loc.is_object());
    CHECK(loc["uri"] == "file:///ws/net.claw");
    CHECK(loc["range"] == range(1, 8, 1, 11));
  }
  // Nothing there: null.
  CHECK(w.result("textDocument/definition", at("/ws/net.claw", 0, 2)).is_null());
}

TEST_CASE("lsp features: references, with and without the declaration") {
  Workspace w;
  json params = at("/ws/net.claw", 1, 9);
  params["context"] = {{"includeDeclaration", true}};
  json refs = w.result("textDocument/references", params);
  std::set<std::string> got;
  for (const auto& l : refs) got.insert(l["uri"].get<std::string>() + ":" + l["range"].dump());
  const std::set<std::string> want = {
      "file:///ws/net.claw:" + range(1, 8, 1, 11).dump(),
      "file:///ws/net.claw:" + range(0, 46, 0, 49).dump(),
      "file:///ws/web.claw:" + range(2, 7, 2, 10).dump(),
  };
  CHECK(got == want);
  params["context"] = {{"includeDeclaration", false}};
  CHECK(w.result("textDocument/references", params).size() == 2);
}

TEST_CASE("lsp features: hover on a field key, a machine and a workload") {
  Workspace w;
  json field = w.result("textDocument/hover", at("/ws/net.claw", 1, 51));
  REQUIRE(field.is_object());
  std::string text = field["contents"]["value"];
  CHECK(text.find("memory") != std::string::npos);
  CHECK(text.find("bytes") != std::string::npos);
  CHECK(text.find("GiB") != std::string::npos);  // the units it is written in
  CHECK(field["range"] == range(1, 49, 1, 55));

  json machine = w.result("textDocument/hover", at("/ws/net.claw", 0, 47));
  REQUIRE(machine.is_object());
  text = machine["contents"]["value"];
  CHECK(text.find("machine box") != std::string::npos);
  CHECK(text.find("cpu 4, memory 16GiB") != std::string::npos);
  CHECK(text.find("`web` replica 0") != std::string::npos);

  json web = w.result("textDocument/hover", at("/ws/web.claw", 0, 9));
  REQUIRE(web.is_object());
  text = web["contents"]["value"];
  CHECK(text.find("replica 0: machine `box`") != std::string::npos);

  CHECK(w.result("textDocument/hover", at("/ws/net.claw", 0, 36)).is_null());
}

TEST_CASE("lsp features: hover on a GPU workload says what held it where it runs") {
  Workspace w;
  w.fs.memory.add("/ws/gpu.claw",
                  "machine rig { os = linux; arch = amd64; cpu = 16; memory = 64GiB; gpu \"L4\" x 2 { vram = 24GiB } }\n"
                  "service infer {\n  image = \"vllm:1\"\n  arch = [amd64]\n  gpu { count = 2; vram = 20GiB }\n"
                  "  needs { cpu = 2; memory = 8GiB }\n}\n");
  w.open("/ws/gpu.claw", *w.fs.memory.read("/ws/gpu.claw"));
  json hover = w.result("textDocument/hover", at("/ws/gpu.claw", 1, 10));
  REQUIRE(hover.is_object());
  const std::string text = hover["contents"]["value"];
  CHECK(text.find("needs per replica: cpu 2, memory 8GiB; GPU: 2 cards of at least 20GiB VRAM") != std::string::npos);
  CHECK(text.find("only on amd64 machines") != std::string::npos);
  CHECK(text.find("replica 0: machine `rig` (GPU cards 0, 1)") != std::string::npos);
}

TEST_CASE("lsp features: completion of field names, enum values and declared names") {
  Workspace w;
  // Inside the machine's block, after `{ `: the machine record's fields.
  auto fields = labels(w.result("textDocument/completion", at("/ws/net.claw", 1, 14)));
  for (const char* f : {"os", "arch", "cpu", "memory"}) CHECK(fields.count(f) == 1);
  // At `os = linux`'s value: the os enum.
  auto os = labels(w.result("textDocument/completion", at("/ws/net.claw", 1, 20)));
  CHECK(os == std::set<std::string>{"linux", "darwin"});
  // At `on = box`'s value: the machines.
  auto machines = labels(w.result("textDocument/completion", at("/ws/web.claw", 2, 8)));
  CHECK(machines == std::set<std::string>{"box"});
}

TEST_CASE("lsp features: rename across files, and the refusals") {
  Workspace w;
  json prep = w.result("textDocument/prepareRename", at("/ws/web.claw", 2, 8));
  REQUIRE(prep.is_object());
  CHECK(prep["range"] == range(2, 7, 2, 10));
  CHECK(prep["placeholder"] == "box");

  json params = at("/ws/web.claw", 2, 8);
  params["newName"] = "big-box";
  json edit = w.result("textDocument/rename", params);
  REQUIRE(edit.is_object());
  const json& changes = edit["changes"];
  REQUIRE(changes.contains("file:///ws/net.claw"));
  REQUIRE(changes.contains("file:///ws/web.claw"));
  CHECK(changes["file:///ws/net.claw"].size() == 2);
  CHECK(changes["file:///ws/web.claw"] == json::array({{{"range", range(2, 7, 2, 10)}, {"newText", "big-box"}}}));

  struct Refusal {
    const char* name;
    int line, character;
    const char* new_name;
    int code;
  };
  const Refusal refusals[] = {
      {"not a name", 2, 8, "1box", -32602},
      {"a literal", 2, 8, "true", -32602},
      {"a trailing hyphen", 2, 8, "box-", -32602},
      {"taken by another declaration", 2, 8, "home", -32803},
      {"a stdlib enum value", 1, 21, "linux2", -32803},  // `linux` in net.claw line 1
  };
  for (const auto& r : refusals) {
    CAPTURE(r.name);
    json p = at(r.line == 1 ? "/ws/net.claw" : "/ws/web.claw", r.line, r.character);
    p["newName"] = r.new_name;
    json resp = w.request("textDocument/rename", p);
    REQUIRE(resp.contains("error"));
    CHECK(resp["error"]["code"] == r.code);
  }
}

TEST_CASE("lsp features: document symbols from the syntax tree, workspace symbols by fuzzy query") {
  Workspace w;
  json syms = w.result("textDocument/documentSymbol", {{"textDocument", {{"uri", "file:///ws/net.claw"}}}});
  REQUIRE(syms.size() == 2);
  CHECK(syms[0]["name"] == "home");
  CHECK(syms[0]["kind"] == 3);  // Namespace
  CHECK(syms[1]["name"] == "box");
  CHECK(syms[1]["kind"] == 5);  // Class
  CHECK(syms[1]["selectionRange"] == range(1, 8, 1, 11));
  REQUIRE(syms[1]["children"].size() == 4);
  CHECK(syms[1]["children"][3]["name"] == "memory");

  json found = w.result("workspace/symbol", {{"query", "wb"}});
  REQUIRE(found.size() == 1);
  CHECK(found[0]["name"] == "web");
  CHECK(found[0]["location"]["uri"] == "file:///ws/web.claw");
}

TEST_CASE("lsp features: fuzzy matching and name validity") {
  CHECK(claw::lsp::fuzzy_match("", "web"));
  CHECK(claw::lsp::fuzzy_match("WB", "web"));
  CHECK(claw::lsp::fuzzy_match("gbx", "gpu-box"));
  CHECK_FALSE(claw::lsp::fuzzy_match("bw", "web"));
  for (const char* ok : {"a", "gpu-box", "_x", "x", "machine", "a_1"}) CHECK(claw::lsp::valid_name(ok));
  for (const char* bad : {"", "-a", "a-", "1a", "a b", "null", "false", "a.b"}) CHECK_FALSE(claw::lsp::valid_name(bad));
}
