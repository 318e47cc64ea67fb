// Collecting declarations, resolving types, and checking each declaration's
// body against its schema.
#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "compiler/sema/checker.h"
#include "compiler/sema/reuse.h"
#include "compiler/sema/stdlib_contract.h"

namespace claw::sema::detail {

using namespace syntax;

const Value* Env::find(std::string_view name) const {
  for (const Env* e = this; e; e = e->parent)
    for (const auto& [n, v] : e->vars)
      if (n == name) return &v;
  return nullptr;
}

std::string_view Env::owner_of(std::string_view name) const {
  for (const Env* e = this; e; e = e->parent)
    for (const auto& [n, v] : e->vars)
      if (n == name) return e->owner;
  return {};
}

void Recorded::absorb(Recorded&& other) {
  refs.insert(refs.end(), other.refs.begin(), other.refs.end());
  fields.insert(fields.end(), other.fields.begin(), other.fields.end());
  expected.insert(expected.end(), other.expected.begin(), other.expected.end());
  other = Recorded{};
}

namespace {
Type kind_type(TypeKind kind) {
  Type t;
  t.kind = kind;
  return t;
}
}  // namespace

RefKind ref_kind_of(DeclKind kind) {
  switch (kind) {
    case DeclKind::Cluster: return RefKind::Cluster;
    case DeclKind::Machine: return RefKind::Machine;
    case DeclKind::Role: return RefKind::Role;
    case DeclKind::Chart: return RefKind::Chart;
    case DeclKind::Secret: return RefKind::Secret;
    case DeclKind::Resource: return RefKind::Resource;
    default: return RefKind::Workload;
  }
}

Checker::Checker(const Program& program, diag::Sink& sink, Tables& tables)
    : program_(program), sink_(&sink), tables_(tables) {
  if (program.index) recorded_ = std::make_unique<Recorded>();
}

Checker::Checker(const Program& program, diag::Sink& sink)
    : program_(program), sink_(&sink), own_tables_(std::make_unique<Tables>()), tables_(*own_tables_) {
  if (program.index) recorded_ = std::make_unique<Recorded>();
  auto add = [&](std::string name, Type t) { tables_.builtin_types[std::move(name)] = make_type(t); };
  add("int", kind_type(TypeKind::Int));
  add("float", kind_type(TypeKind::Float));
  add("bool", kind_type(TypeKind::Bool));
  add("string", kind_type(TypeKind::String));
  add("bytes", kind_type(TypeKind::Bytes));
  add("cpu", kind_type(TypeKind::Cpu));
  add("duration", kind_type(TypeKind::Duration));
  add("any", kind_type(TypeKind::Any));
  add("taint", kind_type(TypeKind::Taint));
  add("toleration", kind_type(TypeKind::Toleration));
  add("schedule", kind_type(TypeKind::Schedule));
  add("env-value", kind_type(TypeKind::EnvValue));
  add("secret-ref", kind_type(TypeKind::SecretRef));
  auto ref = [&](std::string name, RefKind k) {
    Type t = kind_type(TypeKind::Ref);
    t.ref = k;
    add(std::move(name), t);
  };
  ref("cluster", RefKind::Cluster);
  ref("machine", RefKind::Machine);
  ref("role", RefKind::Role);
  ref("workload", RefKind::Workload);
  ref("service", RefKind::Workload);
  ref("job", RefKind::Workload);
  ref("cron", RefKind::Workload);
  ref("daemon", RefKind::Workload);
  ref("chart", RefKind::Chart);
  ref("secret", RefKind::Secret);
  ref("resource", RefKind::Resource);
  tables_.error_type = make_type(kind_type(TypeKind::Error));
  tables_.any_type = builtin("any");
}

std::vector<DeclInfo>& Checker::decls(RefKind kind) {
  switch (kind) {
    case RefKind::Cluster: return tables_.clusters;
    case RefKind::Machine: return tables_.machines;
    case RefKind::Role: return tables_.roles;
    case RefKind::Workload: return tables_.workloads;
    case RefKind::Chart: return tables_.charts;
    case RefKind::Secret: return tables_.secrets;
    case RefKind::Resource: return tables_.resources;
  }
  return tables_.workloads;
}

std::unordered_map<std::string, uint32_t>* Checker::names(RefKind kind) {
  switch (kind) {
    case RefKind::Machine: return &tables_.machine_names;
    case RefKind::Role: return &tables_.role_names;
    case RefKind::Workload: return &tables_.workload_names;
    case RefKind::Chart: return &tables_.chart_names;
    case RefKind::Secret: return &tables_.secret_names;
    case RefKind::Resource: return &tables_.resource_names;
    case RefKind::Cluster: return nullptr;
  }
  return nullptr;
}

void Checker::find_schemas() {
  for (size_t k = 0; k < tables_.schemas.size(); ++k) {
    auto it = tables_.named_types.find(std::string(decl_kind_name(static_cast<DeclKind>(k))));
    tables_.schemas[k] = it == tables_.named_types.end() || it->second->kind != TypeKind::Record ? nullptr : it->second->record;
  }
}

const RecordDef* Checker::schema_for(DeclKind kind) const { return tables_.schemas[static_cast<size_t>(kind)]; }

// ------------------------------------------------------------------ collect

void Checker::collect() {
  // Where each name was first declared, per namespace, for duplicate notes.
  std::unordered_map<std::string, Span> type_spans, let_spans, template_spans;
  auto duplicate = [&](std::unordered_map<std::string, Span>& seen, const Name& n, std::string_view what) {
    auto [it, fresh] = seen.emplace(n.text, n.span);
    if (fresh) return false;
    report(diag::Kind::DuplicateName, n.span, fmt::format("{} `{}` is declared twice", what, n.text))
        .note(it->second, "first declared here");
    return true;
  };

  // The declarations are counted first, so that each list and name table is
  // made once at its size: a network has thousands.
  std::array<size_t, static_cast<size_t>(RefKind::Resource) + 1> counts{};
  for (const File* file : program_.files)
    for (const Item* item : file->items)
      if (item->kind == ItemKind::Decl)
        ++counts[static_cast<size_t>(ref_kind_of(static_cast<const DeclItem*>(item)->decl_kind))];
  for (size_t k = 0; k < counts.size(); ++k) {
    decls(static_cast<RefKind>(k)).reserve(counts[k]);
    if (auto* table = names(static_cast<RefKind>(k))) table->reserve(counts[k]);
  }

  for (size_t f = 0; f < program_.files.size(); ++f) {
    for (const Item* item : program_.files[f]->items) {
      switch (item->kind) {
        case ItemKind::Import: break;
        case ItemKind::Enum: {
          auto* e = static_cast<const EnumItem*>(item);
          if (e->name.text.empty() || tables_.builtin_types.count(e->name.text)) {
            if (!e->name.text.empty())
              report(diag::Kind::DuplicateName, e->name.span, fmt::format("`{}` is a built-in type", e->name.text));
            break;
          }
          if (duplicate(type_spans, e->name, "type")) break;
          tables_.enums.push_back(EnumDef{e->name.text, {}, e->name.span});
          auto& def = tables_.enums.back();
          std::unordered_map<std::string, Span> seen;
          for (const auto& v : e->values)
            if (!duplicate(seen, v, "enum value")) def.values.push_back(v.text);
          Type t = kind_type(TypeKind::Enum);
          t.enum_def = &def;
          tables_.named_types[def.name] = make_type(t);
          break;
        }
        case ItemKind::Type: {
          auto* t = static_cast<const TypeItem*>(item);
          if (t->name.text.empty()) break;
          if (tables_.builtin_types.count(t->name.text) && !(program_.is_stdlib[f])) {
            report(diag::Kind::DuplicateName, t->name.span, fmt::format("`{}` is a built-in type", t->name.text));
            break;
          }
          if (duplicate(type_spans, t->name, "type")) break;
          tables_.records.push_back(RecordDef{});
          auto& def = tables_.records.back();
          def.name = t->name.text;
          def.span = t->name.span;
          Type ty = kind_type(TypeKind::Record);
          ty.record = &def;
          tables_.named_types[def.name] = make_type(ty);
          tables_.type_items[def.name] = t;
          tables_.record_items[&def] = t;
          break;
        }
        case ItemKind::Let: {
          auto* l = static_cast<const LetItem*>(item);
          if (l->name.text.empty() || duplicate(let_spans, l->name, "`let`")) break;
          tables_.lets.try_emplace(l->name.text).first->second.item = l;
          break;
        }
        case ItemKind::Template: {
          auto* t = static_cast<const TemplateItem*>(item);
          if (t->name.text.empty() || duplicate(template_spans, t->name, "template")) break;
          tables_.templates[t->name.text] = t;
          break;
        }
        case ItemKind::Decl: {
          auto* d = static_cast<const DeclItem*>(item);
          if (d->name.text.empty()) break;
          RefKind k = ref_kind_of(d->decl_kind);
          auto& list = decls(k);
          if (auto* table = names(k)) {
            auto [it, fresh] = table->emplace(d->name.text, static_cast<uint32_t>(list.size()));
            if (!fresh) {
              const auto* first = list[it->second].item;
              std::string what = k == RefKind::Workload ? "workload" : std::string(decl_kind_name(d->decl_kind));
              report(diag::Kind::DuplicateName, d->name.span, fmt::format("{} `{}` is declared twice", what, d->name.text))
                  .note(first->name.span, fmt::format("first declared here, as a {}", decl_kind_name(first->decl_kind)));
              break;
            }
          }
          list.push_back(DeclInfo{d, Value::poison(d->span), static_cast<uint32_t>(list.size())});
          break;
        }
      }
    }
  }
}

// ------------------------------------------------------------------ types

const Type* Checker::resolve_type(const TypeExpr* t) {
  if (!t) return error_type();
  Type out;
  switch (t->kind) {
    case TypeExprKind::Error: return error_type();
    case TypeExprKind::List: out.kind = TypeKind::List; out.elem = resolve_type(t->elem); break;
    case TypeExprKind::Map:
      out.kind = TypeKind::Map;
      if (t->key && t->key->kind == TypeExprKind::Named && t->key->name.text != "string")
        report(diag::Kind::BadTypeDecl, t->key->span, "map keys are strings").hint("write `{string: T}`");
      out.elem = resolve_type(t->elem);
      break;
    case TypeExprKind::Named: {
      const Type* base = nullptr;
      if (auto it = tables_.builtin_types.find(t->name.text); it != tables_.builtin_types.end()) base = it->second;
      else if (auto it2 = tables_.named_types.find(t->name.text); it2 != tables_.named_types.end()) base = it2->second;
      if (!base) {
        std::vector<std::string_view> cands;
        for (auto& [n, _] : tables_.builtin_types) cands.push_back(n);
        for (auto& [n, _] : tables_.named_types) cands.push_back(n);
        std::sort(cands.begin(), cands.end());
        auto& d = report(diag::Kind::UnknownType, t->name.span, fmt::format("unknown type `{}`", t->name.text));
        if (auto s = diag::did_you_mean(t->name.text, cands)) d.hint(fmt::format("did you mean `{}`?", *s));
        return error_type();
      }
      out = *base;
      if (base->kind == TypeKind::Enum || base->kind == TypeKind::Record)
        note_ref(t->name.span, base->kind == TypeKind::Enum ? SymbolKind::Enum : SymbolKind::Type, t->name.text);
      if (t->has_range) {
        if (out.kind != TypeKind::Int) {
          report(diag::Kind::BadTypeDecl, t->span, fmt::format("only `int` takes a range, not `{}`", t->name.text));
        } else {
          auto bound = [&](const Expr* e) -> std::optional<int64_t> {
            if (!e) return std::nullopt;
            Value v = eval(e, builtin("int"), nullptr);
            if (v.kind == Value::Kind::Int) return v.i;
            return std::nullopt;
          };
          out.lo = bound(t->lo);
          out.hi = bound(t->hi);
        }
      }
      break;
    }
  }
  out.optional = t->optional;
  return make_type(out);
}

namespace {

// At most this many types above a record type, so that a chain of
// `extends` cannot copy its inherited fields without bound.
constexpr int kMaxExtends = 32;

}  // namespace

void Checker::resolve_records() {
  // Each record after its parent: the parents above a record are found
  // first, by a climb that keeps its own list, so that no chain overflows
  // the stack and a cycle is found before any parent pointer closes it.
  auto parent_of = [&](const RecordDef& def) -> RecordDef* {
    const TypeItem* item = tables_.record_items[&def];
    if (!item->parent) return nullptr;
    auto it = tables_.named_types.find(item->parent->text);
    if (it == tables_.named_types.end() || it->second->kind != TypeKind::Record) return nullptr;
    return const_cast<RecordDef*>(it->second->record);
  };
  std::unordered_map<const RecordDef*, int> levels;  // how many types are above each resolved one
  auto resolve = [&](RecordDef& def) {
    const TypeItem* item = tables_.record_items[&def];
    levels[&def] = 0;
    if (item->parent) {
      RecordDef* parent = parent_of(def);
      if (!parent) {
        report(diag::Kind::UnknownType, item->parent->span, fmt::format("`{}` is not a record type", item->parent->text));
      } else if (parent == &def || !parent->resolved) {
        // Its parent is below it in the chain being resolved: a cycle.
        report(diag::Kind::BadTypeDecl, item->parent->span, fmt::format("type `{}` extends itself", def.name))
            .hint(parent == &def ? "remove the `: ...`" : fmt::format("through `{}`: break the cycle", parent->name));
      } else if (levels[parent] + 1 > kMaxExtends) {
        report(diag::Kind::BadTypeDecl, item->parent->span,
               fmt::format("type `{}` extends a chain of more than {} types", def.name, kMaxExtends))
            .hint("extend a type nearer the top of the chain");
      } else {
        note_ref(item->parent->span, SymbolKind::Type, item->parent->text);
        levels[&def] = levels[parent] + 1;
        def.parent = parent;
        def.fields = parent->fields;
        def.shorthand = parent->shorthand;
      }
    }
    def.resolved = true;
    for (const auto& f : item->fields) {
      int existing = -1;
      for (size_t i = 0; i < def.fields.size(); ++i)
        if (def.fields[i].name == f.name.text) existing = static_cast<int>(i);
      if (!f.type) {
        if (existing < 0) {
          report(diag::Kind::UnknownField, f.name.span,
                 fmt::format("`{}` sets a default for `{}`, which `{}` does not inherit", def.name, f.name.text,
                             def.parent ? def.parent->name : def.name))
              .hint("declare the field with a type: `name: type = value`");
          continue;
        }
        def.fields[static_cast<size_t>(existing)].default_expr = f.value;
        def.fields[static_cast<size_t>(existing)].span = f.span;
        continue;
      }
      FieldDef fd{f.name.text, resolve_type(f.type), f.value, f.span};
      if (existing >= 0) {
        def.fields[static_cast<size_t>(existing)] = fd;
      } else {
        def.fields.push_back(fd);
      }
    }
    def.index_fields();
    if (item->shorthand) {
      def.shorthand = def.find(item->shorthand->text);
      if (def.shorthand < 0)
        report(diag::Kind::BadTypeDecl, item->shorthand->span,
               fmt::format("`{}` has no field `{}` to stand for it", def.name, item->shorthand->text));
    }
  };
  std::vector<RecordDef*> chain;
  std::unordered_set<const RecordDef*> on_chain;
  for (auto& start : tables_.records) {
    if (start.resolved) continue;
    chain.clear();
    on_chain.clear();
    for (RecordDef* cur = &start; cur && !cur->resolved && on_chain.insert(cur).second; cur = parent_of(*cur))
      chain.push_back(cur);
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) resolve(**it);
  }
}

// ------------------------------------------------------------------ templates

const Type* Checker::param_type(const syntax::Param& p) {
  auto it = tables_.param_types.find(p.type);
  return it != tables_.param_types.end() ? it->second : resolve_type(p.type);
}

void Checker::check_templates() {
  for (auto& [name, t] : tables_.templates) {
    if (!t->body || t->has_error) continue;
    const RecordDef* schema = schema_for(t->decl_kind);
    if (!schema) continue;
    Env env;
    env.owner = t->name.text;
    note_expected(t->body->span, nullptr, schema);
    for (const auto& p : t->params) {
      const Type* pt = resolve_type(p.type);
      tables_.param_types[p.type] = pt;
      ++refs_blocked_;
      if (p.value) coerce(eval(p.value, pt, nullptr), pt, p.value->span);
      --refs_blocked_;
      env.vars.emplace_back(p.name.text, Value::unknown(p.name.span));
    }
    std::vector<MemberRef> members;
    members.reserve(t->body->members.size());
    for (const auto& m : t->body->members) members.push_back(MemberRef{&m, 0, &env});
    // Checked alone, a template may leave required fields to its instances.
    eval_record(members, schema, t->name.span, /*incomplete=*/true);
  }
}

// ------------------------------------------------------------------ declarations

namespace {

// What `chart NAME = TYPE` and `resource NAME = TYPE` say in diagnostics.
struct TypedKind {
  std::string_view word;         // "chart"
  std::string_view import_hint;  // a stdlib module that declares such types
  std::string_view plain;        // the declaration without a type
  std::string_view block;        // the declaration with one
};

TypedKind typed_kind(DeclKind kind) {
  if (kind == DeclKind::Resource)
    return {"resource", "std/crds/prometheus-operator", "resource NAME { api = ...; kind = ...; spec { ... } }",
            "resource NAME = TYPE { namespace = \"...\"; spec { ... } }"};
  return {"chart", "std/charts/kube-prometheus-stack", "chart NAME { repo = ...; chart = ...; version = ... }",
          "chart NAME = TYPE { version = \"...\"; values { ... } }"};
}

}  // namespace

const RecordDef* Checker::typed_schema(const DeclItem* d, const RecordDef* base, bool& incomplete) {
  TypedKind words = typed_kind(d->decl_kind);
  auto it = tables_.named_types.find(d->source->text);
  if (it == tables_.named_types.end() && tables_.templates.count(d->source->text)) {
    mark_template_used(d->source->text);  // meant to be used: no second warning
    report(diag::Kind::BadSource, d->source->span,
           fmt::format("`{}` is a template; a {} is made from a {} type, not from a template", d->source->text,
                       words.word, words.word))
        .hint(fmt::format("write the {} out, or declare a type for it: `type NAME : {} {{ ... }}`", words.word, words.word));
    return nullptr;
  }
  if (it == tables_.named_types.end() || it->second->kind != TypeKind::Record || !it->second->record->is_a(base)) {
    std::vector<std::string_view> cands;
    for (auto& [n, t] : tables_.named_types)
      if (t->kind == TypeKind::Record && t->record->is_a(base) && t->record != base) cands.push_back(n);
    std::sort(cands.begin(), cands.end());
    auto& diag = report(diag::Kind::UndeclaredReference, d->source->span,
                        fmt::format("unknown {} type `{}`", words.word, d->source->text));
    if (auto s = diag::did_you_mean(d->source->text, cands)) diag.hint(fmt::format("did you mean `{}`?", *s));
    else diag.hint(fmt::format("import its schema, e.g. `import \"{}\"`, or write `{}`", words.import_hint, words.plain));
    return nullptr;
  }
  if (d->has_args) {
    report(diag::Kind::BadSource, d->source->span, fmt::format("{} type `{}` takes no arguments", words.word, d->source->text))
        .hint(fmt::format("set its fields in the block: `{}`", words.block));
    incomplete = true;
  }
  note_ref(d->source->span, SymbolKind::Type, d->source->text);
  return it->second->record;
}

Value Checker::check_decl(const DeclItem* d) {
  const RecordDef* schema = schema_for(d->decl_kind);
  if (!schema) return Value::poison(d->span);
  Env global;
  std::vector<MemberRef> members;
  Env params;  // a template's parameters, bound below
  bool incomplete = d->has_error || (d->body && d->body->has_error);

  if (d->source) {
    if (d->decl_kind == DeclKind::Chart || d->decl_kind == DeclKind::Resource) {
      schema = typed_schema(d, schema, incomplete);
      if (!schema) return Value::poison(d->span);
    } else {
      auto it = tables_.templates.find(d->source->text);
      if (it == tables_.templates.end()) {
        std::vector<std::string_view> cands;
        for (auto& [n, _] : tables_.templates) cands.push_back(n);
        std::sort(cands.begin(), cands.end());
        auto& diag = report(diag::Kind::UndeclaredReference, d->source->span,
                            fmt::format("unknown template `{}`", d->source->text));
        if (auto s = diag::did_you_mean(d->source->text, cands)) {
          diag.hint(fmt::format("did you mean `{}`?", *s));
          mark_template_used(*s);  // meant to be used: no second warning
        }
        return Value::poison(d->span);
      }
      const TemplateItem* t = it->second;
      note_ref(d->source->span, SymbolKind::Template, t->name.text);
      mark_template_used(t->name.text);
      if (t->decl_kind != d->decl_kind) {
        report(diag::Kind::TypeMismatch, d->source->span,
               fmt::format("template `{}` makes a {}, not a {}", t->name.text, decl_kind_name(t->decl_kind),
                           decl_kind_name(d->decl_kind)))
            .note(t->kind_span, "declared here");
        return Value::poison(d->span);
      }
      if (t->has_error || !t->body) return Value::poison(d->span);
      params.owner = t->name.text;
      // Bind arguments: positional first, then named; defaults fill the rest.
      std::vector<std::optional<Value>> bound(t->params.size());
      bool bad = false;
      size_t positional = 0;
      for (const auto& a : d->args) {
        size_t idx = t->params.size();
        if (a.name) {
          for (size_t i = 0; i < t->params.size(); ++i)
            if (t->params[i].name.text == a.name->text) idx = i;
          if (idx < t->params.size()) note_ref(a.name->span, SymbolKind::Param, a.name->text, t->name.text);
          if (idx == t->params.size()) {
            std::vector<std::string_view> cands;
            for (auto& p : t->params) cands.push_back(p.name.text);
            auto& diag = report(diag::Kind::BadArguments, a.name->span,
                                fmt::format("template `{}` has no parameter `{}`", t->name.text, a.name->text));
            if (auto s = diag::did_you_mean(a.name->text, cands)) diag.hint(fmt::format("did you mean `{}`?", *s));
            bad = true;
            continue;
          }
        } else {
          idx = positional++;
          if (idx >= t->params.size()) {
            report(diag::Kind::BadArguments, a.value->span,
                   fmt::format("template `{}` takes {} argument{}", t->name.text, t->params.size(),
                               t->params.size() == 1 ? "" : "s"))
                .note(t->name.span, "declared here");
            bad = true;
            continue;
          }
        }
        if (bound[idx]) {
          report(diag::Kind::BadArguments, a.value->span,
                 fmt::format("parameter `{}` is given twice", t->params[idx].name.text));
          bad = true;
          continue;
        }
        const Type* pt = param_type(t->params[idx]);
        ++refs_blocked_;
        bound[idx] = coerce(eval(a.value, pt, nullptr), pt, a.value->span);
        --refs_blocked_;
      }
      for (size_t i = 0; i < t->params.size(); ++i) {
        if (!bound[i]) {
          if (t->params[i].value) {
            const Type* pt = param_type(t->params[i]);
            ++refs_blocked_;
            bound[i] = coerce(eval(t->params[i].value, pt, nullptr), pt, t->params[i].value->span);
            --refs_blocked_;
          } else {
            report(diag::Kind::BadArguments, d->source->span,
                   fmt::format("missing argument `{}` of template `{}`", t->params[i].name.text, t->name.text))
                .note(t->params[i].name.span, "parameter declared here");
            bad = true;
            bound[i] = Value::poison(d->source->span);
          }
        }
        params.vars.emplace_back(t->params[i].name.text, *bound[i]);
      }
      if (bad) incomplete = true;
      // The instance's own members replace the template's members with the
      // same key path and label.
      auto same = [](const Member& a, const Member& b) {
        if (a.path.size() != b.path.size()) return false;
        for (size_t i = 0; i < a.path.size(); ++i)
          if (a.path[i].text != b.path[i].text) return false;
        if ((a.label != nullptr) != (b.label != nullptr)) return false;
        return !a.label || a.label->text == b.label->text;
      };
      members.reserve(t->body->members.size() + (d->body ? d->body->members.size() : 0));
      for (const auto& m : t->body->members) {
        bool overridden = false;
        if (d->body)
          for (const auto& o : d->body->members) overridden = overridden || same(m, o);
        if (!overridden) members.push_back(MemberRef{&m, 0, &params});
      }
    }
  }
  if (d->body) {
    members.reserve(members.size() + d->body->members.size());
    for (const auto& m : d->body->members) members.push_back(MemberRef{&m, 0, &global});
  }

  if (d->decl_kind == DeclKind::Secret) {
    for (const auto& m : members) {
      const auto& key = m.m->path[0].text;
      if (key == "value" || key == "data" || key == "password" || key == "token") {
        report(diag::Kind::InlineSecret, m.m->span, "a secret's value is never written in the source")
            .hint("read it at apply time: `from = env(\"VAR\")` or `from = file(\"path\")`");
        incomplete = true;
      }
    }
  }
  std::vector<MemberRef> kept;
  if (d->decl_kind == DeclKind::Secret) {
    for (const auto& m : members) {
      const auto& key = m.m->path[0].text;
      if (!(key == "value" || key == "data" || key == "password" || key == "token")) kept.push_back(m);
    }
  } else if (d->decl_kind == DeclKind::Resource && schema != schema_for(DeclKind::Resource)) {
    // A resource type is one kind of object: its `api` and `kind` are not
    // the instance's to change, or its spec would be typed for another kind.
    for (const auto& m : members) {
      const auto& key = m.m->path[0].text;
      if (key == "api" || key == "kind") {
        report(diag::Kind::BadSource, m.m->path[0].span, fmt::format("`{}` is fixed by resource type `{}`", key, schema->name))
            .hint("for another kind, write `resource NAME { api = \"...\"; kind = \"...\"; spec { ... } }`");
        incomplete = true;
      } else {
        kept.push_back(m);
      }
    }
  } else {
    kept = std::move(members);
  }
  if (d->body) note_expected(d->body->span, nullptr, schema);
  return eval_record(kept, schema, d->name.span, incomplete);
}

void Checker::check_one(DeclInfo& info, RefKind kind) {
  const DeclItem* d = info.item;
  // Every declaration but the cluster names Kubernetes objects (the
  // cluster's name is a label value: check_cluster_values).
  if (kind != RefKind::Cluster) check_k8s(k8s::kDns1123Label, d->name.text, d->name.span);
  info.value = d->has_error ? Value::poison(d->span) : check_decl(d);
}

void Checker::mark_template_used(const std::string& name) {
  if (frozen_ || traces_) templates_used_.push_back(name);
  else tables_.template_used[name] = true;
}

void Checker::report_unused_templates() {
  // Kept for an edit's check, the machines and workloads' uses are in their
  // traces; the table holds the other declarations'.
  std::unordered_set<std::string_view> traced;
  if (reuse_)
    for (const auto* list : {&reuse_->machines, &reuse_->workloads})
      for (const Trace& t : *list) traced.insert(t.uses.templates.begin(), t.uses.templates.end());
  std::vector<const TemplateItem*> unused;
  for (auto& [name, t] : tables_.templates)
    if (!tables_.template_used.count(name) && !traced.count(name) && !t->has_error) unused.push_back(t);
  for (const TemplateItem* t : unused)
    report(diag::Kind::UnusedTemplate, t->name.span, fmt::format("template `{}` is never used", t->name.text))
        .hint(fmt::format("instantiate it with `{} NAME = {}(...)`, or remove it", decl_kind_name(t->decl_kind), t->name.text));
}

Model Checker::run() {
  Model m;
  Worker worker(*this);  // after m, which it reads: joined first however this returns
  collect();
  find_schemas();
  resolve_records();
  check_stdlib_contract(tables_.named_types, stdlib_enum_rows(), stdlib_fields(), prelude_span(program_), *sink_);
  open_resource_schema();
  make_default_slots();
  evaluate_eagerly();
  assume_needs();
  check_templates();

  m.roles.reserve(tables_.roles.size());
  m.machines.reserve(tables_.machines.size());
  m.secrets.reserve(tables_.secrets.size());
  m.workloads.reserve(tables_.workloads.size());
  m.charts.reserve(tables_.charts.size());
  m.resources.reserve(tables_.resources.size());

  // The cluster first: its namespace is every other object's default. Then
  // each kind in the order lowering needs (machines read their roles), each
  // declaration lowered as soon as it is checked; the many workloads drop
  // their value trees right away, which keeps peak memory down.
  for (auto& info : tables_.clusters) check_one(info, RefKind::Cluster);
  if (!tables_.clusters.empty() && tables_.clusters[0].value.kind == Value::Kind::Record)
    if (const Value& ns = tables_.clusters[0].value.field("namespace"); ns.kind == Value::Kind::String)
      tables_.default_namespace = ns.s;
  for (auto& info : tables_.roles) {
    check_one(info, RefKind::Role);
    lower_role(info, m);
  }
  // Kept for an edit's check: what each machine and workload reported
  // (traced), and what the rest did, around them.
  const size_t head_end = sink_->all().size();
  if (reuse_) traces_ = &reuse_->machines;
  check_shared(Job::Machines, tables_.machines, m.machines, m, worker);
  traces_ = nullptr;
  const size_t middle_begin = sink_->all().size();
  for (auto& info : tables_.secrets) {
    check_one(info, RefKind::Secret);
    lower_secret(info, m);
  }
  const size_t middle_end = sink_->all().size();
  if (reuse_) traces_ = &reuse_->workloads;
  check_shared(Job::Workloads, tables_.workloads, m.workloads, m, worker);
  traces_ = nullptr;
  const size_t tail_begin = sink_->all().size();
  for (auto& info : tables_.charts) {
    check_one(info, RefKind::Chart);
    lower_chart(info, m);
  }
  for (auto& info : tables_.resources) {
    check_one(info, RefKind::Resource);
    lower_resource(info, m);
  }
  if (reuse_) {
    const auto& all = sink_->all();
    auto slice = [&](size_t from, size_t to) { return std::vector<diag::Diagnostic>(all.begin() + from, all.begin() + to); };
    reuse_->head = slice(0, head_end);
    reuse_->middle = slice(middle_begin, middle_end);
    reuse_->tail = slice(tail_begin, all.size());
  }
  if (!tables_.clusters.empty()) lower_cluster(tables_.clusters[0], m);
  // Every declaration has recorded what the index needs (the checks of the
  // whole network below record nothing): it is built beside them when
  // there is a second thread.
  if (recorded_) {
    auto recorded = std::make_shared<Recorded>(std::move(*recorded_));
    recorded_.reset();
    SymbolTable* table = reuse_ ? &reuse_->symbols : nullptr;
    auto build = [this, recorded, table] { index_ = build_index(program_, std::move(*recorded), table); };
    if (worker.available()) worker.start(build);
    else build();
  }
  report_unused_templates();
  resolve_workload_refs(m);
  check_network(m);
  if (reuse_) {  // kept: whether the names clashed (an edit's check may then skip them)
    diag::Sink sink;
    diag::Sink* outer = std::exchange(sink_, &sink);
    check_object_names(m);
    sink_ = outer;
    reuse_->names_clean = sink.all().empty();
    for (auto& d : sink.all()) sink_->report(std::move(d));
  } else {
    check_object_names(m);
  }
  worker.wait();
  return m;
}

}  // namespace claw::sema::detail

namespace claw::sema {

CheckResult check(const Program& program) {
  CheckResult result;
  detail::Checker checker(program, result.diags);
  // Kept only where every file's tree can be kept alive with it.
  std::shared_ptr<detail::Reuse> reuse;
  if (program.keep && program.index && program.owners.size() == program.files.size()) {
    reuse = std::make_shared<detail::Reuse>();
    checker.keep_in(*reuse);
  }
  result.model = checker.run();
  result.stats = checker.stats();
  result.model.types = checker.take_types();
  if (reuse && !detail::keep(program, checker, result.model.types, *reuse)) reuse.reset();
  if (program.index) result.index = checker.take_index();
  result.reuse = std::move(reuse);
  return result;
}

}  // namespace claw::sema
