#include "compiler/io/clock.h"
#include "compiler/syntax/parse.h"

#include <ClawLexer.h>
#include <ClawParser.h>
#include <fmt/format.h>

#include <chrono>
#include <cstring>
#include <span>

#include "compiler/syntax/build_ast.h"
#include "compiler/syntax/descent.h"
#include "compiler/syntax/syntax_errors.h"
#include "compiler/syntax/token_stream.h"

namespace claw::syntax {
namespace {

using claw_antlr::ClawLexer;
using claw_antlr::ClawParser;

// The hand-written token numbering must be the grammar's.
static_assert(static_cast<size_t>(Tok::Import) == ClawLexer::IMPORT);
static_assert(static_cast<size_t>(Tok::Resource) == ClawLexer::RESOURCE);
static_assert(static_cast<size_t>(Tok::X) == ClawLexer::X);
static_assert(static_cast<size_t>(Tok::LBrace) == ClawLexer::LBRACE);
static_assert(static_cast<size_t>(Tok::Slash) == ClawLexer::SLASH);
static_assert(static_cast<size_t>(Tok::Quantity) == ClawLexer::QUANTITY);
static_assert(static_cast<size_t>(Tok::String) == ClawLexer::STRING);
static_assert(static_cast<size_t>(Tok::Ws) == ClawLexer::WS);
static_assert(static_cast<size_t>(Tok::ErrorChar) == ClawLexer::ERROR_CHAR);

// Returns the offset of the first byte that is not valid UTF-8, or npos.
size_t first_invalid_utf8(std::string_view s) {
  size_t i = 0;
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  while (i < s.size()) {
    // Source text is nearly all ASCII: skip it eight bytes at a time.
    while (i + 8 <= s.size()) {
      uint64_t word;
      std::memcpy(&word, p + i, 8);
      if (word & 0x8080808080808080ull) break;
      i += 8;
    }
    if (i >= s.size()) break;
    unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t n;
    uint32_t cp;
    if ((c & 0xE0) == 0xC0) { n = 2; cp = c & 0x1F; }
    else if ((c & 0xF0) == 0xE0) { n = 3; cp = c & 0x0F; }
    else if ((c & 0xF8) == 0xF0) { n = 4; cp = c & 0x07; }
    else return i;
    if (i + n > s.size()) return i;
    for (size_t k = 1; k < n; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    bool overlong = (n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000);
    if (overlong || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
    i += n;
  }
  return std::string_view::npos;
}

// Checks the bytes before lexing. Returns false when the file must not be parsed.
bool validate(const source::SourceFile& file, source::FileId id, const ParseLimits& limits, diag::Sink& sink) {
  auto text = file.text();
  if (text.size() > limits.max_file_bytes) {
    report_file_too_large(sink, source::Span{id, 0, 0}, "file", text.size(), limits);
    return false;
  }
  if (auto nul = text.find('\0'); nul != std::string_view::npos) {
    sink.report(diag::Kind::FileBinary, source::Span{id, static_cast<uint32_t>(nul), static_cast<uint32_t>(nul + 1)},
                "file looks binary: it contains a NUL byte")
        .hint("only text files with the `.claw` extension are read");
    return false;
  }
  if (auto bad = first_invalid_utf8(text); bad != std::string_view::npos) {
    sink.report(diag::Kind::FileNotUtf8, source::Span{id, static_cast<uint32_t>(bad), static_cast<uint32_t>(bad + 1)},
                fmt::format("file is not valid UTF-8: byte 0x{:02X} at offset {}", static_cast<unsigned char>(text[bad]), bad))
        .hint("save the file as UTF-8");
    return false;
  }
  return true;
}

// Reports lexical errors, at most one per line, and repairs the two common
// ones so the parser does not echo them: a `#` comment becomes a comment,
// and a 'single-quoted string' becomes a string. The repair only shapes
// recovery; the file has an error either way.
void report_lexical_errors(std::vector<Token>& tokens, std::string_view text, source::FileId id, diag::Sink& sink) {
  uint32_t last_line = 0;
  for (size_t i = 0; i < tokens.size(); ++i) {
    Token& t = tokens[i];
    source::Span span{id, t.begin, t.end};
    switch (t.kind) {
      case Tok::UnterminatedString:
        sink.report(diag::Kind::UnterminatedString, span, "string is not closed before the end of the line")
            .hint("add a closing `\"`; use \"\"\"...\"\"\" for text over several lines");
        break;
      case Tok::UnterminatedComment:
        sink.report(diag::Kind::UnterminatedComment, source::Span{id, t.begin, t.begin + 2},
                    "comment is not closed before the end of the file")
            .hint("add `*/` where the comment ends");
        break;
      case Tok::ErrorChar: {
        auto ch = text.substr(t.begin, t.end - t.begin);
        size_t end = i;  // last token the repair covers
        if (ch == "#") {
          while (end + 1 < tokens.size() && tokens[end + 1].line == t.line && tokens[end + 1].kind != Tok::Eof) ++end;
          for (size_t k = i; k <= end; ++k) tokens[k].kind = Tok::LineComment;
        } else if (ch == "'") {
          size_t close = i + 1;
          while (close < tokens.size() && tokens[close].line == t.line &&
                 !(tokens[close].kind == Tok::ErrorChar && text.substr(tokens[close].begin, 1) == "'"))
            ++close;
          if (close < tokens.size() && tokens[close].line == t.line) {
            for (size_t k = i + 1; k <= close; ++k) tokens[k].kind = Tok::Ws;
            t.kind = Tok::String;
            t.end = tokens[close].end;
            span.end = t.end;
            end = close;
          }
        }
        if (t.line != last_line) {
          auto& d = sink.report(diag::Kind::UnexpectedCharacter, source::Span{id, span.begin, span.begin + static_cast<uint32_t>(ch.size())},
                                fmt::format("unexpected character `{}`", ch));
          if (ch == "#") d.hint("comments start with `//`");
          else if (ch == "'") d.hint("strings use double quotes: \"...\"");
          else if (ch == "\\") d.hint("a backslash only appears inside strings");
          else d.hint("names use letters, digits, `_` and `-`");
          last_line = t.line;
        }
        i = end;
        break;
      }
      default: break;
    }
  }
}

// Bracket nesting (and runs of unary minus) beyond the limit would make the
// recursive-descent parser and later phases recurse without bound.
bool check_nesting(const std::vector<Token>& tokens, source::FileId id, size_t max, diag::Sink& sink) {
  size_t depth = 0, minus_run = 0;
  for (const auto& t : tokens) {
    switch (t.kind) {
      case Tok::LBrace: case Tok::LBrack: case Tok::LParen: ++depth; break;
      case Tok::RBrace: case Tok::RBrack: case Tok::RParen: if (depth) --depth; break;
      default: break;
    }
    minus_run = t.kind == Tok::Minus ? minus_run + 1 : is_hidden(t.kind) ? minus_run : 0;
    if (depth + minus_run > max) {
      sink.report(diag::Kind::NestingTooDeep, source::Span{id, t.begin, t.end},
                  fmt::format("nesting is deeper than {} levels", max))
          .hint("flatten the structure, or split it with `let` bindings");
      return false;
    }
  }
  return true;
}

bool starts_item(Tok k) {
  return k == Tok::Import || k == Tok::Let || k == Tok::Type || k == Tok::Enum || k == Tok::Template ||
         (k >= Tok::Cluster && k <= Tok::Resource);
}

// Splits the visible tokens of a file that failed to parse into items, for
// recovery: an item starts at a declaration keyword written at the start of a
// line, or at bracket depth 0 where a value cannot be expected.
std::vector<std::pair<size_t, size_t>> split_items(const std::vector<Token>& visible) {
  std::vector<std::pair<size_t, size_t>> out;
  size_t start = 0;
  int depth = 0;
  for (size_t i = 0; i < visible.size(); ++i) {
    const Token& t = visible[i];
    if (i > start && starts_item(t.kind)) {
      const Token& prev = visible[i - 1];
      bool after_operator = prev.kind == Tok::Assign || prev.kind == Tok::Colon || prev.kind == Tok::Dot ||
                            prev.kind == Tok::LParen || prev.kind == Tok::Comma || prev.kind == Tok::LBrack ||
                            prev.kind == Tok::Plus || prev.kind == Tok::Minus || prev.kind == Tok::Star ||
                            prev.kind == Tok::Slash;
      bool template_kind = prev.kind == Tok::RParen && prev.line == t.line;
      bool decl_name = starts_item(prev.kind) && prev.line == t.line;
      if (!after_operator && !template_kind && !decl_name && (t.column == 0 || depth <= 0)) {
        out.emplace_back(start, i);
        start = i;
        depth = 0;
      }
    }
    if (t.kind == Tok::LBrace || t.kind == Tok::LBrack || t.kind == Tok::LParen) ++depth;
    if (t.kind == Tok::RBrace || t.kind == Tok::RBrack || t.kind == Tok::RParen) --depth;
  }
  out.emplace_back(start, visible.size());
  return out;
}

// The generated parser shares one DFA cache among all its instances, and
// every prediction takes that cache's reader lock: two threads parsing at once
// spend their time passing the lock's cache line back and forth. Each thread
// gets a cache of its own instead; it warms up within the first file.
void use_thread_local_dfa(ClawParser& parser) {
  struct Cache {
    std::vector<antlr4::dfa::DFA> dfa;
    antlr4::atn::PredictionContextCache contexts;
  };
  // Built in place: DFAs own their states and must not be moved.
  thread_local std::unique_ptr<Cache> cache;
  if (!cache) {
    cache = std::make_unique<Cache>();
    const antlr4::atn::ATN& atn = parser.getATN();
    cache->dfa.reserve(atn.getNumberOfDecisions());
    for (size_t i = 0; i < atn.getNumberOfDecisions(); ++i) cache->dfa.emplace_back(atn.getDecisionState(i), i);
  }
  // setInterpreter deletes the simulator the generated constructor made.
  parser.setInterpreter(new antlr4::atn::ParserATNSimulator(&parser, parser.getATN(), cache->dfa, cache->contexts));
}

ParseResult parse(const source::SourceFile& file, source::FileId id, const ParseLimits& limits, bool descent) {
  ParseResult result;
  result.file = std::make_unique<File>();
  result.file->id = id;
  if (!validate(file, id, limits, result.diags)) {
    result.file->has_syntax_errors = true;
    return result;
  }

  uint64_t t0 = io::now_ns();
  // Whitespace never reaches the parser; comments are kept for the tree.
  std::vector<Token> tokens = lex(file.text(), false);  // repaired below where lexing failed
  uint64_t t1 = io::now_ns();
  result.timings.lex_ns = t1 - t0;
  result.timings.tokens = tokens.size();

  bool only_trivia = true;
  for (const auto& t : tokens) {
    if (t.kind == Tok::LineComment || t.kind == Tok::BlockComment)
      result.file->comments.push_back(Comment{source::Span{id, t.begin, t.end}, t.kind == Tok::BlockComment});
    if (!is_hidden(t.kind) && t.kind != Tok::Eof) only_trivia = false;
  }
  if (only_trivia) {
    result.diags.report(diag::Kind::FileEmpty, source::Span{id, 0, 0}, "file declares nothing")
        .hint("remove the file, or add a declaration");
    return result;
  }

  report_lexical_errors(tokens, file.text(), id, result.diags);
  if (!check_nesting(tokens, id, limits.max_nesting, result.diags)) {
    result.file->has_syntax_errors = true;
    return result;
  }

  const Token eof = tokens.back();
  std::erase_if(tokens, [](const Token& t) { return is_hidden(t.kind) || t.kind == Tok::Eof; });
  const std::vector<Token>& visible = tokens;

  // Stage 0: recursive descent over the whole file, giving up at the first
  // error. Nearly every file is correct and is done here.
  if (descent) {
    diag::Sink literal_diags;
    if (detail::parse_descent(visible, file.text(), *result.file, literal_diags)) {
      result.diags.absorb(std::move(literal_diags));
      result.timings.parse_ns = io::now_ns() - t1;
      result.file->has_syntax_errors = result.diags.has_errors();
      return result;
    }
    result.timings.parse_ns = io::now_ns() - t1;
    auto fresh = std::make_unique<File>();
    fresh->id = id;
    fresh->comments = std::move(result.file->comments);
    result.file = std::move(fresh);
  }
  result.timings.antlr = true;

  // Stage 1, without the descent parser only (it rejects exactly what this
  // pass rejects; tests/unit/parser_equivalence_test.cpp holds it to that):
  // the whole file with ANTLR's SLL prediction, bailing out at the first error.
  bool ok = false;
  if (!descent) {
    detail::VectorTokenStream stream(visible, eof, file.text(), file.path());
    ClawParser parser(&stream);
    use_thread_local_dfa(parser);
    parser.removeErrorListeners();
    parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(antlr4::atn::PredictionMode::SLL);
    parser.setErrorHandler(std::make_shared<antlr4::BailErrorStrategy>());
    ClawParser::FileContext* tree = nullptr;
    try {
      tree = parser.file();
    } catch (const antlr4::ParseCancellationException&) {
      tree = nullptr;
    }
    uint64_t t2 = io::now_ns();
    result.timings.parse_ns = t2 - t1;
    if (tree) {
      ok = true;
      detail::build_ast(tree, stream, {}, *result.file, result.diags);
      result.timings.build_ns = io::now_ns() - t2;
    }
  }
  if (!ok) {
    // Stage 2: item by item with full LL prediction, recovery and readable
    // messages, so an error in one item cannot swallow the items after it.
    result.timings.ll_fallback = true;
    uint64_t t2 = io::now_ns();
    auto chunks = split_items(visible);
    for (size_t c = 0; c < chunks.size(); ++c) {
      auto [first, last] = chunks[c];
      std::span<const Token> part(visible.data() + first, last - first);
      const Token& next = last < visible.size() ? visible[last] : eof;
      detail::VectorTokenStream stream(part, next, file.text(), file.path());
      ClawParser parser(&stream);
      use_thread_local_dfa(parser);
      parser.removeErrorListeners();
      detail::ErrorCollector errors(id, part, next, file.text());
      parser.setErrorHandler(std::make_shared<detail::ClawErrorStrategy>(errors));
      auto* tree = parser.file();
      errors.flush(result.diags);
      detail::build_ast(tree, stream, errors.error_token_indices(), *result.file, result.diags);
    }
    result.timings.parse_ns += io::now_ns() - t2;
  }
  result.file->has_syntax_errors = result.diags.has_errors();
  return result;
}

}  // namespace

diag::Diagnostic& report_file_too_large(diag::Sink& sink, source::Span at, std::string_view what, uint64_t bytes,
                                        const ParseLimits& limits) {
  return sink
      .report(diag::Kind::FileTooLarge, at,
              fmt::format("{} is {:.1f} MiB; claw reads files of at most {} MiB", what, static_cast<double>(bytes) / 1048576.0,
                          limits.max_file_bytes >> 20))
      .hint("split it into several files in the same folder");
}

ParseResult parse_file(const source::SourceFile& file, source::FileId id, const ParseLimits& limits) {
  return parse(file, id, limits, true);
}

ParseResult parse_file_with_antlr(const source::SourceFile& file, source::FileId id, const ParseLimits& limits) {
  return parse(file, id, limits, false);
}

std::vector<Token> lex_with_antlr(std::string_view whole) {
  // ANTLR's input stream drops one leading byte order mark; its indexes are
  // then relative to what follows it.
  uint32_t bom = whole.starts_with("\xEF\xBB\xBF") ? 3 : 0;
  std::string_view text = whole.substr(bom);
  antlr4::ANTLRInputStream input(whole.data(), whole.size());
  ClawLexer lexer(&input);
  lexer.removeErrorListeners();
  std::vector<Token> out;
  // Byte offsets of each code point, to express ANTLR's code point indexes as bytes.
  std::vector<uint32_t> byte_at;
  byte_at.reserve(text.size() + 1);
  for (uint32_t i = 0; i < text.size(); ++i)
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) byte_at.push_back(i);
  byte_at.push_back(static_cast<uint32_t>(text.size()));
  for (;;) {
    auto t = lexer.nextToken();
    if (t->getType() == antlr4::Token::EOF) {
      out.push_back(Token{Tok::Eof, bom + static_cast<uint32_t>(text.size()), bom + static_cast<uint32_t>(text.size()),
                          static_cast<uint32_t>(t->getLine()), static_cast<uint32_t>(t->getCharPositionInLine())});
      break;
    }
    out.push_back(Token{static_cast<Tok>(t->getType()), bom + byte_at[t->getStartIndex()], bom + byte_at[t->getStopIndex() + 1],
                        static_cast<uint32_t>(t->getLine()), static_cast<uint32_t>(t->getCharPositionInLine())});
  }
  return out;
}

}  // namespace claw::syntax
