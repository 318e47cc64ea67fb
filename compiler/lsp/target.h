// Where a position request points: a file of the analysis and a byte
// offset in it, and the declared symbol found there.
#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "compiler/lsp/analysis.h"
#include "compiler/lsp/jsonrpc.h"

namespace claw::lsp {

struct Target {
  source::FileId file;
  uint32_t offset = 0;
};

/// The path and position of TextDocumentPositionParams, or an invalid-params
/// error naming what is missing.
std::expected<std::pair<std::string, Position>, RpcError> position_params(const nlohmann::json& params);

/// The file and offset of TextDocumentPositionParams (`textDocument.uri`
/// and `position`); nothing when the file is not part of the analysis, an
/// error when the params are malformed.
std::expected<std::optional<Target>, RpcError> target_of(const Analysis& a, const nlohmann::json& params);

/// The symbol declared or referenced at `t`, by its index in the index.
std::optional<uint32_t> symbol_at(const sema::Index& index, Target t);

/// The span of the name at `t` that `symbol_at` found (a declaration's
/// name or a reference).
std::optional<source::Span> name_span_at(const sema::Index& index, Target t);

}  // namespace claw::lsp
