// The language server: LSP 3.17 over a byte stream, one message at a time.
// https://microsoft.github.io/language-server-protocol/specifications/lsp/3.17/specification/
#pragma once

#include <expected>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "compiler/driver/cli.h"
#include "compiler/io/filesystem.h"
#include "compiler/lsp/analysis.h"
#include "compiler/lsp/documents.h"
#include "compiler/lsp/framing.h"
#include "compiler/lsp/jsonrpc.h"
#include "compiler/lsp/stream.h"

namespace claw::lsp {

/// The server's state: lifecycle, open documents, the latest analysis and
/// the diagnostics last published. Reads the disk through `disk`.
class Server {
 public:
  Server(ByteStream& stream, const io::FileSystem& disk, driver::Environment env);
  /// Serves until `exit` or the end of input; returns the exit code: 0 after
  /// `shutdown` then `exit`, 1 otherwise (as the specification says).
  int run();
  /// Handles one message's body (what a frame held); public for tests that
  /// feed bodies without framing.
  void handle(std::string_view body);
  /// Checks the workspace again if a change came since the last check,
  /// and publishes what changed. run() does so when no input is waiting,
  /// so that a burst of edits is checked once, and before any request.
  void settle();
  /// Whether `exit` was received.
  bool exited() const { return exited_; }

 private:
  void send(const json& message);
  void request(const json& id, const std::string& method, const json& params);
  void notify(const std::string& method, const json& params);
  json initialize(const json& params);
  /// Checks the workspace again and publishes what changed.
  void reanalyze();
  void publish();
  void log(int type, const std::string& message);
  /// Asks the client to report changes of *.claw files on disk.
  void register_watchers();
  /// Applies a workspace folders change event (added and removed folders).
  void change_folders(const json& event);
  /// A feature request's result through the latest analysis, or its error.
  std::expected<json, RpcError> feature(const std::string& method, const json& params);
  /// textDocument/formatting of an open document (or a file on disk).
  std::expected<json, RpcError> format_document(const json& params);

  ByteStream& stream_;
  const io::FileSystem& disk_;
  driver::Environment env_;
  Encoding enc_ = Encoding::Utf16;
  bool initialized_ = false, shutdown_ = false, exited_ = false;
  bool dirty_ = false;  // a change not checked yet
  bool watch_files_ = false;  // the client registers file watchers dynamically
  std::vector<std::string> roots_;
  Documents docs_;
  std::unique_ptr<Analysis> analysis_;
  project::ParseCache cache_;  // parses of the last check, for the files not changed since
  std::map<std::string, json> published_;  // by URI: the diagnostics last sent
};

/// Runs a server on `stream` until `exit`; the exit code.
int serve(ByteStream& stream, const io::FileSystem& disk, const driver::Environment& env);

}  // namespace claw::lsp
