#include "runtime/plan/plan.h"

#include <algorithm>

namespace claw::plan {

std::string_view action_symbol(Action a) {
  switch (a) {
    case Action::Create: return "+";
    case Action::Update: return "~";
    case Action::Delete: return "-";
    case Action::Adopt: return "!";
    case Action::Replace: return "-/+";
  }
  return "?";
}

std::string_view action_word(Action a) {
  switch (a) {
    case Action::Create: return "create";
    case Action::Update: return "update";
    case Action::Delete: return "delete";
    case Action::Adopt: return "adopt";
    case Action::Replace: return "replace";
  }
  return "?";
}

bool Plan::has_changes() const {
  if (!objects.empty()) return true;
  return std::any_of(nodes.begin(), nodes.end(), [](const NodePlan& n) { return n.joined && !n.changes.empty(); });
}

size_t Plan::count(Action a) const {
  return static_cast<size_t>(std::count_if(objects.begin(), objects.end(), [a](const ObjectPlan& o) { return o.action == a; }));
}

}  // namespace claw::plan
