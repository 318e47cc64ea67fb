#include "runtime/sim/api_request.h"

namespace claw::sim {

std::vector<std::string> path_segments(std::string_view path) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    if (slash > start) out.emplace_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return out;
}

std::optional<std::string> ApiRequest::param(std::string_view name) const {
  std::optional<std::string> value;
  auto [first, last] = query.equal_range(std::string(name));
  for (auto it = first; it != last; ++it) value = it->second;
  return value;
}

std::string ApiRequest::header(std::string_view lower_name) const {
  auto it = headers.find(std::string(lower_name));
  return it == headers.end() ? std::string() : it->second;
}

ApiResponse ApiResponse::json(int status, const Json& body) {
  ApiResponse r;
  r.status = status;
  // A message may quote a client's bytes: invalid UTF-8 is replaced, never thrown on.
  r.body = body.dump(-1, ' ', false, Json::error_handler_t::replace);
  return r;
}

}  // namespace claw::sim
