// The workspace checked through the overlay, as `claw check` checks it.
#include "compiler/lsp/analysis.h"

#include "compiler/lsp/overlay_fs.h"
#include "compiler/lsp/uri.h"

namespace claw::lsp {

Analysis::Analysis(driver::Compiled compiled, const std::string& stdlib_dir, Encoding enc)
    : compiled_(std::move(compiled)), enc_(enc) {
  const auto& sources = compiled_.project->sources;
  paths_.reserve(sources.size());
  lines_.resize(sources.size());
  for (uint32_t i = 0; i < sources.size(); ++i) {
    const std::string& shown = sources.file(source::FileId{i}).path();
    if (shown.empty()) {  // a slot of a file an earlier load read and this one did not
      paths_.emplace_back();
      continue;
    }
    // The loader shows stdlib files as std/...; the editor opens them where they are.
    std::string path = shown.starts_with("std/") ? io::join_path(stdlib_dir, shown.substr(4)) : io::normalize_path(shown);
    by_path_.emplace(path, source::FileId{i});
    paths_.push_back(std::move(path));
  }
}

std::optional<source::FileId> Analysis::file(const std::string& path) const {
  auto it = by_path_.find(io::normalize_path(path));
  if (it == by_path_.end()) return std::nullopt;
  return it->second;
}

const LineMap& Analysis::lines(source::FileId file) const {
  auto& slot = lines_[file.value];
  if (!slot) slot = std::make_unique<LineMap>(sources().file(file).text());
  return *slot;
}

uint32_t Analysis::offset(source::FileId file, Position p) const { return lines(file).offset(p, enc_); }

nlohmann::json Analysis::range(source::Span span) const {
  if (!span.valid() || span.file.value >= paths_.size())
    return {{"start", {{"line", 0}, {"character", 0}}}, {"end", {{"line", 0}, {"character", 0}}}};
  const LineMap& l = lines(span.file);
  Position b = l.position(span.begin, enc_), e = l.position(span.end, enc_);
  return {{"start", {{"line", b.line}, {"character", b.character}}}, {"end", {{"line", e.line}, {"character", e.character}}}};
}

nlohmann::json Analysis::location(source::Span span) const {
  return {{"uri", uri_from_path(path(span.file))}, {"range", range(span)}};
}

std::unique_ptr<Analysis> analyze(const io::FileSystem& disk, const Documents& docs, const std::vector<std::string>& roots,
                                  const driver::Environment& env, Encoding enc, project::ParseCache& cache,
                                  Analysis* previous) {
  driver::CheckOptions o;
  o.index = true;
  o.keep = true;
  o.cache = &cache;
  o.paths = roots;
  // An editor waits for the answer: a network the solver cannot decide
  // quickly is said to be undecided rather than holding every edit for long.
  o.placement_seconds = 2;
  // An open document outside every root is checked with the workspace too.
  for (const auto& [path, doc] : docs.all()) {
    bool inside = false;
    for (const auto& r : roots) inside = inside || path.starts_with(r.ends_with('/') ? r : r + "/");
    if (!inside && path.ends_with(".claw")) o.paths.push_back(path);
  }
  OverlayFileSystem fs(disk, docs);
  return std::make_unique<Analysis>(driver::compile(o, fs, env, {}, true, previous ? &previous->compiled() : nullptr),
                                    env.stdlib_dir, enc);
}

}  // namespace claw::lsp
