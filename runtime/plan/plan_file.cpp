#include "runtime/plan/plan_file.h"

#include <limits>

#include <fmt/format.h>

#include "compiler/driver/commands.h"
#include "runtime/plan/render.h"

namespace claw::plan {
namespace {

using nlohmann::json;

constexpr int64_t kIntMin = std::numeric_limits<int>::min(), kIntMax = std::numeric_limits<int>::max();

constexpr std::string_view kRemake = "make the plan again with `claw plan --out FILE`";

// kubectl's client-side apply copy of a whole object, a Secret's values
// included (k8s.io/api core/v1 annotation_key_constants.go).
constexpr std::string_view kLastApplied = "kubectl.kubernetes.io/last-applied-configuration";

// Whether `body` holds a secret value: any entry under `data` or
// `stringData` (a Secret's two value maps, k8s.io/api core/v1 types.go),
// or the last-applied annotation.
bool holds_values(const json& body) {
  if (!body.is_object()) return false;
  for (std::string_view key : {"data", "stringData"}) {
    auto it = body.find(key);
    if (it != body.end() && !it->is_null() && !(it->is_object() && it->empty())) return true;
  }
  auto meta = body.find("metadata");
  if (meta == body.end() || !meta->is_object()) return false;
  auto annotations = meta->find("annotations");
  return annotations != meta->end() && annotations->is_object() && annotations->contains(kLastApplied);
}

std::string values_refused(const ObjectPlan& o) {
  return fmt::format("{}'s body holds secret values (under data, stringData or {}): a plan file never holds a "
                     "secret's value, claw reads them from their sources when it applies",
                     o.ref.display(), kLastApplied);
}

// A Secret's changes as they may be shown: its data kSensitive.
void redact(std::vector<FieldChange>& changes) {
  for (FieldChange& c : changes) {
    if (c.before) c.before = secret_shown(c.path, *c.before);
    if (c.after) c.after = secret_shown(c.path, *c.after);
  }
}

// ---- writing

json path_json(const FieldPath& path) {
  json out = json::array();
  for (const PathElement& e : path) out.push_back(encode(e));
  return out;
}

json changes_json(const std::vector<FieldChange>& changes, bool redact) {
  json out = json::array();
  for (const FieldChange& c : changes) {
    json entry{{"path", path_json(c.path)}};
    if (c.before) entry["before"] = redact ? secret_shown(c.path, *c.before) : *c.before;
    if (c.after) entry["after"] = redact ? secret_shown(c.path, *c.after) : *c.after;
    out.push_back(std::move(entry));
  }
  return out;
}

json items_json(const std::vector<emit::SecretSource::Item>& list) {
  json items = json::array();
  for (const emit::SecretSource::Item& item : list) {
    json entry{{"key", item.key}, {"secret", item.secret}};
    if (item.env) entry["env"] = *item.env;
    if (item.file) entry["file"] = *item.file;
    items.push_back(std::move(entry));
  }
  return items;
}

json secret_json(const emit::SecretSource& s) {
  json items = items_json(s.items);
  json chart = json::array(), lists = json::array();
  for (const auto& [path, secret] : s.chart_values) chart.push_back(json::array({path, secret}));
  for (const auto& [path, list] : s.chart_lists) lists.push_back(json::array({path, list}));
  return json{{"items", std::move(items)}, {"chart_values", std::move(chart)}, {"chart_lists", std::move(lists)}};
}

json object_json(const ObjectPlan& o) {
  json out{{"ref", ref_json(o.ref)},
           {"action", action_word(o.action)},
           {"source", o.source},
           {"sensitive", o.sensitive},
           {"resource_version", o.resource_version},
           {"generation", o.generation},
           {"uid", o.uid},
           {"reason", o.reason},
           {"conflicts", o.conflicts},
           {"wave", o.wave},
           {"body", o.body},
           {"changes", changes_json(o.changes, secret_like(o))}};
  if (o.secret) out["secret"] = secret_json(*o.secret);
  return out;
}

// ---- reading: each reader records the first error, naming the field.

struct Reader {
  std::string error;

  bool ok() const { return error.empty(); }
  void fail(std::string_view where, std::string_view what) {
    if (error.empty()) error = fmt::format("{}: {}; the file is damaged, {}", where, what, kRemake);
  }
  const json* get(const json& obj, std::string_view key, std::string_view where) {
    auto it = obj.find(key);
    if (it == obj.end()) {
      fail(fmt::format("{}.{}", where, key), "missing");
      return nullptr;
    }
    return &*it;
  }
  std::string str(const json& obj, std::string_view key, std::string_view where) {
    const json* v = get(obj, key, where);
    if (v && v->is_string()) return v->get<std::string>();
    if (v) fail(fmt::format("{}.{}", where, key), "expected a string");
    return {};
  }
  std::optional<std::string> optional_str(const json& obj, std::string_view key, std::string_view where) {
    if (!obj.contains(key)) return std::nullopt;
    return str(obj, key, where);
  }
  bool boolean(const json& obj, std::string_view key, std::string_view where) {
    const json* v = get(obj, key, where);
    if (v && v->is_boolean()) return v->get<bool>();
    if (v) fail(fmt::format("{}.{}", where, key), "expected true or false");
    return false;
  }
  int64_t integer(const json& obj, std::string_view key, std::string_view where, int64_t min, int64_t max) {
    const json* v = get(obj, key, where);
    if (v && v->is_number_integer()) {
      bool in_range = v->is_number_unsigned() ? v->get<uint64_t>() <= static_cast<uint64_t>(max)
                                              : v->get<int64_t>() >= min && v->get<int64_t>() <= max;
      if (in_range) return v->get<int64_t>();
    }
    if (v) fail(fmt::format("{}.{}", where, key), fmt::format("expected a whole number from {} to {}", min, max));
    return 0;
  }
  // The array or object at `key` (an empty one after an error).
  const json& container(const json& obj, std::string_view key, std::string_view where, bool array) {
    static const json kEmptyArray = json::array(), kEmptyObject = json::object();
    const json* v = get(obj, key, where);
    if (v && (array ? v->is_array() : v->is_object())) return *v;
    if (v) fail(fmt::format("{}.{}", where, key), array ? "expected a list" : "expected an object");
    return array ? kEmptyArray : kEmptyObject;
  }
  const json& array(const json& obj, std::string_view key, std::string_view where) {
    return container(obj, key, where, true);
  }
  const json& object(const json& obj, std::string_view key, std::string_view where) {
    return container(obj, key, where, false);
  }
  std::vector<std::string> strings(const json& obj, std::string_view key, std::string_view where) {
    std::vector<std::string> out;
    const json& list = array(obj, key, where);
    for (size_t i = 0; i < list.size(); ++i) {
      if (!list[i].is_string()) {
        fail(fmt::format("{}.{}[{}]", where, key, i), "expected a string");
        break;
      }
      out.push_back(list[i].get<std::string>());
    }
    return out;
  }
};

std::string at(std::string_view where, std::string_view key, size_t i) { return fmt::format("{}.{}[{}]", where, key, i); }

emit::ObjectRef read_ref(Reader& r, const json& obj, std::string_view where) {
  const json& ref = r.object(obj, "ref", where);
  std::string w = fmt::format("{}.ref", where);
  return emit::ObjectRef{r.str(ref, "group", w), r.str(ref, "version", w), r.str(ref, "kind", w),
                         r.str(ref, "namespace", w), r.str(ref, "name", w)};
}

Action read_action(Reader& r, const json& obj, std::string_view where) {
  std::string word = r.str(obj, "action", where);
  for (Action a : {Action::Create, Action::Update, Action::Delete, Action::Adopt, Action::Replace}) {
    if (action_word(a) == word) return a;
  }
  r.fail(fmt::format("{}.action", where), "expected create, update, delete, adopt or replace");
  return Action::Create;
}

FieldPath read_path(Reader& r, const json& change, std::string_view where) {
  FieldPath path;
  const json& steps = r.array(change, "path", where);
  for (size_t i = 0; i < steps.size() && r.ok(); ++i) {
    if (!steps[i].is_string()) {
      r.fail(at(where, "path", i), "expected a string");
      break;
    }
    std::expected<PathElement, std::string> step = decode(steps[i].get<std::string>());
    if (!step) {
      r.fail(at(where, "path", i), step.error());
      break;
    }
    path.push_back(std::move(*step));
  }
  return path;
}

std::vector<FieldChange> read_changes(Reader& r, const json& obj, std::string_view where) {
  std::vector<FieldChange> out;
  const json& list = r.array(obj, "changes", where);
  for (size_t i = 0; i < list.size() && r.ok(); ++i) {
    std::string w = at(where, "changes", i);
    if (!list[i].is_object()) {
      r.fail(w, "expected an object");
      break;
    }
    FieldChange c{read_path(r, list[i], w), std::nullopt, std::nullopt};
    if (auto b = list[i].find("before"); b != list[i].end()) c.before = *b;
    if (auto a = list[i].find("after"); a != list[i].end()) c.after = *a;
    if (!c.before && !c.after) r.fail(w, "a change needs a before or an after value");
    out.push_back(std::move(c));
  }
  return out;
}

emit::SecretSource::Item read_item(Reader& r, const json& obj, std::string_view w) {
  emit::SecretSource::Item item;
  item.key = r.str(obj, "key", w);
  item.secret = r.str(obj, "secret", w);
  item.env = r.optional_str(obj, "env", w);
  item.file = r.optional_str(obj, "file", w);
  return item;
}

/// The list `key` of `s`, each item a pair of strings; `expected` says what
/// a pair holds when one is not.
std::vector<std::pair<std::string, std::string>> read_pairs(Reader& r, const json& s, std::string_view key,
                                                            std::string_view where, std::string_view expected) {
  std::vector<std::pair<std::string, std::string>> out;
  const json& list = r.array(s, key, where);
  for (size_t i = 0; i < list.size() && r.ok(); ++i) {
    const json& pair = list[i];
    if (!pair.is_array() || pair.size() != 2 || !pair[0].is_string() || !pair[1].is_string()) {
      r.fail(at(where, key, i), expected);
      break;
    }
    out.emplace_back(pair[0].get<std::string>(), pair[1].get<std::string>());
  }
  return out;
}

emit::SecretSource read_secret(Reader& r, const json& s, std::string_view where) {
  emit::SecretSource out;
  const json& items = r.array(s, "items", where);
  for (size_t i = 0; i < items.size() && r.ok(); ++i) {
    std::string w = at(where, "items", i);
    if (!items[i].is_object()) {
      r.fail(w, "expected an object");
      break;
    }
    out.items.push_back(read_item(r, items[i], w));
  }
  out.chart_values = read_pairs(r, s, "chart_values", where, "expected [value path, secret name]");
  out.chart_lists = read_pairs(r, s, "chart_lists", where, "expected [value path, list as JSON]");
  return out;
}

ObjectPlan read_object(Reader& r, const json& obj, std::string_view where) {
  ObjectPlan o;
  o.ref = read_ref(r, obj, where);
  o.action = read_action(r, obj, where);
  o.source = r.str(obj, "source", where);
  o.sensitive = r.boolean(obj, "sensitive", where);
  o.resource_version = r.str(obj, "resource_version", where);
  o.generation = r.integer(obj, "generation", where, 0, std::numeric_limits<int64_t>::max());
  o.uid = r.str(obj, "uid", where);
  o.reason = r.str(obj, "reason", where);
  o.conflicts = r.strings(obj, "conflicts", where);
  o.wave = static_cast<int>(r.integer(obj, "wave", where, kIntMin, kIntMax));
  if (const json* body = r.get(obj, "body", where)) o.body = *body;
  o.changes = read_changes(r, obj, where);
  if (obj.contains("secret")) {
    o.secret = read_secret(r, r.object(obj, "secret", where), fmt::format("{}.secret", where));
  }
  if (secret_like(o)) redact(o.changes);
  return o;
}

Move read_move(Reader& r, const json& m, std::string_view w) {
  return Move{r.str(m, "workload", w), static_cast<int>(r.integer(m, "replica", w, kIntMin, kIntMax)), r.str(m, "from", w),
              r.str(m, "to", w), r.str(m, "reason", w)};
}

NodePlan read_node(Reader& r, const json& n, std::string_view w) {
  NodePlan out;
  out.machine = r.str(n, "machine", w);
  out.joined = r.boolean(n, "joined", w);
  out.changes = read_changes(r, n, w);
  return out;
}

Kept read_kept(Reader& r, const json& k, std::string_view w) { return Kept{read_ref(r, k, w), r.str(k, "why", w)}; }

// Calls read(reader, item, "key[i]") for each object of the list `key`.
template <class T, class Fn>
std::vector<T> read_list(Reader& r, const json& doc, std::string_view key, Fn read) {
  std::vector<T> out;
  const json& list = r.array(doc, key, "plan");
  for (size_t i = 0; i < list.size() && r.ok(); ++i) {
    std::string w = fmt::format("{}[{}]", key, i);
    if (!list[i].is_object()) {
      r.fail(w, "expected an object");
      break;
    }
    out.push_back(read(r, list[i], w));
  }
  return out;
}

// Refuses a file of another layout or claw version, as Terraform refuses
// "plan file was created by Terraform X, but this is Y; plan files cannot
// be transferred between different Terraform versions"
// (hashicorp/terraform internal/plans/planfile/tfplan.go readTfplan): a
// body or a wave may mean something else to another version.
std::expected<void, std::string> check_version(const json& doc) {
  auto format = doc.find("claw_plan_file");
  if (format == doc.end()) {
    return std::unexpected(fmt::format("not a claw plan file (it has no claw_plan_file version); {}", kRemake));
  }
  if (!format->is_number_integer() || format->get<int64_t>() != kPlanFileVersion) {
    return std::unexpected(fmt::format("plan file layout version {} is not one this claw reads (version {}); {}",
                                       format->dump(), kPlanFileVersion, kRemake));
  }
  auto version = doc.find("claw_version");
  std::string written = version != doc.end() && version->is_string() ? version->get<std::string>() : "unknown";
  if (written != driver::kVersion) {
    return std::unexpected(fmt::format("plan file was made by claw {}, but this is claw {}; {} with this claw",
                                       written, driver::kVersion, kRemake));
  }
  return {};
}

}  // namespace

std::expected<std::string, std::string> plan_file_text(const Plan& plan) {
  json objects = json::array();
  for (const ObjectPlan& o : plan.objects) {
    if (secret_like(o) && holds_values(o.body)) return std::unexpected(values_refused(o));
    objects.push_back(object_json(o));
  }
  json moves = json::array(), nodes = json::array(), kept = json::array();
  for (const Move& m : plan.moves) {
    moves.push_back(json{{"workload", m.workload}, {"replica", m.replica}, {"from", m.from}, {"to", m.to},
                         {"reason", m.reason}});
  }
  for (const NodePlan& n : plan.nodes) {
    nodes.push_back(json{{"machine", n.machine}, {"joined", n.joined}, {"changes", changes_json(n.changes, false)}});
  }
  for (const Kept& k : plan.kept) kept.push_back(json{{"ref", ref_json(k.ref)}, {"why", k.why}});
  json doc{{"claw_plan_file", kPlanFileVersion},
           {"claw_version", driver::kVersion},
           {"project", plan.project},
           {"server", plan.server},
           {"context", plan.context},
           {"unchanged", plan.unchanged},
           {"objects", std::move(objects)},
           {"moves", std::move(moves)},
           {"nodes", std::move(nodes)},
           {"kept", std::move(kept)},
           {"notes", plan.notes},
           {"value_sources", items_json(plan.value_sources)}};
  try {
    return doc.dump(1, ' ') + "\n";
  } catch (const json::exception& e) {
    // Strict UTF-8 (nlohmann's default): text that is not UTF-8 is refused
    // rather than written changed.
    return std::unexpected(fmt::format("the plan holds text that is not UTF-8 ({}); it cannot be saved", e.what()));
  }
}

std::expected<Plan, std::string> read_plan_file(std::string_view text) {
  json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    return std::unexpected(fmt::format("not a claw plan file (not a JSON object); {}", kRemake));
  }
  if (std::expected<void, std::string> v = check_version(doc); !v) return std::unexpected(v.error());
  Reader r;
  Plan plan;
  plan.project = r.str(doc, "project", "plan");
  plan.server = r.str(doc, "server", "plan");
  plan.context = r.str(doc, "context", "plan");
  plan.unchanged = static_cast<size_t>(r.integer(doc, "unchanged", "plan", 0, 1'000'000'000));
  plan.objects = read_list<ObjectPlan>(r, doc, "objects", read_object);
  plan.moves = read_list<Move>(r, doc, "moves", read_move);
  plan.nodes = read_list<NodePlan>(r, doc, "nodes", read_node);
  plan.kept = read_list<Kept>(r, doc, "kept", read_kept);
  plan.notes = r.strings(doc, "notes", "plan");
  plan.value_sources = read_list<emit::SecretSource::Item>(r, doc, "value_sources", read_item);
  if (!r.ok()) return std::unexpected(r.error);
  for (const ObjectPlan& o : plan.objects) {
    if (secret_like(o) && holds_values(o.body)) return std::unexpected(values_refused(o));
  }
  return plan;
}

}  // namespace claw::plan
