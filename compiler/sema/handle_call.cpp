// Calls of the builtin functions: one table row per function, with the
// arguments it takes and the handler that builds its value (a `probe`, a
// secret reference, a `secret-source`). The checker's `eval` hands every
// call here.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <vector>

#include "compiler/sema/builtin_functions.h"
#include "compiler/sema/checker.h"

namespace claw::sema::detail {

using namespace syntax;
using VK = Value::Kind;

namespace {

/// What a handler reads: the call, its record type (when the row names
/// one), and where it is evaluated.
struct Call {
  Checker& checker;
  const CallExpr& expr;
  const RecordDef* record;
  const Env* env;

  /// Argument `i` evaluated against `type` and coerced to it.
  Value arg(size_t i, const Type* type) const {
    const Expr* a = expr.args[i].value;
    return checker.coerce(checker.eval(a, type, env), type, a->span);
  }
  /// The type of the record's field `name`, or nullptr.
  const Type* field_type(std::string_view name) const {
    int at = record->find(name);
    return at < 0 ? nullptr : record->fields[static_cast<size_t>(at)].type;
  }
  /// The record with `fields` set and the others at their defaults; poison
  /// when the record lacks one (the stdlib contract reports it).
  Value build(std::initializer_list<std::pair<std::string_view, Value>> fields) const {
    Value out = checker.eval_record({}, record, expr.span, true);
    for (const auto& [name, v] : fields) {
      int at = record->find(name);
      if (at < 0) return Value::poison(expr.span);
      (*out.items)[static_cast<size_t>(at)] = v;  // new, not yet shared: set in place
    }
    seal_size(out);
    return out;
  }
};

using Handler = Value (*)(const Call&);

/// One builtin function: who it is, how many positional arguments it takes
/// (`usage` says so when the count is wrong), the stdlib record it builds
/// (or none), and its handler.
struct Row {
  BuiltinFunction fn;
  size_t min_args, max_args;
  std::string_view usage;
  std::string_view record;
  Handler handle;
};

/// The `probe-kind` value named like the call (`tcp`, `http`, ...).
std::optional<Value> probe_kind(const Call& c) {
  const Type* t = c.field_type("kind");
  if (!t || t->kind != TypeKind::Enum || !t->enum_def) return std::nullopt;
  Value kind;
  kind.kind = VK::Enum;
  kind.span = c.expr.span;
  kind.enum_def = t->enum_def;
  kind.i = std::max(0, t->enum_def->find(c.expr.callee.text));
  return kind;
}

/// tcp(port), grpc(port)
Value port_probe(const Call& c) {
  auto kind = probe_kind(c);
  const Type* port_t = c.field_type("port");
  if (!kind || !port_t) return Value::poison(c.expr.span);
  return c.build({{"kind", *kind}, {"port", c.arg(0, port_t)}});
}

/// http(path, port)
Value http_probe(const Call& c) {
  auto kind = probe_kind(c);
  const Type* port_t = c.field_type("port");
  if (!kind || !port_t) return Value::poison(c.expr.span);
  Value path = c.arg(0, c.checker.builtin("string"));
  Value port = c.arg(1, port_t);
  return c.build({{"kind", *kind}, {"path", path}, {"port", port}});
}

/// exec(["cmd", "arg"]) or exec("cmd", "arg")
Value exec_probe(const Call& c) {
  auto kind = probe_kind(c);
  const Type* cmd_t = c.field_type("command");
  if (!kind || !cmd_t) return Value::poison(c.expr.span);
  Value cmd;
  if (c.expr.args.size() == 1 && c.expr.args[0].value->kind == ExprKind::List) {
    cmd = c.arg(0, cmd_t);
  } else {
    cmd.kind = VK::List;
    cmd.span = c.expr.span;
    cmd.items = std::make_shared<std::vector<Value>>();
    for (size_t i = 0; i < c.expr.args.size(); ++i) cmd.items->push_back(c.arg(i, c.checker.builtin("string")));
    seal_size(cmd);
  }
  return c.build({{"kind", *kind}, {"command", cmd}});
}

/// secret(NAME) or secret("NAME"): a reference to a declared secret.
Value secret_ref(const Call& c) {
  const Expr* a = c.expr.args[0].value;
  std::string name;
  if (a->kind == ExprKind::Ref) name = static_cast<const RefExpr*>(a)->name.text;
  else if (a->kind == ExprKind::String && static_cast<const StringExpr*>(a)->literal())
    name = std::string(*static_cast<const StringExpr*>(a)->literal());
  else {
    c.checker.report(diag::Kind::BadArguments, a->span, "`secret` takes the name of a declared secret");
    return Value::poison(c.expr.span);
  }
  const auto& secrets = c.checker.tables_.secret_names;
  if (!secrets.count(name)) {
    std::vector<std::string_view> cands;
    for (const auto& entry : secrets) cands.push_back(entry.first);
    std::sort(cands.begin(), cands.end());
    auto& d = c.checker.report(diag::Kind::UndeclaredReference, a->span, fmt::format("no secret named `{}` is declared", name));
    if (auto s = diag::did_you_mean(name, cands)) d.hint(fmt::format("did you mean `{}`?", *s));
    else d.hint(fmt::format("declare it: `secret {} {{ from = env(\"...\") }}`", name));
    return Value::poison(c.expr.span);
  }
  // For the index: the name as written, inside the quotes of a string.
  Span written = a->span;
  if (a->kind == ExprKind::String && written.end - written.begin >= 2) written = Span{written.file, written.begin + 1, written.end - 1};
  c.checker.note_ref(written, SymbolKind::Secret, secrets.find(name)->first);
  Value out;
  out.kind = VK::SecretRef;
  out.span = c.expr.span;
  out.s = std::move(name);
  return out;
}

/// env("NAME"), file("PATH"): where a secret's value is read from.
Value secret_source(const Call& c) {
  return c.build({{c.expr.callee.text, c.arg(0, c.checker.builtin("string"))}});
}

constexpr Row kRows[] = {
    {{"tcp", "tcp(port)", "a probe"}, 1, 1, "one argument: the port", "probe", port_probe},
    {{"http", "http(path, port)", "a probe"}, 2, 2,
     "two arguments: the path and the port, e.g. http(\"/healthz\", 8080)", "probe", http_probe},
    {{"grpc", "grpc(port)", "a probe"}, 1, 1, "one argument: the port", "probe", port_probe},
    {{"exec", "exec([command, args...])", "a probe"}, 1, 64, "the command, e.g. exec([\"redis-cli\", \"ping\"])",
     "probe", exec_probe},
    {{"secret", "secret(name)", "a secret reference"}, 1, 1, "one argument: the secret's name", "", secret_ref},
    {{"env", "env(variable)", "a secret source"}, 1, 1, "one argument: the variable's name", "secret-source",
     secret_source},
    {{"file", "file(path)", "a secret source"}, 1, 1, "one argument: the file's path", "secret-source", secret_source},
};

const Row* find_row(std::string_view name) {
  for (const Row& r : kRows)
    if (r.fn.name == name) return &r;
  return nullptr;
}

/// Whether the call passes the row's arguments: their count, and no names.
bool arguments_fit(Checker& checker, const Row& row, const CallExpr& c) {
  if (c.args.size() < row.min_args || c.args.size() > row.max_args) {
    checker.report(diag::Kind::BadArguments, c.span, fmt::format("`{}` takes {}", row.fn.name, row.usage));
    return false;
  }
  for (const auto& a : c.args)
    if (a.name) {
      checker.report(diag::Kind::BadArguments, a.name->span, fmt::format("`{}` takes no named arguments", row.fn.name));
      return false;
    }
  return true;
}

/// Reports a call of a function that is not a builtin, with the closest name.
void report_unknown(Checker& checker, const CallExpr& c) {
  std::vector<std::string_view> names;
  for (const Row& r : kRows) names.push_back(r.fn.name);
  auto& d = checker.report(diag::Kind::UnknownFunction, c.callee.span, fmt::format("unknown function `{}`", c.callee.text));
  if (auto s = diag::did_you_mean(c.callee.text, names)) {
    d.hint(fmt::format("did you mean `{}`?", *s));
    return;
  }
  std::string list;
  for (size_t i = 0; i < names.size(); ++i)
    list += fmt::format("{}{}", i == 0 ? "" : i + 1 == names.size() ? " and " : ", ", names[i]);
  d.hint(fmt::format("the functions are {}", list));
}

}  // namespace

Value Checker::eval_call(const CallExpr* c, const Type* expected, const Env* env) {
  const Row* row = find_row(c->callee.text);
  if (!row) {
    report_unknown(*this, *c);
    return Value::poison(c->span);
  }
  const RecordDef* record = nullptr;
  if (!row->record.empty()) {
    auto it = tables_.named_types.find(std::string(row->record));
    if (it == tables_.named_types.end() || it->second->kind != TypeKind::Record) return Value::poison(c->span);
    record = it->second->record;
  }
  if (!arguments_fit(*this, *row, *c)) return Value::poison(c->span);
  Value result = row->handle(Call{*this, *c, record, env});
  // A probe or a source stands as it is where any value, or an env value, goes.
  TypeKind tk = expected ? expected->kind : TypeKind::Any;
  return !expected || tk == TypeKind::Any || tk == TypeKind::EnvValue ? result : coerce(result, expected, c->span);
}

}  // namespace claw::sema::detail

namespace claw::sema {

std::span<const BuiltinFunction> builtin_functions() {
  static const auto functions = [] {
    std::array<BuiltinFunction, std::size(detail::kRows)> out;
    for (size_t i = 0; i < out.size(); ++i) out[i] = detail::kRows[i].fn;
    return out;
  }();
  return functions;
}

}  // namespace claw::sema
