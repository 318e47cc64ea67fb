// What a check keeps (Program::keep) so that checking an edit of the
// program (check_edit) can take over, unchecked, the machines and workloads
// the edit cannot affect. Private to sema/.
#pragma once

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "compiler/sema/checker.h"

namespace claw::sema::detail {

/// What checking one machine or workload reported, and what it used.
struct Trace {
  std::vector<diag::Diagnostic> diags;     // its check's and lowering's
  std::vector<diag::Diagnostic> resolved;  // resolving its references to other workloads' addresses
  DeclUses uses;
};

/// One top-level item of a file, as the kept check saw it. Its views are
/// into the file's tree and text, which FileShape::owner keeps.
struct ItemShape {
  syntax::ItemKind kind;
  syntax::DeclKind decl_kind = syntax::DeclKind::Cluster;  // a Decl's
  std::string_view name;                                   // an import's path
  Span span;
  std::string_view text;
  uint32_t slot = UINT32_MAX;   // a machine's or workload's index in its table (not a duplicate's)
};

/// One file as the kept check saw it.
struct FileShape {
  const syntax::File* tree = nullptr;
  std::shared_ptr<const void> owner;  // keeps the tree and its text alive
  std::string path;
  std::vector<ItemShape> items;
  /// The tables point into this tree: it holds lets, types, templates or
  /// other declarations the full check read, or lets an edit's check
  /// evaluated again; an edit that replaces it keeps it alive.
  bool pinned = false;
};

/// The symbols of an index by kind, scope and name, for resolving what
/// checking records (build_index.cpp), then and after an edit.
class SymbolTable {
 public:
  /// Adds symbol `at`; a duplicate keeps the first, as checking does.
  void add(SymbolKind kind, std::string_view scope, std::string_view name, uint32_t at);
  /// The symbol, or UINT32_MAX. Not for several threads at once.
  uint32_t find(SymbolKind kind, std::string_view scope, std::string_view name) const;

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  /// The key of a symbol in `key_`, which lookups reuse: no allocation each.
  std::string_view key(SymbolKind kind, std::string_view scope, std::string_view name) const;
  std::unordered_map<std::string, uint32_t, Hash, std::equal_to<>> by_key_;
  mutable std::string key_;
};

struct Reuse {
  std::unique_ptr<Tables> tables;  // as the kept check left them: lets, types, templates, declarations
  std::shared_ptr<const void> types;  // the store the tables and the model point into
  std::vector<FileShape> files;       // in the program's order
  std::vector<Trace> machines, workloads;  // by index
  /// What the other declarations reported: before the machines (the
  /// prologue, the cluster, the roles), between machines and workloads (the
  /// secrets), and after the workloads (charts and resources).
  std::vector<diag::Diagnostic> head, middle, tail;
  SymbolTable symbols;
  uint64_t copied = 0;  // Tables::copied after the full check
  /// The trees (and texts) of pinned files edits replaced.
  std::vector<std::shared_ptr<const void>> alive;
  /// What checks of edits left to keep: type stores added to the chain
  /// `types`, and trees pinned by lets evaluated again.
  size_t leftovers = 0;
  bool names_clean = false;  // the last check_object_names reported nothing
  std::string k8s_schema;
};

/// How many leftovers checks of edits may leave (Reuse::leftovers) before
/// the next edit is checked in full, which frees them: the memory an
/// editing session holds stays bounded.
inline constexpr size_t kMaxLeftovers = 64;

/// Fills `reuse` from a full check: its tables (taken from `checker`), the
/// type store, the files' shapes; false when the check cannot be built on
/// (it passed the program's copy bound).
bool keep(const Program& program, Checker& checker, std::shared_ptr<const void> types, Reuse& reuse);

}  // namespace claw::sema::detail
