// HTTP requests to the API server as data, and the interface that performs
// them: the real one is libcurl (curl_transport.h), tests use a fake that
// answers from a function (fake_transport.h). Everything above this layer
// (discovery, plan, apply, prune, locking) talks to a Transport only.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <span>
#include <string>
#include <vector>

namespace claw::cluster {

struct Request {
  std::string method;        // GET, POST, PUT, PATCH, DELETE
  std::string path;          // from the server's root, query included: /api/v1/namespaces?limit=500
  std::string content_type;  // of `body`; empty when there is none
  std::string body;
  /// Whether the request may be sent again after a failure whose outcome
  /// is unknown (a dropped connection, a 5xx): reads, server-side applies
  /// and deletes with a UID precondition are; a create is not.
  bool idempotent = true;
  /// The Accept header; empty: application/json.
  std::string accept = {};
};

struct Response {
  /// The HTTP status; 0 when no response came (then `error` says why).
  int status = 0;
  std::string body;
  /// Header names lower-cased.
  std::map<std::string, std::string> headers;
  std::string error;
  /// Attempts made, retries included.
  int attempts = 0;
};

/// A failed response as a person reads it: the server's Status message and
/// the HTTP status (`deployments.apps "web" not found (404)`), or the
/// transport's error when no response came.
std::string failure_text(const Response& response);

/// Called as each request of a batch completes, with its index in the
/// batch, from the thread that called perform().
using OnResponse = std::function<void(size_t index, const Response& response)>;

class Transport {
 public:
  virtual ~Transport() = default;
  /// Performs every request of `batch`, several at once (up to the
  /// transport's parallelism), retrying as the transport's policy allows,
  /// and returns their responses in the batch's order.
  virtual std::vector<Response> perform(std::span<const Request> batch, const OnResponse& on_response = {}) = 0;
  /// One request.
  Response perform(const Request& request) { return perform(std::span<const Request>(&request, 1)).front(); }
  /// Requests sent so far, retries included (for benchmarks and tests).
  virtual uint64_t requests_sent() const = 0;
};

}  // namespace claw::cluster
