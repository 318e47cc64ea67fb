#include "tests/yaml/corpus.h"
#include "tests/unit/utf8.h"

#include <cstdint>
#include <random>
#include <set>

namespace claw::yaml_corpus {
namespace {

using claw::testing::utf8;

/// Every letter-case spelling of `word` (ASCII letters).
void all_cases(const std::string& word, std::vector<std::string>& out) {
  const size_t n = word.size();
  for (uint32_t mask = 0; mask < (1u << n); ++mask) {
    std::string w = word;
    for (size_t i = 0; i < n; ++i)
      if (mask & (1u << i)) w[i] = static_cast<char>(w[i] >= 'a' && w[i] <= 'z' ? w[i] - 32 : w[i]);
    out.push_back(w);
  }
}

// The YAML 1.1 and 1.2 core resolvers' forms (yaml.org/type/*, YAML 1.2.2
// 10.3.2), plus near misses.
const char* const kResolved[] = {
    // null
    "", "~", "null", "Null", "NULL", "nULL",
    // ints: decimal, octal (0 and 0o), hex, binary, sexagesimal, underscores, signs
    "0", "-0", "+0", "00", "007", "08", "09", "0o17", "0O17", "0o8", "0x1F", "0X1f", "0xG", "0x_1", "0b101", "0B1", "-0b1",
    "0b2", "+0x1", "1_000", "-1_000", "1__0", "_1", "1_", "+12", "-12", "123456789012345678901234567890", "1:20",
    "190:20:30", "-1:20", "1:60", "0_", "0b_", "0x", "0o",
    // floats
    "1.0", "1.", "-1.", ".5", "-.5", "+.5", "1e3", "1E3", "1e+3", "1e-3", "-1e3", "1.5e-3", "6.8523015e+5", "685.230_15e+03",
    "685_230.15", "190:20:30.15", "1:20.5", ".inf", ".Inf", ".INF", ".iNf", "-.inf", "+.inf", "-.Inf", "+.INF", ".nan",
    ".NaN", ".NAN", ".nAn", "._", "._1", "-._", "+_", "-_", "1e", "e3", "inf", "nan", "Infinity", "-Infinity", "NaN",
    // timestamps
    "2001-12-14", "2001-12-14t21:59:43.10-05:00", "2001-12-14T21:59:43Z", "2001-12-14 21:59:43.10 -5",
    "2002-1-1", "2002-12-14 0:0:0", "12:30", "12:30:45", "99:99",
    // value, merge, yaml tags
    "=", "==", "=x", "x=", "<<", "<<<", "<<x", "<", "x<<", "!!str", "!str", "!", "!!", "&a", "*a", "<< ",
    // document markers and directives
    "---", "--- x", "...", "... x", "-- x", "--", "----", "%YAML 1.2", "%TAG", "%",
};

// Strings every reader must take as they are, with indicators, spaces,
// comments and flow characters at each place in them.
const char* const kShapes[] = {
    "plain", "a: b", "a:b", "ends:", "ends: ", ":starts", ": x", "a :b", "x #y", "x#y", "#x", "# x", "x #", "x: #y",
    "- x", "-x", "--model=x", "-", "? x", "?x", "?", ":", "[x]", "x]", "{x: y}", "{", "}", ",x", "x,", "a, b", "|",
    "|x", "| x", ">", ">x", "'x'", "'", "\"", "\"x\"", "x'y", "x\"y", "@x", "`x", "%x", "x%", "\\", "\\n", "a\\b",
    "\\x41", "\\u2028", " ", "  ", " x", "x ", " x ", "a  b", "\t", "\tx", "x\t", "a\tb", "x \t", "a\n", "\n", "\n\n",
    "a\nb", "a\nb\n", "a\n\n", "\na", "\na\n", "a\r\nb\n", "a\rb", "  a\nb\n", "a\n  b\n", "a \nb\n", "a\n \n",
    "a\n\tb\n", "#x\n", "- a\n- b\n", "---\n...\n", "a\n---\nb\n", "key: value\nother: 1\n", "café", "日本語",
    "\xF0\x9F\x98\x80", "\xC2\xA0", "\xC2\xA0x", "x\xC2\xA0", "\xE2\x80\x8B", "\xE2\x80\xAE" "abc", "\xEF\xBF\xBD",
    "nginx:1.27", "/var/lib/x", "http://example.com/a?b=c#d", "redis://redis:6379/0", "${HOME}", "$x", "a=b", "x=y=z",
    "*.example.com", "50Gi", "500m", "1Gi", "v1.31.4+k3s1", "true story", "no way", "on top", "y'all", "N/A",
    // Keys a JavaScript reader must not take for an object's own machinery.
    "__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "valueOf",
};

}  // namespace

std::vector<std::string> corpus() {
  std::vector<std::string> out;
  // Bools of YAML 1.1 and 1.2 in every letter case.
  for (const char* w : {"y", "n", "yes", "no", "on", "off", "true", "false"}) all_cases(w, out);
  for (const char* s : kResolved) out.emplace_back(s);
  for (const char* s : kShapes) out.emplace_back(s);
  // Every indicator alone, before a space and before a letter, and after a
  // letter and before a space.
  for (char c : std::string("-?:,[]{}#&*!|>'\"%@`=<~.+_")) {
    out.emplace_back(1, c);
    out.push_back(std::string(1, c) + " x");
    out.push_back(std::string(1, c) + "x");
    out.push_back(std::string("x") + c);
    out.push_back(std::string("x") + c + " y");
    out.push_back(std::string("x ") + c);
  }
  // Every C0 control, DEL and C1 control alone, leading, inside and trailing;
  // the Unicode line breaks, byte order marks and non-characters likewise.
  std::vector<uint32_t> specials;
  for (uint32_t c = 0; c < 0x20; ++c) specials.push_back(c);
  for (uint32_t c = 0x7F; c <= 0xA0; ++c) specials.push_back(c);
  for (uint32_t c : {0x2028u, 0x2029u, 0xFEFFu, 0xFFFEu, 0xFFFFu, 0x200Bu, 0x200Eu, 0x202Eu, 0x3000u, 0xFFF9u})
    specials.push_back(c);
  for (uint32_t c : specials) {
    std::string ch = utf8(c);
    out.push_back(ch);
    out.push_back(ch + "x");
    out.push_back("x" + ch + "y");
    out.push_back("x" + ch);
    out.push_back("a\n" + ch + "\n");  // inside what would be a block
  }
  // Long strings: keys beyond YAML's 1024-character implicit key.
  out.push_back(std::string(1023, 'k'));
  out.push_back(std::string(1024, 'k'));
  out.push_back(std::string(1500, 'k') + ": x");
  out.push_back(std::string(5000, 'v'));
  std::string wide;
  for (int i = 0; i < 400; ++i) wide += "é";
  out.push_back(wide);
  std::string lines;
  for (int i = 0; i < 200; ++i) lines += "line " + std::to_string(i) + "\n";
  out.push_back(lines);
  // Seeded random mixes of the pieces above.
  const std::vector<std::string> pieces = {
      "y", "n", "0", "0x", "0o", "0b", "1", "9", "_", ".", "-", "+", ":", " ", "#", "\t", "\n", "\r", "=", "<<", "~", "e", "E",
      "inf", "nan", "'", "\"", "\\", utf8(0x85), utf8(0x2028), utf8(0xFEFF), "null", "true", "No", "{", "}", "[", "]", "?",
      "|", ">", "&", "*", "!", "%", "@", "`", ",", "é", "---", "...", utf8(0x1B), utf8(0), "2001-12-14", "a", "x"};
  std::mt19937 rng(20261204);
  for (int n = 0; n < 2500; ++n) {
    std::string s;
    for (int k = 1 + static_cast<int>(rng() % 6); k > 0; --k) s += pieces[rng() % pieces.size()];
    out.push_back(s);
  }
  // Each string once, first occurrence kept.
  std::set<std::string> seen;
  std::vector<std::string> unique;
  for (auto& s : out)
    if (seen.insert(s).second) unique.push_back(std::move(s));
  return unique;
}

}  // namespace claw::yaml_corpus
