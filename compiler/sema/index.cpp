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

/// Reorders `v` by file, keeping the order within each file (a counting
/// sort: linear, where sorting every key of a large program by position
/// would cost more than the language server's whole check of an edit), and
/// returns where each file's items start.
template <class T>
std::vector<uint32_t> by_file(std::vector<T>& v) {
  uint32_t files = 0;
  for (const T& x : v) files = std::max(files, x.span.file.value + 1);
  std::vector<uint32_t> start(files + 1, 0);
  for (const T& x : v) ++start[x.span.file.value + 1];
  for (size_t i = 1; i < start.size(); ++i) start[i] += start[i - 1];
  std::vector<T> out(v.size());
  std::vector<uint32_t> fill(start.begin(), start.end() - 1);
  for (T& x : v) out[fill[x.span.file.value]++] = std::move(x);
  v = std::move(out);
  return start;
}

/// The items of file `file` in `v`, as `by_file` grouped them.
template <class T>
std::span<const T> in_file(const std::vector<T>& v, const std::vector<uint32_t>& start, source::FileId file) {
  if (file.value + 1 >= start.size()) return {};
  return std::span<const T>(v.data() + start[file.value], start[file.value + 1] - start[file.value]);
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
  ref_start_ = by_file(refs);
  field_start_ = by_file(fields);
  expected_start_ = by_file(expected);
}

const Symbol* Index::declared_at(source::FileId file, uint32_t offset) const {
  for (const auto& s : symbols)
    if (holds(s.name_span, file, offset)) return &s;
  return nullptr;
}

const Reference* Index::ref_at(source::FileId file, uint32_t offset) const {
  return innermost(in_file(refs, ref_start_, file), file, offset);
}

const FieldUse* Index::field_at(source::FileId file, uint32_t offset) const {
  return innermost(in_file(fields, field_start_, file), file, offset);
}

const Expectation* Index::expected_at(source::FileId file, uint32_t offset) const {
  // Of equal spans, the last recorded: a block's own expectation comes after
  // the one its owner recorded for it.
  const Expectation* best = nullptr;
  for (const auto& e : in_file(expected, expected_start_, file))
    if (holds(e.span, file, offset) && (!best || e.span.end - e.span.begin <= best->span.end - best->span.begin)) best = &e;
  return best;
}

std::vector<const Reference*> Index::refs_to(uint32_t s) const {
  std::vector<const Reference*> out;
  for (const auto& r : refs)
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
