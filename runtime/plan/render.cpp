#include "runtime/plan/render.h"

#include <unistd.h>

#include <algorithm>
#include <tuple>

#include <fmt/format.h>

#include "compiler/emit/safe_text.h"
#include "compiler/io/terminal.h"

namespace claw::plan {
namespace {

using nlohmann::json;

// The longest value a field line shows whole, in characters; longer ones
// are cut (`terraform plan` likewise hides what a reader cannot take in).
constexpr size_t kMaxValueChars = 64;

// ANSI SGR codes (ECMA-48 8.3.117): bold, and the foreground colours.
constexpr std::string_view kBold = "1", kRed = "31", kGreen = "32", kYellow = "33", kMagenta = "35", kCyan = "36";

// `text` with every character that could change what a terminal shows (a
// control character, an escape sequence's ESC, a line separator, invalid
// UTF-8) written as a visible escape: text from a cluster or a program
// cannot move the cursor or recolour the plan.
std::string visible(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    emit::Utf8Char c = emit::utf8_at(text, i);
    if (emit::unsafe_char(c.cp)) {
      if (c.cp < 0) {
        out += fmt::format("\\x{:02X}", static_cast<unsigned char>(text[i]));
      } else {
        emit::append_escape(out, c.cp);
      }
    } else {
      out.append(text.substr(i, c.len));
    }
    i += c.len;
  }
  return out;
}

// The first `n` characters of `text` (UTF-8), or all of it.
std::string_view first_chars(std::string_view text, size_t n, bool& cut) {
  size_t i = 0;
  for (size_t count = 0; i < text.size() && count < n; ++count) i += emit::utf8_at(text, i).len;
  cut = i < text.size();
  return text.substr(0, i);
}

size_t char_count(std::string_view text) {
  size_t n = 0;
  for (size_t i = 0; i < text.size(); i += emit::utf8_at(text, i).len) ++n;
  return n;
}

// Compact JSON, escaped for a terminal; never throws (text that is not
// UTF-8 shows U+FFFD).
std::string compact(const json& value) { return visible(value.dump(-1, ' ', false, json::error_handler_t::replace)); }

std::string plural(size_t n, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

struct Writer {
  bool color = false;
  std::string out;

  void paint(std::string_view code, std::string_view text) {
    if (color) {
      out += fmt::format("\x1b[{}m{}\x1b[0m", code, text);
    } else {
      out += text;
    }
  }
  void line(std::string_view text) {
    out += text;
    out += '\n';
  }
};

std::string_view action_color(Action a) {
  switch (a) {
    case Action::Create: return kGreen;
    case Action::Update: return kYellow;
    case Action::Delete: return kRed;
    case Action::Adopt: return kMagenta;
    case Action::Replace: return kRed;
  }
  return kBold;
}

// A value as the line shows it: a Secret's data never (secret_shown).
std::string value_text(bool secret, const FieldPath& path, const json& value) {
  if (secret) {
    json safe = secret_shown(path, value);
    if (safe.is_string() && safe.get_ref<const std::string&>() == kSensitive) return std::string(kSensitive);
    return shown_value(safe);
  }
  if (value.is_string() && value.get_ref<const std::string&>() == kSensitive) return std::string(kSensitive);
  return shown_value(value);
}

// `+ path: after`, `- path: before` or `~ path: before → after`.
void write_change(Writer& w, std::string_view indent, const FieldChange& c, bool secret) {
  w.out += indent;
  std::string path = visible(render_path(c.path));
  auto text = [&](const json& v) { return value_text(secret, c.path, v); };
  if (c.before && c.after) {
    w.paint(kYellow, "~");
    w.line(fmt::format(" {}: {} → {}", path, text(*c.before), text(*c.after)));
  } else if (c.after) {
    w.paint(kGreen, "+");
    w.line(fmt::format(" {}: {}", path, text(*c.after)));
  } else {
    w.paint(kRed, "-");
    w.line(fmt::format(" {}: {}", path, c.before ? text(*c.before) : std::string("null")));
  }
}

void write_object(Writer& w, const ObjectPlan& o) {
  w.paint(action_color(o.action), fmt::format("{} {}", action_symbol(o.action), action_word(o.action)));
  w.out += ' ';
  w.paint(kBold, visible(o.ref.display()));
  if (!o.source.empty()) w.out += fmt::format("  ({})", visible(o.source));
  w.out += '\n';
  if (!o.reason.empty()) w.line(fmt::format("    # {}", visible(o.reason)));
  for (const FieldChange& c : o.changes) write_change(w, "    ", c, secret_like(o));
  for (const std::string& conflict : o.conflicts) {
    w.out += "    ";
    w.paint(kCyan, "!");
    w.line(fmt::format(" conflict with {}", visible(conflict)));
  }
  // kube-apiserver refuses an apply that takes over another manager's
  // fields unless force=true (kubernetes.io/docs/reference/using-api/server-side-apply/#conflicts).
  if (!o.conflicts.empty()) {
    w.line("    # other field managers own these fields: apply with --force-conflicts to take them over");
  }
  w.out += '\n';
}

void write_moves(Writer& w, const std::vector<const Move*>& moves) {
  if (moves.empty()) return;
  w.paint(kBold, "Placement moves:");
  w.out += '\n';
  for (const Move* m : moves) {
    w.out += "  ";
    w.paint(kYellow, "~");
    w.out += fmt::format(" {} replica {}: {} → {}", visible(m->workload), m->replica, visible(m->from), visible(m->to));
    if (!m->reason.empty()) w.out += fmt::format(" ({})", visible(m->reason));
    w.out += '\n';
  }
  w.out += '\n';
}

void write_nodes(Writer& w, const std::vector<const NodePlan*>& nodes) {
  bool any = std::any_of(nodes.begin(), nodes.end(), [](const NodePlan* n) { return !n->joined || !n->changes.empty(); });
  if (!any) return;
  w.paint(kBold, "Nodes:");
  w.out += '\n';
  for (const NodePlan* n : nodes) {
    if (!n->joined) {
      w.out += "  ";
      w.paint(kCyan, "!");
      w.line(fmt::format(" machine {} has not joined the cluster", visible(n->machine)));
    } else if (!n->changes.empty()) {
      w.out += "  ";
      w.paint(kYellow, "~");
      w.line(fmt::format(" machine {}", visible(n->machine)));
      for (const FieldChange& c : n->changes) write_change(w, "      ", c, false);
    }
  }
  w.out += '\n';
}

void write_kept(Writer& w, const std::vector<const Kept*>& kept) {
  if (kept.empty()) return;
  w.paint(kBold, "Kept (no longer declared, not deleted):");
  w.out += '\n';
  for (const Kept* k : kept) {
    w.out += fmt::format("  {}", visible(k->ref.display()));
    if (!k->why.empty()) w.out += fmt::format(": {}", visible(k->why));
    w.out += '\n';
  }
  w.out += '\n';
}

void write_notes(Writer& w, const std::vector<std::string>& notes) {
  if (notes.empty()) return;
  w.paint(kBold, "Notes:");
  w.out += '\n';
  for (const std::string& note : notes) w.line(fmt::format("  {}", visible(note)));
  w.out += '\n';
}

}  // namespace

// no-color.org: "when present and not an empty string (regardless of its
// value), prevents the addition of ANSI color". git's color.c
bool color_wanted(bool terminal, const cluster::Environment& env) {
  std::optional<std::string> no_color = env.get("NO_COLOR"), term = env.get("TERM");
  return io::color_wanted(terminal, no_color, term);
}

bool use_color(int fd, const cluster::Environment& env) { return color_wanted(isatty(fd) == 1, env); }

bool secret_like(const ObjectPlan& o) {
  return o.sensitive || o.secret.has_value() || is_core_secret(o.ref.group, o.ref.kind);
}

DisplayOrder display_order(const Plan& plan) {
  DisplayOrder order;
  for (const ObjectPlan& o : plan.objects) order.objects.push_back(&o);
  std::stable_sort(order.objects.begin(), order.objects.end(), [](const ObjectPlan* a, const ObjectPlan* b) {
    return std::tie(a->action, a->ref) < std::tie(b->action, b->ref);
  });
  for (const Move& m : plan.moves) order.moves.push_back(&m);
  std::stable_sort(order.moves.begin(), order.moves.end(), [](const Move* a, const Move* b) {
    return std::tie(a->workload, a->replica) < std::tie(b->workload, b->replica);
  });
  for (const NodePlan& n : plan.nodes) order.nodes.push_back(&n);
  std::stable_sort(order.nodes.begin(), order.nodes.end(),
                   [](const NodePlan* a, const NodePlan* b) { return a->machine < b->machine; });
  for (const Kept& k : plan.kept) order.kept.push_back(&k);
  std::stable_sort(order.kept.begin(), order.kept.end(), [](const Kept* a, const Kept* b) { return a->ref < b->ref; });
  return order;
}

size_t nodes_to_update(const Plan& plan) {
  return static_cast<size_t>(std::count_if(plan.nodes.begin(), plan.nodes.end(),
                                           [](const NodePlan& n) { return n.joined && !n.changes.empty(); }));
}

std::string shown_value(const json& value) {
  std::string whole = compact(value);
  if (char_count(whole) <= kMaxValueChars || !value.is_structured() || value.empty()) {
    bool cut = false;
    std::string out(first_chars(whole, kMaxValueChars, cut));
    return cut ? out + "…" : out;
  }
  // A map or list: as many whole entries as fit, then `…` and its size.
  std::string out = value.is_object() ? "{" : "[";
  size_t used = 1, shown = 0;
  for (auto it = value.begin(); it != value.end(); ++it) {
    std::string entry = (value.is_object() ? compact(json(it.key())) + ":" : std::string()) + compact(*it);
    size_t width = char_count(entry) + (shown > 0 ? 1 : 0);
    if (used + width + 1 > kMaxValueChars) {
      if (shown == 0) {
        bool cut = false;
        out += first_chars(entry, kMaxValueChars - used, cut);
      }
      break;
    }
    if (shown > 0) out += ',';
    out += entry;
    used += width;
    ++shown;
  }
  if (shown > 0) out += ',';
  out += "…";
  out += value.is_object() ? fmt::format(" ({})", plural(value.size(), "key", "keys"))
                           : fmt::format(" ({})", plural(value.size(), "item", "items"));
  return out;
}

std::string summary_line(const Plan& plan) {
  if (!plan.has_changes()) {
    return fmt::format("No changes. The cluster matches the program ({}).", plural(plan.unchanged, "object", "objects"));
  }
  std::string nodes;
  if (size_t n = nodes_to_update(plan); n > 0) nodes = fmt::format(", {} to update", plural(n, "node", "nodes"));
  std::string replace;
  if (size_t n = plan.count(Action::Replace); n > 0) replace = fmt::format(", {} to replace", n);
  return fmt::format("Plan: {} to create, {} to update, {} to delete, {} to adopt{}{}; {} unchanged.",
                     plan.count(Action::Create), plan.count(Action::Update), plan.count(Action::Delete),
                     plan.count(Action::Adopt), replace, nodes, plan.unchanged);
}

std::string render_text(const Plan& plan, const RenderOptions& options) {
  Writer w{options.color, {}};
  DisplayOrder order = display_order(plan);
  for (const ObjectPlan* o : order.objects) write_object(w, *o);
  write_moves(w, order.moves);
  write_nodes(w, order.nodes);
  write_kept(w, order.kept);
  write_notes(w, plan.notes);
  w.paint(kBold, summary_line(plan));
  w.out += '\n';
  return std::move(w.out);
}

json ref_json(const emit::ObjectRef& ref) {
  return json{{"group", ref.group}, {"version", ref.version}, {"kind", ref.kind}, {"namespace", ref.namespace_},
              {"name", ref.name}};
}

}  // namespace claw::plan
