// Entry point of the semantic phase: every parsed file of a program (the
// stdlib included) in, the checked model and diagnostics out.
#pragma once

#include <vector>

#include "compiler/diag/diagnostic.h"
#include "compiler/sema/model.h"
#include "compiler/source/source.h"
#include "compiler/syntax/ast.h"

namespace claw::sema {

struct Program {
  const source::SourceManager* sources = nullptr;
  /// The stdlib's files first, then the user's, in a stable order.
  std::vector<const syntax::File*> files;
  /// Files whose declarations are the standard schemas (not user network).
  std::vector<bool> is_stdlib;
  /// Threads checking may use: 1 checks in this thread only, 2 or more in
  /// two when there are many workloads, 0 in two when the machine also has
  /// two cores. The result is the same either way.
  unsigned threads = 0;
};

struct CheckResult {
  Model model;
  diag::Sink diags;
};

/// Resolves names, checks types and units, evaluates lets and templates, and
/// checks the network as a whole. Never stops at the first error.
CheckResult check(const Program& program);

}  // namespace claw::sema
