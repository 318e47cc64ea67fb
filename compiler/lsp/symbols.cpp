// Document and workspace symbols.
#include "compiler/lsp/symbols.h"

#include <cctype>

#include "compiler/lsp/symbol_kinds.h"
#include "compiler/lsp/uri.h"

namespace claw::lsp {
namespace {

// LSP SymbolKind values used for what sema's index does not classify.
constexpr int kFile = 1, kProperty = 7, kVariable = 13, kStruct = 23, kEnum = 10, kEnumMember = 22, kFunction = 12;

nlohmann::json symbol(const Analysis& a, std::string name, int kind, source::Span range, source::Span selection,
                      std::string detail = {}) {
  if (name.empty()) name = "(unnamed)";  // the protocol refuses an empty name
  nlohmann::json s = {{"name", std::move(name)}, {"kind", kind}, {"range", a.range(range)}, {"selectionRange", a.range(selection)}};
  if (!detail.empty()) s["detail"] = std::move(detail);
  return s;
}

nlohmann::json block_symbols(const Analysis& a, const syntax::Block* block) {
  nlohmann::json out = nlohmann::json::array();
  if (!block) return out;
  for (const auto& m : block->members) {
    if (m.path.empty()) continue;
    std::string name;
    for (const auto& p : m.path) name += (name.empty() ? "" : ".") + p.text;
    if (m.label) name += " " + m.label->text;
    auto s = symbol(a, name, kProperty, m.span, m.path.front().span);
    auto children = block_symbols(a, m.block);
    if (!children.empty()) s["children"] = std::move(children);
    out.push_back(std::move(s));
  }
  return out;
}

nlohmann::json item_symbol(const Analysis& a, const syntax::Item* item) {
  using syntax::ItemKind;
  switch (item->kind) {
    case ItemKind::Import: {
      auto* i = static_cast<const syntax::ImportItem*>(item);
      return symbol(a, i->path, kFile, i->span, i->path_span, "import");
    }
    case ItemKind::Let: {
      auto* i = static_cast<const syntax::LetItem*>(item);
      return symbol(a, i->name.text, kVariable, i->span, i->name.span, "let");
    }
    case ItemKind::Type: {
      auto* i = static_cast<const syntax::TypeItem*>(item);
      auto s = symbol(a, i->name.text, kStruct, i->span, i->name.span, "type");
      nlohmann::json fields = nlohmann::json::array();
      for (const auto& f : i->fields) fields.push_back(symbol(a, f.name.text, 8, f.span, f.name.span));
      if (!fields.empty()) s["children"] = std::move(fields);
      return s;
    }
    case ItemKind::Enum: {
      auto* i = static_cast<const syntax::EnumItem*>(item);
      auto s = symbol(a, i->name.text, kEnum, i->span, i->name.span, "enum");
      nlohmann::json values = nlohmann::json::array();
      for (const auto& v : i->values) values.push_back(symbol(a, v.text, kEnumMember, v.span, v.span));
      if (!values.empty()) s["children"] = std::move(values);
      return s;
    }
    case ItemKind::Template: {
      auto* i = static_cast<const syntax::TemplateItem*>(item);
      auto s = symbol(a, i->name.text, kFunction, i->span, i->name.span,
                      "template " + std::string(syntax::decl_kind_name(i->decl_kind)));
      auto children = block_symbols(a, i->body);
      if (!children.empty()) s["children"] = std::move(children);
      return s;
    }
    case ItemKind::Decl: {
      auto* i = static_cast<const syntax::DeclItem*>(item);
      auto s = symbol(a, i->name.text, lsp_symbol_kind(i->decl_kind), i->span, i->name.span.valid() ? i->name.span : i->kind_span,
                      std::string(syntax::decl_kind_name(i->decl_kind)));
      auto children = block_symbols(a, i->body);
      if (!children.empty()) s["children"] = std::move(children);
      return s;
    }
  }
  return nullptr;
}

}  // namespace

nlohmann::json document_symbols(const Analysis& a, source::FileId file) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& f : a.compiled().project->files) {
    if (!f || f->id != file) continue;
    for (const syntax::Item* item : f->items)
      if (auto s = item_symbol(a, item); !s.is_null()) out.push_back(std::move(s));
  }
  return out;
}

bool fuzzy_match(std::string_view query, std::string_view name) {
  size_t at = 0;
  for (char c : name) {
    if (at == query.size()) break;
    if (std::tolower(static_cast<unsigned char>(c)) == std::tolower(static_cast<unsigned char>(query[at]))) ++at;
  }
  return at == query.size();
}

nlohmann::json workspace_symbols(const Analysis& a, std::string_view query, size_t limit) {
  nlohmann::json out = nlohmann::json::array();
  const sema::Index& index = a.index();
  for (const auto& s : index.symbols) {
    if (out.size() == limit) break;
    if (s.stdlib || s.kind == sema::SymbolKind::Param || !s.name_span.valid() || !fuzzy_match(query, s.name)) continue;
    nlohmann::json info = {{"name", s.name}, {"kind", lsp_symbol_kind(s.kind)}, {"location", a.location(s.name_span)}};
    if (s.parent != UINT32_MAX) info["containerName"] = index.symbol(s.parent).name;
    out.push_back(std::move(info));
  }
  return out;
}

}  // namespace claw::lsp
