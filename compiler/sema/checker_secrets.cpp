// `inline-secret` for env and chart keys: a literal that reaches a key that
// holds a secret, written there or through a `let` or a parameter.
#include <fmt/format.h>

#include "compiler/sema/checker.h"
#include "compiler/sema/secret_rule.h"

namespace claw::sema::detail {

Value Checker::refuse_inline_secret(std::string_view key, const syntax::Expr* written, Value v, bool env) {
  if (v.kind != Value::Kind::String || !looks_secret_key(key) || !could_be_secret_value(v.s)) return v;
  const bool here = written->kind == syntax::ExprKind::String;
  auto& d = report(diag::Kind::InlineSecret, written->span,
                   here ? fmt::format("`{}` looks like a secret, written inline", key)
                        : fmt::format("`{}` looks like a secret, and this gives it a literal value", key));
  if (!here && v.span.valid() && !(v.span == written->span)) d.note(v.span, "the literal is written here");
  if (env)
    d.hint("declare `secret NAME { from = env(\"VAR\") }` and write `secret(\"NAME\")` here: the value then stays out of "
           "the manifest");
  else
    d.hint("declare `secret NAME { from = env(\"VAR\") }` and write `secret(\"NAME\")` here: the chart then reads it "
           "from its values Secret, not from the HelmChart object");
  return Value::poison(written->span);
}

}  // namespace claw::sema::detail
