// Message handling: the lifecycle, document sync and diagnostics; the
// position requests are in server_features.cpp.
#include "compiler/lsp/server.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "compiler/driver/commands.h"
#include "compiler/lsp/diagnostics.h"
#include "compiler/lsp/uri.h"

namespace claw::lsp {
namespace {

/// The path of `params.textDocument.uri`, or nothing.
std::optional<std::string> document_path(const json& params) {
  if (!params.is_object() || !params.contains("textDocument") || !params["textDocument"].is_object()) return std::nullopt;
  const json& doc = params["textDocument"];
  if (!doc.contains("uri") || !doc["uri"].is_string()) return std::nullopt;
  auto path = path_from_uri(doc["uri"].get<std::string>());
  if (!path) return std::nullopt;
  return io::normalize_path(*path);
}

/// The workspace's root folders: workspaceFolders, else rootUri, else rootPath.
std::vector<std::string> roots_of(const json& params) {
  std::vector<std::string> roots;
  if (params.contains("workspaceFolders") && params["workspaceFolders"].is_array()) {
    for (const auto& f : params["workspaceFolders"])
      if (f.is_object() && f.contains("uri") && f["uri"].is_string())
        if (auto p = path_from_uri(f["uri"].get<std::string>())) roots.push_back(io::normalize_path(*p));
  } else if (params.contains("rootUri") && params["rootUri"].is_string()) {
    if (auto p = path_from_uri(params["rootUri"].get<std::string>())) roots.push_back(io::normalize_path(*p));
  } else if (params.contains("rootPath") && params["rootPath"].is_string()) {
    roots.push_back(io::normalize_path(params["rootPath"].get<std::string>()));
  }
  return roots;
}

/// utf-8 when the client offers it (claw's text is UTF-8: no conversion),
/// else the protocol's default utf-16.
Encoding negotiate(const json& params) {
  const json* encodings = nullptr;
  if (params.contains("capabilities") && params["capabilities"].is_object()) {
    const json& caps = params["capabilities"];
    if (caps.contains("general") && caps["general"].is_object() && caps["general"].contains("positionEncodings"))
      encodings = &caps["general"]["positionEncodings"];
  }
  if (encodings && encodings->is_array())
    for (const auto& e : *encodings)
      if (e == "utf-8") return Encoding::Utf8;
  return Encoding::Utf16;
}

json capabilities(Encoding enc) {
  return {
      {"positionEncoding", enc == Encoding::Utf8 ? "utf-8" : "utf-16"},
      // TextDocumentSyncKind.Incremental = 2.
      {"textDocumentSync", {{"openClose", true}, {"change", 2}, {"save", {{"includeText", false}}}}},
      {"hoverProvider", true},
      {"definitionProvider", true},
      {"referencesProvider", true},
      {"renameProvider", {{"prepareProvider", true}}},
      {"completionProvider", {{"triggerCharacters", json::array({"=", " "})}}},
      {"documentSymbolProvider", true},
      {"workspaceSymbolProvider", true},
      {"documentFormattingProvider", true},
      {"workspace", {{"workspaceFolders", {{"supported", true}, {"changeNotifications", true}}}}},
  };
}

}  // namespace

Server::Server(ByteStream& stream, const io::FileSystem& disk, driver::Environment env)
    : stream_(stream), disk_(disk), env_(std::move(env)) {}

void Server::send(const json& message) {
  // Source text may hold bytes that are not UTF-8: replaced, never thrown.
  stream_.write(frame(message.dump(-1, ' ', false, json::error_handler_t::replace)));
}

void Server::log(int type, const std::string& message) {
  send(notification("window/logMessage", {{"type", type}, {"message", message}}));
}

int Server::run() {
  FrameReader reader(stream_);
  while (!exited_) {
    auto body = reader.next();
    if (!body) {
      if (body.error().end) break;
      send(error_response(nullptr, error_code::kParseError, "malformed frame: " + body.error().message));
      continue;
    }
    handle(*body);
    if (!reader.ready()) settle();
  }
  return exited_ && shutdown_ ? 0 : 1;
}

void Server::handle(std::string_view body) {
  json msg = json::parse(body, nullptr, false);
  if (msg.is_discarded()) {
    send(error_response(nullptr, error_code::kParseError, "the message is not JSON"));
    return;
  }
  const json id = msg.is_object() && msg.contains("id") ? msg["id"] : json();
  if (!msg.is_object() || msg.value("jsonrpc", "") != "2.0" || (msg.contains("id") && !id.is_string() && !id.is_number_integer())) {
    send(error_response(msg.is_object() && (id.is_string() || id.is_number_integer()) ? id : json(), error_code::kInvalidRequest,
                        "not a JSON-RPC 2.0 request: it needs `\"jsonrpc\": \"2.0\"`, a `method` and, for a request, an integer or string `id`"));
    return;
  }
  if (!msg.contains("method")) return;  // a response to a request of ours: the server sends none
  if (!msg["method"].is_string()) {
    send(error_response(id, error_code::kInvalidRequest, "`method` must be a string"));
    return;
  }
  const std::string method = msg["method"].get<std::string>();
  const json params = msg.contains("params") ? msg["params"] : json::object();
  try {
    if (msg.contains("id"))
      request(id, method, params);
    else
      notify(method, params);
  } catch (const std::exception& e) {
    // A parameter of the wrong type deep in a request: answered, never a crash.
    if (msg.contains("id"))
      send(error_response(id, error_code::kInvalidParams, fmt::format("invalid params: {}", e.what())));
    else
      log(1, fmt::format("`{}` ignored: invalid params: {}", method, e.what()));
  }
}

void Server::request(const json& id, const std::string& method, const json& params) {
  if (method == "initialize") {
    if (initialized_) {
      send(error_response(id, error_code::kInvalidRequest, "initialize was already received"));
      return;
    }
    send(response(id, initialize(params)));
    return;
  }
  if (!initialized_) {
    send(error_response(id, error_code::kServerNotInitialized, fmt::format("`{}` before initialize", method)));
    return;
  }
  if (shutdown_) {
    send(error_response(id, error_code::kInvalidRequest, fmt::format("`{}` after shutdown", method)));
    return;
  }
  if (method == "shutdown") {
    shutdown_ = true;
    send(response(id, nullptr));
    return;
  }
  settle();
  auto result = feature(method, params);
  if (!result) {
    send(error_response(id, result.error().code, result.error().message));
    return;
  }
  send(response(id, std::move(*result)));
}

json Server::initialize(const json& params) {
  initialized_ = true;
  enc_ = negotiate(params);
  roots_ = roots_of(params);
  const json* caps = params.contains("capabilities") ? &params["capabilities"] : nullptr;
  watch_files_ = caps && caps->is_object() &&
                 caps->value("/workspace/didChangeWatchedFiles/dynamicRegistration"_json_pointer, false);
  return {{"capabilities", capabilities(enc_)}, {"serverInfo", {{"name", "claw"}, {"version", std::string(driver::kVersion)}}}};
}

void Server::notify(const std::string& method, const json& params) {
  if (method == "exit") {
    exited_ = true;
    return;
  }
  if (!initialized_ || shutdown_) return;  // notifications before initialize are dropped (spec)
  if (method == "initialized") {
    if (watch_files_) register_watchers();
    dirty_ = true;
    return;
  }
  if (method == "workspace/didChangeWatchedFiles") {
    // A file of the workspace changed on disk (a checkout, another editor).
    dirty_ = true;
    return;
  }
  if (method == "workspace/didChangeWorkspaceFolders") {
    change_folders(params.value("event", json::object()));
    dirty_ = true;
    return;
  }
  auto path = document_path(params);
  if (method == "textDocument/didOpen") {
    if (!path) return log(1, "didOpen without a file uri: ignored");
    const json& doc = params["textDocument"];
    if (!doc.contains("text") || !doc["text"].is_string()) return log(1, "didOpen without the document's text: ignored");
    docs_.open(*path, doc["text"].get<std::string>(), doc.value("version", int64_t{0}));
  } else if (method == "textDocument/didChange") {
    if (!path) return log(1, "didChange without a file uri: ignored");
    auto changed = docs_.change(*path, params.value("contentChanges", json()), params["textDocument"].value("version", int64_t{0}), enc_);
    if (!changed) return log(1, changed.error());
  } else if (method == "textDocument/didClose") {
    if (path) docs_.close(*path);
  } else if (method != "textDocument/didSave") {
    return;  // $/cancelRequest, $/setTrace, workspace notifications: nothing to do
  }
  dirty_ = true;
}

void Server::register_watchers() {
  // The client watches the files and says when one changes on disk (LSP
  // 3.17 workspace/didChangeWatchedFiles, registered dynamically); its
  // answer to this request needs no handling.
  json watcher = {{"globPattern", "**/*.claw"}};
  json registration = {{"id", "claw-watch-files"},
                       {"method", "workspace/didChangeWatchedFiles"},
                       {"registerOptions", {{"watchers", json::array({watcher})}}}};
  send({{"jsonrpc", "2.0"}, {"id", "claw-register-1"}, {"method", "client/registerCapability"},
        {"params", {{"registrations", json::array({registration})}}}});
}

void Server::change_folders(const json& event) {
  auto paths = [](const json& list) {
    std::vector<std::string> out;
    if (list.is_array())
      for (const auto& f : list)
        if (f.is_object() && f.contains("uri") && f["uri"].is_string())
          if (auto p = path_from_uri(f["uri"].get<std::string>())) out.push_back(io::normalize_path(*p));
    return out;
  };
  for (const auto& gone : paths(event.value("removed", json::array()))) std::erase(roots_, gone);
  for (const auto& added : paths(event.value("added", json::array())))
    if (std::ranges::find(roots_, added) == roots_.end()) roots_.push_back(added);
}

void Server::settle() {
  if (!dirty_) return;
  dirty_ = false;
  reanalyze();
}

void Server::reanalyze() {
  if (roots_.empty() && docs_.all().empty()) {
    // Nothing left to check: what was said before no longer holds.
    analysis_.reset();
    for (const auto& [uri, _] : published_)
      send(notification("textDocument/publishDiagnostics", {{"uri", uri}, {"diagnostics", json::array()}}));
    published_.clear();
    return;
  }
  // The new analysis takes over what the edit did not change from the old,
  // which it consumes: there are never two of a large workspace.
  std::unique_ptr<Analysis> previous = std::move(analysis_);
  analysis_ = analyze(disk_, docs_, roots_, env_, enc_, cache_, previous.get());
  previous.reset();
  publish();
}

void Server::publish() {
  Published now = publishable(*analysis_);
  for (const auto& m : now.unplaced) log(1, m);
  std::set<std::string> uris;
  for (const auto& [uri, _] : published_) uris.insert(uri);
  for (const auto& [uri, _] : now.by_uri) uris.insert(uri);
  std::map<std::string, json> next;
  for (const auto& uri : uris) {
    auto it = now.by_uri.find(uri);
    json diags = it == now.by_uri.end() ? json::array() : it->second;
    auto was = published_.find(uri);
    if (was != published_.end() && was->second == diags) {
      next[uri] = std::move(diags);
      continue;
    }
    json params = {{"uri", uri}, {"diagnostics", diags}};
    if (auto p = path_from_uri(uri))
      if (const Document* d = docs_.find(*p)) params["version"] = d->version;
    send(notification("textDocument/publishDiagnostics", params));
    if (!diags.empty()) next[uri] = std::move(diags);
  }
  published_ = std::move(next);
}

int serve(ByteStream& stream, const io::FileSystem& disk, const driver::Environment& env) {
  Server server(stream, disk, env);
  return server.run();
}

}  // namespace claw::lsp
