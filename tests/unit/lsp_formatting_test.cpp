// textDocument/formatting: claw fmt's layout (grammar/README.md,
// "Formatting") as one edit of the whole document, or none.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "tests/unit/lsp_client.h"

namespace {

using claw::testing::json;
using claw::testing::LspClient;

json format(LspClient& c, const std::string& path) {
  return c.request("textDocument/formatting", {{"textDocument", {{"uri", claw::testing::uri(path)}}},
                                               {"options", {{"tabSize", 2}, {"insertSpaces", true}}}})["result"];
}

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("lsp formatting: one edit of the whole document, in the canonical layout") {
  LspClient c;
  c.start();
  // One space around `=` and after `;`, a one-line block keeps one line with
  // spaces inside its braces, one space between words, no blank lines at
  // the end and one final newline.
  c.open("/ws/net.claw", "machine  box {os=linux;  arch=amd64}\n\n\n");
  json edits = format(c, "/ws/net.claw");
  REQUIRE(edits.size() == 1);
  CHECK(edits[0]["newText"] == "machine box { os = linux; arch = amd64 }\n");
  CHECK(edits[0]["range"] == json{{"start", {{"line", 0}, {"character", 0}}}, {"end", {{"line", 3}, {"character", 0}}}});
}

TEST_CASE("lsp formatting: nothing to change in a formatted file, nor in one that does not parse") {
  LspClient c;
  c.start();
  // examples/ are kept formatted (CI runs claw fmt --check on them).
  c.open("/ws/main.claw", read(std::string(CLAW_SOURCE_DIR) + "/examples/minimal/main.claw"));
  CHECK(format(c, "/ws/main.claw") == json::array());
  c.open("/ws/bad.claw", "machine  box {os=\n");
  CHECK(format(c, "/ws/bad.claw") == json::array());
  // A file on disk, not open: formatted from the disk's text.
  c.fs.memory.add("/ws/disk.claw", "machine  box {os=linux}\n");
  json edits = format(c, "/ws/disk.claw");
  REQUIRE(edits.size() == 1);
  CHECK(edits[0]["newText"] == "machine box { os = linux }\n");
}
