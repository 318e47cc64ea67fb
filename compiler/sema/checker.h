// The checker's state, shared by the files of sema/. Private to sema/.
#pragma once

#include <array>
#include <deque>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "compiler/diag/diagnostic.h"
#include "compiler/sema/check.h"
#include "compiler/sema/value.h"

namespace claw::sema::detail {

using syntax::Block;
using syntax::DeclItem;
using syntax::Expr;
using syntax::Member;

/// Names bound while evaluating: template parameters.
struct Env {
  const Env* parent = nullptr;
  std::vector<std::pair<std::string, Value>> vars;
  const Value* find(std::string_view name) const;
};

/// A block member seen `depth` keys into its path (`a.b.c = 1` at depth 1 is
/// `b.c = 1`), evaluated in `env`.
struct MemberRef {
  const Member* m;
  size_t depth;
  const Env* env;
};

/// The members that set one key of a record or map, by form.
struct Group {
  std::string_view key;
  Span key_span;
  std::span<const MemberRef> assigns;   // key = value
  std::span<const MemberRef> subs;      // key.more = ..., key { ... } contents
  std::span<const MemberRef> labelled;  // key label ...
};

/// A block's members grouped by key, and the space grouping works in. Kept
/// from one block to the next (one per nesting level), so that checking
/// allocates here only for a block larger than any before it.
struct Grouped {
  std::vector<MemberRef> refs;  // ordered by group, then form
  std::vector<Group> groups;    // in order of first appearance
  struct Tagged {
    uint32_t group;
    uint8_t form;  // 0 assign, 1 sub, 2 labelled
    MemberRef ref;
  };
  std::vector<Tagged> tagged;
  std::vector<std::pair<std::string_view, Span>> keys;
  std::vector<uint32_t> start, fill;
  std::vector<char> set;  // by field: whether a record's block sets it
};

struct DeclInfo {
  const DeclItem* item;
  Value value;  // the evaluated record, after check_decls
  uint32_t index = 0;  // position in its model vector
};

struct LetInfo {
  const syntax::LetItem* item;
  int state = 0;  // 0 unvisited, 1 evaluating, 2 done
  Value value;
};

class Checker {
 public:
  Checker(const Program& program, diag::Sink& sink);
  Model run();
  /// The types, enums and records, moved out (their addresses stay): the
  /// model's value trees point into them, so the model keeps them.
  std::shared_ptr<const void> take_types() {
    struct Store {
      std::deque<Type> types;
      std::deque<EnumDef> enums;
      std::deque<RecordDef> records;
    };
    return std::make_shared<const Store>(Store{std::move(types_), std::move(enums_), std::move(records_)});
  }

  // ---- declarations (checker_decls.cpp)
  void collect();
  void resolve_records();
  const Type* resolve_type(const syntax::TypeExpr* t);
  void check_templates();
  /// Checks one declaration (name, then body) into info.value.
  void check_one(DeclInfo& info, RefKind kind);
  Value check_decl(const DeclItem* d);
  /// The schema `chart NAME = TYPE` / `resource NAME = TYPE` names: a record
  /// extending `base`; nullptr, reported, when TYPE is not one.
  const RecordDef* typed_schema(const DeclItem* d, const RecordDef* base, bool& incomplete);
  void report_unused_templates();
  /// The schema of each kind of declaration (`service`: the record type
  /// `service`), looked up once, after collect().
  void find_schemas();
  const RecordDef* schema_for(syntax::DeclKind kind) const;

  // ---- expressions and blocks (checker_eval.cpp)
  Value eval(const Expr* e, const Type* expected, const Env* env);
  Value eval_members(std::span<const MemberRef> members, const Type* expected, Span owner, bool incomplete);
  Value eval_record(std::span<const MemberRef> members, const RecordDef* rec, Span owner, bool incomplete);
  Value coerce(Value v, const Type* expected, Span at);
  Value default_value(const RecordDef* rec, int field);
  Value eval_let(LetInfo& let, Span use);

  // ---- the model and the network (checker_model.cpp)
  // Each reads one checked declaration and appends it to the model; the
  // references it needs (by name) were resolved when it was checked.
  void lower_role(const DeclInfo& info, Model& m);
  void lower_machine(const DeclInfo& info, Model& m);
  void lower_secret(const DeclInfo& info, Model& m);
  void lower_workload(const DeclInfo& info, Model& m);
  void lower_chart(const DeclInfo& info, Model& m);
  void lower_resource(const DeclInfo& info, Model& m);  // checker_resources.cpp
  void lower_cluster(const DeclInfo& info, Model& m);
  void check_network(const Model& model);

  diag::Diagnostic& report(diag::Kind kind, Span span, std::string message) {
    return sink_.report(kind, span, std::move(message));
  }

  const Program& program_;
  diag::Sink& sink_;

  std::deque<Type> types_;
  std::deque<EnumDef> enums_;
  std::deque<RecordDef> records_;
  std::unordered_map<std::string, const Type*> builtin_types_;
  std::unordered_map<std::string, const Type*> named_types_;  // user and stdlib enums / records
  std::unordered_map<std::string, const syntax::TypeItem*> type_items_;
  std::unordered_map<const RecordDef*, const syntax::TypeItem*> record_items_;
  std::unordered_map<std::string, LetInfo> lets_;
  std::unordered_map<std::string, const syntax::TemplateItem*> templates_;
  std::unordered_map<std::string, bool> template_used_;
  // Each record type's field defaults, evaluated on first use (the map's
  // nodes, and so the tables, stay put as it grows).
  std::unordered_map<const RecordDef*, std::vector<std::optional<Value>>> default_cache_;
  std::vector<std::optional<Value>>& defaults_of(const RecordDef* rec);
  std::array<const RecordDef*, static_cast<size_t>(syntax::DeclKind::Resource) + 1> schemas_{};
  std::vector<std::unique_ptr<Grouped>> grouped_;  // by block nesting level
  size_t grouped_depth_ = 0;                       // levels in use

  // Declarations by namespace, in source order.
  std::vector<DeclInfo> clusters_, machines_, roles_, workloads_, charts_, secrets_, resources_;
  std::unordered_map<std::string, uint32_t> machine_names_, role_names_, workload_names_, chart_names_, secret_names_,
      resource_names_;

  std::vector<DeclInfo>& decls(RefKind kind);
  std::unordered_map<std::string, uint32_t>* names(RefKind kind);

  const Type* make_type(Type t) {
    types_.push_back(std::move(t));
    return &types_.back();
  }
  const Type* error_type() const { return error_type_; }
  const Type* any_type() const { return any_type_; }
  const Type* error_type_ = nullptr;
  const Type* any_type_ = nullptr;
  int depth_ = 0;  // evaluation depth, bounded
  const syntax::LetItem* current_let_ = nullptr;  // the let being evaluated, for hints
  std::string default_namespace_ = "default";     // the cluster's namespace
};

/// RefKind of a declaration kind.
RefKind ref_kind_of(syntax::DeclKind kind);

/// Validates a Kubernetes object name (DNS-1123 label); returns the reason it
/// is invalid, or an empty string.
std::string dns_label_problem(std::string_view name);

/// Validates a Kubernetes label key (`[prefix/]name`); returns the reason it
/// is invalid, or an empty string.
std::string label_key_problem(std::string_view key);

}  // namespace claw::sema::detail
