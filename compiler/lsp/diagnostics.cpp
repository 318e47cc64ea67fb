// diag::Diagnostic → LSP Diagnostic. Hints follow the message on lines of
// their own (as `claw check` prints them); a note without a place joins the
// message, a note with one is related information.
#include "compiler/lsp/diagnostics.h"

#include <fmt/format.h>

#include "compiler/lsp/uri.h"

namespace claw::lsp {
namespace {

/// DiagnosticSeverity: 1 error, 2 warning, 3 information.
int severity(diag::Severity s) {
  switch (s) {
    case diag::Severity::Error: return 1;
    case diag::Severity::Warning: return 2;
    case diag::Severity::Note: return 3;
  }
  return 1;
}

std::string message(const diag::Diagnostic& d) {
  std::string m = d.message;
  for (const auto& n : d.notes)
    if (!n.span.valid()) m += "\nnote: " + n.message;
  for (const auto& h : d.hints) m += "\nhint: " + h;
  return m;
}

nlohmann::json to_lsp(const Analysis& a, const diag::Diagnostic& d) {
  nlohmann::json out = {{"range", a.range(d.span)},
                        {"severity", severity(d.severity)},
                        {"code", std::string(diag::kind_code(d.kind))},
                        {"source", "claw"},
                        {"message", message(d)}};
  nlohmann::json related = nlohmann::json::array();
  for (const auto& n : d.notes)
    if (n.span.valid()) related.push_back({{"location", a.location(n.span)}, {"message", n.message}});
  if (!related.empty()) out["relatedInformation"] = std::move(related);
  return out;
}

}  // namespace

Published publishable(const Analysis& a) {
  Published p;
  for (const auto& d : a.compiled().diags.all()) {
    if (!d.span.valid()) {
      p.unplaced.push_back(fmt::format("claw: {}: {} [{}]", diag::severity_name(d.severity), message(d), diag::kind_code(d.kind)));
      continue;
    }
    auto& list = p.by_uri[uri_from_path(a.path(d.span.file))];
    if (list.is_null()) list = nlohmann::json::array();
    list.push_back(to_lsp(a, d));
  }
  return p;
}

}  // namespace claw::lsp
