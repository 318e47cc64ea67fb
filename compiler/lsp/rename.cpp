// Rename: the declaration's name and every resolved reference, in every
// file; refused where the result would not mean the same program.
#include "compiler/lsp/rename.h"

#include <fmt/format.h>

#include <regex>

#include "compiler/lsp/uri.h"

namespace claw::lsp {
namespace {

/// Why the symbol at `t` cannot be renamed, or its index.
std::expected<uint32_t, RpcError> renamable(const Analysis& a, Target t) {
  auto s = symbol_at(a.index(), t);
  if (!s) return std::unexpected(RpcError{error_code::kRequestFailed, "there is no declared name here to rename"});
  const sema::Symbol& sym = a.index().symbol(*s);
  if (sym.stdlib)
    return std::unexpected(RpcError{error_code::kRequestFailed,
                                    fmt::format("`{}` is declared in the standard library, which cannot be renamed", sym.name)});
  if (sym.kind == sema::SymbolKind::Import)
    return std::unexpected(RpcError{error_code::kRequestFailed, "an import is a path; rename the file instead"});
  return *s;
}

/// Whether the name is the same kind of name (two declarations, two
/// templates, two lets) as `sym`, so that the two would collide.
bool collides(const sema::Symbol& other, const sema::Symbol& sym) {
  using K = sema::SymbolKind;
  auto space = [](K k) {
    switch (k) {
      case K::EnumValue: return 1;
      case K::Param: return 2;
      case K::Type:
      case K::Enum: return 3;
      default: return 0;
    }
  };
  if (space(other.kind) != space(sym.kind)) return false;
  if (sym.kind == K::EnumValue || sym.kind == K::Param) return other.parent == sym.parent;
  return true;
}

}  // namespace

bool valid_name(std::string_view name) {
  // grammar/Claw.g4: IDENT : [a-zA-Z_] ([a-zA-Z0-9_-]* [a-zA-Z0-9_])? ;
  // true, false and null are literals, never names.
  static const std::regex ident("[a-zA-Z_]([a-zA-Z0-9_-]*[a-zA-Z0-9_])?");
  if (name == "true" || name == "false" || name == "null") return false;
  return std::regex_match(name.begin(), name.end(), ident);
}

std::expected<nlohmann::json, RpcError> prepare_rename(const Analysis& a, Target t) {
  if (!symbol_at(a.index(), t)) return nullptr;
  auto s = renamable(a, t);
  if (!s) return std::unexpected(s.error());
  source::Span at = *name_span_at(a.index(), t);
  return nlohmann::json{{"range", a.range(at)}, {"placeholder", a.index().symbol(*s).name}};
}

std::expected<nlohmann::json, RpcError> rename(const Analysis& a, Target t, const std::string& new_name) {
  auto s = renamable(a, t);
  if (!s) return std::unexpected(s.error());
  const sema::Index& index = a.index();
  const sema::Symbol& sym = index.symbol(*s);
  if (!valid_name(new_name))
    return std::unexpected(RpcError{error_code::kInvalidParams,
                                    fmt::format("`{}` is not a name: use letters, digits, `_` and inner `-`, starting with a letter or `_`", new_name)});
  for (const auto& other : index.symbols)
    if (&other != &sym && other.name == new_name && collides(other, sym))
      return std::unexpected(RpcError{error_code::kRequestFailed,
                                      fmt::format("`{}` is already declared as a {}; choose another name", new_name,
                                                  sema::symbol_kind_name(other.kind))});
  nlohmann::json changes = nlohmann::json::object();
  auto edit = [&](source::Span span) {
    changes[uri_from_path(a.path(span.file))].push_back({{"range", a.range(span)}, {"newText", new_name}});
  };
  edit(sym.name_span);
  for (const sema::Reference* r : index.refs_to(*s)) edit(r->span);
  return nlohmann::json{{"changes", std::move(changes)}};
}

}  // namespace claw::lsp
