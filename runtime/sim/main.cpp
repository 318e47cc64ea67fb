#include "runtime/sim/registry.h"
#include <cstdio>
int main() {
  auto r = claw::sim::Registry::builtin();
  for (auto& g : r.groups()) {
    std::printf("%s:", g.name.c_str());
    for (auto& v : g.versions) std::printf(" %s", v.c_str());
    std::printf("\n");
  }
  for (auto* t : r.in_group_version("apps", "v1")) std::printf("%s %s %d %zu %s\n", t->plural.c_str(), t->kind.c_str(), t->namespaced, t->subresources.size(), std::string(t->schema.definition_name()).c_str());
}
