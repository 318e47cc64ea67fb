// Entry point of the semantic phase: every parsed file of a program (the
// stdlib included) in, the checked model and diagnostics out.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "compiler/diag/diagnostic.h"
#include "compiler/sema/index.h"
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
  /// The compact Kubernetes schema (k8s/openapi.h), read only when a
  /// resource of a core kind or a patch needs it.
  std::string k8s_schema;
  /// Whether to build CheckResult::index (the language server's).
  bool index = false;
};

/// How the declarations of the many kinds (machines, workloads) were
/// shared between the threads: for `--timings`, and for the tests that
/// hold the second thread's work to what one thread does.
struct CheckStats {
  size_t shared = 0;     // declarations of a kind checked on two threads
  size_t by_worker = 0;  // of those, the ones the second thread checked
  size_t rechecked = 0;  // set aside (they needed a let or a default not yet evaluated) and checked again in order
};

struct CheckResult {
  Model model;
  diag::Sink diags;
  CheckStats stats;
  Index index;  // empty unless Program::index
};

/// Resolves names, checks types and units, evaluates lets and templates, and
/// checks the network as a whole. Never stops at the first error.
CheckResult check(const Program& program);

}  // namespace claw::sema
