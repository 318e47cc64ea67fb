#include "compiler/sema/secret_rule.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <vector>

namespace claw::sema {
namespace {

// ASCII only: keys are ASCII names, and std::tolower is a call per byte.
char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool equals_lower(std::string_view a, std::string_view lower_b) {
  return a.size() == lower_b.size() && std::equal(a.begin(), a.end(), lower_b.begin(), [](char x, char y) { return lower(x) == y; });
}

/// `key`'s words, lower-cased: split at `_`, `-`, `.`, `/` and where a
/// lower-case letter or digit is followed by an upper-case one
/// (`adminPasswordKey` is admin, password, key).
std::vector<std::string> words(std::string_view key) {
  std::vector<std::string> out(1);
  for (size_t i = 0; i < key.size(); ++i) {
    const char c = key[i];
    if (c == '_' || c == '-' || c == '.' || c == '/') {
      if (!out.back().empty()) out.emplace_back();
      continue;
    }
    const bool boundary = i > 0 && std::isupper(static_cast<unsigned char>(c)) &&
                          (std::islower(static_cast<unsigned char>(key[i - 1])) || std::isdigit(static_cast<unsigned char>(key[i - 1])));
    if (boundary && !out.back().empty()) out.emplace_back();
    out.back() += lower(c);
  }
  if (out.back().empty()) out.pop_back();
  return out;
}

template <size_t N>
bool one_of(std::string_view word, const std::array<std::string_view, N>& set) {
  return std::find(set.begin(), set.end(), word) != set.end();
}

// Anywhere in a key, ignoring case: the key may hold a secret.
constexpr std::array<std::string_view, 9> kSecretWords = {"password", "passwd", "secret", "token", "encryption_key",
                                                          "api_key", "apikey", "private_key", "credential"};
// Whole words that hold a secret by themselves (`SMTP_PASS`).
constexpr std::array<std::string_view, 1> kSecretTokens = {"pass"};
// The words a secret word can be, for `<word>Key` (a key inside a Secret).
constexpr std::array<std::string_view, 7> kSecretNouns = {"password", "passwd", "pass", "secret", "token", "credential", "credentials"};
// A first word that makes the key a switch or a pointer, not a value.
constexpr std::array<std::string_view, 8> kNotValueFirst = {"existing", "enable", "enabled", "disable", "allow", "require", "use", "skip"};
// A last word that makes the key a name, a place, or a setting.
constexpr std::array<std::string_view, 32> kNotValueLast = {
    "name",   "names",      "ref",     "file",      "path",    "dir",     "url",      "uri",
    "endpoint", "host",     "port",    "length",    "len",     "min",     "max",      "ttl",
    "expiry", "expiration", "expires", "lifetime",  "timeout", "rounds",  "iterations", "algorithm",
    "type",   "mode",       "policy",  "enabled",   "disabled", "required", "header",  "field"};

/// `key` lower-cased with `-` read as `_`, as the words above are spelt:
/// folded once per key, then searched for each word.
std::string_view folded(std::string_view key) {
  thread_local std::string buf;  // checking runs on several threads
  buf.clear();
  for (char c : key) buf += c == '-' ? '_' : lower(c);
  return buf;
}

bool contains_secret_word(std::string_view folded_key) {
  return std::any_of(kSecretWords.begin(), kSecretWords.end(),
                     [&](std::string_view w) { return folded_key.find(w) != std::string_view::npos; });
}

}  // namespace

bool looks_secret_key(std::string_view key) {
  // Checked for every key of every env block: most have no secret word in
  // any form, and are answered without splitting the key into words.
  const std::string_view f = folded(key);
  const bool secret_word = contains_secret_word(f);
  if (!secret_word && f.find("pass") == std::string_view::npos) return false;
  const std::vector<std::string> w = words(key);
  if (w.empty()) return false;
  const bool secret = secret_word ||
                      std::any_of(w.begin(), w.end(), [](const std::string& x) { return one_of(x, kSecretTokens); });
  if (!secret) return false;
  if (one_of(w.front(), kNotValueFirst) || one_of(w.back(), kNotValueLast)) return false;
  // `passwordKey`, `secretKey` (Helm's idiom for the key inside a Secret),
  // but not `SECRET_KEY` or `secret_key` (Django's, Flask's: a value).
  const bool camel = std::any_of(key.begin(), key.end(), [](char c) { return std::isupper(static_cast<unsigned char>(c)); }) &&
                     std::any_of(key.begin(), key.end(), [](char c) { return std::islower(static_cast<unsigned char>(c)); });
  if (camel && w.size() >= 2 && w.back() == "key" && one_of(w[w.size() - 2], kSecretNouns)) return false;
  return true;
}

bool could_be_secret_value(std::string_view value) {
  if (value.empty()) return false;
  constexpr std::array<std::string_view, 10> kSwitches = {"true", "false", "yes", "no", "on", "off", "enabled", "disabled", "none", "null"};
  for (std::string_view s : kSwitches)
    if (equals_lower(value, s)) return false;
  if (value.size() <= 3 && std::all_of(value.begin(), value.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
    return false;
  if ((value.starts_with("http://") || value.starts_with("https://")) && value.find('@') == std::string_view::npos) return false;
  if (value.starts_with('/')) return false;
  return true;
}

}  // namespace claw::sema
