#include "runtime/sim/controllers.h"

#include "runtime/sim/write.h"

#include <fmt/format.h>

#include <cstdlib>
#include <functional>
#include <set>

namespace claw::sim {
namespace {

constexpr std::string_view kControllerManager = "kube-controller-manager";

using Rollout = RolloutClock;

void write_status(SimState& sim, const ObjectKey& key, const Json& object, Json status) {
  if (object.value("status", Json::object()) == status) return;
  const ResourceType* type = nullptr;
  for (const ResourceType* t : sim.registry.versions_of(key.group, key.plural)) type = t;
  if (type == nullptr) return;
  Json next = object;
  next["status"] = std::move(status);
  WriteContext ctx{std::string(kControllerManager), "Update", "status", false};
  (void)commit_write(sim, *type, key, &object, std::move(next), ctx);
}

Json condition(std::string_view type, bool ok, std::string_view reason, std::string message, const std::string& now) {
  return {{"type", type}, {"status", ok ? "True" : "False"}, {"reason", reason}, {"message", std::move(message)},
          {"lastUpdateTime", now}, {"lastTransitionTime", now}};
}

bool is_ready(SimState& sim, const ObjectKey& key, const Rollout& r) {
  if (sim.options.never_ready.contains(key.name) || sim.options.never_ready.contains(key.ns + "/" + key.name)) {
    return false;
  }
  return sim.clock.now() - r.since >= sim.options.ready_after;
}

Rollout& track(SimState& sim, const ObjectKey& key, const Json& object) {
  std::int64_t generation = object.value("/metadata/generation"_json_pointer, std::int64_t{1});
  std::size_t hash = std::hash<std::string>{}(object.value("/spec/template"_json_pointer, Json::object()).dump());
  auto [it, first_sight] = sim.rollouts.try_emplace(key);
  Rollout& r = it->second;
  if (first_sight && object.value("/status/observedGeneration"_json_pointer, std::int64_t{0}) == generation) {
    // Seen by an earlier run of the sim (a restart): its rollout is as far
    // along as its status says, not started again.
    r.generation = generation;
    r.template_hash = hash;
    std::string revision =
        object.value("/metadata/annotations/deployment.kubernetes.io~1revision"_json_pointer, std::string("1"));
    r.revision = std::atoi(revision.c_str());
    bool was_ready = object.contains("/status/readyReplicas"_json_pointer) ||
                     object.contains("/status/numberReady"_json_pointer) ||
                     object.contains("/status/completionTime"_json_pointer);
    r.since = was_ready ? std::chrono::system_clock::time_point{} : sim.clock.now();
  }
  if (r.generation != generation) {
    r.generation = generation;
    r.since = sim.clock.now();
  }
  if (r.revision == 0 || r.template_hash != hash) {
    r.template_hash = hash;
    ++r.revision;
  }
  return r;
}

std::string revision_name(const std::string& name, const Rollout& r) { return fmt::format("{}-{:x}", name, r.template_hash % 0xffffffffff); }

Json deployment_status(SimState& sim, const ObjectKey& key, const Json& d, const Rollout& r) {
  std::int64_t want = d.value("/spec/replicas"_json_pointer, std::int64_t{1});
  bool ready = is_ready(sim, key, r);
  std::string now = rfc3339(sim.clock.now());
  std::int64_t have = ready ? want : 0;
  Json s = {{"observedGeneration", r.generation}, {"replicas", want}, {"updatedReplicas", want}};
  if (have > 0) {
    s["readyReplicas"] = have;
    s["availableReplicas"] = have;
  }
  if (want - have > 0) s["unavailableReplicas"] = want - have;
  std::string rs = revision_name(key.name, r);
  s["conditions"] = Json::array(
      {ready ? condition("Available", true, "MinimumReplicasAvailable", "Deployment has minimum availability.", now)
             : condition("Available", false, "MinimumReplicasUnavailable",
                         "Deployment does not have minimum availability.", now),
       ready ? condition("Progressing", true, "NewReplicaSetAvailable",
                         fmt::format("ReplicaSet \"{}\" has successfully progressed.", rs), now)
             : condition("Progressing", true, "ReplicaSetUpdated",
                         fmt::format("ReplicaSet \"{}\" is progressing.", rs), now)});
  // Conditions keep their times while their status does not change.
  const Json old = d.value("status", Json::object());
  if (old.contains("conditions")) {
    for (Json& c : s["conditions"]) {
      for (const Json& o : old["conditions"]) {
        if (o.value("type", "") == c["type"] && o.value("status", "") == c["status"] &&
            o.value("reason", "") == c["reason"]) {
          c["lastUpdateTime"] = o.value("lastUpdateTime", now);
          c["lastTransitionTime"] = o.value("lastTransitionTime", now);
        }
      }
    }
  }
  return s;
}

Json statefulset_status(SimState& sim, const ObjectKey& key, const Json& s, const Rollout& r) {
  std::int64_t want = s.value("/spec/replicas"_json_pointer, std::int64_t{1});
  bool ready = is_ready(sim, key, r);
  std::int64_t have = ready ? want : 0;
  std::string revision = revision_name(key.name, r);
  Json status = {{"observedGeneration", r.generation}, {"replicas", want},  {"currentReplicas", want},
                 {"updatedReplicas", want},           {"currentRevision", revision},
                 {"updateRevision", revision},        {"collisionCount", 0}, {"availableReplicas", have}};
  if (have > 0) status["readyReplicas"] = have;
  return status;
}

bool tolerates(const Json& tolerations, const Json& taint) {
  for (const Json& t : tolerations) {
    std::string op = t.value("operator", "Equal");
    bool key_ok = t.value("key", "") == taint.value("key", "") || (op == "Exists" && t.value("key", "").empty());
    bool value_ok = op == "Exists" || t.value("value", "") == taint.value("value", "");
    bool effect_ok = t.value("effect", "").empty() || t.value("effect", "") == taint.value("effect", "");
    if (key_ok && value_ok && effect_ok) return true;
  }
  return false;
}

std::int64_t daemon_nodes(SimState& sim, const Json& ds) {
  const Json pod = ds.value("/spec/template/spec"_json_pointer, Json::object());
  const Json selector = pod.value("nodeSelector", Json::object());
  const Json tolerations = pod.value("tolerations", Json::array());
  std::int64_t n = 0;
  for (const auto& node : sim.store.list("", "nodes", "")) {
    const Json labels = node->object.value("/metadata/labels"_json_pointer, Json::object());
    bool match = true;
    for (const auto& [k, v] : selector.items()) match = match && labels.contains(k) && labels[k] == v;
    for (const Json& taint : node->object.value("/spec/taints"_json_pointer, Json::array())) {
      std::string effect = taint.value("effect", "");
      if ((effect == "NoSchedule" || effect == "NoExecute") && !tolerates(tolerations, taint)) match = false;
    }
    if (match) ++n;
  }
  return n;
}

Json daemonset_status(SimState& sim, const ObjectKey& key, const Json& ds, const Rollout& r) {
  std::int64_t want = daemon_nodes(sim, ds);
  std::int64_t have = is_ready(sim, key, r) ? want : 0;
  Json s = {{"observedGeneration", r.generation}, {"desiredNumberScheduled", want},
            {"currentNumberScheduled", want},     {"updatedNumberScheduled", want},
            {"numberMisscheduled", 0},            {"numberReady", have}};
  if (have > 0) s["numberAvailable"] = have;
  if (want - have > 0) s["numberUnavailable"] = want - have;
  return s;
}

Json job_status(SimState& sim, const ObjectKey& key, const Json& job, const Rollout& r) {
  Json old = job.value("status", Json::object());
  std::string start = old.value("startTime", rfc3339(r.since));
  std::int64_t completions = job.value("/spec/completions"_json_pointer, std::int64_t{1});
  if (job.value("/spec/suspend"_json_pointer, false)) return old;
  if (!is_ready(sim, key, r)) {
    return {{"startTime", start}, {"active", job.value("/spec/parallelism"_json_pointer, std::int64_t{1})},
            {"ready", 0}, {"terminating", 0}, {"uncountedTerminatedPods", Json::object()}};
  }
  if (old.contains("completionTime")) return old;
  std::string now = rfc3339(sim.clock.now());
  Json criteria = {{"type", "SuccessCriteriaMet"}, {"status", "True"}, {"reason", "CompletionsReached"},
                   {"message", "Reached expected number of succeeded pods"}, {"lastProbeTime", now},
                   {"lastTransitionTime", now}};
  Json complete = criteria;
  complete["type"] = "Complete";
  return {{"startTime", start}, {"completionTime", now}, {"succeeded", completions}, {"ready", 0},
          {"terminating", 0}, {"uncountedTerminatedPods", Json::object()},
          {"conditions", Json::array({criteria, complete})}};
}

void set_revision_annotation(SimState& sim, const ObjectKey& key, const Json& d, const Rollout& r) {
  std::string want = std::to_string(r.revision);
  if (d.value("/metadata/annotations/deployment.kubernetes.io~1revision"_json_pointer, std::string()) == want) return;
  const ResourceType* type = sim.registry.find("apps", "v1", "deployments");
  Json next = d;
  next["metadata"]["annotations"]["deployment.kubernetes.io/revision"] = want;
  WriteContext ctx{std::string(kControllerManager), "Update", "", false};
  (void)commit_write(sim, *type, key, &d, std::move(next), ctx);
}

using StatusOf = Json (*)(SimState&, const ObjectKey&, const Json&, const Rollout&);

StatusOf status_function(const ObjectKey& key) {
  if (key.group == "apps" && key.plural == "deployments") return deployment_status;
  if (key.group == "apps" && key.plural == "statefulsets") return statefulset_status;
  if (key.group == "apps" && key.plural == "daemonsets") return daemonset_status;
  if (key.group == "batch" && key.plural == "jobs") return job_status;
  return nullptr;
}

// Brings one workload's status up to date; true when it has nothing more
// to do until it changes again (ready, or complete).
bool workload(SimState& sim, const ObjectKey& key) {
  StatusOf status = status_function(key);
  auto stored = sim.store.get(key);
  if (stored == nullptr || status == nullptr) {
    sim.rollouts.erase(key);
    return true;
  }
  const Json& object = stored->object;
  if (object.contains("/metadata/deletionTimestamp"_json_pointer)) return true;
  Rollout& r = track(sim, key, object);
  if (key.plural == "deployments") {
    set_revision_annotation(sim, key, object, r);
    stored = sim.store.get(key);
  }
  write_status(sim, key, stored->object, status(sim, key, stored->object, r));
  return is_ready(sim, key, r);
}

// apiextensions-apiserver's naming and establishing controllers: a CRD's
// names are accepted and it is Established (its kinds are served as soon
// as it is stored; see Registry::add_crd).
void establish(SimState& sim, const ObjectKey& crd_key) {
  auto stored = sim.store.get(crd_key);
  if (stored == nullptr) return;
  const Json& crd = stored->object;
  if (crd.contains("/metadata/deletionTimestamp"_json_pointer)) return;
  Json names = crd.value("/spec/names"_json_pointer, Json::object());
  std::string kind = names.value("kind", "");
  if (!names.contains("singular")) names["singular"] = [&] {
    std::string lower = kind;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return lower;
  }();
  if (!names.contains("listKind")) names["listKind"] = kind + "List";
  Json stored_versions = Json::array();
  for (const Json& v : crd.value("/spec/versions"_json_pointer, Json::array())) {
    if (v.value("storage", false)) stored_versions.push_back(v.value("name", ""));
  }
  Json status = crd.value("status", Json::object());
  std::string now = rfc3339(sim.clock.now());
  auto cond = [&](std::string_view type, std::string_view reason, std::string_view message) {
    for (const Json& c : status.value("conditions", Json::array())) {
      if (c.value("type", "") == type && c.value("status", "") == "True") return c;
    }
    return Json{{"type", type}, {"status", "True"}, {"reason", reason}, {"message", message},
                {"lastTransitionTime", now}};
  };
  Json next = {{"acceptedNames", names},
               {"conditions", Json::array({cond("NamesAccepted", "NoConflicts", "no conflicts found"),
                                           cond("Established", "InitialNamesAccepted",
                                                "the initial names have been accepted")})},
               {"storedVersions", stored_versions}};
  ObjectKey key{"apiextensions.k8s.io", "customresourcedefinitions", "", crd["metadata"].value("name", "")};
  write_status(sim, key, crd, std::move(next));
}

void drop_finalizer(SimState& sim, const ObjectKey& key, const Json& object, std::string_view finalizer) {
  Json next = object;
  Json& f = next["metadata"]["finalizers"];
  f.erase(std::remove(f.begin(), f.end(), Json(finalizer)), f.end());
  if (f.empty()) {
    remove_object(sim, key, next);
    return;
  }
  next["metadata"]["resourceVersion"] = std::to_string(sim.store.next_resource_version());
  sim.store.put(key, next, "MODIFIED");
}

void mark_deleted(SimState& sim, const ObjectKey& key, const Json& object) {
  if (object.value("/metadata/finalizers"_json_pointer, Json::array()).empty()) {
    remove_object(sim, key, object);
    return;
  }
  if (object.contains("/metadata/deletionTimestamp"_json_pointer)) return;
  Json next = object;
  next["metadata"]["deletionTimestamp"] = rfc3339(sim.clock.now());
  next["metadata"]["deletionGracePeriodSeconds"] = 0;
  next["metadata"]["resourceVersion"] = std::to_string(sim.store.next_resource_version());
  sim.store.put(key, next, "MODIFIED");
}

// Empties a terminating namespace, then removes it; true once it is gone.
bool finalize_namespace(SimState& sim, const std::string& ns_name) {
  auto ns = sim.store.get(ObjectKey{"", "namespaces", "", ns_name});
  if (ns == nullptr) return true;
  const Json& object = ns->object;
  if (!object.contains("/metadata/deletionTimestamp"_json_pointer)) return true;
  std::string name = object["metadata"].value("name", "");
  bool empty = true;
  for (const auto& [key, stored] : sim.store.all()) {
    if (key.ns != name || key.plural == "namespaces") continue;
    empty = false;
    mark_deleted(sim, key, stored->object);
  }
  if (!empty) return false;
  ObjectKey key{"", "namespaces", "", name};
  Json next = object;
  next["spec"]["finalizers"] = Json::array();
  if (next["metadata"].value("finalizers", Json::array()).empty()) {
    remove_object(sim, key, next);
    return true;
  }
  if (next != object) {
    next["metadata"]["resourceVersion"] = std::to_string(sim.store.next_resource_version());
    sim.store.put(key, next, "MODIFIED");
  }
  return false;
}

// ownerReferences: dependents of deleted owners go (Background), are kept
// without the reference (Orphan), or go before their owner (Foreground).
void garbage_collect(SimState& sim) {
  std::map<std::string, std::pair<ObjectKey, std::shared_ptr<const StoredObject>>> by_uid;
  auto everything = sim.store.all();
  bool any_refs = false, any_deleting = false;
  for (const auto& [key, stored] : everything) {
    const Json& meta = stored->object["metadata"];
    any_refs = any_refs || meta.contains("ownerReferences");
    any_deleting = any_deleting || meta.contains("deletionTimestamp");
    by_uid.emplace(meta.value("uid", ""), std::pair{key, stored});
  }
  if (!any_refs && !any_deleting) return;
  for (const auto& [key, stored] : everything) {
    const Json& object = stored->object;
    Json refs = object.value("/metadata/ownerReferences"_json_pointer, Json::array());
    if (refs.empty() || sim.store.get(key) == nullptr) continue;
    bool any_alive = false;
    for (const Json& ref : refs) {
      auto owner = by_uid.find(ref.value("uid", ""));
      if (owner == by_uid.end()) continue;
      const Json& o = owner->second.second->object;
      Json finalizers = o.value("/metadata/finalizers"_json_pointer, Json::array());
      bool foreground = std::ranges::find(finalizers, Json("foregroundDeletion")) != finalizers.end();
      if (!(o.contains("/metadata/deletionTimestamp"_json_pointer) && foreground)) any_alive = true;
    }
    if (!any_alive) mark_deleted(sim, key, object);
  }
  for (const auto& [uid, owner] : by_uid) {
    const ObjectKey& key = owner.first;
    const Json& object = owner.second->object;
    if (!object.contains("/metadata/deletionTimestamp"_json_pointer) || sim.store.get(key) == nullptr) continue;
    Json finalizers = object.value("/metadata/finalizers"_json_pointer, Json::array());
    bool has_dependents = false;
    for (const auto& [k, s] : sim.store.all()) {
      for (const Json& ref : s->object.value("/metadata/ownerReferences"_json_pointer, Json::array())) {
        if (ref.value("uid", "") != uid) continue;
        has_dependents = true;
        if (std::ranges::find(finalizers, Json("orphan")) != finalizers.end()) {
          Json next = s->object;
          Json& refs = next["metadata"]["ownerReferences"];
          refs.erase(std::remove_if(refs.begin(), refs.end(), [&](const Json& r) { return r.value("uid", "") == uid; }),
                     refs.end());
          if (refs.empty()) next["metadata"].erase("ownerReferences");
          next["metadata"]["resourceVersion"] = std::to_string(sim.store.next_resource_version());
          sim.store.put(k, next, "MODIFIED");
        }
      }
    }
    if (std::ranges::find(finalizers, Json("orphan")) != finalizers.end()) {
      drop_finalizer(sim, key, object, "orphan");
    } else if (!has_dependents && std::ranges::find(finalizers, Json("foregroundDeletion")) != finalizers.end()) {
      drop_finalizer(sim, key, object, "foregroundDeletion");
    }
  }
}

// What changed since the last pass decides what the controllers look at,
// so a pass over a quiet store of thousands of objects costs nothing.
void note_changes(SimState& sim) {
  ControllerQueue& q = sim.queue;
  auto changes = sim.store.changes_since(q.seen);
  q.seen = sim.store.resource_version();
  if (!changes) {  // the log no longer reaches back: look at everything
    for (const auto& [key, stored] : sim.store.all()) {
      if (status_function(key) != nullptr) q.workloads.insert(key);
      if (key.plural == "namespaces" && key.group.empty()) q.namespaces.insert(key.name);
      if (key.plural == "customresourcedefinitions") q.crds.insert(key);
    }
    q.collect = true;
    return;
  }
  for (const ChangeEvent& e : *changes) {
    const Json& meta = e.object->object["metadata"];
    if (status_function(e.key) != nullptr) q.workloads.insert(e.key);
    if (e.key.group.empty() && e.key.plural == "nodes") {
      for (const auto& ds : sim.store.list("apps", "daemonsets", "")) {
        q.workloads.insert(ObjectKey{"apps", "daemonsets", ds->object["metadata"].value("namespace", ""),
                                     ds->object["metadata"].value("name", "")});
      }
    }
    if (e.key.group.empty() && e.key.plural == "namespaces" && meta.contains("deletionTimestamp")) {
      q.namespaces.insert(e.key.name);
    }
    if (e.key.plural == "customresourcedefinitions" && e.type != "DELETED") q.crds.insert(e.key);
    if (e.type == "DELETED" || meta.contains("deletionTimestamp") || meta.contains("ownerReferences")) {
      q.collect = true;
    }
  }
}

}  // namespace

void reconcile(SimState& sim) {
  std::lock_guard lock(sim.mutex);
  std::uint64_t before = sim.store.resource_version();
  note_changes(sim);
  ControllerQueue& q = sim.queue;
  // A bounded share of the queue per pass, so that a sim restarted on
  // thousands of workloads keeps answering requests while it catches up.
  std::size_t budget = 256;
  for (auto it = q.workloads.begin(); it != q.workloads.end() && budget > 0; --budget) {
    it = workload(sim, *it) ? q.workloads.erase(it) : std::next(it);
  }
  for (const ObjectKey& crd : std::exchange(q.crds, {})) establish(sim, crd);
  std::erase_if(q.namespaces, [&](const std::string& ns) { return finalize_namespace(sim, ns); });
  if (std::exchange(q.collect, false)) garbage_collect(sim);
  if (sim.store.resource_version() != before) sim.changed.notify_all();
}

}  // namespace claw::sim
