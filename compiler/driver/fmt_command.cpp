#include "compiler/driver/fmt_command.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "compiler/diag/render.h"
#include "compiler/format/format.h"
#include "compiler/syntax/parse.h"

namespace claw::driver {
namespace {

/// What `--check` prints for standard input, as gofmt names it.
constexpr const char* kStdinName = "<standard input>";

/// The files `paths` name: folders searched for `*.claw` recursively, the
/// way `claw check` finds them; `-` stays `-`. Reports a path that names
/// nothing and returns false then.
bool find_files(const std::vector<std::string>& given, const io::FileSystem& fs, std::vector<std::string>& files,
                Console& console) {
  const std::vector<std::string> paths = given.empty() ? std::vector<std::string>{"."} : given;
  bool ok = true;
  for (const std::string& p : paths) {
    if (p == "-") {
      files.push_back(p);
    } else if (fs.is_directory(p)) {
      for (const std::string& f : fs.claw_files(p)) files.push_back(io::normalize_path(f));
    } else if (fs.exists(p)) {
      files.push_back(io::normalize_path(p));
    } else {
      console.err += fmt::format("claw: error: cannot read `{}`: no such file or folder [{}]\n", p,
                                 diag::kind_code(diag::Kind::FileUnreadable));
      ok = false;
    }
  }
  return ok;
}

/// Formats one file's text; prints its diagnostics as `claw check` does
/// when it has an error, and returns nothing then.
std::optional<std::string> formatted(const std::string& name, std::string text, const syntax::ParseLimits& limits,
                                     Console& console) {
  source::SourceManager sources;
  const source::FileId id = sources.add(name, std::move(text));
  const std::string_view bytes = sources.file(id).text();
  if (bytes.size() > limits.max_file_bytes) {
    diag::Sink sink;
    syntax::report_file_too_large(sink, source::Span{id, 0, 0}, fmt::format("`{}`", name), bytes.size(), limits);
    for (const auto& d : sink.all()) console.err += diag::render_text(sources, d, diag::TextStyle{console.color});
    return std::nullopt;
  }
  auto result = format::format_source(bytes, id);
  if (result) return std::move(*result);
  result.error().sort();
  for (const auto& d : result.error().all()) console.err += diag::render_text(sources, d, diag::TextStyle{console.color});
  if (auto s = diag::summary_line(result.error().all()); !s.empty()) console.err += s + "\n";
  return std::nullopt;
}

/// Reads one file (or standard input for `-`); prints why not, as an error.
std::optional<std::string> read_input(const std::string& path, const io::FileSystem& fs, const Environment& env,
                                      const syntax::ParseLimits& limits, Console& console) {
  if (path == "-") {
    if (!env.read_stdin) {
      console.err += "claw: error: cannot read standard input here\n";
      return std::nullopt;
    }
    auto text = env.read_stdin();
    if (!text) console.err += fmt::format("claw: error: cannot read standard input: {}\n", text.error());
    return text ? std::optional<std::string>(std::move(*text)) : std::nullopt;
  }
  // One byte past the cap is enough to know the file is too large.
  auto text = fs.read(path, limits.max_file_bytes + 1);
  if (!text) {
    console.err += fmt::format("claw: error: cannot read `{}`: {} [{}]\n", path, text.error().message,
                               diag::kind_code(diag::Kind::FileUnreadable));
    return std::nullopt;
  }
  return std::move(*text);
}

}  // namespace

int run_fmt(const FmtOptions& o, const io::FileSystem& fs, const Environment& env, Console& console) {
  if (o.write && o.check) {
    console.err += "claw: error: `-w` and `--check` cannot be used together: `--check` changes nothing\n";
    return 2;
  }
  std::vector<std::string> files;
  bool failed = !find_files(o.paths, fs, files, console);
  if (o.write && std::find(files.begin(), files.end(), "-") != files.end()) {
    console.err += "claw: error: `-w` cannot write standard input back; without `-w`, `-` prints to standard output\n";
    return 2;
  }
  const syntax::ParseLimits limits;
  bool changes = false;
  for (const std::string& path : files) {
    const std::string name = path == "-" ? kStdinName : path;
    auto text = read_input(path, fs, env, limits, console);
    if (!text) {
      failed = true;
      continue;
    }
    auto out = formatted(name, *text, limits, console);
    if (!out) {
      failed = true;
      continue;
    }
    const bool differs = *out != *text;
    changes = changes || differs;
    if (o.check) {
      if (differs) console.out += name + "\n";
    } else if (o.write) {
      if (!differs) continue;
      if (auto written = fs.write_file(path, *out); !written) {
        console.err += fmt::format("claw: error: {} [{}]\n", written.error(), diag::kind_code(diag::Kind::OutputFailed));
        failed = true;
      }
    } else {
      console.out += *out;
    }
  }
  return failed || (o.check && changes) ? 1 : 0;
}

}  // namespace claw::driver
