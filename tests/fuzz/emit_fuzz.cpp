// libFuzzer target for the emitters: the fuzzer's bytes fill the names and
// strings of a template program (namespace, label, export path, workload,
// port and env names, env and config keys and values, image, args, host,
// paths, chart release, repo, chart, version and values, resource name,
// api, kind, labels, annotations and spec, and the source file's own name).
// When the program checks clean and places, it is written as `claw build`
// writes it (emit::write_output_tree, into memory), and the output must be
// exactly what claw meant:
// - no file path escapes the output folder (no empty, `.` or `..`
//   component, not absolute);
// - every YAML file parses (yaml-cpp) into the documents claw meant, their
//   number and kinds, and the program's strings read back as themselves;
// - every JSON file parses; every shell script passes `sh -n`;
// - network.html is a whole page without script, naming the machine and
//   the workload, escaped, in its data attributes.
// Any difference aborts, so the fuzzer reports it as a crash.
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/emit/output_paths.h"
#include "compiler/emit/output_tree.h"
#include "compiler/emit/provenance.h"
#include "compiler/emit/safe_text.h"
#include "compiler/placement/placement.h"
#include "compiler/sema/check.h"
#include "compiler/source/source.h"
#include "compiler/syntax/parse.h"

extern char** environ;

namespace {

[[noreturn]] void fail(const std::string& what, const std::string& path, const std::string& text) {
  std::fprintf(stderr, "emit_fuzz: %s\n  file: %s\n----\n%s\n----\n", what.c_str(), claw::emit::comment_safe(path).c_str(),
               text.substr(0, 4000).c_str());
  std::abort();
}

// The fields of the template, in input order (separated by NUL bytes), and
// what each is when the input runs out.
enum Field {
  kPath, kNamespace, kLabelKey, kLabelValue, kExportPath, kWorkload, kImage, kPort, kEnvName, kEnvValue,
  kConfigKey, kConfigValue, kArg, kHost, kUrlPath, kMount, kRelease, kRepo, kChart, kVersion, kValuesKey,
  kValuesString, kResource, kApi, kKind, kResLabelKey, kResLabelValue, kAnnotationKey, kAnnotationValue,
  kSpecKey, kSpecValue, kFieldCount
};
const char* const kDefaults[kFieldCount] = {
    "net.claw", "apps", "lk", "lv", "/tank/media", "web", "nginx:1.27", "http", "ENV", "value", "ck", "cv", "arg",
    "web.example.com", "/x", "/media", "rel", "https://example.com/charts", "thing", "1.0.0", "vk", "vs", "res",
    "example.com/v1", "Watch", "rlk", "rlv", "ak", "av", "sk", "sv"};

/// Valid UTF-8: each byte that does not start a valid sequence becomes `?`
/// (the loader refuses a file that is not UTF-8, and the fuzzer should
/// reach the emitters).
std::string utf8_only(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size();) {
    auto ch = claw::emit::utf8_at(s, i);
    if (ch.cp < 0) out += '?';
    else out.append(s.substr(i, ch.len));
    i += ch.len;
  }
  return out;
}

/// `s` as the body of a claw string literal.
std::string literal(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '"': out += "\\\""; break;
      case '$': out += "\\$"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default: out += c;
    }
  }
  return out;
}

/// `s` as a claw name: lower-case letters, digits and `-`, starting with a
/// letter.
std::string ident(std::string_view s, std::string_view fallback) {
  std::string out;
  for (char c : s)
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-') out += c;
  if (out.empty()) return std::string(fallback);
  if (out[0] < 'a' || out[0] > 'z') out.insert(0, "x");
  return out.substr(0, 40);
}

std::vector<std::string> fields(const uint8_t* data, size_t size) {
  std::vector<std::string> f;
  std::string_view in(reinterpret_cast<const char*>(data), size);
  size_t at = 0;
  while (f.size() < kFieldCount && at <= in.size()) {
    size_t end = in.find('\0', at);
    if (end == std::string_view::npos) end = in.size();
    f.push_back(utf8_only(in.substr(at, end - at)));
    at = end + 1;
  }
  for (size_t i = f.size(); i < kFieldCount; ++i) f.emplace_back(kDefaults[i]);
  return f;
}

std::string program(const std::vector<std::string>& f) {
  auto q = [&](Field i) { return literal(f[i]); };
  std::ostringstream p;
  p << "cluster home { k3s = \"v1.31.4+k3s1\"; server = box; namespace = \"" << q(kNamespace) << "\" }\n"
    << "machine box { os = linux; arch = amd64; cpu = 8; memory = 32GiB; label \"" << q(kLabelKey) << "\" = \""
    << q(kLabelValue) << "\"\n"
    << "  export media { path = \"" << q(kExportPath) << "\"; size = 1TiB } }\n"
    << "service " << ident(f[kWorkload], "web") << " {\n"
    << "  image = \"" << q(kImage) << "\"\n"
    << "  port " << ident(f[kPort], "http") << " = 80\n"
    << "  env { \"" << q(kEnvName) << "\" = \"" << q(kEnvValue) << "\" }\n"
    << "  config { \"" << q(kConfigKey) << "\" = \"" << q(kConfigValue) << "\" }\n"
    << "  args = [\"" << q(kArg) << "\"]\n"
    << "  host = \"" << q(kHost) << "\"\n"
    << "  path = \"" << q(kUrlPath) << "\"\n"
    << "  volume media { at = \"" << q(kMount) << "\"; nfs = \"box.media\" }\n"
    << "}\n"
    << "chart " << ident(f[kRelease], "rel") << " { repo = \"" << q(kRepo) << "\"; chart = \"" << q(kChart)
    << "\"; version = \"" << q(kVersion) << "\"; values { \"" << q(kValuesKey) << "\" = \"" << q(kValuesString)
    << "\"; zz-list = [\"" << q(kValuesString) << "\"] } }\n"
    << "resource " << ident(f[kResource], "res") << " { api = \"" << q(kApi) << "\"; kind = \"" << q(kKind)
    << "\"; labels { \"" << q(kResLabelKey) << "\" = \"" << q(kResLabelValue) << "\" }; annotations { \""
    << q(kAnnotationKey) << "\" = \"" << q(kAnnotationValue) << "\" }; spec { \"" << q(kSpecKey) << "\" = \""
    << q(kSpecValue) << "\" } }\n";
  return p.str();
}

// ------------------------------------------------------------------ the checks

void check_path(const std::string& path, const std::string& text) {
  if (path.empty() || path.front() == '/') fail("an empty or absolute output path", path, text);
  size_t at = 0;
  while (at <= path.size()) {
    size_t end = path.find('/', at);
    if (end == std::string::npos) end = path.size();
    std::string_view part(path.data() + at, end - at);
    if (part.empty() || part == "." || part == "..") fail("an output path with an empty, . or .. component", path, text);
    if (part.find('\0') != std::string_view::npos) fail("an output path with a NUL byte", path, text);
    at = end + 1;
  }
}

/// Runs `sh -n` with `script` on its standard input.
void check_shell(const std::string& path, const std::string& script) {
  int fds[2];
  if (pipe(fds) != 0) std::abort();
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[0], 0);
  posix_spawn_file_actions_addclose(&actions, fds[1]);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  char sh[] = "/bin/sh", n[] = "-n";
  char* argv[] = {sh, n, nullptr};
  pid_t pid = 0;
  if (posix_spawn(&pid, "/bin/sh", &actions, nullptr, argv, environ) != 0) std::abort();
  posix_spawn_file_actions_destroy(&actions);
  close(fds[0]);
  size_t done = 0;
  while (done < script.size()) {
    ssize_t w = write(fds[1], script.data() + done, script.size() - done);
    if (w <= 0) break;
    done += static_cast<size_t>(w);
  }
  close(fds[1]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) fail("a join script fails `sh -n`", path, script);
}

std::string scalar(const YAML::Node& n, const std::string& what, const std::string& path, const std::string& text) {
  if (!n || !n.IsScalar()) fail("no string at " + what, path, text);
  return n.as<std::string>();
}

void same(const YAML::Node& n, const std::string& want, const std::string& what, const std::string& path,
          const std::string& text) {
  std::string got = scalar(n, what, path, text);
  if (got != want)
    fail("`" + claw::emit::comment_safe(want) + "` written as " + what + ", `" + claw::emit::comment_safe(got) +
             "` read back",
         path, text);
}

std::vector<YAML::Node> load(const std::string& path, const std::string& text, const std::vector<std::string>& kinds) {
  std::vector<YAML::Node> docs;
  try {
    docs = YAML::LoadAll(text);
  } catch (const YAML::Exception& e) {
    fail(std::string("YAML that does not parse: ") + e.what(), path, text);
  }
  if (docs.size() != kinds.size())
    fail(std::to_string(docs.size()) + " documents, " + std::to_string(kinds.size()) + " meant", path, text);
  for (size_t i = 0; i < docs.size(); ++i) {
    if (!docs[i].IsMap()) fail("a document that is not a map", path, text);
    if (!kinds[i].empty()) same(docs[i]["kind"], kinds[i], "kind", path, text);
  }
  return docs;
}

/// The single entry of a map of one key read back, key and value.
void one_entry(const YAML::Node& map, const std::string& key, const std::string& value, const std::string& what,
               const std::string& path, const std::string& text) {
  if (!map || !map.IsMap()) fail("no map at " + what, path, text);
  for (const auto& kv : map)
    if (kv.first.as<std::string>() == key) return same(kv.second, value, what + "." + key, path, text);
  fail("key `" + claw::emit::comment_safe(key) + "` missing from " + what, path, text);
}

/// `text` as HTML text: comment_safe's output (the form every emitter
/// writes a program's strings in) with the five characters that could open
/// a tag, end an attribute or start a reference escaped. Written here
/// rather than taken from html_text.h, so that the page is held to the rule
/// and not to its own code.
std::string escaped(const std::string& text) {
  std::string out;
  for (char c : claw::emit::comment_safe(text)) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

/// network.html: a whole page with no script, naming the machine and the
/// workload in its data attributes, escaped.
void check_page(const claw::sema::Model& model, const std::string& path, const std::string& text) {
  if (!text.starts_with("<!DOCTYPE html>") || !text.ends_with("</html>\n")) fail("not a whole page", path, text);
  std::string lower = text;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const char* tag : {"<script", "<iframe", "<object", "<embed", "javascript:"})
    if (lower.find(tag) != std::string::npos) fail(std::string("a page holding `") + tag + "`", path, text);
  const auto& w = model.workloads.at(0);
  const auto& m = model.machines.at(0);
  if (text.find("data-machine=\"" + escaped(m.name) + "\"") == std::string::npos)
    fail("the machine missing from the page", path, text);
  if (text.find("data-workload=\"" + escaped(w.name) + "\" data-namespace=\"" + escaped(w.namespace_) + "\"") ==
      std::string::npos)
    fail("the workload missing from the page", path, text);
}

struct Output {
  std::mutex lock;
  std::map<std::string, std::string> files;
};

void check_output(const claw::sema::Model& model, const std::map<std::string, std::string>& files) {
  namespace emit = claw::emit;
  const auto& w = model.workloads.at(0);
  const auto& r = model.resources.at(0);
  const auto& c = model.charts.at(0);
  std::map<std::string, std::vector<std::string>> kinds = {
      {emit::workload_path(w.namespace_, w.name), {"ConfigMap", "Service", "Deployment", "Ingress"}},
      {emit::resource_path(r), {r.kind}},
      {emit::helm_chart_path(c), {"HelmChart"}},
      {emit::values_path(c), {""}},
      {emit::nfs_claims_path(w.namespace_), {"PersistentVolumeClaim"}},
      {std::string(emit::kNfsVolumesPath), {"PersistentVolume"}},
  };
  for (const auto& [path, text] : files) {
    check_path(path, text);
    if (path.ends_with(".sh")) {
      if (path != emit::join_script_path(model.machines.at(0))) fail("an unexpected script", path, text);
      check_shell(path, text);
      continue;
    }
    if (path.ends_with(".json")) {
      if (!nlohmann::json::accept(text)) fail("JSON that does not parse", path, text);
      continue;
    }
    if (path == emit::kNetworkHtmlPath) {
      check_page(model, path, text);
      continue;
    }
    if (path == emit::kNamespacesPath) {
      for (const auto& d : YAML::LoadAll(text)) same(d["kind"], "Namespace", "kind", path, text);
      continue;
    }
    auto k = kinds.find(path);
    if (k == kinds.end()) fail("an unexpected file", path, text);
    auto docs = load(path, text, k->second);
    if (path == emit::workload_path(w.namespace_, w.name)) {
      one_entry(docs[0]["data"], w.config.begin()->first, w.config.begin()->second, "data", path, text);
      YAML::Node ctr = docs[2]["spec"]["template"]["spec"]["containers"][0];
      same(docs[2]["metadata"]["name"], w.name, "name", path, text);
      same(docs[2]["metadata"]["namespace"], w.namespace_, "namespace", path, text);
      same(ctr["image"], w.image, "image", path, text);
      same(ctr["args"][0], w.args.at(0), "args[0]", path, text);
      same(ctr["env"][0]["name"], w.env.at(0).name, "env[0].name", path, text);
      same(ctr["env"][0]["value"], w.env.at(0).value.value_or(""), "env[0].value", path, text);
      same(ctr["volumeMounts"][0]["mountPath"], w.volumes.at(0).mount_path, "mountPath", path, text);
      same(docs[3]["spec"]["rules"][0]["host"], w.host.value_or(""), "host", path, text);
      // An empty path is the default, `/`.
      same(docs[3]["spec"]["rules"][0]["http"]["paths"][0]["path"], w.path.empty() ? "/" : w.path, "ingress path", path, text);
    } else if (path == emit::resource_path(r)) {
      same(docs[0]["apiVersion"], r.api_version, "apiVersion", path, text);
      one_entry(docs[0]["metadata"]["annotations"], r.annotations.begin()->first, r.annotations.begin()->second,
                "annotations", path, text);
      // claw's own labels win over the declaration's of the same key.
      const auto& [lk, lv] = *r.labels.begin();
      if (!lk.starts_with("app.kubernetes.io/") && lk != "claw.dev/project")
        one_entry(docs[0]["metadata"]["labels"], lk, lv, "labels", path, text);
      const auto* spec = r.spec.keys && !r.spec.keys->empty() ? r.spec.entry(r.spec.keys->at(0)) : nullptr;
      if (spec && spec->kind == claw::sema::Value::Kind::String)
        one_entry(docs[0]["spec"], r.spec.keys->at(0), spec->s, "spec", path, text);
    } else if (path == emit::helm_chart_path(c)) {
      YAML::Node spec = docs[0]["spec"];
      if (!c.repo.starts_with("oci://")) {
        same(spec["chart"], c.chart, "chart", path, text);
        if (!c.repo.empty()) same(spec["repo"], c.repo, "repo", path, text);
      }
      if (!c.version.empty()) same(spec["version"], c.version, "version", path, text);
      std::string body = scalar(spec["valuesContent"], "valuesContent", path, text);
      auto inner = load(path + " valuesContent", body, {""});
      (void)inner;
    } else if (path == emit::values_path(c) && c.values.kind == claw::sema::Value::Kind::Map && c.values.keys) {
      const auto& keys = *c.values.keys;
      for (size_t i = 0; i < keys.size(); ++i) {
        const auto& v = c.values.items->at(i);
        if (v.kind == claw::sema::Value::Kind::String) one_entry(docs[0], keys[i], v.s, "values", path, text);
      }
      same(docs[0]["zz-list"][0], c.values.entry("zz-list")->items->at(0).s, "zz-list[0]", path, text);
    }
  }
}

// The stdlib, read and parsed once (as parse_fuzz does).
struct Stdlib {
  std::vector<std::pair<std::string, std::string>> texts;
  claw::source::SourceManager sources;  // the trees point into it
  std::vector<std::unique_ptr<claw::syntax::File>> trees;
};

const Stdlib& stdlib() {
  static const Stdlib lib = [] {
    namespace fs = std::filesystem;
    Stdlib l;
    claw::source::SourceManager& sources = l.sources;
    const fs::path root = CLAW_FUZZ_STDLIB_DIR;
    for (const fs::path& p : {root / "core.claw"}) {
      std::ifstream in(p, std::ios::binary);
      std::ostringstream text;
      text << in.rdbuf();
      std::string shown = "std/" + fs::relative(p, root).generic_string();
      l.texts.emplace_back(shown, text.str());
      auto id = sources.add(shown, text.str());
      auto parsed = claw::syntax::parse_file(sources.file(id), id);
      if (parsed.diags.has_errors()) std::abort();
      l.trees.push_back(std::move(parsed.file));
    }
    return l;
  }();
  return lib;
}

/// With CLAW_FUZZ_VERBOSE set, each input says how far it went (to see that
/// a seed reaches the emitters).
void stage(const char* what, const claw::diag::Sink* diags = nullptr) {
  static const bool verbose = std::getenv("CLAW_FUZZ_VERBOSE") != nullptr;
  if (!verbose) return;
  std::fprintf(stderr, "emit_fuzz: %s\n", what);
  if (diags)
    for (const auto& d : diags->all()) std::fprintf(stderr, "  %s\n", claw::emit::comment_safe(d.message).c_str());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const Stdlib& lib = stdlib();
  const std::vector<std::string> f = fields(data, size);
  claw::source::SourceManager sources;
  for (const auto& [path, bytes] : lib.texts) sources.add(path, bytes);
  auto id = sources.add(f[kPath], program(f));
  auto parsed = claw::syntax::parse_file(sources.file(id), id);
  if (!parsed.file || parsed.diags.has_errors()) return stage("syntax errors", &parsed.diags), 0;

  claw::sema::Program prog;
  prog.sources = &sources;
  for (const auto& tree : lib.trees) {
    prog.files.push_back(tree.get());
    prog.is_stdlib.push_back(true);
  }
  prog.files.push_back(parsed.file.get());
  prog.is_stdlib.push_back(false);
  prog.threads = 1;
  auto checked = claw::sema::check(prog);
  if (checked.diags.has_errors()) return stage("check errors", &checked.diags), 0;
  claw::emit::check_output_paths(checked.model, checked.diags);
  if (checked.diags.has_errors()) return stage("output path clash", &checked.diags), 0;
  auto placed = claw::placement::place(checked.model);
  if (placed.diags.has_errors()) return stage("placement errors", &placed.diags), 0;

  Output out;
  claw::emit::write_output_tree(checked.model, placed.placement, claw::emit::where_in(sources),
                                [&](std::string_view path, std::string_view text) {
                                  std::lock_guard<std::mutex> hold(out.lock);
                                  out.files[std::string(path)] = std::string(text);
                                });
  check_output(checked.model, out.files);
  stage("written and checked");
  return 0;
}
