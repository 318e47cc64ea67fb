#include "runtime/sim/handlers.h"

#include <fmt/format.h>


namespace claw::sim {
namespace {

ApiResponse not_found_path() {
  ApiError e{404, "NotFound", "the server could not find the requested resource", Json::object()};
  return error_response(e);
}

// Resolves `/api/v1/...` and `/apis/<g>/<v>/...` after the group/version.
std::optional<Target> resolve_target(SimState& sim, std::string_view group, std::string_view version,
                                     const std::vector<std::string>& rest) {
  Target t;
  std::size_t i = 0;
  if (rest.size() >= 3 && rest[0] == "namespaces") {
    const ResourceType* inner = sim.registry.find(group, version, rest[2]);
    if (inner != nullptr && inner->namespaced) {
      t.ns = rest[1];
      i = 2;
    }
  }
  t.type = sim.registry.find(group, version, rest[i]);
  if (t.type == nullptr) return std::nullopt;
  if (t.ns.empty() && i == 0 && t.type->namespaced && rest.size() > 1) return std::nullopt;
  ++i;
  if (i < rest.size()) t.name = rest[i++];
  if (i < rest.size()) t.subresource = rest[i++];
  if (i != rest.size()) return std::nullopt;
  if (!t.subresource.empty() && !t.type->has_subresource(t.subresource)) return std::nullopt;
  return t;
}

ApiResponse dispatch(SimState& sim, const Target& t, const ApiRequest& r) {
  const std::string& m = r.method;
  bool watch = r.param("watch") == "true" || r.param("watch") == "1";
  if (t.name.empty()) {
    if (m == "GET") return watch ? handle_watch(sim, t, r) : handle_list(sim, t, r);
    if (m == "POST") return handle_create(sim, t, r);
    if (m == "DELETE") return handle_delete_collection(sim, t, r);
  } else {
    if (!t.subresource.empty() && t.subresource != "status" && t.subresource != "scale") {
      return error_response(method_not_allowed(
          fmt::format("the server does not allow this method on the requested resource ({}/{} is not simulated)",
                      t.type->plural, t.subresource)));
    }
    if (m == "GET") return handle_get(sim, t, r);
    if (m == "PUT") return handle_update(sim, t, r);
    if (m == "PATCH") return handle_patch(sim, t, r);
    if (m == "DELETE" && t.subresource.empty()) return handle_delete(sim, t, r);
  }
  return error_response(method_not_allowed("the server does not allow this method on the requested resource"));
}

}  // namespace

ApiResponse error_response(const ApiError& error) {
  ApiResponse r = ApiResponse::json(error.code, status_json(error));
  if (error.retry_after_seconds > 0) r.headers.emplace_back("Retry-After", std::to_string(error.retry_after_seconds));
  return r;
}

Json as_requested(const ResourceType& type, Json object) {
  object["apiVersion"] = type.api_version();
  return object;
}

ApiResponse handle_request(SimState& sim, const ApiRequest& request) {
  std::vector<std::string> seg = path_segments(request.path);
  if (seg.empty()) return not_found_path();
  if (seg[0] == "version" && seg.size() == 1) return handle_version();
  if (seg[0] == "healthz" || seg[0] == "livez" || seg[0] == "readyz") {
    ApiResponse ok;
    ok.content_type = "text/plain; charset=utf-8";
    ok.body = "ok";
    return ok;
  }
  if (seg[0] == "openapi") return handle_openapi(sim, request);
  std::string group, version;
  std::size_t i = 0;
  if (seg[0] == "api") {
    if (seg.size() == 1) return handle_api_versions(sim, request);
    version = seg[1];
    i = 2;
  } else if (seg[0] == "apis") {
    if (seg.size() == 1) return handle_api_groups(sim, request);
    group = seg[1];
    if (seg.size() == 2) return handle_api_group(sim, group);
    version = seg[2];
    i = 3;
  } else {
    return not_found_path();
  }
  std::lock_guard lock(sim.mutex);
  if (!sim.registry.has_group_version(group, version)) return not_found_path();
  if (i == seg.size()) return handle_resource_list(sim, group, version);
  std::vector<std::string> rest(seg.begin() + static_cast<std::ptrdiff_t>(i), seg.end());
  std::optional<Target> target = resolve_target(sim, group, version, rest);
  if (!target) return not_found_path();
  return dispatch(sim, *target, request);
}

}  // namespace claw::sim
