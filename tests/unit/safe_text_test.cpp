// Text the program supplies stays inside the comment it is copied into
// (compiler/emit/safe_text): comment_safe escapes every line break and
// control character visibly and unambiguously, and every comment writer of
// `claw build` goes through it, so a hostile file path, chart field or
// values key adds no line, no key and no object to any output file.
#include <doctest/doctest.h>
#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "compiler/driver/cli.h"
#include "compiler/emit/safe_text.h"
#include "tests/unit/test_fs.h"
#include "tests/unit/utf8.h"

namespace {

using claw::emit::comment_safe;
using claw::testing::utf8;

/// The reading comment_safe's contract promises, written independently:
/// `\\`, `\n`, `\r`, `\t`, `\xHH` (below 0x80 a character, from 0x80 a raw
/// byte) and `\uHHHH`.
std::string unescape(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\') {
      out += s[i];
      continue;
    }
    REQUIRE(i + 1 < s.size());
    char e = s[++i];
    if (e == '\\') out += '\\';
    else if (e == 'n') out += '\n';
    else if (e == 'r') out += '\r';
    else if (e == 't') out += '\t';
    else if (e == 'x') out += static_cast<char>(std::stoul(s.substr(i + 1, 2), nullptr, 16)), i += 2;
    else if (e == 'u') out += utf8(static_cast<uint32_t>(std::stoul(s.substr(i + 1, 4), nullptr, 16))), i += 4;
    else FAIL("unknown escape \\" << e);
  }
  return out;
}

/// Whether `s` holds a byte or sequence that ends a comment line or that a
/// YAML reader refuses: C0 but nothing else, DEL, U+0080..U+009F, U+2028,
/// U+2029, U+FEFF, U+FFFE, U+FFFF; and whether it is valid UTF-8 at all.
bool clean_line(const std::string& s) {
  for (size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7F) return false;
    if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) <= 0x9F) return false;
    if (s.compare(i, 3, "\xE2\x80\xA8") == 0 || s.compare(i, 3, "\xE2\x80\xA9") == 0) return false;
    if (s.compare(i, 3, "\xEF\xBB\xBF") == 0 || s.compare(i, 3, "\xEF\xBF\xBE") == 0 ||
        s.compare(i, 3, "\xEF\xBF\xBF") == 0)
      return false;
  }
  return true;
}

}  // namespace

TEST_CASE("comment_safe: every code point and every byte comes back, on one clean line") {
  std::vector<std::string> cases = {"", "plain text", "a\\b", "\\n is not a newline", "\\x41", "x\\"};
  for (uint32_t cp = 0; cp < 0x3000; ++cp) cases.push_back(std::string("<").append(utf8(cp)).append(">"));  // not "<" + ...: GCC 12 warns falsely (-Wrestrict)
  for (uint32_t cp : {0xFEFFu, 0xFFFEu, 0xFFFDu, 0xFFFFu, 0x10000u, 0x10FFFFu, 0x1F600u}) cases.push_back(utf8(cp) + "x");
  // Invalid UTF-8: lone continuation bytes, truncated and overlong
  // sequences, surrogates, bytes that never start one.
  for (const char* bad : {"\x80", "\xBF", "\xC2", "\xC0\xAF", "\xE2\x80", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xFE",
                          "\xFF", "\xE2\x80\xA8\x80"})
    cases.push_back(std::string("a") + bad + "b");
  // Random bytes, biased towards the interesting ones.
  std::mt19937 rng(9);
  static constexpr char kAscii[] = "\n\r\t\\\x00\x7f x#-:";  // the NUL inside counts
  const std::string pool = std::string(kAscii, sizeof kAscii - 1) + "\xC2\x85\xE2\x80\xA8\xE2\x80\xA9\xEF\xBB\xBF\xFF\x80";
  for (int n = 0; n < 3000; ++n) {
    std::string s;
    for (int k = static_cast<int>(rng() % 12); k > 0; --k)
      s += rng() % 3 == 0 ? static_cast<char>(rng() % 256) : pool[rng() % pool.size()];
    cases.push_back(s);
  }
  for (const auto& s : cases) {
    std::string safe = comment_safe(s);
    CAPTURE(s);
    CAPTURE(safe);
    CHECK(clean_line(safe));
    CHECK(unescape(safe) == s);
  }
  // Text with nothing to escape is unchanged, UTF-8 included.
  CHECK(comment_safe("infra/services/café.claw:12") == "infra/services/café.claw:12");
  CHECK(comment_safe("a\nb") == "a\\nb");
  CHECK(comment_safe("ls\xE2\x80\xA8x") == "ls\\u2028x");
  CHECK(comment_safe("nel\xC2\x85") == "nel\\u0085");
  CHECK(comment_safe("bad\xFF") == "bad\\xFF");
  CHECK(comment_safe("esc\x1B[0m") == "esc\\x1B[0m");
}

TEST_CASE("append_comment: one comment line whatever the text") {
  std::string out;
  claw::emit::append_comment(out, "");
  claw::emit::append_comment(out, "x\n---\nkind: Secret");
  CHECK(out == "#\n# x\\n---\\nkind: Secret\n");
}

namespace {

/// `claw build` of `program`, read from `path`, into out/ in memory.
struct Hostile {
  claw::testing::TestFileSystem fs;
  claw::driver::Console console;
  int code = 0;
  Hostile(const std::string& path, const std::string& program) {
    fs.memory.add(path, program);
    code = claw::driver::run({"build", path, "-o", "out"}, fs, claw::driver::Environment{claw::testing::stdlib_dir()},
                             console);
  }
  /// Every file written under out/ whose name ends in `ext`.
  std::vector<std::pair<std::string, std::string>> files(const std::string& ext) const {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& [p, text] : fs.memory.all())
      if (p.starts_with("out/") && p.ends_with(ext)) out.emplace_back(p, text);
    return out;
  }
};

const char* kProgram = R"(
cluster home { k3s = "v1.31.4+k3s1"; server = box; namespace = "apps" }
machine box { os = linux; arch = amd64; cpu = 8; memory = 32GiB }
secret pw { from = env("PW") }
service web { image = "nginx:1.27"; port http = 80; config { "a" = "b" } }
chart x {
  repo = "https://example.com/charts\n---\nkind: Secret"
  chart = "thing\nadminPassword: hunter2"
  version = "1.0\u2028evil: true"
  values {
    grafana.adminPassword = secret("pw")
    list = [1, { "k\nadminPassword: hunter3" = secret("pw") }]
  }
}
)";

/// Each document's kind; a document that is not a map counts as "?".
std::vector<std::string> kinds(const std::string& text) {
  std::vector<std::string> out;
  for (const auto& d : YAML::LoadAll(text))
    out.push_back(d.IsMap() && d["kind"] ? d["kind"].as<std::string>() : std::string("?"));
  return out;
}

}  // namespace

TEST_CASE("comments: a hostile source path, chart fields and values keys add nothing to the output") {
  // The program's own path holds a line break and a whole object, as a
  // folder name can.
  const std::string path = "evil\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\n#/net.claw";
  // The chart's fields hold line breaks (a \u2028 too, a line break to YAML
  // 1.1): the language's escapes \n; the raw U+2028 spelt in the file.
  std::string program = kProgram;
  program.replace(program.find("\\u2028"), 6, "\xE2\x80\xA8");
  Hostile b(path, program);
  INFO(b.console.err);
  REQUIRE(b.code == 0);
  auto yaml = b.files(".yaml");
  REQUIRE(yaml.size() >= 4);
  for (const auto& [p, text] : yaml) {
    CAPTURE(p);
    CAPTURE(text);
    for (const auto& k : kinds(text)) {
      CHECK(k != "ClusterRoleBinding");
      CHECK(k != "Secret");
    }
    // Every line is a comment, a document marker or YAML claw meant: no
    // line of the hostile text stands on its own.
    CHECK(text.find("\nkind: ClusterRoleBinding") == std::string::npos);
    CHECK(text.find("\nadminPassword") == std::string::npos);
    CHECK(text.find("\nevil") == std::string::npos);
    CHECK(text.find("\xE2\x80\xA8") == std::string::npos);
  }
  std::string web = b.fs.memory.read("out/manifests/apps/web.yaml").value_or("");
  CHECK(kinds(web) == std::vector<std::string>{"ConfigMap", "Service", "Deployment"});
  CHECK(web.find("# source: evil\\n---\\napiVersion: rbac.authorization.k8s.io/v1\\nkind: ClusterRoleBinding\\n#/net.claw:5\n") !=
        std::string::npos);
  std::string values = b.fs.memory.read("out/values/x.yaml").value_or("");
  CAPTURE(values);
  YAML::Node v = YAML::Load(values);
  REQUIRE(v.IsMap());
  // `grafana` (emptied): the secrets left out, the list that holds one set
  // whole at apply time, nothing added.
  CHECK(v.size() == 1);
  CHECK(!v["adminPassword"]);
  CHECK(values.starts_with("# Generated by claw from chart `x` (thing\\nadminPassword: hunter2 1.0\\u2028evil: true from "
                           "https://example.com/charts\\n---\\nkind: Secret); do not edit.\n"));
  CHECK(values.find("# list[1].k\\nadminPassword: hunter3: from secret pw (supplied at apply time)\n") != std::string::npos);
  // The join script's comments name the program's path nowhere, but its
  // cluster and machine: each comment line still starts with `#`.
  for (const auto& [p, text] : b.files(".sh")) {
    CAPTURE(text);
    CHECK(text.find("\xE2\x80\xA8") == std::string::npos);
  }
}
