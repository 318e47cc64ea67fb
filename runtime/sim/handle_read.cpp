// GET of one object (and its status and scale subresources) and LIST with
// label and field selectors and limit/continue paging.

#include "runtime/sim/handlers.h"
#include "runtime/sim/scale.h"
#include "runtime/sim/selectors.h"
#include "runtime/sim/table.h"

#include <fmt/format.h>

#include <charconv>

namespace claw::sim {
namespace {

// Continue tokens: opaque to clients; here "<resourceVersion>/<index>".
struct ContinueToken {
  std::uint64_t resource_version = 0;
  std::size_t start = 0;
};

std::optional<ContinueToken> parse_continue(std::string_view token) {
  std::size_t slash = token.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  ContinueToken t;
  auto a = std::from_chars(token.data(), token.data() + slash, t.resource_version);
  auto b = std::from_chars(token.data() + slash + 1, token.data() + token.size(), t.start);
  if (a.ec != std::errc() || b.ec != std::errc() || b.ptr != token.data() + token.size()) return std::nullopt;
  return t;
}

// Appends one LIST item: built-in kinds' items carry no apiVersion/kind, as
// the real server encodes them; custom resources keep theirs.
void append_item(std::string& out, const ResourceType& type, const StoredObject& stored) {
  if (stored.object.value("apiVersion", "") == type.api_version()) {
    out += type.custom ? stored.text : stored.item_text;
    return;
  }
  Json item = as_requested(type, stored.object);
  if (!type.custom) {
    item.erase("apiVersion");
    item.erase("kind");
  }
  out += item.dump();
}

}  // namespace

ApiResponse handle_get(SimState& sim, const Target& target, const ApiRequest& request) {
  auto stored = sim.store.get(target.key());
  if (stored == nullptr) return error_response(not_found(*target.type, target.name));
  if (target.subresource == "scale") return ApiResponse::json(200, scale_of(stored->object));
  if (std::string version = table_version(request.header("accept")); !version.empty() && target.subresource.empty()) {
    std::string include = request.param("includeObject").value_or("");
    if (auto error = include_object_error(include)) return error_response(*error);
    Json object = as_requested(*target.type, stored->object);
    return ApiResponse::json(200, to_table(*target.type, {&object}, nullptr, include, sim.clock.now(), version));
  }
  if (stored->object.value("apiVersion", "") == target.type->api_version()) {
    ApiResponse r;
    r.body = stored->text;
    return r;
  }
  return ApiResponse::json(200, as_requested(*target.type, stored->object));
}

ApiResponse handle_list(SimState& sim, const Target& target, const ApiRequest& request) {
  const ResourceType& type = *target.type;
  auto labels = parse_label_selector(request.param("labelSelector").value_or(""));
  if (!labels) return error_response(bad_request(labels.error()));
  auto fields = parse_field_selector(request.param("fieldSelector").value_or(""));
  if (!fields) return error_response(bad_request(fields.error()));
  std::vector<std::string> allowed = selectable_fields(type.group, type.kind);
  for (const FieldRequirement& f : *fields) {
    if (std::ranges::find(allowed, f.field) == allowed.end()) {
      return error_response(bad_request(fmt::format("field label not supported: {}", f.field)));
    }
  }
  std::size_t limit = 0;
  if (auto l = request.param("limit")) {
    std::from_chars(l->data(), l->data() + l->size(), limit);
  }
  std::uint64_t list_rv = sim.store.resource_version();
  std::size_t start = 0;
  if (auto c = request.param("continue"); c && !c->empty()) {
    std::optional<ContinueToken> token = parse_continue(*c);
    if (!token) return error_response(bad_request("continue key is not valid: incorrect encoded start resourceVersion"));
    if (token->resource_version + 1 < sim.store.oldest_logged()) {
      return error_response(ApiError{410, "Expired",
                                     "The provided continue parameter is too old to display a consistent list result. "
                                     "You can start a new list without the continue parameter.",
                                     Json::object()});
    }
    list_rv = token->resource_version;
    start = token->start;
  }

  std::vector<std::shared_ptr<const StoredObject>> page;
  std::size_t index = 0, next_start = 0, remaining = 0;
  for (const auto& stored : sim.store.list(type.group, type.plural, target.ns)) {
    const Json& object = stored->object;
    if (!labels->empty() &&
        !matches(*labels, object.contains("metadata") ? object["metadata"].value("labels", Json::object()) : Json::object())) {
      continue;
    }
    if (!fields->empty() && !matches(*fields, object)) continue;
    if (index++ < start) continue;
    if (limit > 0 && page.size() == limit) {
      if (remaining++ == 0) next_start = index - 1;
      continue;
    }
    page.push_back(stored);
  }
  Json meta = {{"resourceVersion", std::to_string(list_rv)}};
  if (remaining > 0) {
    meta["continue"] = fmt::format("{}/{}", list_rv, next_start);
    meta["remainingItemCount"] = remaining;
  }
  if (std::string version = table_version(request.header("accept")); !version.empty()) {
    std::string include = request.param("includeObject").value_or("");
    if (auto error = include_object_error(include)) return error_response(*error);
    std::vector<Json> objects;
    objects.reserve(page.size());
    for (const auto& stored : page) objects.push_back(as_requested(type, stored->object));
    std::vector<const Json*> pointers;
    for (const Json& o : objects) pointers.push_back(&o);
    return ApiResponse::json(200, to_table(type, pointers, meta, include, sim.clock.now(), version));
  }
  ApiResponse r;
  r.body = fmt::format(R"({{"kind":"{}List","apiVersion":"{}","metadata":{},"items":[)", type.kind, type.api_version(),
                       meta.dump());
  bool first = true;
  for (const auto& stored : page) {
    if (!first) r.body += ',';
    first = false;
    append_item(r.body, type, *stored);
  }
  r.body += "]}";
  return r;
}

}  // namespace claw::sim
