// The index of a checked program: its symbols, read from the syntax of its
// files, and the references checking recorded, resolved to them by kind,
// scope and name.
#include <string>
#include <unordered_map>

#include <fmt/format.h>

#include "compiler/sema/checker.h"
#include "compiler/sema/reuse.h"

namespace claw::sema::detail {

namespace {

SymbolKind decl_symbol_kind(syntax::DeclKind kind) {
  switch (kind) {
    case syntax::DeclKind::Cluster: return SymbolKind::Cluster;
    case syntax::DeclKind::Machine: return SymbolKind::Machine;
    case syntax::DeclKind::Role: return SymbolKind::Role;
    case syntax::DeclKind::Chart: return SymbolKind::Chart;
    case syntax::DeclKind::Secret: return SymbolKind::Secret;
    case syntax::DeclKind::Resource: return SymbolKind::Resource;
    default: return SymbolKind::Workload;
  }
}

/// Collects the symbols of one file's items.
class Symbols {
 public:
  Symbols(const Program& program, Index& index) : program_(program), index_(index) {}

  void file(const syntax::File& f, bool stdlib) {
    stdlib_ = stdlib;
    for (const syntax::Item* item : f.items) this->item(*item);
  }

  uint32_t find(SymbolKind kind, std::string_view scope, std::string_view name) const {
    return table_.find(kind, scope, name);
  }
  SymbolTable take_table() { return std::move(table_); }

 private:
  std::string_view text(Span s) const { return program_.sources->text(s); }

  uint32_t add(SymbolKind kind, const syntax::Name& name, Span decl, std::string detail, uint32_t parent = UINT32_MAX,
               std::string_view scope = {}) {
    auto at = static_cast<uint32_t>(index_.symbols.size());
    index_.symbols.push_back(Symbol{kind, name.text, name.span, decl, std::move(detail), stdlib_, parent});
    table_.add(kind, scope, name.text, at);
    return at;
  }

  void item(const syntax::Item& item) {
    using syntax::ItemKind;
    switch (item.kind) {
      case ItemKind::Import: {
        auto& i = static_cast<const syntax::ImportItem&>(item);
        add(SymbolKind::Import, syntax::Name{i.path, i.path_span}, i.span, fmt::format("import \"{}\"", i.path));
        break;
      }
      case ItemKind::Let: {
        auto& l = static_cast<const syntax::LetItem&>(item);
        add(SymbolKind::Let, l.name, l.span, l.type ? fmt::format("let {}: {}", l.name.text, text(l.type->span)) : fmt::format("let {}", l.name.text));
        break;
      }
      case ItemKind::Type: {
        auto& t = static_cast<const syntax::TypeItem&>(item);
        add(SymbolKind::Type, t.name, t.span,
            t.parent ? fmt::format("type {} : {}", t.name.text, t.parent->text) : fmt::format("type {}", t.name.text));
        break;
      }
      case ItemKind::Enum: {
        auto& e = static_cast<const syntax::EnumItem&>(item);
        std::string values;
        for (const auto& v : e.values) values += (values.empty() ? "" : ", ") + v.text;
        uint32_t parent = add(SymbolKind::Enum, e.name, e.span, fmt::format("enum {} {{ {} }}", e.name.text, values));
        for (const auto& v : e.values)
          add(SymbolKind::EnumValue, v, v.span, fmt::format("{} (enum {})", v.text, e.name.text), parent, e.name.text);
        break;
      }
      case ItemKind::Template: {
        auto& t = static_cast<const syntax::TemplateItem&>(item);
        std::string params;
        for (const auto& p : t.params)
          params += fmt::format("{}{}: {}", params.empty() ? "" : ", ", p.name.text, p.type ? text(p.type->span) : "?");
        uint32_t parent = add(SymbolKind::Template, t.name, t.span,
                              fmt::format("template {}({}) {}", t.name.text, params, syntax::decl_kind_name(t.decl_kind)));
        for (const auto& p : t.params)
          add(SymbolKind::Param, p.name, p.name.span,
              fmt::format("{}: {} (parameter of `{}`)", p.name.text, p.type ? text(p.type->span) : "?", t.name.text), parent,
              t.name.text);
        break;
      }
      case ItemKind::Decl: {
        auto& d = static_cast<const syntax::DeclItem&>(item);
        std::string detail(syntax::decl_kind_name(d.decl_kind));
        if (d.source) detail += fmt::format(" = {}{}", d.source->text, d.has_args ? "(...)" : "");
        add(decl_symbol_kind(d.decl_kind), d.name, d.span, std::move(detail));
        break;
      }
    }
  }

  const Program& program_;
  Index& index_;
  bool stdlib_ = false;
  SymbolTable table_;
};

bool inside(Span s, std::span<const Span> decls) {
  for (const Span& d : decls)
    if (s.file == d.file && d.begin <= s.begin && s.end <= d.end) return true;
  return false;
}

/// Keeps the items of `list` outside `old_decls`, then adds those of `more`
/// inside `new_decls`.
template <class T>
void replace_inside(std::vector<T>& list, std::span<const Span> old_decls, std::vector<T>&& more,
                    std::span<const Span> new_decls) {
  std::erase_if(list, [&](const T& x) { return inside(x.span, old_decls); });
  for (T& x : more)
    if (inside(x.span, new_decls)) list.push_back(std::move(x));
}

}  // namespace

std::string_view SymbolTable::key(SymbolKind kind, std::string_view scope, std::string_view name) const {
  key_.clear();
  key_ += static_cast<char>('A' + static_cast<int>(kind));
  key_ += scope;
  key_ += '\0';
  key_ += name;
  return key_;
}

void SymbolTable::add(SymbolKind kind, std::string_view scope, std::string_view name, uint32_t at) {
  by_key_.try_emplace(std::string(key(kind, scope, name)), at);
}

uint32_t SymbolTable::find(SymbolKind kind, std::string_view scope, std::string_view name) const {
  auto it = by_key_.find(key(kind, scope, name));
  return it == by_key_.end() ? UINT32_MAX : it->second;
}

Index build_index(const Program& program, Recorded&& recorded, SymbolTable* keep) {
  Index index;
  Symbols symbols(program, index);
  for (size_t i = 0; i < program.files.size(); ++i)
    symbols.file(*program.files[i], i < program.is_stdlib.size() && program.is_stdlib[i]);
  index.refs.reserve(recorded.refs.size());
  for (const auto& r : recorded.refs)
    if (uint32_t s = symbols.find(r.kind, r.scope, r.name); s != UINT32_MAX) index.refs.push_back(Reference{r.span, s});
  index.fields = std::move(recorded.fields);
  index.expected = std::move(recorded.expected);
  index.finish();
  if (keep) *keep = symbols.take_table();
  return index;
}

void update_index(Index& index, const Program& program, const SymbolTable& table, Recorded&& recorded,
                  std::span<const EditedFile> edited) {
  Index fresh;
  Index::InFile more;
  for (const auto& r : recorded.refs)
    if (uint32_t s = table.find(r.kind, r.scope, r.name); s != UINT32_MAX) more.refs.push_back(Reference{r.span, s});
  more.fields = std::move(recorded.fields);
  more.expected = std::move(recorded.expected);
  for (const EditedFile& e : edited) {
    // The file's symbols, read again: the same names in the same order (the
    // edit declares what was declared), at their new places.
    Index mine;
    Symbols symbols(program, mine);
    symbols.file(*program.files[e.file], program.is_stdlib[e.file]);
    auto first = std::ranges::find_if(index.symbols, [&](const Symbol& s) { return s.name_span.file == e.id; });
    auto at = static_cast<uint32_t>(first - index.symbols.begin());
    for (size_t i = 0; i < mine.symbols.size() && first + static_cast<std::ptrdiff_t>(i) != index.symbols.end(); ++i) {
      Symbol& s = mine.symbols[i];
      if (s.parent != UINT32_MAX) s.parent += at;
      index.symbols[at + i] = std::move(s);
    }
    if (e.id.value >= index.by_file.size()) index.by_file.resize(e.id.value + 1);
    Index::InFile& f = index.by_file[e.id.value];
    replace_inside(f.refs, e.old_decls, std::vector<Reference>(more.refs), e.new_decls);
    replace_inside(f.fields, e.old_decls, std::vector<FieldUse>(more.fields), e.new_decls);
    replace_inside(f.expected, e.old_decls, std::vector<Expectation>(more.expected), e.new_decls);
  }
}

}  // namespace claw::sema::detail
