// Checking an edit of a program checked before (the language server's, at
// every keystroke): the machines and workloads the edit cannot affect are
// taken over from the previous check with what they reported, and only the
// rest is checked again. What makes that sound:
//  - the edit declares the same names, in the same order, so every table,
//    id and symbol number stays what it was;
//  - every declaration other than a machine, a workload or a let (types,
//    templates, roles, secrets, charts...) keeps its text and its place, so
//    every value and type evaluated from it stays what it was, spans
//    included; when a let of a file changes or moves, every let of that
//    file is evaluated again, and none may be read outside that file's
//    machines, workloads and lets (each checked again);
//  - each machine and workload of an edited file is checked again, and so
//    is every workload that refers to a workload of one (its env values
//    read that workload's address), every workload that read the contents
//    of a machine whose text changed (DeclUses::machines), and every
//    declaration whose kept diagnostics point into an edited file; other
//    workloads read of a machine only its id and name;
//  - the checks of the whole network run again over the whole model.
// Anything else is checked in full; so is an edit once what checks of edits
// left to keep (type stores, trees of lets) has piled up (kMaxLeftovers),
// which frees it.
#include <algorithm>
#include <thread>
#include <unordered_set>
#include <utility>

#include "compiler/sema/checker.h"
#include "compiler/sema/reuse.h"

namespace claw::sema::detail {

namespace {

/// Whether an item is a machine or a workload: checked again when its file is edited.
bool is_many(const ItemShape& item) {
  if (item.kind != syntax::ItemKind::Decl) return false;
  RefKind kind = ref_kind_of(item.decl_kind);
  return kind == RefKind::Machine || kind == RefKind::Workload;
}

std::string_view item_name(const syntax::Item& item) {
  switch (item.kind) {
    case syntax::ItemKind::Import: return static_cast<const syntax::ImportItem&>(item).path;
    case syntax::ItemKind::Let: return static_cast<const syntax::LetItem&>(item).name.text;
    case syntax::ItemKind::Type: return static_cast<const syntax::TypeItem&>(item).name.text;
    case syntax::ItemKind::Enum: return static_cast<const syntax::EnumItem&>(item).name.text;
    case syntax::ItemKind::Template: return static_cast<const syntax::TemplateItem&>(item).name.text;
    case syntax::ItemKind::Decl: return static_cast<const syntax::DeclItem&>(item).name.text;
  }
  return {};
}

/// The spans a diagnostic points at: its own, its notes', its fix's.
template <class F>
bool every_span(const diag::Diagnostic& d, F&& ok) {
  if (d.span.valid() && !ok(d.span)) return false;
  for (const auto& n : d.notes)
    if (n.span.valid() && !ok(n.span)) return false;
  return !d.fix || !d.fix->span.valid() || ok(d.fix->span);
}

bool points_into(const diag::Diagnostic& d, const std::unordered_set<uint32_t>& files) {
  return !every_span(d, [&](Span s) { return !files.count(s.file.value); });
}

bool any_points_into(const std::vector<diag::Diagnostic>& ds, const std::unordered_set<uint32_t>& files) {
  return std::ranges::any_of(ds, [&](const diag::Diagnostic& d) { return points_into(d, files); });
}

bool inside(Span s, Span outer) { return s.file == outer.file && outer.begin <= s.begin && s.end <= outer.end; }

/// Whether `d` and its notes point into an edited file only inside a
/// declaration that kept its place and text there (not a let evaluated
/// again, whose spans are in `again`).
bool still_holds(const diag::Diagnostic& d, const std::unordered_map<uint32_t, const FileShape*>& edited,
                 std::span<const LetAgain> again) {
  auto holds = [&](Span s) {
    auto it = edited.find(s.file.value);
    if (it == edited.end()) return true;
    if (std::ranges::any_of(again, [&](const LetAgain& l) { return inside(s, l.was); })) return false;
    for (const ItemShape& item : it->second->items)
      if (!is_many(item) && item.span.begin <= s.begin && s.end <= item.span.end) return true;
    return false;
  };
  return every_span(d, holds);
}

/// Whether `d` is what evaluating one of the lets `again` reported: it is
/// reported anew when they are evaluated again.
bool reported_by(const diag::Diagnostic& d, std::span<const LetAgain> again) {
  return std::ranges::any_of(again, [&](const LetAgain& l) { return inside(d.span, l.was); });
}

/// What an edit's check does: the files edited, and the machines and
/// workloads to check again.
struct Plan {
  std::vector<EditedFile> edited;
  std::vector<const syntax::DeclItem*> machine_items, workload_items;  // by slot; null: keeps its item
  std::vector<uint32_t> machines, workloads;
  std::vector<LetAgain> lets;  // to evaluate again, in source order
};

constexpr size_t kMostRechecked = 2000;  // past this, a full check, on two threads, is as quick

/// Plans the check of `program`, an edit of the one `r` kept; false when
/// it must be checked in full.
bool plan_edit(const Program& program, const Reuse& r, const Index& index, Plan& plan) {
  if (program.files.size() != r.files.size() || program.owners.size() != program.files.size() ||
      program.k8s_schema != r.k8s_schema || r.leftovers >= kMaxLeftovers)
    return false;
  plan.machine_items.assign(r.tables->machines.size(), nullptr);
  plan.workload_items.assign(r.tables->workloads.size(), nullptr);
  std::vector<bool> machine_again(r.tables->machines.size()), workload_again(r.tables->workloads.size());
  std::vector<bool> changed_machines(r.tables->machines.size());  // their text changed
  std::unordered_map<uint32_t, const FileShape*> edited_by_id;
  std::unordered_set<uint32_t> relet_ids;  // edited files whose lets are evaluated again
  for (size_t i = 0; i < program.files.size(); ++i) {
    const syntax::File* f = program.files[i];
    const FileShape& was = r.files[i];
    if (program.sources->file(f->id).path() != was.path) return false;
    if (f == was.tree) continue;
    // A file with a syntax error before or after: what the parse made of the
    // text near the error (a declaration marked in error, checked as
    // nothing) differs, whatever the text.
    if (f->has_syntax_errors || was.tree->has_syntax_errors || f->items.size() != was.items.size()) return false;
    std::string_view text = program.sources->file(f->id).text();
    EditedFile e{i, f->id, {}, {}};
    bool lets_again = false;
    for (size_t k = 0; k < f->items.size(); ++k) {
      const syntax::Item& now = *f->items[k];
      const ItemShape& before = was.items[k];
      if (now.kind != before.kind || item_name(now) != before.name) return false;
      if (now.kind == syntax::ItemKind::Decl && static_cast<const syntax::DeclItem&>(now).decl_kind != before.decl_kind)
        return false;
      std::string_view now_text = text.substr(now.span.begin, now.span.end - now.span.begin);
      if (!is_many(before)) {
        if (now.span.begin != before.span.begin || now.span.end != before.span.end || now_text != before.text) {
          // A let edited or moved: the file's lets are evaluated again. Any
          // other declaration: its values' spans, read everywhere, moved.
          if (now.kind != syntax::ItemKind::Let) return false;
          lets_again = true;
        }
        continue;
      }
      if (before.slot == UINT32_MAX) return false;  // a duplicate: not in the tables
      if (before.decl_kind == syntax::DeclKind::Machine && now_text != before.text) changed_machines[before.slot] = true;
      auto* item = static_cast<const syntax::DeclItem*>(&now);
      if (before.decl_kind == syntax::DeclKind::Machine) {
        plan.machine_items[before.slot] = item;
        machine_again[before.slot] = true;
      } else {
        plan.workload_items[before.slot] = item;
        workload_again[before.slot] = true;
      }
      e.old_decls.push_back(before.span);
      e.new_decls.push_back(now.span);
    }
    if (lets_again) {
      relet_ids.insert(f->id.value);
      for (size_t k = 0; k < f->items.size(); ++k) {
        if (f->items[k]->kind != syntax::ItemKind::Let) continue;
        auto* now = static_cast<const syntax::LetItem*>(f->items[k]);
        auto it = r.tables->lets.find(now->name.text);
        if (it == r.tables->lets.end() || it->second.item != was.tree->items[k]) return false;  // a duplicate
        plan.lets.push_back(LetAgain{now, was.items[k].span});
        e.old_decls.push_back(was.items[k].span);
        e.new_decls.push_back(now->span);
      }
    }
    edited_by_id[f->id.value] = &was;
    plan.edited.push_back(std::move(e));
  }
  if (plan.edited.empty()) return true;  // nothing changed: the whole network is checked again only

  std::unordered_set<uint32_t> edited_ids;
  for (const auto& [id, _] : edited_by_id) edited_ids.insert(id);
  // What the other declarations reported must still hold, spans included.
  for (const auto* list : {&r.head, &r.middle, &r.tail})
    for (const auto& d : *list)
      if (!reported_by(d, plan.lets) && !still_holds(d, edited_by_id, plan.lets)) return false;
  // A workload referring to a workload checked again reads its address; a
  // let evaluated again may be read only where it is evaluated again too:
  // in its own file's machines, workloads and lets.
  enum Target : uint8_t { kNone, kWorkload, kLet };
  std::vector<Target> target(index.symbols.size(), kNone);
  for (size_t s = 0; s < index.symbols.size(); ++s) {
    const Symbol& sym = index.symbols[s];
    if (sym.kind == SymbolKind::Workload && edited_ids.count(sym.name_span.file.value)) target[s] = kWorkload;
    if (sym.kind == SymbolKind::Let && relet_ids.count(sym.name_span.file.value)) target[s] = kLet;
  }
  for (size_t fi = 0; fi < r.files.size(); ++fi) {
    const FileShape& shape = r.files[fi];
    const syntax::File* f = program.files[fi];
    for (const Reference& ref : index.in(f->id).refs) {
      if (target[ref.symbol] == kNone) continue;
      auto item = std::ranges::find_if(shape.items, [&](const ItemShape& x) {
        return x.span.begin <= ref.span.begin && ref.span.end <= x.span.end;
      });
      if (item == shape.items.end()) return false;
      if (target[ref.symbol] == kLet) {
        bool same_file = ref.span.file == index.symbols[ref.symbol].name_span.file;
        if (!same_file || !(is_many(*item) || item->kind == syntax::ItemKind::Let)) return false;
        continue;  // checked or evaluated again with its file
      }
      if (!is_many(*item) || item->slot == UINT32_MAX) return false;
      if (item->decl_kind == syntax::DeclKind::Machine) return false;
      workload_again[item->slot] = true;
    }
  }
  // A workload that read what a machine whose text changed holds (its NFS exports).
  for (size_t i = 0; i < r.workloads.size(); ++i)
    for (uint32_t read : r.workloads[i].uses.machines)
      if (changed_machines[read]) workload_again[i] = true;
  // A declaration whose diagnostics point into an edited file: its spans moved.
  for (size_t i = 0; i < r.machines.size(); ++i)
    if (!machine_again[i] && any_points_into(r.machines[i].diags, edited_ids)) machine_again[i] = true;
  for (size_t i = 0; i < r.workloads.size(); ++i)
    if (!workload_again[i] &&
        (any_points_into(r.workloads[i].diags, edited_ids) || any_points_into(r.workloads[i].resolved, edited_ids)))
      workload_again[i] = true;
  for (uint32_t i = 0; i < machine_again.size(); ++i)
    if (machine_again[i]) plan.machines.push_back(i);
  for (uint32_t i = 0; i < workload_again.size(); ++i)
    if (workload_again[i]) plan.workloads.push_back(i);
  return plan.machines.size() + plan.workloads.size() <= kMostRechecked;
}

/// The shape of one file (whose text `owner` keeps), its machines and
/// workloads given their slots by `slot`.
template <class Slot>
FileShape shape_of(const syntax::File& file, std::string_view path, std::string_view text, Slot&& slot,
                   std::shared_ptr<const void> owner) {
  FileShape shape{&file, std::move(owner), std::string(path), {}};
  shape.items.reserve(file.items.size());
  for (size_t k = 0; k < file.items.size(); ++k) {
    const syntax::Item* item = file.items[k];
    ItemShape& s = shape.items.emplace_back();
    s.kind = item->kind;
    s.name = item_name(*item);
    s.span = item->span;
    if (item->kind == syntax::ItemKind::Decl) s.decl_kind = static_cast<const syntax::DeclItem*>(item)->decl_kind;
    s.text = text.substr(item->span.begin, item->span.end - item->span.begin);
    if (is_many(s)) s.slot = slot(k, s, item);
  }
  return shape;
}

/// check(program), `previous` freed meanwhile on a thread of its own when
/// the program may use two: freeing a large model takes a tenth of a
/// check, and it is over before the new model has grown much.
CheckResult check_instead(const Program& program, CheckResult&& previous) {
  unsigned threads = program.threads ? program.threads : std::thread::hardware_concurrency();
  if (threads < 2) {
    previous = CheckResult{};
    return check(program);
  }
  std::jthread freeing([old = std::move(previous)]() mutable { old = CheckResult{}; });
  return check(program);
}

}  // namespace

bool keep(const Program& program, Checker& checker, std::shared_ptr<const void> types, Reuse& r) {
  r.tables = checker.take_tables();
  if (!r.tables || r.tables->copied_past) return false;
  r.types = std::move(types);
  r.copied = r.tables->copied;
  r.k8s_schema = program.k8s_schema;
  // The tables list machines and workloads in the program's order, less
  // duplicates: walking the files in order meets each at its slot.
  uint32_t next_machine = 0, next_workload = 0;
  auto slot = [&](size_t, const ItemShape& s, const syntax::Item* item) {
    auto& list = s.decl_kind == syntax::DeclKind::Machine ? r.tables->machines : r.tables->workloads;
    uint32_t& next = s.decl_kind == syntax::DeclKind::Machine ? next_machine : next_workload;
    return next < list.size() && list[next].item == item ? next++ : UINT32_MAX;
  };
  r.files.reserve(program.files.size());
  for (size_t i = 0; i < program.files.size(); ++i) {
    const auto& source = program.sources->file(program.files[i]->id);
    r.files.push_back(shape_of(*program.files[i], source.path(), source.text(), slot, program.owners[i]));
    r.files.back().pinned = std::ranges::any_of(r.files.back().items, [](const ItemShape& x) { return !is_many(x); });
  }
  return true;
}

void Checker::run_edit(Model& m, Reuse& r, const std::vector<uint32_t>& machines, const std::vector<uint32_t>& workloads,
                       std::span<const LetAgain> lets, std::span<const Workload> workloads_before) {
  reuse_ = &r;
  if (!lets.empty()) {
    // The edited files' lets, evaluated again in source order, in place of
    // what evaluating them reported before.
    for (auto* list : {&r.head, &r.middle, &r.tail}) std::erase_if(*list, [&](const auto& d) { return reported_by(d, lets); });
    for (const LetAgain& l : lets) {
      LetInfo& let = tables_.lets.at(l.item->name.text);
      let.item = l.item;
      let.state = 0;
      let.value = Value{};
      let.height = 0;
    }
    diag::Sink sink;
    diag::Sink* outer = std::exchange(sink_, &sink);
    for (const LetAgain& l : lets)
      if (LetInfo& let = tables_.lets.at(l.item->name.text); let.state == 0) (void)eval_let(let, l.item->name.span);
    sink_ = outer;
    r.head.insert(r.head.end(), sink.all().begin(), sink.all().end());
  }
  auto again = [](const std::vector<uint32_t>& list, size_t& next, size_t i) {
    if (next < list.size() && list[next] == i) return ++next, true;
    return false;
  };
  auto take_over = [&](const std::vector<diag::Diagnostic>& ds) {
    for (const auto& d : ds) sink_->report(d);
  };
  // What the kept check reported, in its order, each declaration checked
  // again reporting in its place.
  // The machines or the workloads: `list` those checked again, `out` the
  // model's, `decls` the tables', `traces` the kept traces.
  auto each = [&](const std::vector<uint32_t>& list, auto& out, std::vector<DeclInfo>& decls, std::vector<Trace>& traces) {
    traces_ = &traces;
    for (size_t i = 0, next = 0; i < out.size(); ++i) {
      if (!again(list, next, i)) {
        take_over(traces[i].diags);
        continue;
      }
      out[i] = {};
      check_traced(decls[i], out[i], m, traces[i]);
    }
    traces_ = nullptr;
  };
  take_over(r.head);
  each(machines, m.machines, tables_.machines, r.machines);
  take_over(r.middle);
  each(workloads, m.workloads, tables_.workloads, r.workloads);
  take_over(r.tail);
  if (!tables_.clusters.empty()) lower_cluster(tables_.clusters[0], m);
  report_unused_templates();
  for (size_t i = 0, next = 0; i < m.workloads.size(); ++i) {
    if (!again(workloads, next, i)) {
      take_over(r.workloads[i].resolved);
      continue;
    }
    diag::Sink sink;
    diag::Sink* outer = std::exchange(sink_, &sink);
    resolve_workload_refs(m, m.workloads[i]);
    sink_ = outer;
    r.workloads[i].resolved = std::move(sink.all());
    take_over(r.workloads[i].resolved);
  }
  check_network(m);
  std::unordered_map<std::string_view, size_t> secrets;
  for (size_t i = 0; i < m.secrets.size(); ++i) secrets.emplace(m.secrets[i].name, i);
  bool same_names = r.names_clean;
  for (size_t k = 0; same_names && k < workloads.size(); ++k)
    same_names = object_names_key(workloads_before[k], m, secrets) == object_names_key(m.workloads[workloads[k]], m, secrets);
  if (same_names) return;
  diag::Sink sink;
  diag::Sink* outer = std::exchange(sink_, &sink);
  check_object_names(m);
  sink_ = outer;
  r.names_clean = sink.all().empty();
  for (auto& d : sink.all()) sink_->report(std::move(d));
}

}  // namespace claw::sema::detail

namespace claw::sema {

CheckResult check_edit(const Program& program, CheckResult&& previous) {
  using namespace detail;
  if (!program.keep || !previous.reuse || !previous.reuse->tables) return check_instead(program, std::move(previous));
  std::shared_ptr<Reuse> kept = std::move(previous.reuse);
  Reuse& r = *kept;
  Plan plan;
  if (!plan_edit(program, r, previous.index, plan)) {
    previous.reuse = std::move(kept);
    return check_instead(program, std::move(previous));
  }
  Tables& t = *r.tables;
  for (uint32_t i : plan.machines)
    if (plan.machine_items[i]) t.machines[i].item = plan.machine_items[i];
  for (uint32_t i : plan.workloads)
    if (plan.workload_items[i]) t.workloads[i].item = plan.workload_items[i];
  t.copied = r.copied;
  t.copied_past = false;
  t.copied_reported = false;

  CheckResult out;
  out.model = std::move(previous.model);
  out.rechecked.incremental = true;
  for (const EditedFile& e : plan.edited) out.rechecked.edited.push_back(e.id);
  out.rechecked.machines = plan.machines;
  out.rechecked.workloads = plan.workloads;
  for (uint32_t i : plan.machines) out.rechecked.machines_before.push_back(out.model.machines[i]);
  for (uint32_t i : plan.workloads) out.rechecked.workloads_before.push_back(out.model.workloads[i]);
  Checker checker(program, out.diags, t);
  checker.run_edit(out.model, r, plan.machines, plan.workloads, plan.lets, out.rechecked.workloads_before);
  if (t.copied_past) {  // the copy bound is the program's: only a full check tells where it is passed
    out.reuse = std::move(kept);
    return check_instead(program, std::move(out));
  }
  // A pinned file the edit replaced stays alive: the tables point into it.
  // A file whose lets were evaluated again is pinned now. The types made
  // now stay alive too.
  for (const EditedFile& e : plan.edited) {
    const size_t i = e.file;
    FileShape& shape = r.files[i];
    if (shape.pinned) r.alive.push_back(shape.owner);
    const auto& source = program.sources->file(program.files[i]->id);
    const FileShape before = std::move(shape);
    shape = shape_of(*program.files[i], source.path(), source.text(),
                     [&](size_t k, const ItemShape&, const syntax::Item*) { return before.items[k].slot; }, program.owners[i]);
    if (std::ranges::any_of(plan.lets, [&](const LetAgain& l) { return l.item->span.file == program.files[i]->id; })) {
      shape.pinned = true;
      ++r.leftovers;
    }
  }
  if (!checker.made_no_types()) {
    r.types = checker.take_types(r.types);
    ++r.leftovers;
  }
  out.model.types = r.types;
  if (program.index) {
    out.index = std::move(previous.index);
    update_index(out.index, program, r.symbols, checker.take_recorded(), plan.edited);
  }
  out.stats.reused = out.model.machines.size() + out.model.workloads.size() - plan.machines.size() - plan.workloads.size();
  out.reuse = std::move(kept);
  return out;
}

}  // namespace claw::sema
