// JSON-RPC 2.0 messages as LSP uses them: requests, responses, notifications
// and the error codes. https://www.jsonrpc.org/specification and
// https://microsoft.github.io/language-server-protocol/specifications/lsp/3.17/specification/#responseMessage
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace claw::lsp {

using json = nlohmann::json;

namespace error_code {
inline constexpr int kParseError = -32700;
inline constexpr int kInvalidRequest = -32600;
inline constexpr int kMethodNotFound = -32601;
inline constexpr int kInvalidParams = -32602;
inline constexpr int kInternalError = -32603;
inline constexpr int kServerNotInitialized = -32002;
inline constexpr int kRequestFailed = -32803;  // LSP 3.17: a request that was valid but failed (a refused rename)
}  // namespace error_code

/// A successful response to the request `id`.
json response(const json& id, json result);
/// An error response to the request `id` (null when the id could not be read).
json error_response(const json& id, int code, std::string message);
/// A notification: a message that expects no answer.
json notification(std::string method, json params);

/// A request's error as a value: the JSON-RPC code and a message.
struct RpcError {
  int code = error_code::kInvalidParams;
  std::string message;
};

}  // namespace claw::lsp
