// Entry point of the semantic phase: every parsed file of a program (the
// stdlib included) in, the checked model and diagnostics out.
#pragma once

#include <cstddef>
#include <memory>
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
  /// Whether to keep, in CheckResult::reuse, what checking an edit of this
  /// program may take over unchecked (the language server's).
  bool keep = false;
  /// What keeps each file's tree and text alive, by file (with `keep`: a
  /// later check may hold on to a file an edit replaced).
  std::vector<std::shared_ptr<const void>> owners;
};

/// How the declarations of the many kinds (machines, workloads) were
/// shared between the threads: for `--timings`, and for the tests that
/// hold the second thread's work to what one thread does.
struct CheckStats {
  size_t shared = 0;     // declarations of a kind checked on two threads
  size_t by_worker = 0;  // of those, the ones the second thread checked
  size_t rechecked = 0;  // set aside (they needed a let or a default not yet evaluated) and checked again in order
  size_t reused = 0;     // machines and workloads taken over from the previous check (check_edit) unchecked
};

namespace detail {
struct Reuse;
}

/// What a check of an edit took over from the previous check and what it
/// checked again (check_edit), for placement to tell whether its input
/// changed.
struct Rechecked {
  bool incremental = false;  // false: everything was checked
  std::vector<source::FileId> edited;         // the files the edit changed
  std::vector<uint32_t> machines, workloads;  // the ones checked again, by index
  std::vector<Machine> machines_before;       // as the previous check lowered them, in the same order
  std::vector<Workload> workloads_before;
};

struct CheckResult {
  Model model;
  diag::Sink diags;
  CheckStats stats;
  Index index;  // empty unless Program::index
  std::shared_ptr<detail::Reuse> reuse;  // null unless Program::keep
  Rechecked rechecked;
};

/// Resolves names, checks types and units, evaluates lets and templates, and
/// checks the network as a whole. Never stops at the first error.
CheckResult check(const Program& program);

/// Checks `program`, an edit of the program `previous` checked (with
/// Program::keep), as check() does: same model, diagnostics and index.
/// When the edit declares the same names and changes no declaration other
/// than machines, workloads and lets no other file reads, the machines and
/// workloads the edit cannot affect are taken over from `previous`
/// unchecked (check_edit.cpp says which); else all is checked. `previous`
/// is consumed.
CheckResult check_edit(const Program& program, CheckResult&& previous);

}  // namespace claw::sema
