// The .claw inputs the equivalence tests (lexer, parser) feed to both
// implementations: the repository's own files, the .claw sections of the
// golden tests, and generated programs.
#pragma once

#include <doctest/doctest.h>
#include <stdlib.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace claw::testing {

namespace fs = std::filesystem;

inline const fs::path kRoot = CLAW_SOURCE_DIR;

inline std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A readable rendering of the input near a byte offset, for failure messages.
inline std::string excerpt(std::string_view text, uint32_t at) {
  uint32_t from = at > 40 ? at - 40 : 0;
  std::string out;
  for (char c : text.substr(from, 80)) {
    auto u = static_cast<unsigned char>(c);
    if (c == '\n') out += "\\n";
    else if (c == '\r') out += "\\r";
    else if (c == '\t') out += "\\t";
    else if (u < 0x20 || u == 0x7F) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X", u);
      out += buf;
    } else out += c;
  }
  return out;
}

inline bool valid_utf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    i += n;
  }
  return true;
}

struct Input {
  std::string name;
  std::string text;
};

// Splits a txtar-like golden file into its `-- name --` sections.
inline std::vector<Input> txtar_sections(const std::string& file_name, std::string_view text) {
  std::vector<Input> out;
  Input* cur = nullptr;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    size_t next = eol == std::string_view::npos ? text.size() : eol + 1;
    std::string_view line = text.substr(pos, (eol == std::string_view::npos ? text.size() : eol) - pos);
    if (line.ends_with('\r')) line.remove_suffix(1);
    if (line.size() > 6 && line.starts_with("-- ") && line.ends_with(" --")) {
      out.push_back({file_name + ":" + std::string(line.substr(3, line.size() - 6)), {}});
      cur = &out.back();
    } else if (cur) {
      cur->text.append(text.substr(pos, next - pos));
    }
    pos = next;
  }
  std::erase_if(out, [](const Input& in) { return !in.name.ends_with(".claw"); });
  return out;
}

// The .claw files (and .claw sections of .txtar files) under `dir`, named
// `prefix` + their path relative to `dir`.
inline std::vector<Input> claw_files_under(const fs::path& dir, const std::string& prefix) {
  std::vector<Input> out;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return out;
  std::vector<fs::path> paths;
  for (auto it = fs::recursive_directory_iterator(dir, ec); it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) break;
    if (it->is_regular_file(ec)) paths.push_back(it->path());
  }
  std::sort(paths.begin(), paths.end());
  for (const auto& p : paths) {
    auto rel = prefix + fs::relative(p, dir, ec).generic_string();
    if (p.extension() == ".claw") out.push_back({rel, read_file(p)});
    else if (p.extension() == ".txtar")
      for (auto& s : txtar_sections(rel, read_file(p))) out.push_back(std::move(s));
  }
  return out;
}

/// examples/, infra/ and stdlib/ (required to exist), then tests/golden/.
inline std::vector<Input> repository_sources() {
  std::vector<Input> sources;
  for (const char* dir : {"examples", "infra", "stdlib"})
    for (auto& in : claw_files_under(kRoot / dir, std::string(dir) + "/")) sources.push_back(std::move(in));
  // The repository's own sources must be found, or the tests check nothing.
  REQUIRE_MESSAGE(!sources.empty(), "no .claw file under examples/, infra/ or stdlib/ of ", kRoot.string());
  for (auto& in : claw_files_under(kRoot / "tests/golden", "tests/golden/")) sources.push_back(std::move(in));
  return sources;
}

// Runs the program generator, when the repository has one, into a fresh
// temporary folder named after `tmp_prefix`, and returns the .claw files it
// wrote. Call it from a doctest test case (it checks the generator ran).
// Interface: gen_program.py --machines M --services N OUTDIR.
inline std::vector<Input> generated_programs(const std::string& tmp_prefix) {
  std::vector<Input> out;
  fs::path gen = kRoot / "tests/bench/gen_program.py";
  std::error_code ec;
  if (!fs::exists(gen, ec)) return out;
  std::string tmpl = (fs::temp_directory_path() / (tmp_prefix + "-XXXXXX")).string();
  if (!mkdtemp(tmpl.data())) return out;
  fs::path dir = tmpl;
  std::string cmd = "python3 '" + gen.string() + "' --machines 60 --services 250 '" + (dir / "net").string() + "'";
  int rc = std::system(cmd.c_str());
  CHECK_MESSAGE(rc == 0, "failed: ", cmd);
  if (rc == 0) {
    out = claw_files_under(dir / "net", "gen_program.py:");
    CHECK_MESSAGE(!out.empty(), "gen_program.py wrote no .claw file: ", cmd);
  }
  fs::remove_all(dir, ec);
  return out;
}

}  // namespace claw::testing
