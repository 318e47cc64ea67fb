// Token kinds and tokens. The numbering is the ANTLR grammar's own
// (grammar/Claw.g4); syntax/parse.cpp asserts that the two agree.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace claw::syntax {

enum class Tok : uint16_t {
  Eof = 0xFFFF,
  Import = 1, Let, Type, Enum, Template, Cluster, Machine, Role, Service, Job, Cron, Daemon, Chart, Secret, Resource,
  True, False, Null, X,
  LBrace, RBrace, LBrack, RBrack, LParen, RParen, Assign, Colon, Semi, Comma, Range, Dot, Question,
  Plus, Minus, Star, Slash,
  Quantity, Float, Int, Ident, String,
  LineComment, BlockComment, Ws,
  UnterminatedString, UnterminatedComment, ErrorChar,
};

/// True for tokens the parser never sees (whitespace and comments).
inline bool is_hidden(Tok k) { return k == Tok::LineComment || k == Tok::BlockComment || k == Tok::Ws; }

/// A token: its kind, its byte range in the file, and the ANTLR-compatible
/// position of its first character (1-based line, 0-based code point column).
struct Token {
  Tok kind;
  uint32_t begin;
  uint32_t end;
  uint32_t line;
  uint32_t column;
};

/// Splits a whole file into tokens, hidden ones included (whitespace only
/// when `keep_whitespace`), ending with Eof. Never fails: malformed input
/// becomes error tokens for the parser to report.
std::vector<Token> lex(std::string_view text, bool keep_whitespace = true);

/// A name people understand for a token kind: "`{`", "a string", "a name".
std::string_view describe(Tok kind);

}  // namespace claw::syntax
