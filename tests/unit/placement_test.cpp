#include <doctest/doctest.h>
#include <iostream>
#include "compiler/diag/render.h"
#include "compiler/placement/placement.h"
#include "compiler/project/load.h"
#include "compiler/sema/check.h"
#include "tests/unit/test_fs.h"

TEST_CASE("placement scratch") {
  claw::testing::TestFileSystem fs;
  fs.memory.add("net.claw", R"(cluster home { k3s = "v1.31.4+k3s1"; server = box }
role gpu {}
role storage { taint "node-role=storage:NoSchedule" }
machine box { os = linux; arch = amd64; cpu = 4; memory = 16GiB; roles = [storage] }
machine studio { os = darwin; arch = arm64; cpu = 4; memory = 16GiB; k3s = vm }
machine g { os = linux; arch = amd64; cpu = 4; memory = 16GiB; roles = [gpu]; gpu "RTX" x 2 { vram = 24GiB } }
service web { image = "nginx"; arch = [amd64]; gpu { count = 2; vram = 40GiB } }
service web2 { image = "nginx"; replicas = 3; needs { cpu = 3 } }
)");
  auto project = claw::project::load(fs, claw::project::LoadOptions{{"net.claw"}, claw::testing::stdlib_dir()});
  auto checked = claw::sema::check(project.program());
  for (auto& d : project.diags.all()) std::cout << claw::diag::render_text(project.sources, d);
  for (auto& d : checked.diags.all()) std::cout << claw::diag::render_text(project.sources, d);
  auto r = claw::placement::place(checked.model);
  for (auto& d : r.diags.all()) std::cout << "[[" << claw::diag::render_text(project.sources, d) << "]]\n";
}
