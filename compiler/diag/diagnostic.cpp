#include "compiler/diag/diagnostic.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace claw::diag {
namespace {

struct KindInfo {
  std::string_view code;
  Severity severity;
};

constexpr std::array kKinds = {
#define X(name, sev, code) KindInfo{code, Severity::sev},
#include "compiler/diag/kinds.def"
#undef X
};

}  // namespace

size_t kind_count() { return kKinds.size(); }
std::string_view kind_code(Kind kind) { return kKinds[static_cast<size_t>(kind)].code; }
Severity kind_severity(Kind kind) { return kKinds[static_cast<size_t>(kind)].severity; }

std::string_view severity_name(Severity severity) {
  switch (severity) {
    case Severity::Error: return "error";
    case Severity::Warning: return "warning";
    case Severity::Note: return "note";
  }
  return "error";
}

Diagnostic make(Kind kind, source::Span span, std::string message) {
  return Diagnostic{kind, kind_severity(kind), std::move(message), span, {}, {}, {}};
}

Diagnostic& Sink::report(Diagnostic d) {
  auto key = std::make_tuple(static_cast<uint16_t>(d.kind), d.span.file.value, d.span.begin, d.span.end, d.message);
  if (!seen_.insert(std::move(key)).second) {
    scratch_ = std::move(d);
    return scratch_;
  }
  if (d.severity == Severity::Error) ++errors_;
  diags_.push_back(std::move(d));
  return diags_.back();
}

void Sink::absorb(Sink&& other) {
  for (auto& d : other.diags_) report(std::move(d));
  other.diags_.clear();
}

void Sink::sort() {
  std::stable_sort(diags_.begin(), diags_.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::tie(a.span.file.value, a.span.begin) < std::tie(b.span.file.value, b.span.begin);
  });
}

size_t edit_distance(std::string_view a, std::string_view b, size_t max) {
  // Damerau-free Levenshtein over lowercase characters, two rows.
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    size_t best = cur[0];
    for (size_t j = 1; j <= b.size(); ++j) {
      bool same = std::tolower(static_cast<unsigned char>(a[i - 1])) == std::tolower(static_cast<unsigned char>(b[j - 1]));
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (same ? 0 : 1)});
      best = std::min(best, cur[j]);
    }
    if (best > max) return max + 1;
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::vector<std::string> close_names(std::string_view name, const std::vector<std::string_view>& candidates, size_t most) {
  const size_t limit = name.size() <= 3 ? 1 : std::max<size_t>(2, name.size() / 3);
  std::vector<std::pair<size_t, size_t>> near;  // distance, index
  for (size_t i = 0; i < candidates.size(); ++i) {
    if (candidates[i] == name) continue;
    const size_t d = edit_distance(name, candidates[i], limit);
    if (d <= limit) near.emplace_back(d, i);
  }
  std::stable_sort(near.begin(), near.end());
  std::vector<std::string> out;
  for (size_t k = 0; k < near.size() && k < most; ++k) out.emplace_back(candidates[near[k].second]);
  return out;
}

std::optional<std::string> did_you_mean(std::string_view name, const std::vector<std::string_view>& candidates) {
  auto near = close_names(name, candidates, 1);
  if (near.empty()) return std::nullopt;
  return std::move(near[0]);
}

}  // namespace claw::diag
