// /openapi/v2 and /openapi/v3 (the index and one document per group-version),
// built from the registry (openapi_docs.h) and cached until a CRD changes.

#include "runtime/sim/handlers.h"
#include "runtime/sim/openapi_docs.h"

namespace claw::sim {
namespace {

ApiResponse cached(SimState& sim, const std::string& key, const std::function<std::optional<Json>()>& build) {
  auto it = sim.openapi_cache.find(key);
  if (it == sim.openapi_cache.end()) {
    std::optional<Json> doc = build();
    if (!doc) {
      return error_response(ApiError{404, "NotFound", "the server could not find the requested resource", Json::object()});
    }
    it = sim.openapi_cache.emplace(key, doc->dump()).first;
  }
  ApiResponse r;
  r.body = it->second;
  return r;
}

}  // namespace

ApiResponse handle_openapi(SimState& sim, const ApiRequest& request) {
  std::lock_guard lock(sim.mutex);
  const std::string& path = request.path;
  if (path == "/openapi/v2") {
    return cached(sim, "v2", [&]() -> std::optional<Json> { return openapi_v2(sim.registry); });
  }
  if (path == "/openapi/v3" || path == "/openapi/v3/") {
    return cached(sim, "v3", [&]() -> std::optional<Json> { return openapi_v3_index(sim.registry); });
  }
  constexpr std::string_view prefix = "/openapi/v3/";
  if (path.starts_with(prefix)) {
    std::string gv = path.substr(prefix.size());
    return cached(sim, "v3/" + gv, [&] { return openapi_v3_group_version(sim.registry, gv); });
  }
  return error_response(ApiError{404, "NotFound", "the server could not find the requested resource", Json::object()});
}

}  // namespace claw::sim
