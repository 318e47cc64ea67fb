// The feature requests, each answered from the latest analysis: null or []
// where it knows nothing (no analysis yet, a file outside the workspace).
#include <fmt/format.h>

#include "compiler/lsp/completion.h"
#include "compiler/lsp/formatting.h"
#include "compiler/lsp/hover.h"
#include "compiler/lsp/navigation.h"
#include "compiler/lsp/rename.h"
#include "compiler/lsp/server.h"
#include "compiler/lsp/symbols.h"
#include "compiler/lsp/target.h"
#include "compiler/lsp/uri.h"

namespace claw::lsp {
namespace {

/// What a position request answers where there is nothing to say.
json nothing(const std::string& method) {
  if (method == "textDocument/references" || method == "textDocument/completion" || method == "textDocument/documentSymbol" ||
      method == "workspace/symbol" || method == "textDocument/formatting")
    return json::array();
  return nullptr;
}

std::expected<json, RpcError> position_feature(const Analysis& a, const std::string& method, const json& params, Target t) {
  if (method == "textDocument/hover") return hover(a, t);
  if (method == "textDocument/definition") return definition(a, t);
  if (method == "textDocument/references") {
    bool decl = params.contains("context") && params["context"].is_object() && params["context"].value("includeDeclaration", false);
    return references(a, t, decl);
  }
  if (method == "textDocument/completion") return completion(a, t);
  if (method == "textDocument/prepareRename") return prepare_rename(a, t);
  if (!params.contains("newName") || !params["newName"].is_string())
    return std::unexpected(RpcError{error_code::kInvalidParams, "rename needs a `newName` string"});
  return rename(a, t, params["newName"].get<std::string>());
}

bool is_position_method(const std::string& m) {
  return m == "textDocument/hover" || m == "textDocument/definition" || m == "textDocument/references" ||
         m == "textDocument/completion" || m == "textDocument/prepareRename" || m == "textDocument/rename";
}

}  // namespace

std::expected<json, RpcError> Server::feature(const std::string& method, const json& params) {
  const bool known = is_position_method(method) || method == "textDocument/documentSymbol" || method == "workspace/symbol" ||
                     method == "textDocument/formatting";
  if (!known) return std::unexpected(RpcError{error_code::kMethodNotFound, fmt::format("`{}` is not a method claw lsp serves", method)});
  if (!params.is_object()) return std::unexpected(RpcError{error_code::kInvalidParams, "params must be an object"});
  if (is_position_method(method))
    if (auto p = position_params(params); !p) return std::unexpected(p.error());
  if (method == "textDocument/formatting") return format_document(params);
  if (!analysis_) return nothing(method);
  const Analysis& a = *analysis_;
  if (method == "workspace/symbol") return workspace_symbols(a, params.value("query", std::string()));
  if (method == "textDocument/documentSymbol") {
    const json& doc = params.contains("textDocument") ? params["textDocument"] : json();
    if (!doc.is_object() || !doc.contains("uri") || !doc["uri"].is_string())
      return std::unexpected(RpcError{error_code::kInvalidParams, "expected `textDocument.uri`"});
    auto path = path_from_uri(doc["uri"].get<std::string>());
    auto file = path ? a.file(*path) : std::nullopt;
    return file ? document_symbols(a, *file) : json::array();
  }
  auto t = target_of(a, params);
  if (!t) return std::unexpected(t.error());
  if (!*t) return nothing(method);
  return position_feature(a, method, params, **t);
}

std::expected<json, RpcError> Server::format_document(const json& params) {
  const json& doc = params.contains("textDocument") ? params["textDocument"] : json();
  if (!doc.is_object() || !doc.contains("uri") || !doc["uri"].is_string())
    return std::unexpected(RpcError{error_code::kInvalidParams, "expected `textDocument.uri`"});
  auto path = path_from_uri(doc["uri"].get<std::string>());
  if (!path) return json::array();
  // The editor's text when the document is open, else the disk's.
  if (const Document* d = docs_.find(io::normalize_path(*path))) return formatting(d->text, enc_);
  auto text = disk_.read(*path);
  return text ? formatting(*text, enc_) : json::array();
}

}  // namespace claw::lsp
