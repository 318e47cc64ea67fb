// The position lookups of sema's index.
#include "compiler/sema/index.h"

#include <algorithm>
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

auto key(Span s) { return std::tuple(s.file.value, s.begin, s.end); }

template <class T>
void sort_unique(std::vector<T>& v) {
  std::ranges::sort(v, [](const T& a, const T& b) { return key(a.span) < key(b.span); });
  v.erase(std::unique(v.begin(), v.end(), [](const T& a, const T& b) { return a.span == b.span; }), v.end());
}

bool holds(Span s, source::FileId file, uint32_t offset) {
  return s.file == file && s.begin <= offset && offset <= s.end;
}

/// The innermost item of sorted `v` whose span holds the offset.
template <class T>
const T* innermost(const std::vector<T>& v, source::FileId file, uint32_t offset) {
  auto it = std::ranges::upper_bound(v, std::tuple(file.value, offset, UINT32_MAX), {},
                                     [](const T& x) { return key(x.span); });
  const T* best = nullptr;
  // Spans sorted by start: walk back over those starting at or before the
  // offset, in this file, keeping the shortest that holds it.
  while (it != v.begin()) {
    --it;
    if (it->span.file != file) break;
    if (holds(it->span, file, offset) && (!best || it->span.end - it->span.begin < best->span.end - best->span.begin))
      best = &*it;
    if (best && it->span.end < best->span.begin) break;
  }
  return best;
}

}  // namespace

void Index::finish() {
  sort_unique(refs);
  sort_unique(fields);
  std::ranges::stable_sort(expected, [](const Expectation& a, const Expectation& b) { return key(a.span) < key(b.span); });
}

const Symbol* Index::declared_at(source::FileId file, uint32_t offset) const {
  for (const auto& s : symbols)
    if (holds(s.name_span, file, offset)) return &s;
  return nullptr;
}

const Reference* Index::ref_at(source::FileId file, uint32_t offset) const { return innermost(refs, file, offset); }

const FieldUse* Index::field_at(source::FileId file, uint32_t offset) const { return innermost(fields, file, offset); }

const Expectation* Index::expected_at(source::FileId file, uint32_t offset) const {
  // Expectations nest (a block in a block) and are few per file: the last
  // holding one of the shortest span is the innermost.
  const Expectation* best = nullptr;
  for (const auto& e : expected)
    if (holds(e.span, file, offset) && (!best || e.span.end - e.span.begin <= best->span.end - best->span.begin)) best = &e;
  return best;
}

std::vector<const Reference*> Index::refs_to(uint32_t s) const {
  std::vector<const Reference*> out;
  for (const auto& r : refs)
    if (r.symbol == s) out.push_back(&r);
  return out;
}

}  // namespace claw::sema
