// Definition and references through the index's resolutions.
#include "compiler/lsp/navigation.h"

namespace claw::lsp {

nlohmann::json definition(const Analysis& a, Target t) {
  const sema::Index& index = a.index();
  if (auto s = symbol_at(index, t)) return a.location(index.symbol(*s).name_span);
  if (const sema::FieldUse* f = index.field_at(t.file, t.offset)) {
    source::Span at = f->record->fields[static_cast<size_t>(f->field)].span;
    if (at.valid()) return a.location(at);
  }
  return nullptr;
}

nlohmann::json references(const Analysis& a, Target t, bool include_declaration) {
  nlohmann::json out = nlohmann::json::array();
  const sema::Index& index = a.index();
  auto s = symbol_at(index, t);
  if (!s) return out;
  if (include_declaration) out.push_back(a.location(index.symbol(*s).name_span));
  for (const sema::Reference* r : index.refs_to(*s)) out.push_back(a.location(r->span));
  return out;
}

}  // namespace claw::lsp
