// network.html (compiler/emit/network_html.h): text from the program is
// inert wherever the page puts it, every machine and replica is drawn, the
// boxes are to one scale, and the failover line shows only when given.
#include <doctest/doctest.h>

#include <regex>
#include <set>
#include <string>
#include <vector>

#include "compiler/emit/html_text.h"
#include "compiler/emit/network_html.h"
#include "compiler/placement/placement.h"
#include "compiler/sema/model.h"

namespace {

using namespace claw;

constexpr int64_t GiB = 1LL << 30;

sema::Machine machine(uint32_t id, std::string name, int64_t cpu_millis, int64_t memory_bytes) {
  sema::Machine m;
  m.id = sema::MachineId{id};
  m.name = std::move(name);
  m.os = sema::Os::Linux;
  m.arch = sema::Arch::Amd64;
  m.k3s = sema::K3sMode::Native;
  m.capacity = {cpu_millis, memory_bytes};
  return m;
}

sema::Workload service(uint32_t id, std::string name, int replicas, int64_t cpu_millis, int64_t memory_bytes) {
  sema::Workload w;
  w.id = sema::WorkloadId{id};
  w.kind = sema::WorkloadKind::Service;
  w.name = std::move(name);
  w.namespace_ = "apps";
  w.arch = {sema::Arch::Amd64};
  w.replicas = replicas;
  w.requests = {cpu_millis, memory_bytes};
  return w;
}

/// The tags of `html` and their attributes' names, read by a scanner that
/// knows only that escaped text holds no `<`, `>` or `"`: a name that got
/// through unescaped shows up as a tag or an attribute of its own.
struct Markup {
  std::set<std::string> tags, attributes;
};

Markup markup_of(const std::string& html) {
  Markup m;
  static const std::regex tag(R"(<(/?[!A-Za-z][A-Za-z0-9]*)([^<>]*)>)");
  static const std::regex attribute(R"re(\s([A-Za-z-]+)(="[^"]*")?)re");
  for (std::sregex_iterator t(html.begin(), html.end(), tag), end; t != end; ++t) {
    std::string name = (*t)[1];
    if (name.starts_with("/")) name.erase(0, 1);
    m.tags.insert(name);
    std::string rest = (*t)[2];
    if (name == "!DOCTYPE") continue;
    for (std::sregex_iterator a(rest.begin(), rest.end(), attribute); a != end; ++a) m.attributes.insert((*a)[1]);
  }
  return m;
}

}  // namespace

TEST_CASE("network html: html_text escapes the five characters and control characters") {
  struct Case {
    std::string in, want;
  };
  // OWASP's HTML and attribute encodings; control characters as the YAML
  // comments show them (safe_text.h), the backslash doubled with them.
  const std::vector<Case> cases = {
      {"web", "web"},
      {"", ""},
      {"<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"},
      {R"(" onmouseover="x)", "&quot; onmouseover=&quot;x"},
      {"it's", "it&#39;s"},
      {"&amp;", "&amp;amp;"},
      {"a\nb", "a\\nb"},
      {"tab\there", "tab\\there"},
      {"back\\slash", "back\\\\slash"},
      {"caf\xc3\xa9", "caf\xc3\xa9"},
      {"bad\xff", "bad\\xFF"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.in);
    CHECK(claw::emit::html_text(c.in) == c.want);
  }
}

TEST_CASE("network html: hostile names, taints and roles render inert") {
  sema::Model model;
  const std::string evil_machine = "<img src=x onerror=alert(1)>\" onload=\"alert(7)";
  const std::string evil_workload = "\"><script>alert(2)</script>";
  const std::string evil_ns = "' onclick='alert(3)";
  model.machines.push_back(machine(0, evil_machine, 4000, 8 * GiB));
  model.machines[0].taints.push_back({"k</style><script>", "v\"<b>", sema::TaintEffect::PreferNoSchedule, {}});
  model.roles.push_back({sema::RoleId{0}, "</code><iframe>", {}, {}, {}});
  model.machines[0].roles.push_back(sema::RoleId{0});
  model.workloads.push_back(service(0, evil_workload, 2, 500, GiB));
  model.workloads[0].namespace_ = evil_ns;
  model.cluster = sema::Cluster{};
  model.cluster->name = "</title><script>alert(4)</script>";
  auto placed = placement::place(model);
  REQUIRE(placed.placement.assignments.size() == 2);
  std::string html = emit::network_html(model, placed.placement, {{false, "its loss strands `<svg onload=alert(5)>`"}});

  Markup m = markup_of(html);
  const std::set<std::string> tags = {"!DOCTYPE", "html", "head", "meta", "title", "style", "body", "header", "h1",
                                      "h2",       "p",    "section", "table", "tr", "th", "td", "span", "a",
                                      "main",     "svg",  "rect", "ul", "li", "code", "div"};
  const std::set<std::string> attributes = {"lang",  "charset", "http-equiv", "content", "name",   "class",  "id",
                                            "data-machine", "data-workload", "data-namespace", "style", "href",
                                            "width", "height", "viewBox", "role", "x", "y", "fill"};
  for (const auto& t : m.tags) {
    CAPTURE(t);
    CHECK(tags.count(t) == 1);
  }
  for (const auto& a : m.attributes) {
    CAPTURE(a);
    CHECK(attributes.count(a) == 1);
  }
  // The names are there, escaped, in text and in attributes.
  CHECK(html.find("data-machine=\"&lt;img src=x onerror=alert(1)&gt;&quot; onload=&quot;alert(7)\"") != std::string::npos);
  CHECK(html.find("&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;") != std::string::npos);
  CHECK(html.find("&#39; onclick=&#39;alert(3)") != std::string::npos);
  CHECK(html.find("&lt;/title&gt;&lt;script&gt;alert(4)") != std::string::npos);
  CHECK(html.find("k&lt;/style&gt;&lt;script&gt;=v&quot;&lt;b&gt;:PreferNoSchedule") != std::string::npos);
  CHECK(html.find("&lt;svg onload=alert(5)&gt;") != std::string::npos);
  // One style element: the taint's `</style>` opened none and closed none.
  CHECK(html.find("</style>") == html.rfind("</style>"));
}

TEST_CASE("network html: every machine and replica is drawn, the boxes to one scale") {
  sema::Model model;
  model.machines.push_back(machine(0, "big", 8000, 32 * GiB));
  model.machines.push_back(machine(1, "half", 4000, 16 * GiB));
  model.machines.push_back(machine(2, "idle", 2000, 8 * GiB));
  model.machines[2].arch = sema::Arch::Arm64;  // nothing runs here
  model.workloads.push_back(service(0, "web", 3, 2000, 4 * GiB));
  model.workloads.push_back(service(1, "db", 1, 4000, 8 * GiB));
  auto placed = placement::place(model);
  REQUIRE(placed.placement.assignments.size() == 4);
  std::string html = emit::network_html(model, placed.placement);

  for (const char* name : {"big", "half", "idle"}) {
    CAPTURE(name);
    CHECK(html.find(std::string("data-machine=\"") + name + "\"") != std::string::npos);
  }
  // The largest machine is 320 by 200 pixels; half its cpu and memory, half
  // of that; a quarter, a quarter.
  CHECK(html.find("<svg class=\"box\" width=\"320.0\" height=\"200.0\"") != std::string::npos);
  CHECK(html.find("<svg class=\"box\" width=\"160.0\" height=\"100.0\"") != std::string::npos);
  CHECK(html.find("<svg class=\"box\" width=\"80.0\" height=\"50.0\"") != std::string::npos);
  // A block and a row per replica, a row per workload in the index.
  size_t blocks = 0, rows = 0, index_rows = 0;
  for (size_t at = 0; (at = html.find("<rect class=\"replica h", at)) != std::string::npos; ++at) ++blocks;
  for (size_t at = 0; (at = html.find("<tr class=\"replica h", at)) != std::string::npos; ++at) ++rows;
  for (size_t at = 0; (at = html.find("<tr class=\"workload h", at)) != std::string::npos; ++at) ++index_rows;
  CHECK(blocks == 4);
  CHECK(rows == 4);
  CHECK(index_rows == 2);
  CHECK(html.find("No replica runs here.") != std::string::npos);  // idle
  // Without verdicts, no failover line; the same bytes every time.
  CHECK(html.find("class=\"failover") == std::string::npos);
  CHECK(html == emit::network_html(model, placed.placement));
}

TEST_CASE("network html: the failover line per machine, as given") {
  sema::Model model;
  model.machines.push_back(machine(0, "a", 4000, 8 * GiB));
  model.machines.push_back(machine(1, "b", 4000, 8 * GiB));
  model.workloads.push_back(service(0, "web", 2, 1000, GiB));
  auto placed = placement::place(model);
  std::string html = emit::network_html(
      model, placed.placement, {{true, "survives its loss"}, {false, "its loss strands `apps/web` #1"}});
  CHECK(html.find("<p class=\"failover survives\">survives its loss</p>") != std::string::npos);
  CHECK(html.find("<p class=\"failover strands\">its loss strands `apps/web` #1</p>") != std::string::npos);
  // A verdict for the first machine only: the second has no line.
  std::string first = emit::network_html(model, placed.placement, {{true, "survives its loss"}});
  CHECK(first.find("failover survives") != std::string::npos);
  CHECK(first.find("failover strands") == std::string::npos);
}

TEST_CASE("network html: a card lists the replicas that hold or share it") {
  sema::Model model;
  model.machines.push_back(machine(0, "gpu-box", 8000, 32 * GiB));
  model.machines[0].gpus.push_back({"RTX 4090", 1, 24 * GiB, GiB, {}});
  model.machines.push_back(machine(1, "trainer", 8000, 32 * GiB));
  model.machines[1].gpus.push_back({"RTX 4090", 1, 24 * GiB, GiB, {}});
  sema::Workload shared = service(0, "embed", 2, 500, GiB);
  shared.gpu = sema::GpuRequest{1, 8 * GiB, true, {}};
  shared.on = sema::MachineId{0};
  sema::Workload whole = service(1, "train", 1, 1000, 2 * GiB);
  whole.gpu = sema::GpuRequest{1, std::nullopt, false, {}};
  whole.on = sema::MachineId{1};
  model.workloads = {shared, whole};
  auto placed = placement::place(model);
  REQUIRE(placed.diags.all().empty());
  std::string html = emit::network_html(model, placed.placement);
  // Cards of 24GiB with 1GiB for the driver: gpu-box's shared by both
  // replicas of embed (8GiB each, 16 of 23 used), trainer's held whole.
  CHECK(html.find("GPU #0 RTX 4090, 24GiB VRAM (1GiB kept for the driver): apps/embed #0 (8GiB), apps/embed #1 (8GiB)") !=
        std::string::npos);
  CHECK(html.find("16GiB of 23GiB VRAM") != std::string::npos);
  CHECK(html.find("GPU #0 RTX 4090, 24GiB VRAM (1GiB kept for the driver): apps/train #0 (whole card)") != std::string::npos);
  CHECK(html.find("23GiB of 23GiB VRAM") != std::string::npos);
}
