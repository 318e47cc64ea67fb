// The language server checks each edit incrementally (sema::check_edit):
// after every one of a series of small edits, what it has published must be
// what a server started on the edited files publishes.
#include <doctest/doctest.h>

#include <map>
#include <random>
#include <string>

#include "tests/unit/lsp_client.h"

namespace {

using claw::testing::json;
using claw::testing::LspClient;
using claw::testing::uri;

// Three files that refer to each other: lets, a secret and a template in
// one, machines in another, workloads in all, addresses across files.
const std::map<std::string, std::string> kFiles = {
    {"/ws/net.claw",
     "cluster home { k3s = \"v1.31.4+k3s1\"; server = box }\n"
     "let base-memory = 256MiB\n"
     "machine box { os = linux; arch = amd64; cpu = 8; memory = 32GiB }\n"
     "machine nas { os = linux; arch = arm64; cpu = 4; memory = 8GiB; roles = [storage] }\n"
     "role storage { taint \"node-role=storage:NoSchedule\" }\n"},
    {"/ws/web.claw",
     "let tag = \"1.2\"\n"
     "secret db { from = env(\"DB_PASSWORD\") }\n"
     "template web(img: string, listen: int = 8080) service {\n  image = img\n  port http = listen\n}\n"
     "service front = web(img = \"front:${tag}\") {\n  env { API = api.url; LEVEL = \"info\" }\n  replicas = 2\n}\n"
     "service api {\n  image = \"api:${tag}\"\n  port http = 9000\n  env { DB = secret(\"db\") }\n"
     "  needs { memory = base-memory }\n}\n"},
    {"/ws/jobs.claw",
     "job migrate {\n  image = \"api:1\"\n  after = [api]\n  env { TARGET = api.host }\n}\n"
     "service cache {\n  image = \"redis:7\"\n  port redis = 6379\n  roles = [storage]\n"
     "  tolerate = [\"node-role=storage:NoSchedule\"]\n}\n"},
};

/// What a server started on `files` publishes, by path.
std::map<std::string, json> fresh_diagnostics(const std::map<std::string, std::string>& files) {
  LspClient c;
  for (const auto& [path, text] : files) c.fs.memory.add(path, text);
  c.start();
  for (const auto& [path, text] : files) c.open(path, text);
  std::map<std::string, json> out;
  for (const auto& [path, _] : files) out[path] = c.diagnostics(path);
  return out;
}

/// A diagnostics list without what may differ between the two servers: the
/// document version.
json comparable(json diags) { return diags.is_null() ? json::array() : diags; }

TEST_CASE("lsp: each small edit publishes what a fresh server publishes") {
  std::mt19937 rng(13);
  auto below = [&](size_t n) { return static_cast<size_t>(rng() % n); };
  const char* kInserts[] = {"x", "1", " ", "\n", "\"", "}", "-", "q"};
  for (int series = 0; series < 4; ++series) {
    CAPTURE(series);
    std::map<std::string, std::string> files = kFiles;
    LspClient c;
    for (const auto& [path, text] : files) c.fs.memory.add(path, text);
    c.start();
    for (const auto& [path, text] : files) c.open(path, text);
    int version = 1;
    for (int step = 0; step < 25; ++step) {
      CAPTURE(step);
      auto it = files.begin();
      std::advance(it, static_cast<std::ptrdiff_t>(below(files.size())));
      std::string& text = it->second;
      // One character replaced, inserted or deleted, on one line.
      size_t at = below(text.size());
      size_t line = static_cast<size_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n'));
      size_t line_start = text.rfind('\n', at == 0 ? 0 : at - 1);
      line_start = (line_start == std::string::npos || at == 0) ? 0 : line_start + 1;
      size_t character = at - line_start;
      if (text[at] == '\n') continue;  // keep to one line: columns are bytes here (ASCII)
      size_t removed = below(3) == 0 ? 0 : 1;
      std::string inserted = below(3) == 0 ? "" : kInserts[below(std::size(kInserts))];
      if (removed == 0 && inserted.empty()) inserted = "z";
      CAPTURE(it->first);
      CAPTURE(at);
      CAPTURE(inserted);
      text.replace(at, removed, inserted);
      json change = {{"range", claw::testing::range(static_cast<int>(line), static_cast<int>(character), static_cast<int>(line),
                                                    static_cast<int>(character + removed))},
                     {"text", inserted}};
      c.notify("textDocument/didChange",
               {{"textDocument", {{"uri", uri(it->first)}, {"version", ++version}}}, {"contentChanges", json::array({change})}});
      c.request("textDocument/hover", claw::testing::at(it->first, 0, 0));  // answered once the edit is checked
      auto want = fresh_diagnostics(files);
      for (const auto& [path, diags] : want) {
        CAPTURE(path);
        CHECK(comparable(c.diagnostics(path)).dump() == comparable(diags).dump());
      }
    }
  }
}

}  // namespace

namespace {

TEST_CASE("lsp: a let edited, then the workloads of its file, publish what a fresh server does") {
  // The let's edit is checked by evaluating the file's lets again; the
  // edits after it, in the same file, read the let those evaluated (under
  // the sanitizers: from a tree an edit must not have freed).
  std::map<std::string, std::string> files = kFiles;
  LspClient c;
  for (const auto& [path, text] : files) c.fs.memory.add(path, text);
  c.start();
  for (const auto& [path, text] : files) c.open(path, text);
  const std::string web = "/ws/web.claw";
  int version = 1;
  for (auto [from, to] : {std::pair{"tag = \"1.2\"", "tag = \"1.3\""}, std::pair{"replicas = 2", "replicas = tag"},
                          std::pair{"port http = 9000", "port http = 9001"}, std::pair{"tag = \"1.3\"", "tag = \"1.35\""},
                          std::pair{"LEVEL = \"info\"", "LEVEL = \"warn\""}, std::pair{"replicas = tag", "replicas = 3"}}) {
    CAPTURE(from);
    std::string& text = files.at(web);
    size_t at = text.find(from);
    REQUIRE(at != std::string::npos);
    text.replace(at, std::string_view(from).size(), to);
    c.replace(web, text, ++version);
    c.request("textDocument/hover", claw::testing::at(web, 0, 0));
    auto want = fresh_diagnostics(files);
    for (const auto& [path, diags] : want) {
      CAPTURE(path);
      CHECK(comparable(c.diagnostics(path)).dump() == comparable(diags).dump());
    }
    // `replicas = tag` is an error, a string where a count is expected: the
    // let's value, as evaluated again, is what the workload read.
    CHECK(comparable(want.at(web)).empty() == (files.at(web).find("replicas = tag") == std::string::npos));
  }
}

}  // namespace
