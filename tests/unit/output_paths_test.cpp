// Where each declaration's objects are written (compiler/emit/output_paths):
// the writer writes exactly the files output_claims names, and two
// declarations that would write one file are an error at the later one.
#include <doctest/doctest.h>

#include <set>
#include <string>
#include <vector>

#include "compiler/emit/output_paths.h"
#include "compiler/project/load.h"
#include "compiler/sema/check.h"
#include "tests/unit/test_fs.h"

namespace {

using claw::emit::check_output_paths;
using claw::emit::output_claims;

const char* kProgram = R"(
cluster home { k3s = "v1.31.4+k3s1"; server = box; namespace = "apps" }
machine box { os = linux; arch = amd64; cpu = 8; memory = 32GiB
  export media { path = "/tank/media"; size = 1TiB } }
machine gpu-box { os = linux; arch = amd64; cpu = 8; memory = 32GiB; gpu "RTX" x 1 { vram = 24GiB } }
machine old { os = linux; arch = amd64; cpu = 2; memory = 4GiB; joined = false }
service web { image = "nginx:1.27"; port http = 80; volume media { at = "/media"; nfs = "box.media" } }
job once { image = "busybox:1"; namespace = "batch"; volume media { at = "/media"; nfs = "box.media" } }
resource watch { api = "example.com/v1"; kind = "Watch"; namespace = "batch" }
chart thing { repo = "https://example.com/charts"; chart = "thing"; version = "1.0.0" }
)";

claw::source::Span at(uint32_t begin) { return claw::source::Span{claw::source::FileId{0}, begin, begin + 1}; }

}  // namespace

TEST_CASE("output paths: the build writes exactly the files output_claims names, and the cluster-wide ones") {
  claw::testing::BuildRun b;
  b.build(kProgram);
  INFO(b.console.err);
  REQUIRE(b.code == 0);
  std::set<std::string> written;
  for (const auto& [path, text] : b.fs.memory.all())
    if (path.starts_with("out/") && path != "out/.claw-build") written.insert(path.substr(4));
  // The model the build used, checked again the same way: its claims,
  // and the cluster-wide files, are what was written.
  claw::testing::TestFileSystem fs;
  fs.memory.add("net.claw", kProgram);
  claw::project::LoadOptions options;
  options.paths = {"net.claw"};
  options.stdlib_dir = claw::testing::stdlib_dir();
  claw::project::Project project = claw::project::load(fs, options);
  claw::sema::CheckResult checked = claw::sema::check(project.program());
  REQUIRE(!checked.diags.has_errors());
  std::set<std::string> claimed;
  for (const auto& c : output_claims(checked.model)) claimed.insert(c.path);
  CHECK(claimed == std::set<std::string>{
                       "manifests/apps/web.yaml",
                       "manifests/batch/once.yaml",
                       "manifests/apps/nfs.persistentvolumeclaims.yaml",
                       "manifests/batch/nfs.persistentvolumeclaims.yaml",
                       "manifests/batch/watch.watch.yaml",
                       "manifests/kube-system/thing.helmchart.yaml",
                       "values/thing.yaml",
                       "join/box.sh",
                       "join/gpu-box.sh",
                       "join/old.sh",  // claimed, though not written: old is not joined
                   });
  std::set<std::string> want = claimed;
  want.erase("join/old.sh");
  for (auto p : {claw::emit::kPlacementPath, claw::emit::kNetworkHtmlPath, claw::emit::kSecretsPath, claw::emit::kNfsVolumesPath,
                 claw::emit::kNamespacesPath, claw::emit::kRuntimeClassPath})
    want.insert(std::string(p));
  CHECK(written == want);
}

TEST_CASE("output paths: output_claims spells each kind of path, from the declaration") {
  claw::sema::Model m;
  claw::sema::Workload w;
  w.kind = claw::sema::WorkloadKind::Service;
  w.name = "web";
  w.namespace_ = "apps";
  w.span = at(1);
  claw::sema::Volume v;
  v.name = "media";
  v.nfs_machine = claw::sema::MachineId{0};
  v.nfs_export = "media";
  v.span = at(2);
  w.volumes.push_back(v);
  m.workloads.push_back(w);
  claw::sema::CustomResource r;
  r.name = "watch";
  r.kind = "WatchList";
  r.namespace_ = "apps";
  r.span = at(3);
  m.resources.push_back(r);
  claw::sema::Chart c;
  c.name = "thing";
  c.span = at(4);
  m.charts.push_back(c);
  claw::sema::Machine box;
  box.name = "box";
  box.span = at(5);
  m.machines.push_back(box);
  std::vector<std::string> paths;
  for (const auto& claim : output_claims(m)) paths.push_back(claim.path);
  CHECK(paths == std::vector<std::string>{"manifests/apps/web.yaml", "manifests/apps/nfs.persistentvolumeclaims.yaml",
                                          "manifests/apps/watch.watchlist.yaml", "manifests/kube-system/thing.helmchart.yaml",
                                          "values/thing.yaml", "join/box.sh"});
}

TEST_CASE("output paths: every pair of declarations sharing a file is reported at the later one") {
  // Each case: a model with two declarations whose files coincide, and the
  // span the error must be at (the later) and the note's (the earlier).
  struct Case {
    const char* name;
    claw::sema::Model model;
  };
  auto workload = [](const char* ns, const char* name, uint32_t span) {
    claw::sema::Workload w;
    w.kind = claw::sema::WorkloadKind::Service;
    w.name = name;
    w.namespace_ = ns;
    w.span = at(span);
    return w;
  };
  auto resource = [](const char* ns, const char* name, const char* kind, uint32_t span) {
    claw::sema::CustomResource r;
    r.name = name;
    r.kind = kind;
    r.namespace_ = ns;
    r.span = at(span);
    return r;
  };
  auto chart = [](const char* name, uint32_t span) {
    claw::sema::Chart c;
    c.name = name;
    c.span = at(span);
    return c;
  };
  std::vector<Case> cases;
  {
    Case c{"two workloads, one namespace and name", {}};
    c.model.workloads = {workload("apps", "web", 10), workload("apps", "web", 20)};
    cases.push_back(std::move(c));
  }
  {
    Case c{"a resource like a chart's HelmChart (declared later)", {}};
    c.model.resources = {resource("kube-system", "x", "HelmChart", 20)};
    c.model.charts = {chart("x", 10)};
    cases.push_back(std::move(c));
  }
  {
    Case c{"a resource like a chart's HelmChart (declared first)", {}};
    c.model.resources = {resource("kube-system", "x", "helmCHART", 10)};
    c.model.charts = {chart("x", 20)};
    cases.push_back(std::move(c));
  }
  {
    Case c{"a resource like a namespace's NFS claims", {}};
    auto w = workload("apps", "web", 10);
    claw::sema::Volume v;
    v.name = "media";
    v.nfs_machine = claw::sema::MachineId{0};
    v.span = at(10);
    w.volumes.push_back(v);
    c.model.workloads = {w};
    c.model.resources = {resource("apps", "nfs", "PersistentVolumeClaims", 20)};
    cases.push_back(std::move(c));
  }
  {
    Case c{"two resources whose kinds differ in letter case", {}};
    c.model.resources = {resource("apps", "a", "Watch", 10), resource("apps", "a", "WATCH", 20)};
    cases.push_back(std::move(c));
  }
  {
    Case c{"two charts of one release", {}};
    c.model.charts = {chart("x", 10), chart("x", 20)};
    cases.push_back(std::move(c));
  }
  {
    Case c{"two machines of one name", {}};
    claw::sema::Machine a, b;
    a.name = b.name = "box";
    a.span = at(10);
    b.span = at(20);
    c.model.machines = {a, b};
    cases.push_back(std::move(c));
  }
  for (const auto& c : cases) {
    CAPTURE(c.name);
    claw::diag::Sink sink;
    check_output_paths(c.model, sink);
    // Two charts of one release clash twice: the HelmChart and the values.
    REQUIRE(!sink.all().empty());
    for (const auto& d : sink.all()) {
      CHECK(d.kind == claw::diag::Kind::OutputPathClash);
      CHECK(d.span.begin == 20);
      REQUIRE(d.notes.size() == 1);
      CHECK(d.notes[0].span.begin == 10);
    }
  }
  // Distinct files: nothing reported.
  claw::sema::Model fine;
  fine.workloads = {workload("apps", "web", 10), workload("other", "web", 20)};
  fine.resources = {resource("apps", "web", "Watch", 30), resource("kube-system", "x", "HelmChartConfig", 40)};
  fine.charts = {chart("x", 50)};
  claw::diag::Sink sink;
  check_output_paths(fine, sink);
  CHECK(sink.all().empty());
}

TEST_CASE("output paths: a name that would leave its folder is refused, whatever the names checks let through") {
  using claw::emit::sound_output_path;
  CHECK(sound_output_path("manifests/apps/web.yaml", 3));
  CHECK(sound_output_path("values/x.yaml", 2));
  CHECK(sound_output_path("manifests/a b/..x.yaml", 3));
  for (const char* bad : {"manifests//web.yaml", "manifests/../web.yaml", "manifests/./web.yaml", "/manifests/a/web.yaml",
                          "manifests/a/b/web.yaml", "manifests/a/", "manifests/a/..", "manifests/a/."})
    CHECK_MESSAGE(!sound_output_path(bad, 3), bad);
  CHECK(!sound_output_path(std::string("manifests/a\0b/web.yaml", 22), 3));

  // Each declaration kind, with each way a name can break its path.
  for (const char* bad : {"", ".", "..", "a/b", "../../etc", "/abs"}) {
    CAPTURE(bad);
    claw::sema::Model m;
    claw::sema::Workload w;
    w.kind = claw::sema::WorkloadKind::Service;
    w.name = "web";
    w.namespace_ = bad;
    w.span = at(1);
    m.workloads.push_back(w);
    claw::sema::CustomResource r;
    r.name = "res";
    r.kind = std::string("Kind") + bad;
    r.namespace_ = "apps";
    r.span = at(2);
    m.resources.push_back(r);
    claw::sema::Machine box;
    box.name = bad;
    box.span = at(3);
    m.machines.push_back(box);
    claw::diag::Sink sink;
    check_output_paths(m, sink);
    std::set<uint32_t> at_spans;
    for (const auto& d : sink.all()) {
      CHECK(d.kind == claw::diag::Kind::InvalidName);
      at_spans.insert(d.span.begin);
    }
    // The workload always (its namespace is a folder); the resource and
    // the machine when the name holds a `/` (`Kind..`, `join/..sh` and
    // `join/.sh` are file names like any other).
    std::set<uint32_t> want = {1};
    if (std::string_view(bad).find('/') != std::string_view::npos) want.insert({2, 3});
    CHECK(at_spans == want);
  }
}
