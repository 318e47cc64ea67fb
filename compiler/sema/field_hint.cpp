#include "compiler/sema/field_hint.h"

#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <vector>

#include "compiler/syntax/key_spelling.h"

namespace claw::sema {
namespace {

/// "`a`, `b` or `c`".
std::string either(const std::vector<std::string>& names) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i)
    out += fmt::format("{}`{}`", i == 0 ? "" : i + 1 == names.size() ? " or " : ", ", syntax::key_spelling(names[i]));
  return out;
}

}  // namespace

void hint_unknown_field(diag::Diagnostic& d, std::string_view key, source::Span at, const RecordDef& rec) {
  std::vector<std::string_view> fields;
  fields.reserve(rec.fields.size());
  for (const auto& f : rec.fields) fields.push_back(f.name);
  if (auto near = diag::close_names(key, fields, 3); !near.empty()) {
    d.hint(fmt::format("did you mean {}?", either(near)));
    d.fixit(at, syntax::key_spelling(near[0]));
    return;
  }
  if (fields.empty()) {
    d.hint(fmt::format("`{}` has no fields", rec.name));
    return;
  }
  std::sort(fields.begin(), fields.end());
  std::string list;
  size_t shown = 0;
  for (; shown < fields.size(); ++shown) {
    std::string next = fmt::format("{}`{}`", shown == 0 ? "" : ", ", syntax::key_spelling(fields[shown]));
    if (shown > 0 && list.size() + next.size() > kFieldsListBytes) break;
    list += next;
  }
  if (shown < fields.size()) list += fmt::format(" and {} more", fields.size() - shown);
  d.hint(fmt::format("no field of `{}` is close to that name; it has {}", rec.name, list));
}

}  // namespace claw::sema
