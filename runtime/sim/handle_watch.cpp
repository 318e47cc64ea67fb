// WATCH (`?watch=true` on a collection): newline-delimited
// `{"type":"ADDED|MODIFIED|DELETED|ERROR","object":{...}}` events, the
// current objects first when no resourceVersion is given, then every change.

#include "runtime/sim/handlers.h"
#include "runtime/sim/selectors.h"

#include <fmt/format.h>

#include <charconv>

namespace claw::sim {
namespace {

struct WatchState {
  const ResourceType* type;
  std::string ns;
  LabelSelector labels;
  FieldSelector fields;
  std::uint64_t last_rv = 0;
  std::string pending;  // events not yet sent
  std::chrono::steady_clock::time_point deadline;
  bool done = false;
};

bool selected(const WatchState& w, const ObjectKey& key, const Json& object) {
  if (key.group != w.type->group || key.plural != w.type->plural) return false;
  if (!w.ns.empty() && key.ns != w.ns) return false;
  const Json& meta = object.contains("metadata") ? object["metadata"] : Json::object();
  return matches(w.labels, meta.value("labels", Json::object())) && matches(w.fields, object);
}

void append_event(std::string& out, std::string_view type, const Json& object) {
  out += fmt::format(R"({{"type":"{}","object":{}}})", type, object.dump());
  out += '\n';
}

// Moves new changes into `w.pending`; false when the log lost some.
bool collect(SimState& sim, WatchState& w) {
  auto changes = sim.store.changes_since(w.last_rv);
  if (!changes) return false;
  for (const ChangeEvent& e : *changes) {
    w.last_rv = e.resource_version;
    if (selected(w, e.key, e.object->object)) append_event(w.pending, e.type, as_requested(*w.type, e.object->object));
  }
  w.last_rv = std::max(w.last_rv, sim.store.resource_version());
  return true;
}

Json gone_status(std::uint64_t rv) {
  return {{"kind", "Status"}, {"apiVersion", "v1"}, {"metadata", Json::object()}, {"status", "Failure"},
          {"message", fmt::format("too old resource version: {}", rv)}, {"reason", "Expired"}, {"code", 410}};
}

}  // namespace

ApiResponse handle_watch(SimState& sim, const Target& target, const ApiRequest& request) {
  auto labels = parse_label_selector(request.param("labelSelector").value_or(""));
  if (!labels) return error_response(bad_request(labels.error()));
  auto fields = parse_field_selector(request.param("fieldSelector").value_or(""));
  if (!fields) return error_response(bad_request(fields.error()));
  auto w = std::make_shared<WatchState>();
  w->type = target.type;
  w->ns = target.ns;
  w->labels = *labels;
  w->fields = *fields;
  int timeout = 1800;
  if (auto t = request.param("timeoutSeconds")) std::from_chars(t->data(), t->data() + t->size(), timeout);
  w->deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout);
  std::string rv_text = request.param("resourceVersion").value_or("");
  std::uint64_t rv = 0;
  std::from_chars(rv_text.data(), rv_text.data() + rv_text.size(), rv);
  if (rv == 0) {
    // No resourceVersion (or "0"): the current state as ADDED events first.
    for (const auto& stored : sim.store.list(target.type->group, target.type->plural, target.ns)) {
      ObjectKey key = {target.type->group, target.type->plural,
                       stored->object["metadata"].value("namespace", ""), stored->object["metadata"].value("name", "")};
      if (selected(*w, key, stored->object)) append_event(w->pending, "ADDED", as_requested(*target.type, stored->object));
    }
    w->last_rv = sim.store.resource_version();
  } else {
    w->last_rv = rv;
    if (!collect(sim, *w)) {
      append_event(w->pending, "ERROR", gone_status(rv));
      w->done = true;
    }
  }
  ApiResponse r;
  // The real server's watch media type. (It also keeps the HTTP layer from
  // gzipping the stream: a compressor would hold events back until it
  // had a block's worth.)
  r.content_type = "application/json;stream=watch";
  r.stream = [&sim, w](std::string& out) {
    if (!w->pending.empty()) {
      out.swap(w->pending);
      w->pending.clear();
      return true;
    }
    if (w->done || sim.stopping || std::chrono::steady_clock::now() >= w->deadline) return false;
    std::unique_lock lock(sim.mutex);
    sim.changed.wait_for(lock, std::chrono::milliseconds(500),
                         [&] { return sim.stopping || sim.store.resource_version() > w->last_rv; });
    if (!collect(sim, *w)) {
      append_event(w->pending, "ERROR", gone_status(w->last_rv));
      w->done = true;
    }
    out.swap(w->pending);
    w->pending.clear();
    return true;
  };
  return r;
}

}  // namespace claw::sim
