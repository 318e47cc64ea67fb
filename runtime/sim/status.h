#pragma once
// API errors as the real server reports them: a `Status` object whose
// reason, code, message and details follow apimachinery's constructors
// (k8s.io/apimachinery pkg/api/errors/errors.go).

#include "runtime/sim/json_schema.h"

#include <string>
#include <vector>

namespace claw::sim {

struct ResourceType;

// One field error of a 422 Invalid (or one SSA conflict): `reason` is the
// cause type (`FieldValueRequired`, `FieldValueInvalid`, ...).
struct Cause {
  std::string reason;
  std::string message;
  std::string field;
};

struct ApiError {
  int code = 500;
  std::string reason;   // `NotFound`, `AlreadyExists`, `Conflict`, `Invalid`, ...
  std::string message;
  Json details = Json::object();
  int retry_after_seconds = 0;  // for 429 and 503; 0 = none
};

// The `Status` body of an error.
Json status_json(const ApiError& error);

// `<gr> "<name>" not found` (404, details kind = the plural resource).
ApiError not_found(const ResourceType& type, std::string_view name);
// `<gr> "<name>" already exists` (409).
ApiError already_exists(const ResourceType& type, std::string_view name);
// `Operation cannot be fulfilled on <gr> "<name>": <why>` (409 Conflict).
ApiError conflict(const ResourceType& type, std::string_view name, std::string_view why);
// The optimistic-lock 409: "the object has been modified; please apply ...".
ApiError stale_write(const ResourceType& type, std::string_view name);
// `<Kind.group> "<name>" is invalid: <field>: <message>, ...` (422), one
// cause per field error. Each cause's message is the full `<field>: ...`
// text's tail, e.g. `Required value` or `Invalid value: "x": why`.
ApiError invalid(std::string_view group, std::string_view kind, std::string_view name, std::vector<Cause> causes);
ApiError bad_request(std::string message);
ApiError forbidden(const ResourceType& type, std::string_view name, std::string_view why);
ApiError method_not_allowed(std::string message);
ApiError unsupported_media_type(std::string_view content_type);
ApiError internal_error(std::string message);

}  // namespace claw::sim
