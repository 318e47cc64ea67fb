#include "compiler/io/clock.h"
#include "compiler/project/load.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <thread>

namespace claw::project {
namespace {

struct Edge {
  size_t to;
  source::Span at;  // the import's path string
};

class Loader {
 public:
  Loader(const io::FileSystem& fs, const LoadOptions& options, Project& out) : fs_(fs), options_(options), out_(out) {}

  void run() {
    uint64_t t0 = io::now_ns();
    std::string prelude = io::join_path(options_.stdlib_dir, "core.claw");
    if (!fs_.exists(prelude)) {
      // Without the schemas every declaration would be an error: say the one thing that is wrong.
      out_.diags.report(diag::Kind::FileUnreadable, source::Span{},
                        fmt::format("the standard library is missing: no `{}`", prelude))
          .hint("claw looks for stdlib/ next to its executable; set CLAW_STDLIB to the folder that holds core.claw");
      out_.fatal = true;
      return;
    }
    enqueue(prelude, true, source::Span{});
    std::vector<std::string> roots = options_.paths.empty() ? std::vector<std::string>{"."} : options_.paths;
    size_t user_files = 0;
    for (const auto& p : roots) {
      if (fs_.is_directory(p)) {
        auto files = fs_.claw_files(p);
        for (const auto& f : files) enqueue(f, false, source::Span{});
        user_files += files.size();
      } else if (fs_.exists(p)) {
        enqueue(io::normalize_path(p), false, source::Span{});
        ++user_files;
      } else {
        out_.diags.report(diag::Kind::FileUnreadable, source::Span{}, fmt::format("cannot read `{}`: no such file or folder", p));
      }
    }
    if (user_files == 0 && !out_.diags.has_errors())
      out_.diags.report(diag::Kind::NoInputFiles, source::Span{}, "no `.claw` files found")
          .hint(fmt::format("looked in {}", [&] {
            std::string l;
            for (auto& r : roots) l += (l.empty() ? "" : ", ") + r;
            return l;
          }()));
    while (next_ < pending_.size()) parse_wave();
    check_cycles();
    out_.stats.wall_ns = io::now_ns() - t0;
  }

 private:
  // Registers a file (once) and returns its index.
  std::optional<size_t> enqueue(const std::string& path, bool stdlib, source::Span from) {
    std::string p = io::normalize_path(path);
    if (auto it = index_.find(p); it != index_.end()) return it->second;
    // Read when its wave is parsed, on the parsing threads.
    // Stdlib files are shown as std/..., wherever the stdlib is installed.
    std::string shown = p;
    std::string root = io::normalize_path(options_.stdlib_dir) + "/";
    if (stdlib && p.starts_with(root)) shown = "std/" + p.substr(root.size());
    source::FileId id;
    if (options_.cache) {
      id = options_.cache->id_for(p);
      out_.sources.add_at(id, shown);
    } else {
      id = out_.sources.add(shown, std::string());
    }
    size_t i = pending_.size();
    index_[p] = i;
    pending_.push_back(Pending{id, stdlib, p, from});
    edges_.emplace_back();
    return i;
  }

  void parse_wave() {
    size_t begin = next_, end = pending_.size();
    next_ = end;
    std::vector<syntax::ParseResult> results(end - begin);
    std::vector<std::optional<io::ReadError>> unreadable(end - begin);
    std::vector<const ParseCache::Entry*> reused(end - begin, nullptr);
    unsigned hw = options_.threads ? options_.threads : std::max(1u, std::thread::hardware_concurrency());
    unsigned n = static_cast<unsigned>(std::min<size_t>(hw, end - begin));
    out_.stats.threads = std::max(out_.stats.threads, n);
    std::atomic<size_t> cursor{begin};
    auto work = [&]() {
      for (size_t i = cursor++; i < end; i = cursor++) {
        auto id = pending_[i].id;
        auto text = fs_.read(pending_[i].path, options_.limits.max_file_bytes);
        if (!text) {
          unreadable[i - begin] = text.error();
          continue;
        }
        if (options_.cache)
          if (const ParseCache::Entry* hit = options_.cache->find(id, *text)) {
            out_.sources.share(id, hit->source);
            reused[i - begin] = hit;
            continue;
          }
        out_.sources.fill(id, std::move(*text));
        results[i - begin] = syntax::parse_file(out_.sources.file(id), id, options_.limits);
      }
    };
    if (n <= 1) {
      work();
    } else {
      std::vector<std::thread> threads;
      for (unsigned t = 0; t < n; ++t) threads.emplace_back(work);
      for (auto& t : threads) t.join();
    }
    files_.resize(end);
    for (size_t i = begin; i < end; ++i) {
      if (const auto& why = unreadable[i - begin]) {
        report_unreadable(pending_[i].path, pending_[i].from, *why);
        continue;
      }
      auto& r = results[i - begin];
      std::shared_ptr<syntax::File> tree;
      if (const ParseCache::Entry* hit = reused[i - begin]) {
        tree = hit->file;
        r.timings.tokens = hit->tokens;
        for (const auto& d : hit->diags) r.diags.report(d);
      } else {
        tree = std::move(r.file);
        if (options_.cache)
          options_.cache->store(pending_[i].id, ParseCache::Entry{out_.sources.shared(pending_[i].id), tree, r.diags.all(),
                                                                  r.timings.tokens});
      }
      const auto& file = out_.sources.file(pending_[i].id);
      out_.stats.files += pending_[i].stdlib ? 0 : 1;
      out_.stats.bytes += file.text().size();
      out_.stats.lines += file.line_count();
      out_.stats.tokens += r.timings.tokens;
      out_.stats.lex_ns += r.timings.lex_ns;
      out_.stats.parse_ns += r.timings.parse_ns;
      out_.stats.build_ns += r.timings.build_ns;
      out_.diags.absorb(std::move(r.diags));
      follow_imports(i, *tree);
      files_[i] = std::move(tree);
    }
  }

  // A file that was not read, reported at the import that named it (or
  // with no place, when it was named on the command line).
  void report_unreadable(const std::string& path, source::Span from, const io::ReadError& why) {
    const std::string shown = fmt::format("`{}`", path);
    if (why.kind == io::ReadError::Kind::TooLarge) {
      syntax::report_file_too_large(out_.diags, from, shown, why.size, options_.limits);
      return;
    }
    auto& d = out_.diags.report(diag::Kind::FileUnreadable, from, fmt::format("cannot read {}: {}", shown, why.message));
    if (why.kind == io::ReadError::Kind::NotRegular)
      d.hint("claw reads only regular files (a symlink to one is fine) and folders of them");
  }

  void follow_imports(size_t from, const syntax::File& file) {
    const std::string& path = pending_[from].path;
    for (const syntax::Item* item : file.items) {
      if (item->kind != syntax::ItemKind::Import || item->has_error) continue;
      auto* imp = static_cast<const syntax::ImportItem*>(item);
      std::string target;
      bool stdlib = false;
      if (imp->path.starts_with("std/")) {
        target = io::join_path(options_.stdlib_dir, imp->path.substr(4));
        stdlib = true;
      } else {
        target = io::join_path(io::parent_dir(path), imp->path);
      }
      std::vector<std::string> found;
      if (fs_.is_directory(target)) found = fs_.claw_files(target);
      else if (fs_.exists(target) && target.ends_with(".claw")) found = {target};
      else if (fs_.exists(target + ".claw")) found = {target + ".claw"};
      if (found.empty()) {
        out_.diags.report(diag::Kind::ImportNotFound, imp->path_span, fmt::format("cannot find `{}` to import", imp->path))
            .hint(stdlib ? "stdlib modules live in the stdlib folder next to the compiler (or in CLAW_STDLIB)"
                         : fmt::format("imports are relative to this file; looked for `{}`", target));
        continue;
      }
      for (const auto& f : found)
        if (auto to = enqueue(f, stdlib || pending_[from].stdlib, imp->path_span)) edges_[from].push_back(Edge{*to, imp->path_span});
    }
  }

  // Reports each import cycle once, at the import that closes it. The walk
  // keeps its own stack: an import chain is as long as the files make it.
  void check_cycles() {
    std::vector<int> state(pending_.size(), 0);
    struct Frame {
      size_t node;
      source::Span at;   // the import that led here
      size_t next = 0;   // the next of its edges to follow
    };
    std::vector<Frame> path;
    std::set<std::pair<size_t, size_t>> reported;
    for (size_t root = 0; root < pending_.size(); ++root) {
      if (state[root] != 0) continue;
      state[root] = 1;
      path.push_back(Frame{root, source::Span{}});
      while (!path.empty()) {
        Frame& top = path.back();
        if (top.next == edges_[top.node].size()) {
          state[top.node] = 2;
          path.pop_back();
          continue;
        }
        const Edge e = edges_[top.node][top.next++];
        if (state[e.to] == 1) report_cycle(top.node, e, path, reported);
        else if (state[e.to] == 0) {
          state[e.to] = 1;
          path.push_back(Frame{e.to, e.at});
        }
      }
    }
  }

  // `from` imports `e.to`, which is on `path`: the files between import each other in a ring.
  template <class Path>
  void report_cycle(size_t from, const Edge& e, const Path& path, std::set<std::pair<size_t, size_t>>& reported) {
    if (!reported.insert(std::make_pair(std::min(from, e.to), std::max(from, e.to))).second) return;
    auto& d = out_.diags.report(diag::Kind::ImportCycle, e.at,
                                fmt::format("import cycle: `{}` imports `{}`, which imports it back",
                                            out_.sources.file(pending_[from].id).path(),
                                            out_.sources.file(pending_[e.to].id).path()));
    bool on = false;
    size_t noted = 0, more = 0;
    for (const auto& frame : path) {
      if (frame.node == e.to) on = true;
      if (!on || !frame.at.valid()) continue;
      if (noted < diag::kMaxCycleShown) {
        d.note(frame.at, "imported here");
        ++noted;
      } else {
        ++more;
      }
    }
    if (more) d.note(source::Span{}, fmt::format("and {} more imports in the cycle", more));
    d.hint("files of one folder see each other without imports; move what both need into a third file");
  }

  struct Pending {
    source::FileId id;
    bool stdlib;
    std::string path;    // where it is read from
    source::Span from;   // the import that named it, if any
  };

  const io::FileSystem& fs_;
  const LoadOptions& options_;
  Project& out_;
  std::map<std::string, size_t> index_;
  std::vector<Pending> pending_;
  std::vector<std::vector<Edge>> edges_;
  size_t next_ = 0;

 public:
  std::vector<std::shared_ptr<syntax::File>> files_;
  std::vector<bool> stdlib_flags() const {
    std::vector<bool> out;
    for (auto& p : pending_) out.push_back(p.stdlib);
    return out;
  }
};

}  // namespace

sema::Program Project::program() const {
  sema::Program p;
  p.sources = &sources;
  // Stdlib files first, so its schemas are declared before user files use
  // them; within each, by path, so the order files were named or imported in
  // changes nothing (declaration order decides placement's tie-breaks and
  // the order of the output).
  std::vector<size_t> order;
  for (size_t i = 0; i < files.size(); ++i)
    if (files[i]) order.push_back(i);
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (is_stdlib[a] != is_stdlib[b]) return bool(is_stdlib[a]);
    return sources.file(files[a]->id).path() < sources.file(files[b]->id).path();
  });
  for (size_t i : order) {
    p.files.push_back(files[i].get());
    p.is_stdlib.push_back(is_stdlib[i]);
    using Owner = std::pair<std::shared_ptr<const syntax::File>, std::shared_ptr<const source::SourceFile>>;
    p.owners.push_back(std::make_shared<const Owner>(files[i], sources.shared(files[i]->id)));
  }
  return p;
}

Project load(const io::FileSystem& fs, const LoadOptions& options) {
  Project out;
  Loader loader(fs, options, out);
  loader.run();
  out.files = std::move(loader.files_);
  out.is_stdlib = loader.stdlib_flags();
  out.is_stdlib.resize(out.files.size());
  if (options.cache) {
    std::vector<source::FileId> loaded;
    for (const auto& f : out.files)
      if (f) loaded.push_back(f->id);
    options.cache->keep_only(loaded);
  }
  return out;
}

}  // namespace claw::project
