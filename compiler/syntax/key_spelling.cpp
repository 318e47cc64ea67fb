#include "compiler/syntax/key_spelling.h"

#include <fmt/format.h>

#include "compiler/syntax/token.h"

namespace claw::syntax {

namespace {

/// Whether the lexer reads `key` as exactly one token that the grammar's
/// `ident` rule takes (a name, `x`, or a keyword).
bool bare_name(std::string_view key) {
  auto tokens = lex(key, false);
  if (tokens.size() != 2 || tokens[0].begin != 0 || tokens[0].end != key.size()) return false;
  Tok k = tokens[0].kind;
  return k == Tok::Ident || k == Tok::X || (k >= Tok::Import && k <= Tok::Resource);
}

}  // namespace

std::string key_spelling(std::string_view key) {
  if (bare_name(key)) return std::string(key);
  std::string out = "\"";
  for (char c : key) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '$': out += "\\$"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default: out += c;
    }
  }
  out += '"';
  return out;
}

}  // namespace claw::syntax
