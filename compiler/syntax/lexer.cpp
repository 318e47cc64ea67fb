// The hand-written lexer. It implements exactly the lexer rules of
// grammar/Claw.g4 (longest match, keywords before IDENT on ties) and is held
// to them by tests/unit/lexer_equivalence_test.cpp.
#include <algorithm>
#include <array>
#include <cstdint>

#include "compiler/syntax/token.h"

namespace claw::syntax {
namespace {

bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
bool is_alpha(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_ident_start(unsigned char c) { return is_alpha(c) || c == '_'; }
bool is_ident_char(unsigned char c) { return is_alpha(c) || is_digit(c) || c == '_' || c == '-'; }

// Length in bytes of the UTF-8 sequence starting with `c` (1 for invalid
// bytes; the driver rejects files that are not UTF-8 before lexing).
size_t utf8_len(unsigned char c) {
  if (c < 0x80) return 1;
  if ((c >> 5) == 0x6) return 2;
  if ((c >> 4) == 0xE) return 3;
  if ((c >> 3) == 0x1E) return 4;
  return 1;
}

struct Keyword {
  std::string_view text;
  Tok kind;
};

constexpr std::array kKeywords = {
    Keyword{"import", Tok::Import},   Keyword{"let", Tok::Let},         Keyword{"type", Tok::Type},
    Keyword{"enum", Tok::Enum},       Keyword{"template", Tok::Template}, Keyword{"cluster", Tok::Cluster},
    Keyword{"machine", Tok::Machine}, Keyword{"role", Tok::Role},       Keyword{"service", Tok::Service},
    Keyword{"job", Tok::Job},         Keyword{"cron", Tok::Cron},       Keyword{"daemon", Tok::Daemon},
    Keyword{"chart", Tok::Chart},     Keyword{"secret", Tok::Secret},   Keyword{"resource", Tok::Resource},
    Keyword{"true", Tok::True},       Keyword{"false", Tok::False},     Keyword{"null", Tok::Null},
    Keyword{"x", Tok::X},
};

// The keywords by length, then first letter: a word is compared with at
// most two of them (every identifier of a program comes through here).
constexpr size_t kLongestKeyword = 8;
static_assert([] {
  for (const auto& a : kKeywords) {
    int same = 0;
    for (const auto& b : kKeywords) same += a.text.size() == b.text.size() && a.text[0] == b.text[0];
    if (a.text.size() > kLongestKeyword || a.text[0] < 'a' || a.text[0] > 'z' || same > 2) return false;
  }
  return true;
}(), "each keyword needs a place in kByLength: lower case, at most 8 letters, at most two per length and first letter");
constexpr auto kByLength = [] {
  std::array<std::array<std::array<uint8_t, 2>, 26>, kLongestKeyword + 1> table{};
  for (uint8_t i = 0; i < kKeywords.size(); ++i) {
    auto& slot = table[kKeywords[i].text.size()][static_cast<size_t>(kKeywords[i].text[0] - 'a')];
    slot[slot[0] == 0 ? 0 : 1] = static_cast<uint8_t>(i + 1);  // 0: none
  }
  return table;
}();

Tok keyword_or_ident(std::string_view word) {
  if (word.size() > kLongestKeyword || word[0] < 'a' || word[0] > 'z') return Tok::Ident;
  for (uint8_t k : kByLength[word.size()][static_cast<size_t>(word[0] - 'a')])
    if (k != 0 && kKeywords[k - 1].text == word) return kKeywords[k - 1].kind;
  return Tok::Ident;
}

class Lexer {
 public:
  Lexer(std::string_view text, bool keep_whitespace) : s_(text), keep_ws_(keep_whitespace) {}

  std::vector<Token> run() {
    std::vector<Token> out;
    // About one token per 3.4 bytes of real programs, half of them whitespace.
    out.reserve(s_.size() / (keep_ws_ ? 3 : 6) + 16);
    // A UTF-8 byte order mark is not part of the text (ANTLR's input stream
    // drops it too); offsets stay relative to the file's bytes.
    if (s_.starts_with("\xEF\xBB\xBF")) pos_ = 3;
    while (pos_ < s_.size()) {
      uint32_t begin = static_cast<uint32_t>(pos_);
      uint32_t line = line_, column = column_;
      Tok kind = next();
      switch (kind) {
        // Only these may hold a line break or a character of more than one byte.
        case Tok::Ws:
          break;  // counted as it was read
        case Tok::String: case Tok::LineComment: case Tok::BlockComment:
        case Tok::UnterminatedString: case Tok::UnterminatedComment: case Tok::ErrorChar:
          advance_position(begin, pos_);
          break;
        default:
          column_ += static_cast<uint32_t>(pos_ - begin);
      }
      if (kind != Tok::Ws || keep_ws_) out.push_back(Token{kind, begin, static_cast<uint32_t>(pos_), line, column});
    }
    out.push_back(Token{Tok::Eof, static_cast<uint32_t>(pos_), static_cast<uint32_t>(pos_), line_, column_});
    return out;
  }

 private:
  unsigned char at(size_t i) const { return i < s_.size() ? static_cast<unsigned char>(s_[i]) : 0; }
  bool has(size_t i) const { return i < s_.size(); }

  // Line and code-point column bookkeeping, as ANTLR counts them.
  void advance_position(size_t from, size_t to) {
    for (size_t i = from; i < to; ++i) {
      unsigned char c = static_cast<unsigned char>(s_[i]);
      if (c == '\n') {
        ++line_;
        column_ = 0;
      } else if ((c & 0xC0) != 0x80) {
        ++column_;
      }
    }
  }

  // DIGITS : [0-9]+ ('_' [0-9]+)* ; returns the end of the longest match.
  size_t digits(size_t i) const {
    while (is_digit(at(i))) ++i;
    while (at(i) == '_' && is_digit(at(i + 1))) {
      i += 1;
      while (is_digit(at(i))) ++i;
    }
    return i;
  }

  Tok number() {
    size_t i = digits(pos_);
    bool fraction = false;
    if (at(i) == '.' && is_digit(at(i + 1))) {
      i = digits(i + 1);
      fraction = true;
    }
    if (is_alpha(at(i))) {
      while (is_alpha(at(i))) ++i;
      pos_ = i;
      return Tok::Quantity;
    }
    pos_ = i;
    return fraction ? Tok::Float : Tok::Int;
  }

  Tok ident() {
    size_t i = pos_ + 1;
    while (is_ident_char(at(i))) ++i;
    while (s_[i - 1] == '-') --i;  // IDENT may not end with '-'
    std::string_view word = s_.substr(pos_, i - pos_);
    pos_ = i;
    return keyword_or_ident(word);
  }

  // STRING (both forms) or UNTERMINATED_STRING, by longest match.
  Tok string() {
    size_t triple_end = 0;
    if (at(pos_ + 1) == '"' && at(pos_ + 2) == '"') {
      size_t close = s_.find("\"\"\"", pos_ + 3);
      if (close != std::string_view::npos) triple_end = close + 3;
    }
    // '"' (ESC | ~["\\\r\n])* '"'?
    size_t i = pos_ + 1;
    while (has(i)) {
      unsigned char c = at(i);
      if (c == '\\') {
        if (!has(i + 1)) break;
        i = std::min(s_.size(), i + 1 + utf8_len(at(i + 1)));
        continue;
      }
      if (c == '"' || c == '\r' || c == '\n') break;
      i = std::min(s_.size(), i + utf8_len(c));
    }
    bool closed = at(i) == '"' && has(i);
    size_t simple_end = closed ? i + 1 : i;
    if (triple_end > simple_end) {
      pos_ = triple_end;
      return Tok::String;
    }
    pos_ = simple_end;
    return closed ? Tok::String : Tok::UnterminatedString;
  }

  Tok block_comment() {
    size_t close = s_.find("*/", pos_ + 2);
    if (close == std::string_view::npos) {
      pos_ = s_.size();
      return Tok::UnterminatedComment;
    }
    pos_ = close + 2;
    return Tok::BlockComment;
  }

  Tok next() {
    unsigned char c = at(pos_);
    switch (c) {
      case ' ': case '\t': case '\r': case '\n': {
        // Counted here, as the run is read: whitespace is every other token.
        for (; pos_ < s_.size(); ++pos_) {
          char w = s_[pos_];
          if (w == '\n') {
            ++line_;
            column_ = 0;
          } else if (w == ' ' || w == '\t' || w == '\r') {
            ++column_;
          } else {
            break;
          }
        }
        return Tok::Ws;
      }
      case '{': ++pos_; return Tok::LBrace;
      case '}': ++pos_; return Tok::RBrace;
      case '[': ++pos_; return Tok::LBrack;
      case ']': ++pos_; return Tok::RBrack;
      case '(': ++pos_; return Tok::LParen;
      case ')': ++pos_; return Tok::RParen;
      case '=': ++pos_; return Tok::Assign;
      case ':': ++pos_; return Tok::Colon;
      case ';': ++pos_; return Tok::Semi;
      case ',': ++pos_; return Tok::Comma;
      case '?': ++pos_; return Tok::Question;
      case '+': ++pos_; return Tok::Plus;
      case '-': ++pos_; return Tok::Minus;
      case '*': ++pos_; return Tok::Star;
      case '.':
        if (at(pos_ + 1) == '.') {
          pos_ += 2;
          return Tok::Range;
        }
        ++pos_;
        return Tok::Dot;
      case '/':
        if (at(pos_ + 1) == '/') {
          while (pos_ < s_.size() && at(pos_) != '\r' && at(pos_) != '\n') ++pos_;
          return Tok::LineComment;
        }
        if (at(pos_ + 1) == '*') return block_comment();
        ++pos_;
        return Tok::Slash;
      case '"': return string();
      default: break;
    }
    if (is_digit(c)) return number();
    if (is_ident_start(c)) return ident();
    pos_ += utf8_len(c);
    if (pos_ > s_.size()) pos_ = s_.size();
    return Tok::ErrorChar;
  }

  std::string_view s_;
  bool keep_ws_ = true;
  size_t pos_ = 0;
  uint32_t line_ = 1;
  uint32_t column_ = 0;
};

}  // namespace

std::vector<Token> lex(std::string_view text, bool keep_whitespace) { return Lexer(text, keep_whitespace).run(); }

std::string_view describe(Tok kind) {
  switch (kind) {
    case Tok::Eof: return "the end of the file";
    case Tok::Import: return "`import`";
    case Tok::Let: return "`let`";
    case Tok::Type: return "`type`";
    case Tok::Enum: return "`enum`";
    case Tok::Template: return "`template`";
    case Tok::Cluster: return "`cluster`";
    case Tok::Machine: return "`machine`";
    case Tok::Role: return "`role`";
    case Tok::Service: return "`service`";
    case Tok::Job: return "`job`";
    case Tok::Cron: return "`cron`";
    case Tok::Daemon: return "`daemon`";
    case Tok::Chart: return "`chart`";
    case Tok::Secret: return "`secret`";
    case Tok::Resource: return "`resource`";
    case Tok::True: return "`true`";
    case Tok::False: return "`false`";
    case Tok::Null: return "`null`";
    case Tok::X: return "`x`";
    case Tok::LBrace: return "`{`";
    case Tok::RBrace: return "`}`";
    case Tok::LBrack: return "`[`";
    case Tok::RBrack: return "`]`";
    case Tok::LParen: return "`(`";
    case Tok::RParen: return "`)`";
    case Tok::Assign: return "`=`";
    case Tok::Colon: return "`:`";
    case Tok::Semi: return "`;`";
    case Tok::Comma: return "`,`";
    case Tok::Range: return "`..`";
    case Tok::Dot: return "`.`";
    case Tok::Question: return "`?`";
    case Tok::Plus: return "`+`";
    case Tok::Minus: return "`-`";
    case Tok::Star: return "`*`";
    case Tok::Slash: return "`/`";
    case Tok::Quantity: return "a quantity";
    case Tok::Float: return "a number";
    case Tok::Int: return "a number";
    case Tok::Ident: return "a name";
    case Tok::String: return "a string";
    case Tok::LineComment:
    case Tok::BlockComment: return "a comment";
    case Tok::Ws: return "whitespace";
    case Tok::UnterminatedString: return "an unterminated string";
    case Tok::UnterminatedComment: return "an unterminated comment";
    case Tok::ErrorChar: return "an unexpected character";
  }
  return "a token";
}

}  // namespace claw::syntax
