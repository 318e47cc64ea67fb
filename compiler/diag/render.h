// Renders diagnostics for people (text with source line and caret) or for
// tools (JSON, one object per diagnostic).
#pragma once

#include <string>
#include <vector>

#include "compiler/diag/diagnostic.h"
#include "compiler/source/source.h"

namespace claw::diag {

struct TextStyle {
  bool color = false;
};

/// `path:line:col: severity: message [code]`, the source line, a caret and
/// underline under the span, then notes and hints.
std::string render_text(const source::SourceManager& sm, const Diagnostic& d, TextStyle style = {});

/// A JSON array with one object per diagnostic (severity, code, message, file,
/// line, column, end_line, end_column, hints, notes, fix).
std::string render_json(const source::SourceManager& sm, const std::vector<Diagnostic>& diags);

/// "2 errors, 1 warning" style summary line; empty when there is nothing.
std::string summary_line(const std::vector<Diagnostic>& diags);

}  // namespace claw::diag
