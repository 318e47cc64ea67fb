// The position lookups of sema's index.
#include "compiler/sema/index.h"

#include <algorithm>
#include <span>
#include <tuple>

namespace claw::sema {

std::string_view symbol_kind_name(SymbolKind kind) {
  switch (kind) {
    case SymbolKind::Cluster: return "cluster";
    case SymbolKind::Machine: return "machine";
    case SymbolKind::Role: return "role";
    case SymbolKind::Workload: return "workload";
    case SymbolKind::Chart: return "chart";
    case SymbolKind::Secret: return "secret";
    case SymbolKind::Resource: return "resource";
    case SymbolKind::Template: return "template";
    case SymbolKind::Let: return "let";
    case SymbolKind::Type: return "type";
    case SymbolKind::Enum: return "enum";
    case SymbolKind::EnumValue: return "enum value";
    case SymbolKind::Param: return "parameter";
    case SymbolKind::Import: return "import";
  }
  return "name";
}

SymbolKind symbol_kind_of(RefKind kind) {
  switch (kind) {
    case RefKind::Cluster: return SymbolKind::Cluster;
    case RefKind::Machine: return SymbolKind::Machine;
    case RefKind::Role: return SymbolKind::Role;
    case RefKind::Workload: return SymbolKind::Workload;
    case RefKind::Chart: return SymbolKind::Chart;
    case RefKind::Secret: return SymbolKind::Secret;
    case RefKind::Resource: return SymbolKind::Resource;
  }
  return SymbolKind::Workload;
}

namespace {

bool holds(Span s, source::FileId file, uint32_t offset) {
  return s.file == file && s.begin <= offset && offset <= s.end;
}

/// Moves each item of `v` into its file's list of `files`, keeping their
/// order within each file.
template <class T>
void distribute(std::vector<T>& v, std::vector<Index::InFile>& files, std::vector<T> Index::InFile::*list) {
  for (T& x : v) {
    if (x.span.file.value >= files.size()) files.resize(x.span.file.value + 1);
    (files[x.span.file.value].*list).push_back(std::move(x));
  }
  v.clear();
  v.shrink_to_fit();
}

/// The item of `items` with the shortest span holding the offset (the
/// innermost; the first of equals), or nullptr.
template <class T>
const T* innermost(std::span<const T> items, source::FileId file, uint32_t offset) {
  const T* best = nullptr;
  for (const T& x : items)
    if (holds(x.span, file, offset) && (!best || x.span.end - x.span.begin < best->span.end - best->span.begin)) best = &x;
  return best;
}

}  // namespace

void Index::finish() {
  distribute(refs, by_file, &InFile::refs);
  distribute(fields, by_file, &InFile::fields);
  distribute(expected, by_file, &InFile::expected);
}

const Index::InFile& Index::in(source::FileId file) const {
  static const InFile kNone;
  return file.value < by_file.size() ? by_file[file.value] : kNone;
}

const Symbol* Index::declared_at(source::FileId file, uint32_t offset) const {
  for (const auto& s : symbols)
    if (holds(s.name_span, file, offset)) return &s;
  return nullptr;
}

const Reference* Index::ref_at(source::FileId file, uint32_t offset) const {
  return innermost(std::span<const Reference>(in(file).refs), file, offset);
}

const FieldUse* Index::field_at(source::FileId file, uint32_t offset) const {
  return innermost(std::span<const FieldUse>(in(file).fields), file, offset);
}

const Expectation* Index::expected_at(source::FileId file, uint32_t offset) const {
  // Of equal spans, the last recorded: a block's own expectation comes after
  // the one its owner recorded for it.
  const Expectation* best = nullptr;
  for (const auto& e : in(file).expected)
    if (holds(e.span, file, offset) && (!best || e.span.end - e.span.begin <= best->span.end - best->span.begin)) best = &e;
  return best;
}

std::vector<const Reference*> Index::refs_to(uint32_t s) const {
  std::vector<const Reference*> out;
  for (const auto& f : by_file)
    for (const auto& r : f.refs)
      if (r.symbol == s) out.push_back(&r);
  // In position order, each once: a template's body is checked once per
  // use, and records its references each time.
  auto key = [](const Reference* r) { return std::tuple(r->span.file.value, r->span.begin, r->span.end); };
  std::ranges::sort(out, {}, key);
  out.erase(std::unique(out.begin(), out.end(), [](const Reference* a, const Reference* b) { return a->span == b->span; }),
            out.end());
  return out;
}

}  // namespace claw::sema
