// A workload's objects are made by one emitter into two sinks
// (emit/manifests.h): the object list, as trees (what `claw plan` and
// `claw apply` send), and the files `claw build` writes straight, with no
// tree. Checked on every example program and infra/: the object list,
// written out, is each workload's file byte for byte.
#include <doctest/doctest.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "compiler/emit/manifest_files.h"
#include "compiler/emit/manifests.h"
#include "compiler/emit/output_paths.h"
#include "compiler/emit/provenance.h"
#include "compiler/k8s/openapi.h"
#include "compiler/placement/placement.h"
#include "compiler/project/load.h"
#include "compiler/sema/check.h"
#include "tests/unit/claw_inputs.h"
#include "tests/unit/test_fs.h"

namespace {

using namespace claw;

/// The program in folder `dir` of the repository (its .claw files), loaded.
project::Project load_program(testing::TestFileSystem& fs, const std::filesystem::path& dir) {
  project::LoadOptions lo;
  for (const auto& e : std::filesystem::recursive_directory_iterator(testing::kRoot / dir))
    if (e.path().extension() == ".claw") {
      std::string path = (dir / std::filesystem::relative(e.path(), testing::kRoot / dir)).generic_string();
      fs.memory.add(path, testing::read_file(e.path()));
      lo.paths.push_back(path);
    }
  lo.stdlib_dir = testing::stdlib_dir();
  return project::load(fs, lo);
}

std::vector<std::filesystem::path> programs() {
  std::vector<std::filesystem::path> out{"infra"};
  for (const auto& e : std::filesystem::directory_iterator(testing::kRoot / "examples"))
    if (e.is_directory()) out.push_back(std::filesystem::path("examples") / e.path().filename());
  return out;
}

}  // namespace

TEST_CASE("workload files: written straight, they are the object list's trees written, byte for byte") {
  size_t workloads = 0, through_trees = 0;
  for (const auto& dir : programs()) {
    INFO(dir.generic_string());
    testing::TestFileSystem fs;
    project::Project project = load_program(fs, dir);
    sema::Program program = project.program();
    program.k8s_schema = k8s::openapi_path(testing::stdlib_dir());
    sema::CheckResult checked = sema::check(program);
    REQUIRE_FALSE(checked.diags.has_errors());
    placement::Result placed = placement::place(checked.model);
    const sema::Model& model = checked.model;
    const emit::Where where = emit::where_in(project.sources);

    std::map<std::string, std::string> straight;
    emit::workload_manifests(model, placed.placement, where,
                             [&](std::string_view path, std::string_view text) { straight[std::string(path)] = text; });

    std::map<std::string, std::string> from_trees;
    const auto lists = emit::workload_objects(model, placed.placement);
    REQUIRE(lists.size() == model.workloads.size());
    for (size_t i = 0; i < lists.size(); ++i) {
      const sema::Workload& w = model.workloads[i];
      emit::append_manifest(from_trees[emit::workload_path(w.namespace_, w.name)], lists[i], where);
      through_trees += w.patch || (w.exposure && !w.exposure->ingresses.empty());
    }
    CHECK(straight.size() == model.workloads.size());
    for (const auto& [path, text] : from_trees) {
      INFO(path);
      CHECK(straight[path] == text);
    }
    workloads += model.workloads.size();
  }
  // Most workloads take the straight path; some (a patch, Ingresses) go
  // through their trees.
  CHECK(workloads > 2 * through_trees);
  CHECK(through_trees > 0);
}
