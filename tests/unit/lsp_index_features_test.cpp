// The features' side of the index: given an index whose entries are
// written here by hand (what sema records is tested with sema), hover,
// definition, references, rename, completion and workspace symbols turn it
// into the protocol's locations and edits.
#include <doctest/doctest.h>

#include <set>
#include <string>

#include "compiler/lsp/analysis.h"
#include "compiler/lsp/completion.h"
#include "compiler/lsp/hover.h"
#include "compiler/lsp/navigation.h"
#include "compiler/lsp/rename.h"
#include "compiler/lsp/symbols.h"
#include "tests/unit/lsp_client.h"

namespace {

using claw::testing::json;
namespace sema = claw::sema;
namespace lsp = claw::lsp;
using claw::source::FileId;
using claw::source::Span;

const char* const kNet = claw::testing::kFeatureNet;
const char* const kWeb = claw::testing::kFeatureWeb;
using claw::testing::range;

struct Fixture {
  claw::testing::TestFileSystem fs;
  sema::EnumDef os_enum{"os", {"linux", "darwin"}, {}};
  sema::Type machine_ref, os_type;
  std::unique_ptr<lsp::Analysis> a;
  FileId net, web;

  Fixture() {
    fs.memory.add("/ws/net.claw", kNet);
    fs.memory.add("/ws/web.claw", kWeb);
    claw::driver::CheckOptions o;
    o.paths = {"/ws"};
    auto c = claw::driver::compile(o, fs, claw::driver::Environment{claw::testing::stdlib_dir()});
    const auto& sources = c.project->sources;
    for (uint32_t i = 0; i < sources.size(); ++i) {
      if (sources.file(FileId{i}).path() == "/ws/net.claw") net = FileId{i};
      if (sources.file(FileId{i}).path() == "/ws/web.claw") web = FileId{i};
    }
    REQUIRE(net.valid());
    REQUIRE(web.valid());
    machine_ref.kind = sema::TypeKind::Ref;
    machine_ref.ref = sema::RefKind::Machine;
    os_type.kind = sema::TypeKind::Enum;
    os_type.enum_def = &os_enum;
    sema::Index& index = c.checked->index;
    index.symbols.push_back({sema::SymbolKind::Machine, "box", Span{net, 60, 63}, Span{net, 52, 117}, "machine", false});
    index.symbols.push_back({sema::SymbolKind::Cluster, "home", Span{net, 8, 12}, Span{net, 0, 51}, "cluster", false});
    index.symbols.push_back({sema::SymbolKind::Workload, "web", Span{web, 8, 11}, Span{web, 0, 45}, "service", false});
    index.symbols.push_back({sema::SymbolKind::EnumValue, "linux", Span{}, Span{}, "os", true});
    index.refs.push_back({Span{net, 46, 49}, 0});
    index.refs.push_back({Span{web, 41, 44}, 0});
    index.refs.push_back({Span{net, 71, 76}, 3});
    index.expected.push_back({Span{web, 41, 44}, &machine_ref});
    index.expected.push_back({Span{net, 71, 76}, &os_type});
    index.finish();
    a = std::make_unique<lsp::Analysis>(std::move(c), claw::testing::stdlib_dir(), lsp::Encoding::Utf16);
  }
  lsp::Target at(FileId f, uint32_t offset) const { return {f, offset}; }
};

}  // namespace

TEST_CASE("lsp index features: definition and references across files") {
  Fixture f;
  for (auto t : {f.at(f.net, 47), f.at(f.web, 42), f.at(f.net, 61)}) {
    json loc = lsp::definition(*f.a, t);
    CHECK(loc["uri"] == "file:///ws/net.claw");
    CHECK(loc["range"] == range(1, 8, 1, 11));
  }
  CHECK(lsp::definition(*f.a, f.at(f.net, 2)).is_null());
  json refs = lsp::references(*f.a, f.at(f.web, 42), true);
  REQUIRE(refs.size() == 3);
  CHECK(refs[0]["range"] == range(1, 8, 1, 11));
  std::set<std::string> rest = {refs[1]["uri"].get<std::string>() + refs[1]["range"].dump(),
                                refs[2]["uri"].get<std::string>() + refs[2]["range"].dump()};
  CHECK(rest == std::set<std::string>{"file:///ws/net.claw" + range(0, 46, 0, 49).dump(),
                                      "file:///ws/web.claw" + range(2, 7, 2, 10).dump()});
  CHECK(lsp::references(*f.a, f.at(f.web, 42), false).size() == 2);
  CHECK(lsp::references(*f.a, f.at(f.net, 2), true).empty());
}

TEST_CASE("lsp index features: hover on a machine says its capacity and what placement runs on it") {
  Fixture f;
  json h = lsp::hover(*f.a, f.at(f.net, 47));
  REQUIRE(h.is_object());
  std::string text = h["contents"]["value"];
  CHECK(h["contents"]["kind"] == "markdown");
  CHECK(text.find("machine box") != std::string::npos);
  CHECK(text.find("capacity: cpu 4, memory 16GiB") != std::string::npos);
  CHECK(text.find("`web` replica 0") != std::string::npos);
  CHECK(h["range"] == range(0, 46, 0, 49));
  json w = lsp::hover(*f.a, f.at(f.web, 9));
  REQUIRE(w.is_object());
  const std::string web = w["contents"]["value"];
  CHECK(web.find("replica 0: machine `box`") != std::string::npos);
  // What held it there: the stdlib's assumed requests, and its pin.
  CHECK(web.find("needs per replica: cpu 100m, memory 128MiB") != std::string::npos);
  CHECK(web.find("pinned: `on = box`") != std::string::npos);
  CHECK(web.find("GPU") == std::string::npos);
  CHECK(lsp::hover(*f.a, f.at(f.net, 36)).is_null());
}

TEST_CASE("lsp index features: rename edits every file, and refuses what it must") {
  Fixture f;
  auto edit = lsp::rename(*f.a, f.at(f.web, 42), "big-box");
  REQUIRE(edit.has_value());
  const json& changes = (*edit)["changes"];
  CHECK(changes["file:///ws/web.claw"] == json::array({{{"range", range(2, 7, 2, 10)}, {"newText", "big-box"}}}));
  REQUIRE(changes["file:///ws/net.claw"].size() == 2);
  auto prep = lsp::prepare_rename(*f.a, f.at(f.web, 42));
  REQUIRE(prep.has_value());
  CHECK((*prep)["range"] == range(2, 7, 2, 10));
  CHECK((*prep)["placeholder"] == "box");
  CHECK(lsp::prepare_rename(*f.a, f.at(f.net, 2)).value().is_null());
  struct Refusal {
    uint32_t offset;
    const char* name;
    int code;
  };
  for (Refusal r : {Refusal{42, "1box", -32602}, Refusal{42, "home", -32803}}) {
    CAPTURE(r.name);
    auto refused = lsp::rename(*f.a, f.at(f.web, r.offset), r.name);
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error().code == r.code);
  }
  // A stdlib name: refused at prepare and at rename.
  CHECK_FALSE(lsp::prepare_rename(*f.a, f.at(f.net, 74)).has_value());
  CHECK_FALSE(lsp::rename(*f.a, f.at(f.net, 74), "linux2").has_value());
}

TEST_CASE("lsp index features: completion from the expected type; workspace symbols skip the stdlib") {
  Fixture f;
  std::set<std::string> got;
  for (const auto& i : lsp::completion(*f.a, f.at(f.web, 42))) got.insert(i["label"]);
  CHECK(got == std::set<std::string>{"box"});
  got.clear();
  for (const auto& i : lsp::completion(*f.a, f.at(f.net, 73))) {
    got.insert(i["label"]);
    CHECK(i["kind"] == 20);  // EnumMember
  }
  CHECK(got == std::set<std::string>{"linux", "darwin"});
  CHECK(lsp::completion(*f.a, f.at(f.net, 2)).empty());
  json syms = lsp::workspace_symbols(*f.a, "o");
  std::set<std::string> names;
  for (const auto& s : syms) names.insert(s["name"]);
  CHECK(names == std::set<std::string>{"box", "home"});
}
