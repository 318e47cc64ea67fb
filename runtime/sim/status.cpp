#include "runtime/sim/status.h"

#include "runtime/sim/registry.h"

#include <fmt/format.h>

namespace claw::sim {
namespace {

Json resource_details(const ResourceType& type, std::string_view name) {
  Json d = {{"name", name}, {"kind", type.plural}};
  if (!type.group.empty()) d["group"] = type.group;
  return d;
}

}  // namespace

Json status_json(const ApiError& error) {
  Json s = {{"kind", "Status"},       {"apiVersion", "v1"},  {"metadata", Json::object()},
            {"status", "Failure"},    {"message", error.message}, {"reason", error.reason},
            {"code", error.code}};
  Json details = error.details;
  if (error.retry_after_seconds > 0) details["retryAfterSeconds"] = error.retry_after_seconds;
  if (!details.empty()) s["details"] = details;
  if (error.reason.empty()) s.erase("reason");
  return s;
}

ApiError not_found(const ResourceType& type, std::string_view name) {
  return {404, "NotFound", fmt::format("{} \"{}\" not found", type.group_resource(), name),
          resource_details(type, name)};
}

ApiError already_exists(const ResourceType& type, std::string_view name) {
  return {409, "AlreadyExists", fmt::format("{} \"{}\" already exists", type.group_resource(), name),
          resource_details(type, name)};
}

ApiError conflict(const ResourceType& type, std::string_view name, std::string_view why) {
  return {409, "Conflict", fmt::format("Operation cannot be fulfilled on {} \"{}\": {}", type.group_resource(), name, why),
          resource_details(type, name)};
}

ApiError stale_write(const ResourceType& type, std::string_view name) {
  return conflict(type, name,
                  "the object has been modified; please apply your changes to the latest version and try again");
}

ApiError invalid(std::string_view group, std::string_view kind, std::string_view name, std::vector<Cause> causes) {
  std::string qualified = group.empty() ? std::string(kind) : fmt::format("{}.{}", kind, group);
  std::string list;
  Json jcauses = Json::array();
  for (const Cause& c : causes) {
    if (!list.empty()) list += ", ";
    list += c.field.empty() ? c.message : fmt::format("{}: {}", c.field, c.message);
    jcauses.push_back({{"reason", c.reason}, {"message", c.message}, {"field", c.field}});
  }
  std::string message = fmt::format("{} \"{}\" is invalid: ", qualified, name);
  message += causes.size() > 1 ? fmt::format("[{}]", list) : list;
  Json d = {{"name", name}, {"kind", kind}, {"causes", jcauses}};
  if (!group.empty()) d["group"] = group;
  return {422, "Invalid", message, d};
}

ApiError bad_request(std::string message) { return {400, "BadRequest", std::move(message), Json::object()}; }

ApiError forbidden(const ResourceType& type, std::string_view name, std::string_view why) {
  return {403, "Forbidden", fmt::format("{} \"{}\" is forbidden: {}", type.group_resource(), name, why),
          resource_details(type, name)};
}

ApiError method_not_allowed(std::string message) {
  return {405, "MethodNotAllowed", std::move(message), Json::object()};
}

ApiError unsupported_media_type(std::string_view content_type) {
  return {415, "UnsupportedMediaType", fmt::format("the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json; got {}", content_type), Json::object()};
}

ApiError internal_error(std::string message) {
  return {500, "InternalError", fmt::format("Internal error occurred: {}", message), Json::object()};
}

}  // namespace claw::sim
