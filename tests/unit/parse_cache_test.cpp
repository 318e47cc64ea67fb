// Loading a program again through a ParseCache: unchanged files are not
// parsed again and every file keeps its id; a changed file is parsed anew.
#include <doctest/doctest.h>

#include <string>

#include "compiler/project/load.h"
#include "compiler/sema/check.h"
#include "tests/unit/test_fs.h"

namespace {

using namespace claw;

const syntax::File* tree_of(const project::Project& p, std::string_view path) {
  for (const auto& f : p.files)
    if (f && p.sources.file(f->id).path().ends_with(path)) return f.get();
  return nullptr;
}

TEST_CASE("parse cache: unchanged files are reused with their ids, changed ones parsed again") {
  testing::TestFileSystem fs;
  fs.memory.add("net/a.claw", "machine box { os = linux; arch = amd64; cpu = 4; memory = 8GiB }\n");
  fs.memory.add("net/b.claw", "service web { image = \"nginx:1.27\" }\n");
  fs.memory.add("net/c.claw", "cluster home { k3s = \"v1.31.4+k3s1\"; server = box }\n");
  project::ParseCache cache;
  project::LoadOptions options;
  options.paths = {"net"};
  options.stdlib_dir = testing::stdlib_dir();
  options.cache = &cache;
  project::Project first = project::load(fs, options);
  REQUIRE(first.diags.all().empty());
  const syntax::File* a1 = tree_of(first, "a.claw");
  const syntax::File* b1 = tree_of(first, "b.claw");
  REQUIRE(a1);
  REQUIRE(b1);
  const size_t cached = cache.size();
  CHECK(cached == first.files.size());

  fs.memory.add("net/b.claw", "service web { image = \"nginx:1.27\"; replicas = 2 }\n");
  project::Project second = project::load(fs, options);
  REQUIRE(second.diags.all().empty());
  CHECK(tree_of(second, "a.claw") == a1);  // the same tree, not parsed again
  const syntax::File* b2 = tree_of(second, "b.claw");
  REQUIRE(b2);
  CHECK(b2 != b1);
  CHECK(b2->id == b1->id);  // the same id
  CHECK(second.sources.file(b2->id).text().find("replicas") != std::string_view::npos);
  CHECK(tree_of(second, "a.claw")->id == a1->id);
  // The stdlib's trees are reused too.
  CHECK(tree_of(second, "core.claw") == tree_of(first, "core.claw"));
  // What the second load checks is the second text.
  sema::CheckResult checked = sema::check(second.program());
  CHECK(checked.diags.all().empty());
  REQUIRE(checked.model.workloads.size() == 1);
  CHECK(checked.model.workloads[0].replicas == 2);

  // A syntax error is reported on every load while the text is unchanged,
  // and a file that is gone leaves the cache.
  fs.memory.add("net/b.claw", "service web { image = }\n");
  CHECK(project::load(fs, options).diags.has_errors());
  CHECK(project::load(fs, options).diags.has_errors());
  fs.memory.remove("net/c.claw");
  project::Project third = project::load(fs, options);
  CHECK(tree_of(third, "c.claw") == nullptr);
  CHECK(cache.size() == cached - 1);
}

}  // namespace
