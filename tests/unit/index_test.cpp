// Sema's index: what each position of a checked program means, for the
// language server. Positions are found by searching the program's text, so
// each case names the text it points at.
#include <doctest/doctest.h>

#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <tuple>
#include <vector>

#include "compiler/project/load.h"
#include "compiler/sema/check.h"
#include "tests/unit/test_fs.h"

namespace {

using namespace claw;

const char* kNet = R"(cluster home { k3s = "v1.31.4+k3s1"; server = studio }
let base-memory = 2GiB
template web(name: string, port: int = 8080) service {
  image = "ghcr.io/example/${name}:1.0"
  port http = port
}
service api = web("api", port = 9000) {
  replicas = 2
  on = gpu-box
  needs { memory = base-memory }
  env { DB = secret("db-password") }
}
service ui = web("ui")
secret db-password { from = env("DB_PASSWORD") }
)";

const char* kMachines = R"(machine studio { os = darwin; arch = arm64; cpu = 12; memory = 64GiB; k3s = vm }
machine gpu-box {
  os = linux
  arch = amd64
  cpu = 16
  memory = 128GiB
}
)";

struct Checked {
  testing::TestFileSystem fs;
  project::Project project;
  sema::CheckResult result;
  source::FileId net, machines;

  explicit Checked(unsigned threads = 1, bool index = true, std::string net_text = kNet) {
    fs.memory.add("net.claw", std::move(net_text));
    fs.memory.add("machines.claw", kMachines);
    project::LoadOptions options;
    options.paths = {"net.claw", "machines.claw"};
    options.stdlib_dir = testing::stdlib_dir();
    project = project::load(fs, options);
    REQUIRE(project.diags.all().empty());
    sema::Program p = project.program();
    p.threads = threads;
    p.index = index;
    result = sema::check(p);
    for (uint32_t i = 0; i < project.sources.size(); ++i) {
      const auto& path = project.sources.file(source::FileId{i}).path();
      if (path.ends_with("net.claw")) this->net = source::FileId{i};
      if (path.ends_with("machines.claw")) this->machines = source::FileId{i};
    }
  }

  /// The offset of the `nth` occurrence of `what` in `file`, plus `plus`.
  uint32_t at(source::FileId file, std::string_view what, int nth = 0, uint32_t plus = 0) const {
    std::string_view text = project.sources.file(file).text();
    size_t pos = text.find(what);
    for (int i = 0; i < nth && pos != std::string_view::npos; ++i) pos = text.find(what, pos + 1);
    REQUIRE(pos != std::string_view::npos);
    return static_cast<uint32_t>(pos) + plus;
  }
  std::string_view text(source::Span s) const { return project.sources.text(s); }
  const sema::Index& index() const { return result.index; }
};

TEST_CASE("index: a reference resolves to its declaration, across files") {
  Checked c;
  REQUIRE(c.result.diags.all().empty());
  const auto* ref = c.index().ref_at(c.net, c.at(c.net, "gpu-box", 0, 2));
  REQUIRE(ref);
  CHECK(c.text(ref->span) == "gpu-box");
  const sema::Symbol& s = c.index().symbol(ref->symbol);
  CHECK(s.kind == sema::SymbolKind::Machine);
  CHECK(s.name == "gpu-box");
  CHECK(s.name_span.file == c.machines);
  CHECK(c.text(s.name_span) == "gpu-box");
  CHECK(c.text(s.decl_span).starts_with("machine gpu-box {"));
  // The cluster's `server = studio` is a reference too, to the other file.
  const auto* server = c.index().ref_at(c.net, c.at(c.net, "studio"));
  REQUIRE(server);
  CHECK(c.index().symbol(server->symbol).name_span.file == c.machines);
}

TEST_CASE("index: lets, templates, parameters, secrets' declarations") {
  Checked c;
  auto kind_at = [&](std::string_view what, int nth, uint32_t plus = 0) -> std::optional<sema::SymbolKind> {
    const auto* ref = c.index().ref_at(c.net, c.at(c.net, what, nth, plus));
    if (!ref) return std::nullopt;
    return c.index().symbol(ref->symbol).kind;
  };
  CHECK(kind_at("base-memory }", 0) == sema::SymbolKind::Let);
  CHECK(kind_at("web(\"api\"", 0) == sema::SymbolKind::Template);
  CHECK(kind_at("web(\"ui\"", 0) == sema::SymbolKind::Template);
  CHECK(kind_at("port = 9000", 0) == sema::SymbolKind::Param);      // a named argument
  CHECK(kind_at("${name}", 0, 2) == sema::SymbolKind::Param);        // used inside the template's body
  CHECK(kind_at("http = port", 0, 7) == sema::SymbolKind::Param);
  // The template is used twice: find-references sees both.
  const auto* t = c.index().ref_at(c.net, c.at(c.net, "web(\"api\""));
  REQUIRE(t);
  CHECK(c.index().refs_to(t->symbol).size() == 2);
  const sema::Symbol& web = c.index().symbol(t->symbol);
  CHECK(web.detail == "template web(name: string, port: int) service");
  // secret("NAME") names a declared secret: the name inside the quotes.
  const auto* secret = c.index().ref_at(c.net, c.at(c.net, "(\"db-password\")", 0, 3));
  REQUIRE(secret);
  CHECK(c.text(secret->span) == "db-password");
  CHECK(c.index().symbol(secret->symbol).kind == sema::SymbolKind::Secret);
  // The declaration itself is found by its name.
  const auto* decl = c.index().declared_at(c.net, c.at(c.net, "secret db-password", 0, 8));
  REQUIRE(decl);
  CHECK(decl->kind == sema::SymbolKind::Secret);
  CHECK(c.index().declared_at(c.net, c.at(c.net, "replicas")) == nullptr);
}

TEST_CASE("index: enum values, in the stdlib") {
  Checked c;
  const auto* ref = c.index().ref_at(c.machines, c.at(c.machines, "amd64"));
  REQUIRE(ref);
  const sema::Symbol& s = c.index().symbol(ref->symbol);
  CHECK(s.kind == sema::SymbolKind::EnumValue);
  CHECK(s.name == "amd64");
  CHECK(s.stdlib);
  REQUIRE(s.parent != UINT32_MAX);
  CHECK(c.index().symbol(s.parent).kind == sema::SymbolKind::Enum);
  CHECK(c.index().symbol(s.parent).name == "arch");
}

TEST_CASE("index: a key is the field it sets, and a block expects its record") {
  Checked c;
  const auto* f = c.index().field_at(c.net, c.at(c.net, "replicas", 0, 3));
  REQUIRE(f);
  CHECK(f->record->fields[static_cast<size_t>(f->field)].name == "replicas");
  const auto* mem = c.index().field_at(c.net, c.at(c.net, "memory = base"));
  REQUIRE(mem);
  CHECK(f->record != mem->record);  // `needs` is a record of its own
  CHECK(mem->record->fields[static_cast<size_t>(mem->field)].name == "memory");
  // Inside the service's block, the service record is expected; inside
  // `needs { ... }`, the field's record.
  const auto* in_service = c.index().expected_at(c.net, c.at(c.net, "replicas"));
  REQUIRE(in_service);
  REQUIRE(in_service->record);
  CHECK(in_service->record->find("replicas") >= 0);
  const auto* in_needs = c.index().expected_at(c.net, c.at(c.net, "memory = base"));
  REQUIRE(in_needs);
  REQUIRE(in_needs->type);
  REQUIRE(in_needs->type->record);
  CHECK(in_needs->type->record == mem->record);
  // At an enum-typed value, the enum is expected.
  const auto* arch = c.index().expected_at(c.machines, c.at(c.machines, "amd64", 0, 1));
  REQUIRE(arch);
  REQUIRE(arch->type);
  CHECK(arch->type->kind == sema::TypeKind::Enum);
  // At `on = ...`, a machine.
  const auto* on = c.index().expected_at(c.net, c.at(c.net, "gpu-box"));
  REQUIRE(on);
  REQUIRE(on->type);
  CHECK(on->type->kind == sema::TypeKind::Ref);
  CHECK(on->type->ref == sema::RefKind::Machine);
}

TEST_CASE("index: made only when asked for") {
  Checked c(1, false);
  CHECK(c.index().symbols.empty());
  CHECK(c.index().by_file.empty());
}

TEST_CASE("index: two threads record what one does") {
  std::string net = kNet;
  for (int i = 0; i < 700; ++i)
    net += fmt::format("service s-{0:04} {{ image = \"x:{0}\"; on = gpu-box; needs {{ memory = base-memory }} }}\n", i);
  Checked one(1, true, net), two(2, true, net);
  CHECK(two.result.stats.shared > 0);
  // The same references, in whatever order the threads recorded them.
  auto sorted = [](const sema::Index& ix) {
    std::vector<std::tuple<uint32_t, uint32_t, uint32_t, uint32_t>> out;
    for (const auto& f : ix.by_file)
      for (const auto& r : f.refs) out.emplace_back(r.span.file.value, r.span.begin, r.span.end, r.symbol);
    std::sort(out.begin(), out.end());
    return out;
  };
  auto fields = [](const sema::Index& ix) {
    size_t n = 0;
    for (const auto& f : ix.by_file) n += f.fields.size();
    return n;
  };
  CHECK(sorted(one.index()).size() > 1400);
  CHECK(sorted(one.index()) == sorted(two.index()));
  CHECK(fields(one.index()) == fields(two.index()));
  // Each use once, in position order, whatever the threads did.
  const auto* base = one.index().ref_at(one.net, one.at(one.net, "base-memory }"));
  REQUIRE(base);
  auto uses = two.index().refs_to(base->symbol);
  CHECK(uses.size() == 701);
  for (size_t i = 1; i < uses.size(); ++i) CHECK(uses[i - 1]->span.begin < uses[i]->span.begin);
}

}  // namespace
