#pragma once
// One HTTP request and response as the API layer sees them: no socket, no
// TLS, no HTTP library types, so every handler runs in unit tests as is.

#include "runtime/sim/json_schema.h"

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace claw::sim {

// The non-empty `/`-separated segments of a URL path.
std::vector<std::string> path_segments(std::string_view path);

struct ApiRequest {
  std::string method;  // "GET", "POST", ...
  std::string path;    // "/apis/apps/v1/namespaces/ns/deployments/web"
  std::multimap<std::string, std::string> query;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;

  // The last value of query parameter `name`, or nullopt.
  std::optional<std::string> param(std::string_view name) const;
  std::string header(std::string_view lower_name) const;
};

// A watch stream: called until it returns false; appends the next chunk
// (newline-separated JSON events) to `out`, waiting at most a moment.
using ChunkSource = std::function<bool(std::string& out)>;

struct ApiResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // Warning, Retry-After, ...
  ChunkSource stream;  // set for a watch: the body is streamed, `body` unused

  static ApiResponse json(int status, const Json& body);
};

}  // namespace claw::sim
