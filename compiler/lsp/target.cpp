// TextDocumentPositionParams → (file, offset) → symbol.
#include "compiler/lsp/target.h"

#include "compiler/lsp/position_json.h"
#include "compiler/lsp/uri.h"

namespace claw::lsp {

std::expected<std::pair<std::string, Position>, RpcError> position_params(const nlohmann::json& params) {
  const auto& doc = params.contains("textDocument") ? params["textDocument"] : nlohmann::json();
  auto pos = position_from_json(params.contains("position") ? params["position"] : nlohmann::json());
  if (!doc.is_object() || !doc.contains("uri") || !doc["uri"].is_string() || !pos)
    return std::unexpected(RpcError{error_code::kInvalidParams, "expected `textDocument.uri` and a `position` with `line` and `character`"});
  auto path = path_from_uri(doc["uri"].get<std::string>());
  return std::pair{path.value_or(std::string()), *pos};
}

std::expected<std::optional<Target>, RpcError> target_of(const Analysis& a, const nlohmann::json& params) {
  auto p = position_params(params);
  if (!p) return std::unexpected(p.error());
  auto file = p->first.empty() ? std::nullopt : a.file(p->first);
  if (!file) return std::optional<Target>{};
  return std::optional<Target>{Target{*file, a.offset(*file, p->second)}};
}

std::optional<uint32_t> symbol_at(const sema::Index& index, Target t) {
  if (const sema::Symbol* s = index.declared_at(t.file, t.offset))
    return static_cast<uint32_t>(s - index.symbols.data());
  if (const sema::Reference* r = index.ref_at(t.file, t.offset)) return r->symbol;
  return std::nullopt;
}

std::optional<source::Span> name_span_at(const sema::Index& index, Target t) {
  if (const sema::Symbol* s = index.declared_at(t.file, t.offset)) return s->name_span;
  if (const sema::Reference* r = index.ref_at(t.file, t.offset)) return r->span;
  return std::nullopt;
}

}  // namespace claw::lsp
