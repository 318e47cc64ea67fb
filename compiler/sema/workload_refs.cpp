// Cross-references between workloads: in an `env` value, `ollama.host`,
// `ollama.port.http` and `ollama.url` (or `"${ollama.url}/api"`) stand for
// the address of workload `ollama`'s Service. Workloads are checked in any
// order, on several threads, so evaluation leaves a placeholder that names
// the workload, the attribute and where it was written; once every workload
// is lowered, resolve_workload_refs replaces it or reports what it names
// that does not exist. The placeholder starts with a NUL byte, which no
// source file holds (a file with one is refused as binary), so no string
// the user wrote can pass for one.
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <utility>

#include "compiler/sema/checker.h"
#include "compiler/sema/reuse.h"
#include "compiler/sema/exposure.h"

namespace claw::sema::detail {

namespace {

constexpr char kMark = '\0';

/// The attributes a reference may name after the workload.
constexpr std::string_view kAttributes = "`host`, `port`, `port.NAME`, `url` and `url.NAME`";

std::string encode(Span at, std::string_view workload, std::string_view attr) {
  std::string out;
  out += kMark;
  out += fmt::format("{}:{}:{}", at.file.value, at.begin, at.end);
  out += kMark;
  out += workload;
  out += kMark;
  out += attr;
  out += kMark;
  return out;
}

struct Ref {
  Span at;
  std::string_view workload, attr;
  size_t end;  // past the placeholder
};

/// The placeholder that starts at text[pos] (a NUL byte).
std::optional<Ref> decode(std::string_view text, size_t pos) {
  size_t a = text.find(kMark, pos + 1);
  if (a == std::string_view::npos) return std::nullopt;
  size_t b = text.find(kMark, a + 1);
  if (b == std::string_view::npos) return std::nullopt;
  size_t c = text.find(kMark, b + 1);
  if (c == std::string_view::npos) return std::nullopt;
  std::string_view span = text.substr(pos + 1, a - pos - 1);
  uint32_t nums[3] = {};
  const char* p = span.data();
  const char* end = span.data() + span.size();
  for (int i = 0; i < 3; ++i) {
    p = std::from_chars(p, end, nums[i]).ptr;
    if (i < 2 && p != end) ++p;  // the ':'
  }
  return Ref{Span{source::FileId{nums[0]}, nums[1], nums[2]}, text.substr(a + 1, b - a - 1), text.substr(b + 1, c - b - 1),
             c + 1};
}

}  // namespace

std::optional<Value> Checker::workload_ref(const syntax::Expr* e, const Env* env) {
  // The dotted path, innermost first: `ollama.port.http` is http, port.
  std::vector<const syntax::FieldExpr*> path;
  while (e->kind == syntax::ExprKind::Field) {
    path.push_back(static_cast<const syntax::FieldExpr*>(e));
    e = path.back()->base;
  }
  if (path.empty() || e->kind != syntax::ExprKind::Ref || refs_blocked_ > 0 || current_let_) return std::nullopt;
  const std::string& name = static_cast<const syntax::RefExpr*>(e)->name.text;
  // A let or a template parameter of that name hides the workload.
  if ((env && env->find(name)) || tables_.lets.count(name) || !tables_.workload_names.count(name)) return std::nullopt;
  std::string attr;
  for (auto it = path.rbegin(); it != path.rend(); ++it) attr += (attr.empty() ? "" : ".") + (*it)->field.text;
  const std::string& first = path.back()->field.text;
  bool ok = (first == "host" && path.size() == 1) || ((first == "port" || first == "url") && path.size() <= 2);
  Span at = path.front()->span;
  note_ref(e->span, SymbolKind::Workload, name);
  if (!ok) {
    auto& d = report(diag::Kind::UnknownField, path.back()->field.span,
                     fmt::format("`{}` has no address `{}`", name, attr));
    if (auto s = diag::did_you_mean(first, {"host", "port", "url"})) d.hint(fmt::format("did you mean `{}.{}`?", name, *s));
    else d.hint(fmt::format("a workload's address is one of {}", kAttributes));
    return Value::poison(at);
  }
  Value v;
  v.kind = Value::Kind::String;
  v.span = at;
  v.s = encode(at, name, attr);
  return v;
}

std::optional<std::string> Checker::did_you_mean_workload(std::string_view name) const {
  std::vector<std::string_view> names;
  names.reserve(tables_.workload_names.size());
  for (const auto& [n, _] : tables_.workload_names) names.push_back(n);
  std::sort(names.begin(), names.end());
  if (auto s = diag::did_you_mean(name, names)) return std::string(*s);
  return std::nullopt;
}

void Checker::resolve_workload_refs(Model& m) {
  for (auto& w : m.workloads) {
    if (!reuse_) {
      resolve_workload_refs(m, w);
      continue;
    }
    // Kept for an edit's check: what resolving reported, in the workload's trace.
    diag::Sink sink;
    diag::Sink* outer = std::exchange(sink_, &sink);
    resolve_workload_refs(m, w);
    sink_ = outer;
    Trace& t = reuse_->workloads[w.id.value];
    t.resolved = std::move(sink.all());
    for (const auto& d : t.resolved) sink_->report(d);
  }
}

void Checker::resolve_workload_refs(Model& m, Workload& w) {
  for (auto& var : w.env) {
    if (!var.value || var.value->find(kMark) == std::string::npos) continue;
    const std::string& text = *var.value;
    std::string out;
    size_t pos = 0;
    for (size_t mark; (mark = text.find(kMark, pos)) != std::string::npos;) {
      auto ref = decode(text, mark);
      if (!ref) break;
      out.append(text, pos, mark - pos);
      pos = ref->end;
      auto id = tables_.workload_names.find(std::string(ref->workload));
      if (id == tables_.workload_names.end()) continue;
      const Workload& target = m.workloads[id->second];
      if (!has_service(target)) {
        report(diag::Kind::NoService, ref->at, fmt::format("`{}` has no Service to refer to", target.name))
            .note(target.span, fmt::format("`{}` is declared here", target.name))
            .hint(target.kind == WorkloadKind::Job || target.kind == WorkloadKind::Cron
                      ? fmt::format("a {} gets no Service; only services and daemons with ports do",
                                    workload_kind_name(target.kind))
                      : std::string("declare a port on it: `port http = 8080`"));
        continue;
      }
      std::string_view attr = ref->attr;
      std::string host = service_host(service_name(target), target.namespace_);
      if (attr == "host") {
        out += host;
        continue;
      }
      auto dot = attr.find('.');
      const Port* port = default_port(target);
      if (dot != std::string_view::npos) {
        std::string_view pname = attr.substr(dot + 1);
        port = nullptr;
        for (const auto& p : target.ports)
          if (p.name == pname) port = &p;
        if (!port) {
          check_port_name(target, pname, ref->at);
          continue;
        }
      }
      if (attr.starts_with("port")) out += std::to_string(port->port);
      else out += fmt::format("{}://{}:{}", port->name == "https" ? "https" : "http", host, port->port);
    }
    out.append(text, pos);
    var.value = std::move(out);
  }
}

}  // namespace claw::sema::detail
