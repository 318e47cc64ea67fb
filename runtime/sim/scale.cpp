#include "runtime/sim/scale.h"

#include "runtime/sim/body.h"

namespace claw::sim {

Json scale_of(const Json& object) {
  Json scale = {{"apiVersion", "autoscaling/v1"}, {"kind", "Scale"}};
  Json meta = Json::object();
  for (const char* f : {"name", "namespace", "uid", "resourceVersion", "creationTimestamp"}) {
    if (object["metadata"].contains(f)) meta[f] = object["metadata"][f];
  }
  scale["metadata"] = meta;
  scale["spec"] = {{"replicas", object.value("/spec/replicas"_json_pointer, 1)}};
  std::string selector;
  const Json match_labels = object.value("/spec/selector/matchLabels"_json_pointer, Json::object());
  for (const auto& [k, v] : match_labels.items()) {
    if (!selector.empty()) selector += ",";
    selector += k + "=" + (v.is_string() ? v.get<std::string>() : v.dump());
  }
  scale["status"] = {{"replicas", object.value("/status/replicas"_json_pointer, 0)}};
  if (!selector.empty()) scale["status"]["selector"] = selector;
  return scale;
}

std::expected<Json, ApiError> parse_scale_body(const ApiRequest& request) {
  auto body = parse_body(request.body, false);
  if (!body || !body->is_object()) return std::unexpected(bad_request("the body of a Scale update is not a Scale object"));
  return *body;
}

Json with_scale(const Json& object, const Json& scale) {
  Json out = object;
  if (scale.contains("/spec/replicas"_json_pointer)) out["spec"]["replicas"] = scale["/spec/replicas"_json_pointer];
  return out;
}

ApiResponse scale_response(const Json& object) { return ApiResponse::json(200, scale_of(object)); }

}  // namespace claw::sim
