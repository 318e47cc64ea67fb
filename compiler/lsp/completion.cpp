// Completion items; the client filters them by what is typed
// (CompletionList.isIncomplete is false: the list is whole).
#include "compiler/lsp/completion.h"

#include <set>

#include "compiler/lsp/symbol_kinds.h"

namespace claw::lsp {
namespace {

// CompletionItemKind (LSP 3.17).
constexpr int kField = 5, kValue = 12, kEnumMember = 20;

nlohmann::json item(const std::string& label, int kind, const std::string& detail) {
  nlohmann::json i = {{"label", label}, {"kind", kind}};
  if (!detail.empty()) i["detail"] = detail;
  return i;
}

void record_fields(const sema::RecordDef& r, nlohmann::json& out) {
  for (size_t i = 0; i < r.fields.size(); ++i) {
    if (static_cast<int>(i) == r.rest) continue;  // the open record's map of other keys, not a key
    out.push_back(item(r.fields[i].name, kField, sema::type_name(r.fields[i].type)));
  }
}

void declared_names(const sema::Index& index, sema::RefKind ref, nlohmann::json& out) {
  // SymbolKind's first members are RefKind's, in its order (sema/index.h).
  const auto want = static_cast<sema::SymbolKind>(static_cast<uint8_t>(ref));
  std::set<std::string> seen;
  for (const auto& s : index.symbols)
    if (s.kind == want && seen.insert(s.name).second) out.push_back(item(s.name, completion_kind(s.kind), s.detail));
}

}  // namespace

nlohmann::json completion(const Analysis& a, Target t) {
  nlohmann::json items = nlohmann::json::array();
  const sema::Expectation* e = a.index().expected_at(t.file, t.offset);
  if (!e) return items;
  // A declaration's body: its schema's fields.
  if (e->record) {
    record_fields(*e->record, items);
    return items;
  }
  const sema::Type* type = e->type;
  while (type && type->kind == sema::TypeKind::List) type = type->elem;
  if (!type) return items;
  switch (type->kind) {
    case sema::TypeKind::Record:
      if (type->record) record_fields(*type->record, items);
      break;
    case sema::TypeKind::Enum:
      if (type->enum_def)
        for (const auto& v : type->enum_def->values) items.push_back(item(v, kEnumMember, type->enum_def->name));
      break;
    case sema::TypeKind::Bool:
      items.push_back(item("true", kValue, "bool"));
      items.push_back(item("false", kValue, "bool"));
      break;
    case sema::TypeKind::Ref: declared_names(a.index(), type->ref, items); break;
    default: break;
  }
  return items;
}

}  // namespace claw::lsp
