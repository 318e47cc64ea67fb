#include "runtime/plan/make_plan.h"

#include <fmt/format.h>

#include <algorithm>

#include "compiler/emit/tree_json.h"
#include "compiler/placement/annotation.h"
#include "runtime/apply/waves.h"
#include "runtime/plan/compare.h"
#include "runtime/plan/lookup.h"

namespace claw::plan {

namespace {

using nlohmann::json;

/// `%XX` for everything but unreserved characters (RFC 3986 2.3).
std::string query_escape(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') out += static_cast<char>(c);
    else out += fmt::format("%{:02X}", c);
  }
  return out;
}

ObjectPlan object_plan(const emit::ObjectRef& ref, Action action, std::string source = {},
                       std::vector<FieldChange> changes = {}, bool sensitive = false) {
  ObjectPlan p;
  p.ref = ref;
  p.action = action;
  p.source = std::move(source);
  p.changes = std::move(changes);
  p.sensitive = sensitive;
  return p;
}

/// Whether a 422 says a field that cannot change in place would change
/// (apimachinery's validation.ValidateImmutableField: "field is immutable").
bool immutable_change(const cluster::Response& r) {
  return r.body.find("field is immutable") != std::string::npos;
}

/// The live object's identity and versions, as a saved plan checks them.
void record_live(ObjectPlan& p, const json& live) {
  const json& meta = live["metadata"];
  p.resource_version = meta.value("resourceVersion", "");
  p.generation = meta.value("generation", int64_t{0});
  p.uid = meta.value("uid", "");
}

/// The declared object of `o`, as JSON, with its Secret values absent.
json declared_json(const emit::Object& o) { return emit::to_json(o.body); }

void flatten(const json& v, FieldPath& path, std::vector<FieldChange>& out) {
  if (v.is_object() && !v.empty()) {
    for (const auto& [k, child] : v.items()) {
      path.push_back(PathElement{PathElement::Kind::field, k, {}, 0});
      flatten(child, path, out);
      path.pop_back();
    }
    return;
  }
  out.push_back({path, std::nullopt, v});
}

std::string who_manages(const json& live) {
  const json& meta = live["metadata"];
  if (meta.contains("labels")) {
    const json& labels = meta["labels"];
    if (labels.value("app.kubernetes.io/managed-by", "") == "claw")
      return fmt::format("it exists and belongs to claw project `{}`", labels.value("claw.dev/project", "(none)"));
    if (labels.contains("app.kubernetes.io/managed-by"))
      return fmt::format("it exists, managed by `{}`", labels["app.kubernetes.io/managed-by"].get<std::string>());
  }
  std::vector<std::string> managers;
  if (meta.contains("managedFields"))
    for (const auto& m : meta["managedFields"]) managers.push_back(m.value("manager", "?"));
  std::sort(managers.begin(), managers.end());
  managers.erase(std::unique(managers.begin(), managers.end()), managers.end());
  if (managers.empty()) return "it exists and claw did not make it";
  std::string list;
  for (const auto& m : managers) list += (list.empty() ? "" : ", ") + m;
  return fmt::format("it exists and claw did not make it (field managers: {})", list);
}

/// A Secret's plan: its values compared locally, never sent for a dry-run.
std::expected<std::vector<FieldChange>, std::string> secret_plan(const emit::Object& o, const json& live,
                                                                 const PlanOptions& options) {
  std::vector<FieldChange> changes;
  if (options.secrets && options.sources && o.secret) {
    auto data = apply::secret_changes(*o.secret, *options.secrets, *options.sources, live);
    if (!data) return std::unexpected(data.error().message);
    changes = std::move(*data);
  }
  // claw's labels and the type, compared as any object's.
  json declared = declared_json(o);
  json mine = {{"metadata", {{"labels", declared["metadata"]["labels"]}}}, {"type", declared["type"]}};
  json theirs = {{"metadata", {{"labels", live["metadata"].value("labels", json::object())}}},
                 {"type", live.value("type", "")}};
  for (const auto& [k, v] : mine["metadata"]["labels"].items())
    if (theirs["metadata"]["labels"].value(k, json()) != v)
      changes.push_back({{PathElement{PathElement::Kind::field, "metadata", {}, 0}, PathElement{PathElement::Kind::field, "labels", {}, 0},
                          PathElement{PathElement::Kind::field, k, {}, 0}},
                         theirs["metadata"]["labels"].contains(k) ? std::optional<json>(theirs["metadata"]["labels"][k]) : std::nullopt,
                         v});
  redact_sensitive("v1", "Secret", changes);
  return changes;
}

}  // namespace

ObjectKey key_of(const emit::ObjectRef& ref) { return {ref.group, ref.kind, ref.namespace_, ref.name}; }

emit::ObjectRef ref_of(const json& live) {
  auto [group, version] = emit::split_api_version(live.value("apiVersion", ""));
  const json& meta = live.contains("metadata") ? live["metadata"] : json::object();
  return {group, version, live.value("kind", ""), meta.value("namespace", ""), meta.value("name", "")};
}

std::string ownership_selector(std::string_view project) {
  return fmt::format("app.kubernetes.io/managed-by=claw,claw.dev/project={}", project);
}

std::vector<std::pair<std::string, std::string>> inventory_kinds(const Inventory& inventory) {
  std::set<std::pair<std::string, std::string>> kinds;
  for (const auto& e : inventory.entries) kinds.insert({e.ref.api_version(), e.ref.kind});
  return {kinds.begin(), kinds.end()};
}

std::expected<void, std::string> read_owned(cluster::Transport& transport, const cluster::Discovery& discovery,
                                            std::string_view project,
                                            const std::vector<std::pair<std::string, std::string>>& kinds,
                                            const std::set<std::string>& namespaces, LiveState& live) {
  // The inventory first: the namespaces it records are read too.
  if (!live.inventory_read) {
    const auto r = transport.perform(cluster::Request{"GET", inventory_path(project), "", "", true});
    if (r.status == 200) {
      auto inv = parse_inventory(json::parse(r.body, nullptr, false));
      if (!inv) return std::unexpected(fmt::format("the inventory {}/{} is unreadable: {}", kInventoryNamespace,
                                                   inventory_name(project), inv.error()));
      live.inventory = std::move(*inv);
    } else if (r.status != 404) {
      return std::unexpected(fmt::format("reading the inventory {}/{}: {}", kInventoryNamespace, inventory_name(project),
                                         cluster::failure_text(r)));
    }
    live.inventory_read = true;
  }
  std::set<std::string> where = namespaces;
  for (const auto& e : live.inventory.entries)
    if (!e.ref.namespace_.empty()) where.insert(e.ref.namespace_);
  where.erase("");

  std::vector<cluster::Request> batch;
  std::vector<std::string> listed;
  const std::string selector = "?labelSelector=" + query_escape(ownership_selector(project));
  auto add = [&](const cluster::ResourceInfo& info, std::string id, std::string_view ns) {
    if (live.listed.contains(id) || std::find(listed.begin(), listed.end(), id) != listed.end()) return;
    listed.push_back(std::move(id));
    batch.push_back({"GET", cluster::collection_path(info, ns) + selector, "", "", true});
  };
  for (const auto& [api_version, kind] : kinds) {
    auto info = discovery.find(api_version, kind);
    if (!info) continue;  // a kind the server does not serve has no objects to list
    if (!(*info)->allows("list")) continue;
    std::string id = (*info)->group + "/" + (*info)->kind;
    if (!(*info)->namespaced) {
      add(**info, id, "");
      continue;
    }
    for (const auto& ns : where) add(**info, id + " in " + ns, ns);
  }
  auto responses = transport.perform(batch);
  for (size_t k = 0; k < listed.size(); ++k) {
    const auto& r = responses[k];
    if (r.status != 200) return std::unexpected(fmt::format("listing {}: {}", listed[k], cluster::failure_text(r)));
    auto list = json::parse(r.body, nullptr, false);
    if (!list.is_object() || !list.contains("items")) return std::unexpected(fmt::format("listing {}: not a list", listed[k]));
    // A list's items carry no apiVersion and kind: they are the list's.
    std::string api_version = list.value("apiVersion", "");
    std::string kind = list.value("kind", "");
    if (kind.ends_with("List")) kind.resize(kind.size() - 4);
    for (auto& item : list["items"]) {
      if (!item.contains("apiVersion")) item["apiVersion"] = api_version;
      if (!item.contains("kind")) item["kind"] = kind;
      ObjectKey key = key_of(ref_of(item));  // before the move: operator= takes its operand first
      live.owned[std::move(key)] = std::move(item);
    }
    live.listed.insert(listed[k]);
  }
  return {};
}

placement::Previous previous_from_live(const LiveState& live) {
  placement::Previous previous;
  for (const auto& [key, obj] : live.owned) {
    const json& meta = obj["metadata"];
    if (!meta.contains("annotations")) continue;
    std::string value = meta["annotations"].value(std::string(placement::kPlacementAnnotation), "");
    if (value.empty()) continue;
    auto replicas = placement::parse_placement_annotation(value);
    if (!replicas) continue;
    auto& entry = previous.workloads[meta.value("namespace", "") + "/" + meta.value("name", "")];
    for (size_t i = 0; i < replicas->size(); ++i) entry[static_cast<int>(i)] = (*replicas)[i];
  }
  return previous;
}

cluster::Request apply_request(const std::string& path, const json& body, bool dry_run, bool force) {
  std::string query = "?fieldManager=claw";
  if (dry_run) query += "&dryRun=All";
  if (force) query += "&force=true";
  return {"PATCH", path + query, "application/apply-patch+yaml", body.dump(), true};
}

std::vector<std::string> conflicts_of(const json& status) {
  std::vector<std::string> out;
  if (!status.is_object() || !status.contains("details") || !status["details"].contains("causes")) return out;
  for (const auto& c : status["details"]["causes"])
    if (c.value("reason", "") == "FieldManagerConflict") {
      // `conflict with "kubectl-edit" using apps/v1` (apimachinery's
      // fieldmanager/internal/conflict.go): the manager and its version.
      std::string who = c.value("message", "");
      if (who.starts_with("conflict with ")) who.erase(0, 14);
      out.push_back(fmt::format("{}: {}", who, c.value("field", "")));
    }
  return out;
}

std::vector<FieldChange> added_fields(const json& declared) {
  json fields = declared;
  fields.erase("apiVersion");
  fields.erase("kind");
  if (fields.contains("metadata")) {
    fields["metadata"].erase("name");
    fields["metadata"].erase("namespace");
    if (fields["metadata"].empty()) fields.erase("metadata");
  }
  std::vector<FieldChange> out;
  FieldPath path;
  if (!fields.empty()) flatten(fields, path, out);
  return out;
}

std::expected<Plan, std::vector<std::string>> make_plan(cluster::Transport& transport, const cluster::Discovery& discovery,
                                                        const std::vector<emit::Object>& objects, const LiveState& live,
                                                        const emit::Where& where, const PlanOptions& options) {
  Plan plan;
  plan.project = options.project;
  std::vector<std::string> errors;
  auto located = [&](const emit::Object& o, const std::string& message) {
    std::string at = where(o.span);
    return fmt::format("{}{}{}: {}", at, at.empty() ? "" : ": ", o.ref.display(), message);
  };

  // Kinds a CRD of the program defines: their objects cannot be looked up
  // before it is applied.
  std::set<std::pair<std::string, std::string>> crd_kinds;
  for (const auto& o : objects)
    if (o.ref.kind == "CustomResourceDefinition") {
      json body = declared_json(o);
      crd_kinds.insert({body["spec"].value("group", ""), body["spec"]["names"].value("kind", "")});
    }

  struct Pending {
    const emit::Object* object;
    const cluster::ResourceInfo* info;
    json declared;
    const json* live;
  };
  std::vector<Pending> to_get, to_dry_run;
  std::set<ObjectKey> declared_keys;
  for (const auto& o : objects) {
    declared_keys.insert(key_of(o.ref));
    auto info = discovery.find(o.ref.api_version(), o.ref.kind);
    json declared = declared_json(o);
    if (!info) {
      if (crd_kinds.contains({o.ref.group, o.ref.kind})) {
        ObjectPlan p = object_plan(o.ref, Action::Create, where(o.span));
        p.changes = added_fields(declared);
        p.body = std::move(declared);
        p.wave = apply::wave_of(o.ref);
        plan.objects.push_back(std::move(p));
        continue;
      }
      errors.push_back(located(o, info.error()));
      continue;
    }
    auto it = live.owned.find(key_of(o.ref));
    const json* owned = it == live.owned.end() ? nullptr : &it->second;
    if (!owned) {
      to_get.push_back({&o, *info, std::move(declared), nullptr});
      continue;
    }
    if (o.secret) {
      auto changes = secret_plan(o, *owned, options);
      if (!changes) {
        errors.push_back(located(o, changes.error()));
        continue;
      }
      if (changes->empty()) {
        ++plan.unchanged;
        continue;
      }
      ObjectPlan p = object_plan(o.ref, Action::Update, where(o.span), std::move(*changes), true);
      record_live(p, *owned);
      p.body = std::move(declared);
      p.secret = o.secret;
      p.wave = apply::wave_of(o.ref);
      plan.objects.push_back(std::move(p));
      continue;
    }
    if (!may_differ(declared, *owned)) {
      ++plan.unchanged;
      continue;
    }
    to_dry_run.push_back({&o, *info, std::move(declared), owned});
  }

  // Declared objects claw does not own: absent (create) or someone else's (adopt).
  std::vector<Wanted> wanted;
  wanted.reserve(to_get.size());
  for (const auto& p : to_get) wanted.push_back({p.info, p.object->ref.namespace_, p.object->ref.name});
  std::vector<Found> found = look_up(transport, wanted);
  for (size_t i = 0; i < to_get.size(); ++i) {
    const emit::Object& o = *to_get[i].object;
    if (found[i].state == Found::State::Absent) {
      ObjectPlan p = object_plan(o.ref, Action::Create, where(o.span));
      p.changes = added_fields(to_get[i].declared);
      if (o.secret) {
        p.sensitive = true;
        for (const auto& item : o.secret->items)
          p.changes.push_back({{PathElement{PathElement::Kind::field, "data", {}, 0}, PathElement{PathElement::Kind::field, item.key, {}, 0}},
                               std::nullopt, std::string(kSensitive)});
        if (!o.secret->chart_values.empty())
          p.changes.push_back({{PathElement{PathElement::Kind::field, "data", {}, 0},
                                PathElement{PathElement::Kind::field, "values.yaml", {}, 0}},
                               std::nullopt, std::string(kSensitive)});
        redact_sensitive("v1", "Secret", p.changes);
        p.secret = o.secret;
      }
      p.body = to_get[i].declared;
      p.wave = apply::wave_of(o.ref);
      plan.objects.push_back(std::move(p));
      continue;
    }
    if (found[i].state == Found::State::Failed) {
      errors.push_back(located(o, "reading it: " + found[i].error));
      continue;
    }
    to_get[i].live = &found[i].object;
    to_dry_run.push_back(to_get[i]);
  }

  // What the server would make of each object that may change; a
  // conflict with another field manager is noted, then asked again with
  // force, to show what taking the fields over would change.
  std::vector<const Pending*> asked;
  std::vector<cluster::Request> dry;
  for (const auto& p : to_dry_run) {
    if (p.object->secret) {  // someone else's Secret of that name: values compared locally
      const emit::Object& o = *p.object;
      auto changes = secret_plan(o, *p.live, options);
      if (!changes) {
        errors.push_back(located(o, changes.error()));
        continue;
      }
      ObjectPlan entry = object_plan(o.ref, Action::Adopt, where(o.span), std::move(*changes), true);
      entry.reason = who_manages(*p.live);
      record_live(entry, *p.live);
      entry.body = p.declared;
      entry.secret = o.secret;
      entry.wave = apply::wave_of(o.ref);
      plan.objects.push_back(std::move(entry));
      continue;
    }
    asked.push_back(&p);
    dry.push_back(apply_request(cluster::object_path(*p.info, p.object->ref.namespace_, p.object->ref.name), p.declared, true,
                                false));
  }
  std::vector<cluster::Response> answers = transport.perform(dry);
  std::vector<std::vector<std::string>> conflicts(asked.size());
  std::vector<size_t> retry;
  for (size_t i = 0; i < asked.size(); ++i)
    if (answers[i].status == 409) {
      conflicts[i] = conflicts_of(json::parse(answers[i].body, nullptr, false));
      retry.push_back(i);
    }
  if (!retry.empty()) {
    std::vector<cluster::Request> forced;
    for (size_t i : retry) forced.push_back(apply_request(cluster::object_path(*asked[i]->info, asked[i]->object->ref.namespace_,
                                                                               asked[i]->object->ref.name),
                                                          asked[i]->declared, true, true));
    auto forced_answers = transport.perform(forced);
    for (size_t k = 0; k < retry.size(); ++k) answers[retry[k]] = std::move(forced_answers[k]);
  }
  for (size_t i = 0; i < asked.size(); ++i) {
    const Pending& p = *asked[i];
    const emit::Object& o = *p.object;
    const cluster::Response& r = answers[i];
    const bool owned = live.owned.contains(key_of(o.ref));
    if (r.status == 422 && owned && immutable_change(r)) {
      // A field the server never changes in place (a Job's pod template,
      // a Service's clusterIP, ...): the object is deleted and made again.
      ObjectPlan entry = object_plan(o.ref, Action::Replace, where(o.span), added_fields(p.declared));
      entry.reason = "the server cannot change it in place (" + cluster::failure_text(r) + "): deleted, then created";
      record_live(entry, *p.live);
      entry.body = p.declared;
      entry.wave = apply::wave_of(o.ref);
      plan.objects.push_back(std::move(entry));
      continue;
    }
    if (r.status != 200 && r.status != 201) {
      errors.push_back(located(o, "the server refuses it: " + cluster::failure_text(r)));
      continue;
    }
    std::vector<FieldChange> changes = diff(*p.live, json::parse(r.body, nullptr, false));
    if (changes.empty() && owned && conflicts[i].empty()) {
      ++plan.unchanged;
      continue;
    }
    ObjectPlan entry = object_plan(o.ref, owned ? Action::Update : Action::Adopt, where(o.span), std::move(changes));
    if (!owned) entry.reason = who_manages(*p.live);
    entry.conflicts = std::move(conflicts[i]);
    record_live(entry, *p.live);
    entry.body = p.declared;
    entry.wave = apply::wave_of(o.ref);
    plan.objects.push_back(std::move(entry));
  }

  // Owned objects no longer declared: deleted when claw provably made them.
  size_t deletes = 0;
  for (const auto& [key, obj] : live.owned) {
    if (declared_keys.contains(key)) continue;
    emit::ObjectRef ref = ref_of(obj);
    if (auto why = keep_reason(ref, obj, live.inventory, options.prune)) {
      plan.kept.push_back({ref, *why});
      continue;
    }
    ObjectPlan p = object_plan(ref, Action::Delete);
    p.reason = "no longer declared; claw created it (uid recorded in the inventory)";
    record_live(p, obj);
    p.wave = apply::wave_of(ref);
    plan.objects.push_back(std::move(p));
    ++deletes;
  }
  if (mass_delete(deletes, live.owned.size()) && !options.allow_mass_delete)
    plan.notes.push_back(fmt::format("this plan deletes {} of the {} objects claw owns in the cluster; `claw apply` refuses "
                                     "a mass delete without --allow-mass-delete",
                                     deletes, live.owned.size()));
  if (!errors.empty()) return std::unexpected(std::move(errors));
  return plan;
}

}  // namespace claw::plan
