// plan_json (render.h): the plan for tools, `claw plan --format json`.
#include "runtime/plan/render.h"

namespace claw::plan {
namespace {

using nlohmann::json;

json change_json(const FieldChange& c, bool secret) {
  json out{{"path", render_path(c.path)}};
  if (c.before) out["before"] = secret ? secret_shown(c.path, *c.before) : *c.before;
  if (c.after) out["after"] = secret ? secret_shown(c.path, *c.after) : *c.after;
  return out;
}

json changes_json(const std::vector<FieldChange>& changes, bool secret) {
  json out = json::array();
  for (const FieldChange& c : changes) out.push_back(change_json(c, secret));
  return out;
}

json object_json(const ObjectPlan& o) {
  return json{{"action", action_word(o.action)},
              {"ref", ref_json(o.ref)},
              {"source", o.source},
              {"sensitive", o.sensitive},
              {"reason", o.reason},
              {"resource_version", o.resource_version},
              {"generation", o.generation},
              {"uid", o.uid},
              {"wave", o.wave},
              {"conflicts", o.conflicts},
              {"changes", changes_json(o.changes, secret_like(o))}};
}

}  // namespace

json plan_json(const Plan& plan) {
  DisplayOrder order = display_order(plan);
  json objects = json::array(), moves = json::array(), nodes = json::array(), kept = json::array();
  for (const ObjectPlan* o : order.objects) objects.push_back(object_json(*o));
  for (const Move* m : order.moves) {
    moves.push_back(json{{"workload", m->workload}, {"replica", m->replica}, {"from", m->from}, {"to", m->to},
                         {"reason", m->reason}});
  }
  for (const NodePlan* n : order.nodes) {
    nodes.push_back(json{{"machine", n->machine}, {"joined", n->joined}, {"changes", changes_json(n->changes, false)}});
  }
  for (const Kept* k : order.kept) kept.push_back(json{{"ref", ref_json(k->ref)}, {"why", k->why}});
  json summary{{"create", plan.count(Action::Create)}, {"update", plan.count(Action::Update)},
               {"delete", plan.count(Action::Delete)}, {"adopt", plan.count(Action::Adopt)}, {"replace", plan.count(Action::Replace)},
               {"unchanged", plan.unchanged},         {"nodes_to_update", nodes_to_update(plan)},
               {"changes", plan.has_changes()}};
  return json{{"format_version", kPlanJsonVersion},
              {"project", plan.project},
              {"server", plan.server},
              {"context", plan.context},
              {"summary", std::move(summary)},
              {"objects", std::move(objects)},
              {"moves", std::move(moves)},
              {"nodes", std::move(nodes)},
              {"kept", std::move(kept)},
              {"notes", plan.notes}};
}

}  // namespace claw::plan
