// The checker's diagnostics as LSP `Diagnostic`s, grouped by document.
// https://microsoft.github.io/language-server-protocol/specifications/lsp/3.17/specification/#diagnostic
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "compiler/lsp/analysis.h"

namespace claw::lsp {

/// What an analysis reports: diagnostics by document URI, and the messages
/// of those that have no place in any file (a missing stdlib, no files).
struct Published {
  std::map<std::string, nlohmann::json> by_uri;  // each a JSON array of Diagnostic
  std::vector<std::string> unplaced;
};

/// Every diagnostic of `a`: severity, code (the diagnostic kind), message
/// with its hints, range, and each located note as related information.
Published publishable(const Analysis& a);

}  // namespace claw::lsp
