#include "compiler/emit/network_html.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/emit/html_text.h"
#include "compiler/placement/fit.h"
#include "compiler/sema/quantity_text.h"

namespace claw::emit {
namespace {

// The page is HTML with inline SVG and one style sheet. The policy below
// lets nothing load and no script run (Content Security Policy Level 3,
// `default-src 'none'`; `style-src 'unsafe-inline'` admits the sheet and
// the bars' style attributes), so the page reads offline and a name that
// escaped escaping could still do nothing.
constexpr std::string_view kHead = R"(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
)";

constexpr std::string_view kStyle = R"(<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #1d2125; background: #fafafa; }
h1 { font-size: 1.5em; margin: 0 0 .2em; }
h2 { font-size: 1.15em; margin: 0 0 .3em; }
code { font: 12px ui-monospace, monospace; background: #eef0f2; padding: 0 .25em; border-radius: 3px; }
table { border-collapse: collapse; margin: .4em 0; }
th, td { text-align: left; padding: .15em .6em .15em 0; vertical-align: top; }
th { font-weight: 600; color: #555; border-bottom: 1px solid #ccc; }
td.n, th.n, tr.replica td:nth-child(2), tr.replica td:nth-child(3) { text-align: right; white-space: nowrap; }
.legend, .facts { color: #555; }
.machines { display: grid; grid-template-columns: repeat(auto-fill, minmax(34em, 1fr)); gap: 1em; align-items: start; }
.machine { background: #fff; border: 1px solid #ccd; border-radius: 6px; padding: .8em 1em; }
.box { display: block; margin: .5em 0; overflow: visible; }
.box .capacity { fill: #fff; stroke: #445; stroke-width: 1; }
.box .reserved { fill: #d9dbe0; }
.box .allocatable { fill: none; stroke: #889; stroke-dasharray: 3 2; }
.box .replica { stroke: #fff; stroke-width: .5; }
.bar { display: flex; align-items: center; gap: .5em; margin: .15em 0; }
.bar .track { width: 9em; height: .8em; background: #e6e8eb; border-radius: 3px; overflow: hidden; flex: none; }
.bar .fill { display: block; height: 100%; background: #3b7dd8; }
.bar .label { width: 4.5em; flex: none; color: #333; }
.failover { font-weight: 600; }
.failover.survives { color: #1d7a35; }
.failover.strands { color: #b3261e; }
tr.replica td:first-child::before, tr.workload td:first-child::before { content: ""; display: inline-block; width: .8em; height: .8em; border-radius: 2px; margin-right: .3em; vertical-align: -.05em; background: var(--hue); }
.box .replica { fill: var(--hue); }
ul.cards { padding-left: 1.2em; margin: .3em 0; }
)";

using Out = std::back_insert_iterator<std::string>;

/// What the page writes of a workload, made once rather than at each of
/// its replicas (a network may have tens of thousands).
struct WorkloadFacts {
  std::string label;   // "namespace/name", escaped
  int hue = 0;          // of its colour
  std::string hue_class;  // "h217"
  std::string block;    // the classes of its replicas' blocks and rows: "replica h217"
  std::string cpu, memory;  // one replica's requests: "500m", "2GiB"
  placement::Need need;
};

double fraction(int64_t part, int64_t whole) {
  return whole > 0 ? static_cast<double>(part) / static_cast<double>(whole) : 0.0;
}

/// `part` as a whole percentage of `whole` (0 when `whole` is).
int64_t percent(int64_t part, int64_t whole) {
  return whole > 0 ? static_cast<int64_t>(std::llround(100.0 * fraction(part, whole))) : 0;
}

// The page has a block and a row per replica, and a network tens of
// thousands of replicas: their numbers are appended with std::to_chars,
// as fmt::format_to would parse its format string at each call.

void append_int(std::string& out, int64_t v) {
  char buf[24];
  auto end = std::to_chars(buf, buf + sizeof buf, v).ptr;
  out.append(buf, static_cast<size_t>(end - buf));
}

/// `v` with one decimal ("12.5").
void append_tenths(std::string& out, double v) {
  int64_t t = std::llround(v * 10.0);
  if (t < 0) {
    out += '-';
    t = -t;
  }
  append_int(out, t / 10);
  out += '.';
  out += static_cast<char>('0' + t % 10);
}

/// "cpu 1, memory 2GiB, 1 GPU with 8GiB (shared)": what one replica asks,
/// in the words of placement's diagnostics (describe_need).
void append_ask(std::string& out, const WorkloadFacts& f) {
  out += "cpu ";
  out += f.cpu;
  out += ", memory ";
  out += f.memory;
  if (f.need.gpus > 0)
    fmt::format_to(Out(out), ", {} GPU{}{}{}", f.need.gpus, f.need.gpus == 1 ? "" : "s",
                   f.need.vram ? " with " + sema::bytes_text(f.need.vram) : "", f.need.share ? " (shared)" : "");
}

/// A colour of the workload's own, the same on every run: a hue from an
/// FNV-1a hash of "namespace/name".
int hue_of(const sema::Workload& w) {
  uint32_t h = 2166136261u;
  auto mix = [&h](std::string_view s) {
    for (unsigned char c : s) h = (h ^ c) * 16777619u;
  };
  mix(w.namespace_);
  mix("/");
  mix(w.name);
  return static_cast<int>(h % 360);
}

std::vector<WorkloadFacts> facts_of(const sema::Model& model) {
  std::vector<WorkloadFacts> all;
  all.reserve(model.workloads.size());
  for (const auto& w : model.workloads) {
    WorkloadFacts f;
    append_html(f.label, w.namespace_);
    f.label += '/';
    append_html(f.label, w.name);
    f.hue = hue_of(w);
    f.hue_class += 'h';
    append_int(f.hue_class, f.hue);
    f.block = "replica " + f.hue_class;
    f.need = placement::need_of(w);  // the pod's requests: sidecars' and init containers' included
    f.cpu = sema::cpu_text(f.need.cpu);
    f.memory = sema::bytes_text(f.need.memory);
    all.push_back(std::move(f));
  }
  return all;
}

/// A class per hue the workloads use, setting the colour (`--hue`) of
/// their rows' swatches and their blocks: a rule each rather than a colour
/// at each of tens of thousands of replicas.
void hue_rules(std::string& out, const std::vector<WorkloadFacts>& facts) {
  std::vector<bool> used(360, false);
  for (const auto& f : facts) used[static_cast<size_t>(f.hue)] = true;
  for (int hue = 0; hue < 360; ++hue)
    if (used[static_cast<size_t>(hue)])
      fmt::format_to(Out(out), ".h{0} {{ --hue: hsl({0} 55% 55%); }}\n", hue);
}

void page_title(std::string& out, const sema::Model& model, const placement::Placement& placed,
                const std::vector<WorkloadFacts>& facts) {
  std::string name = model.cluster ? model.cluster->name : "network";
  out += "<title>claw: ";
  append_html(out, name);
  out += "</title>\n";
  out += kStyle;
  hue_rules(out, facts);
  out += "</style>\n</head>\n<body>\n";
  out += "<header>\n<h1>Placement of ";
  append_html(out, name);
  fmt::format_to(Out(out), "</h1>\n<p class=\"facts\">{} machines, {} workloads, {} replicas placed by the {}.</p>\n",
                 model.machines.size(), model.workloads.size(), placed.assignments.size(),
                 placed.search == placement::Search::Solver ? "exact solver"
                 : placed.search == placement::Search::Exact ? "exact search"
                                                             : "heuristic search");
  out += "<p class=\"legend\">Each machine is a box: its width is its CPU, its height its memory, to one scale for "
         "all machines. The grey strips are reserved (right: CPU, top: memory); the dashed line bounds what "
         "pods may use. Each coloured block is a replica, its width its CPU request and its height its memory "
         "request, stacked corner to corner from the bottom left. Percentages are of what pods may use: the capacity "
         "less what is reserved.</p>\n</header>\n";
}

/// The table of workloads: what each replica asks and where they run.
void workload_index(std::string& out, const sema::Model& model, const placement::Placement& placed,
                    const std::vector<WorkloadFacts>& facts) {
  std::vector<std::string> machine_names;
  machine_names.reserve(model.machines.size());
  for (const auto& m : model.machines) machine_names.push_back(html_text(m.name));
  std::vector<std::vector<uint32_t>> machines_of(model.workloads.size());
  for (const auto& a : placed.assignments) machines_of[a.workload.value].push_back(a.machine.value);
  out += "<section class=\"workloads\">\n<h2>Workloads</h2>\n<table>\n<tr><th>Workload</th><th>Kind</th>"
         "<th class=\"n\">Replicas</th><th>Each asks</th><th>Runs on</th></tr>\n";
  for (const auto& w : model.workloads) {
    const WorkloadFacts& f = facts[w.id.value];
    std::vector<uint32_t>& ms = machines_of[w.id.value];
    const size_t replicas = ms.size();
    std::sort(ms.begin(), ms.end());
    ms.erase(std::unique(ms.begin(), ms.end()), ms.end());
    out += "<tr class=\"workload ";
    out += f.hue_class;  // its colour: the first cell's swatch
    out += '"';
    out += " data-workload=\"";
    append_html(out, w.name);
    out += "\" data-namespace=\"";
    append_html(out, w.namespace_);
    out += '"';
    out += "><td>";
    out += f.label;
    out += "</td><td>";
    out += sema::workload_kind_name(w.kind);
    out += "</td><td class=\"n\">";
    append_int(out, static_cast<int64_t>(replicas));
    out += "</td><td>";
    append_ask(out, f);  // claw's words and numbers: nothing to escape
    out += "</td><td>";
    for (size_t i = 0; i < ms.size(); ++i) {
      out += i ? ", <a href=\"#m-" : "<a href=\"#m-";
      append_int(out, ms[i]);
      out += "\">";
      out += machine_names[ms[i]];
      out += "</a>";
    }
    if (ms.empty()) out += "nowhere";
    out += "</td></tr>\n";
  }
  out += "</table>\n</section>\n";
}

/// The page's scale: pixels per millicore and per byte, so that the
/// largest machine's box is 320 by 200 pixels.
struct Scale {
  double x = 0, y = 0;
};

Scale scale_of(const sema::Model& model) {
  int64_t cpu = 1, memory = 1;
  for (const auto& m : model.machines) {
    cpu = std::max(cpu, m.capacity.cpu_millis);
    memory = std::max(memory, m.capacity.memory_bytes);
  }
  return {320.0 / static_cast<double>(cpu), 200.0 / static_cast<double>(memory)};
}

/// A rect's opening up to its height's value: the caller closes the quote
/// and the element.
void rect(std::string& out, std::string_view cls, double x, double y, double w, double h) {
  out += "<rect class=\"";
  out += cls;
  out += "\" x=\"";
  append_tenths(out, x);
  out += "\" y=\"";
  append_tenths(out, y);
  out += "\" width=\"";
  append_tenths(out, w);
  out += "\" height=\"";
  append_tenths(out, h);
}

/// The machine as a box of its capacity, its reserved strips, the bound
/// of what pods may use and a block per replica.
void capacity_box(std::string& out, const sema::Machine& m, const std::vector<const placement::Assignment*>& here,
                  const std::vector<WorkloadFacts>& facts, Scale scale) {
  const double w = std::max(4.0, static_cast<double>(m.capacity.cpu_millis) * scale.x);
  const double h = std::max(4.0, static_cast<double>(m.capacity.memory_bytes) * scale.y);
  const int64_t cpu = std::max<int64_t>(1, m.capacity.cpu_millis), memory = std::max<int64_t>(1, m.capacity.memory_bytes);
  const double fx = w / static_cast<double>(cpu), fy = h / static_cast<double>(memory);
  const double rx = static_cast<double>(std::clamp<int64_t>(m.reserved.cpu_millis, 0, cpu)) * fx;
  const double ry = static_cast<double>(std::clamp<int64_t>(m.reserved.memory_bytes, 0, memory)) * fy;
  std::string width, height;
  append_tenths(width, w);
  append_tenths(height, h);
  out += "<svg class=\"box\" width=\"" + width + "\" height=\"" + height + "\" viewBox=\"0 0 " + width + " " + height +
         "\" role=\"img\">\n<title>";
  append_html(out, m.name);
  out += ": cpu " + sema::cpu_text(m.capacity.cpu_millis) + ", memory " + sema::bytes_text(m.capacity.memory_bytes) + "</title>\n";
  rect(out, "capacity", 0, 0, w, h);
  out += "\"/>\n";
  if (rx > 0) {
    rect(out, "reserved", w - rx, 0, rx, h);
    out += "\"/>\n";
  }
  if (ry > 0) {
    rect(out, "reserved", 0, 0, w, ry);
    out += "\"/>\n";
  }
  rect(out, "allocatable", 0, ry, w - rx, h - ry);
  out += "\"/>\n";
  int64_t cpu_before = 0, memory_before = 0;
  for (const auto* a : here) {
    const WorkloadFacts& f = facts[a->workload.value];
    rect(out, f.block, static_cast<double>(cpu_before) * fx,
         h - static_cast<double>(memory_before + f.need.memory) * fy,
         static_cast<double>(f.need.cpu) * fx, static_cast<double>(f.need.memory) * fy);
    out += "\"><title>";
    out += f.label;
    out += " #";
    append_int(out, a->replica);
    out += "</title></rect>\n";
    cpu_before += f.need.cpu;
    memory_before += f.need.memory;
  }
  out += "</svg>\n";
}

/// A bar of `used` (a fraction) with its label; the caller appends its
/// detail, claw's own words (nothing to escape), and closes it.
void open_bar(std::string& out, double used) {
  const double pct = std::clamp(used, 0.0, 1.0) * 100.0;
  out += "</span><span class=\"track\"><span class=\"fill\" style=\"width: ";
  append_tenths(out, pct);
  out += "%\"></span></span><span>";
  append_int(out, std::llround(pct));
  out += "% · ";
}

constexpr std::string_view kBarStart = "<div class=\"bar\"><span class=\"label\">";
constexpr std::string_view kBarEnd = "</span></div>\n";

/// CPU, memory and each card's VRAM: used over what pods may use.
void usage_bars(std::string& out, const placement::MachineUse& u, const std::vector<placement::Card>& cards) {
  out += kBarStart;
  out += "cpu";
  open_bar(out, fraction(u.cpu_used, u.cpu_allocatable));
  out += sema::cores_text(u.cpu_used) + " of " + sema::cores_text(u.cpu_allocatable) + " cores";
  out += kBarEnd;
  out += kBarStart;
  out += "memory";
  open_bar(out, fraction(u.memory_used, u.memory_allocatable));
  out += sema::bytes_text(u.memory_used) + " of " + sema::bytes_text(u.memory_allocatable);
  out += kBarEnd;
  for (const auto& c : cards) {
    const auto i = static_cast<size_t>(c.index);
    const int64_t usable = c.vram_bytes - c.reserve_bytes, used = i < u.vram_used.size() ? u.vram_used[i] : 0;
    out += kBarStart;
    out += "GPU #";
    append_int(out, c.index);
    open_bar(out, fraction(used, usable));
    out += sema::bytes_text(used) + " of " + sema::bytes_text(usable) + " VRAM";
    out += kBarEnd;
  }
}

/// Each card: its model and VRAM, and the replicas that hold or share it.
void card_list(std::string& out, const std::vector<placement::Card>& cards,
               const std::vector<const placement::Assignment*>& here, const std::vector<WorkloadFacts>& facts) {
  if (cards.empty()) return;
  out += "<ul class=\"cards\">\n";
  for (const auto& c : cards) {
    fmt::format_to(Out(out), "<li class=\"card\">GPU #{} ", c.index);
    append_html(out, c.model);
    fmt::format_to(Out(out), ", {} VRAM", sema::bytes_text(c.vram_bytes));
    if (c.reserve_bytes > 0) fmt::format_to(Out(out), " ({} kept for the driver)", sema::bytes_text(c.reserve_bytes));
    std::string users;
    for (const auto* a : here) {
      if (std::find(a->cards.begin(), a->cards.end(), c.index) == a->cards.end()) continue;
      const WorkloadFacts& f = facts[a->workload.value];
      fmt::format_to(Out(users), "{}{} #{}", users.empty() ? "" : ", ", f.label, a->replica);
      if (!f.need.share) users += " (whole card)";
      else users += f.need.vram ? fmt::format(" ({})", sema::bytes_text(f.need.vram)) : " (any VRAM)";
    }
    out += users.empty() ? ": free" : ": ";
    out += users;  // escaped already: the labels are, the rest is claw's
    out += "</li>\n";
  }
  out += "</ul>\n";
}

/// The replicas placed on the machine, with their shares of what pods may
/// use there.
void replica_table(std::string& out, const placement::MachineUse& u, const std::vector<const placement::Assignment*>& here,
                   const std::vector<WorkloadFacts>& facts) {
  if (here.empty()) {
    out += "<p class=\"facts\">No replica runs here.</p>\n";
    return;
  }
  out += "<table>\n<tr><th>Replica</th><th class=\"n\">cpu</th><th class=\"n\">memory</th><th>GPU</th></tr>\n";
  for (const auto* a : here) {
    const WorkloadFacts& f = facts[a->workload.value];
    out += "<tr class=\"";
    out += f.block;  // its colour: the first cell's swatch
    out += "\"><td>";
    out += f.label;
    out += " #";
    append_int(out, a->replica);
    out += "</td><td>";
    out += f.cpu;
    out += " (";
    append_int(out, percent(f.need.cpu, u.cpu_allocatable));
    out += "%)</td><td>";
    out += f.memory;
    out += " (";
    append_int(out, percent(f.need.memory, u.memory_allocatable));
    out += "%)</td><td>";
    for (size_t i = 0; i < a->cards.size(); ++i) {
      out += i ? ", #" : "#";
      append_int(out, a->cards[i]);
    }
    out += "</td></tr>\n";
  }
  out += "</table>\n";
}

/// What the machine is: arch, OS, k3s, capacity, roles and taints.
void machine_facts(std::string& out, const sema::Model& model, const sema::Machine& m) {
  std::string facts = fmt::format("{} · {} · k3s {} · cpu {} · memory {}", sema::arch_name(m.arch), sema::os_name(m.os),
                                  sema::k3s_mode_name(m.k3s), sema::cpu_text(m.capacity.cpu_millis),
                                  sema::bytes_text(m.capacity.memory_bytes));
  if (m.reserved.cpu_millis > 0 || m.reserved.memory_bytes > 0)
    facts += fmt::format(" · reserved cpu {}, memory {}", sema::cpu_text(m.reserved.cpu_millis),
                         sema::bytes_text(m.reserved.memory_bytes));
  if (!m.joined) facts += " · not joined";
  out += "<p class=\"facts\">";
  append_html(out, facts);
  out += "</p>\n";
  if (!m.roles.empty()) {
    out += "<p class=\"roles\">roles:";
    for (auto r : m.roles) {
      out += " <code>";
      append_html(out, model.role(r).name);
      out += "</code>";
    }
    out += "</p>\n";
  }
  if (!m.taints.empty()) {
    out += "<p class=\"taints\">taints:";
    for (const auto& t : m.taints) {
      out += " <code>";
      append_html(out, placement::taint_text(t));
      out += "</code>";
    }
    out += "</p>\n";
  }
}

/// What the page shows of one machine, and what it is drawn with.
struct MachineView {
  const std::vector<const placement::Assignment*>& here;
  const std::vector<WorkloadFacts>& facts;
  const MachineVerdict* verdict;  // null: no failover line
  Scale scale;
};

void machine_section(std::string& out, const sema::Model& model, const placement::Placement& placed, const sema::Machine& m,
                     const MachineView& view) {
  fmt::format_to(Out(out), "<section class=\"machine\" id=\"m-{}\" data-machine=\"", m.id.value);
  append_html(out, m.name);
  out += "\">\n<h2>";
  append_html(out, m.name);
  out += "</h2>\n";
  machine_facts(out, model, m);
  if (view.verdict) {
    out += view.verdict->survives ? "<p class=\"failover survives\">" : "<p class=\"failover strands\">";
    append_html(out, view.verdict->text);
    out += "</p>\n";
  }
  capacity_box(out, m, view.here, view.facts, view.scale);
  usage_bars(out, placed.use[m.id.value], placed.cards[m.id.value]);
  card_list(out, placed.cards[m.id.value], view.here, view.facts);
  replica_table(out, placed.use[m.id.value], view.here, view.facts);
  out += "</section>\n";
}

}  // namespace

std::string network_html(const sema::Model& model, const placement::Placement& placed,
                         const std::vector<MachineVerdict>& failover) {
  std::string out;
  // About 200 bytes a replica (its block and its row), 2500 a machine, 250
  // a workload.
  out.reserve(4096 + 250 * placed.assignments.size() + 2500 * model.machines.size() + 250 * model.workloads.size());
  out += kHead;
  const std::vector<WorkloadFacts> facts = facts_of(model);
  page_title(out, model, placed, facts);
  workload_index(out, model, placed, facts);
  std::vector<std::vector<const placement::Assignment*>> here(model.machines.size());
  for (const auto& a : placed.assignments) here[a.machine.value].push_back(&a);
  const Scale scale = scale_of(model);
  out += "<h2>Machines</h2>\n<main class=\"machines\">\n";
  for (const auto& m : model.machines) {
    const MachineVerdict* verdict = m.id.value < failover.size() ? &failover[m.id.value] : nullptr;
    machine_section(out, model, placed, m, MachineView{here[m.id.value], facts, verdict, scale});
  }
  out += "</main>\n</body>\n</html>\n";
  return out;
}

}  // namespace claw::emit
