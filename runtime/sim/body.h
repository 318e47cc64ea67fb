#pragma once
// Request bodies: JSON, or YAML for apply patches (application/apply-patch+yaml
// and application/yaml), read into Json.

#include "runtime/sim/json_schema.h"

#include <expected>
#include <string>

namespace claw::sim {

// JSON when the text is JSON, else YAML (1.2 core schema scalars: null,
// booleans, integers and floats unquoted; everything else a string); the
// error is a message for a 400.
std::expected<Json, std::string> parse_body(std::string_view text, bool allow_yaml);

// The media type of a Content-Type header without parameters, lower-cased.
std::string media_type(std::string_view content_type);

}  // namespace claw::sim
