// Diagnostics as data: a kind from one registry, a severity, a primary span,
// secondary notes with their own spans, hints and an optional fix-it.
// Phases produce them; renderers (text, JSON) format them.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "compiler/source/source.h"

namespace claw::diag {

enum class Severity : uint8_t { Error, Warning, Note };

enum class Kind : uint16_t {
#define X(name, sev, code) name,
#include "compiler/diag/kinds.def"
#undef X
};

/// Number of registered kinds.
size_t kind_count();
/// The stable code of a kind, e.g. "unknown-field" (used by JSON output and tests).
std::string_view kind_code(Kind kind);
/// The default severity a kind is reported with.
Severity kind_severity(Kind kind);
std::string_view severity_name(Severity severity);

/// A secondary location with its own message, e.g. "previous declaration here".
struct Note {
  source::Span span;  // may be invalid for a note without location
  std::string message;
};

/// A suggested replacement of the text under `span`.
struct FixIt {
  source::Span span;
  std::string replacement;
};

struct Diagnostic {
  Kind kind;
  Severity severity;
  std::string message;
  source::Span span;
  std::vector<Note> notes;
  std::vector<std::string> hints;
  std::optional<FixIt> fix;

  Diagnostic& note(source::Span s, std::string m) {
    notes.push_back(Note{s, std::move(m)});
    return *this;
  }
  Diagnostic& hint(std::string h) {
    hints.push_back(std::move(h));
    return *this;
  }
  Diagnostic& fixit(source::Span s, std::string replacement) {
    fix = FixIt{s, std::move(replacement)};
    return *this;
  }
};

/// Creates a diagnostic of `kind` with the kind's default severity.
Diagnostic make(Kind kind, source::Span span, std::string message);

/// Collects diagnostics from one phase or one file. Identical reports (same
/// kind, span and message) are kept once, so a template body checked at every
/// instantiation reports each mistake once.
class Sink {
 public:
  /// Adds a diagnostic and returns it for further notes; returns a scratch
  /// diagnostic (discarded) when it is a duplicate.
  Diagnostic& report(Diagnostic d);
  Diagnostic& report(Kind kind, source::Span span, std::string message) {
    return report(make(kind, span, std::move(message)));
  }
  /// Appends everything from another sink (keeps dedup).
  void absorb(Sink&& other);

  const std::vector<Diagnostic>& all() const { return diags_; }
  std::vector<Diagnostic>& all() { return diags_; }
  size_t error_count() const { return errors_; }
  bool has_errors() const { return errors_ > 0; }
  /// Orders diagnostics by file, position and then report order.
  void sort();

 private:
  std::vector<Diagnostic> diags_;
  std::set<std::tuple<uint16_t, uint32_t, uint32_t, uint32_t, std::string>> seen_;
  Diagnostic scratch_;
  size_t errors_ = 0;
};

/// Edit distance between two names, for did-you-mean suggestions.
size_t edit_distance(std::string_view a, std::string_view b, size_t max = 1000);

/// The candidate closest to `name`, if close enough to be a plausible typo.
std::optional<std::string> did_you_mean(std::string_view name, const std::vector<std::string_view>& candidates);

/// Up to `most` candidates close enough to `name` to be a plausible typo,
/// closest first (ties in the candidates' order).
std::vector<std::string> close_names(std::string_view name, const std::vector<std::string_view>& candidates, size_t most);

/// The most members of a cycle (of imports, of `after`) a diagnostic names,
/// each with its note; a longer cycle is summarised past them, so that a
/// program-long ring is one readable diagnostic rather than megabytes.
inline constexpr size_t kMaxCycleShown = 10;

}  // namespace claw::diag
