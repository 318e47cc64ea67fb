// The checker's state, shared by the files of sema/. Private to sema/.
#pragma once

#include <algorithm>
#include <array>
#include <atomic>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <thread>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "compiler/diag/diagnostic.h"
#include "compiler/k8s/names.h"
#include "compiler/k8s/openapi.h"
#include "compiler/sema/check.h"
#include "compiler/sema/pod_model.h"
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
  std::string_view owner;  // the template whose parameters these are
  const Value* find(std::string_view name) const;
  /// The template whose parameter `name` is, for the index.
  std::string_view owner_of(std::string_view name) const;
};

/// What one checker records for the index (sema/index.h) as it checks:
/// references by kind and name, resolved to symbols once checking is done
/// (build_index.cpp), and field keys and expectations as they are.
struct Recorded {
  struct Ref {
    Span span;
    SymbolKind kind;
    std::string_view name;
    std::string_view scope;  // an enum value's enum, a parameter's template
  };
  std::vector<Ref> refs;
  std::vector<FieldUse> fields;
  std::vector<Expectation> expected;
  void absorb(Recorded&& other);
};

struct SymbolTable;

/// The index of a checked program: its symbols, from the syntax of its
/// files, and what checking recorded, resolved to them; with `keep`, the
/// symbols' table, for update_index.
Index build_index(const Program& program, Recorded&& recorded, SymbolTable* keep = nullptr);

/// A file an edit changed, and the spans of its machines and workloads
/// before and after: what is recorded inside them is replaced.
struct EditedFile {
  size_t file;  // in Program::files
  source::FileId id;
  std::vector<Span> old_decls, new_decls;
};

/// `index`, of the program before an edit, brought up to the program
/// after: the edited files' symbols read again, and what is recorded inside
/// their machines and workloads replaced by `recorded`'s (what checking them
/// again recorded), resolved by `table`.
void update_index(Index& index, const Program& program, const SymbolTable& table, Recorded&& recorded,
                  std::span<const EditedFile> edited);

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
  std::vector<std::pair<std::string_view, Span>> labels;  // a labelled group's labels so far
  std::vector<std::pair<uint32_t, const syntax::Block*>> blocks;  // `key { ... }`: the group and the block, kept only for the index
};

struct DeclInfo {
  const DeclItem* item;
  Value value;  // the evaluated record, after check_decls
  uint32_t index = 0;  // position in its model vector
};

struct LetInfo {
  const syntax::LetItem* item = nullptr;
  /// 0 unvisited, 1 evaluating, 2 done: set to 2, with release, once value
  /// is final, so that a worker (see Checker) may read value after it.
  std::atomic<int> state = 0;
  Value value;
  /// How many levels below its use evaluating it went, counting the
  /// heights of the lets it used: what using it costs of kMaxDepth, however
  /// shallow the stack is when it is used (see Checker::fits).
  int height = 0;
};

/// A field's default, evaluated once before any declaration is checked
/// (Checker::evaluate_eagerly) and then fixed. Published, like a let, by
/// setting `ready` once value is final.
struct DefaultSlot {
  std::atomic<bool> ready = false;
  Value value;
  int height = 0;  // as LetInfo::height
};

/// What checking builds before it checks declarations, and reads while it
/// checks them: the types, the names, the declarations. Checkers that share
/// them (a worker beside the main checker) only read them; lets and field
/// defaults are evaluated by the main checker, before any worker starts.
struct Tables {
  std::deque<EnumDef> enums;
  std::deque<RecordDef> records;
  /// The enums and records wherever they are: here while the prologue makes
  /// them, in the type store once it holds them (Checker::take_types), where
  /// the check of an edit (check_edit) finds them.
  const std::deque<EnumDef>* all_enums = &enums;
  const std::deque<RecordDef>* all_records = &records;
  std::unordered_map<std::string, const Type*> builtin_types;
  std::unordered_map<std::string, const Type*> named_types;  // user and stdlib enums / records
  std::unordered_map<std::string, const syntax::TypeItem*> type_items;
  std::unordered_map<const RecordDef*, const syntax::TypeItem*> record_items;
  std::unordered_map<std::string, LetInfo> lets;
  std::unordered_map<std::string, const syntax::TemplateItem*> templates;
  std::unordered_map<std::string, bool> template_used;
  /// Each checked template's parameter types, resolved once (check_templates)
  /// rather than at every instance.
  std::unordered_map<const syntax::TypeExpr*, const Type*> param_types;
  /// Each record type's field defaults, by field: made for every record
  /// once the records are resolved, and not added to after. (While types
  /// are resolved, a default in use is evaluated anew each time; the sink
  /// drops the repeated diagnostics.)
  std::unordered_map<const RecordDef*, std::vector<DefaultSlot>> default_cache;
  std::array<const RecordDef*, static_cast<size_t>(syntax::DeclKind::Resource) + 1> schemas{};

  // Declarations by namespace, in source order.
  std::vector<DeclInfo> clusters, machines, roles, workloads, charts, secrets, resources;
  std::unordered_map<std::string, uint32_t> machine_names, role_names, workload_names, chart_names, secret_names,
      resource_names;

  const Type* error_type = nullptr;
  const Type* any_type = nullptr;
  /// What the uses of lets and parameters copied so far, by every checker
  /// (see kMaxProgramSize; each adds its count in batches), whether that
  /// passed the bound, and whether that was reported.
  std::atomic<uint64_t> copied = 0;
  std::atomic<bool> copied_past = false;
  std::atomic<bool> copied_reported = false;
  std::string default_namespace = "default";  // the cluster's namespace
  Resources assumed_needs;  // the stdlib's `resources` defaults: what an unset `needs` field is taken to be
};

class Checker;
struct Reuse;
struct Trace;

/// A let an edit's check evaluates again: its declaration after the edit,
/// and where it was before.
struct LetAgain {
  const syntax::LetItem* item;
  Span was;
};

/// What checking one machine or workload read beyond its own text, for
/// telling what an edit affects (check_edit): the templates it
/// instantiated, the machines whose contents it read (NFS exports).
struct DeclUses {
  std::vector<std::string> templates;
  std::vector<uint32_t> machines;
};

/// What a Worker does: check the many kinds of declaration, or a task.
enum class Job { Machines, Workloads, Task };

/// A thread that checks machines and then workloads beside the main one
/// (see checker_parallel.cpp). Made before the declarations are collected,
/// and waiting for its work: a thread started while this one is busy taking
/// memory from the system can take milliseconds to run; a waiting one
/// wakes in microseconds.
class Worker {
 public:
  /// A declaration the worker checked and lowered, with what it reported.
  template <class Lowered>
  struct Done {
    Lowered lowered;
    std::vector<diag::Diagnostic> diags;
    DeclUses uses;  // with Program::keep
    bool settled = false;
  };

  explicit Worker(Checker& main);
  ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  /// Whether there is a thread (the program may use two).
  bool available() const { return thread_.joinable(); }
  /// Checks and lowers the declarations [from, to) of the job's kind in
  /// order, reading m (what is lowered before them), until it meets the
  /// main thread taking them from the back.
  void start(Job job, size_t from, size_t to, const Model& m);
  /// Runs `task` on the worker's thread; wait() waits for it.
  void start(std::function<void()> task);
  /// The last declaration neither has taken yet, for the main thread;
  /// false once they have met.
  bool take_back(size_t& i) { return take(i, true); }
  /// Waits until the job is done. Then machines_ or workloads_ holds the
  /// declarations it took (from `from` on, in order), and marked_ the
  /// templates its settled ones use.
  void wait();

  std::vector<Done<Machine>> machines_;
  std::vector<Done<Workload>> workloads_;
  std::vector<std::string> marked_;
  Recorded recorded_;  // for the index, when the program asks for one

 private:
  bool take(size_t& i, bool back);
  void work();
  enum { kIdle, kBusy, kQuit };
  Checker& main_;
  Job job_ = Job::Machines;
  std::function<void()> task_;
  const Model* model_ = nullptr;
  std::atomic<uint64_t> open_ = 0;  // the declarations not yet taken: [low half, high half)
  std::atomic<int> state_ = kIdle;
  std::jthread thread_;  // last: joined before the rest goes
};

/// Checks a program. The main checker builds the tables and checks the
/// declarations in order; a worker, sharing its tables, checks some of the
/// machines and workloads at the same time (see check_shared).
class Checker {
 public:
  Checker(const Program& program, diag::Sink& sink);
  /// A checker of an edit (check_edit): over the tables a kept check left,
  /// its lets and types evaluated.
  Checker(const Program& program, diag::Sink& sink, Tables& tables);
  /// A worker: reads main's tables, and stops short of every let and field
  /// default main has not yet evaluated (see `frozen_`). Its sink is set
  /// for each declaration.
  explicit Checker(Checker& main);
  Model run();
  /// Keeps in `reuse` what checking an edit of the program may take over
  /// (Program::keep); run() fills it.
  void keep_in(Reuse& reuse) { reuse_ = &reuse; }
  /// Evaluates `lets` again, then checks again, into `m` (the model the
  /// kept check made), the machines and workloads `machines` and
  /// `workloads` name (each in `reuse`'s tables, pointing at its
  /// declaration after the edit), and the checks of the whole network;
  /// takes over what the others reported. The object names are checked
  /// again unless the last check found none clashing and no workload
  /// checked again names other objects or reads other secrets than it did
  /// (`workloads_before`, in the order of `workloads`).
  void run_edit(Model& m, Reuse& reuse, const std::vector<uint32_t>& machines, const std::vector<uint32_t>& workloads,
                std::span<const LetAgain> lets, std::span<const Workload> workloads_before);
  const CheckStats& stats() const { return stats_; }
  /// What was recorded for the index, moved out (empty unless asked for).
  Recorded take_recorded() { return recorded_ ? std::move(*recorded_) : Recorded{}; }
  /// The index run() built (Program::index), moved out.
  Index take_index() { return std::move(index_); }
  /// The types, enums and records, moved out (their addresses stay): the
  /// model's value trees point into them, so the model keeps them.
  /// `older`: a store these types may point into, kept as long as they are.
  std::shared_ptr<const void> take_types(std::shared_ptr<const void> older = nullptr) {
    struct Store {
      std::deque<Type> types;
      std::deque<EnumDef> enums;
      std::deque<RecordDef> records;
      std::shared_ptr<const void> older;
    };
    auto store = std::make_shared<const Store>(
        Store{std::move(types_), std::move(tables_.enums), std::move(tables_.records), std::move(older)});
    if (tables_.all_enums == &tables_.enums) {
      tables_.all_enums = &store->enums;
      tables_.all_records = &store->records;
    }
    return store;
  }
  /// The tables, moved out (the main checker's; null for others).
  std::unique_ptr<Tables> take_tables() { return std::move(own_tables_); }
  /// Whether the types made while checking are none (check_edit).
  bool made_no_types() const { return types_.empty(); }

  // ---- declarations (checker_decls.cpp)
  void collect();
  void resolve_records();
  const Type* resolve_type(const syntax::TypeExpr* t);
  void check_templates();
  /// The type of a template's parameter (Tables::param_types).
  const Type* param_type(const syntax::Param& p);
  /// Checks one declaration (name, then body) into info.value.
  void check_one(DeclInfo& info, RefKind kind);
  Value check_decl(const DeclItem* d);
  /// The schema `chart NAME = TYPE` / `resource NAME = TYPE` names: a record
  /// extending `base`; nullptr, reported, when TYPE is not one.
  const RecordDef* typed_schema(const DeclItem* d, const RecordDef* base, bool& incomplete);
  void mark_template_used(const std::string& name);
  void report_unused_templates();
  /// The schema of each kind of declaration (`service`: the record type
  /// `service`), looked up once, after collect().
  void find_schemas();
  const RecordDef* schema_for(syntax::DeclKind kind) const;
  /// Checks and lowers `list`, declarations of the job's kind, into `out`
  /// (m's machines or workloads), sharing them with `worker` when there are
  /// many (checker_parallel.cpp).
  template <class Lowered>
  void check_shared(Job job, std::vector<DeclInfo>& list, std::vector<Lowered>& out, Model& m, Worker& worker);
  /// Checks one machine or workload, and lowers it into `out` unless it is
  /// unsettled.
  void check_and_lower(DeclInfo& info, Machine& out, const Model& m);
  void check_and_lower(DeclInfo& info, Workload& out, const Model& m);
  /// check_and_lower, frozen, into a sink of its own: whether the
  /// declaration settled, and if so, in `diags`, what it reported.
  template <class Lowered>
  bool check_aside(DeclInfo& info, Lowered& out, const Model& m, std::vector<diag::Diagnostic>& diags,
                   DeclUses* uses = nullptr);
  /// check_and_lower into a sink of its own, keeping in `trace` what it
  /// reported (and reporting it) and what it used.
  template <class Lowered>
  void check_traced(DeclInfo& info, Lowered& out, const Model& m, Trace& trace);
  /// What the main thread checked aside, from the back.
  struct Aside {
    bool settled;
    std::vector<diag::Diagnostic> diags;
    DeclUses uses;
  };
  /// Takes in, in order, the declarations check_shared checked aside from
  /// `first` on: the worker's, then main's; checks the unsettled again.
  template <class Lowered>
  void take_in(std::vector<DeclInfo>& list, std::vector<Lowered>& out, size_t first,
               std::vector<Worker::Done<Lowered>>& by_worker, std::vector<Aside>& back, const Model& m);

  // ---- expressions and blocks (checker_eval.cpp)
  Value eval(const Expr* e, const Type* expected, const Env* env);
  /// What eval expects of an expression, for its handlers (handle_*.cpp).
  struct Want {
    const Type* type;  // null: inferred
    TypeKind kind;
    bool infer;
    const Env* env;
  };
  /// Reports that `e` is not of type `expected`, being `found`; poison.
  Value mismatch(const Expr* e, const Type* expected, std::string_view found);
  // handle_literals.cpp
  Value eval_int(const Expr* e, const Want& w);
  Value eval_float(const Expr* e, const Want& w);
  Value eval_quantity(const Expr* e, const Want& w);
  Value eval_string(const Expr* e, const Want& w);
  Value eval_bool(const Expr* e, const Want& w);
  Value eval_null(const Expr* e, const Want& w);
  // handle_names.cpp
  Value eval_ref(const Expr* e, const Want& w);
  Value eval_field(const Expr* e, const Want& w);
  Value eval_index(const Expr* e, const Want& w);
  // handle_aggregates.cpp
  Value eval_typed_record(const Expr* e, const Want& w);
  Value eval_list(const Expr* e, const Want& w);
  Value eval_block(const Expr* e, const Want& w);
  // handle_arithmetic.cpp
  Value eval_unary(const Expr* e, const Want& w);
  Value eval_binary(const Expr* e, const Want& w);
  /// A call of a builtin function (tcp, http, grpc, exec, secret, env,
  /// file), against `expected` (nullptr: inferred); see handle_call.cpp.
  Value eval_call(const syntax::CallExpr* c, const Type* expected, const Env* env);
  Value eval_members(std::span<const MemberRef> members, const Type* expected, Span owner, bool incomplete);
  /// One key of an open record that no field is named for: its value, of
  /// the rest field's `map_type`'s element type (see RecordDef::rest).
  Value eval_rest(const Group& g, const Type* map_type, bool incomplete);
  Value eval_record(std::span<const MemberRef> members, const RecordDef* rec, Span owner, bool incomplete);
  Value coerce(Value v, const Type* expected, Span at);
  /// `v`, the value `written` gave env or chart key `key`, or poison and an
  /// `inline-secret` error when the key holds a secret and `v` is a literal
  /// that could be one (checker_secrets.cpp).
  Value refuse_inline_secret(std::string_view key, const syntax::Expr* written, Value v, bool env);
  Value default_value(const RecordDef* rec, int field);
  Value eval_let(LetInfo& let, Span use);
  /// Evaluates every field default and every let, in source order, before
  /// any declaration is checked (checker_eval.cpp).
  void evaluate_eagerly();
  /// Counts `v`, copied by a use of a let or parameter at `at`, against the
  /// program's bound; false once past it (reported once, by the main checker).
  bool count_copy(const Value& v, Span at);
  uint64_t copied_ = 0;  // counted here, not yet added to tables_.copied

  // ---- the model and the network (checker_model.cpp)
  // Each reads one checked declaration and appends it to the model; the
  // references it needs (by name) were resolved when it was checked.
  void lower_role(const DeclInfo& info, Model& m);
  /// Lowers into `x`, the machine's place; reads m's roles.
  void lower_machine(const DeclInfo& info, Machine& x, const Model& m);
  void lower_secret(const DeclInfo& info, Model& m);
  /// Lowers into `w`, the workload's place (m.workloads[info.index] once
  /// the workloads are all in place); reads m's machines.
  void lower_workload(const DeclInfo& info, Workload& w, const Model& m);
  void lower_chart(const DeclInfo& info, Model& m);
  // ---- volumes (lower_volumes.cpp) and pod settings (lower_pod.cpp)
  /// Lowers one `volume` entry (its name already set) and checks its kind.
  void lower_volume(const Value& x, Volume& vol, const Model& m);  // lower_volumes.cpp
  /// Sets vol.kind from the one kind field set, and reports fields that do
  /// not apply to it; false when the kind is missing or bad.
  bool lower_volume_kind(const Value& x, Volume& vol);
  /// A `secret` or `config-map` volume: its source, keys and mode.
  void lower_files(const Value& x, Volume& vol);
  /// An `nfs` volume: a declared machine's export, or "server:/path".
  void lower_nfs(const Value& x, Volume& vol, const Model& m);
  /// Lowers the pod settings few workloads set into `w.extras` (after its
  /// env and volumes), and `w.tolerate_all`.
  void lower_extras(const Value& v, Workload& w);
  /// Lowers the `sidecar` or `init` containers of `w` into x.containers
  /// (lower_containers.cpp), checking their names and mounts.
  void lower_containers(const Value& list, bool sidecar, const Workload& w, PodExtras& x);
  /// Reports a container named like the main one or another of the pod's.
  void check_container_name(const ExtraContainer& e, const Workload& w, const PodExtras& x);
  /// The positions in w.volumes of the volumes `mounts` names.
  void lower_mounts(const Value& mounts, const Workload& w, std::vector<size_t>& out);
  /// Extra labels, none of them claw's own.
  void lower_labels(const Value& labels, const Workload& w, PodExtras& x);
  /// Warns of a `shared` ReadWriteOnce claim whose replicas may land on
  /// several machines (lower_extras calls it, after `on` is lowered).
  void check_shared_claims(const Workload& w);
  std::optional<Security> lower_security(const Value& s, bool pod_level);
  std::optional<Probe> lower_hook(const Value& v, std::string_view field, const Workload& w);
  void lower_env_vars(const Value& env, std::vector<EnvVar>& out);
  bool one_source(const Value& r, std::string_view what, std::string& name, bool& config_map);
  /// Lowers `env-ref` and `env-from` (of a workload or an extra container
  /// whose `env` is `env`).
  void lower_env_sources(const Value& refs, const Value& from, const std::vector<EnvVar>& env,
                         std::vector<EnvRef>& out_refs, std::vector<EnvSource>& out_from);
  void lower_resource(const DeclInfo& info, Model& m);  // checker_resources.cpp
  // lower_resources.cpp: requests, limits and reserves.
  void assume_needs();
  void lower_reserved(const Value& v, Machine& x);
  void lower_requests(const Value& needs, const Value& limits, Workload& w);

  /// Opens the `resource` schema: its keys other than its fields go into
  /// `fields`, the object's other top-level fields (checker_core_resources.cpp).
  void open_resource_schema();
  /// Holds a resource of a core kind to the official schema: its fields,
  /// its spec, its scope (checker_core_resources.cpp).
  void check_core_resource(CustomResource& r, const Value& v);
  /// The official schema, loaded on first use; nullptr, reported at `at`,
  /// when it cannot be read.
  const k8s::OpenApi* openapi(Span at);
  /// Lowers and checks a workload's `patch` (checker_patch.cpp).
  void lower_patch(const Value& patch, Workload& w);
  /// When `key`, unknown in workload record `rec`, is a field of the pod
  /// spec or the container, a hint that sets it through `patch`.
  void hint_patch_field(diag::Diagnostic& d, std::string_view key, const RecordDef& rec);
  void lower_cluster(const DeclInfo& info, Model& m);
  void check_network(const Model& model);
  /// The NVIDIA charts against the cluster's GPU stack (check_gpu_charts.cpp).
  void check_gpu_charts(const Model& model);
  // lower_exposure.cpp
  /// Lowers a workload's Service name and type, host networking and
  /// Ingresses (the older `host` among them) into `w.exposure`.
  void lower_exposure(const Value& v, Workload& w);
  /// Lowers one `ingress KEY { ... }` of `w`.
  Ingress lower_ingress(const Workload& w, std::string_view key, const Value& x, Span key_at);
  /// Reports `name` when `w` has no port of that name, with a did-you-mean.
  void check_port_name(const Workload& w, std::string_view name, Span at);
  /// Lowers the cluster's ingress class, disabled components, data
  /// directory, server flags and GPU stack.
  void lower_k3s_settings(const Value& v, Cluster& c);
  /// The extra k3s flags of a list, each checked by k8s::kK3sArg.
  std::vector<std::string> k3s_args(const Value& list);
  /// Checks annotation keys and their total size; `owner` names the object.
  void check_annotations(const Value& notes, Span fallback, std::string_view owner);
  /// Host ports (host networking's included), node ports, ingress routes
  /// across the network, and ingresses defaulting to a disabled Traefik.
  void check_exposure(const Model& m);
  // workload_refs.cpp
  /// A `ollama.url`-style reference to another workload's address, as a
  /// placeholder resolve_workload_refs replaces; nullopt when `e` is not one.
  std::optional<Value> workload_ref(const syntax::Expr* e, const Env* env);
  /// The workload whose name is closest to `name`, if one is close.
  std::optional<std::string> did_you_mean_workload(std::string_view name) const;
  /// Replaces the placeholders in env values with the addresses they name.
  void resolve_workload_refs(Model& m);
  /// resolve_workload_refs for one workload.
  void resolve_workload_refs(Model& m, Workload& w);

  // ---- Kubernetes names and values (checker_names.cpp)
  /// Reports `value`, written at `at`, when it breaks `rule`, calling it
  /// `what` (the rule's own name when empty); whether it follows the rule.
  bool check_k8s(const k8s::Rule& rule, std::string_view value, Span at, std::string_view what = {},
                 diag::Kind kind = diag::Kind::InvalidName);
  /// check_k8s on a string value at its span; nothing for other values.
  bool check_k8s(const k8s::Rule& rule, const Value& v, std::string_view what = {},
                 diag::Kind kind = diag::Kind::InvalidName);
  /// check_k8s on every key of a map value, each at its own span.
  void check_keys(const k8s::Rule& rule, const Value& map, std::string_view what, Span fallback,
                  diag::Kind kind = diag::Kind::InvalidName);
  /// The fields of a workload whose strings become Kubernetes names, keys
  /// and paths.
  struct WorkloadStrings {
    const Value &namespace_, &ports, &env, &config, &config_at, &volumes, &host, &path, &tolerate;
  };
  /// Checks the names a lowered workload gives its objects, those derived
  /// from its name included, and its keys, paths and tolerations.
  void check_workload_names(const Workload& w, const WorkloadStrings& v, const Model& m);
  /// Checks each mount path of a workload's container, and that no two
  /// volumes (its config files' included) share one.
  void check_mounts(const Workload& w, const WorkloadStrings& v);
  /// Checks the names Kubernetes derives from a workload's: its Service, a
  /// StatefulSet's headless Service and revision label, a CronJob's Jobs,
  /// the PersistentVolumes of the NFS exports it mounts (`vols`, its
  /// `volume` map, gives their spans).
  void check_derived_names(const Workload& w, const Value& vols, const Model& m);
  /// Checks a machine's address, NFS exports and the like (its labels and
  /// taints are checked with its roles', in check_node_labels).
  void check_machine_values(const Machine& x, const Value& v);
  /// Checks the label keys and values of a machine or role, and whether
  /// kubelet takes each key at registration.
  void check_node_labels(const Value& v, Span fallback);
  /// Checks a taint's key and value (its form and effect were checked when
  /// its string was read).
  void check_taint(const Taint& t);
  void check_cluster_values(const Cluster& c, const Value& v);
  void check_secret_values(const Value& v);
  void check_chart_values(const Chart& c, const Value& v);
  /// Checks a chart's `extra` values: each key the values schema does not
  /// know is a warning that names it (it is written unchecked); a key the
  /// schema types, or `extra` on a chart without a schema, is an error.
  void check_chart_extra(const Chart& c);
  /// Reports two objects claw would write with one kind, namespace and
  /// name (a headless Service `db-pods` and the Service of `db-pods`, a
  /// `resource` named like a workload's ConfigMap, ...).
  void check_object_names(const Model& m);
  /// Checks a custom resource's api, kind, namespace, labels and annotations.
  void check_resource_values(const CustomResource& r, const Value& v);

  diag::Diagnostic& report(diag::Kind kind, Span span, std::string message) {
    return sink_->report(kind, span, std::move(message));
  }

  /// For the index (null unless the program asks for one).
  std::unique_ptr<Recorded> recorded_;
  void note_ref(Span at, SymbolKind kind, std::string_view name, std::string_view scope = {}) {
    if (recorded_) recorded_->refs.push_back({at, kind, name, scope});
  }
  void note_field(Span at, const RecordDef* rec, int field) {
    if (recorded_) recorded_->fields.push_back({at, rec, field});
  }
  void note_expected(Span at, const Type* type, const RecordDef* rec = nullptr) {
    if (recorded_) recorded_->expected.push_back({at, type, rec});
  }
  /// Notes group `gi` of `grouped`: its keys set field `fi` of `rec` (when
  /// rec is set), and its blocks are of `type`.
  void note_group(const Grouped& grouped, size_t gi, const Type* type, const RecordDef* rec, int fi);

  const Program& program_;
  diag::Sink* sink_;  // a worker switches it to each declaration's own
  std::unique_ptr<Tables> own_tables_;  // the main checker's
  Tables& tables_;

  std::deque<Type> types_;  // the main checker's also hold the types the tables point to
  std::vector<std::unique_ptr<Grouped>> grouped_;  // by block nesting level
  size_t grouped_depth_ = 0;                       // levels in use
  int depth_ = 0;  // evaluation depth: expressions and blocks being evaluated, at most kMaxDepth
  /// How deep evaluation goes before it stops with nesting-too-deep, so that
  /// no program can exhaust the stack through it.
  static constexpr int kMaxDepth = 200;
  /// The deepest depth_ this evaluation has reached, counting the heights
  /// of the lets and defaults it took already evaluated.
  int reached_ = 0;
  /// Whether `value`, `height` levels deep and used at the current depth,
  /// stays within kMaxDepth (and if so, counts it in reached_); else reports
  /// nesting-too-deep at `use`, naming the let or the field whose default it
  /// is. Bounds values built up through lets evaluated one by one as if they
  /// were evaluated in one go, so that no value is nested deeper than the
  /// emitters and destructors can recurse.
  bool fits(const Value& value, int height, Span use, std::string_view name, bool is_default);
  /// Evaluates `f` (a let's or a default's value) and returns how many
  /// levels below the current depth it went.
  template <class F>
  int measured(F&& f) {
    const int start = depth_, outer = reached_;
    reached_ = depth_;
    f();
    const int height = reached_ - start;
    reached_ = std::max(outer, reached_);
    return height;
  }
  const syntax::LetItem* current_let_ = nullptr;  // the let being evaluated, for hints
  // Above zero while template arguments and parameter defaults are
  // evaluated: a reference to a workload's address is an env value's alone
  // (workload_refs.cpp), never stored in a let or a parameter.
  int refs_blocked_ = 0;

  // A worker is frozen: it must not report what the main checker reports
  // once, in order (the program's copy bound, when passed). It marks the
  // declaration unsettled instead, and the main checker checks it again.
  // (Every let and default is evaluated before a worker starts; should one
  // not be, the worker sets its declaration aside in the same way.)
  bool frozen_ = false;
  bool unsettled_ = false;
  CheckStats stats_;  // the main checker's

  std::vector<std::string> templates_used_;  // a worker's, for main to mark; with traces_, main's too
  std::vector<uint32_t> machines_read_;       // whose contents checking read (DeclUses::machines)
  /// Where templates_used_ and machines_read_ stand, and what was added since.
  std::pair<size_t, size_t> uses_mark() const { return {templates_used_.size(), machines_read_.size()}; }
  DeclUses uses_since(std::pair<size_t, size_t> mark) const;
  void drop_uses_since(std::pair<size_t, size_t> mark);

  Reuse* reuse_ = nullptr;  // with Program::keep
  Index index_;             // with Program::index, once run() is done
  std::vector<Trace>* traces_ = nullptr;  // reuse_'s traces of the kind being checked

  /// The positions in `rec` of the fields `names` (-1 for absent ones), for
  /// lowering: found once per record type and list of names (a static
  /// array, known by its address), and kept per checker. A reference stays
  /// valid while other lists are looked up (a deque never moves its items).
  const std::vector<int>& field_positions(const RecordDef* rec, std::span<const std::string_view> names);
  std::deque<std::tuple<const RecordDef*, const std::string_view*, std::vector<int>>> field_positions_;  // a deque: the references handed out stay valid

  std::vector<DeclInfo>& decls(RefKind kind);
  std::unordered_map<std::string, uint32_t>* names(RefKind kind);
  std::vector<DefaultSlot>* defaults_of(const RecordDef* rec);  // null before make_default_slots
  void make_default_slots();

  const Type* make_type(Type t) {
    types_.push_back(std::move(t));
    return &types_.back();
  }
  const Type* builtin(const std::string& name) const { return tables_.builtin_types.at(name); }
  const Type* error_type() const { return tables_.error_type; }
  const Type* any_type() const { return tables_.any_type; }
};

/// RefKind of a declaration kind.
RefKind ref_kind_of(syntax::DeclKind kind);

/// What check_object_names reads of one workload, as text: the objects it
/// names and the secrets it reads (`secrets_by_name`: ids by name).
std::string object_names_key(const Workload& w, const Model& m,
                             const std::unordered_map<std::string_view, size_t>& secrets_by_name);

}  // namespace claw::sema::detail
