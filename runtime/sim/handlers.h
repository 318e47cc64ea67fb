#pragma once
// The sim's request handlers: one entry point that routes a request, and
// one function per kind of request, each a free function over SimState.

#include "runtime/sim/api_request.h"
#include "runtime/sim/sim_state.h"
#include "runtime/sim/status.h"

namespace claw::sim {

// What a resource path names.
struct Target {
  const ResourceType* type = nullptr;  // in the version the client asked for
  std::string ns;                      // from the path ("" = none / all)
  std::string name;                    // "" for a collection
  std::string subresource;             // "", "status", "scale", ...
  ObjectKey key() const { return ObjectKey{type->group, type->plural, type->namespaced ? ns : "", name}; }
};

// Routes and answers one request; takes the state's lock itself.
ApiResponse handle_request(SimState& sim, const ApiRequest& request);

ApiResponse error_response(const ApiError& error);

// Discovery and documents (no lock needed beyond what they take).
ApiResponse handle_version();
ApiResponse handle_api_versions(SimState& sim, const ApiRequest& request);
ApiResponse handle_api_groups(SimState& sim, const ApiRequest& request);
ApiResponse handle_api_group(SimState& sim, std::string_view group);
ApiResponse handle_resource_list(SimState& sim, std::string_view group, std::string_view version);
ApiResponse handle_openapi(SimState& sim, const ApiRequest& request);

ApiResponse handle_get(SimState& sim, const Target& target, const ApiRequest& request);
ApiResponse handle_list(SimState& sim, const Target& target, const ApiRequest& request);
ApiResponse handle_watch(SimState& sim, const Target& target, const ApiRequest& request);
ApiResponse handle_create(SimState& sim, const Target& target, const ApiRequest& request);
ApiResponse handle_update(SimState& sim, const Target& target, const ApiRequest& request);
ApiResponse handle_patch(SimState& sim, const Target& target, const ApiRequest& request);
ApiResponse handle_delete(SimState& sim, const Target& target, const ApiRequest& request);
ApiResponse handle_delete_collection(SimState& sim, const Target& target, const ApiRequest& request);

// An object as the client asked for it: apiVersion of the requested version.
Json as_requested(const ResourceType& type, Json object);

}  // namespace claw::sim
