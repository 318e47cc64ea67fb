// A typed chart's escape hatch: `extra { ... }` holds values keys the chart's
// schema does not know yet, merged under the typed values when they are
// written (emit/values.cpp). So that the two never set one key, `extra` may
// only add keys: walking down records the schema declares, every key it
// reaches is either unknown to the schema (written unchecked, with a
// warning that names it) or a record to walk into; any other typed key
// belongs in `values`, where it is checked.
#include <fmt/format.h>

#include "compiler/sema/checker.h"
#include "compiler/syntax/key_spelling.h"

namespace claw::sema::detail {

namespace {
using VK = Value::Kind;
}  // namespace

void Checker::check_chart_extra(const Chart& c) {
  if (c.extra.kind != VK::Map || !c.extra.keys || !c.extra.items) return;
  if (c.values.kind != VK::Record || !c.values.record) {
    if (c.values.kind == VK::Map)
      report(diag::Kind::MisplacedExtra, c.extra.span,
             fmt::format("chart `{}` has no values schema, so `extra` adds nothing to `values`", c.name))
          .hint("a chart without a type takes any key in `values`; move these keys there");
    return;
  }
  struct Level {
    const Value* map;
    const RecordDef* record;
    std::string path;
  };
  std::vector<Level> todo{{&c.extra, c.values.record, ""}};
  while (!todo.empty()) {
    Level at = std::move(todo.back());
    todo.pop_back();
    for (size_t i = 0; i < at.map->keys->size() && i < at.map->items->size(); ++i) {
      const std::string& key = (*at.map->keys)[i];
      const Value& item = (*at.map->items)[i];
      std::string path = (at.path.empty() ? "" : at.path + ".") + syntax::key_spelling(key);
      Span span = key_span(*at.map, i, c.extra.span);
      if (item.bad()) continue;  // reported where it was made
      int fi = at.record->find(key);
      if (fi < 0) {
        report(diag::Kind::UntypedChartValue, span,
               fmt::format("`{}` is not in the schema of chart `{}` (`{}`): it is written to the values unchecked",
                           path, c.type, at.record->name))
            .hint(fmt::format("make sure chart `{}` reads `{}` (see its values.yaml): a misspelt key does nothing",
                              c.type, path));
        continue;
      }
      const Type* t = at.record->fields[static_cast<size_t>(fi)].type;
      if (t && t->kind == TypeKind::Record && t->record && item.kind == VK::Map && item.keys && item.items) {
        todo.push_back({&item, t->record, path});
        continue;
      }
      report(diag::Kind::MisplacedExtra, span,
             fmt::format("`{}` is in the schema of chart `{}` (as `{}`), so it belongs in `values`, not `extra`",
                         path, c.type, type_name(t)))
          .hint(fmt::format("`extra` only adds keys the schema does not know; write `values {{ {} = ... }}`", path));
    }
  }
}

}  // namespace claw::sema::detail
