// A Secret's values read at apply time: exactly the bytes of the source,
// base64 as the API carries them, a chart's values as a YAML document that
// reads back to the same strings, one clear error per missing source, and
// never a value in an error or a plan change.
#include "runtime/apply/secret_values.h"

#include <doctest/doctest.h>
#include <yaml-cpp/yaml.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "compiler/emit/secret_objects.h"
#include "compiler/emit/values.h"
#include "compiler/io/filesystem.h"
#include "compiler/project/load.h"
#include "compiler/sema/check.h"
#include "runtime/cluster/pem.h"
#include "tests/unit/temp_dir.h"

using claw::apply::check_secret_sources;
using claw::apply::declaration_folder;
using claw::apply::kMaxSecretBytes;
using claw::apply::lookup_of;
using claw::apply::secret_changes;
using claw::apply::secret_data;
using claw::apply::secret_differs;
using claw::apply::SecretError;
using claw::apply::SecretLookup;
using claw::apply::ValueSources;
using claw::cluster::Environment;
using claw::emit::Object;
using claw::emit::SecretSource;
using Item = claw::emit::SecretSource::Item;
using nlohmann::json;

namespace {

// A value that must never appear in any error or change.
const std::string kCanary = "CANARY-7f3a-hunter2";

// The declarations live in `proj/main.claw`.
struct World {
  claw::source::SourceManager sources;
  claw::source::FileId main = sources.add("proj/main.claw", std::string(200, ' '));
  claw::io::MemoryFileSystem files;
  Environment env;

  claw::source::Span span(uint32_t at) const { return {main, at, at + 5}; }
  Item env_item(const std::string& secret, const std::string& var, const std::string& key = "value") const {
    return {key, var, std::nullopt, secret, span(10)};
  }
  Item file_item(const std::string& secret, const std::string& path, const std::string& key = "value") const {
    return {key, std::nullopt, path, secret, span(20)};
  }
  ValueSources values() const { return {env, files, declaration_folder(sources)}; }
};

SecretSource of_items(std::vector<Item> items) {
  SecretSource s;
  s.items = std::move(items);
  return s;
}

SecretSource of_chart(std::vector<std::pair<std::string, std::string>> values) {
  SecretSource s;
  s.chart_values = std::move(values);
  return s;
}

std::string decoded(const json& data, const std::string& key) {
  auto bytes = claw::cluster::decode_base64(data.at(key).get<std::string>());
  REQUIRE(bytes);
  return *bytes;
}

/// A program on disk loaded and checked as claw does it (one thread), in
/// place: the model's spans and types point into the project.
struct CheckedDir {
  claw::io::DiskFileSystem disk;
  claw::project::Project project;
  claw::sema::CheckResult checked;

  explicit CheckedDir(const std::filesystem::path& dir) : project(load(disk, dir)), checked(check(project)) {}

 private:
  static claw::project::Project load(const claw::io::DiskFileSystem& fs, const std::filesystem::path& dir) {
    claw::project::LoadOptions options;
    options.paths = {dir.string()};
    options.stdlib_dir = std::string(CLAW_SOURCE_DIR) + "/stdlib";
    options.threads = 1;
    return claw::project::load(fs, options);
  }
  static claw::sema::CheckResult check(const claw::project::Project& project) {
    if (project.fatal) return {};
    claw::sema::Program program = project.program();
    program.threads = 1;
    return claw::sema::check(program);
  }
};

}  // namespace

TEST_CASE("secret_values: base64 of the exact value") {
  // Expected values: the Kubernetes docs' Secret examples (`echo -n 'admin'
  // | base64` → YWRtaW4=), RFC 4648 §10 test vectors, and bytes worked by hand.
  struct Case {
    std::string value, base64;
  };
  const std::vector<Case> cases = {
      {"admin", "YWRtaW4="},
      {"1f2d1e2e67df", "MWYyZDFlMmU2N2Rm"},
      {"f", "Zg=="},
      {"fo", "Zm8="},
      {"foobar", "Zm9vYmFy"},
      {"admin\n", "YWRtaW4K"},               // a trailing newline is kept (echo admin | base64)
      {" admin ", "IGFkbWluIA=="},           // and spaces
      {std::string("\x00\xff\xfe", 3), "AP/+"},  // and any byte
  };
  for (const auto& c : cases) {
    CAPTURE(c.base64);
    World w;
    w.env.vars["PASS"] = c.value;
    w.files.add("proj/pass.bin", c.value);
    auto from_env = secret_data(of_items({w.env_item("db", "PASS")}), {}, w.values());
    REQUIRE(from_env);
    CHECK(*from_env == json{{"value", c.base64}});
    auto from_file = secret_data(of_items({w.file_item("db", "pass.bin", "tls.key")}), {}, w.values());
    REQUIRE(from_file);
    CHECK(*from_file == json{{"tls.key", c.base64}});
  }
}

TEST_CASE("secret_values: each source present, missing, empty, unreadable or too large") {
  struct Case {
    const char* name;
    Item (*item)(const World&);
    std::string error;  // empty: the data is {"value": base64(kCanary)}
  };
  const std::vector<Case> cases = {
      {"env set", [](const World& w) { return w.env_item("db-password", "DB_PASSWORD"); }, ""},
      {"file next to the declaring file", [](const World& w) { return w.file_item("api-token", "secrets/token.txt"); },
       ""},
      {"absolute file", [](const World& w) { return w.file_item("api-token", "/etc/claw/token"); }, ""},
      {"env unset", [](const World& w) { return w.env_item("db-password", "NOT_SET"); },
       "secret `db-password`: environment variable NOT_SET is not set; set it where claw runs"},
      {"env empty", [](const World& w) { return w.env_item("db-password", "EMPTY"); },
       "secret `db-password`: environment variable EMPTY is empty; set it to the secret's value"},
      {"file missing", [](const World& w) { return w.file_item("api-token", "secrets/missing.txt"); },
       "secret `api-token`: file `proj/secrets/missing.txt` cannot be read: No such file or directory"},
      {"file is a folder", [](const World& w) { return w.file_item("api-token", "secrets"); },
       "secret `api-token`: file `proj/secrets` cannot be read: it is a folder, not a file"},
      {"file empty", [](const World& w) { return w.file_item("api-token", "empty.txt"); },
       "secret `api-token`: file `proj/empty.txt` is empty; put the secret's value in it"},
      {"file over 1 MiB", [](const World& w) { return w.file_item("api-token", "big.bin"); },
       "secret `api-token`: file `proj/big.bin` is 1048577 bytes, more than the 1048576 bytes (1 MiB) a Kubernetes "
       "Secret holds"},
      {"no source", [](const World& w) { return Item{"value", std::nullopt, std::nullopt, "odd", w.span(30)}; },
       "secret `odd`: no source: write `from = env(\"NAME\")` or `from = file(\"PATH\")`"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    World w;
    w.env.vars = {{"DB_PASSWORD", kCanary}, {"EMPTY", ""}};
    w.files.add("proj/secrets/token.txt", kCanary);
    w.files.add("/etc/claw/token", kCanary);
    w.files.add("proj/empty.txt", "");
    w.files.add("proj/big.bin", kCanary + std::string(kMaxSecretBytes + 1 - kCanary.size(), 'x'));
    const Item item = c.item(w);
    auto data = secret_data(of_items({item}), {}, w.values());
    if (c.error.empty()) {
      REQUIRE(data);
      CHECK(decoded(*data, "value") == kCanary);
      continue;
    }
    REQUIRE_FALSE(data);
    CHECK(data.error().message == c.error);
    CHECK(data.error().secret == item.secret);
    CHECK(data.error().span == item.span);
    CHECK(data.error().message.find(kCanary) == std::string::npos);
  }
}

TEST_CASE("secret_values: a file's bytes on disk are kept exactly") {
  claw::testing::TempDir dir("claw-secret-values");
  std::filesystem::create_directories(dir.path / "secrets");
  const std::string bytes = std::string("line one\r\nline two\n\n\0end", 24);
  std::ofstream(dir.path / "secrets" / "key.pem", std::ios::binary) << bytes;
  claw::source::SourceManager sources;
  auto file = sources.add((dir.path / "main.claw").string(), "secret k { from = file(\"secrets/key.pem\") }");
  claw::io::DiskFileSystem disk;
  Environment env;
  ValueSources values{env, disk, declaration_folder(sources)};
  Item item{"tls.key", std::nullopt, "secrets/key.pem", "k", {file, 0, 6}};
  auto data = secret_data(of_items({item}), {}, values);
  REQUIRE(data);
  CHECK(decoded(*data, "tls.key") == bytes);
}

TEST_CASE("secret_values: a Secret's values may add up to 1 MiB, not more") {
  World w;
  w.env.vars = {{"A", std::string(kMaxSecretBytes / 2, 'a')}, {"B", std::string(kMaxSecretBytes / 2, 'b')},
                {"C", "c"}};
  auto fits = secret_data(of_items({w.env_item("s", "A", "a"), w.env_item("s", "B", "b")}), {}, w.values());
  CHECK(fits);
  auto over = secret_data(of_items({w.env_item("s", "A", "a"), w.env_item("s", "B", "b"), w.env_item("s", "C", "c")}),
                          {}, w.values());
  REQUIRE_FALSE(over);
  CHECK(over.error().message ==
        "secret `s`: its values come to 1048577 bytes, more than the 1048576 bytes (1 MiB) a Kubernetes Secret holds");
  CHECK(over.error().span == w.span(10));

  // A chart's values.yaml: `a: ` and a line break around the value.
  w.env.vars["A"] = std::string(kMaxSecretBytes - 4, 'a');
  auto chart_fits = secret_data(of_chart({{"a", "s"}}), lookup_of({w.env_item("s", "A")}), w.values());
  CHECK(chart_fits);
  w.env.vars["A"] += 'a';
  auto chart_over = secret_data(of_chart({{"a", "s"}}), lookup_of({w.env_item("s", "A")}), w.values());
  REQUIRE_FALSE(chart_over);
  CHECK(chart_over.error().message == "chart values `a`: their values.yaml comes to 1048577 bytes, more than the "
                                      "1048576 bytes (1 MiB) a Kubernetes Secret holds");
  CHECK(chart_over.error().message.find(std::string(64, 'a')) == std::string::npos);
}

TEST_CASE("secret_values: a chart's values Secret holds the values at their paths") {
  World w;
  w.env.vars = {{"GRAFANA", "s3cret"}, {"TOKEN", "tok"}, {"BOOL", "true"}, {"OCTAL", "0755"}, {"NUL", "null"},
                {"PEM", "-----BEGIN KEY-----\nabc\n-----END KEY-----\n"}, {"TAB", "a\tb: #c"}};
  const SecretLookup lookup = lookup_of({w.env_item("grafana-admin", "GRAFANA"), w.env_item("token", "TOKEN"),
                                         w.env_item("bool", "BOOL"), w.env_item("octal", "OCTAL"),
                                         w.env_item("nul", "NUL"), w.env_item("pem", "PEM"),
                                         w.env_item("tab", "TAB")});

  SUBCASE("one value: the document claw writes") {
    auto data = secret_data(of_chart({{"grafana.adminPassword", "grafana-admin"}}), lookup, w.values());
    REQUIRE(data);
    CHECK(data->size() == 1);
    CHECK(decoded(*data, "values.yaml") == "grafana:\n  adminPassword: s3cret\n");
  }

  SUBCASE("maps, list indices and values YAML would read as another type") {
    auto data = secret_data(of_chart({{"grafana.adminPassword", "grafana-admin"},
                                      {"grafana.env.TOKEN", "token"},
                                      {"a.list[1]", "bool"},
                                      {"a.list[0].name", "octal"},
                                      {"a.grid[0][1]", "nul"},
                                      {"tls.key", "pem"},
                                      {"odd", "tab"}}),
                             lookup, w.values());
    REQUIRE(data);
    YAML::Node doc = YAML::Load(decoded(*data, "values.yaml"));
    // Read back by an independent YAML reader: every value is the exact
    // string, and each that a reader could take for a bool, number or null
    // is not plain (yaml-cpp gives quoted and block scalars the tag "!").
    CHECK(doc["grafana"]["adminPassword"].as<std::string>() == "s3cret");
    CHECK(doc["grafana"]["env"]["TOKEN"].as<std::string>() == "tok");
    REQUIRE(doc["a"]["list"].IsSequence());
    CHECK(doc["a"]["list"].size() == 2);
    CHECK(doc["a"]["list"][0]["name"].as<std::string>() == "0755");
    CHECK(doc["a"]["list"][0]["name"].Tag() == "!");
    CHECK(doc["a"]["list"][1].as<std::string>() == "true");
    CHECK(doc["a"]["list"][1].Tag() == "!");
    REQUIRE(doc["a"]["grid"].IsSequence());
    CHECK(doc["a"]["grid"][0][0].IsNull());  // no value given for it
    CHECK(doc["a"]["grid"][0][1].as<std::string>() == "null");
    CHECK(doc["a"]["grid"][0][1].Tag() == "!");
    CHECK(doc["tls"]["key"].as<std::string>() == "-----BEGIN KEY-----\nabc\n-----END KEY-----\n");
    CHECK(doc["odd"].as<std::string>() == "a\tb: #c");
  }
}

TEST_CASE("secret_values: chart values that cannot be made, and no value in the error") {
  struct Case {
    const char* name;
    std::vector<std::pair<std::string, std::string>> values;
    std::string error;
  };
  const std::vector<Case> cases = {
      {"undeclared secret",
       {{"grafana.adminPassword", "nope"}},
       "chart value `grafana.adminPassword` names secret `nope`, which is not declared; declare it: `secret nope { "
       "from = env(\"NAME\") }`"},
      {"the secret's source is missing",
       {{"a", "canary"}, {"b", "missing"}},
       "secret `missing`: environment variable MISSING is not set; set it where claw runs"},
      {"not UTF-8",
       {{"a", "canary"}, {"b", "binary"}},
       "secret `binary`: its value is not UTF-8 text, which chart value `b` needs (Helm values are YAML)"},
      {"a value inside another",
       {{"a.b", "canary"}, {"a.b.c", "canary"}},
       "secret `canary`: chart value `a.b.c` cannot be placed in the chart's values: it is not a path of keys and "
       "[index] steps, or another value already holds it or a part of it"},
      {"a map where a list is",
       {{"a.b", "canary"}, {"a[0]", "canary"}},
       "secret `canary`: chart value `a[0]` cannot be placed in the chart's values: it is not a path of keys and "
       "[index] steps, or another value already holds it or a part of it"},
      {"not a path",
       {{"a..b", "canary"}},
       "secret `canary`: chart value `a..b` cannot be placed in the chart's values: it is not a path of keys and "
       "[index] steps, or another value already holds it or a part of it"},
      {"a bad index",
       {{"a[x]", "canary"}},
       "secret `canary`: chart value `a[x]` cannot be placed in the chart's values: it is not a path of keys and "
       "[index] steps, or another value already holds it or a part of it"},
      {"an index past what a Secret holds",
       {{"a[1048576]", "canary"}},
       "secret `canary`: chart value `a[1048576]` cannot be placed in the chart's values: it is not a path of keys "
       "and [index] steps, or another value already holds it or a part of it"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    World w;
    w.env.vars = {{"CANARY", kCanary}, {"BINARY", kCanary + "\xff"}};
    const SecretLookup lookup = lookup_of(
        {w.env_item("canary", "CANARY"), w.env_item("missing", "MISSING"), w.env_item("binary", "BINARY")});
    auto data = secret_data(of_chart(c.values), lookup, w.values());
    REQUIRE_FALSE(data);
    CHECK(data.error().message == c.error);
    CHECK(data.error().message.find(kCanary) == std::string::npos);
  }
}

TEST_CASE("secret_values: check_secret_sources finds every missing source once, keeping no value") {
  World w;
  w.env.vars = {{"CANARY", kCanary}};
  const std::vector<Item> declared = {w.env_item("ok", "CANARY"), w.env_item("db", "DB_PASSWORD"),
                                      w.file_item("token", "token.txt")};
  const SecretLookup lookup = lookup_of(declared);
  auto secret = [](const std::string& ns, SecretSource source) {
    Object o;
    o.ref = {"", "v1", "Secret", ns, "x"};
    o.secret = std::move(source);
    return o;
  };
  std::vector<Object> objects;
  objects.push_back(secret("apps", of_items({declared[0]})));
  objects.push_back(secret("apps", of_items({declared[1]})));
  objects.push_back(secret("web", of_items({declared[1]})));  // the same declaration in another namespace
  objects.push_back(secret("kube-system", of_chart({{"a.b", "ok"}, {"a.c", "token"}, {"a.d", "gone"}})));
  objects.back().span = w.span(40);
  objects.push_back(Object{});  // not a Secret

  auto errors = check_secret_sources(objects, lookup, w.values());
  std::vector<std::string> messages;
  for (const auto& e : errors) {
    messages.push_back(e.message);
    CHECK(e.message.find(kCanary) == std::string::npos);
  }
  CHECK(messages == std::vector<std::string>{
                        "secret `db`: environment variable DB_PASSWORD is not set; set it where claw runs",
                        "secret `token`: file `proj/token.txt` cannot be read: No such file or directory",
                        "chart value `a.d` names secret `gone`, which is not declared; declare it: `secret gone { from = "
                        "env(\"NAME\") }`",
                    });
  REQUIRE(errors.size() == 3);
  CHECK(errors[0].span == declared[1].span);
  CHECK(errors[1].secret == "token");
  CHECK(errors[2].secret == "gone");
  CHECK(errors[2].span == objects[3].span);  // the chart's declaration: no `secret gone` to point at

  w.env.vars["DB_PASSWORD"] = "pw";
  w.files.add("proj/token.txt", "t");
  objects[3].secret = of_chart({{"a.b", "ok"}, {"a.c", "token"}});
  CHECK(check_secret_sources(objects, lookup, w.values()).empty());
}

TEST_CASE("secret_values: the changes to a live Secret's data, never its values") {
  World w;
  w.env.vars = {{"PASS", kCanary}};
  const std::string canary64 = claw::cluster::encode_base64(kCanary);
  const std::string other64 = claw::cluster::encode_base64("old value");
  // managedFields as kube-apiserver writes them for an apply by `claw`
  // of data.value and data.old (structured-merge-diff fieldsV1).
  const json claw_owns_old = json::array({json{{"manager", "claw"},
                                               {"operation", "Apply"},
                                               {"apiVersion", "v1"},
                                               {"fieldsType", "FieldsV1"},
                                               {"fieldsV1", {{"f:data", {{"f:old", json::object()},
                                                                         {"f:value", json::object()}}}}}}});
  // The same, with data.old also owned by an Update of `kubectl-edit`:
  // server-side apply keeps a field another manager owns.
  json shared_old = claw_owns_old;
  shared_old.push_back({{"manager", "kubectl-edit"},
                        {"operation", "Update"},
                        {"apiVersion", "v1"},
                        {"fieldsType", "FieldsV1"},
                        {"fieldsV1", {{"f:data", {{"f:old", json::object()}}}}}});
  // Go's encoder writes no line breaks; another writer's (same bytes) may.
  const std::string broken64 = canary64.substr(0, 8) + "\n" + canary64.substr(8);
  struct Case {
    const char* name;
    json live;
    std::vector<std::string> changes;  // `path: before -> after`
  };
  const std::vector<Case> cases = {
      {"the same", {{"data", {{"value", canary64}}}}, {}},
      {"the same bytes, another spelling", {{"data", {{"value", broken64}}}}, {}},
      {"no data", json::object(), {"data.value: - -> \"(sensitive)\""}},
      {"another value", {{"data", {{"value", other64}}}}, {"data.value: \"(sensitive)\" -> \"(sensitive)\""}},
      {"a key someone else added", {{"data", {{"value", canary64}, {"extra", other64}}}}, {}},
      {"a key claw applied and no longer declares",
       {{"data", {{"value", canary64}, {"old", other64}}}, {"metadata", {{"managedFields", claw_owns_old}}}},
       {"data.old: \"(sensitive)\" -> -"}},
      {"a key claw applied and another manager owns too",
       {{"data", {{"value", canary64}, {"old", other64}}}, {"metadata", {{"managedFields", shared_old}}}},
       {}},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    auto changes = secret_changes(of_items({w.env_item("db", "PASS")}), {}, w.values(), c.live);
    REQUIRE(changes);
    std::vector<std::string> texts;
    for (const auto& ch : *changes) {
      texts.push_back(claw::plan::render_path(ch.path) + ": " + (ch.before ? ch.before->dump() : "-") + " -> " +
                      (ch.after ? ch.after->dump() : "-"));
      CHECK(texts.back().find(kCanary) == std::string::npos);
      CHECK(texts.back().find(canary64) == std::string::npos);
    }
    CHECK(texts == c.changes);
    auto differs = secret_differs(of_items({w.env_item("db", "PASS")}), {}, w.values(), c.live);
    REQUIRE(differs);
    CHECK(*differs == !c.changes.empty());
  }
  auto missing = secret_differs(of_items({w.env_item("db", "UNSET")}), {}, w.values(), json::object());
  REQUIRE_FALSE(missing);
  CHECK(missing.error().message == "secret `db`: environment variable UNSET is not set; set it where claw runs");
}

TEST_CASE("secret_values: a program's Secrets, as the compiler makes them") {
  // The compiler's own spans and objects: a file path is relative to the
  // folder of the file that declares the secret (examples/secrets/main.claw:
  // "From a file, relative to this folder"), and a secret only a chart
  // reads has no Secret of its own but is found for the chart's values.
  claw::testing::TempDir dir("claw-secret-program");
  std::filesystem::create_directories(dir.path / "keys");
  std::ofstream(dir.path / "main.claw")
      << "import \"std/charts/kube-prometheus-stack\"\n"
         "cluster home { k3s = \"v1.31.4+k3s1\"; server = box; namespace = \"apps\" }\n"
         "machine box { os = linux; arch = amd64; cpu = 8; memory = 32GiB; address = \"10.0.0.1\" }\n"
         "secret grafana-admin { from = env(\"GRAFANA_ADMIN_PASSWORD\") }\n"
         "chart monitoring = kube-prometheus-stack {\n"
         "  version = \"65.1.0\"\n"
         "  namespace = \"monitoring\"\n"
         "  values { grafana.adminPassword = secret(\"grafana-admin\") }\n"
         "}\n"
         "service api { image = \"example/api:1\"; port http = 8080; env { TOKEN = secret(\"api-token\") } }\n";
  std::ofstream(dir.path / "keys" / "keys.claw") << "secret api-token { from = file(\"token.txt\") }\n";
  std::ofstream(dir.path / "keys" / "token.txt", std::ios::binary) << kCanary << "\n";

  CheckedDir c(dir.path);
  REQUIRE_FALSE(c.project.fatal);
  REQUIRE_FALSE(c.checked.diags.has_errors());
  claw::io::DiskFileSystem& disk = c.disk;
  const claw::project::Project& project = c.project;
  const claw::sema::CheckResult& checked = c.checked;
  const std::vector<Object> objects = claw::emit::secret_objects(checked.model, checked.model.charts);
  REQUIRE(objects.size() == 2);  // api-token in apps, the chart's values Secret

  Environment env{{{"GRAFANA_ADMIN_PASSWORD", "yes"}}};
  ValueSources values{env, disk, declaration_folder(project.sources)};
  const SecretLookup lookup = lookup_of(claw::apply::declared_secrets(checked.model));
  CHECK(check_secret_sources(objects, lookup, values).empty());

  auto token = secret_data(*objects[0].secret, lookup, values);
  REQUIRE(token);
  CHECK(decoded(*token, "value") == kCanary + "\n");
  auto chart = secret_data(*objects[1].secret, lookup, values);
  REQUIRE(chart);
  YAML::Node doc = YAML::Load(decoded(*chart, "values.yaml"));
  CHECK(doc["grafana"]["adminPassword"].as<std::string>() == "yes");
  CHECK(doc["grafana"]["adminPassword"].Tag() == "!");  // a string, not YAML 1.1's true

  // Without the variable: one error, at the declaration.
  env.vars.clear();
  auto errors = check_secret_sources(objects, lookup, values);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].message ==
        "secret `grafana-admin`: environment variable GRAFANA_ADMIN_PASSWORD is not set; set it where claw runs");
  CHECK(project.sources.file(errors[0].span.file).path().ends_with("main.claw"));
  CHECK(project.sources.text(errors[0].span) == "grafana-admin");
}

namespace {

/// `over` merged into `base` as Helm merges values files: maps key by key,
/// anything else (lists included) replaced whole (helm.sh/docs, "Values
/// Files").
YAML::Node helm_merge(YAML::Node base, const YAML::Node& over) {
  if (!base.IsMap() || !over.IsMap()) return YAML::Clone(over);
  YAML::Node out = YAML::Clone(base);
  for (const auto& kv : over) {
    const std::string key = kv.first.as<std::string>();
    out[key] = out[key] ? helm_merge(out[key], kv.second) : YAML::Clone(kv.second);
  }
  return out;
}

}  // namespace

TEST_CASE("secret_values: a list holding a secret reaches the chart whole, its other items kept") {
  // Helm replaces a list from a later values file whole, so a list split
  // between valuesContent and the values Secret would lose its plain items.
  claw::testing::TempDir dir("claw-secret-lists");
  std::ofstream(dir.path / "main.claw")
      << "cluster home { k3s = \"v1.31.4+k3s1\"; server = box }\n"
         "machine box { os = linux; arch = amd64; cpu = 8; memory = 32GiB; address = \"10.0.0.1\" }\n"
         "secret token { from = env(\"TOKEN\") }\n"
         "chart x {\n"
         "  repo = \"https://example.com/charts\"\n"
         "  chart = \"x\"\n"
         "  version = \"1.0.0\"\n"
         "  values {\n"
         "    plain = [\"a\", \"b\"]\n"
         "    list = [\"first\", secret(\"token\"), 3]\n"
         "    env = [{ name = \"A\"; value = secret(\"token\") }, { name = \"B\"; value = \"b\" }]\n"
         "    nested.grid = [[1, secret(\"token\")], [true]]\n"
         "    kept = \"yes\"\n"
         "  }\n"
         "}\n";
  CheckedDir c(dir.path);
  REQUIRE_FALSE(c.project.fatal);
  REQUIRE_FALSE(c.checked.diags.has_errors());
  claw::io::DiskFileSystem& disk = c.disk;
  const claw::project::Project& project = c.project;
  const claw::sema::CheckResult& checked = c.checked;
  REQUIRE(checked.model.charts.size() == 1);
  const std::vector<Object> objects = claw::emit::secret_objects(checked.model, checked.model.charts);
  REQUIRE(objects.size() == 1);

  Environment env{{{"TOKEN", kCanary}}};
  ValueSources values{env, disk, declaration_folder(project.sources)};
  auto data = secret_data(*objects[0].secret, lookup_of(claw::apply::declared_secrets(checked.model)), values);
  REQUIRE_MESSAGE(data, data.error().message);
  YAML::Node secret_doc = YAML::Load(decoded(*data, "values.yaml"));
  YAML::Node content = YAML::Load(claw::emit::values_body(checked.model.charts[0]));
  // The lists with secrets are the Secret's alone; the rest stays in valuesContent.
  CHECK_FALSE(content["list"]);
  CHECK_FALSE(content["env"]);
  CHECK_FALSE(content["nested"]["grid"]);
  CHECK(content["plain"].size() == 2);
  CHECK(content["kept"].as<std::string>() == "yes");
  CHECK(claw::emit::values_body(checked.model.charts[0]).find(kCanary) == std::string::npos);

  // What the chart gets: valuesContent, then the values Secret over it.
  YAML::Node merged = helm_merge(content, secret_doc);
  REQUIRE(merged["list"].size() == 3);
  CHECK(merged["list"][0].as<std::string>() == "first");
  CHECK(merged["list"][1].as<std::string>() == kCanary);
  CHECK(merged["list"][2].as<int>() == 3);
  CHECK(merged["list"][2].Tag() == "?");  // still a number, not the string "3"
  REQUIRE(merged["env"].size() == 2);
  CHECK(merged["env"][0]["name"].as<std::string>() == "A");
  CHECK(merged["env"][0]["value"].as<std::string>() == kCanary);
  CHECK(merged["env"][1]["name"].as<std::string>() == "B");
  CHECK(merged["env"][1]["value"].as<std::string>() == "b");
  REQUIRE(merged["nested"]["grid"].size() == 2);
  CHECK(merged["nested"]["grid"][0][0].as<int>() == 1);
  CHECK(merged["nested"]["grid"][0][1].as<std::string>() == kCanary);
  CHECK(merged["nested"]["grid"][1][0].as<bool>() == true);
  CHECK(merged["plain"].size() == 2);
  CHECK(merged["kept"].as<std::string>() == "yes");
}
